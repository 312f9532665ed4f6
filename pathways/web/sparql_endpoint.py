"""``/sparql``: the SPARQL 1.1 Protocol over the served graph, read-only and offline.

Queries come as ``GET ?query=``, a form ``POST`` (``query=``) or a ``POST`` with
``Content-Type: application/sparql-query``; the answer's format follows ``Accept``
(or ``?format=json|xml|csv|tsv|turtle|ntriples|jsonld``). Updates
(``application/sparql-update`` or ``update=``) are refused with 400. A ``GET``
without a query returns the service description (SPARQL 1.1 Service Description).
Each query runs through :func:`pathways.rdf.sparql.run_query` (the safety checks
refuse SERVICE, LOAD and FROM as ``pathways query`` does) in a worker process of
:mod:`pathways.web.query_pool`, under the time limit and row cap of the settings. A
truncated answer says so in the ``X-Pathways-Truncated`` header (the cap) and
``X-Pathways-Note``, and SPARQL JSON results also in a top-level ``"note"``.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from rdflib import RDF, BNode, Graph, Namespace, URIRef

from pathways.errors import PathwaysError
from pathways.rdf.sparql_results import GRAPH_FORMATS, MEDIA_TYPES, TABLE_FORMATS
from pathways.web.errors import ERROR_RESPONSES, ErrorBody, error_body, error_response
from pathways.web.negotiation import GRAPH_TYPES, TABLE_TYPES, preferred
from pathways.web.query_pool import (
    NotAcceptable,
    PoolBusy,
    QueryPool,
    QueryTimeout,
    WorkerFailed,
)

__all__ = ["router"]

_TYPES: dict[str, dict[str, Any]] = {m.split(";")[0]: {} for m in MEDIA_TYPES.values()}
_ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {"description": "the answer, in the negotiated format", "content": _TYPES},
    406: {"model": ErrorBody, "description": "no acceptable format for the query form"},
    415: {"model": ErrorBody, "description": "a POST that is neither a form nor a query"},
    503: {"model": ErrorBody, "description": "the time limit ran out, or every worker is busy"},
}
router = APIRouter(tags=["sparql"], responses={**ERROR_RESPONSES, **_ANSWERS})

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
)
_UPDATE_REFUSED = (
    "SPARQL updates are refused: this endpoint is read-only "
    "(change the data files and start 'pathways serve' again)"
)


def _pool(request: Request) -> QueryPool:
    pool: QueryPool = request.app.state.query_pool
    return pool


def _formats(request: Request) -> tuple[str | None, str | None]:
    """The table format and the graph format the client accepts (None: none)."""
    asked = request.query_params.get("format")
    if asked:
        name = asked.lower()
        return (
            name if name in TABLE_FORMATS else None,
            name if name in GRAPH_FORMATS else None,
        )
    accept = request.headers.get("accept")
    return preferred(accept, TABLE_TYPES), preferred(accept, GRAPH_TYPES)


def _answer(request: Request, query: str) -> Response:
    table_fmt, graph_fmt = _formats(request)
    if table_fmt is None and graph_fmt is None:
        return _not_acceptable()
    settings = request.app.state.settings
    try:
        answer = _pool(request).run(query, table_fmt, graph_fmt)
    except QueryTimeout as err:
        return JSONResponse(error_body(str(err), 2), status_code=503)
    except PoolBusy as err:
        return JSONResponse(error_body(str(err), 2), status_code=503, headers={"Retry-After": "5"})
    except NotAcceptable as err:
        return _not_acceptable(str(err))
    except WorkerFailed as err:
        return JSONResponse(error_body(f"internal error: {err}", 3), status_code=500)
    except PathwaysError as err:
        return error_response(err)
    headers = {}
    body = answer.body
    if answer.truncated:
        unit = "triples" if answer.fmt in GRAPH_FORMATS else "rows"
        note = (
            f"the answer was truncated at the row cap of {settings.row_cap:,} {unit}; "
            "add LIMIT/OFFSET to page through it, or use 'pathways query'"
        )
        headers = {"X-Pathways-Truncated": str(settings.row_cap), "X-Pathways-Note": note}
        if answer.fmt == "json":
            document = json.loads(body)
            document["note"] = note
            body = (json.dumps(document, separators=(",", ":")) + "\n").encode("utf-8")
    return Response(body, media_type=MEDIA_TYPES[answer.fmt], headers=headers)


def _not_acceptable(form: str | None = None) -> JSONResponse:
    what = f"a {form} query's answer" if form else "SPARQL answers"
    return JSONResponse(
        error_body(
            f"{what} cannot be given in the format asked for: SELECT and ASK in "
            + ", ".join(TABLE_FORMATS)
            + "; CONSTRUCT and DESCRIBE in "
            + ", ".join(GRAPH_FORMATS),
            2,
        ),
        status_code=406,
    )


def _refuse_update() -> JSONResponse:
    return JSONResponse(error_body(_UPDATE_REFUSED, 2), status_code=400)


@router.get("/sparql", summary="SPARQL 1.1 query (GET), or the service description")
def sparql_get(request: Request, query: str | None = None, update: str | None = None) -> Response:
    """Run ``query``; without it, describe the service (SPARQL 1.1 Service Description)."""
    if update is not None:
        return _refuse_update()
    if query is None:
        return _service_description(request)
    return _answer(request, query)


@router.post("/sparql", summary="SPARQL 1.1 query (form POST or application/sparql-query)")
async def sparql_post(request: Request) -> Response:
    """Form ``query=`` or a direct ``application/sparql-query`` body; updates are refused."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/sparql-update":
        return _refuse_update()
    if content_type == "application/sparql-query":
        raw = await request.body()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return JSONResponse(error_body("the query is not UTF-8 text", 2), status_code=400)
        return await _in_thread(request, text)
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        if "update" in form:
            return _refuse_update()
        query = form.get("query")
        if not isinstance(query, str):
            return JSONResponse(error_body("the form has no 'query' field", 2), status_code=400)
        return await _in_thread(request, query)
    return JSONResponse(
        error_body("POST a query as application/sparql-query or as a form with a 'query' field", 2),
        status_code=415,
    )


async def _in_thread(request: Request, query: str) -> Response:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_answer, request, query)


def _service_description(request: Request) -> Response:
    endpoint = URIRef(str(request.url.replace(query="", fragment="")))
    kg = Graph()
    kg.bind("sd", SD)
    kg.add((endpoint, RDF.type, SD.Service))
    kg.add((endpoint, SD.endpoint, endpoint))
    kg.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    for name in _RESULT_FORMATS:
        kg.add((endpoint, SD.resultFormat, FORMATS_NS[name]))
    dataset, graph = BNode(), BNode()
    kg.add((endpoint, SD.defaultDataset, dataset))
    kg.add((dataset, RDF.type, SD.Dataset))
    kg.add((dataset, SD.defaultGraph, graph))
    kg.add((graph, RDF.type, SD.Graph))
    fmt = request.query_params.get("format") or preferred(
        request.headers.get("accept"), GRAPH_TYPES
    )
    if fmt not in GRAPH_FORMATS:
        fmt = "turtle"
    rdflib_name = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}[fmt]
    return Response(kg.serialize(format=rdflib_name, encoding="utf-8"), media_type=MEDIA_TYPES[fmt])
