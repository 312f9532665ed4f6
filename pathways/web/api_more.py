"""The rest of ``/api/...``: each endpoint calls the library functions its command calls
and answers the command's ``--format json`` bytes (or, for export, the exported bytes).

===========================  ============================================================
endpoint                     same as
===========================  ============================================================
``GET /api/gap``             ``pathways gap --to OCCUPATION [--from IRI ...] --format json``
``GET /api/stack``           ``pathways stack --from IRI ... [--add IRI] --format json``
``POST /api/gap``, ``/stack``  the same with ``--holding FILE`` (the uploaded file)
``GET /api/cost``            ``pathways cost --credential IRI | --all | --consortium IRI``
``GET /api/fund``            ``pathways fund [--scheme ...] [--equity --to IRI]``
``GET /api/outcomes``        ``pathways outcomes --format json``
``GET /api/simulate``        ``pathways simulate --budget AMOUNT --format json``
``GET /api/export``          ``pathways export --to FORMAT`` (the bytes, its media type)
===========================  ============================================================

Parameters are the options' names with ``_`` for ``-`` (``from``, ``to``, ``all`` as
they are). Holdings are ``from`` IRIs, or a holdings file POSTed as the multipart
field ``holding`` (``--holding``) to ``/api/route``, ``/api/gap`` and ``/api/stack``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from pathways.catalogue.lookup import instance_error
from pathways.economics.consortium import consortium_scenario
from pathways.economics.costs import DEFAULT_COHORT, DEFAULT_YEARS, Horizon, cost_curve
from pathways.economics.costs import credential_cost as cost_of
from pathways.economics.documents import consortium_json, cost_json, equity_json, fund_json
from pathways.economics.equity import equity_view, funding_table
from pathways.economics.funding import learner_group, learner_groups
from pathways.economics.money import parse_amount, parse_threshold
from pathways.economics.outcomes import DEFAULT_MIN_COHORT, outcome_indicators
from pathways.economics.report import outcomes_json, simulation_json
from pathways.economics.simulation import DEFAULT_HOURLY_RATE, RULES, allocate, funding_market
from pathways.errors import UsageError
from pathways.export import EXPORTERS, ExportOptions, export
from pathways.rdf.iris import expand_iri
from pathways.routing.audit import stack_audit
from pathways.routing.gaps import skill_gap
from pathways.routing.render_gap import gap_to_json
from pathways.routing.render_stack import stack_to_json
from pathways.routing.requests import check_kind
from pathways.web.api import (
    HOLDING_BODY,
    HOLDING_RESPONSES,
    check_measure,
    json_document,
    query_filters,
    requested_holdings,
)
from pathways.web.errors import ERROR_RESPONSES, ErrorBody
from pathways.web.facts import cost_model_of, projection
from pathways.web.settings import explorer_of

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)

_NO_ROUTE: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "no cover or route: the reasons are listed"}
}


def _iri(text: str, name: str) -> str:
    return expand_iri(text, path=name)


@router.get(
    "/gap",
    summary="Skills an occupation needs that the learner lacks (pathways gap)",
    responses=_NO_ROUTE,
)
@router.post(
    "/gap",
    summary="The skill gap from an uploaded holdings file (pathways gap --holding)",
    responses={**_NO_ROUTE, **HOLDING_RESPONSES},
    openapi_extra=HOLDING_BODY,
)
async def gap(
    request: Request,
    to: str,
    from_: Annotated[list[str] | None, Query(alias="from")] = None,
    on: str | None = None,
    optimize: str = "cost",
    country: Annotated[list[str] | None, Query()] = None,
    language: Annotated[list[str] | None, Query()] = None,
    provider: Annotated[list[str] | None, Query()] = None,
    max_eqf: Annotated[int | None, Query(ge=1, le=8)] = None,
    funding: str | None = None,
) -> Response:
    """``to``: an ESCO occupation; ``from``: credentials held; ``on``: the date awards
    are checked for expiry (YYYY-MM-DD, default today); POST a holdings file as the
    multipart field ``holding`` for ``--holding``."""
    ex = explorer_of(request)
    check_measure(optimize)
    iri = _iri(to, "to")
    filters = query_filters(country, language, provider, max_eqf, funding)
    requested = await requested_holdings(request, from_, on)

    def run() -> str:
        g = projection(ex)
        check_kind(ex.kg, g, iri, (("occupation",), "gap --to takes an ESCO occupation"), "to")
        held = requested.checked(ex.kg, g)
        return gap_to_json(g, skill_gap(g, iri, held, optimize, filters), held)

    return json_document(await run_in_threadpool(ex.call, run))


@router.get("/stack", summary="Progress towards larger credentials (pathways stack)")
@router.post(
    "/stack",
    summary="Progress from an uploaded holdings file (pathways stack --holding)",
    responses=HOLDING_RESPONSES,
    openapi_extra=HOLDING_BODY,
)
async def stack(
    request: Request,
    from_: Annotated[list[str] | None, Query(alias="from")] = None,
    add: Annotated[list[str] | None, Query()] = None,
    all_: Annotated[bool, Query(alias="all")] = False,
    on: str | None = None,
) -> Response:
    """``from``: credentials held; ``add``: what-if, counted as held too; ``all``: also
    the larger credentials not started; POST a holdings file as the multipart field
    ``holding`` for ``--holding``."""
    ex = explorer_of(request)
    added = [_iri(t, "add") for t in add or ()]
    requested = await requested_holdings(request, from_, on)
    if not requested and not added:
        raise UsageError("nothing held", hint="give from=IRI or add=IRI, or POST a holding file")

    def run() -> str:
        g = projection(ex)
        held = requested.checked(ex.kg, g)
        for iri in added:
            check_kind(ex.kg, g, iri, (("credential",), "--add counts a credential as held"), "add")
        return stack_to_json(stack_audit(g, held, added, include_unstarted=all_), held, added)

    return json_document(await run_in_threadpool(ex.call, run))


@router.get("/cost", summary="True cost of credentials (pathways cost)")
def cost(
    request: Request,
    credential: Annotated[list[str] | None, Query()] = None,
    all_: Annotated[bool, Query(alias="all")] = False,
    consortium: str | None = None,
    cohort: Annotated[int, Query(ge=1, le=100_000)] = DEFAULT_COHORT,
    years: Annotated[int, Query(ge=1, le=100)] = DEFAULT_YEARS,
    cohorts_per_year: Annotated[int, Query(ge=1, le=1000)] = 1,
    allocation: Literal["equal", "hours"] = "equal",
) -> Response:
    """One of ``credential`` (repeatable), ``all`` or ``consortium``."""
    ex = explorer_of(request)
    credentials = [_iri(c, "credential") for c in credential or ()]
    chosen = consortium is not None
    if sum((bool(credentials), all_, chosen)) != 1:
        raise UsageError("give --credential IRI, --all or --consortium IRI (one of them)")
    horizon = Horizon(cohort, years, cohorts_per_year)

    def run() -> str:
        for iri in credentials:
            error = instance_error(
                ex.kg, iri, "pw:CredentialSpecification", "a credential", path="credential"
            )
            if error is not None:
                raise error
        if consortium is not None:
            return consortium_json(
                consortium_scenario(ex.kg, _iri(consortium, "consortium"), horizon)
            )
        model = cost_model_of(ex)
        wanted = model.credentials if all_ else credentials
        return cost_json(
            [
                (
                    cost_of(model, c, horizon, allocation=allocation),
                    cost_curve(model, c, horizon, allocation=allocation),
                )
                for c in wanted
            ]
        )

    return json_document(ex.call(run))


@router.get("/fund", summary="Funding eligibility and shares (pathways fund)")
def fund(
    request: Request,
    scheme: Annotated[list[str] | None, Query()] = None,
    learner_group_: Annotated[list[str] | None, Query(alias="learner_group")] = None,
    credential: Annotated[list[str] | None, Query()] = None,
    cost_basis: Literal["fee", "true"] = "fee",
    cohort: Annotated[int, Query(ge=1, le=100_000)] = DEFAULT_COHORT,
    years: Annotated[int, Query(ge=1, le=100)] = DEFAULT_YEARS,
    cohorts_per_year: Annotated[int, Query(ge=1, le=1000)] = 1,
    equity: bool = False,
    to: str | None = None,
    threshold: str | None = None,
) -> Response:
    """The cost split under each scheme and learner group; with ``equity``, the route to
    ``to`` that costs each group least out of pocket."""
    ex = explorer_of(request)
    schemes = tuple(scheme or ())
    credentials = tuple(_iri(c, "credential") for c in credential or ())
    target = _iri(to, "to") if to is not None else None

    def run() -> str:
        groups = tuple(learner_group(ex.kg, g) for g in learner_group_ or ())
        if equity:
            if target is None:
                raise UsageError("--equity needs --to IRI (an occupation, pathway or credential)")
            limit = parse_threshold(threshold)
            return equity_json(
                equity_view(ex.kg, target, schemes=schemes, groups=groups, threshold=limit)
            )
        if target is not None or threshold is not None:
            raise UsageError("--to and --threshold go with --equity")
        table = funding_table(
            ex.kg,
            schemes=schemes,
            groups=groups or learner_groups(ex.kg),
            credentials=credentials,
            basis=cost_basis,
            horizon=Horizon(cohort, years, cohorts_per_year),
        )
        return fund_json(table)

    return json_document(ex.call(run))


@router.get("/outcomes", summary="Outcome indicators (pathways outcomes)")
def outcomes(
    request: Request,
    min_cohort: Annotated[int, Query(ge=1, le=1_000_000)] = DEFAULT_MIN_COHORT,
    confidence: str = "0.95",
) -> Response:
    """Completion, employment and progression with Wilson intervals; small cohorts
    suppressed."""
    ex = explorer_of(request)
    table = ex.call(outcome_indicators, ex.kg, min_cohort=min_cohort, confidence=confidence)
    return json_document(outcomes_json(table))


@router.get("/simulate", summary="Funding rules compared on one budget (pathways simulate)")
def simulate(
    request: Request,
    budget: str,
    currency: str = "EUR",
    rule: str = "conditional",
    hourly_rate: str = DEFAULT_HOURLY_RATE,
    seed: int = 0,
    min_cohort: Annotated[int, Query(ge=1, le=1_000_000)] = DEFAULT_MIN_COHORT,
) -> Response:
    """Both allocations (per enrolment and under pathway conditionality); ``rule`` only
    chooses the headline of the human report, so the JSON is the same for either."""
    if rule not in RULES:
        raise UsageError("rule must be one of " + ", ".join(RULES))
    money = parse_amount(budget, currency, "--budget")
    rate = parse_amount(hourly_rate, money.currency, "--hourly-rate")
    if rate.amount == 0:
        raise UsageError("--hourly-rate must be positive")
    ex = explorer_of(request)

    def run() -> str:
        market = funding_market(ex.kg, rate, min_cohort=min_cohort)
        return simulation_json(market, [allocate(market, money, r, seed=seed) for r in RULES])

    return json_document(ex.call(run))


_EXPORT_TYPES = sorted({e.media_type for e in EXPORTERS.values()})


@router.get(
    "/export",
    summary="The graph in an export format (pathways export)",
    response_class=Response,
    responses={200: {"content": {t: {} for t in _EXPORT_TYPES}, "description": "the bytes"}},
)
def export_graph(
    request: Request,
    to: str = "turtle",
    include_ontology: bool = False,
    pathway: str | None = None,
    jsonld_context: Literal["embedded", "published", "expanded"] = "embedded",
) -> Response:
    """``to``: one of the CLI's ``export --to`` formats; the answer has its media type."""
    if to not in EXPORTERS:
        raise UsageError(
            f"unknown export format {to!r}", hint="choose one of " + ", ".join(sorted(EXPORTERS))
        )
    ex = explorer_of(request)
    options = ExportOptions(
        include_ontology=include_ontology,
        jsonld_context=jsonld_context,
        pathway=_iri(pathway, "pathway") if pathway else None,
    )
    data = ex.call(export, ex.kg, to, options)
    return Response(data, media_type=EXPORTERS[to].media_type)
