"""Human descriptions of the nodes in validation results.

Reports never show raw blank-node ids: a blank node is described by the way it hangs
from the nearest IRI ("the pw:assessment of pilot:ev-battery"), an IRI by its label
(title, name, prefLabel or rdfs:label) and a shape by its prefixed name.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.rdf.labels import best_label_query, label_from_key
from pathways.rdf.sparql_tsv import Cell, cell_key, cell_value
from pathways.rdf.store import KnowledgeGraph, to_oxigraph, to_rdflib
from pathways.vocab import bind_prefixes

__all__ = ["LABEL_QUERY", "Descriptions", "describe_nodes", "prefixed"]


@lru_cache(maxsize=1)
def _names() -> Graph:
    """A graph with the prefixes of IRIs in reports bound, rdflib's and ours, the
    same way as on ``KnowledgeGraph.graph`` (an Oxigraph store keeps no prefixes of
    its own), without building that view (its import of rdflib's SPARQL engine alone
    took 0.25 s)."""
    return bind_prefixes(Graph(), override=True)


def prefixed(graph: Graph, node: URIRef) -> str:
    """A prefixed name for an IRI when a known prefix fits, else the IRI in <>."""
    text = graph.namespace_manager.normalizeUri(node)
    return text if not text.startswith("<") else str(node)


_SIMPLE_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


class _Prefixer:
    """:func:`prefixed` for many IRIs: a plain ``namespace + local name`` IRI (where
    rdflib splits it) is looked up in a table of the graph's namespaces, which is
    what rdflib's ``normalizeUri`` does at twenty times the cost; anything else goes
    to ``normalizeUri``."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.prefixes = {str(namespace): prefix for prefix, namespace in graph.namespaces()}

    def __call__(self, node: URIRef) -> str:
        cut = max(node.rfind("/"), node.rfind("#")) + 1
        local = node[cut:]
        if not _SIMPLE_LOCAL.fullmatch(local):
            return prefixed(self.graph, node)
        prefix = self.prefixes.get(node[:cut])
        return str(node) if prefix is None else f"{prefix}:{local}"


#: The label of every IRI by the one rule of :mod:`pathways.rdf.labels`, chosen
#: by Oxigraph in one scan of the label properties (rows of ``?s ?best``).
LABEL_QUERY = best_label_query()


def describe_nodes(
    kg: KnowledgeGraph,
    sg: Graph,
    nodes: Iterable[Node],
    shapes: Iterable[Node],
    label_rows: list[tuple[Cell, ...]] | None = None,
) -> tuple[Descriptions, dict[Node, URIRef]]:
    """Descriptions of data ``nodes`` (focus nodes and values of results) and
    ``shapes``, and for each blank node the IRI it hangs from (its anchor).
    ``label_rows`` are the rows of :data:`LABEL_QUERY` when the caller has run it
    already. An IRI's description is made when it is first asked for: a report of
    10k credentials names 45k IRIs, and a JSON or CSV report shows only the focus
    nodes' descriptions."""
    data_nodes = set(nodes)
    others = [node for node in data_nodes if type(node) is not URIRef]  # few
    fixed: dict[Node, str] = {}
    anchors: dict[Node, URIRef] = {}
    for node in others:
        if isinstance(node, BNode):
            fixed[node], anchor = _blank(kg, node)
            if anchor is not None:
                anchors[node] = anchor
        elif isinstance(node, Literal):
            fixed[node] = str(node)
    for shape in set(shapes):
        fixed[shape] = _shape_name(sg, shape)
    if label_rows is None:
        label_rows = kg.select_cells(LABEL_QUERY)[1]
    iris: set[Node] = {node for node in others if isinstance(node, URIRef)}  # subclasses
    iris.update(data_nodes.difference(others))
    return Descriptions(fixed, iris, _best_labels(label_rows), _Prefixer(_names())), anchors


class Descriptions(Mapping[Node, str]):
    """The descriptions of a report's nodes: blank nodes, literals and shapes described
    up front, IRIs ("label (prefix:name)", or the prefixed name) when first asked."""

    def __init__(
        self,
        fixed: dict[Node, str],
        iris: set[Node],
        labels: dict[str, str],
        name: Callable[[URIRef], str],
    ) -> None:
        self._known = fixed  # checked first: an IRI shape keeps its shape name
        self._iris = iris
        self._labels = labels
        self._name = name

    def __getitem__(self, node: Node) -> str:
        found: str | None = self.get(node)
        if found is None:
            raise KeyError(node)
        return found

    def get(self, node: Node, default: Any = None) -> Any:
        """The description of ``node``, or ``default`` when the report does not have
        it (a report asks this for every result: one call, no exception)."""
        found = self._known.get(node)
        if found is None:
            if node not in self._iris:
                return default
            assert isinstance(node, URIRef)
            label = self._labels.get(str(node))
            name = self._name(node)
            found = self._known[node] = name if label is None else f"{label} ({name})"
        return found

    def __iter__(self) -> Iterator[Node]:
        return itertools.chain(list(self._known), (n for n in self._iris if n not in self._known))

    def __len__(self) -> int:
        return len(self._known) + sum(1 for n in self._iris if n not in self._known)


def _best_labels(rows: list[tuple[Cell, ...]]) -> dict[str, str]:
    """Each IRI's best label from the rows of :data:`LABEL_QUERY`."""
    labels = {}
    for subject, best in rows:
        assert subject is not None and best is not None
        labels[cell_key(subject)] = label_from_key(cell_value(best))
    return labels


def _blank(kg: KnowledgeGraph, node: BNode, depth: int = 0) -> tuple[str, URIRef | None]:
    """'the pw:assessment of pilot:x' (walking up through at most three blank nodes)."""
    if depth > 3:
        return "an anonymous node", None
    quads = sorted(
        kg.store.quads_for_pattern(None, None, to_oxigraph(node), None),
        key=lambda q: (isinstance(q.subject, ox.BlankNode), str(q.predicate), str(q.subject)),
    )
    if not quads:
        return "an anonymous node", None
    subject = to_rdflib(quads[0].subject)
    predicate = prefixed(_names(), URIRef(quads[0].predicate.value))
    if isinstance(subject, BNode):
        owner, anchor = _blank(kg, subject, depth + 1)
    else:
        assert isinstance(subject, URIRef)
        owner, anchor = prefixed(_names(), subject), subject
    return f"the {predicate} of {owner}", anchor


def _shape_name(sg: Graph, shape: Node) -> str:
    if isinstance(shape, URIRef):
        return prefixed(sg, shape)
    owner = sg.value(None, SH.property, shape)
    path = sg.value(shape, SH.path)
    text = "a property shape" if path is not None else "a shape"
    if isinstance(path, URIRef):
        text += f" on {prefixed(sg, path)}"
    if owner is not None:
        text += f" of {_shape_name(sg, owner)}"
    return text
