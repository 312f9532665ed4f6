"""The funding simulation: the same budget allocated by enrolment and under pathway conditionality.

The model, deliberately simple and stated in full so a ministry can argue with it:

- **Offers.** Every credential with published outcome records (:mod:`pathways.economics.outcomes`;
  suppressed cohorts are left out here too) and notional hours is on offer. The funder pays
  ``hours x hourly rate`` per enrolment (the rate of a per-participant-hour scheme such as
  FUNDAE's).
- **Demand.** The applicants for a credential and learner group in one funding round are
  the learners of its published cohorts for that group divided by the number of distinct
  cohort years of the credential (rounded half up). Cohorts without a learner group are
  applicants of the group ``None`` ("not recorded").
- **Order.** All applicants are put in one list, sorted, then shuffled with
  ``random.Random(seed)``: the same seed gives the same queue, under both rules.
- **Rules.** ``per-enrolment`` funds every applicant in the queue while the remaining budget
  covers their payment (an applicant who does not fit is skipped; cheaper ones later may
  still fit). ``conditional`` does the same for applicants of credentials that pass the
  three legs of pathway conditionality (the ``conditionality`` validation profile); others
  are not funded, and money may stay unspent.
- **Where the money goes.** A credential *stacks into nothing recognised* when the analytics'
  dead-end finding says no qualification or progression pathway can be reached from it
  (:func:`pathways.analytics.dead_ends` on :func:`pathways.analytics.progression.stacking_graph`).
- **Expected outcomes** of a funded enrolment use the credential's published rates for the
  applicant's group when that group has published cohorts, else the credential's overall
  rates: completers = completion rate; employed at 12 months = completion x employment rate;
  *on a recognised pathway* = completers of credentials that are not dead ends; *reaching a
  recognised destination* = completers of credentials that are a qualification or a
  pathway's destination, plus completers of other stacking credentials who progressed to
  a further credential (progression rate).

>>> RULES
('per-enrolment', 'conditional')
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from rdflib import URIRef
from rdflib.namespace import SH

from pathways.analytics import dead_ends
from pathways.analytics.progression import stacking_graph
from pathways.catalogue.facts import notional_hours
from pathways.catalogue.projection import project, requisite_graph
from pathways.economics.money import CurrencyMismatch, Money
from pathways.economics.outcomes import (
    DEFAULT_MIN_COHORT,
    CohortRecord,
    Indicators,
    indicators_for,
    read_cohorts,
)
from pathways.errors import UsageError
from pathways.rdf.store import KnowledgeGraph
from pathways.validation import shapes_for, validate

__all__ = [
    "DEFAULT_HOURLY_RATE",
    "RULES",
    "Allocation",
    "GroupEffect",
    "Market",
    "Offer",
    "allocate",
    "funding_market",
]

RULES = ("per-enrolment", "conditional")

#: Payment per participant hour, in the budget's currency, unless one is given
#: (``pathways simulate --hourly-rate``).
DEFAULT_HOURLY_RATE = "13"


@dataclass(frozen=True)
class Offer:
    """A credential a funder could pay for, its payment, status and expected outcomes.

    ``demand`` and ``rates`` are keyed by learner group (None: not recorded); ``rates``
    holds (completion, employed at 12 months per enrolment, progression) per group.
    """

    credential: str
    label: str
    payment: Money
    conditional_eligible: bool
    dead_end: bool
    destination: bool
    demand: tuple[tuple[str | None, int], ...]
    rates: tuple[tuple[str | None, tuple[Decimal, Decimal, Decimal]], ...]

    def expectation(self, group: str | None) -> tuple[Decimal, Decimal, Decimal]:
        """(completion, employment per enrolment, progression) for one group."""
        table = dict(self.rates)
        return table[group] if group in table else table["*"]


@dataclass(frozen=True)
class Market:
    """Everything the allocation needs, read once from the knowledge graph."""

    offers: tuple[Offer, ...]
    excluded: tuple[tuple[str, str], ...]
    groups: tuple[str | None, ...]
    hourly_rate: Money
    suppressed_cohorts: int


def _rates(indicators: Indicators) -> tuple[Decimal, Decimal, Decimal] | None:
    if indicators.completion is None:
        return None
    completion = indicators.completion.rate
    employed = indicators.expected_employment or Decimal(0)
    progression = indicators.progression.rate if indicators.progression else Decimal(0)
    return completion, employed, progression


def _demand(cohorts: Sequence[CohortRecord]) -> tuple[tuple[str | None, int], ...]:
    years = len({c.year for c in cohorts})
    learners: dict[str | None, int] = defaultdict(int)
    for c in cohorts:
        learners[c.group] += c.learners
    return tuple(
        (group, int((Decimal(n) / years).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
        for group, n in sorted(learners.items(), key=lambda item: item[0] or "")
    )


def _not_conditional(kg: KnowledgeGraph) -> set[str]:
    report = validate(kg, shapes_for(["conditionality"]))
    return {report.anchor(r) for r in report.results if r.severity == SH.Violation}


def funding_market(
    kg: KnowledgeGraph,
    hourly_rate: Money,
    *,
    min_cohort: int = DEFAULT_MIN_COHORT,
) -> Market:
    """Read the offers of the simulation from the knowledge graph (see the module notes).

    >>> funding_market(KnowledgeGraph.open(), Money.of("13", "EUR")).offers
    ()
    """
    if hourly_rate.amount <= 0:
        raise UsageError(f"hourly rate {hourly_rate} must be positive")
    published: dict[str, list[CohortRecord]] = defaultdict(list)
    suppressed = 0
    for cohort in read_cohorts(kg):
        if cohort.is_suppressed(min_cohort):
            suppressed += 1
        else:
            published[cohort.credential].append(cohort)
    if not published:
        return Market((), (), (), hourly_rate, suppressed)
    hours = notional_hours(kg)  # the one reader of hours (pathways.catalogue.facts)
    projected = project(kg)
    stacking, destinations = stacking_graph(projected, requisite_graph(projected))
    ends = {str(v) for v in dead_ends(stacking, destinations)}
    recognised = {str(v) for v in destinations} | {
        str(v) for _, v, k in projected.edges(data="kind") if k == "destination"
    }
    failing = _not_conditional(kg)
    offers, excluded = [], []
    for credential in sorted(published):
        cohorts = published[credential]
        if credential not in hours or hours[credential] <= 0:
            excluded.append((credential, "no notional hours: no per-hour payment"))
            continue
        label = kg.label(URIRef(credential))
        overall = _rates(indicators_for(credential, "credential", label, cohorts))
        if overall is None:
            excluded.append((credential, "no learners in its published cohorts"))
            continue
        by_group: list[tuple[str | None, tuple[Decimal, Decimal, Decimal]]] = [("*", overall)]
        for group in sorted({c.group for c in cohorts if c.group is not None}):
            mine = [c for c in cohorts if c.group == group]
            found = _rates(indicators_for(credential, "credential", label, mine))
            if found is not None:
                by_group.append((group, found))
        offers.append(
            Offer(
                credential=credential,
                label=label,
                payment=hourly_rate * hours[credential],
                conditional_eligible=credential not in failing,
                dead_end=credential in ends,
                destination=credential in recognised,
                demand=_demand(cohorts),
                rates=tuple(by_group),
            )
        )
    groups = sorted({g for o in offers for g, _ in o.demand}, key=lambda g: (g is None, g or ""))
    return Market(tuple(offers), tuple(excluded), tuple(groups), hourly_rate, suppressed)


@dataclass(frozen=True)
class GroupEffect:
    """What one learner group gets under one rule."""

    group: str | None
    applicants: int
    funded: int
    spent: Money
    employed: Decimal
    on_pathway: Decimal


@dataclass(frozen=True)
class Allocation:
    """The outcome of allocating a budget under one rule.

    ``funded`` maps credential IRIs to the number of funded enrolments (sorted);
    expected figures are Decimals (expected numbers of learners, not rounded).
    """

    rule: str
    seed: int
    budget: Money
    spent: Money
    dead_end_spent: Money
    applicants: int
    funded: tuple[tuple[str, int], ...]
    completers: Decimal
    on_pathway: Decimal
    reaching_destination: Decimal
    employed: Decimal
    groups: tuple[GroupEffect, ...]

    @property
    def unspent(self) -> Money:
        """The budget left over."""
        return self.budget - self.spent

    @property
    def dead_end_share(self) -> Decimal:
        """Share of the money spent that went to credentials stacking into nothing."""
        return self.dead_end_spent.amount / self.spent.amount if self.spent.amount else Decimal(0)

    @property
    def funded_learners(self) -> int:
        """Number of funded enrolments."""
        return sum(n for _, n in self.funded)

    @property
    def employed_per_1000(self) -> Decimal:
        """Expected completers employed at 12 months per 1,000 units of money spent."""
        return self.employed * 1000 / self.spent.amount if self.spent.amount else Decimal(0)


@dataclass
class _Tally:
    spent: Money
    applicants: int = 0
    funded: int = 0
    employed: Decimal = Decimal(0)
    on_pathway: Decimal = Decimal(0)


def _queue(market: Market, seed: int) -> list[tuple[int, str | None]]:
    applicants = [
        (index, group)
        for index, offer in enumerate(market.offers)
        for group, count in offer.demand
        for _ in range(count)
    ]
    random.Random(seed).shuffle(applicants)
    return applicants


def allocate(market: Market, budget: Money, rule: str, *, seed: int = 0) -> Allocation:
    """Allocate ``budget`` to the market's applicants under ``rule`` (deterministic for a seed).

    >>> empty = Market((), (), (), Money.of("13", "EUR"), 0)
    >>> allocate(empty, Money.of("1000", "EUR"), "conditional").unspent
    Money(amount=Decimal('1000'), currency='EUR')
    """
    if rule not in RULES:
        raise UsageError(f"unknown allocation rule {rule!r}", hint="use " + " or ".join(RULES))
    if budget.amount < 0:
        raise UsageError(f"budget {budget} is negative")
    for offer in market.offers:
        if offer.payment.currency != budget.currency:
            raise CurrencyMismatch(
                f"the budget is in {budget.currency} but {offer.label} is paid in "
                f"{offer.payment.currency}",
                hint="give the budget and the hourly rate in the same currency",
            )
    remaining = budget
    funded: dict[int, int] = defaultdict(int)
    totals = dict.fromkeys(("completers", "on_pathway", "destination", "employed"), Decimal(0))
    dead = Money.zero(budget.currency)
    groups = {g: _Tally(Money.zero(budget.currency)) for g in market.groups}
    queue = _queue(market, seed)
    for index, group in queue:
        offer = market.offers[index]
        tally = groups[group]
        tally.applicants += 1
        if rule == "conditional" and not offer.conditional_eligible:
            continue
        if offer.payment > remaining:
            continue
        remaining = remaining - offer.payment
        funded[index] += 1
        completion, employed, progression = offer.expectation(group)
        on_pathway = Decimal(0) if offer.dead_end else completion
        reaching = completion if offer.destination else on_pathway * progression
        totals["completers"] += completion
        totals["on_pathway"] += on_pathway
        totals["destination"] += reaching
        totals["employed"] += employed
        if offer.dead_end:
            dead = dead + offer.payment
        tally.funded += 1
        tally.spent = tally.spent + offer.payment
        tally.employed += employed
        tally.on_pathway += on_pathway
    return Allocation(
        rule=rule,
        seed=seed,
        budget=budget,
        spent=budget - remaining,
        dead_end_spent=dead,
        applicants=len(queue),
        funded=tuple(sorted((market.offers[i].credential, n) for i, n in funded.items())),
        completers=totals["completers"],
        on_pathway=totals["on_pathway"],
        reaching_destination=totals["destination"],
        employed=totals["employed"],
        groups=tuple(
            GroupEffect(g, t.applicants, t.funded, t.spent, t.employed, t.on_pathway)
            for g, t in groups.items()
        ),
    )
