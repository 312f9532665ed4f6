"""Network formats for researchers: GraphML, GEXF and node-link JSON of the progression network.

The network is :func:`pathways.catalogue.projection.project`'s AND/OR stacking graph (node and
edge kinds and attributes are documented there), made file-safe: ``None`` values are
left out, tuples become ``;``-joined strings, and graph-level dictionaries are dropped.
Blank nodes (conditions, credit values) get canonical labels, so the same graph gives
the same bytes however it was loaded; nodes and edges are written in sorted order and
GEXF's modification date is left out.

>>> from pathways.rdf.store import KnowledgeGraph
>>> g = progression_network(KnowledgeGraph.open())
>>> g.number_of_nodes()
0
"""

from __future__ import annotations

import io
import json
import re
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from pathways.export import ExportOptions, exporter
from pathways.export.linked_data import canonical_triples
from pathways.rdf.store import KnowledgeGraph

if TYPE_CHECKING:  # NetworkX is imported when a network is exported, not by the registry
    import networkx as nx

__all__ = [
    "canonical_copy",
    "canonical_projection",
    "file_safe",
    "gexf",
    "graphml",
    "nodelink",
    "progression_network",
    "scope_kind",
]


def canonical_projection(kg: KnowledgeGraph) -> nx.DiGraph:
    """:func:`~pathways.catalogue.projection.project` over a copy of ``kg`` whose blank nodes
    carry canonical labels, so that node keys do not depend on how the graph was loaded.

    Examples
    --------
    >>> kg = KnowledgeGraph.open()
    >>> kg.store.update('''PREFIX pw: <https://w3id.org/pathways/vocab#>
    ... INSERT DATA { <urn:q> pw:hasCondition [ pw:targetComponent <urn:a> ] }''')
    >>> sorted(canonical_projection(kg))
    ['_:c14n0', 'urn:a', 'urn:q']
    """
    from pathways.catalogue.projection import project

    return project(canonical_copy(kg))


def scope_kind(kg: KnowledgeGraph, iri: str) -> str:
    """What the scope of an export (:attr:`ExportOptions.pathway`) is: ``"credential"``
    or ``"pathway"``, the node kind of ``iri`` in the projection.

    Raises
    ------
    NotFoundError
        ``iri`` is not in the graph (the nearest credential or pathway is the hint).
    UsageError
        ``iri`` is something else (an organisation, an occupation, ...).

    Examples
    --------
    >>> kg = KnowledgeGraph.open()
    >>> kg.store.update('''PREFIX pw: <https://w3id.org/pathways/vocab#>
    ... INSERT DATA { <urn:a> a pw:MicroCredential . }''')
    >>> scope_kind(kg, "urn:a")
    'credential'
    """
    from pathways.catalogue.lookup import kind_error
    from pathways.catalogue.projection import project

    g = project(kg)
    error = kind_error(
        kg, g, iri, ("pathway", "credential"), "an export shows a pathway or a credential"
    )
    if error is not None:
        raise error
    return str(g.nodes[iri]["kind"])


def canonical_copy(kg: KnowledgeGraph) -> KnowledgeGraph:
    """An in-memory copy of ``kg`` (with the ontology) whose blank nodes have canonical
    labels (``c14n0``, ...), for exporters whose output names blank nodes."""
    copy = KnowledgeGraph.open()
    default = ox.DefaultGraph()
    copy.store.extend(
        ox.Quad(t.subject, t.predicate, t.object, default)
        for t in canonical_triples(kg, ExportOptions())
    )
    return copy


def _safe(value: Any) -> Any:
    if isinstance(value, tuple | list | set | frozenset):
        return ";".join(sorted(str(item) for item in value))
    return value


def file_safe(g: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``g`` with sorted nodes and edges and only file-safe attribute values.

    ``None`` is omitted, sequences become ``;``-joined strings, and dictionaries (such
    as the projection's ``funding_schemes``) are dropped.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_node("b", hours=None, countries=("FIN", "ESP")); g.add_edge("b", "a", kind="x")
    >>> h = file_safe(g)
    >>> list(h.nodes(data=True))
    [('a', {}), ('b', {'countries': 'ESP;FIN'})]
    """
    import networkx as nx

    h = nx.DiGraph()

    def clean(data: dict[str, Any]) -> dict[str, Any]:
        return {
            key: _safe(value)
            for key, value in sorted(data.items())
            if value is not None and not isinstance(value, dict)
        }

    h.graph.update(clean(g.graph))
    for node in sorted(g):
        h.add_node(node, **clean(g.nodes[node]))
    for u, v in sorted(g.edges):
        h.add_edge(u, v, **clean(g.edges[u, v]))
    return h


def progression_network(kg: KnowledgeGraph) -> nx.DiGraph:
    """The file-safe, canonically labelled progression network of ``kg``.

    Parameters
    ----------
    kg : KnowledgeGraph

    Returns
    -------
    networkx.DiGraph
        :func:`canonical_projection` passed through :func:`file_safe`; the graph
        attribute ``edge_direction`` says how to read edges.
    """
    g = file_safe(canonical_projection(kg))
    g.graph["edge_direction"] = "from what requires to what is required"
    return g


@exporter("graphml", "application/graphml+xml", "GraphML of the progression network")
def graphml(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    """GraphML with typed node and edge attributes (networkx's writer).

    Examples
    --------
    >>> kg = KnowledgeGraph.open()
    >>> b"<graphml" in graphml(kg, ExportOptions())
    True
    """
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(progression_network(kg), buffer, infer_numeric_types=True)
    return buffer.getvalue()


_GEXF_DATE = re.compile(rb' lastmodifieddate="[^"]*"')


@exporter("gexf", "application/gexf+xml", "GEXF 1.2 of the progression network (for Gephi)")
def gexf(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    """GEXF 1.2 for Gephi, without the writer's modification date (for stable bytes).

    Examples
    --------
    >>> kg = KnowledgeGraph.open()
    >>> b"lastmodifieddate" in gexf(kg, ExportOptions())
    False
    """
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_gexf(progression_network(kg), buffer)
    return _GEXF_DATE.sub(b"", buffer.getvalue())


@exporter("nodelink", "application/json", "node-link JSON of the progression network (D3)")
def nodelink(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    """Node-link JSON (networkx's ``node_link_data``, edges under ``"edges"``).

    Examples
    --------
    >>> kg = KnowledgeGraph.open()
    >>> sorted(json.loads(nodelink(kg, ExportOptions())))
    ['directed', 'edges', 'graph', 'multigraph', 'nodes']
    """
    import networkx as nx

    data = nx.node_link_data(progression_network(kg), edges="edges")
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
