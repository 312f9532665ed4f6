"""Skill gaps against an occupation, and the cheapest credentials that close them.

The essential and optional ESCO skills of the occupation that the learner lacks (not
held with pw:holdsSkill and not taught by a held credential) are listed. The
credentials to take are a weighted set cover of the missing essential skills, where a
credential covers the skills its outcomes align to and **costs its own weight plus
whatever it needs first** (prerequisites, an entry route, counted once when shared):

* exact (the integer program of :mod:`pathways.routing.solver`) when the candidate
  credentials and their requirements number at most ``EXACT_LIMIT`` (3,000);
* otherwise greedy: repeatedly take the credential with the lowest cost per newly
  covered skill, its cost being its weight plus its prerequisite closure (any open
  entry route; for a prerequisite condition, its cheapest targets until it is met).
  For weighted set cover with closure costs the greedy answer is within a factor
  H(m) <= ln(m) + 1 of the optimum, m the number of skills to cover; the output states
  this bound (it assumes AND-only closures: a prerequisite condition with a choice of
  targets is priced by its cheapest targets, a heuristic).

Skills no available credential teaches are reported as uncoverable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx

from pathways.routing.build import (
    NO_FILTERS,
    Filters,
    build_problem,
    learner_skills,
)
from pathways.routing.filters import checked_filters
from pathways.routing.holdings import NO_HOLDINGS, Holdings
from pathways.routing.problem import (
    Problem,
    condition_met,
    earned,
    is_valid,
    requirement_closure,
)
from pathways.routing.solver import best_routes

__all__ = ["EXACT_LIMIT", "GapReport", "skill_gap"]

EXACT_LIMIT = 3000


@dataclass(frozen=True)
class GapReport:
    """Missing skills, the covering credentials, and how good the cover is."""

    occupation: str
    missing_essential: tuple[str, ...]
    missing_optional: tuple[str, ...]
    credentials: tuple[str, ...]
    weight: float
    optimize: str
    method: str
    bound: str
    uncoverable: tuple[str, ...]


def _closure_cost(
    problem: Problem, key: str, have: set[str], visiting: frozenset[str] = frozenset()
) -> tuple[float, set[str]]:
    """Weight of ``key`` plus its AND-prerequisites, first open route and, for each
    prerequisite condition not yet met, its cheapest targets until it is, not yet had."""
    need: set[str] = set()
    stack = [key]
    while stack:
        k = stack.pop()
        if k in need or k in have:
            continue
        item = problem.items.get(k)
        if item is None or not problem.takeable(k) or k in visiting:
            return math.inf, set()
        need.add(k)
        stack.extend(item.prerequisites + item.corequisites)
        open_routes = [r for r in item.routes if r.available]
        if item.routes and not open_routes:
            return math.inf, set()
        if open_routes:
            stack.extend(open_routes[0].requires)
    for k in sorted(need):
        for c in problem.items[k].requisites:
            cond = problem.conditions.get(c)
            if cond is None:
                return math.inf, set()
            for t in sorted(
                cond.targets,
                key=lambda t: (problem.items[t].weight, t) if t in problem.items else (math.inf, t),
            ):
                if condition_met(problem, c, earned(problem, have | need)):
                    break
                cost, more = _closure_cost(problem, t, have | need, visiting | {k})
                if cost < math.inf:
                    need |= more
            if not condition_met(problem, c, earned(problem, have | need)):
                return math.inf, set()
    return sum(problem.items[k].weight for k in need), need


def _greedy(problem: Problem) -> tuple[set[str], tuple[tuple[str, ...], ...]]:
    taken: set[str] = set()
    have = set(problem.held)
    left = [g for g in problem.cover if not any(c in have for c in g)]
    while left:
        best: tuple[float, str, set[str]] | None = None
        candidates = sorted({c for g in left for c in g})
        for c in candidates:
            cost, need = _closure_cost(problem, c, have)
            gain = sum(1 for g in left if c in g)
            if gain and cost < math.inf:
                ratio = cost / gain
                if best is None or (ratio, c) < (best[0], best[1]):
                    best = (ratio, c, need)
        if best is None:
            break
        taken |= best[2]
        have = earned(problem, taken)
        left = [g for g in left if not any(c in have for c in g)]
    return taken, tuple(left)


def skill_gap(
    g: nx.DiGraph,
    occupation: str,
    holdings: Holdings = NO_HOLDINGS,
    optimize: str = "cost",
    filters: Filters = NO_FILTERS,
    exact_limit: int = EXACT_LIMIT,
) -> GapReport:
    """Missing skills of ``occupation`` and the cheapest cover of the essential ones.

    Raises :class:`~pathways.errors.UsageError` or :class:`~pathways.errors.NotFoundError`
    for a filter value that is malformed or that no credential states
    (:func:`~pathways.routing.filters.checked_filters`).

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_node("urn:o", kind="occupation", label="o")
    >>> for s in ("urn:s1", "urn:s2", "urn:s3"):
    ...     g.add_node(s, kind="skill", label=s)
    ...     g.add_edge("urn:o", s, kind="essential")
    >>> for c, cost, skills in (("urn:a", 10.0, ("urn:s1", "urn:s2")), ("urn:b", 4.0, ("urn:s1",)),
    ...                         ("urn:c", 4.0, ("urn:s2",))):
    ...     g.add_node(c, kind="credential", label=c, cost=cost, countries=(), languages=(),
    ...                providers=(), eqf=None, hours=None)
    ...     for s in skills:
    ...         g.add_edge(c, s, kind="teaches")
    >>> r = skill_gap(g, "urn:o")
    >>> r.credentials, r.weight, r.uncoverable, r.method
    (('urn:b', 'urn:c'), 8.0, ('urn:s3',), 'exact')
    """
    filters = checked_filters(g, filters)
    have = learner_skills(g, holdings)
    essential = sorted(v for _, v, k in g.out_edges(occupation, data="kind") if k == "essential")
    optional = sorted(v for _, v, k in g.out_edges(occupation, data="kind") if k == "optional")
    problem, uncoverable = build_problem(
        g, occupation, holdings, optimize, filters, skills_only=True
    )
    reach = earned(problem, (k for k in problem.items if problem.takeable(k)))
    coverable = tuple(grp for grp in problem.cover if any(c in reach for c in grp))
    lost = [
        s
        for s in essential
        if s not in have and s not in uncoverable and not any(u in reach for u in g.predecessors(s))
    ]
    problem = Problem(
        problem.items, (), problem.conditions, problem.held, problem.excluded, coverable
    )
    size = len(requirement_closure(problem))
    if exact_limit > 0 and size <= exact_limit:
        solutions = best_routes(problem, 1)
        taken = set(solutions[0].taken) if solutions else set()
        method, bound = "exact", "optimal"
    else:
        taken, _ = _greedy(problem)
        m = len(coverable)
        method = "greedy"
        bound = f"within H({m}) <= {math.log(m) + 1 if m else 1:.2f} x the optimum"
    if coverable and not is_valid(problem, taken):  # the solver re-checks; never expected
        raise RuntimeError("internal error: the skill cover is not a valid route")
    weight = sum(problem.items[k].weight for k in taken)
    return GapReport(
        occupation=occupation,
        missing_essential=tuple(s for s in essential if s not in have),
        missing_optional=tuple(s for s in optional if s not in have),
        credentials=tuple(sorted(taken)),
        weight=weight,
        optimize=optimize,
        method=method,
        bound=bound,
        uncoverable=tuple(sorted({*uncoverable, *lost})),
    )
