"""CTDL importer: the real Credential Engine examples, warts included, and a small fixture."""

from __future__ import annotations

import pytest
from rdflib import RDF, SKOS, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from pathways.interop import ImportResult, import_ctdl
from pathways.vocab import PW
from tests.constants import EXTERNAL, FIXTURES
from tests.graphs import literal


def _number(node: Node | None) -> float:
    """The numeric value of a literal the test expects to be there."""
    assert isinstance(node, Literal), node
    return float(node)


CTDL_DIR = EXTERNAL / "ctdl"
RES = Namespace("http://example.org/resources/")
CER = Namespace("https://credentialengineregistry.org/resources/")

pytestmark = pytest.mark.skipif(not CTDL_DIR.is_dir(), reason="shared/external not present")


@pytest.fixture(scope="module")
def heriot_watt() -> ImportResult:
    return import_ctdl([CTDL_DIR / "heriot-watt-pathway.ttl", CTDL_DIR / "heriot-watt-courses.ttl"])


def _messages(result: ImportResult, node: Node) -> list[str]:
    return [f.message for f in result.findings if f.node == str(node)]


def test_heriot_watt_pathway_and_destination(heriot_watt: ImportResult) -> None:
    g = heriot_watt.graph
    pathway = RES["ec071f65-2c5b-4b58-a2df-dd6287880a7a"]
    degree = RES["46942a57-b7f5-4ce7-bbf8-72976ac7bd23"]
    assert (pathway, RDF.type, PW.ProgressionPathway) in g
    assert g.value(pathway, PW.destination) == degree  # the proxied BachelorDegree
    assert (degree, RDF.type, PW.Qualification) in g
    assert len(set(g.objects(pathway, PW.pathwayComponent))) > 40
    assert not heriot_watt.has_errors


def test_heriot_watt_nested_n_of_m(heriot_watt: ImportResult) -> None:
    g = heriot_watt.graph
    outer = RES["f39bf394-5b6e-496c-b150-589bcc607a8e"]
    assert int(literal(g, outer, PW.requiredNumber)) == 2
    inner = RES["167bbaf1-c6ac-4cb3-b03b-36df7cec256a"]
    assert inner in set(g.objects(outer, PW.hasSubCondition))
    assert g.value(inner, PW.requiredNumber) is None  # absent = all
    two_of_nine = RES["1fab69ca-9c88-4b09-a3f9-5916b6e9455c"]
    assert int(literal(g, two_of_nine, PW.requiredNumber)) == 2
    # "2 out of 9": nine listed, one of them twice, so eight distinct course credentials
    assert len(set(g.objects(two_of_nine, PW.targetComponent))) == 8
    # targets are the courses the components stand for (proxyFor), with their credit
    course = RES["f17018e3-0fe4-4767-b5a8-5a7badb82385"]
    assert course in set(g.objects(two_of_nine, PW.targetComponent))
    credit = g.value(course, PW.credit)
    assert float(literal(g, credit, PW.creditAmount)) == 15


def test_heriot_watt_defects_are_findings(heriot_watt: ImportResult) -> None:
    twice = _messages(heriot_watt, RES["a7cd1db3-0dcd-42a8-b871-678ea7806c59"])
    assert any("two components" in m and "DipHE" in m for m in twice)
    dangling = RES["2883cc8a-ed5c-420d-9a88-454b24fc2b9d"]
    stage = RES["ad7d4f8c-5230-4002-9e44-a29568985a6f"]
    assert any(
        str(dangling) in m and "points at nothing" in m for m in _messages(heriot_watt, stage)
    )
    files = {f.file for f in heriot_watt.findings}
    assert files <= {"heriot-watt-pathway.ttl", "heriot-watt-courses.ttl"}


def test_heriot_watt_provenance(heriot_watt: ImportResult) -> None:
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


def test_progression_model_imports_the_same_graph_every_time() -> None:
    # Before: the model's dcterms:title is a language map the CTDL context does not
    # declare as one, so it parsed as an empty blank node, imported as a skos:prefLabel
    # holding that node's random id: two imports of one file differed.
    files = [CTDL_DIR / "comptia-it-progression-model.json"]
    first, second = import_ctdl(files).graph, import_ctdl(files).graph
    assert isomorphic(first, second)
    labels = {str(o) for o in first.objects(None, SKOS.prefLabel)}
    assert labels == {"Beginner", "Intermediate", "Advanced"}  # the file's level labels


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
    from pathways.catalogue import projection
    from pathways.interop.writing import load_into
    from pathways.rdf.store import KnowledgeGraph

    result = import_ctdl(
        [CTDL_DIR / "heriot-watt-pathway.ttl", CTDL_DIR / "heriot-watt-courses.ttl"]
    )
    kg = KnowledgeGraph.open()
    load_into(kg, result.graph)
    g = projection.project(kg)
    # The CTDL resource keeps its IRI as the node key (pathways.catalogue.projection's
    # documented node keys) and its ceterms:name as the label (heriot-watt-pathway.ttl).
    degree = g.nodes[str(RES["46942a57-b7f5-4ce7-bbf8-72976ac7bd23"])]
    assert (degree["kind"], degree["label"]) == (
        "credential",
        "Bachelor of Science in Computer Science",
    )


# -- conditions read as CTDL defines them --------------------------------------------
#
# Oracle: the CTDL definitions (ctdl-schema.json, vendored from Credential Engine in
# ChelseaKR/ctdl-validate @ e7196aba7d4c6ea11f771d85a7e8382b93ce56eb):
#   ceterms:ComponentCondition "Resource that describes what must be done to complete a
#   PathwayComponent, or part thereof, as determined by the issuer of the Pathway."
#   ceterms:requiredNumber "Number of targetComponent or hasCondition objects that must
#   be fulfilled in order to satisfy the ComponentCondition."
#   ceterms:CourseComponent "a structured sequence of one or more learning activities";
#   ceterms:Certification "credential awarded by an authoritative body for
#   demonstrating the knowledge, skills, and abilities": work of their own, so
#   completing one is doing it *and* meeting its conditions.
# and the real files' own conditions and credit values, read here with rdflib / json
# directly (CredentialEngine/Schema-Development @ 653488631966b2251002135d9f997e68562ba954,
# PathwaysConditionsAndConstraints/Pathway-Examples).

CTDL = Namespace("https://purl.org/ctdl/terms/")


def _route(result, goal: str, optimize: str = "steps"):  # type: ignore[no-untyped-def]
    from pathways.catalogue.projection import project
    from pathways.interop.writing import load_into
    from pathways.rdf.store import KnowledgeGraph
    from pathways.routing import plan_route

    kg = KnowledgeGraph.open()
    load_into(kg, result.graph)
    return plan_route(project(kg), goal, optimize=optimize)


def test_course_condition_is_a_prerequisite_and_credit_eq_is_exact() -> None:
    result = import_ctdl([FIXTURES / "interop" / "ctdl-course-conditions.ttl"])
    g = result.graph
    ex = Namespace("http://example.org/")
    # the course keeps its own work: its condition is a prerequisite, not a stacking rule
    assert (ex.b, PW.prerequisiteCondition, ex.pre) in g
    assert (ex.b, PW.hasCondition, None) not in g
    assert (ex.cert, PW.hasCondition, ex.core) in g
    # compare:EQ "The value of the left is equal to the value of the right": exactly 15
    assert _number(g.value(ex.core, PW.minimumCredits)) == 15
    assert _number(g.value(ex.core, PW.maximumCredits)) == 15
    notes = {f.node: f.message for f in result.findings if f.severity == "info"}
    assert notes[str(ex.b)].startswith("read as work of its own (CourseComponent)")
    assert "awarded by stacking" in notes[str(ex.dest)]
    assert not [f for f in result.findings if f.severity != "info"]
    plan = _route(result, str(ex.path), "credits")
    taken = {s.iri for s in plan.best.steps if not s.stacked}
    # 2 of {A 10, B 10, C 5} summing to exactly 15: A + C (B would need A as well and
    # overshoot); the certificate is awarded by stacking
    assert taken == {str(ex.a), str(ex.c)}
    assert plan.best.totals["credits"] == 15.0
    assert any(s.iri == str(ex.cert) and s.stacked for s in plan.best.steps)


def test_publisher_data_quality_messages_name_the_node_and_the_fix() -> None:
    result = import_ctdl([FIXTURES / "interop" / "ctdl-defects.ttl"])
    ex = "http://example.org/"
    by_node: dict[str, list[str]] = {}
    for f in result.findings:
        if f.severity != "info":
            by_node.setdefault(str(f.node), []).append(f.message)
    assert any("found 2" in m and "one pathway per destination" in m for m in by_node[ex + "path"])
    assert any("found 0" in m for m in by_node[ex + "nodest"])
    assert any("requires 3 of 2" in m and "lower ceterms:requiredNumber" in m
               for m in by_node[ex + "toomany"])  # fmt: skip
    assert any("missing points at nothing" in m and "remove it" in m
               for m in by_node[ex + "toomany"])  # fmt: skip
    assert any("compare/NEQ" in m and "compare:LTEQ" in m for m in by_node[ex + "neq"])
    assert any("cycle" in m and ex + "y" in m for m in by_node[ex + "x"])
    assert any("not connected" in m for m in by_node[ex + "orphan"])
    assert ex + "x" not in {n for n, ms in by_node.items() if any("not connected" in m for m in ms)}


def _comptia_conditions() -> dict[str, list[str]]:
    """Certification -> the targets of its conditions, read from the JSON itself."""
    import json

    doc = json.loads((CTDL_DIR / "comptia-it-networking-specialist.jsonld").read_text())
    needs: dict[str, list[str]] = {}
    for node in doc["@graph"]:
        if node["@type"] == "ceterms:Certification":
            needs[node["@id"]] = [
                t
                for c in node.get("ceterms:hasCondition", [])
                for t in c["ceterms:targetComponent"]
            ]
    return needs


def test_comptia_route_takes_every_certification_after_its_condition() -> None:
    needs = _comptia_conditions()
    result = import_ctdl([CTDL_DIR / "comptia-it-networking-specialist.jsonld"])
    plan = _route(result, str(CER["ce-cc62e516-f95d-4306-a11a-c0ecc39d835f"]))
    term = {s.iri: s.term for s in plan.best.steps if not s.stacked}
    # each certification is earned by its own exam: none is awarded by stacking
    assert not [s for s in plan.best.steps if s.stacked]
    cloud = str(CER["ce-1369d357-ac4f-49f9-8af2-c47376278896"])
    assert cloud in term  # the destination itself is taken
    for cert in term:  # taken AND its condition met (each has requiredNumber 1 of 1)
        assert all(t in term and term[t] < term[cert] for t in needs[cert])
    assert len(term) == len(needs) == 8  # the chain A+ -> ... -> Cloud+ needs all eight


def _hw_complete(src, node, taken: set[str], seen: frozenset = frozenset()) -> bool:  # type: ignore[no-untyped-def,type-arg]
    """CTDL: a component is complete when its own work is done (a course component:
    the course it stands for is taken) and its conditions are met; a condition when
    requiredNumber (all when absent) of its targets and nested conditions are. A
    condition with no targets and no nested conditions constrains the learner's record
    (grades, resits, levels) and is not checkable from a plan: skipped."""
    if node in seen:
        return False
    seen = seen | {node}
    types = {str(t).rsplit("/", 1)[-1] for t in src.objects(node, RDF.type)}
    if "CourseComponent" in types:
        proxy = src.value(node, CTDL.proxyFor) or node
        if str(proxy) not in taken:
            return False
    for cond in src.objects(node, CTDL.hasCondition):
        if not _hw_condition(src, cond, taken, seen):
            return False
    return True


def _hw_condition(src, cond, taken: set[str], seen: frozenset) -> bool:  # type: ignore[no-untyped-def,type-arg]
    units = [*src.objects(cond, CTDL.targetComponent)]
    nested = [*src.objects(cond, CTDL.hasCondition)]
    if not units and not nested:
        return True  # a constraint on the learner's record: not checkable here
    met = sum(_hw_complete(src, t, taken, seen) for t in set(units))
    met += sum(_hw_condition(src, c, taken, seen) for c in nested)
    number = src.value(cond, CTDL.requiredNumber)
    return met >= (int(number) if number is not None else len(set(units)) + len(nested))


def test_heriot_watt_route_satisfies_the_degree_conditions_with_its_credit_values() -> None:
    from rdflib import Graph

    src = Graph()
    for name in ("heriot-watt-pathway.ttl", "heriot-watt-courses.ttl"):
        src.parse(CTDL_DIR / name)
    result = import_ctdl(
        [CTDL_DIR / "heriot-watt-pathway.ttl", CTDL_DIR / "heriot-watt-courses.ttl"]
    )
    plan = _route(result, str(RES["ec071f65-2c5b-4b58-a2df-dd6287880a7a"]), "credits")
    taken = {s.iri for s in plan.best.steps if not s.stacked}
    bsc = RES["1a285e3e-35ce-476a-b592-af7ae4e732a3"]  # the destination's component
    assert _hw_complete(src, bsc, taken)
    # no taken course can be dropped: each one is needed by the file's own conditions
    assert not any(_hw_complete(src, bsc, taken - {t}) for t in taken)
    # the credit total is the sum of the file's own creditValue amounts (ValueProfile
    # ceterms:value, SCQF credits)
    own = sum(
        _number(src.value(v, CTDL.value))
        for t in taken
        for v in src.objects(URIRef(t), CTDL.creditValue)
    )
    assert plan.best.totals["credits"] == own == 465.0
    assert str(RES["46942a57-b7f5-4ce7-bbf8-72976ac7bd23"]) in {
        s.iri for s in plan.best.steps if s.stacked
    }


def test_stack_reads_a_course_condition_as_a_prerequisite() -> None:
    """The same reading in the degree audit: the course is "ready to take" once its
    condition is met (never "satisfied" by it), and the exact credit rule shows."""
    from pathways.catalogue.projection import project
    from pathways.interop.writing import load_into
    from pathways.rdf.store import KnowledgeGraph
    from pathways.routing.audit import stack_audit
    from pathways.routing.holdings import Holdings

    ex = "http://example.org/"
    kg = KnowledgeGraph.open()
    load_into(kg, import_ctdl([FIXTURES / "interop" / "ctdl-course-conditions.ttl"]).graph)
    g = project(kg)
    report = {r.iri: r for r in stack_audit(g, Holdings(credentials=frozenset({ex + "a"})))}
    assert report[ex + "b"].status == "ready to take" and report[ex + "b"].prerequisites
    [core] = report[ex + "cert"].conditions
    assert (core.status, core.min_credits, core.max_credits) == ("partial", 15.0, 15.0)
    # with B as well the two counted courses give 20, above the maximum: still partial
    both = {r.iri: r for r in stack_audit(g, Holdings(credentials=frozenset({ex + "a", ex + "b"})))}
    assert both[ex + "cert"].status == "partial"
    done = {r.iri: r for r in stack_audit(g, Holdings(credentials=frozenset({ex + "a", ex + "c"})))}
    assert done[ex + "cert"].status == "satisfied"
