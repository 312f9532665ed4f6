"""Economic weights for routes: the true cost per participant and the expected outcome.

:mod:`pathways.routing` minimises whatever number a credential node carries under the
chosen measure. These functions put economic figures on a projected graph (a copy:
the caller's graph is not changed):

- :func:`with_true_costs` replaces each credential's ``cost`` (its fee) by its true
  cost per participant from its cost items (:func:`pathways.economics.costs.unit_cost`)
  over a horizon, so ``pathways route --cost-basis true`` finds the route that is
  cheapest to *provide*, not the one with the lowest fees;
- :func:`with_outcome_weights` sets ``outcome`` = money per expected employed
  completer (price / (completion rate x employment rate at 12 months)), so
  ``--optimize outcome`` finds the route with the best expected outcome per euro.
  Credentials without published (unsuppressed) outcomes get the catalogue's pooled
  rate, and the plan says how many did.

:func:`economic_weights` applies what a route request asks (``--cost-basis true``,
``--optimize outcome``): the one place the command line, ``/api/route`` and the web
planner turn those options into weights.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_node("urn:a", kind="credential", cost=100.0, currency="EUR")
>>> weighted, notes = with_outcome_weights(g, {"urn:a": Decimal("0.5")}, Decimal("0.25"))
>>> weighted.nodes["urn:a"]["outcome"], notes
(200.0, ())
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import networkx as nx

from pathways.economics.costs import CostModel, Horizon, cost_model, unit_cost
from pathways.economics.outcomes import OutcomeTable, outcome_indicators
from pathways.errors import UsageError
from pathways.rdf.store import KnowledgeGraph

__all__ = [
    "COST_BASES",
    "economic_weights",
    "expected_employment_rates",
    "with_outcome_weights",
    "with_true_costs",
]

#: What a credential's ``cost`` is: its published fee, or its true cost per participant.
COST_BASES = ("fee", "true")


def economic_weights(
    kg: KnowledgeGraph,
    g: nx.DiGraph,
    optimize: str,
    cost_basis: str,
    horizon: Horizon,
    *,
    model: CostModel | None = None,
    outcomes: OutcomeTable | None = None,
) -> tuple[nx.DiGraph, tuple[str, ...]]:
    """``g`` with true costs (``cost_basis == "true"``) and outcome weights
    (``optimize == "outcome"``) when asked, and the notes saying what was assumed;
    ``g`` itself when neither is asked. ``model`` and ``outcomes`` are the graph's
    cost model and outcome table when the caller has read them already (a server
    reads them once); otherwise they are read from ``kg``.

    >>> from pathways.catalogue.projection import project
    >>> kg = KnowledgeGraph.open()
    >>> g = project(kg)
    >>> economic_weights(kg, g, "hours", "fee", Horizon(15, 3)) == (g, ())
    True
    >>> weighted, notes = economic_weights(kg, g, "outcome", "true", Horizon(15, 3))
    >>> [n.split(":")[0] for n in notes]  # none imputed: the graph has no credentials
    ['cost basis']
    """
    if cost_basis not in COST_BASES:
        raise UsageError(f"cost basis must be one of {', '.join(COST_BASES)}, not {cost_basis!r}")
    notes: tuple[str, ...] = ()
    if cost_basis == "true":
        g, notes = with_true_costs(g, cost_model(kg) if model is None else model, horizon)
    if optimize == "outcome":
        rates, pooled = expected_employment_rates(
            outcome_indicators(kg) if outcomes is None else outcomes
        )
        g, more = with_outcome_weights(g, rates, pooled)
        notes += more
    return g, notes


def with_true_costs(
    g: nx.DiGraph, model: CostModel, horizon: Horizon
) -> tuple[nx.DiGraph, tuple[str, ...]]:
    """A copy of ``g`` whose credentials with cost items cost their true unit cost."""
    weighted = g.copy()
    priced = 0
    for credential in model.credentials:
        if credential not in weighted:
            continue
        cost = unit_cost(model, credential, horizon)
        weighted.nodes[credential]["cost"] = float(cost.amount)
        weighted.nodes[credential]["currency"] = cost.currency
        priced += 1
    credentials = sum(1 for _, d in weighted.nodes(data=True) if d.get("kind") == "credential")
    notes = (
        f"cost basis: true cost per participant (cohort {horizon.cohort}, {horizon.years} "
        f"year(s), {horizon.cohorts_per_year} cohort(s) a year) for {priced} credential(s) "
        f"with cost items; the published fee for the other {credentials - priced}",
    )
    return weighted, notes


def expected_employment_rates(table: OutcomeTable) -> tuple[dict[str, Decimal], Decimal | None]:
    """Completion x 12-month employment per credential, and the pooled catalogue rate.

    The pooled rate weights each credential's rate by its published learners.
    """
    rates: dict[str, Decimal] = {}
    weighted = Decimal(0)
    learners = 0
    for row in table.credentials:
        rate = row.expected_employment
        if rate is None:
            continue
        rates[row.subject] = rate
        weighted += rate * row.learners
        learners += row.learners
    return rates, (weighted / learners if learners else None)


def with_outcome_weights(
    g: nx.DiGraph, rates: Mapping[str, Decimal], pooled: Decimal | None
) -> tuple[nx.DiGraph, tuple[str, ...]]:
    """A copy of ``g`` whose credentials carry ``outcome``: price per expected employed
    completer. A free credential weighs 0; one without outcomes uses ``pooled``."""
    weighted = g.copy()
    imputed = 0
    for node, data in weighted.nodes(data=True):
        if data.get("kind") != "credential":
            continue
        price = float(data.get("cost") or 0.0)
        rate = rates.get(node)
        if rate is None:
            imputed += 1
            rate = pooled
        if price == 0.0:
            data["outcome"] = 0.0
        elif rate is None or rate <= 0:
            data["outcome"] = price * 1000.0  # nobody is known to be employed after it
        else:
            data["outcome"] = float(Decimal(str(price)) / rate)
    notes: tuple[str, ...] = ()
    if imputed:
        pooled_text = f"{float(pooled):.0%}" if pooled is not None else "unknown"
        notes = (
            f"outcome: {imputed} credential(s) without published outcomes use the catalogue's "
            f"pooled expected employment rate ({pooled_text})",
        )
    return weighted, notes
