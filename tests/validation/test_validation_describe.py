"""Descriptions of result nodes: the fast prefixer agrees with rdflib's normalizeUri."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from pathways.rdf.store import KnowledgeGraph
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


def test_label_query_picks_the_best_label(pilot_kg: KnowledgeGraph, tmp_path: Path) -> None:
    """Oxigraph's choice (one MIN per IRI) is the one rule of pathways.rdf.labels
    written out in Python: reader's language, untagged, English, other; then title,
    name, prefLabel, rdfs:label; then text."""
    from pathways.rdf.labels import best_label
    from pathways.validation.describe import LABEL_QUERY, _best_labels

    extra = (
        "@prefix pw: <https://w3id.org/pathways/vocab#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<urn:x:a> pw:title "Otsikko"@fi, "Zeta"@en, "Alpha"@en ; pw:name "Name"@en .\n'
        '<urn:x:b> skos:prefLabel "Plain", "Sana"@fi ; rdfs:label "Label"@en .\n'
        '<urn:x:c> rdfs:label "B"@de, "A"@fi .\n'
    )
    (tmp_path / "labels.ttl").write_text(extra, encoding="utf-8")
    kg = KnowledgeGraph.open()
    kg.load([tmp_path / "labels.ttl"])
    for graph in (pilot_kg, kg):
        plain = graph.select(
            "SELECT ?s ?p ?l WHERE { ?s ?p ?l FILTER(isIRI(?s) && isLiteral(?l)) }"
        )
        candidates: dict[str, list[tuple[str, str, str | None]]] = {}
        for row in plain:
            candidates.setdefault(str(row["s"]), []).append(
                (str(row["p"]), str(row["l"]), _language(row["l"]))
            )
        expected = {s: best_label(c) for s, c in candidates.items()}
        got = _best_labels(graph.select_cells(LABEL_QUERY)[1])
        assert got == {s: label for s, label in expected.items() if label is not None}
    assert got["urn:x:a"] == "Alpha" and got["urn:x:b"] == "Label" and got["urn:x:c"] == "A"


def _language(term: object) -> str | None:
    return term.language if isinstance(term, Literal) else None
