"""Human descriptions of the nodes in validation results.

Reports never show raw blank-node ids: a blank node is described by the way it hangs
from the nearest IRI ("the pw:assessment of pilot:ev-battery"), an IRI by its label
(title, name, prefLabel or rdfs:label) and a shape by its prefixed name.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH, SKOS
from rdflib.term import Node

from pathways.store import KnowledgeGraph, to_oxigraph, to_rdflib
from pathways.validation.results import ValidationResult
from pathways.vocab import PW

__all__ = ["describe_nodes", "prefixed"]

_RANK_IRI = {
    str(PW.title): 0,
    str(PW.name): 1,
    str(SKOS.prefLabel): 2,
    str(RDFS.label): 3,
}


def prefixed(graph: Graph, node: URIRef) -> str:
    """A prefixed name for an IRI when a known prefix fits, else the IRI in <>."""
    text = graph.namespace_manager.normalizeUri(node)
    return text if not text.startswith("<") else str(node)


def describe_nodes(
    kg: KnowledgeGraph, sg: Graph, results: Iterable[ValidationResult]
) -> tuple[dict[Node, str], dict[Node, URIRef]]:
    """Descriptions of every focus node, value and shape in ``results``, and for each
    blank node the IRI it hangs from (its anchor)."""
    results = list(results)
    data_nodes: set[Node] = set()
    shapes: set[Node] = set()
    for r in results:
        data_nodes.add(r.focus)
        if r.value is not None:
            data_nodes.add(r.value)
        shapes.add(r.shape)
    labels: dict[Node, str] = {}
    anchors: dict[Node, URIRef] = {}
    iris = sorted(n for n in data_nodes if isinstance(n, URIRef))
    labels.update(_iri_labels(kg, iris))
    for node in data_nodes:
        if isinstance(node, BNode):
            labels[node], anchor = _blank(kg, node)
            if anchor is not None:
                anchors[node] = anchor
        elif isinstance(node, Literal):
            labels[node] = str(node)
    for shape in shapes:
        labels[shape] = _shape_name(sg, shape)
    return labels, anchors


def _iri_labels(kg: KnowledgeGraph, iris: list[URIRef]) -> dict[Node, str]:
    """Labels of many IRIs: one scan of each label property (a VALUES join per IRI
    batch was measured quadratic in Oxigraph: 27 s for 10k credentials)."""
    wanted = {str(iri) for iri in iris}
    best: dict[str, tuple[int, int, str]] = {}
    for predicate, rank in _RANK_IRI.items():
        for quad in kg.store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            subject, label = quad.subject, quad.object
            if not isinstance(label, ox.Literal) or not isinstance(subject, ox.NamedNode):
                continue
            node = subject.value
            if node not in wanted:
                continue
            key = (rank, {"en": 0, None: 1}.get(label.language, 2), label.value)
            if node not in best or key < best[node]:
                best[node] = key
    out: dict[Node, str] = {}
    for iri in iris:
        name = prefixed(kg.graph, iri)
        found = best.get(str(iri))
        out[iri] = f"{found[2]} ({name})" if found is not None else name
    return out


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
    predicate = prefixed(kg.graph, URIRef(quads[0].predicate.value))
    if isinstance(subject, BNode):
        owner, anchor = _blank(kg, subject, depth + 1)
    else:
        assert isinstance(subject, URIRef)
        owner, anchor = prefixed(kg.graph, subject), subject
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
