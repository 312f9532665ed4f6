"""The consortium scenario: providers sharing an assessment centre, or each buying its own.

A ``pw:Consortium`` has member providers (``pw:member``); cost items ``pw:incurredBy``
the consortium are *shared* (an assessment centre, training vehicles, a calibration rig,
calibrated assessors). Member ``m`` offers the credentials ``C_m`` that a shared item
serves and that name ``m`` as ``pw:provider``; under one :class:`Horizon` it has
``P x |C_m|`` participants.

The model
---------
*Alone*, member ``m`` buys its own copy of every shared item that serves one of its
credentials: it bears the item's whole fixed charge (per-participant items: ``amount x P``
for each of its credentials the item serves).

*In the consortium*, a fixed item's charge is split among the members by use: ``m`` bears
``charge x |C_m ∩ K| / U`` where ``K`` is what the item serves and ``U`` the sum of
``|C_m' ∩ K|`` over all members (each member's cohorts of each credential are one unit of
use). Per-participant items cost the same either way.

Costs a member incurs itself (``pw:incurredBy m``) for its credentials are added on both
sides, so the saving is exactly the shared infrastructure no longer duplicated.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rdflib import URIRef

from pathways.catalogue.lookup import instance_error
from pathways.economics.costs import CostItem, CostModel, Horizon, allocation_share, cost_model
from pathways.economics.money import Money, sum_money
from pathways.errors import NotFoundError
from pathways.rdf.store import KnowledgeGraph

__all__ = ["ConsortiumScenario", "MemberScenario", "consortium_scenario"]


@dataclass(frozen=True)
class MemberScenario:
    """One member: participants and cost per participant alone and in the consortium."""

    provider: str
    label: str
    credentials: tuple[str, ...]
    participants: int
    alone: Money
    shared: Money

    @property
    def saving(self) -> Money:
        """What each participant costs less in the consortium."""
        return self.alone - self.shared

    @property
    def saving_share(self) -> Decimal | None:
        """The saving as a fraction of the cost alone."""
        return None if self.alone.amount == 0 else self.saving.amount / self.alone.amount


@dataclass(frozen=True)
class ConsortiumScenario:
    """Every member of a consortium alone versus sharing, over one horizon."""

    consortium: str
    label: str
    horizon: Horizon
    shared_items: tuple[str, ...]
    members: tuple[MemberScenario, ...]
    idle_members: tuple[str, ...]

    @property
    def alone_total(self) -> Money:
        """What all active members spend over the horizon, each alone."""
        return _total(m.alone * m.participants for m in self.members)

    @property
    def shared_total(self) -> Money:
        """What all active members spend over the horizon in the consortium."""
        return _total(m.shared * m.participants for m in self.members)

    @property
    def saving(self) -> Money:
        """The total saving of sharing."""
        return self.alone_total - self.shared_total


def _total(values: object) -> Money:
    items = list(values)  # type: ignore[call-overload]
    return sum_money(items, items[0].currency)


def _own_cost(
    model: CostModel, member: str, credentials: tuple[str, ...], h: Horizon, currency: str
) -> Money:
    parts = [
        item.charge(h) * allocation_share(model, item, c)
        for item in model.items
        if item.incurred_by == member
        for c in credentials
        if c in item.credentials
    ]
    return sum_money(parts, currency)


def consortium_scenario(
    kg: KnowledgeGraph, consortium: str, horizon: Horizon, *, costs: CostModel | None = None
) -> ConsortiumScenario:
    """Each member's true cost per participant alone and in ``consortium``.

    Raises
    ------
    NotFoundError
        When ``consortium`` is not a ``pw:Consortium`` with members, or incurs no cost item.
    CurrencyMismatch
        When the items are in different currencies.
    """
    node = URIRef(consortium)
    members = sorted(
        str(r["m"])
        for r in kg.select("SELECT ?m WHERE { ?c a pw:Consortium ; pw:member ?m }", c=node)
    )
    if not members:
        error = instance_error(kg, consortium, "pw:Consortium", "a consortium")
        if error is not None:
            raise error
        raise NotFoundError(
            f"{consortium} is not a pw:Consortium with pw:member providers",
            hint="name a consortium IRI; list them with: pathways query "
            "'SELECT ?c WHERE { ?c a pw:Consortium }'",
        )
    model = costs if costs is not None else cost_model(kg)
    shared: tuple[CostItem, ...] = tuple(i for i in model.items if i.incurred_by == consortium)
    if not shared:
        raise NotFoundError(f"no cost item is pw:incurredBy {consortium}")
    currency = shared[0].cost.currency
    served = {c for item in shared for c in item.credentials}
    offers: dict[str, tuple[str, ...]] = {}
    for member in members:
        rows = kg.select("SELECT ?c WHERE { ?c pw:provider ?m }", m=URIRef(member))
        offers[member] = tuple(sorted(str(r["c"]) for r in rows if str(r["c"]) in served))
    use = {
        item.iri: sum(len(set(offers[m]) & set(item.credentials)) for m in members)
        for item in shared
    }
    scenarios = []
    for member in members:
        mine = offers[member]
        if not mine:
            continue
        alone: list[Money] = []
        together: list[Money] = []
        for item in shared:
            count = len(set(mine) & set(item.credentials))
            if count == 0:
                continue
            charge = item.charge(horizon)
            if item.basis == "per-participant":
                alone.append(charge * count)
                together.append(charge * count)
            else:
                alone.append(charge)
                together.append(charge * count / use[item.iri])
        own = _own_cost(model, member, mine, horizon, currency)
        participants = horizon.participants * len(mine)
        scenarios.append(
            MemberScenario(
                provider=member,
                label=kg.label(URIRef(member)),
                credentials=mine,
                participants=participants,
                alone=(sum_money(alone, currency) + own) / participants,
                shared=(sum_money(together, currency) + own) / participants,
            )
        )
    if not scenarios:
        raise NotFoundError(
            f"no member of {consortium} is the pw:provider of a credential its items serve"
        )
    return ConsortiumScenario(
        consortium=consortium,
        label=kg.label(node),
        horizon=horizon,
        shared_items=tuple(item.iri for item in shared),
        members=tuple(scenarios),
        idle_members=tuple(m for m in members if not offers[m]),
    )
