"""Ordering a route into terms: requirements in earlier terms, a workload cap per term.

Prerequisites, the requirements of the entry route used, the components counted by its
prerequisite conditions and (for a credential awarded by stacking) its components come
in an earlier term; co-requisites in the same term
(they are placed together). With ``term_hours``, each term holds at most that many
notional hours (first fit over the earliest allowed term); a group larger than the cap
gets a term of its own, with a note. A stacked credential is awarded in the term its
last counted component ends.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from pathways.routing.problem import Problem, earned, route_used

__all__ = ["Schedule", "schedule"]


@dataclass(frozen=True)
class Schedule:
    """Term (1-based) of every credential taken or awarded; notes on over-size groups."""

    terms: dict[str, int]
    notes: tuple[str, ...] = ()


def _needs(problem: Problem, key: str, have: set[str]) -> set[str]:
    item = problem.items[key]
    needs = set(item.prerequisites)
    for route in item.routes:
        if route.available and all(q in have for q in route.requires):
            needs.update(route.requires)
            break
    for ckey in (*item.conditions, *item.requisites):
        stack = [ckey]
        while stack:
            cond = problem.conditions.get(stack.pop())
            if cond is not None:
                needs.update(t for t in cond.targets if t in have)
                stack.extend(cond.subconditions)
    return needs - problem.held


def schedule(problem: Problem, taken: tuple[str, ...], term_hours: float | None = None) -> Schedule:
    """Terms for a valid route ``taken``.

    >>> from pathways.routing.problem import Item
    >>> p = Problem(items={"a": Item("a", hours=30.0), "b": Item("b", prerequisites=("a",)),
    ...                    "c": Item("c", hours=30.0)}, goal=("b",))
    >>> schedule(p, ("a", "b", "c"), term_hours=40).terms
    {'a': 1, 'b': 2, 'c': 2}
    """
    have = earned(problem, taken)
    chosen = set(taken)
    stacked = {k for k in have - problem.held - chosen if k in problem.items}
    placed: dict[str, int] = {}
    load: dict[int, float] = {}
    notes: list[str] = []
    groups = [*_coreq_groups(problem, sorted(chosen)), *([k] for k in sorted(stacked))]
    owner = {k: i for i, group in enumerate(groups) for k in group}
    needs_of: list[set[str]] = []
    after: list[set[int]] = [set() for _ in groups]  # group -> the groups that need it
    for i, group in enumerate(groups):
        needs = set().union(*(_needs(problem, k, have) for k in group)) - set(group)
        needs &= owner.keys()
        needs_of.append(needs)
        for n in needs:
            if owner[n] != i:
                after[owner[n]].add(i)
    for i in _in_order(after):
        group, needs = groups[i], needs_of[i]
        if group[0] in stacked:
            placed[group[0]] = max((placed.get(n, 0) for n in needs), default=0)
            continue
        term = max((placed.get(n, 0) + 1 for n in needs), default=1)
        hours = sum(_hours(problem, k, have) for k in group)
        if term_hours is not None:
            if hours > term_hours:
                while load.get(term, 0.0) > 0:
                    term += 1
                notes.append(
                    f"{', '.join(group)} ({hours:g} h) exceeds term_hours={term_hours:g}: "
                    "a term of its own"
                )
            else:
                while load.get(term, 0.0) + hours > term_hours + 1e-9:
                    term += 1
        load[term] = load.get(term, 0.0) + hours
        for k in group:
            placed[k] = term
    return Schedule(dict(sorted(placed.items())), tuple(notes))


def _in_order(after: list[set[int]]) -> list[int]:
    """The groups in the lexicographically least order that puts every group after the
    ones it needs (Kahn's algorithm with a heap: the order of NetworkX's
    ``lexicographical_topological_sort``); in index order should there be a cycle,
    which a valid route cannot have.

    >>> _in_order([{2}, set(), {1}])
    [0, 2, 1]
    """
    waiting = [0] * len(after)
    for successors in after:
        for j in successors:
            waiting[j] += 1
    ready = [i for i, n in enumerate(waiting) if n == 0]
    heapq.heapify(ready)
    sequence = []
    while ready:
        i = heapq.heappop(ready)
        sequence.append(i)
        for j in after[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                heapq.heappush(ready, j)
    return sequence if len(sequence) == len(after) else list(range(len(after)))


def _hours(problem: Problem, key: str, have: set[str]) -> float:
    route = route_used(problem, key, have) if problem.items[key].routes else None
    if route is not None and route.hours is not None:
        return float(route.hours)
    return problem.items[key].hours


def _coreq_groups(problem: Problem, keys: list[str]) -> list[list[str]]:
    parent = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for k in keys:
        for q in problem.items[k].corequisites:
            if q in parent:
                parent[find(q)] = find(k)
    groups: dict[str, list[str]] = {}
    for k in keys:
        groups.setdefault(find(k), []).append(k)
    return sorted(groups.values())
