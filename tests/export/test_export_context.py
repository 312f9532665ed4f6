"""The published JSON-LD context: it covers the ontology, and compacted JSON-LD round-trips.

The context file is derived from the ontology; when the ontology changes, regenerate it
with ``.venv/bin/python -m tests.export.test_export_context`` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from pathways.export import ExportOptions, export
from pathways.export.linked_data import CONTEXT_URL, vocabulary_context
from pathways.rdf.store import KnowledgeGraph
from pathways.vocab import PREFIXES
from tests.constants import FIXTURES, REPO

CONTEXT_FILE = REPO / "pathways" / "export" / "contexts" / "pathways.jsonld"
SMALL = FIXTURES / "export" / "small.ttl"
_PW = PREFIXES["pw"]
_XSD = PREFIXES["xsd"]
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def build_context() -> dict[str, Any]:
    """The context the ontology implies: prefixes, a term per class and property."""
    onto = Graph()
    onto.parse(REPO / "ontology" / "pathways.ttl")
    terms: dict[str, Any] = {"@version": 1.1, "id": "@id", "type": "@type"}

    def local(iri: URIRef) -> str:
        return str(iri)[len(_PW) :]

    names = {local(s) for s in onto.subjects() if isinstance(s, URIRef) and s.startswith(_PW)}
    # A prefix named like a term (pw:country) would be shadowed by it: IRIs stay whole.
    terms.update({p: ns for p, ns in sorted(PREFIXES.items()) if p not in names})

    for cls in sorted(onto.subjects(RDF.type, OWL.Class), key=str):
        if isinstance(cls, URIRef) and str(cls).startswith(_PW):
            terms[local(cls)] = "pw:" + local(cls)
    for prop in sorted(onto.subjects(RDF.type, OWL.ObjectProperty), key=str):
        if isinstance(prop, URIRef) and str(prop).startswith(_PW):
            terms[local(prop)] = {"@id": "pw:" + local(prop), "@type": "@id"}
    for prop in sorted(onto.subjects(RDF.type, OWL.DatatypeProperty), key=str):
        if not (isinstance(prop, URIRef) and str(prop).startswith(_PW)):
            continue
        rng = str(onto.value(prop, RDFS.range) or "")
        if rng == _LANG_STRING:
            terms[local(prop)] = {"@id": "pw:" + local(prop), "@container": "@language"}
        elif rng.startswith(_XSD) and rng != _XSD + "string":
            terms[local(prop)] = {"@id": "pw:" + local(prop), "@type": "xsd:" + rng[len(_XSD) :]}
        else:
            terms[local(prop)] = "pw:" + local(prop)
    return {"@context": terms}


def test_the_shipped_context_is_the_one_the_ontology_implies() -> None:
    shipped = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    assert shipped == build_context(), (
        "regenerate: .venv/bin/python -m tests.export.test_export_context"
    )
    assert vocabulary_context() == shipped["@context"]


def test_the_context_is_a_valid_json_ld_context_for_oxigraph() -> None:
    document = {
        **build_context(),
        "id": "urn:x",
        "type": "MicroCredential",
        "title": {"en": "X", "es": "Equis"},
        "notionalHours": "25.0",
        "eqfLevel": "eqf:4",
    }
    triples = set(ox.parse(json.dumps(document).encode(), format=ox.RdfFormat.JSON_LD))
    x = ox.NamedNode("urn:x")
    assert ox.Triple(x, ox.NamedNode(_PW + "eqfLevel"), ox.NamedNode(PREFIXES["eqf"] + "4")) in {
        q.triple for q in triples
    }
    hours = ox.Literal("25.0", datatype=ox.NamedNode(_XSD + "decimal"))
    assert ox.Triple(x, ox.NamedNode(_PW + "notionalHours"), hours) in {q.triple for q in triples}
    assert len(triples) == 5


def _load(path: Path) -> KnowledgeGraph:
    kg = KnowledgeGraph.open()
    kg.load([path])
    return kg


def test_compacted_json_ld_uses_the_context_and_reloads_to_the_same_graph(tmp_path: Path) -> None:
    kg = _load(SMALL)
    data = export(kg, "jsonld")
    document = json.loads(data)
    assert document["@context"] == vocabulary_context()
    nodes = {node["id"]: node for node in document["@graph"]}
    micro = nodes["https://w3id.org/pathways/fixture/ev-1s"]
    assert micro["type"] == "MicroCredential"
    assert micro["title"] == {"en": "HV instructed person (1S)", "es": "Persona instruida AT (1S)"}
    (tmp_path / "again.jsonld").write_bytes(data)
    again = _load(tmp_path / "again.jsonld")
    assert export(again, "ntriples") == export(kg, "ntriples")


def test_published_reference_and_expanded_variants() -> None:
    kg = _load(SMALL)
    published = json.loads(export(kg, "jsonld", ExportOptions(jsonld_context="published")))
    assert published["@context"] == CONTEXT_URL
    expanded = json.loads(export(kg, "jsonld", ExportOptions(jsonld_context="expanded")))
    assert isinstance(expanded, list) and all("@id" in node for node in expanded)


def test_json_ld_is_deterministic_across_loads() -> None:
    assert export(_load(SMALL), "jsonld") == export(_load(SMALL), "jsonld")


if __name__ == "__main__":
    CONTEXT_FILE.write_text(json.dumps(build_context(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {CONTEXT_FILE}")
