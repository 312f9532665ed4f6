"""Routes honour maximum and exact counts and credits, and prerequisite conditions.

Oracle: the semantic definitions, written directly from their sources in
:mod:`tests.routing.reference` and checked by brute force over every subset of the
credentials (never by our solver or by :func:`pathways.routing.problem.earned`):

* CTDL (``ctdl-schema.json``, Credential Engine, vendored in ChelseaKR/ctdl-validate @
  e7196aba7d4c6ea11f771d85a7e8382b93ce56eb): ``ceterms:ComponentCondition`` "Resource
  that describes what must be done to complete a PathwayComponent, or part thereof";
  ``ceterms:requiredNumber`` "Number of targetComponent or hasCondition objects that
  must be fulfilled in order to satisfy the ComponentCondition"; ``ceterms:Constraint``
  "Resource that identifies the parameters defining a limitation or restriction
  applicable to candidate pathway components"; ``compare:LTEQ`` "The value of the left
  is less than or equal to the value of the right"; ``compare:EQ`` "equal to".
* ePerusteet (Opetushallitus/koski @ 180e806b739c788fd89614fa5fe6436310dab335,
  ``mockdata/eperusteet``): a rule's ``koko``/``laajuus`` ``minimi``/``maksimi`` bound
  the number and the credits of the units chosen for it (the Specialist VQ for
  Automotive Mechanics: "Valinnaiset tutkinnon osat" koko minimi 2, maksimi 2).

So a condition is satisfied when some selection of the earned candidates meets all of
its bounds at once; a course with a condition (a prerequisite condition) is earned
when it is taken *and* its condition is satisfied; a stacked credential is earned by
its conditions alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.routing.problem import Condition, Item, Problem, condition_met, is_valid
from pathways.routing.solver import best_routes
from tests.routing.reference import all_routes, condition_satisfied, is_route


@dataclass(frozen=True)
class _Case:
    problem: Problem
    takeable: tuple[str, ...]


def _bounds(draw: st.DrawFn, n_targets: int) -> dict[str, float | int | None]:
    required = draw(st.integers(0, n_targets))
    max_required = draw(st.one_of(st.none(), st.integers(required, n_targets)))
    min_credits = draw(st.one_of(st.none(), st.sampled_from([5.0, 10.0, 15.0, 20.0])))
    kind = draw(st.sampled_from(["none", "max", "exact"]))
    max_credits: float | None = None
    if kind == "exact" and min_credits is not None:
        max_credits = min_credits
    elif kind == "max":
        max_credits = draw(st.sampled_from([5.0, 10.0, 15.0, 20.0, 25.0]))
    return {
        "required": required,
        "max_required": max_required,
        "min_credits": min_credits,
        "max_credits": max_credits,
    }


@st.composite
def cases(draw: st.DrawFn) -> _Case:
    n = draw(st.integers(2, 6))
    keys = [f"c{i}" for i in range(n)]
    items: dict[str, Item] = {}
    conditions: dict[str, Condition] = {}
    for i, key in enumerate(keys):
        earlier = keys[:i]
        prereqs = (
            tuple(draw(st.lists(st.sampled_from(earlier), max_size=1, unique=True)))
            if earlier
            else ()
        )
        requisites: tuple[str, ...] = ()
        with_condition: bool = draw(st.booleans())
        if earlier and with_condition:
            targets = tuple(
                sorted(
                    draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=3, unique=True))
                )
            )
            ckey = f"pre-{key}"
            conditions[ckey] = Condition(ckey, targets, **_bounds(draw, len(targets)))  # type: ignore[arg-type]
            requisites = (ckey,)
        items[key] = Item(
            key,
            weight=float(draw(st.integers(1, 9))),
            prerequisites=prereqs,
            credits=float(draw(st.sampled_from([0, 5, 10, 15]))),
            hours=float(draw(st.sampled_from([0, 25, 50]))),
            requisites=requisites,
        )
    targets = tuple(
        sorted(draw(st.lists(st.sampled_from(keys), min_size=1, max_size=n, unique=True)))
    )
    subs: tuple[str, ...] = ()
    if draw(st.booleans()):
        inner = tuple(
            sorted(draw(st.lists(st.sampled_from(keys), min_size=1, max_size=3, unique=True)))
        )
        conditions["inner"] = Condition("inner", inner, **_bounds(draw, len(inner)))  # type: ignore[arg-type]
        subs = ("inner",)
    bounds = _bounds(draw, len(targets) + len(subs))
    conditions["goal-cond"] = Condition("goal-cond", targets, subs, **bounds)  # type: ignore[arg-type]
    items["goal"] = Item("goal", conditions=("goal-cond",))
    return _Case(Problem(items, ("goal",), conditions), tuple(keys))


def _brute_force(case: _Case) -> float | None:
    p = case.problem
    best: float | None = None
    for chosen in all_routes(p, case.takeable):
        weight = sum(p.items[c].weight for c in chosen)
        best = weight if best is None else min(best, weight)
    return best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_route_honours_min_max_and_exact_and_is_optimal(case: _Case) -> None:
    expected = _brute_force(case)
    found = best_routes(case.problem, 1)
    if expected is None:
        assert found == []
        return
    assert found, "a valid route exists but none was found"
    taken = set(found[0].taken)
    assert is_route(case.problem, taken)  # every condition: min, max, exact, prerequisites
    assert abs(found[0].weight - expected) < 1e-9


@settings(max_examples=200, deadline=None)
@given(cases(), st.data())
def test_condition_check_agrees_with_the_definition(case: _Case, data: st.DataObject) -> None:
    have = set(data.draw(st.lists(st.sampled_from(case.takeable), unique=True)))
    for key in case.problem.conditions:
        assert condition_met(case.problem, key, have) == condition_satisfied(
            case.problem, key, have
        )


def test_exact_credits_need_an_exact_selection() -> None:
    """ePerusteet-style rule laajuus minimi = maksimi = 15: 10 + 10 overshoots, so the
    cheaper pair is not a route; 10 + 5 is (an extra unit would not count)."""
    items = {
        "a": Item("a", 1.0, credits=10.0),
        "b": Item("b", 1.0, credits=10.0),
        "c": Item("c", 5.0, credits=5.0),
        "q": Item("q", conditions=("r",)),
    }
    rule = Condition("r", ("a", "b", "c"), required=0, min_credits=15.0, max_credits=15.0)
    p = Problem(items, ("q",), {"r": rule})
    [best] = best_routes(p, 1)
    assert best.taken in (("a", "c"), ("b", "c")) and best.weight == 6.0
    assert not is_valid(p, {"a", "b"})
    assert is_valid(p, {"a", "b", "c"})  # earning more never undoes the rule


def test_course_with_a_condition_is_taken_and_its_condition_met() -> None:
    """CTDL: a condition on a CourseComponent is what must be done to complete it,
    so the course is taken *and* its condition is met (not awarded by stacking)."""
    items = {
        "intro": Item("intro", 3.0, credits=5.0),
        "course": Item("course", 7.0, credits=10.0, requisites=("pre",)),
        "q": Item("q", conditions=("all",)),
    }
    conditions = {
        "pre": Condition("pre", ("intro",), required=1),
        "all": Condition("all", ("course",), required=1),
    }
    p = Problem(items, ("q",), conditions)
    [best] = best_routes(p, 1)
    assert best.taken == ("course", "intro") and best.weight == 10.0
    assert not is_valid(p, {"intro"})  # the course is not awarded by its condition
    assert not is_valid(p, {"course"})  # nor taken without meeting it
