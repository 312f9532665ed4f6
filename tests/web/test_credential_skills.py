"""The credential page's ESCO skills and occupations, checked against the data files read
with plain rdflib (the pilot's own statements), not against the explorer's readers."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

DATA = Path(__file__).resolve().parents[2] / "data"
PILOT = "https://w3id.org/pathways/pilot/"
PW = "https://w3id.org/pathways/vocab#"


def _pilot() -> Graph:
    graph = Graph()
    for path in sorted(DATA.rglob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def test_skills_are_those_its_learning_outcomes_align_with(client: TestClient) -> None:
    graph = _pilot()
    iri = PILOT + "es-ce-hev-m1"
    stated = {
        str(skill)
        for outcome in graph.objects(URIRef(iri), URIRef(PW + "learningOutcome"))
        for skill in graph.objects(outcome, URIRef(PW + "alignedSkill"))
    }
    assert len(stated) >= 6  # data/credentials-es.ttl: three outcomes, two skills each
    twin = client.get("/credential.json", params={"iri": "pilot:es-ce-hev-m1"}).json()
    assert {s["iri"] for s in twin["skills"]} == stated
    for skill in twin["skills"]:
        english = {
            str(o)
            for o in graph.objects(URIRef(skill["iri"]), SKOS.prefLabel)
            if isinstance(o, Literal) and o.language == "en"
        }
        if english:
            assert skill["label"] in english
    page = client.get("/credential", params={"iri": "pilot:es-ce-hev-m1"}).text
    assert "ESCO skills of its learning outcomes" in page
    assert all(s["label"] in page for s in twin["skills"])


def test_occupations_are_those_it_targets_or_its_pathways_lead_to(client: TestClient) -> None:
    graph = _pilot()
    target, component, destination = (
        URIRef(PW + name) for name in ("targetOccupation", "pathwayComponent", "destination")
    )
    known = set(graph.subjects(RDF.type, URIRef(PW + "Occupation")))
    stated: dict[str, set[str]] = {}
    for credential, occupation in graph.subject_objects(target):
        stated.setdefault(str(credential), set()).add(str(occupation))
    for pathway, credential in graph.subject_objects(component):
        for goal in graph.objects(pathway, destination):
            if goal in known:
                stated.setdefault(str(credential), set()).add(str(goal))
    credentials = {
        str(c)
        for kind in ("MicroCredential", "Qualification", "OtherCredential")
        for c in graph.subjects(RDF.type, URIRef(PW + kind))
    }
    stated = {c: o for c, o in stated.items() if c in credentials}
    assert len(stated) >= 3  # data/credentials-*.ttl and data/pathways.ttl state them
    for iri, occupations in sorted(stated.items()):
        twin = client.get("/credential.json", params={"iri": iri}).json()
        assert {o["iri"] for o in twin["occupations"]} == occupations, iri
        assert "occupation" not in twin["facets"] and "skill" not in twin["facets"]
    page = client.get("/credential", params={"iri": sorted(stated)[0]}).text
    assert "Occupations it leads to" in page and "/occupation?iri=" in page
