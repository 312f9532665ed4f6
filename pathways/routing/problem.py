"""The stacking problem: credentials, entry routes and conditions as plain data.

A :class:`Problem` is the AND/OR instance a route search solves, independent of RDF
and of NetworkX, so that the solver can be checked against brute force on small
random instances. :func:`earned` is the reference semantics; the solver's answers are
always re-checked with it.

Semantics (what "a valid route" means)
--------------------------------------
A *route* is a set S of credentials to take. Starting from the credentials already
held (and those awarded by recognition of prior learning), a credential becomes
earned, repeatedly until nothing changes, when

* it is in S, or it is *stacked* (it has conditions: it is awarded, not taken);
* every hard prerequisite is earned (for a stacked credential, its co-requisites too);
* it has no entry routes, or one entry route is open to the learner (they have all
  the prior learning it recognises) and every credential that route requires is earned;
* every condition is satisfied, and so is every *prerequisite condition* (a condition
  on a credential with work of its own, which is still taken: CTDL defines a
  ComponentCondition as what "must be done to complete a PathwayComponent, or part
  thereof", so completing a course means taking it *and* meeting its conditions).

A condition is satisfied when some selection of its earned targets and satisfied
nested conditions *counts towards it* with at least ``required`` and at most
``max_required`` members, whose directly listed targets sum to between ``min_hours``
and ``max_hours`` hours and between ``min_credits`` and ``max_credits``
(ECTS-equivalent) credits (an absent bound does not bind). Earning more than a
maximum never undoes a condition; the extra units just do not count towards it (CTDL
``Constraint`` "a limitation or restriction applicable to candidate pathway
components"; ePerusteet ``laajuus``/``koko`` ``maksimi``: the units chosen for a rule
total at most the maximum). Without maxima the selection is simply all of them.

S is valid when every credential in S ends up earned, each one's co-requisites are
earned too (they may be taken in the same term), and the goal is met: one of the
goal's alternatives is earned and every skill group to cover has an earned member.

>>> p = Problem(items={"a": Item("a", weight=1.0), "b": Item("b", 2.0, prerequisites=("a",))},
...             goal=("b",))
>>> is_valid(p, {"a", "b"}), is_valid(p, {"b"})
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Condition",
    "Item",
    "Problem",
    "Route",
    "condition_met",
    "earned",
    "is_valid",
    "requirement_closure",
    "route_used",
    "total_weight",
]


@dataclass(frozen=True)
class Route:
    """One entry route: open when ``available`` (the learner has its prior learning).

    ``delta`` is added to the credential's weight when this route is used (for hours,
    the route's own workload minus the credential's); ``hours`` is the route's workload.
    """

    key: str
    requires: tuple[str, ...] = ()
    available: bool = True
    missing: tuple[str, ...] = ()
    delta: float = 0.0
    hours: float | None = None


@dataclass(frozen=True)
class Condition:
    """N of the targets and sub-conditions, with optional hour and credit bounds."""

    key: str
    targets: tuple[str, ...] = ()
    subconditions: tuple[str, ...] = ()
    required: int = 0
    min_hours: float | None = None
    min_credits: float | None = None
    max_required: int | None = None
    max_hours: float | None = None
    max_credits: float | None = None

    @property
    def bounded(self) -> bool:
        """True when a maximum (count, hours or credits) applies."""
        return (
            self.max_required is not None
            or self.max_hours is not None
            or self.max_credits is not None
        )


@dataclass(frozen=True)
class Item:
    """A credential: its weight in the measure optimised and its requirements."""

    key: str
    weight: float = 0.0
    prerequisites: tuple[str, ...] = ()
    corequisites: tuple[str, ...] = ()
    routes: tuple[Route, ...] = ()
    conditions: tuple[str, ...] = ()
    hours: float = 0.0
    credits: float = 0.0
    requisites: tuple[str, ...] = ()
    """Prerequisite conditions: to be met before this credential, which is still taken."""

    @property
    def stacked(self) -> bool:
        """True when the credential is earned by satisfying conditions, not taken."""
        return bool(self.conditions)


@dataclass(frozen=True)
class Problem:
    """What to reach, from what is held, with which credentials available.

    ``goal`` lists alternatives (any one will do; empty means no credential goal);
    ``cover`` lists groups of credentials of which one must be earned (one group per
    skill to cover). ``excluded`` maps credentials that may not be taken to why.
    """

    items: Mapping[str, Item]
    goal: tuple[str, ...] = ()
    conditions: Mapping[str, Condition] = field(default_factory=dict)
    held: frozenset[str] = frozenset()
    excluded: Mapping[str, str] = field(default_factory=dict)
    cover: tuple[tuple[str, ...], ...] = ()
    _memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    """What :func:`earned` derived from this (immutable) problem: the stacked items, each
    item's dependencies and the last few fixpoints, so a plan that asks for the same
    fixpoint from its solver, check, schedule and totals computes it once."""

    def takeable(self, key: str) -> bool:
        """Whether ``key`` may be put in a route (known, not held, stacked or excluded)."""
        item = self.items.get(key)
        return (
            item is not None
            and not item.stacked
            and key not in self.held
            and key not in self.excluded
        )


_EPS = 1e-9


def _condition_met(problem: Problem, key: str, have: set[str], seen: frozenset[str]) -> bool:
    cond = problem.conditions.get(key)
    if cond is None or key in seen:
        return False
    seen = seen | {key}
    got = [t for t in cond.targets if t in have]
    subs = sum(1 for s in cond.subconditions if _condition_met(problem, s, have, seen))
    amounts = [
        (problem.items[t].hours, problem.items[t].credits) if t in problem.items else (0.0, 0.0)
        for t in got
    ]
    if cond.bounded:
        return _selectable(cond, amounts, subs)
    if len(got) + subs < cond.required:
        return False
    hours = sum(h for h, _ in amounts)
    if cond.min_hours is not None and hours < cond.min_hours - _EPS:
        return False
    credits = sum(c for _, c in amounts)
    return cond.min_credits is None or credits >= cond.min_credits - _EPS


def _selectable(cond: Condition, amounts: list[tuple[float, float]], subs: int) -> bool:
    """Whether some selection of the earned targets (their hours and credits) and of
    ``subs`` satisfied sub-conditions meets every bound of ``cond`` at once.

    A dynamic programme over (members, hours, credits) states, each saturated at the
    bound that matters (a minimum when there is no maximum), so the states stay few.

    >>> c = Condition("c", required=0, min_credits=15.0, max_credits=15.0)
    >>> _selectable(c, [(0.0, 10.0), (0.0, 10.0)], 0), _selectable(c, [(0.0, 10.0), (0.0, 5.0)], 0)
    (False, True)
    """
    cap_n = cond.max_required if cond.max_required is not None else cond.required
    cap_h = cond.max_hours if cond.max_hours is not None else (cond.min_hours or 0.0)
    cap_c = cond.max_credits if cond.max_credits is not None else (cond.min_credits or 0.0)

    def step(
        state: tuple[int, float, float], hours: float, credits: float
    ) -> tuple[int, float, float] | None:
        n, h, c = state[0] + 1, state[1] + hours, state[2] + credits
        if cond.max_required is not None and n > cond.max_required:
            return None
        if cond.max_hours is not None and h > cond.max_hours + _EPS:
            return None
        if cond.max_credits is not None and c > cond.max_credits + _EPS:
            return None
        return (min(n, cap_n), round(min(h, cap_h), 6), round(min(c, cap_c), 6))

    states: set[tuple[int, float, float]] = {(0, 0.0, 0.0)}
    for hours, credits in [*amounts, *([(0.0, 0.0)] * subs)]:
        states |= {t for t in (step(s, hours, credits) for s in states) if t is not None}

    def meets(state: tuple[int, float, float]) -> bool:
        n, h, c = state
        return (
            n >= cond.required
            and (cond.min_hours is None or h >= cond.min_hours - _EPS)
            and (cond.min_credits is None or c >= cond.min_credits - _EPS)
        )

    return any(meets(s) for s in states)


def condition_met(problem: Problem, key: str, have: set[str]) -> bool:
    """Whether condition ``key`` is satisfied by the earned set ``have``.

    >>> p = Problem(items={"a": Item("a", credits=10.0), "b": Item("b", credits=10.0)},
    ...             conditions={"c": Condition("c", ("a", "b"), min_credits=15.0,
    ...                                        max_credits=15.0)})
    >>> condition_met(p, "c", {"a", "b"})
    False
    """
    return _condition_met(problem, key, have, frozenset())


def _ready(problem: Problem, item: Item, have: set[str]) -> bool:
    needs = item.prerequisites + (item.corequisites if item.stacked else ())
    if any(p not in have for p in needs):
        return False
    if item.routes and not any(
        r.available and all(q in have for q in r.requires) for r in item.routes
    ):
        return False
    return all(
        _condition_met(problem, c, have, frozenset()) for c in (*item.conditions, *item.requisites)
    )


def _depends_on(problem: Problem, item: Item) -> set[str]:
    """Every credential whose being earned can change whether ``item`` is ready."""
    keys = set(item.prerequisites)
    if item.stacked:
        keys.update(item.corequisites)
    for route in item.routes:
        keys.update(route.requires)
    stack, seen = [*item.conditions, *item.requisites], set()
    while stack:
        ckey = stack.pop()
        cond = problem.conditions.get(ckey)
        if cond is None or ckey in seen:
            continue
        seen.add(ckey)
        keys.update(cond.targets)
        stack.extend(cond.subconditions)
    return keys


def earned(problem: Problem, taken: Iterable[str]) -> set[str]:
    """Everything earned from the holdings plus ``taken`` (the least fixpoint).

    A worklist: a candidate is re-checked only when something it depends on has just
    been earned, so the cost is linear in the size of the requirements.

    >>> p = Problem(items={"a": Item("a"), "q": Item("q", conditions=("c",))},
    ...             conditions={"c": Condition("c", targets=("a",), required=1)})
    >>> sorted(earned(p, ["a"]))
    ['a', 'q']
    """
    chosen = frozenset(taken)
    fixpoints: dict[frozenset[str], frozenset[str]] = problem._memo.setdefault("fixpoints", {})
    found = fixpoints.get(chosen)
    if found is None:
        found = fixpoints[chosen] = frozenset(_fixpoint(problem, chosen))
        if len(fixpoints) > _FIXPOINTS_KEPT:  # the oldest goes (dicts keep their order)
            del fixpoints[next(iter(fixpoints))]
    return set(found)


#: Fixpoints of :func:`earned` kept per problem (a skill-gap search asks for many).
_FIXPOINTS_KEPT = 8


def _fixpoint(problem: Problem, chosen: frozenset[str]) -> set[str]:
    memo = problem._memo
    stacked: list[str] | None = memo.get("stacked")
    if stacked is None:
        stacked = memo["stacked"] = sorted(k for k, it in problem.items.items() if it.stacked)
    deps: dict[str, set[str]] = memo.setdefault("depends-on", {})
    have = set(problem.held)
    waiting: dict[str, list[Item]] = {}
    queue: list[Item] = []
    for key in sorted(chosen.union(stacked)):
        item = problem.items.get(key)
        if item is None or key in have or key in problem.excluded:
            continue
        queue.append(item)
        needs = deps.get(key)
        if needs is None:
            needs = deps[key] = _depends_on(problem, item)
        for dep in needs:
            waiting.setdefault(dep, []).append(item)
    while queue:
        item = queue.pop()
        if item.key in have or not _ready(problem, item, have):
            continue
        have.add(item.key)
        queue.extend(waiting.pop(item.key, ()))
    return have


def route_used(problem: Problem, key: str, have: set[str]) -> Route | None:
    """The cheapest open entry route of ``key`` whose requirements are in ``have``."""
    usable = [
        r for r in problem.items[key].routes if r.available and all(q in have for q in r.requires)
    ]
    return min(usable, key=lambda r: (r.delta, r.key), default=None)


def total_weight(problem: Problem, taken: Iterable[str]) -> float:
    """The weight of a route: its members' weights plus the delta of the route each uses.

    >>> p = Problem(items={"a": Item("a", 60.0, routes=(Route("long"), Route("rpl", delta=-48.0)))})
    >>> total_weight(p, ["a"])
    12.0
    """
    chosen = list(taken)
    have = earned(problem, chosen)
    total = 0.0
    for key in chosen:
        total += problem.items[key].weight
        route = route_used(problem, key, have) if problem.items[key].routes else None
        if route is not None:
            total += route.delta
    return total


def goal_met(problem: Problem, have: set[str]) -> bool:
    """Whether the goal alternatives and cover groups are met by ``have``."""
    if problem.goal and not any(g in have for g in problem.goal):
        return False
    return all(any(c in have for c in group) for group in problem.cover)


def is_valid(problem: Problem, taken: Iterable[str]) -> bool:
    """Whether taking ``taken`` is a valid route (see the module documentation)."""
    chosen = set(taken)
    if any(not problem.takeable(k) for k in chosen):
        return False
    have = earned(problem, chosen)
    if not chosen <= have:
        return False
    if any(q not in have for k in chosen for q in problem.items[k].corequisites):
        return False
    return goal_met(problem, have)


def requirement_closure(problem: Problem) -> set[str]:
    """Credentials and conditions the goal and cover groups can depend on.

    >>> p = Problem(items={"a": Item("a"), "b": Item("b", prerequisites=("a",)),
    ...                    "z": Item("z")}, goal=("b",))
    >>> sorted(requirement_closure(p))
    ['a', 'b']
    """
    stack = list(problem.goal) + [c for group in problem.cover for c in group]
    seen: set[str] = set()
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        if key in problem.conditions:
            cond = problem.conditions[key]
            stack.extend(cond.targets)
            stack.extend(cond.subconditions)
            continue
        item = problem.items.get(key)
        if item is None or key in problem.held:
            continue
        stack.extend(item.prerequisites)
        stack.extend(item.corequisites)
        stack.extend(q for r in item.routes for q in r.requires)
        stack.extend(item.conditions)
        stack.extend(item.requisites)
    return seen
