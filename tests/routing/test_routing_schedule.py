"""Schedules respect requirements and the per-term cap (hypothesis, small random DAGs)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.routing.problem import Item, Problem
from pathways.routing.schedule import schedule


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_terms_respect_prerequisites_and_cap(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 9))
    items: dict[str, Item] = {}
    for i in range(n):
        earlier: list[int] = (
            data.draw(st.lists(st.integers(0, i - 1), max_size=2, unique=True)) if i else []
        )
        hours = data.draw(st.sampled_from([5.0, 10.0, 25.0, 60.0]))
        items[f"c{i}"] = Item(f"c{i}", prerequisites=tuple(f"c{j}" for j in earlier), hours=hours)
    cap = data.draw(st.sampled_from([None, 20.0, 40.0]))
    p = Problem(items, goal=(f"c{n - 1}",))
    plan = schedule(p, tuple(items), cap)
    assert set(plan.terms) == set(items)
    for key, item in items.items():
        for before in item.prerequisites:
            assert plan.terms[before] < plan.terms[key]
    if cap is not None:
        load: dict[int, list[float]] = {}
        for key, term in plan.terms.items():
            load.setdefault(term, []).append(items[key].hours)
        for term_hours in load.values():
            assert (
                sum(term_hours) <= cap or len(term_hours) == 1
            )  # an over-size credential stands alone
