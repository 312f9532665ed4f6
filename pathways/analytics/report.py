"""Curricular analytics of a knowledge graph, as ``pathways metrics`` and the web
explorer's ``/api/metrics`` compute them: one composition, two faces.

>>> from pathways.rdf.store import KnowledgeGraph
>>> report = graph_metrics(KnowledgeGraph.open())
>>> report.title, len(report.metrics.nodes)
('all pathways: 0 credentials', 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from pathways.analytics.findings import Findings, requisite_findings
from pathways.analytics.metrics import RequisiteMetrics, requisite_metrics
from pathways.analytics.progression import pathway_scope, stacking_graph
from pathways.catalogue.projection import project, requisite_graph
from pathways.errors import InputError
from pathways.rdf.store import KnowledgeGraph

__all__ = ["MetricsReport", "graph_metrics", "node_labels", "refuse_cycles"]


@dataclass(frozen=True)
class MetricsReport:
    """Metrics and findings of the requisite graph, the labels to show and a title."""

    metrics: RequisiteMetrics
    findings: Findings
    labels: dict[object, str]
    title: str


def node_labels(g: nx.DiGraph) -> dict[object, str]:
    """The ``label`` of every node that has one."""
    return {v: str(label) for v, label in g.nodes(data="label") if label}


def refuse_cycles(findings: Findings, source: Path | None = None) -> None:
    """An :class:`InputError` naming every requisite cycle (the metrics need none)."""
    if not findings.cycles:
        return
    shown = ["{" + ", ".join(str(v) for v in cycle) + "}" for cycle in findings.cycles[:10]]
    more = f" and {len(findings.cycles) - 10} more" if len(findings.cycles) > 10 else ""
    raise InputError(
        f"{len(findings.cycles)} requisite cycle(s): " + "; ".join(shown) + more,
        path=source,
        hint="the metrics need acyclic requisites: remove one requisite of each cycle",
    )


def graph_metrics(kg: KnowledgeGraph, pathway: str | None = None) -> MetricsReport:
    """Metrics of every pathway of ``kg`` (or of ``pathway`` and what it requires)."""
    projected = project(kg)
    r = requisite_graph(projected)
    if pathway is not None:
        r = pathway_scope(projected, r, pathway)
        s, destinations = stacking_graph(projected, r, [pathway])
    else:
        s, destinations = stacking_graph(projected, r)
    findings = requisite_findings(s, destinations)
    refuse_cycles(findings)
    title = f"{'pathway ' + pathway if pathway else 'all pathways'}: {len(r)} credentials"
    return MetricsReport(requisite_metrics(r), findings, node_labels(s), title)
