"""The route solver against brute force on small random AND/OR instances.

Oracle: :mod:`tests.routing.reference`, the definitions of a condition (all-of,
n-of-m, minimum credits, maximum count and credits), of earning a credential
(prerequisites, any-one-of entry routes, holdings) and of a route's cost, checked
over every subset of the credentials. Neither the solver nor
:mod:`pathways.routing.problem` answers for the other.

The instances: up to six credentials with hard prerequisites (AND) and entry routes
(OR, some closed to the learner, some with a workload delta), some held already; a
goal of one or two alternatives (OR), each a credential stacked from a condition tree
two levels deep whose nodes are all-of, n-of-m or credit-bounded conditions.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.routing.problem import Condition, Item, Problem, Route
from pathways.routing.solver import best_routes
from tests.routing.reference import all_routes, condition_satisfied, cost, earned_from, is_route

_EPS = 1e-9


@dataclass(frozen=True)
class _Instance:
    problem: Problem
    takeable: tuple[str, ...]


def _condition(draw: st.DrawFn, key: str, members: list[str], subs: tuple[str, ...]) -> Condition:
    targets = tuple(sorted(draw(st.lists(st.sampled_from(members), min_size=1, unique=True))))
    m = len(targets) + len(subs)
    kind = draw(st.sampled_from(["all-of", "n-of-m", "min-credits", "max-bounds"]))
    if kind == "all-of":
        return Condition(key, targets, subs, required=m)
    if kind == "n-of-m":
        return Condition(key, targets, subs, required=draw(st.integers(1, m)))
    if kind == "min-credits":
        return Condition(key, targets, subs, min_credits=draw(st.sampled_from([5.0, 10.0, 20.0])))
    required = draw(st.integers(1, m))
    return Condition(
        key,
        targets,
        subs,
        required=required,
        max_required=draw(st.one_of(st.none(), st.integers(required, m))),
        max_credits=draw(st.one_of(st.none(), st.sampled_from([5.0, 10.0, 15.0]))),
    )


@st.composite
def instances(draw: st.DrawFn) -> _Instance:
    n = draw(st.integers(1, 6))
    keys = [f"c{i}" for i in range(n)]
    items: dict[str, Item] = {}
    for i, key in enumerate(keys):
        earlier = keys[:i]
        prerequisites: tuple[str, ...] = ()
        routes: tuple[Route, ...] = ()
        if earlier:
            prerequisites = tuple(draw(st.lists(st.sampled_from(earlier), max_size=1)))
            if draw(st.booleans()):
                routes = tuple(
                    Route(
                        f"{key}-r{j}",
                        tuple(draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True))),
                        available=draw(st.booleans()),
                        delta=draw(st.sampled_from([0.0, 2.0])),
                    )
                    for j in range(draw(st.integers(1, 2)))
                )
        items[key] = Item(
            key,
            weight=float(draw(st.integers(1, 9))),
            prerequisites=prerequisites,
            routes=routes,
            credits=float(draw(st.sampled_from([0, 5, 10]))),
        )
    held = frozenset(draw(st.lists(st.sampled_from(keys), max_size=2, unique=True)))
    conditions: dict[str, Condition] = {}
    goal: list[str] = []
    for g in range(draw(st.integers(1, 2))):
        subs: tuple[str, ...] = ()
        if draw(st.booleans()):
            inner = f"g{g}-inner"
            conditions[inner] = _condition(draw, inner, keys, ())
            subs = (inner,)
        conditions[f"g{g}-root"] = _condition(draw, f"g{g}-root", keys, subs)
        items[f"g{g}"] = Item(f"g{g}", conditions=(f"g{g}-root",))
        goal.append(f"g{g}")
    takeable = tuple(k for k in keys if k not in held)
    return _Instance(Problem(items, tuple(goal), conditions, held=held), takeable)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_best_route_is_the_brute_force_optimum(instance: _Instance) -> None:
    p = instance.problem
    routes = list(all_routes(p, instance.takeable))
    found = best_routes(p, 1)
    # "No route" exactly when none exists.
    assert (found == []) == (routes == [])
    if not found:
        return
    [best] = found
    taken = set(best.taken)
    # The route satisfies the goal's condition tree.
    assert is_route(p, taken)
    have = earned_from(p, taken)
    assert any(g in have for g in p.goal)
    assert any(
        all(condition_satisfied(p, c, have) for c in p.items[g].conditions)
        for g in p.goal
        if g in have
    )
    # Its total is the sum of its parts, and nothing cheaper exists.
    assert abs(best.weight - cost(p, taken)) < _EPS
    assert abs(best.weight - min(cost(p, set(r)) for r in routes)) < _EPS


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_each_alternative_is_the_cheapest_not_containing_an_earlier_one(
    instance: _Instance,
) -> None:
    """best_routes(k): the i-th answer is the cheapest route that contains none of the
    earlier answers; fewer than k only when no such route is left."""
    p = instance.problem
    routes = list(all_routes(p, instance.takeable))
    found = best_routes(p, 3)
    earlier: list[frozenset[str]] = []
    for solution in found:
        taken = frozenset(solution.taken)
        assert is_route(p, set(taken))
        assert not any(e <= taken for e in earlier)
        left = [r for r in routes if not any(e <= r for e in earlier)]
        assert abs(solution.weight - cost(p, set(taken))) < _EPS
        assert abs(solution.weight - min(cost(p, set(r)) for r in left)) < _EPS
        earlier.append(taken)
    if len(found) < 3 and (not found or found[-1].taken):
        assert not [r for r in routes if not any(e <= r for e in earlier)]
