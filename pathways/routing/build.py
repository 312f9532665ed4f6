"""From a projected graph to a :class:`~pathways.routing.problem.Problem`, and back.

Goals
-----
* a credential (micro-credential, qualification, other): earn it;
* a progression pathway: satisfy its conditions (all its components when it has
  none);
* an occupation: satisfy any one progression pathway whose destination it is; when
  no pathway leads there, cover every essential skill the learner lacks with
  credentials that teach it (skills no credential teaches are reported, not required).

Filters exclude credentials from being *taken*; a credential the learner holds always
counts. A filter on an attribute excludes a credential that states another value, and a
credential that states none, except stacked credentials (awarded, not taken), which are
excluded only when they state another value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from pathways.catalogue.codes import country_iri, language_matches
from pathways.catalogue.lookup import kind_error
from pathways.catalogue.schemes import scheme_named
from pathways.errors import UsageError
from pathways.rdf.iris import shorten
from pathways.routing.holdings import Holdings
from pathways.routing.problem import Condition, Item, Problem, Route, earned

__all__ = [
    "MEASURES",
    "MEASURE_NAMES",
    "Filters",
    "build_problem",
    "children",
    "children_by_kind",
    "condition_of",
    "excluded_credentials",
    "explain_no_route",
]

MEASURES = ("cost", "hours", "credits", "steps", "outcome")
#: What each measure minimises, in words (the CLI's --optimize help, the planner's menu).
MEASURE_NAMES = {
    "cost": "cost (fees, or true cost)",
    "hours": "notional hours",
    "credits": "ECTS-equivalent credits",
    "steps": "number of credentials",
    "outcome": "cost per expected employed completer",
}
#: What a route may lead to.
GOAL_KINDS = ("credential", "pathway", "occupation")


@dataclass(frozen=True)
class Filters:
    """Which credentials may be taken."""

    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    max_eqf: int | None = None
    funding: str | None = None


NO_FILTERS = Filters()


def _weight(data: Mapping[str, object], measure: str) -> float:
    if measure == "steps":
        return 1.0
    value = data.get(measure)
    return float(value) if isinstance(value, int | float) else 0.0


def _scheme(g: nx.DiGraph, name: str) -> dict[str, object]:
    schemes: dict[str, dict[str, object]] = g.graph.get("funding_schemes", {})
    profiles = {iri: _profile(scheme) for iri, scheme in schemes.items()}
    return schemes[scheme_named(profiles, name)]


def _profile(scheme: Mapping[str, object]) -> str | None:
    profile = scheme.get("profile")
    return profile if isinstance(profile, str) else None


def excluded_credentials(
    g: nx.DiGraph, filters: Filters, nodes: Iterable[str] | None = None
) -> dict[str, str]:
    """Credential -> why the filters exclude it.

    >>> g = nx.DiGraph()
    >>> g.add_node("urn:a", kind="credential", countries=(country_iri("ESP"),), languages=(),
    ...            providers=(), eqf=4, hours=10.0)
    >>> excluded_credentials(g, Filters(countries=("FIN",), max_eqf=3))
    {'urn:a': 'excluded by countries=FIN (it is offered in ESP)'}
    """
    countries = tuple(country_iri(c) for c in filters.countries)
    scheme = _scheme(g, filters.funding) if filters.funding else None
    out: dict[str, str] = {}
    if not (countries or filters.languages or filters.providers or filters.max_eqf or scheme):
        return out
    for node in sorted(g) if nodes is None else sorted(nodes):
        data = g.nodes[node]
        if data.get("kind") != "credential":
            continue
        stacked = any(d.get("kind") == "condition" for d in g.succ[node].values())
        reason = _why_excluded(data, filters, countries, scheme, stacked)
        if reason:
            out[node] = reason
    return out


def _matches(option: str, wanted: str, stated: str) -> bool:
    return language_matches(wanted, stated) if option == "languages" else wanted == stated


def _short(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _why_excluded(
    data: Mapping[str, object],
    filters: Filters,
    countries: tuple[str, ...],
    scheme: Mapping[str, object] | None,
    stacked: bool,
) -> str | None:
    checks = (
        ("countries", countries, data.get("countries") or ()),
        ("languages", filters.languages, data.get("languages") or ()),
        ("providers", filters.providers, data.get("providers") or ()),
    )
    for option, wanted, stated in checks:
        if not wanted or any(_matches(option, w, str(v)) for v in stated for w in wanted):  # type: ignore[attr-defined]
            continue
        if stated:
            shown = ", ".join(_short(str(v)) for v in stated)  # type: ignore[attr-defined]
            wanted_text = ", ".join(_short(w) for w in wanted)
            return f"excluded by {option}={wanted_text} (it is offered in {shown})"
        if not stacked:
            return f"excluded by {option}: it states none"
    eqf = data.get("eqf")
    if filters.max_eqf is not None and isinstance(eqf, int) and eqf > filters.max_eqf:
        return f"excluded by max_eqf={filters.max_eqf} (EQF {eqf})"
    if scheme is not None and not stacked:
        return _funding_reason(data, scheme, str(filters.funding))
    return None


def _funding_reason(
    data: Mapping[str, object], scheme: Mapping[str, object], name: str
) -> str | None:
    hours, eqf = data.get("hours"), data.get("eqf")
    low, high = scheme.get("min_hours"), scheme.get("max_hours")
    if isinstance(low, float) and (not isinstance(hours, float) or hours < low):
        return f"not eligible under {name}: needs at least {low:g} hours (has {hours})"
    if isinstance(high, float) and isinstance(hours, float) and hours > high:
        return f"not eligible under {name}: at most {high:g} hours (has {hours:g})"
    lo_eqf, hi_eqf = scheme.get("min_eqf"), scheme.get("max_eqf")
    if isinstance(lo_eqf, float) and (not isinstance(eqf, int) or eqf < lo_eqf):
        return f"not eligible under {name}: EQF {lo_eqf:g} or above (has {eqf})"
    if isinstance(hi_eqf, float) and isinstance(eqf, int) and eqf > hi_eqf:
        return f"not eligible under {name}: EQF {hi_eqf:g} or below (has {eqf})"
    countries: tuple[str, ...] = scheme.get("countries") or ()  # type: ignore[assignment]
    stated: tuple[str, ...] = data.get("countries") or ()  # type: ignore[assignment]
    if countries and not any(c in countries for c in stated):
        return f"not eligible under {name}: offered outside the scheme's countries"
    return None


def _successors(g: nx.DiGraph, node: str) -> dict[str, dict[str, Any]]:
    """The successors of ``node`` with their edge data: the graph's own adjacency dict
    (``g._succ``, which NetworkX's algorithms read too), not the read-only view
    ``g.succ[node]``, whose ``items()`` costs a lookup per edge; read, never written."""
    successors: dict[str, dict[str, Any]] = g._succ[node]
    return successors


def children(g: nx.DiGraph, node: str, kind: str) -> tuple[str, ...]:
    """The successors of ``node`` along edges of ``kind``, sorted."""
    return tuple(sorted(v for v, data in _successors(g, node).items() if data.get("kind") == kind))


def children_by_kind(g: nx.DiGraph, node: str) -> dict[str, tuple[str, ...]]:
    """The successors of ``node`` per edge kind, each sorted (one pass over the edges;
    :func:`children` for one kind)."""
    found: dict[str, list[str]] = {}
    for v, edge in _successors(g, node).items():
        found.setdefault(edge.get("kind", ""), []).append(v)
    return {kind: tuple(sorted(vs)) for kind, vs in found.items()}


def _item(g: nx.DiGraph, node: str, measure: str, holdings: Holdings) -> Item:
    data = g.nodes[node]
    routes = []
    own_hours = data.get("hours")
    mine = children_by_kind(g, node)
    for r in mine.get("entry", ()):
        needs = children(g, r, "recognises")
        missing = tuple(p for p in needs if p not in holdings.prior_learning)
        route_hours = g.nodes[r].get("hours")
        delta = 0.0
        if measure == "hours" and route_hours is not None:
            delta = float(route_hours) - float(own_hours or 0.0)
        routes.append(
            Route(r, children(g, r, "requires"), not missing, missing, delta, route_hours)
        )
    conditions = mine.get("condition", ())
    if data.get("kind") == "pathway" and not conditions:
        conditions = ("implicit:" + node,)
    return Item(
        node,
        0.0 if conditions else _weight(data, measure),
        prerequisites=mine.get("prerequisite", ()),
        corequisites=mine.get("corequisite", ()),
        routes=tuple(routes),
        conditions=conditions,
        hours=float(data.get("hours") or 0.0),
        credits=float(data.get("credits") or 0.0),
        requisites=mine.get("prerequisite-condition", ()),
    )


def condition_of(g: nx.DiGraph, node: str) -> Condition:
    """The projection's condition node ``node`` as a :class:`Condition`."""
    data = g.nodes[node]
    return Condition(
        node,
        children(g, node, "target"),
        children(g, node, "subcondition"),
        int(data.get("required", 0)),
        data.get("min_hours"),
        data.get("min_credits"),
        data.get("max_required"),
        data.get("max_hours"),
        data.get("max_credits"),
    )


def recognised(g: nx.DiGraph, holdings: Holdings) -> set[str]:
    """Credentials the learner's prior learning earns by recognition (RPL)."""
    return {
        u
        for p in holdings.prior_learning
        if p in g
        for u, data in g.pred[p].items()
        if data.get("kind") == "recognition"
    }


def build_problem(
    g: nx.DiGraph,
    goal: str,
    holdings: Holdings,
    measure: str = "cost",
    filters: Filters = NO_FILTERS,
    *,
    skills_only: bool = False,
) -> tuple[Problem, tuple[str, ...]]:
    """The problem for reaching ``goal``, and the essential skills left uncoverable.

    Raises :class:`~pathways.errors.NotFoundError` for a goal the graph does not know
    (with the nearest it does), :class:`UsageError` for a goal of another kind or an
    unknown measure.
    """
    if measure not in MEASURES:
        raise UsageError(f"unknown measure {measure!r}", hint="use " + ", ".join(MEASURES))
    error = kind_error(
        None, g, goal, GOAL_KINDS, "route to a credential, a progression pathway or an occupation"
    )
    if error is not None:
        raise error
    kind = g.nodes[goal]["kind"]
    held = frozenset(holdings.credentials | recognised(g, holdings))
    uncoverable: tuple[str, ...] = ()
    cover: tuple[tuple[str, ...], ...] = ()
    if kind in ("credential", "pathway"):
        goals: tuple[str, ...] = (goal,)
    else:  # an occupation
        goals = tuple(sorted(u for u, _, k in g.in_edges(goal, data="kind") if k == "destination"))
        if skills_only:
            goals = ()
        if not goals:
            cover, uncoverable = skill_cover_groups(g, goal, holdings)
    nodes = _closure(g, [*goals, *(c for group in cover for c in group)], held)
    items: dict[str, Item] = {}
    conditions: dict[str, Condition] = {}
    for node in sorted(nodes):
        k = g.nodes[node]["kind"]
        if k in ("credential", "pathway"):
            items[node] = _item(g, node, measure, holdings)
            if k == "pathway" and ("implicit:" + node) in items[node].conditions:
                comps = children(g, node, "component")
                conditions["implicit:" + node] = Condition(
                    "implicit:" + node, comps, (), len(comps)
                )
        elif k == "condition":
            conditions[node] = condition_of(g, node)
    excluded = excluded_credentials(g, filters, nodes)
    return Problem(items, goals, conditions, held, excluded, cover), uncoverable


_FOLLOW = frozenset(
    {
        "prerequisite",
        "corequisite",
        "entry",
        "requires",
        "condition",
        "prerequisite-condition",
        "target",
        "subcondition",
    }
)


def _closure(g: nx.DiGraph, starts: list[str], held: frozenset[str]) -> set[str]:
    """Nodes the starts can depend on (not looking past held credentials)."""
    seen: set[str] = set()
    stack = [s for s in starts if s in g]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if node in held:
            continue
        kinds = [(v, data.get("kind")) for v, data in _successors(g, node).items()]
        if g.nodes[node]["kind"] == "pathway" and not any(k == "condition" for _, k in kinds):
            stack.extend(v for v, k in kinds if k == "component")
        stack.extend(v for v, k in kinds if k in _FOLLOW)
    return seen


def learner_skills(g: nx.DiGraph, holdings: Holdings) -> set[str]:
    """Skills held directly or taught by a held credential."""
    skills = set(holdings.skills)
    for c in holdings.credentials:
        if c in g:
            skills.update(children(g, c, "teaches"))
    return skills


def skill_cover_groups(
    g: nx.DiGraph, occupation: str, holdings: Holdings
) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """For each essential skill missing: the credentials teaching it; and those none teach."""
    have = learner_skills(g, holdings)
    groups, uncoverable = [], []
    for skill in children(g, occupation, "essential"):
        if skill in have:
            continue
        teachers = tuple(sorted(u for u, _, k in g.in_edges(skill, data="kind") if k == "teaches"))
        if teachers:
            groups.append(teachers)
        else:
            uncoverable.append(skill)
    return tuple(groups), tuple(uncoverable)


def explain_no_route(problem: Problem, g: nx.DiGraph, limit: int = 12) -> tuple[str, ...]:
    """Why no valid route exists: the first unmeetable requirement on each branch."""
    reach = earned(problem, (k for k in problem.items if problem.takeable(k)))
    reasons: list[str] = []
    seen: set[str] = set()

    def label(key: str) -> str:
        return str(g.nodes[key].get("label", key)) if key in g else key

    def why(key: str, depth: int) -> None:
        if key in seen or len(reasons) >= limit or depth > 12:
            return
        seen.add(key)
        if key in problem.conditions:
            c = problem.conditions[key]
            ok = sum(t in reach for t in c.targets) + sum(
                s in reach or s not in problem.conditions for s in c.subconditions
            )
            if ok < c.required:
                reasons.append(
                    f"condition {label(key)} needs {c.required} of "
                    f"{len(c.targets) + len(c.subconditions)}; only {ok} can be met"
                )
            elif c.bounded:
                reasons.append(
                    f"condition {label(key)}: no selection of the components that can be "
                    "earned meets its minimum and maximum (count, hours or credits) at once"
                )
            elif c.min_hours or c.min_credits:
                reasons.append(f"condition {label(key)}: its hour or credit minimum cannot be met")
            for t in (*c.targets, *c.subconditions):
                if t not in reach:
                    why(t, depth + 1)
            return
        item = problem.items.get(key)
        if item is None:
            reasons.append(f"{key} is referenced but not described in the data")
            return
        if key in problem.excluded:
            reasons.append(f"{label(key)} ({shorten(key)}) is {problem.excluded[key]}")
            return
        for p in (*item.prerequisites, *item.corequisites):
            if p not in reach:
                reasons.append(f"{label(key)} requires {label(p)}, which cannot be earned")
                why(p, depth + 1)
        if item.routes and not any(
            r.available and all(q in reach for q in r.requires) for r in item.routes
        ):
            for r in item.routes:
                if not r.available:
                    missing = ", ".join(label(m) for m in r.missing)
                    reasons.append(f"entry route {label(r.key)} of {label(key)} needs {missing}")
                for q in r.requires:
                    if q not in reach:
                        why(q, depth + 1)
        for ckey in (*item.conditions, *item.requisites):
            why(ckey, depth + 1)

    for goal in problem.goal:
        why(goal, 0)
    for group in problem.cover:
        if not any(c in reach for c in group):
            for c in group:
                why(c, 0)
    if not reasons:
        reasons.append("a requirement cycle in the data makes the goal unreachable")
    return tuple(dict.fromkeys(reasons))
