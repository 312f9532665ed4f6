"""Where the knowledge graph's progression pathways meet the requisite graph.

Inputs are the two graphs of :mod:`pathways.catalogue.projection`: the stacking graph ``projected``
(:func:`~pathways.catalogue.projection.project`, pathway nodes with ``kind == "pathway"``,
``component`` and ``destination`` edges) and the credential requisite graph ``r``
(:func:`~pathways.catalogue.projection.requisite_graph`). No RDF is read here.

A *recognised destination* is a qualification, or a progression pathway. For the
findings, each pathway becomes a node of its own (``kind == "pathway"``) that requires
its components and, when its destination is a credential, that credential: so a
credential that reaches a pathway or a qualification stacks into something recognised,
and routes and single points of failure are counted up to the pathway itself.
"""

from __future__ import annotations

import networkx as nx

from pathways.catalogue.lookup import kind_error
from pathways.rdf.iris import shorten

__all__ = ["pathway_iris", "pathway_scope", "stacking_graph"]


def pathway_iris(projected: nx.DiGraph) -> list[str]:
    """The progression pathways of a projected graph, sorted.

    >>> g = nx.DiGraph()
    >>> g.add_node("urn:p", kind="pathway"); g.add_node("urn:c", kind="credential")
    >>> pathway_iris(g)
    ['urn:p']
    """
    return sorted(n for n, kind in projected.nodes(data="kind") if kind == "pathway")


def _members(projected: nx.DiGraph, r: nx.DiGraph, pathway: str) -> set[str]:
    """Credentials a pathway lists: its components and its destination credentials."""
    return {
        v
        for _, v, kind in projected.out_edges(pathway, data="kind")
        if kind in ("component", "destination") and v in r
    }


def stacking_graph(
    projected: nx.DiGraph, r: nx.DiGraph, pathways: list[str] | None = None
) -> tuple[nx.DiGraph, list[str]]:
    """``r`` plus one node per pathway, and the recognised destinations.

    Returns the augmented copy and the destinations (qualifications and pathways),
    sorted. ``pathways`` limits the pathways added (default: all of them). Use it for
    findings only: the added nodes would change the metrics.

    >>> p = nx.DiGraph()
    >>> p.add_node("urn:p", kind="pathway", label="EV pathway")
    >>> p.add_edge("urn:p", "urn:a", kind="component")
    >>> r = nx.DiGraph()
    >>> r.add_node("urn:a", kind="micro", label="A"); r.add_node("urn:q", kind="qualification")
    >>> s, destinations = stacking_graph(p, r)
    >>> list(s.edges), destinations
    ([('urn:a', 'urn:p')], ['urn:p', 'urn:q'])
    """
    s = r.copy()
    destinations = [v for v, kind in r.nodes(data="kind") if kind == "qualification"]
    for pathway in pathway_iris(projected) if pathways is None else pathways:
        s.add_node(pathway, kind="pathway", label=projected.nodes[pathway].get("label", pathway))
        s.add_edges_from(((m, pathway) for m in _members(projected, r, pathway)), kind="component")
        destinations.append(pathway)
    return s, sorted(destinations)


def pathway_scope(projected: nx.DiGraph, r: nx.DiGraph, pathway: str) -> nx.DiGraph:
    """The part of ``r`` a pathway covers: its credentials and everything they require.

    Raises :class:`~pathways.errors.NotFoundError` when ``pathway`` is not a
    pw:ProgressionPathway of the graph.

    >>> p = nx.DiGraph()
    >>> p.add_node("urn:p", kind="pathway")
    >>> p.add_edge("urn:p", "urn:b", kind="component")
    >>> r = nx.DiGraph([("urn:a", "urn:b"), ("urn:b", "urn:c")])
    >>> sorted(pathway_scope(p, r, "urn:p"))
    ['urn:a', 'urn:b']
    """
    error = kind_error(
        None,
        projected,
        pathway,
        ("pathway",),
        "known pathways: "
        + (", ".join(shorten(k) for k in pathway_iris(projected)[:10]) or "none"),
    )
    if error is not None:
        raise error
    members = _members(projected, r, pathway)
    covered = set(members)
    for m in members:
        covered |= nx.ancestors(r, m)
    return r.subgraph(covered).copy()
