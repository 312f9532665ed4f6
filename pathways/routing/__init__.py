"""Routes to a credential, pathway or occupation: exact, filtered, scheduled.

:func:`plan_route` is the entry point: it builds the stacking problem for the goal
(:mod:`pathways.routing.build`), solves it exactly (:mod:`pathways.routing.solver`),
orders the answer into terms (:mod:`pathways.routing.schedule`) and returns a
:class:`RoutePlan`. Totals: cost (pw:fee amounts), hours (pw:notionalHours), credits
(ECTS-equivalent) and steps (credentials taken) are summed over the credentials
*taken*; a credential awarded by stacking adds nothing itself (its components carry
the workload). Missing values count as 0 and are noted.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from pathways.errors import NoRouteError
from pathways.rdf.iris import shorten
from pathways.routing.build import (
    MEASURE_NAMES,
    MEASURES,
    NO_FILTERS,
    Filters,
    build_problem,
    explain_no_route,
)
from pathways.routing.filters import checked_filters
from pathways.routing.holdings import NO_HOLDINGS, Holdings
from pathways.routing.problem import Problem, earned, route_used
from pathways.routing.schedule import schedule
from pathways.routing.solver import best_routes

__all__ = [
    "MEASURES",
    "MEASURE_NAMES",
    "Filters",
    "RouteOption",
    "RoutePlan",
    "RouteStep",
    "plan_route",
]


@dataclass(frozen=True)
class RouteStep:
    """One credential of a route: taken in ``term``, or awarded by stacking."""

    iri: str
    label: str
    term: int
    stacked: bool
    cost: float | None
    hours: float | None
    credits: float | None


@dataclass(frozen=True)
class RouteOption:
    """One route: its credentials in term order and its totals."""

    steps: tuple[RouteStep, ...]
    totals: dict[str, float]
    currency: str | None


@dataclass(frozen=True)
class RoutePlan:
    """The best route and the alternatives, with what was excluded and why."""

    goal: str
    goal_label: str
    optimize: str
    best: RouteOption
    alternatives: tuple[RouteOption, ...]
    held: tuple[str, ...]
    recognised: tuple[str, ...]
    expired: tuple[tuple[str, str], ...]
    excluded: dict[str, str]
    uncoverable: tuple[str, ...]
    notes: tuple[str, ...]


def _option(
    g: nx.DiGraph, problem: Problem, taken: tuple[str, ...], term_hours: float | None
) -> tuple[RouteOption, tuple[str, ...]]:
    plan = schedule(problem, taken, term_hours)
    taken_set = set(taken)
    have = earned(problem, taken)
    hours_of = {}
    for key in taken:
        route = route_used(problem, key, have) if problem.items[key].routes else None
        own = g.nodes[key].get("hours")
        hours_of[key] = route.hours if route is not None and route.hours is not None else own
    steps = []
    for key, term in plan.terms.items():
        data = g.nodes[key] if key in g else {}
        stacked = key not in taken_set
        if stacked and data.get("kind") == "pathway":
            continue
        steps.append(
            RouteStep(
                key,
                str(data.get("label", key)),
                term,
                stacked,
                None if stacked else data.get("cost"),
                None if stacked else hours_of.get(key),
                None if stacked else data.get("credits"),
            )
        )
    steps.sort(key=lambda s: (s.term, s.stacked, s.label, s.iri))
    taken_data = [g.nodes[k] for k in taken]
    totals = {
        "cost": sum(float(d.get("cost") or 0.0) for d in taken_data),
        "hours": sum(float(hours_of.get(k) or 0.0) for k in taken),
        "credits": round(sum(float(d.get("credits") or 0.0) for d in taken_data), 6),
        "steps": float(len(taken)),
    }
    if any("outcome" in d for d in taken_data):
        totals["outcome"] = round(sum(float(d.get("outcome") or 0.0) for d in taken_data), 2)
    currencies = sorted({str(d["currency"]) for d in taken_data if d.get("currency")})
    notes = list(plan.notes)
    for attr, what in (("cost", "a published fee"), ("hours", "notional hours")):
        missing = [k for k in taken if g.nodes[k].get(attr) is None]
        if missing:
            notes.append(f"{len(missing)} credential(s) without {what} counted as 0")
    if len(currencies) > 1:
        notes.append(
            "fees in several currencies (" + ", ".join(currencies) + "): no sum is meaningful"
        )
    return RouteOption(
        tuple(steps), totals, currencies[0] if len(currencies) == 1 else None
    ), tuple(notes)


def plan_route(
    g: nx.DiGraph,
    goal: str,
    holdings: Holdings = NO_HOLDINGS,
    optimize: str = "cost",
    alternatives: int = 1,
    filters: Filters = NO_FILTERS,
    term_hours: float | None = None,
) -> RoutePlan:
    """The optimal route to ``goal`` (and up to ``alternatives - 1`` more).

    Raises
    ------
    NoRouteError
        When no set of credentials reaches the goal; ``reasons`` names the conditions
        that cannot be met.
    UsageError, NotFoundError
        For a filter value that is malformed or that no credential states
        (:func:`~pathways.routing.filters.checked_filters`).

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> for n, cost in (("urn:a", 100.0), ("urn:b", 50.0)):
    ...     g.add_node(n, kind="credential", label=n[4:], cost=cost, hours=10.0,
    ...                credits=None, currency="EUR", countries=(), languages=(),
    ...                providers=(), eqf=None)
    >>> g.add_edge("urn:b", "urn:a", kind="prerequisite")
    >>> plan = plan_route(g, "urn:b")
    >>> [(s.label, s.term) for s in plan.best.steps], plan.best.totals["cost"]
    ([('a', 1), ('b', 2)], 150.0)
    """
    filters = checked_filters(g, filters)
    problem, uncoverable = build_problem(g, goal, holdings, optimize, filters)
    solutions = best_routes(problem, max(1, alternatives))
    if not solutions:
        reasons = explain_no_route(problem, g)
        if not problem.goal and not problem.cover and uncoverable:
            reasons = tuple(f"no credential teaches essential skill {s}" for s in uncoverable)
        raise NoRouteError(f"no route to {shorten(goal)}", reasons=reasons)
    options = []
    notes: list[str] = []
    for solution in solutions:
        option, option_notes = _option(g, problem, solution.taken, term_hours)
        options.append(option)
        if not notes:
            notes.extend(option_notes)
    if uncoverable:
        notes.append(
            f"{len(uncoverable)} essential skill(s) no credential teaches (see 'uncoverable')"
        )
    if not problem.goal and problem.cover:
        notes.append(
            "no progression pathway leads to this occupation: its essential skills are covered"
        )
    relevant = set(earned(problem, ())) | set(problem.items)
    excluded = {k: v for k, v in sorted(problem.excluded.items()) if k in relevant}
    held_keys = set(holdings.credentials)
    recognised = tuple(sorted(k for k in problem.held - held_keys))
    return RoutePlan(
        goal=goal,
        goal_label=str(g.nodes[goal].get("label", goal)),
        optimize=optimize,
        best=options[0],
        alternatives=tuple(options[1:]),
        held=tuple(sorted(held_keys)),
        recognised=recognised,
        expired=holdings.expired,
        excluded=excluded,
        uncoverable=uncoverable,
        notes=tuple(notes),
    )
