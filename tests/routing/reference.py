"""The stacking problem's meaning, written from its definitions for brute force.

Oracle for the routing tests, never the solver nor :mod:`pathways.routing.problem`'s
own :func:`~pathways.routing.problem.earned`: the sources are CTDL
(``ceterms:ComponentCondition``, "what must be done to complete a PathwayComponent";
``ceterms:requiredNumber``, "number of targetComponent or hasCondition objects that
must be fulfilled"; ``ceterms:Constraint`` with ``compare:LTEQ`` and ``compare:EQ``)
and ePerusteet's ``koko``/``laajuus`` ``minimi``/``maksimi`` (the number and the
credits of the units chosen for a rule), as the module documentation of
:mod:`pathways.routing.problem` states them:

* a condition (all-of: ``required`` = every member; n-of-m; minimum credits or hours;
  maximum count or credits) is satisfied when some selection of its earned targets
  and satisfied nested conditions meets all its bounds at once;
* a credential is earned, from the holdings, when it is taken or stacked (has
  conditions), its prerequisites are earned (a stacked one's co-requisites too), one
  open entry route (if it has any) has all it requires, and its conditions and
  prerequisite conditions are satisfied;
* a set of credentials taken is a route when each is takeable and earned, their
  co-requisites are earned, and one goal alternative is earned;
* its cost is the sum of its members' weights, each plus the delta of the cheapest
  open entry route it uses.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from pathways.routing.problem import Problem

_EPS = 1e-9


def condition_satisfied(p: Problem, key: str, have: set[str]) -> bool:
    """Some selection of the earned members meets every bound of condition ``key``."""
    cond = p.conditions[key]
    candidates = [t for t in cond.targets if t in have]
    candidates += [s for s in cond.subconditions if condition_satisfied(p, s, have)]
    for size in range(len(candidates) + 1):
        if size < cond.required or (cond.max_required is not None and size > cond.max_required):
            continue
        for chosen in itertools.combinations(candidates, size):
            credits = sum(p.items[c].credits for c in chosen if c in p.items)
            hours = sum(p.items[c].hours for c in chosen if c in p.items)
            if cond.min_credits is not None and credits < cond.min_credits - _EPS:
                continue
            if cond.max_credits is not None and credits > cond.max_credits + _EPS:
                continue
            if cond.min_hours is not None and hours < cond.min_hours - _EPS:
                continue
            if cond.max_hours is not None and hours > cond.max_hours + _EPS:
                continue
            return True
    return False


def earned_from(p: Problem, taken: set[str]) -> set[str]:
    """The credentials earned from the holdings and ``taken`` (repeat until stable)."""
    have = set(p.held)
    changed = True
    while changed:
        changed = False
        for key, item in p.items.items():
            if key in have or key in p.excluded or not (key in taken or item.conditions):
                continue
            needs = item.prerequisites + (item.corequisites if item.conditions else ())
            if any(q not in have for q in needs):
                continue
            if item.routes and not any(
                r.available and set(r.requires) <= have for r in item.routes
            ):
                continue
            if all(condition_satisfied(p, c, have) for c in (*item.conditions, *item.requisites)):
                have.add(key)
                changed = True
    return have


def is_route(p: Problem, taken: set[str]) -> bool:
    """Whether taking ``taken`` reaches the goal under the definitions above."""
    if any(k in p.held or k in p.excluded or p.items[k].conditions for k in taken):
        return False
    have = earned_from(p, taken)
    if not taken <= have:
        return False
    if any(q not in have for k in taken for q in p.items[k].corequisites):
        return False
    if p.goal and not any(g in have for g in p.goal):
        return False
    return all(any(c in have for c in group) for group in p.cover)


def cost(p: Problem, taken: set[str]) -> float:
    """The members' weights, each plus the delta of its cheapest usable entry route."""
    have = earned_from(p, taken)
    total = 0.0
    for key in taken:
        item = p.items[key]
        total += item.weight
        usable = [r.delta for r in item.routes if r.available and set(r.requires) <= have]
        if usable:
            total += min(usable)
    return total


def all_routes(p: Problem, takeable: tuple[str, ...]) -> Iterator[frozenset[str]]:
    """Every route among the subsets of ``takeable``."""
    for size in range(len(takeable) + 1):
        for chosen in itertools.combinations(takeable, size):
            if is_route(p, set(chosen)):
                yield frozenset(chosen)
