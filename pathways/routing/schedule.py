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

from dataclasses import dataclass

import networkx as nx

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
    order = nx.DiGraph()
    order.add_nodes_from(range(len(groups)))
    needs_of: list[set[str]] = []
    for i, group in enumerate(groups):
        needs = set().union(*(_needs(problem, k, have) for k in group)) - set(group)
        needs &= owner.keys()
        needs_of.append(needs)
        order.add_edges_from((owner[n], i) for n in needs if owner[n] != i)
    try:
        sequence = list(nx.lexicographical_topological_sort(order))
    except nx.NetworkXUnfeasible:  # cannot happen for a valid route
        sequence = list(range(len(groups)))
    for i in sequence:
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
