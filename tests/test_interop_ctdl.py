"""CTDL importer: the real Credential Engine examples, warts included, and a small fixture."""

from __future__ import annotations

import pytest
from rdflib import RDF, Namespace, URIRef

from pathways.interop import import_ctdl
from pathways.vocab import PW
from tests.constants import EXTERNAL, FIXTURES

CTDL_DIR = EXTERNAL / "ctdl"
RES = Namespace("http://example.org/resources/")
CER = Namespace("https://credentialengineregistry.org/resources/")

pytestmark = pytest.mark.skipif(not CTDL_DIR.is_dir(), reason="shared/external not present")


@pytest.fixture(scope="module")
def heriot_watt():  # type: ignore[no-untyped-def]
    return import_ctdl([CTDL_DIR / "heriot-watt-pathway.ttl", CTDL_DIR / "heriot-watt-courses.ttl"])


def _messages(result, node):  # type: ignore[no-untyped-def]
    return [f.message for f in result.findings if f.node == str(node)]


def test_heriot_watt_pathway_and_destination(heriot_watt) -> None:  # type: ignore[no-untyped-def]
    g = heriot_watt.graph
    pathway = RES["ec071f65-2c5b-4b58-a2df-dd6287880a7a"]
    degree = RES["46942a57-b7f5-4ce7-bbf8-72976ac7bd23"]
    assert (pathway, RDF.type, PW.ProgressionPathway) in g
    assert g.value(pathway, PW.destination) == degree  # the proxied BachelorDegree
    assert (degree, RDF.type, PW.Qualification) in g
    assert len(set(g.objects(pathway, PW.pathwayComponent))) > 40
    assert not heriot_watt.has_errors


def test_heriot_watt_nested_n_of_m(heriot_watt) -> None:  # type: ignore[no-untyped-def]
    g = heriot_watt.graph
    outer = RES["f39bf394-5b6e-496c-b150-589bcc607a8e"]
    assert int(g.value(outer, PW.requiredNumber)) == 2
    inner = RES["167bbaf1-c6ac-4cb3-b03b-36df7cec256a"]
    assert inner in set(g.objects(outer, PW.hasSubCondition))
    assert g.value(inner, PW.requiredNumber) is None  # absent = all
    two_of_nine = RES["1fab69ca-9c88-4b09-a3f9-5916b6e9455c"]
    assert int(g.value(two_of_nine, PW.requiredNumber)) == 2
    # "2 out of 9": nine listed, one of them twice, so eight distinct course credentials
    assert len(set(g.objects(two_of_nine, PW.targetComponent))) == 8
    # targets are the courses the components stand for (proxyFor), with their credit
    course = RES["f17018e3-0fe4-4767-b5a8-5a7badb82385"]
    assert course in set(g.objects(two_of_nine, PW.targetComponent))
    credit = g.value(course, PW.credit)
    assert float(g.value(credit, PW.creditAmount)) == 15


def test_heriot_watt_defects_are_findings(heriot_watt) -> None:  # type: ignore[no-untyped-def]
    twice = _messages(heriot_watt, RES["a7cd1db3-0dcd-42a8-b871-678ea7806c59"])
    assert any("two components" in m and "DipHE" in m for m in twice)
    dangling = RES["2883cc8a-ed5c-420d-9a88-454b24fc2b9d"]
    stage = RES["ad7d4f8c-5230-4002-9e44-a29568985a6f"]
    assert any(
        str(dangling) in m and "points at nothing" in m for m in _messages(heriot_watt, stage)
    )
    files = {f.file for f in heriot_watt.findings}
    assert files <= {"heriot-watt-pathway.ttl", "heriot-watt-courses.ttl"}


def test_heriot_watt_provenance(heriot_watt) -> None:  # type: ignore[no-untyped-def]
    g = heriot_watt.graph
    prov = Namespace("http://www.w3.org/ns/prov#")
    source = g.value(RES["46942a57-b7f5-4ce7-bbf8-72976ac7bd23"], prov.wasDerivedFrom)
    assert str(g.value(source, prov.atLocation)) == "heriot-watt-courses.ttl"
    dcterms = Namespace("http://purl.org/dc/terms/")
    assert g.value(source, dcterms.conformsTo) == URIRef("https://purl.org/ctdl/terms/")


def test_comptia_jsonld_with_progression_model() -> None:
    result = import_ctdl(
        [
            CTDL_DIR / "comptia-it-networking-specialist.jsonld",
            CTDL_DIR / "comptia-it-progression-model.json",
        ]
    )
    g = result.graph
    pathway = CER["ce-cc62e516-f95d-4306-a11a-c0ecc39d835f"]
    cloud = CER["ce-1369d357-ac4f-49f9-8af2-c47376278896"]
    assert g.value(pathway, PW.destination) == cloud
    assert len(set(g.subjects(RDF.type, PW.Qualification))) == 8  # the eight certifications
    assert not result.has_errors
    # the published files disagree on identifiers ("ce-" prefix): reported, with the near match
    assert any("differ by 'ce-'" in f.message for f in result.findings)


def test_unparseable_and_remote_context_files_do_not_stop_the_others() -> None:
    result = import_ctdl(
        [
            CTDL_DIR / "kansas-hutchinson-welding-aas.json",
            CTDL_DIR / "illinois-it.json",
            FIXTURES / "interop" / "ctdl-minimal.ttl",
        ]
    )
    errors = {f.file: f for f in result.errors}
    assert errors["kansas-hutchinson-welding-aas.json"].line == 21
    assert "malformed JSON" in errors["kansas-hutchinson-welding-aas.json"].message
    assert "http://examplePathway.org/" in errors["illinois-it.json"].message
    assert (URIRef("http://example.org/evtech"), RDF.type, PW.Qualification) in result.graph


def test_minimal_fixture_mapping() -> None:
    result = import_ctdl([FIXTURES / "interop" / "ctdl-minimal.ttl"])
    g = result.graph
    ex = Namespace("http://example.org/")
    assert g.value(ex.path, PW.destination) == ex.evtech
    assert (ex.hv, PW.precedes, ex.adas) in g
    assert set(g.objects(ex.c1, PW.hasSubCondition)) == {ex.c2}
    assert (ex.hv, RDF.type, PW.OtherCredential) in g
    assert (ex.evtech, PW.hasCondition, ex.c1) in g  # a CredentialComponent: stacked
    assert [(f.node, f.severity) for f in result.findings] == [(str(ex.dest), "info")]


def test_imported_pathway_projects() -> None:
    projection = pytest.importorskip("pathways.projection")
    from pathways.interop.writing import load_into
    from pathways.store import KnowledgeGraph

    result = import_ctdl(
        [CTDL_DIR / "heriot-watt-pathway.ttl", CTDL_DIR / "heriot-watt-courses.ttl"]
    )
    kg = KnowledgeGraph.open()
    load_into(kg, result.graph)
    g = projection.project(kg)
    assert str(RES["46942a57-b7f5-4ce7-bbf8-72976ac7bd23"]) in {str(n) for n in g.nodes} or any(
        "46942a57" in str(n) for n in g.nodes
    )
