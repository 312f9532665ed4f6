"""The economics page (``/economics``) and its JSON twin: true cost per credential with
its visible share, the funding split by scheme and learner group, and the simulation.

===================  =========================================================================
part of the page     read by (as the command line)
===================  =========================================================================
cost per credential  :func:`pathways.economics.costs.cost_model`, ``credential_cost``
                     (``pathways cost --all``)
funding split        :func:`pathways.economics.equity.funding_table` over
                     :func:`pathways.economics.funding.learner_groups` (``pathways fund``)
simulation           :func:`pathways.economics.simulation.funding_market` and ``allocate``
                     for both rules, as :func:`pathways.economics.report.simulation_json`
                     (``pathways simulate --format json``); its chart is
                     :func:`pathways.economics.report.simulation_charts`, the
                     ``simulation.svg`` of ``pathways simulate --report DIR``
===================  =========================================================================
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from pathways.economics.costs import DEFAULT_COHORT, DEFAULT_YEARS, Horizon, credential_cost
from pathways.economics.equity import funding_table
from pathways.economics.funding import learner_groups
from pathways.economics.money import Money, format_money, parse_amount
from pathways.economics.outcomes import DEFAULT_MIN_COHORT
from pathways.economics.report import group_name, simulation_charts, simulation_json
from pathways.economics.simulation import (
    DEFAULT_HOURLY_RATE,
    RULES,
    Allocation,
    Market,
    allocate,
    funding_market,
)
from pathways.errors import UsageError
from pathways.web.facts import cost_model_of
from pathways.web.pages import templates
from pathways.web.settings import Explorer
from pathways.web.views import explorer_of, render

templates.env.filters.setdefault("group_name", group_name)

__all__ = ["economics_view", "router"]

router = APIRouter(include_in_schema=False)


def _cents(money: Money | None) -> str | None:
    return None if money is None else format_money(money)


def _share(value: Decimal | None) -> float | None:
    return None if value is None else float(round(value, 4))


def _costs(ex: Explorer, horizon: Horizon) -> list[dict[str, Any]]:
    model = cost_model_of(ex)
    rows = []
    for credential in model.credentials:
        cost = credential_cost(model, credential, horizon)
        rows.append(
            {
                "credential": cost.credential,
                "label": cost.label,
                "per_participant": _cents(cost.per_participant),
                "total": _cents(cost.total),
                "fee": _cents(cost.fee),
                "visible": _cents(cost.visible),
                "visible_share": _share(cost.visible_share),
            }
        )
    return sorted(rows, key=lambda r: (r["label"].casefold(), r["credential"]))


def _funding(ex: Explorer, horizon: Horizon) -> dict[str, Any]:
    table = funding_table(ex.kg, groups=learner_groups(ex.kg), basis="true", horizon=horizon)
    schemes: dict[tuple[str, str | None, str], dict[str, Any]] = {}
    for row in table.rows:
        split = row.split
        key = (row.scheme, row.group, split.cost.currency)
        entry = schemes.setdefault(
            key,
            {
                "scheme": row.scheme,
                "scheme_label": row.scheme_label,
                "learner_group": row.group,
                "currency": split.cost.currency,
                "credentials": 0,
                "eligible": 0,
                "sums": [Decimal(0)] * 4,
            },
        )
        entry["credentials"] += 1
        entry["eligible"] += int(split.eligible)
        for i, part in enumerate((split.cost, split.public, split.employer, split.learner)):
            entry["sums"][i] += part.quantized().amount  # the cents `fund` shows
    summary = []
    for entry in schemes.values():
        sums = entry.pop("sums")
        currency = entry["currency"]
        for name, amount in zip(("cost", "public", "employer", "learner"), sums, strict=True):
            entry[name] = format_money(Money(amount, currency), grouping=True)
        public = sums[1] / sums[0] if sums[0] else None
        entry["public_share"] = _share(public)
        summary.append(entry)
    return {"cost_basis": table.basis, "by_scheme_and_group": summary, "notes": list(table.notes)}


#: The budget the page simulates unless asked otherwise (``pathways simulate --budget``
#: has no default: the page needs one to show anything).
DEFAULT_BUDGET = "250000"

#: The simulation the page and its chart show unless asked otherwise: kept once drawn
#: (others are not: a client may ask for many).
DEFAULT_SIMULATION = (DEFAULT_BUDGET, DEFAULT_HOURLY_RATE, 0)


def _allocations(
    ex: Explorer, budget: str, hourly_rate: str, seed: int
) -> tuple[Market, list[Allocation]]:
    """The market and both rules' allocations, as ``pathways simulate`` computes them
    (the page and its chart read them here: once, for the default simulation)."""
    if len(budget) > 30 or len(hourly_rate) > 30:
        raise UsageError("budget and hourly_rate are amounts, such as 250000 and 13")
    money = parse_amount(budget, "EUR", "budget")  # as simulate --budget reads it
    rate = parse_amount(hourly_rate, money.currency, "hourly_rate")
    if rate.amount <= 0:
        raise UsageError("hourly_rate must be positive")

    def compute() -> tuple[Market, list[Allocation]]:
        market = funding_market(ex.kg, rate, min_cohort=DEFAULT_MIN_COHORT)
        return market, [allocate(market, money, r, seed=seed) for r in RULES]

    if (budget, hourly_rate, seed) == DEFAULT_SIMULATION:
        return ex.cached(("allocations", *DEFAULT_SIMULATION), compute)
    return ex.call(compute)


def _simulation(ex: Explorer, budget: str, hourly_rate: str, seed: int) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        simulation_json(*_allocations(ex, budget, hourly_rate, seed))
    )
    return document


def simulation_svg(ex: Explorer, budget: str, hourly_rate: str, seed: int) -> bytes:
    """The simulation's chart, the ``simulation.svg`` that ``pathways simulate --report``
    writes for the same budget, rate and seed (the default one drawn once)."""

    def draw() -> bytes:
        return simulation_charts(_allocations(ex, budget, hourly_rate, seed)[1])["simulation.svg"]

    if (budget, hourly_rate, seed) == DEFAULT_SIMULATION:
        return ex.cached(("simulation.svg", *DEFAULT_SIMULATION), draw)
    return ex.call(draw)


def economics_view(
    ex: Explorer, cohort: int, years: int, budget: str, hourly_rate: str, seed: int
) -> dict[str, Any]:
    """Costs, funding and the simulation over one horizon, each computed once."""
    horizon = Horizon(cohort, years)
    key = ("economics", cohort, years, budget, hourly_rate, seed)

    def compute() -> dict[str, Any]:
        return {
            "horizon": {"cohort": cohort, "years": years, "participants": horizon.participants},
            "costs": _costs(ex, horizon),
            "funding": _funding(ex, horizon),
            "simulation": _simulation(ex, budget, hourly_rate, seed),
            "asked": {"budget": budget, "hourly_rate": hourly_rate, "seed": seed},
        }

    defaults = (cohort, years) == (DEFAULT_COHORT, DEFAULT_YEARS)
    if defaults and (budget, hourly_rate, seed) == DEFAULT_SIMULATION:
        return ex.cached(key, compute)  # other answers are not kept: a client may ask for many
    return ex.call(compute)


@router.get("/economics")
@router.get("/economics.json")
def economics_page(
    request: Request,
    cohort: int = DEFAULT_COHORT,
    years: int = DEFAULT_YEARS,
    budget: str = DEFAULT_BUDGET,
    hourly_rate: str = DEFAULT_HOURLY_RATE,
    seed: int = 0,
) -> Response:
    """``pathways cost --all``, ``pathways fund --cost-basis true`` and
    ``pathways simulate --budget BUDGET`` on one page."""
    ex = explorer_of(request)
    return render(
        request, "economics.html", economics_view(ex, cohort, years, budget, hourly_rate, seed)
    )


@router.get("/economics/simulation.svg")
def simulation_chart(
    request: Request,
    budget: str = DEFAULT_BUDGET,
    hourly_rate: str = DEFAULT_HOURLY_RATE,
    seed: int = 0,
) -> Response:
    """The simulation's chart (an image: shown with ``<img>``, so nothing in it runs)."""
    svg = simulation_svg(explorer_of(request), budget, hourly_rate, seed)
    return Response(svg, media_type="image/svg+xml")
