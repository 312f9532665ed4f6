"""The route planner with its what-if (``/route``) and the occupation page
(``/occupation?iri=``), each with its JSON twin.

======================  ====================================================================
part of the page        read by (as the command line)
======================  ====================================================================
goal, holdings checked  :mod:`pathways.routing.requests` (``route``, ``/api/route``)
filters                 :func:`pathways.routing.filters.checked_filters` (``route --country``)
the route, no route     :func:`pathways.routing.plan_route`, rendered by
                        :func:`pathways.routing.render.to_json` / ``no_route_json``
what-if progress        :func:`pathways.routing.audit.stack_audit` (``stack --add``)
holdings file           :func:`pathways.web.uploads.read_holdings_upload` (``--holding``)
cost basis, outcome     :func:`pathways.economics.route_weights.economic_weights`
occupation skills, gap  :func:`pathways.routing.gaps.skill_gap` (``pathways gap``)
======================  ====================================================================

The planner is a GET form, so a plan is a URL; a holdings file is POSTed (multipart)
and answered with the same page, whose links carry the holdings read from it.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

import networkx as nx
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from pathways.economics.costs import DEFAULT_COHORT, DEFAULT_YEARS, Horizon
from pathways.economics.route_weights import COST_BASES
from pathways.errors import NoRouteError, UsageError
from pathways.rdf.iris import shorten
from pathways.routing import MEASURE_NAMES, MEASURES, Filters, plan_route
from pathways.routing.audit import stack_audit
from pathways.routing.filters import checked_filters
from pathways.routing.gaps import skill_gap
from pathways.routing.holdings import Award, Holdings
from pathways.routing.render import no_route_json, route_document
from pathways.routing.requests import GOALS, check_kind, checked_holdings, route_context
from pathways.web.api import parse_date
from pathways.web.facts import projection
from pathways.web.settings import Explorer
from pathways.web.uploads import Upload, read_holdings_upload, safe_name
from pathways.web.views import (
    explorer_of,
    full_iri,
    label_of,
    render,
    weighted_projection,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_LISTS = ("from", "add", "remove", "country", "language", "provider")
#: The single-valued fields of the form, in the order the page's links carry them.
_FIELDS = (
    "to",
    "optimize",
    "cost_basis",
    "cohort",
    "years",
    "on",
    "alternatives",
    "max_eqf",
    "term_hours",
    "funding",
)


def _options(g: nx.DiGraph, kinds: tuple[str, ...]) -> list[dict[str, str]]:
    found = [
        {"iri": n, "label": label_of(g, n), "kind": str(k)}
        for n, k in g.nodes(data="kind")
        if k in kinds and (k != "credential" or g.nodes[n].get("declared", True))
    ]
    seen = Counter(o["label"] for o in found)
    for o in found:  # two credentials of one title: say which is which
        if seen[o["label"]] > 1:
            o["label"] = f"{o['label']} ({shorten(o['iri'])})"
    return sorted(found, key=lambda o: (o["label"].casefold(), o["iri"]))


def _number(text: str, name: str, low: float, high: float | None = None) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{name} must be a number, not {text!r}") from None
    if value < low or (high is not None and value > high):
        span = f"from {low:g} to {high:g}" if high is not None else f"at least {low:g}"
        raise UsageError(f"{name} must be {span}, not {text!r}")
    return value


def _asked(params: dict[str, list[str]]) -> dict[str, Any]:
    """The form's values, checked as the CLI checks its options."""

    def one(name: str, default: str = "") -> str:
        values = [v for v in params.get(name, []) if v.strip()]
        return values[-1].strip() if values else default

    optimize = one("optimize", "cost")
    if optimize not in MEASURES:
        raise UsageError(f"optimize must be one of {', '.join(MEASURES)}, not {optimize!r}")
    cost_basis = one("cost_basis", "fee")
    if cost_basis not in COST_BASES:
        raise UsageError(f"cost_basis must be one of {', '.join(COST_BASES)}, not {cost_basis!r}")
    cohort = _number(one("cohort", str(DEFAULT_COHORT)), "cohort", 1, 100_000)
    years = _number(one("years", str(DEFAULT_YEARS)), "years", 1, 100)
    on = one("on")
    parse_date(on or None, "on")
    alternatives = _number(one("alternatives", "1"), "alternatives", 1, 50)
    max_eqf = _number(one("max_eqf"), "max_eqf", 1, 8)
    term_hours = _number(one("term_hours"), "term_hours", 0.001)
    asked: dict[str, Any] = {
        name: list(dict.fromkeys(v.strip() for v in params.get(name, []) if v.strip()))
        for name in _LISTS
    }
    asked.update(
        to=one("to"),
        optimize=optimize,
        cost_basis=cost_basis,
        cohort=int(cohort or DEFAULT_COHORT),
        years=int(years or DEFAULT_YEARS),
        on=on,
        alternatives=int(alternatives or 1),
        max_eqf=None if max_eqf is None else int(max_eqf),
        term_hours=term_hours,
        funding=one("funding") or None,
    )
    return asked


def _query_pairs(asked: dict[str, Any]) -> list[tuple[str, str]]:
    """The form's state as query pairs (the links of the page keep it); a horizon is
    carried only with the true cost basis, which is all it changes."""
    pairs = [(name, v) for name in _LISTS for v in asked[name]]
    for name in _FIELDS:
        value = asked[name]
        if name in ("cohort", "years") and asked["cost_basis"] != "true":
            continue
        if value is not None and value != "":
            pairs.append((name, f"{value:g}" if isinstance(value, float) else str(value)))
    return pairs


def _progress_json(g: nx.DiGraph, report: Any) -> list[dict[str, Any]]:
    rows = []
    for r in report:
        row = dataclasses.asdict(r)
        row["labels"] = {
            i: label_of(g, i) for c in r.conditions for i in _named_in(dataclasses.asdict(c))
        }
        rows.append(row)
    return rows


def _named_in(condition: dict[str, Any]) -> set[str]:
    found = {*condition["earned"], *condition["missing"]}
    for sub in condition["subconditions"]:
        found |= _named_in(sub)
    return found


def planner_view(
    ex: Explorer, params: dict[str, list[str]], uploaded: Sequence[Award] = ()
) -> dict[str, Any]:
    """The form's state, the route (or why there is none) and the what-if progress;
    ``uploaded``: the awards of a holdings file (with their dates), which join
    ``from`` (the page's links carry those that count)."""
    asked = _asked(params)
    g, weights = weighted_projection(
        ex, asked["optimize"], asked["cost_basis"], Horizon(asked["cohort"], asked["years"])
    )
    removed = {full_iri(g, i, "remove") for i in asked["remove"]}
    held_iris = [full_iri(g, i, "from") for i in asked["from"]]
    added = [full_iri(g, i, "add") for i in asked["add"]]
    for iri in added:
        check_kind(ex.kg, g, iri, (("credential",), "add counts a credential as held"), "add")
    awards = [a for a in uploaded if a.iri not in removed]
    awards += [Award(i, "from") for i in held_iris if i not in removed]
    held: Holdings = ex.call(
        checked_holdings, ex.kg, g, awards, parse_date(asked["on"] or None, "on")
    )
    lapsed = {i for i, _ in held.expired}
    kept = list(dict.fromkeys(a.iri for a in awards if a.iri not in lapsed))
    asked["from"] = list(
        dict.fromkeys([*asked["from"], *(a.iri for a in uploaded if a.iri in kept)])
    )
    with_added = dataclasses.replace(held, credentials=held.credentials | set(added))
    data: dict[str, Any] = {
        "asked": asked,
        "measures": [{"name": m, "text": MEASURE_NAMES[m]} for m in MEASURES],
        "cost_bases": list(COST_BASES),
        "held": [{"iri": i, "label": label_of(g, i)} for i in kept],
        "added": [{"iri": i, "label": label_of(g, i)} for i in added],
        "removed": sorted(removed),
        "expired": [{"iri": i, "reason": r} for i, r in held.expired],
        "query": _query_pairs(asked),
        "route": None,
        "progress": [],
        "choices": {
            "held": _options(g, ("credential", "prior-learning")),
            "goals": _options(g, GOALS[0]),
        },
    }
    if kept or added:
        report = ex.call(stack_audit, g, held, added)
        data["progress"] = _progress_json(g, report)
    if not asked["to"]:
        return data
    goal = full_iri(g, asked["to"], "to")
    check_kind(ex.kg, g, goal, GOALS, "to")
    filters = ex.call(
        checked_filters,
        g,
        Filters(
            tuple(asked["country"]),
            tuple(asked["language"]),
            tuple(full_iri(g, p, "provider") for p in asked["provider"]),
            asked["max_eqf"],
            asked["funding"],
        ),
    )
    n = asked["alternatives"]
    try:
        plan = ex.call(
            plan_route, g, goal, with_added, asked["optimize"], n, filters, asked["term_hours"]
        )
    except NoRouteError as err:
        context = route_context(g, goal, (), n)
        text = no_route_json(
            goal, label_of(g, goal), asked["optimize"], err.message, err.reasons, context
        )
        data["route"] = json.loads(text)
        return data
    plan = dataclasses.replace(plan, notes=(*held.notes, *plan.notes, *weights))
    named = (*plan.uncoverable, *plan.recognised)
    data["route"] = route_document(plan, route_context(g, goal, named, n))
    return data


def _query_lists(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    return params


@router.get("/route")
@router.get("/route.json")
def route_page(request: Request) -> Response:
    """The planner: ``to``, ``from`` (repeatable), ``on``, ``optimize``, ``cost_basis``
    with ``cohort`` and ``years``, ``alternatives``, ``term_hours``, ``country``,
    ``language``, ``provider``, ``max_eqf``, ``funding`` (the options of ``pathways
    route``); what-if ``add`` and ``remove`` (repeatable)."""
    ex = explorer_of(request)
    return render(request, "route.html", planner_view(ex, _query_lists(request)))


@router.post("/route")
@router.post("/route.json")
async def route_upload(request: Request) -> Response:
    """The planner with the holdings of an uploaded file (``holding``) added to ``from``."""
    ex = explorer_of(request)
    form = await request.form()
    params: dict[str, list[str]] = {}
    upload = None
    awards: tuple[Award, ...] = ()
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            upload = value if key == "holding" else upload
        else:
            params.setdefault(key, []).append(value)
    if upload is not None and upload.filename:
        cap = ex.settings.upload_cap
        content = await upload.read(cap + 1)
        if len(content) > cap:
            raise UsageError(f"the holdings file is larger than the cap of {cap:,} bytes")
        file = Upload(content, safe_name(upload.filename, "holdings.txt"))
        awards = await run_in_threadpool(ex.call, read_holdings_upload, file)
    data = await run_in_threadpool(planner_view, ex, params, awards)
    return render(request, "route.html", data)


def occupation_view(ex: Explorer, iri: str) -> dict[str, Any]:
    """Essential and optional skills, the credentials teaching each, what none teaches
    and the cheapest cover of the essential skills (``pathways gap --to``)."""
    g = projection(ex)
    occupation = full_iri(g, iri, "iri")
    check_kind(ex.kg, g, occupation, (("occupation",), "the page shows an occupation"), "iri")
    report = ex.cached(("gap", occupation), lambda: skill_gap(g, occupation))

    def skills(kind: str) -> list[dict[str, Any]]:
        rows = []
        for skill in sorted(v for _, v, k in g.out_edges(occupation, data="kind") if k == kind):
            teachers = sorted(u for u, _, k in g.in_edges(skill, data="kind") if k == "teaches")
            rows.append(
                {
                    "iri": skill,
                    "label": label_of(g, skill),
                    "credentials": [{"iri": c, "label": label_of(g, c)} for c in teachers],
                }
            )
        return sorted(rows, key=lambda r: (r["label"].casefold(), r["iri"]))

    return {
        "iri": occupation,
        "label": label_of(g, occupation),
        "essential": skills("essential"),
        "optional": skills("optional"),
        "uncoverable": [{"iri": s, "label": label_of(g, s)} for s in report.uncoverable],
        "cover": {
            "credentials": [{"iri": c, "label": label_of(g, c)} for c in report.credentials],
            "optimize": report.optimize,
            "total": report.weight,
            "method": report.method,
            "bound": report.bound,
        },
    }


@router.get("/occupation")
@router.get("/occupation.json")
def occupation_page(request: Request, iri: str = "") -> Response:
    """One occupation, or the list of the occupations in the graph."""
    ex = explorer_of(request)
    if not iri:
        occupations = _options(projection(ex), ("occupation",))
        return render(request, "occupations.html", {"occupations": occupations})
    return render(request, "occupation.html", occupation_view(ex, iri))
