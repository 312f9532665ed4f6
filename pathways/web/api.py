"""``/api/...``: the command line's answers as JSON, from the same library calls.

===========================  ===========================================================
endpoint                     same as
===========================  ===========================================================
``GET /api/info``            ``pathways info --format json``
``GET /api/status``          (none: which slow facts a starting server has computed)
``POST /api/validate``       ``pathways validate FILE --format json`` (the uploaded file)
``GET /api/validate``        ``pathways validate --format json`` (the served graph)
``GET /api/eligibility``     ``pathways eligibility --scheme NAME --format json``
``GET /api/route``           ``pathways route --to IRI --from IRI ... --format json``
``POST /api/route``          ``pathways route --holding FILE ...`` (the uploaded file)
``GET /api/metrics``         ``pathways metrics [--pathway IRI] --format json``
===========================  ===========================================================

Errors are JSON with the CLI's message (see :mod:`pathways.web.errors`). An uploaded
file is validated in memory and never joins the served graph
(:mod:`pathways.web.uploads`). More endpoints: :mod:`pathways.web.api_more`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Annotated, Any, Literal

import networkx as nx
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from pathways.analytics import to_json as metrics_json
from pathways.economics.costs import DEFAULT_COHORT, DEFAULT_YEARS, Horizon
from pathways.errors import UsageError
from pathways.rdf.iris import expand_iri
from pathways.rdf.store import KnowledgeGraph
from pathways.rdf.summary import summarize
from pathways.routing import MEASURES, Filters, plan_route
from pathways.routing.holdings import Award, Holdings
from pathways.routing.render import to_json as route_json
from pathways.routing.requests import GOALS, check_kind, checked_holdings, route_context
from pathways.validation import shapes_for, validate
from pathways.validation.render import LEVELS, ReportContext, render
from pathways.web import uploads
from pathways.web.errors import ERROR_RESPONSES, ErrorBody, error_body
from pathways.web.facts import eligibility_of, metrics_of
from pathways.web.settings import explorer_of
from pathways.web.views import weighted_projection

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)


def json_document(text: str) -> Response:
    """A JSON document the library already wrote (the CLI's bytes, unchanged)."""
    return Response(text.encode("utf-8"), media_type="application/json")


def query_filters(
    country: list[str] | None,
    language: list[str] | None,
    provider: list[str] | None,
    max_eqf: int | None,
    funding: str | None,
) -> Filters:
    """The route filters of a request's query parameters, as the CLI's options give
    them (codes and prefixed names; ``checked_filters`` checks them against the graph)."""
    return Filters(
        tuple(c if ":" not in c else _iri(c, "country") for c in country or ()),
        tuple(language or ()),
        tuple(_iri(p, "provider") for p in provider or ()),
        max_eqf,
        funding,
    )


@router.get("/status", summary="Which slow facts the server has computed (readiness)")
def status(request: Request) -> dict[str, Any]:
    """The facts a starting server computes in the background (``Settings.warm``), each
    ``true`` once computed: ``catalogue`` (search answers), ``validation`` (the
    credential pages and the validated facets), ``search_index`` (every facet).
    ``warm`` is ``true`` when all are; a load balancer's readiness probe can ask it."""
    ex = explorer_of(request)
    facts = {
        "catalogue": ex.ready(("index", "en")),
        "validation": ex.ready(("validate", ())),
        "search_index": ex.ready(("search-index", "en")),
    }
    return {"warm": all(facts.values()), "facts": facts}


@router.get("/info", summary="What the graph holds (pathways info)")
def info(request: Request) -> dict[str, Any]:
    """Triples, instances per class, credentials per EQF level and country."""
    ex = explorer_of(request)
    return ex.cached(("info",), lambda: summarize(ex.kg)).as_json()


def _check_level(name: str, value: str) -> str:
    if value not in LEVELS:
        raise UsageError(f"{name} must be one of " + ", ".join(LEVELS))
    return value


@router.get("/validate", summary="Validate the served graph (pathways validate)")
def validate_served(
    request: Request,
    profile: Annotated[list[str] | None, Query()] = None,
    fail_on: str = "violation",
) -> Response:
    """The validation report of the served graph (core profiles by default)."""
    ex = explorer_of(request)
    _check_level("fail_on", fail_on)
    profiles = tuple(profile or ())
    shapes = ex.call(shapes_for, profiles, (), default_core=True)
    report = ex.cached(("validate", profiles), lambda: validate(ex.kg, shapes))
    return json_document(
        ex.call(render, report, "json", ReportContext(shapes=shapes, fail_on=fail_on))
    )


def multipart_body(field: str, description: str) -> dict[str, Any]:
    """The OpenAPI ``requestBody`` of a POST that sends one file as ``field``."""
    schema = {"type": "string", "format": "binary", "description": description}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": [field],
                        "properties": {field: schema},
                    }
                }
            },
        }
    }


_UPLOAD_BODY = multipart_body("file", "RDF: .ttl .nt .nq .trig .jsonld .json .rdf")

#: The multipart body of a POST that sends a holdings file (``--holding``).
HOLDING_BODY = multipart_body(
    "holding",
    "a holdings file: RDF with pw:IssuedCredential (issue and expiry dates honoured) or "
    "one IRI a line",
)

#: The answers of a POST with a holdings file, beyond the route's own.
HOLDING_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "larger than the upload cap"}
}


async def uploaded_holdings(request: Request) -> tuple[Award, ...]:
    """The awards of the holdings file a POST sends as the multipart field ``holding``
    (read as ``--holding`` reads a file); none for a GET. 413 over the upload cap."""
    if request.method != "POST":
        return ()
    ex = explorer_of(request)
    cap = ex.settings.upload_cap
    try:
        upload = await uploads.form_file(await uploads.read_form(request, cap), "holding", cap)
    except uploads.TooLarge:
        raise StarletteHTTPException(
            413, f"the upload is larger than the cap of {cap:,} bytes"
        ) from None
    if upload is None:
        raise UsageError(
            "no holdings file was uploaded", hint="send it as the multipart field 'holding'"
        )
    return await run_in_threadpool(ex.call, uploads.read_holdings_upload, upload)


@dataclasses.dataclass(frozen=True)
class RequestedHoldings:
    """What a route, gap or stack request holds: the uploaded file's awards, the
    ``from`` credentials and the ``on`` date their expiry is checked at."""

    awards: tuple[Award, ...]
    held: tuple[str, ...]
    on: dt.date | None

    def __bool__(self) -> bool:
        return bool(self.awards or self.held)

    def checked(self, kg: KnowledgeGraph, g: nx.DiGraph) -> Holdings:
        """The holdings as ``--holding`` and ``--from`` give them to the CLI."""
        given = [*self.awards, *(Award(i, "from") for i in self.held)]
        return checked_holdings(kg, g, given, self.on)


async def requested_holdings(
    request: Request, from_: list[str] | None, on: str | None
) -> RequestedHoldings:
    """The holdings of a route, gap or stack request (its query and its upload)."""
    held = tuple(_iri(t, "from") for t in from_ or ())
    when = parse_date(on, "on")
    return RequestedHoldings(await uploaded_holdings(request), held, when)


@router.post(
    "/validate",
    summary="Validate an uploaded RDF file (pathways validate FILE)",
    responses={413: {"model": ErrorBody, "description": "larger than the upload cap"}},
    openapi_extra=_UPLOAD_BODY,
)
async def validate_upload(
    request: Request,
    profile: Annotated[list[str] | None, Query()] = None,
    fail_on: str = "violation",
) -> Response:
    """Validate the file alone (with the bundled ontology), in memory; 200 with
    ``conforms`` and ``passes`` whatever the verdict. The multipart body is read with
    the upload cap and kept in memory (:func:`pathways.web.uploads.read_form`)."""
    ex = explorer_of(request)
    cap = ex.settings.upload_cap
    try:
        upload = await uploads.form_file(await uploads.read_form(request, cap), "file", cap)
    except uploads.TooLarge:
        return JSONResponse(
            error_body(f"the upload is larger than the cap of {cap:,} bytes", 2),
            status_code=413,
        )
    if upload is None:
        raise UsageError("no file was uploaded", hint="send it as the multipart field 'file'")
    _check_level("fail_on", fail_on)
    text = await run_in_threadpool(
        ex.call, _validate_bytes, upload.data, upload.name, tuple(profile or ()), fail_on
    )
    return json_document(text)


def _validate_bytes(data: bytes, name: str, profiles: tuple[str, ...], fail_on: str) -> str:
    report, shapes = uploads.validate_upload(uploads.Upload(data, name), profiles)
    return render(report, "json", ReportContext(shapes=shapes, fail_on=fail_on))


@router.get("/eligibility", summary="Eligibility under a funding scheme (pathways eligibility)")
def eligibility_api(request: Request, scheme: str) -> Response:
    """Every micro-credential with its eligibility under ``scheme`` and failed conditions."""
    ex = explorer_of(request)
    report = eligibility_of(ex, scheme)
    return json_document(json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n")


def parse_date(text: str | None, name: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` query parameter (``on``: the date awards are checked for expiry)."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as err:
        raise UsageError(f"{name}: {text!r} is not a date", hint="give YYYY-MM-DD") from err


def check_measure(optimize: str) -> str:
    """``optimize`` when it is one of the routing measures (``--optimize``)."""
    if optimize not in MEASURES:
        raise UsageError("optimize must be one of " + ", ".join(MEASURES))
    return optimize


def _iri(text: str, name: str) -> str:
    return expand_iri(text, path=name)


_NO_ROUTE: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "no route: the reasons are listed"}
}


@router.get("/route", summary="The optimal route to a goal (pathways route)", responses=_NO_ROUTE)
@router.post(
    "/route",
    summary="The optimal route from an uploaded holdings file (pathways route --holding)",
    responses={**_NO_ROUTE, **HOLDING_RESPONSES},
    openapi_extra=HOLDING_BODY,
)
async def route(
    request: Request,
    to: str,
    from_: Annotated[list[str] | None, Query(alias="from")] = None,
    on: str | None = None,
    optimize: str = "cost",
    cost_basis: Literal["fee", "true"] = "fee",
    cohort: Annotated[int, Query(ge=1, le=100_000)] = DEFAULT_COHORT,
    years: Annotated[int, Query(ge=1, le=100)] = DEFAULT_YEARS,
    alternatives: Annotated[int, Query(ge=1, le=50)] = 1,
    term_hours: Annotated[float | None, Query(gt=0)] = None,
    country: Annotated[list[str] | None, Query()] = None,
    language: Annotated[list[str] | None, Query()] = None,
    provider: Annotated[list[str] | None, Query()] = None,
    max_eqf: Annotated[int | None, Query(ge=1, le=8)] = None,
    funding: str | None = None,
) -> Response:
    """``to``: a credential, pathway or occupation (IRI or prefixed name); ``from``:
    credentials held; ``on``: the date awards are checked for expiry (YYYY-MM-DD);
    ``cost_basis=true``: true cost per participant over ``cohort`` and ``years``;
    ``optimize=outcome``: money per expected employed completer. The same answer as
    ``pathways route --format json`` with the same options; POST a holdings file as
    the multipart field ``holding`` for ``--holding``."""
    ex = explorer_of(request)
    requested = await requested_holdings(request, from_, on)
    check_measure(optimize)
    goal = _iri(to, "to")
    filters = query_filters(country, language, provider, max_eqf, funding)

    def plan() -> str:
        g, notes = weighted_projection(ex, optimize, cost_basis, Horizon(cohort, years))
        check_kind(ex.kg, g, goal, GOALS, "to")
        held = requested.checked(ex.kg, g)
        found = plan_route(g, goal, held, optimize, alternatives, filters, term_hours)
        found = dataclasses.replace(found, notes=(*held.notes, *found.notes, *notes))
        named = (*found.uncoverable, *found.recognised)
        return route_json(found, route_context(g, goal, named, alternatives), indent=None)

    return json_document(await run_in_threadpool(ex.call, plan))


@router.get("/metrics", summary="Curricular analytics (pathways metrics)")
def metrics(request: Request, pathway: str | None = None) -> Response:
    """Blocking and delay factors, centrality, complexity and findings."""
    ex = explorer_of(request)
    iri = _iri(pathway, "pathway") if pathway else None
    report = metrics_of(ex, iri)
    return json_document(ex.call(metrics_json, report.metrics, report.findings, report.labels))
