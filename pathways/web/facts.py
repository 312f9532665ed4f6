"""The served graph's shared facts, each read once and named here.

A page or an API handler that needs the projection, the cost model, the outcome
table, a scheme's eligibility or a pathway's metrics asks this module: each fact has
one reader and one cache key, so two pages cannot compute it twice under keys that
differ by a typo, and the warm-up fills exactly what the pages read.
"""

from __future__ import annotations

import networkx as nx

from pathways.analytics.report import MetricsReport, graph_metrics
from pathways.catalogue.projection import project
from pathways.economics.costs import CostModel, cost_model
from pathways.economics.outcomes import OutcomeTable, outcome_indicators
from pathways.validation.eligibility import EligibilityReport, eligibility
from pathways.web.settings import Explorer

__all__ = ["cost_model_of", "eligibility_of", "metrics_of", "outcome_table", "projection"]


def projection(ex: Explorer) -> nx.DiGraph:
    """The served graph projected once (the graph ``route``, ``gap`` and ``stack`` use);
    callers must not change it."""
    return ex.cached(("projection",), lambda: project(ex.kg))


def cost_model_of(ex: Explorer) -> CostModel:
    """The cost items of the served graph (``pathways cost``'s model), read once."""
    return ex.cached(("cost-model",), lambda: cost_model(ex.kg))


def outcome_table(ex: Explorer) -> OutcomeTable:
    """The outcome indicators at the CLI's defaults (``pathways outcomes``), once."""
    return ex.cached(("outcomes",), lambda: outcome_indicators(ex.kg))


def eligibility_of(ex: Explorer, scheme: str) -> EligibilityReport:
    """``pathways eligibility --scheme SCHEME`` on the served graph, once per scheme."""
    return ex.cached(("eligibility", scheme), lambda: eligibility(ex.kg, scheme))


def metrics_of(ex: Explorer, pathway: str | None) -> MetricsReport:
    """``pathways metrics`` of one pathway (None: the whole graph), once per pathway."""
    return ex.cached(("metrics", pathway), lambda: graph_metrics(ex.kg, pathway))
