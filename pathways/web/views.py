"""What the explorer's newer pages share: one rendering of a view as a page or its JSON
twin, the projection with a route's weights, and the IRIs a page is asked about.

Every page module (:mod:`pathways.web.pathway_pages`, :mod:`pathways.web.planner`,
:mod:`pathways.web.economics_pages`, :mod:`pathways.web.sparql_ui`) builds a dict from
library calls and hands it to :func:`render`: the template gets it as ``data``, the
JSON twin (``.json`` or ``Accept: application/json``) is that very dict.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from fastapi import Request
from fastapi.responses import JSONResponse, Response

from pathways.economics.costs import Horizon
from pathways.economics.route_weights import economic_weights
from pathways.rdf.iris import expand_iri, shorten
from pathways.web.facts import cost_model_of, outcome_table, projection
from pathways.web.pages import templates, wants_html
from pathways.web.settings import Explorer, explorer_of

templates.env.filters.setdefault("shorten", shorten)

__all__ = ["explorer_of", "full_iri", "label_of", "render", "weighted_projection"]


def weighted_projection(
    ex: Explorer, optimize: str, cost_basis: str, horizon: Horizon
) -> tuple[nx.DiGraph, tuple[str, ...]]:
    """The projection with the economic weights a route asks for (``--cost-basis true``,
    ``--optimize outcome``) and the notes saying what was assumed, as ``pathways route``
    (:func:`pathways.economics.route_weights.economic_weights`); the cost model and
    outcome table are read once."""
    g = projection(ex)
    model = cost_model_of(ex) if cost_basis == "true" else None
    table = outcome_table(ex) if optimize == "outcome" else None
    return ex.call(
        economic_weights, ex.kg, g, optimize, cost_basis, horizon, model=model, outcomes=table
    )


def full_iri(g: nx.DiGraph, text: str, name: str) -> str:
    """``text`` as a node of ``g`` when it is one (any scheme), else expanded as the CLI
    expands an IRI or prefixed name (``name`` is the parameter, for the message)."""
    text = text.strip()
    return text if text in g else expand_iri(text, path=name)


def label_of(g: nx.DiGraph, node: str) -> str:
    """The node's label in the projection, else the IRI itself."""
    return str(g.nodes[node].get("label") or node) if node in g else node


def render(
    request: Request,
    template: str,
    data: dict[str, Any],
    status_code: int = 200,
    *,
    html: bool | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    """``data`` as the page ``template`` or, for a JSON twin, as JSON (``html`` decides
    when given, else :func:`pathways.web.pages.wants_html`); ``extra`` goes to the
    template only (a rendering of ``data``, such as a drawing)."""
    vary = {"Vary": "Accept, Accept-Language"}
    if not (wants_html(request) if html is None else html):
        return JSONResponse(data, status_code=status_code, headers=vary)
    return templates.TemplateResponse(
        request, template, {"data": data, **(extra or {})}, status_code=status_code, headers=vary
    )
