"""The pathway page (``/pathway?iri=``, its diagram ``/pathway.svg?iri=``) and the
analytics page (``/analytics``), each with its JSON twin.

==================  ==========================================================================
part of the page    read by
==================  ==========================================================================
diagram             :func:`pathways.export.pictures.diagram` (``export --to svg --pathway``),
                    sanitised by :mod:`pathways.web.diagram_svg`
metrics, findings   :func:`pathways.analytics.report.graph_metrics` (``pathways metrics
                    [--pathway IRI]``, ``/api/metrics``), as JSON by
                    :func:`pathways.analytics.to_json`
==================  ==========================================================================

A credential is marked as a dead end, an articulation credential (every route to a
destination passes it) or a level inversion (it needs a credential of a higher EQF
level, or is needed by one of a lower) exactly as the findings list it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from pathways.analytics import to_json as metrics_json
from pathways.errors import UsageError
from pathways.routing.requests import check_kind
from pathways.web.diagram_svg import FLAG_COLOURS, SVG_HEADERS, pathway_svg
from pathways.web.facts import metrics_of, projection
from pathways.web.pages import wants_html
from pathways.web.settings import Explorer
from pathways.web.views import explorer_of, full_iri, label_of, render

__all__ = ["METRIC_COLUMNS", "metrics_view", "router"]

router = APIRouter(include_in_schema=False)

#: Columns of the metrics table, in order (the sortable ones).
METRIC_COLUMNS = ("label", "blocking_factor", "delay_factor", "centrality", "complexity")

_PATHWAY = (("pathway",), "the pathway page shows a progression pathway")


def _flags(findings: dict[str, Any]) -> dict[str, list[str]]:
    """Credential IRI -> the findings naming it (keys of :data:`FLAG_COLOURS`)."""
    flags: dict[str, list[str]] = {}

    def mark(node: str, flag: str) -> None:
        if flag not in flags.setdefault(node, []):
            flags[node].append(flag)

    for node in findings.get("dead_ends") or ():
        mark(node, "dead-end")
    for inversion in findings["level_inversions"]:
        mark(inversion["before"], "level-inversion")
        mark(inversion["after"], "level-inversion")
    for destination in findings["destinations"]:
        for node in destination["articulation"]:
            mark(node, "articulation")
    return flags


def metrics_view(ex: Explorer, pathway: str | None, sort: str, order: str) -> dict[str, Any]:
    """The metrics document of ``/api/metrics`` with each node's findings, sorted."""
    if sort not in METRIC_COLUMNS:
        raise UsageError(f"sort must be one of {', '.join(METRIC_COLUMNS)}, not {sort!r}")
    if order not in ("asc", "desc"):
        raise UsageError(f"order must be asc or desc, not {order!r}")
    report = metrics_of(ex, pathway)
    document: dict[str, Any] = json.loads(
        ex.call(metrics_json, report.metrics, report.findings, report.labels)
    )
    flags = _flags(document["findings"])
    for node in document["nodes"]:
        node["findings"] = flags.get(node["iri"], [])
        node["anchor"] = "c-" + hashlib.sha1(node["iri"].encode()).hexdigest()[:12]
    g = projection(ex)
    document["findings"]["labels"] = {
        iri: label_of(g, iri) for iri in sorted({*flags, *document["findings"]["orphans"]})
    }

    def key(node: dict[str, Any]) -> Any:
        value = node[sort]
        return (str(value).casefold(), node["iri"]) if sort == "label" else (value, node["iri"])

    document["nodes"].sort(key=key, reverse=order == "desc")
    document["sort"], document["order"] = sort, order
    return document


def _pathway_iri(ex: Explorer, iri: str) -> str:
    g = projection(ex)
    full = full_iri(g, iri, "iri")
    check_kind(ex.kg, g, full, _PATHWAY, "iri")
    return full


@router.get("/pathway")
@router.get("/pathway.json")
def pathway_page(
    request: Request, iri: str = "", sort: str = "complexity", order: str = "desc"
) -> Response:
    """One pathway (diagram, metrics, findings), or the list of pathways."""
    ex = explorer_of(request)
    g = projection(ex)
    if not iri:
        pathways = sorted(
            (
                {"iri": n, "label": label_of(g, n)}
                for n, k in g.nodes(data="kind")
                if k == "pathway"
            ),
            key=lambda p: (p["label"].casefold(), p["iri"]),
        )
        return render(request, "pathways.html", {"pathways": pathways})
    full = _pathway_iri(ex, iri)
    data = {
        "iri": full,
        "label": label_of(g, full),
        "svg": "/pathway.svg?" + urlencode({"iri": full}),
        "flag_colours": FLAG_COLOURS,
        **metrics_view(ex, full, sort, order),
    }
    html = not request.url.path.endswith(".json") and wants_html(request)
    try:
        drawing = Markup(_svg(ex, full).decode("utf-8")) if html else None
    except UsageError:  # no Graphviz: the page says so where the drawing would be
        drawing = None
    return render(request, "pathway.html", data, extra={"drawing": drawing})


def _tooltip(node: dict[str, Any]) -> str:
    found = (
        f"; {', '.join(f.replace('-', ' ') for f in node['findings'])}" if node["findings"] else ""
    )
    return (
        f"{node['label']}: blocking factor {node['blocking_factor']}, delay factor "
        f"{node['delay_factor']}, centrality {node['centrality']}, complexity "
        f"{node['complexity']}{found}"
    )


def _svg(ex: Explorer, full: str) -> bytes:
    """The sanitised diagram, findings outlined, each credential's metrics as its
    tooltip and a link to its row of the table; drawn once per pathway."""

    def draw() -> bytes:
        nodes = metrics_view(ex, full, "label", "asc")["nodes"]
        flags = {n["iri"]: n["findings"][0] for n in nodes if n["findings"]}
        notes = {n["iri"]: (_tooltip(n), n["anchor"]) for n in nodes}
        return pathway_svg(ex.kg, full, flags, notes)

    return ex.cached(("pathway-svg", full), draw)


@router.get("/pathway.svg")
def pathway_diagram(request: Request, iri: str) -> Response:
    """The pathway's diagram, findings outlined (needs Graphviz's ``dot``)."""
    ex = explorer_of(request)
    return Response(
        _svg(ex, _pathway_iri(ex, iri)), media_type="image/svg+xml", headers=SVG_HEADERS
    )


@router.get("/analytics")
@router.get("/analytics.json")
def analytics_page(request: Request, sort: str = "complexity", order: str = "desc") -> Response:
    """The metrics table of every pathway and the findings (``pathways metrics``)."""
    ex = explorer_of(request)
    return render(request, "analytics.html", metrics_view(ex, None, sort, order))
