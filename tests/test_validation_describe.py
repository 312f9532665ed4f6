"""Descriptions of result nodes: the fast prefixer agrees with rdflib's normalizeUri."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rdflib import URIRef

from pathways.store import KnowledgeGraph
from pathways.validation.describe import _Prefixer, prefixed
from pathways.vocab import PREFIXES


def test_prefixer_agrees_with_rdflib_on_the_pilot(pilot_kg: KnowledgeGraph) -> None:
    graph = pilot_kg.graph
    fast = _Prefixer(graph)
    rows = pilot_kg.select("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")
    iris = [r["s"] for r in rows if isinstance(r["s"], URIRef)]
    assert len(iris) > 500
    assert [fast(i) for i in iris] == [prefixed(graph, i) for i in iris]


_GRAPH = KnowledgeGraph.open().graph
_FAST = _Prefixer(_GRAPH)


@given(
    namespace=st.sampled_from([*PREFIXES.values(), "https://example.org/", "urn:x:"]),
    local=st.text(alphabet="abcXYZ019_.-/#:%é ", max_size=12),
)
def test_prefixer_agrees_with_rdflib_on_any_local_name(namespace: str, local: str) -> None:
    iri = URIRef(namespace + local)
    assert _FAST(iri) == prefixed(_GRAPH, iri)


def test_descriptions_are_a_mapping_over_the_report_nodes(pilot_kg: KnowledgeGraph) -> None:
    from rdflib import BNode, Graph, Literal

    from pathways.validation.describe import describe_nodes

    credential = URIRef("https://w3id.org/pathways/pilot/es-bat-diagnostico")
    unlabelled = URIRef("https://example.org/nothing")
    shape = URIRef("https://example.org/Shape")
    nodes = [credential, unlabelled, Literal("x"), BNode("no-such-blank")]
    labels, anchors = describe_nodes(pilot_kg, Graph(), nodes, [shape])
    assert len(labels) == 5
    assert set(labels) == {*nodes, shape}
    assert labels[credential].endswith("(pilot:es-bat-diagnostico)")
    assert labels[credential] != "pilot:es-bat-diagnostico"  # it has a title
    assert labels[unlabelled] == "https://example.org/nothing"
    assert labels[Literal("x")] == "x"
    assert labels[BNode("no-such-blank")] == "an anonymous node"
    assert labels[shape] == "https://example.org/Shape"
    assert labels.get(URIRef("https://example.org/not-in-the-report")) is None
    assert anchors == {}
    assert len(labels) == 5 and set(labels) == {*nodes, shape}  # the same once computed
