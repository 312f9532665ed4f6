"""Who pays, per credential and scheme, and the equity view per learner group.

:func:`funding_table` answers, for each micro-credential and each funding scheme: is it
eligible (the verdict of :func:`pathways.validation.eligibility.eligibility`, which checks
the scheme's ``pw:validationProfile``), and how is its cost split between public funds,
employer and learner (:func:`~pathways.economics.funding.funding_split`). The cost split is
the fee by default, or the true cost per participant (``basis="true"``).

:func:`equity_view` computes, per learner group and scheme, the route to a target
(occupation, pathway or credential) that **minimises the learner's out-of-pocket cost**:
the routing library (:func:`pathways.routing.plan_route`) solves the stacking problem on
the projected graph with each credential's weight set to that group's out-of-pocket fee.
Priority groups (older technicians, low-qualified workers in small workshops, unemployed
people) paying more than a threshold are flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from pathways.catalogue.lookup import instance_error, kind_error
from pathways.catalogue.projection import project
from pathways.economics.costs import CostModel, Horizon, cost_model, unit_cost
from pathways.economics.funding import (
    PRIORITY_GROUPS,
    FundingScheme,
    Split,
    funding_schemes,
    funding_split,
    learner_groups,
    scheme_named,
)
from pathways.economics.money import CurrencyMismatch, Money, sum_money
from pathways.errors import NoRouteError, NotFoundError, UsageError
from pathways.rdf.store import KnowledgeGraph
from pathways.routing import plan_route
from pathways.validation.eligibility import eligibility

__all__ = [
    "CostBasis",
    "EquityRow",
    "FundingRow",
    "FundingTable",
    "equity_view",
    "funding_table",
    "scheme_eligibility",
]

CostBasis = Literal["fee", "true"]
Verdicts = Callable[[FundingScheme], dict[str, bool]]
DEFAULT_HORIZON = Horizon(cohort=15)


@dataclass(frozen=True)
class FundingRow:
    """One credential under one scheme for one learner group."""

    credential: str
    label: str
    scheme: str
    scheme_label: str
    group: str | None
    split: Split


@dataclass(frozen=True)
class FundingTable:
    """Funding rows, sorted by scheme, credential and group, and what was left out."""

    basis: CostBasis
    rows: tuple[FundingRow, ...]
    notes: tuple[str, ...]


def scheme_eligibility(kg: KnowledgeGraph) -> Verdicts:
    """A function giving, per scheme, each micro-credential's eligibility (cached).

    Schemes without a validation profile make nothing eligible.
    """
    cache: dict[str, dict[str, bool]] = {}

    def verdicts(scheme: FundingScheme) -> dict[str, bool]:
        if scheme.iri not in cache:
            if scheme.profile is None:
                cache[scheme.iri] = {}
            else:
                report = eligibility(kg, scheme.iri)
                cache[scheme.iri] = {str(r.credential): r.eligible for r in report.rows}
        return cache[scheme.iri]

    return verdicts


def _cost(model: CostModel, credential: str, basis: CostBasis, horizon: Horizon) -> Money | None:
    if basis == "fee":
        return model.fees.get(credential)
    if not model.items_of(credential):
        return None
    return unit_cost(model, credential, horizon)


def funding_table(
    kg: KnowledgeGraph,
    *,
    schemes: Sequence[str] = (),
    groups: Sequence[str | None] = (None,),
    credentials: Sequence[str] = (),
    basis: CostBasis = "fee",
    horizon: Horizon = DEFAULT_HORIZON,
    verdicts: Verdicts | None = None,
) -> FundingTable:
    """Eligibility and cost shares of each credential under each scheme and group.

    Parameters
    ----------
    schemes
        Scheme names (IRI, local name or profile); empty: every scheme.
    groups
        Learner group IRIs (``None``: the scheme's rule for every group).
    credentials
        Credential IRIs; empty: every micro-credential with a fee (or cost items).
    basis
        ``"fee"`` splits the published fee, ``"true"`` the true cost per participant.
    horizon
        Cohort size, years and cohorts per year (true-cost basis only).
    verdicts
        Eligibility per scheme; default: the validation engine's verdict.

    Raises
    ------
    CurrencyMismatch
        When a scheme chosen by name has limits in another currency than a cost.
    """
    model = cost_model(kg)
    every = funding_schemes(kg)
    chosen = tuple(scheme_named(every, n) for n in schemes) if schemes else every
    if not chosen:
        raise NotFoundError("the knowledge graph has no pw:FundingScheme")
    for iri in credentials:  # an IRI not in the graph would otherwise be "left out"
        error = instance_error(kg, iri, "pw:CredentialSpecification", "a credential")
        if error is not None:
            raise error
    verdicts = verdicts or scheme_eligibility(kg)
    rows: list[FundingRow] = []
    notes: list[str] = []
    for scheme in chosen:
        eligible = verdicts(scheme)
        pool = credentials or sorted(eligible)
        skipped = 0
        for credential in pool:
            cost = _cost(model, credential, basis, horizon)
            if cost is None:
                skipped += 1
                continue
            hours = model.hours.get(credential)
            for group in groups:
                try:
                    split = funding_split(
                        scheme, cost, group, eligible=eligible.get(credential, False), hours=hours
                    )
                except CurrencyMismatch:
                    if schemes:
                        raise
                    notes.append(f"{scheme.label}: {credential} costs {cost.currency}; skipped")
                    continue
                rows.append(
                    FundingRow(
                        credential, model.label(credential), scheme.iri, scheme.label, group, split
                    )
                )
        if skipped:
            what = "a fee" if basis == "fee" else "cost items"
            notes.append(f"{scheme.label}: {skipped} credential(s) without {what} left out")
    rows.sort(key=lambda r: (r.scheme, r.credential, r.group or ""))
    return FundingTable(basis, tuple(rows), tuple(notes))


@dataclass(frozen=True)
class EquityRow:
    """The cheapest route for the learner of one group under one scheme."""

    group: str
    scheme: str
    scheme_label: str
    credentials: tuple[str, ...]
    fees: Money | None
    public: Money | None
    out_of_pocket: Money | None
    flagged: bool
    note: str | None = None


def _learner_graph(
    g: nx.DiGraph, model: CostModel, scheme: FundingScheme, group: str, eligible: dict[str, bool]
) -> tuple[nx.DiGraph, dict[str, Split]]:
    learner_g = g.copy()
    splits: dict[str, Split] = {}
    for node, data in learner_g.nodes(data=True):
        if data.get("kind") != "credential":
            continue
        fee = model.fees.get(node)
        if fee is None:
            continue
        try:
            split = funding_split(
                scheme, fee, group, eligible=eligible.get(node, False), hours=model.hours.get(node)
            )
        except CurrencyMismatch:
            split = funding_split(scheme, fee, group, eligible=False)
        splits[node] = split
        data["cost"] = float(split.out_of_pocket.amount)
    return learner_g, splits


def equity_view(
    kg: KnowledgeGraph,
    target: str,
    *,
    schemes: Sequence[str] = (),
    groups: Sequence[str] = (),
    threshold: Money | None = None,
    verdicts: Verdicts | None = None,
) -> tuple[EquityRow, ...]:
    """Out-of-pocket cost of the cheapest route to ``target`` per learner group and scheme.

    The route minimises the learner's out-of-pocket fees under each scheme (exactly, by
    the routing solver); the row gives its fees, public money and out-of-pocket total
    (exact Decimals). A credential a scheme cannot pay (ineligible, or its limits are in
    another currency) is paid as if no scheme applied. ``flagged`` marks a priority group
    paying more than ``threshold``.
    """
    model = cost_model(kg)
    every = funding_schemes(kg)
    chosen = tuple(scheme_named(every, n) for n in schemes) if schemes else every
    if not chosen:
        raise NotFoundError("the knowledge graph has no pw:FundingScheme")
    group_list = tuple(groups) or learner_groups(kg)
    verdicts = verdicts or scheme_eligibility(kg)
    g = project(kg)
    error = kind_error(
        kg,
        g,
        target,
        ("credential", "pathway", "occupation"),
        "the equity target is a credential, pathway or occupation",
    )
    if error is not None:
        raise error
    rows = []
    for scheme in chosen:
        for group in group_list:
            learner_g, splits = _learner_graph(g, model, scheme, group, verdicts(scheme))
            try:
                plan = plan_route(learner_g, target, optimize="cost")
            except NoRouteError as err:
                rows.append(
                    EquityRow(
                        group, scheme.iri, scheme.label, (), None, None, None, False, str(err)
                    )
                )
                continue
            taken = tuple(s.iri for s in plan.best.steps if not s.stacked)
            priced = [splits[c] for c in taken if c in splits]
            note = None
            if len(priced) < len(taken):
                note = f"{len(taken) - len(priced)} credential(s) without a fee counted as 0"
            if not priced:
                rows.append(
                    EquityRow(group, scheme.iri, scheme.label, taken, None, None, None, False, note)
                )
                continue
            currency = priced[0].cost.currency
            try:
                fees = sum_money((s.cost for s in priced), currency)
            except CurrencyMismatch:
                raise UsageError(
                    f"the route to {target} has fees in several currencies",
                    hint="no sum is meaningful",
                ) from None
            public = sum_money((s.public for s in priced), currency)
            pocket = sum_money((s.out_of_pocket for s in priced), currency)
            flagged = threshold is not None and group in PRIORITY_GROUPS and pocket > threshold
            rows.append(
                EquityRow(
                    group, scheme.iri, scheme.label, taken, fees, public, pocket, flagged, note
                )
            )
    return tuple(rows)
