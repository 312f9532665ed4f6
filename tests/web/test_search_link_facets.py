"""The NQF level, occupation and ESCO skill facets against the pilot's own statements,
read from the data files with plain rdflib (not with the catalogue's readers)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from fastapi.testclient import TestClient
from rdflib import RDF, BNode, Graph, URIRef

DATA = Path(__file__).resolve().parents[2] / "data"
PW = "https://w3id.org/pathways/vocab#"
CLASSES = {URIRef(PW + c) for c in ("MicroCredential", "Qualification", "OtherCredential")}


def _pilot() -> Graph:
    graph = Graph()
    for path in sorted(DATA.rglob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def _stated(graph: Graph) -> dict[str, Counter[str]]:
    credentials = {s for c in CLASSES for s in graph.subjects(RDF.type, c)}
    pw = {name: URIRef(PW + name) for name in ("nqfLevel", "learningOutcome", "alignedSkill")}
    found: dict[str, set[tuple[str, str]]] = {
        "nqf_level": set(),
        "skill": set(),
        "occupation": set(),
    }
    occupations = set(graph.subjects(RDF.type, URIRef(PW + "Occupation")))
    for c in credentials:
        for level in graph.objects(c, pw["nqfLevel"]):
            found["nqf_level"].add((str(c), str(level)))
        for outcome in graph.objects(c, pw["learningOutcome"]):
            for skill in graph.objects(outcome, pw["alignedSkill"]):
                found["skill"].add((str(c), str(skill)))
        for occupation in graph.objects(c, URIRef(PW + "targetOccupation")):
            found["occupation"].add((str(c), str(occupation)))
    for pathway, c in graph.subject_objects(URIRef(PW + "pathwayComponent")):
        if c in credentials:
            for goal in graph.objects(pathway, URIRef(PW + "destination")):
                if goal in occupations:
                    found["occupation"].add((str(c), str(goal)))
    return {
        facet: Counter(v for c, v in pairs if not v.startswith("_:"))
        for facet, pairs in found.items()
    }


def test_counts_are_the_credentials_stating_each_value(client: TestClient) -> None:
    stated = _stated(_pilot())
    facets = client.get("/search.json").json()["facets"]
    for name in ("nqf_level", "skill", "occupation"):
        counts = {v["value"]: v["count"] for v in facets[name]}
        assert counts == dict(stated[name]), name
        assert all(v["label"] for v in facets[name])
    assert len(stated["nqf_level"]) >= 2 and len(stated["skill"]) > 20
    assert not any(isinstance(v, BNode) for v in stated["skill"])


def test_a_value_narrows_the_results_to_its_count(client: TestClient) -> None:
    stated = _stated(_pilot())
    everything = client.get("/search.json").json()["total"]
    for name in ("nqf_level", "skill", "occupation"):
        value, count = stated[name].most_common(1)[0]
        narrowed = client.get("/search.json", params={name: value}).json()
        assert narrowed["total"] == count < everything, name
    page = client.get("/search").text
    assert "NQF level" in page and "ESCO skill" in page and "Occupation" in page
