"""The RDF -> NetworkX projection and the requisite graph."""

from __future__ import annotations

import networkx as nx
import pytest

from pathways.catalogue.projection import EDGE_LOGIC, NODE_KINDS, project, requisite_graph
from pathways.rdf.store import KnowledgeGraph
from tests.constants import FIXTURES

EX = "https://example.org/routes/"


@pytest.fixture(scope="module")
def ladder() -> nx.DiGraph:
    kg = KnowledgeGraph.open()
    kg.load([FIXTURES / "routes" / "ladder.ttl"])
    return project(kg)


def test_node_kinds_and_attributes(ladder: nx.DiGraph) -> None:
    assert {k for _, k in ladder.nodes(data="kind")} <= set(NODE_KINDS)
    hv2 = ladder.nodes[EX + "hv-2s"]
    assert (hv2["type"], hv2["hours"], hv2["cost"], hv2["currency"], hv2["eqf"]) == (
        "micro",
        60.0,
        900.0,
        "EUR",
        4,
    )
    assert hv2["countries"] == ("http://publications.europa.eu/resource/authority/country/ESP",)
    assert ladder.nodes[EX + "vq"]["type"] == "qualification"
    choice = ladder.nodes[EX + "vq-choice"]
    assert (choice["required"], choice["all"], choice["min_hours"]) == (2, False, 50.0)
    assert ladder.nodes[EX + "vq-core"]["required"] == 1
    assert ladder.nodes[EX + "route-short"]["hours"] == 12.0


def test_edges(ladder: nx.DiGraph) -> None:
    assert all(d["logic"] == EDGE_LOGIC[d["kind"]] for _, _, d in ladder.edges(data=True))
    kinds = {(u.removeprefix(EX), v.removeprefix(EX)): k for u, v, k in ladder.edges(data="kind")}
    assert kinds["hv-2s", "route-short"] == "entry"
    assert kinds["route-short", "electrics"] == "requires"
    assert kinds["route-short", "electrics-background"] == "recognises"
    assert kinds["vq", "vq-choice"] == "condition"
    assert kinds["vq-choice", "u4"] == "target"
    assert kinds["hv-2s", "skill-hv"] == "teaches"
    assert kinds["technician", "skill-unknown"] == "essential"
    assert kinds["path", "specialist"] == "destination"


def test_requisite_graph(ladder: nx.DiGraph) -> None:
    r = requisite_graph(ladder)
    assert set(r) == {n for n, k in ladder.nodes(data="kind") if k == "credential"}
    assert r.edges[EX + "hv-1s", EX + "hv-2s"]["kind"] == "prerequisite"
    assert r.edges[EX + "electrics", EX + "hv-2s"]["kind"] == "entry"
    assert r.edges[EX + "u3", EX + "vq"]["kind"] == "component"
    assert r.nodes[EX + "vq"]["kind"] == "qualification"
    assert nx.is_directed_acyclic_graph(r)


def test_undeclared_reference_and_deterministic(empty_kg: KnowledgeGraph) -> None:
    empty_kg.store.update(
        "PREFIX pw: <https://w3id.org/pathways/vocab#> "
        "INSERT DATA { <urn:b> a pw:MicroCredential ; pw:prerequisite <urn:a> . }"
    )
    g = project(empty_kg)
    assert g.nodes["urn:a"]["declared"] is False and g.nodes["urn:b"]["declared"] is True
    assert dict(project(empty_kg).nodes(data=True)) == dict(g.nodes(data=True))
    assert sorted(project(empty_kg).edges) == sorted(g.edges)


def test_labels_with_escapes_and_languages_survive_the_projection() -> None:
    """Projection reads SPARQL TSV cells: quotes, tabs, non-ASCII and tags must decode."""
    kg = KnowledgeGraph.open()
    kg.store.update(
        "PREFIX pw: <https://w3id.org/pathways/vocab#>\n"
        'INSERT DATA { <urn:x> a pw:MicroCredential ; pw:title "Sähkö \\"2S\\"\\tkurssi"@fi ,'
        ' "Curso \\u00e9l\\u00e9ctrico \\\\ A"@es , "Electrical course"@en ;'
        ' pw:notionalHours "4.50"^^<http://www.w3.org/2001/XMLSchema#decimal> ;'
        ' pw:validityPeriod "P5Y"^^<http://www.w3.org/2001/XMLSchema#duration> . '
        ' <urn:y> a pw:MicroCredential ; pw:title "Sähkö \\"2S\\"\\tkurssi"@fi . }'
    )
    g = project(kg)
    assert g.nodes["urn:x"]["label"] == "Electrical course"
    assert g.nodes["urn:y"]["label"] == 'Sähkö "2S"\tkurssi'
    assert g.nodes["urn:x"]["hours"] == 4.5
    assert g.nodes["urn:x"]["validity"] == "P5Y"
