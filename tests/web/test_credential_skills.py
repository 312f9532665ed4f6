"""The credential page's ESCO skills and occupations, checked against the data files read
with plain rdflib (the pilot's own statements), not against the explorer's readers."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
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


def test_occupations_are_the_stated_ones_with_links(client: TestClient) -> None:
    graph = _pilot()
    with_occupation = sorted(
        {
            str(s)
            for s, _ in graph.subject_objects(URIRef(PW + "targetOccupation"))
            if str(s).startswith(PILOT)
        }
    )
    assert with_occupation  # the pilot states pw:targetOccupation for its credentials
    iri = with_occupation[0]
    stated = {str(o) for o in graph.objects(URIRef(iri), URIRef(PW + "targetOccupation"))}
    twin = client.get("/credential.json", params={"iri": iri}).json()
    assert {o["iri"] for o in twin["occupations"]} == stated
    page = client.get("/credential", params={"iri": iri}).text
    assert "/occupation?iri=" in page
