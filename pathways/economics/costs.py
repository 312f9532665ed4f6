"""The true cost of providing a credential, per participant, from its cost items.

A ``pw:CostItem`` has an amount (``pw:cost``), a category (``pw:costCategory``; the
categories with ``pw:isVisibleCost true``, teaching hours and room hire, are the
*visible* part), a recurrence (``pw:OneOff``, ``pw:Annual``, ``pw:PerCohort``), a basis
(``pw:Fixed`` or ``pw:PerParticipant``), the credentials it serves (``pw:costOf``) and,
for acquisitions, a useful life (``pw:usefulLifeYears``).

The model
---------
A :class:`Horizon` fixes the cohort size ``N``, the years ``Y`` and the cohorts per year
``K``; each credential then runs ``K x Y`` cohorts and has ``P = N x K x Y``
participants. Over the horizon an item costs:

========================  =====================================================
item                      charge over the horizon
========================  =====================================================
per participant           ``amount x P`` for *each* credential it serves
                          (whatever its recurrence: once per enrolment)
fixed, one-off, life L    ``amount x Y / L`` (straight-line amortisation; the
                          item is replaced when its life ends)
fixed, one-off, no life   ``amount`` (incurred once, in full)
fixed, annual             ``amount x Y``
fixed, per cohort         ``amount x K x Y``
========================  =====================================================

**Allocation of shared items.** A fixed item that serves several credentials is split
among them: equally by default (``allocation="equal"``), or in proportion to their
notional hours (``allocation="hours"``: participant hours, since every credential has
the same participants under one horizon; equal shares when any of them states no hours).

The unit cost per participant is the credential's allocated total divided by ``P``;
fixed costs make it fall as cohorts grow (:func:`cost_curve`).

>>> horizon = Horizon(cohort=10, years=2)
>>> horizon.participants, horizon.cohorts
(20, 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from rdflib.term import Node, URIRef

from pathways.catalogue.facts import fees as fees_of
from pathways.catalogue.facts import labels as labels_of
from pathways.catalogue.facts import notional_hours
from pathways.economics.money import Money, money_from_row, sum_money, to_decimal
from pathways.errors import InputError, NotFoundError, UsageError
from pathways.rdf.store import KnowledgeGraph
from pathways.vocab import PW

__all__ = [
    "CURVE_SIZES",
    "DEFAULT_COHORT",
    "DEFAULT_YEARS",
    "Allocation",
    "CostItem",
    "CostLine",
    "CostModel",
    "CredentialCost",
    "CurvePoint",
    "Horizon",
    "cost_curve",
    "cost_model",
    "credential_cost",
    "route_cost",
    "unit_cost",
]

Allocation = Literal["equal", "hours"]
CURVE_SIZES = (5, 10, 15, 20, 30, 50)
_RECURRENCE = {str(PW.OneOff): "one-off", str(PW.Annual): "annual", str(PW.PerCohort): "per-cohort"}
_BASIS = {str(PW.Fixed): "fixed", str(PW.PerParticipant): "per-participant"}

#: The horizon a cost question assumes when it names none (``--cohort``, ``--years``;
#: the web pages and the API take the same defaults).
DEFAULT_COHORT = 15
DEFAULT_YEARS = 3


@dataclass(frozen=True)
class Horizon:
    """How many participants a credential serves: cohort size, years, cohorts a year.

    Examples
    --------
    >>> Horizon(cohort=12, years=3, cohorts_per_year=2).participants
    72
    >>> Horizon(cohort=0, years=1)
    Traceback (most recent call last):
    ...
    pathways.errors.UsageError: cohort must be a whole number of at least 1, not 0
    """

    cohort: int
    years: int = 1
    cohorts_per_year: int = 1

    def __post_init__(self) -> None:
        for name in ("cohort", "years", "cohorts_per_year"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise UsageError(f"{name} must be a whole number of at least 1, not {value!r}")

    @property
    def cohorts(self) -> int:
        """Cohorts of one credential over the horizon (``K x Y``)."""
        return self.cohorts_per_year * self.years

    @property
    def participants(self) -> int:
        """Participants of one credential over the horizon (``N x K x Y``)."""
        return self.cohort * self.cohorts

    def with_cohort(self, cohort: int) -> Horizon:
        """The same horizon with another cohort size."""
        return Horizon(cohort, self.years, self.cohorts_per_year)


@dataclass(frozen=True)
class CostItem:
    """One ``pw:CostItem`` as read from the knowledge graph."""

    iri: str
    label: str
    credentials: tuple[str, ...]
    incurred_by: str | None
    category: str
    category_label: str
    visible: bool
    recurrence: str
    basis: str
    cost: Money
    useful_life: Decimal | None

    def charge(self, horizon: Horizon) -> Money:
        """The whole item's cost over ``horizon`` (per credential when per participant).

        Examples
        --------
        >>> item = CostItem("urn:i", "van", ("urn:c",), None, "urn:k", "k", False,
        ...                 "one-off", "fixed", Money.of("45000", "EUR"), Decimal(6))
        >>> item.charge(Horizon(cohort=10, years=2)).amount
        Decimal('15000')
        """
        if self.basis == "per-participant":
            return self.cost * horizon.participants
        if self.recurrence == "one-off":
            if self.useful_life is None:
                return self.cost
            return self.cost * horizon.years / self.useful_life
        if self.recurrence == "annual":
            return self.cost * horizon.years
        return self.cost * horizon.cohorts


@dataclass(frozen=True)
class CostModel:
    """Every cost item of a knowledge graph and the credential facts costing needs."""

    items: tuple[CostItem, ...]
    hours: Mapping[str, Decimal]
    fees: Mapping[str, Money]
    labels: Mapping[str, str]

    def items_of(self, credential: str) -> tuple[CostItem, ...]:
        """The cost items that serve ``credential``."""
        return tuple(item for item in self.items if credential in item.credentials)

    @property
    def credentials(self) -> tuple[str, ...]:
        """Every credential some cost item serves, sorted."""
        return tuple(sorted({c for item in self.items for c in item.credentials}))

    def label(self, iri: str) -> str:
        """The label of a credential or organisation, else the IRI."""
        return self.labels.get(iri, iri)


@dataclass(frozen=True)
class CostLine:
    """One item's part of a credential's cost over the horizon."""

    item: str
    label: str
    category: str
    category_label: str
    visible: bool
    recurrence: str
    basis: str
    share: Decimal
    total: Money


@dataclass(frozen=True)
class CredentialCost:
    """The true cost of one credential over a horizon, by item, and its unit cost."""

    credential: str
    label: str
    horizon: Horizon
    lines: tuple[CostLine, ...]
    total: Money
    per_participant: Money
    visible: Money
    one_off: Money
    recurrent: Money
    fixed: Money
    variable: Money
    fee: Money | None

    @property
    def visible_share(self) -> Decimal | None:
        """The fraction of the true cost that is visible (teaching hours, room hire)."""
        return None if self.total.amount == 0 else self.visible.amount / self.total.amount

    def by_category(self) -> tuple[tuple[str, str, Money], ...]:
        """(category IRI, label, total) for each category, largest first."""
        totals: dict[tuple[str, str], Money] = {}
        for line in self.lines:
            key = (line.category, line.category_label)
            totals[key] = totals[key] + line.total if key in totals else line.total
        ordered = sorted(totals.items(), key=lambda kv: (-kv[1].amount, kv[0][0]))
        return tuple((iri, label, money) for (iri, label), money in ordered)


@dataclass(frozen=True)
class CurvePoint:
    """The unit cost at one cohort size."""

    cohort: int
    participants: int
    per_participant: Money
    visible_share: Decimal | None


_ITEMS_QUERY = """
SELECT ?item ?credential ?by ?category ?visible ?recurrence ?basis ?amount ?currency ?life
WHERE {
    ?item a pw:CostItem .
    OPTIONAL { ?item pw:costOf ?credential }
    OPTIONAL { ?item pw:incurredBy ?by }
    OPTIONAL { ?item pw:costCategory ?category OPTIONAL { ?category pw:isVisibleCost ?visible } }
    OPTIONAL { ?item pw:recurrence ?recurrence }
    OPTIONAL { ?item pw:costBasis ?basis }
    OPTIONAL {
        ?item pw:cost ?m
        OPTIONAL { ?m pw:amount ?amount }
        OPTIONAL { ?m pw:currency ?currency }
    }
    OPTIONAL { ?item pw:usefulLifeYears ?life }
}
ORDER BY ?item ?credential
"""


def _one(item: str, what: str, values: set[str]) -> str:
    if len(values) != 1:
        state = "no" if not values else f"{len(values)} values of"
        raise InputError(
            f"cost item {item} has {state} {what}",
            hint=f"give every pw:CostItem exactly one {what}",
        )
    return next(iter(values))


def _item(kg: KnowledgeGraph, iri: str, rows: list[dict[str, Node]]) -> CostItem:
    def values(key: str) -> set[str]:
        return {str(r[key]) for r in rows if key in r}

    credentials = tuple(sorted(values("credential")))
    if not credentials:
        raise InputError(f"cost item {iri} serves no credential", hint="add pw:costOf")
    recurrence = _one(iri, "pw:recurrence", values("recurrence"))
    basis = _one(iri, "pw:costBasis", values("basis"))
    if recurrence not in _RECURRENCE or basis not in _BASIS:
        raise InputError(
            f"cost item {iri} has an unknown recurrence or basis ({recurrence}, {basis})",
            hint="use pw:OneOff/pw:Annual/pw:PerCohort and pw:Fixed/pw:PerParticipant",
        )
    category = _one(iri, "pw:costCategory", values("category"))
    _one(iri, "pw:cost", {f"{r.get('amount')} {r.get('currency')}" for r in rows})
    cost = money_from_row(rows[0])
    if cost.amount < 0:
        raise InputError(f"cost item {iri} has a negative amount {cost}", hint="costs are >= 0")
    lives = values("life")
    life = (
        to_decimal(_one(iri, "pw:usefulLifeYears", lives), what="pw:usefulLifeYears")
        if lives
        else None
    )
    if life is not None and life <= 0:
        raise InputError(f"cost item {iri} has a useful life of {life} years", hint="use > 0")
    by = values("by")
    return CostItem(
        iri=iri,
        label=kg.label(URIRef(iri)),
        credentials=credentials,
        incurred_by=_one(iri, "pw:incurredBy", by) if by else None,
        category=category,
        category_label=kg.label(URIRef(category)),
        visible=values("visible") == {"true"},
        recurrence=_RECURRENCE[recurrence],
        basis=_BASIS[basis],
        cost=cost,
        useful_life=life,
    )


def cost_model(kg: KnowledgeGraph) -> CostModel:
    """Read every cost item, and the hours, fees and labels of the credentials they serve.

    Raises :class:`~pathways.errors.InputError` naming the item when one is incomplete.

    Examples
    --------
    >>> cost_model(KnowledgeGraph.open()).items
    ()
    """
    grouped: dict[str, list[dict[str, Node]]] = {}
    for row in kg.select(_ITEMS_QUERY):
        grouped.setdefault(str(row["item"]), []).append(row)
    items = tuple(_item(kg, iri, rows) for iri, rows in sorted(grouped.items()))
    hours = notional_hours(kg)  # the one reader of each fact (pathways.catalogue.facts)
    specifications = {
        str(r["c"])
        for r in kg.select(
            """SELECT DISTINCT ?c WHERE {
                 ?c pw:fee ?f ; a/rdfs:subClassOf* pw:CredentialSpecification }"""
        )
    }
    fees: dict[str, Money] = {}
    for iri, fee in fees_of(kg).items():
        if iri not in specifications:
            continue
        if fee.currency is None:
            raise InputError(
                f"the pw:fee of {iri} lacks pw:currency",
                hint="give every monetary amount both an amount and an ISO 4217 currency",
            )
        fees[iri] = Money(fee.amount, fee.currency)
    named = {c for item in items for c in item.credentials} | set(fees)
    named |= {item.incurred_by for item in items if item.incurred_by}
    every = labels_of(kg)  # one scan, not one query per credential
    labels = {iri: every.get(iri) or kg.label(URIRef(iri)) for iri in sorted(named)}
    return CostModel(items, hours, fees, labels)


def _costs(costs: CostModel | KnowledgeGraph) -> CostModel:
    return costs if isinstance(costs, CostModel) else cost_model(costs)


def allocation_share(
    model: CostModel, item: CostItem, credential: str, allocation: Allocation = "equal"
) -> Decimal:
    """The fraction of a fixed item's charge borne by ``credential`` (1 when per participant).

    Examples
    --------
    >>> item = CostItem("urn:i", "rig", ("urn:a", "urn:b"), None, "urn:k", "k", False,
    ...                 "annual", "fixed", Money.of("100", "EUR"), None)
    >>> model = CostModel((item,), {"urn:a": Decimal(30), "urn:b": Decimal(10)}, {}, {})
    >>> allocation_share(model, item, "urn:a"), allocation_share(model, item, "urn:a", "hours")
    (Decimal('0.5'), Decimal('0.75'))
    """
    if credential not in item.credentials:
        return Decimal(0)
    if item.basis == "per-participant":
        return Decimal(1)
    if allocation not in ("equal", "hours"):
        raise UsageError(f"unknown allocation {allocation!r}", hint="use equal or hours")
    weights = [model.hours.get(c) for c in item.credentials]
    if allocation == "hours" and all(w is not None and w > 0 for w in weights):
        total = sum((w for w in weights if w is not None), Decimal(0))
        return model.hours[credential] / total
    return Decimal(1) / Decimal(len(item.credentials))


def credential_cost(
    costs: CostModel | KnowledgeGraph,
    credential: str,
    horizon: Horizon,
    *,
    allocation: Allocation = "equal",
    items: Iterable[CostItem] | None = None,
) -> CredentialCost:
    """The true cost of ``credential`` over ``horizon``: item by item, total and unit cost.

    Parameters
    ----------
    costs
        A :class:`CostModel` (read once with :func:`cost_model`) or a knowledge graph.
    credential
        The credential IRI.
    horizon
        Cohort size, years and cohorts per year.
    allocation
        How a fixed item shared by several credentials is split (``"equal"`` or ``"hours"``).
    items
        Only these items (default: every item that serves the credential).

    Raises
    ------
    NotFoundError
        When no cost item serves the credential.
    CurrencyMismatch
        When its items are in different currencies.

    Examples
    --------
    >>> van = CostItem("urn:van", "van", ("urn:a", "urn:b"), None, "urn:eq", "equipment",
    ...                False, "one-off", "fixed", Money.of("6000", "EUR"), Decimal(3))
    >>> room = CostItem("urn:room", "room", ("urn:a",), None, "urn:room", "room hire",
    ...                 True, "per-cohort", "fixed", Money.of("500", "EUR"), None)
    >>> model = CostModel((van, room), {}, {}, {})
    >>> cost = credential_cost(model, "urn:a", Horizon(cohort=10, years=3))
    >>> cost.total.amount, cost.per_participant.amount, round(cost.visible_share or 0, 4)
    (Decimal('4500.0'), Decimal('150.0'), Decimal('0.3333'))
    """
    model = _costs(costs)
    chosen = (
        model.items_of(credential)
        if items is None
        else tuple(i for i in items if credential in i.credentials)
    )
    if not chosen:
        raise NotFoundError(
            f"no cost items for {credential}",
            hint="describe its cost with pw:CostItem ... pw:costOf it (see 'pathways cost --all')",
        )
    currency = chosen[0].cost.currency
    lines = []
    for item in chosen:
        share = allocation_share(model, item, credential, allocation)
        lines.append(
            CostLine(
                item.iri,
                item.label,
                item.category,
                item.category_label,
                item.visible,
                item.recurrence,
                item.basis,
                share,
                item.charge(horizon) * share,
            )
        )

    def part(keep: bool | None = None, **match: str) -> Money:
        chosen_lines = [
            line
            for line in lines
            if all(getattr(line, k) == v for k, v in match.items())
            and (keep is None or line.visible is keep)
        ]
        return sum_money((line.total for line in chosen_lines), currency)

    total = sum_money((line.total for line in lines), currency)
    one_off = part(recurrence="one-off")
    variable = part(basis="per-participant")
    return CredentialCost(
        credential=credential,
        label=model.label(credential),
        horizon=horizon,
        lines=tuple(sorted(lines, key=lambda line: (-line.total.amount, line.item))),
        total=total,
        per_participant=total / horizon.participants,
        visible=part(True),
        one_off=one_off,
        recurrent=total - one_off,
        fixed=total - variable,
        variable=variable,
        fee=model.fees.get(credential),
    )


def unit_cost(
    costs: CostModel | KnowledgeGraph,
    credential: str,
    horizon: Horizon,
    *,
    allocation: Allocation = "equal",
) -> Money:
    """The true cost per participant of ``credential`` over ``horizon`` (exact).

    Examples
    --------
    >>> kit = CostItem("urn:kit", "kit", ("urn:a",), None, "urn:k", "k", False,
    ...                "per-cohort", "per-participant", Money.of("20", "EUR"), None)
    >>> design = CostItem("urn:d", "design", ("urn:a",), None, "urn:k", "k", False,
    ...                   "one-off", "fixed", Money.of("1000", "EUR"), None)
    >>> model = CostModel((kit, design), {}, {}, {})
    >>> unit_cost(model, "urn:a", Horizon(cohort=10, years=5)).amount
    Decimal('40')
    """
    return credential_cost(costs, credential, horizon, allocation=allocation).per_participant


def cost_curve(
    costs: CostModel | KnowledgeGraph,
    credential: str,
    horizon: Horizon,
    sizes: Sequence[int] = CURVE_SIZES,
    *,
    allocation: Allocation = "equal",
) -> tuple[CurvePoint, ...]:
    """Unit cost at each cohort size of ``sizes`` and of ``horizon``, smallest first.

    Examples
    --------
    >>> design = CostItem("urn:d", "design", ("urn:a",), None, "urn:k", "k", False,
    ...                   "one-off", "fixed", Money.of("1000", "EUR"), None)
    >>> curve = cost_curve(CostModel((design,), {}, {}, {}), "urn:a", Horizon(8), (5, 10))
    >>> [(p.cohort, p.per_participant.amount) for p in curve]
    [(5, Decimal('200')), (8, Decimal('125')), (10, Decimal('100'))]
    """
    model = _costs(costs)
    points = []
    for size in sorted({*sizes, horizon.cohort}):
        cost = credential_cost(model, credential, horizon.with_cohort(size), allocation=allocation)
        points.append(
            CurvePoint(size, cost.horizon.participants, cost.per_participant, cost.visible_share)
        )
    return tuple(points)


def route_cost(
    costs: CostModel | KnowledgeGraph,
    credentials: Iterable[str],
    horizon: Horizon,
    *,
    allocation: Allocation = "equal",
    fallback_to_fee: bool = True,
) -> Money:
    """The true per-participant cost of taking ``credentials`` (a route), summed.

    A credential without cost items counts its fee when ``fallback_to_fee`` (else it is
    an error); with neither, :class:`~pathways.errors.NotFoundError` names it.

    Examples
    --------
    >>> design = CostItem("urn:d", "design", ("urn:a",), None, "urn:k", "k", False,
    ...                   "one-off", "fixed", Money.of("1000", "EUR"), None)
    >>> model = CostModel((design,), {}, {"urn:b": Money.of("90", "EUR")}, {})
    >>> str(route_cost(model, ["urn:a", "urn:b"], Horizon(cohort=10)))
    '190.00 EUR'
    """
    model = _costs(costs)
    parts: list[Money] = []
    for credential in sorted(set(credentials)):
        if model.items_of(credential):
            parts.append(unit_cost(model, credential, horizon, allocation=allocation))
        elif fallback_to_fee and credential in model.fees:
            parts.append(model.fees[credential])
        else:
            raise NotFoundError(
                f"no cost items{' and no fee' if fallback_to_fee else ''} for {credential}",
                hint="describe its cost with pw:CostItem, or give it a pw:fee",
            )
    if not parts:
        raise UsageError("a route needs at least one credential to cost")
    return sum_money(parts, parts[0].currency)
