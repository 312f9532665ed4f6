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
