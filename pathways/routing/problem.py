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
* every condition is satisfied: at least ``required`` of its targets and nested
  conditions are earned / satisfied, and the earned targets listed directly in it
  sum to at least ``min_hours`` hours and ``min_credits`` (ECTS-equivalent) credits.

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

__all__ = [
    "Condition",
    "Item",
    "Problem",
    "Route",
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
    """N of the targets and sub-conditions, with optional hour and credit minimums."""

    key: str
    targets: tuple[str, ...] = ()
    subconditions: tuple[str, ...] = ()
    required: int = 0
    min_hours: float | None = None
    min_credits: float | None = None


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

    def takeable(self, key: str) -> bool:
        """Whether ``key`` may be put in a route (known, not held, stacked or excluded)."""
        item = self.items.get(key)
        return (
            item is not None
            and not item.stacked
            and key not in self.held
            and key not in self.excluded
        )


def _condition_met(problem: Problem, key: str, have: set[str], seen: frozenset[str]) -> bool:
    cond = problem.conditions.get(key)
    if cond is None or key in seen:
        return False
    seen = seen | {key}
    got = [t for t in cond.targets if t in have]
    count = len(got) + sum(1 for s in cond.subconditions if _condition_met(problem, s, have, seen))
    if count < cond.required:
        return False
    hours = sum(problem.items[t].hours for t in got if t in problem.items)
    if cond.min_hours is not None and hours < cond.min_hours - 1e-9:
        return False
    if cond.min_credits is not None:
        credits = sum(problem.items[t].credits for t in got if t in problem.items)
        if credits < cond.min_credits - 1e-9:
            return False
    return True


def _ready(problem: Problem, item: Item, have: set[str]) -> bool:
    needs = item.prerequisites + (item.corequisites if item.stacked else ())
    if any(p not in have for p in needs):
        return False
    if item.routes and not any(
        r.available and all(q in have for q in r.requires) for r in item.routes
    ):
        return False
    return all(_condition_met(problem, c, have, frozenset()) for c in item.conditions)


def _depends_on(problem: Problem, item: Item) -> set[str]:
    """Every credential whose being earned can change whether ``item`` is ready."""
    keys = set(item.prerequisites)
    if item.stacked:
        keys.update(item.corequisites)
    for route in item.routes:
        keys.update(route.requires)
    stack, seen = list(item.conditions), set()
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
    chosen = set(taken)
    have = set(problem.held)
    waiting: dict[str, list[Item]] = {}
    queue: list[Item] = []
    for key in sorted(chosen | {k for k, it in problem.items.items() if it.stacked}):
        item = problem.items.get(key)
        if item is None or key in have or key in problem.excluded:
            continue
        queue.append(item)
        for dep in _depends_on(problem, item):
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
    return seen
