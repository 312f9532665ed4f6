"""Pathway analytics: structural metrics and findings over requisite graphs.

Pure functions over NetworkX directed graphs whose edge ``u -> v`` means ``u`` is
required before ``v`` and whose nodes carry a ``label``; they serve both the knowledge
graph's projection and Curricular Analytics curricula.

>>> import networkx as nx
>>> from pathways.analytics import requisite_metrics
>>> requisite_metrics(nx.DiGraph([("1S", "2S"), ("2S", "3S")])).totals.blocking_factor
3
"""

from pathways.analytics.findings import (
    Destination,
    Findings,
    LevelInversion,
    articulation_nodes,
    dead_ends,
    level_inversions,
    orphans,
    requisite_cycles,
    requisite_findings,
    route_counts,
    unsatisfiable_requisites,
)
from pathways.analytics.metrics import (
    METRICS,
    Maximum,
    MetricTotals,
    NodeMetrics,
    RequisiteMetrics,
    blocking_factors,
    centralities,
    delay_factors,
    node_sort_key,
    path_counts,
    requisite_metrics,
    topological_order,
)
from pathways.analytics.rendering import to_csv, to_human, to_json

__all__ = [
    "METRICS",
    "Destination",
    "Findings",
    "LevelInversion",
    "Maximum",
    "MetricTotals",
    "NodeMetrics",
    "RequisiteMetrics",
    "articulation_nodes",
    "blocking_factors",
    "centralities",
    "dead_ends",
    "delay_factors",
    "level_inversions",
    "node_sort_key",
    "orphans",
    "path_counts",
    "requisite_cycles",
    "requisite_findings",
    "requisite_metrics",
    "route_counts",
    "to_csv",
    "to_human",
    "to_json",
    "topological_order",
    "unsatisfiable_requisites",
]
