"""The ontology documents itself: labels, comments, domains, ranges, one header."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from pathways.rdf.resources import ontology_files
from pathways.vocab import PW
from tests.constants import EXTERNAL, ONTOLOGY

ONTOLOGY_IRI = URIRef("https://w3id.org/pathways/vocab")
NS = str(PW._NS)


@pytest.fixture(scope="module")
def onto() -> Graph:
    graph = Graph()
    for file in ontology_files():
        graph.parse(file)
    return graph


def own_terms(graph: Graph) -> Iterator[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for kind in kinds:
        for term in graph.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and str(term).startswith(NS):
                yield term


def test_one_ontology_header(onto: Graph) -> None:
    assert list(onto.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]


def test_every_term_has_one_english_label_and_comment(onto: Graph) -> None:
    terms = sorted(own_terms(onto))
    assert len(terms) > 100
    for term in terms:
        for prop in (RDFS.label, RDFS.comment):
            values = list(onto.objects(term, prop))
            assert len(values) == 1, f"{term} has {len(values)} {prop}"
            assert isinstance(values[0], Literal) and values[0].language == "en", term
        assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in onto, term


def test_every_property_has_domain_and_range(onto: Graph) -> None:
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in onto.subjects(RDF.type, kind):
            if str(prop).startswith(NS):
                assert onto.value(prop, RDFS.domain) is not None, prop
                assert onto.value(prop, RDFS.range) is not None, prop


def test_vocab_module_matches_the_ontology(onto: Graph) -> None:
    """``PW`` (a closed namespace) lists exactly the ontology's own terms."""
    declared = {str(t) for t in own_terms(onto)}
    declared |= {str(s) for s in onto.subjects(RDF.type, SKOS.Concept) if str(s).startswith(NS)}
    declared |= {
        str(s) for s in onto.subjects(RDF.type, SKOS.ConceptScheme) if str(s).startswith(NS)
    }
    in_module = {str(PW._NS) + name for name in PW.__annotations__}
    assert declared == in_module


def test_no_part_whole_property_is_symmetric(onto: Graph) -> None:
    assert not [p for p in onto.subjects(RDF.type, OWL.SymmetricProperty)]


@pytest.mark.skipif(
    not (EXTERNAL / "nqf").is_dir(), reason=f"shared reference data not at {EXTERNAL / 'nqf'}"
)
def test_nqf_levels_use_the_eu_iris_and_match_eqf(onto: Graph) -> None:
    import csv

    rows = list(csv.DictReader((EXTERNAL / "nqf" / "nqf-levels-es-pt-fi.csv").open()))
    levels = [r for r in rows if "Level" in r["label"]]
    assert len(levels) == 24
    for row in levels:
        level = URIRef(row["uri"])
        number = int(row["label"].rsplit(" ", 1)[1])
        eqf = onto.value(level, PW.referencedEQFLevel)
        assert eqf == URIRef(f"http://data.europa.eu/snb/eqf/{number}"), row
        level_number = onto.value(level, PW.levelNumber)
        assert isinstance(level_number, Literal) and level_number.toPython() == number
        scheme = onto.value(level, SKOS.inScheme)
        assert (scheme, RDF.type, SKOS.ConceptScheme) in onto


def test_eqf_scheme(onto: Graph) -> None:
    scheme = URIRef("http://data.europa.eu/snb/eqf/25831c2")
    members = set(onto.subjects(SKOS.inScheme, scheme))
    assert members == {URIRef(f"http://data.europa.eu/snb/eqf/{n}") for n in range(1, 9)}


def test_assessment_types_say_whether_they_assess(onto: Graph) -> None:
    for concept in onto.subjects(SKOS.inScheme, PW.AssessmentTypeScheme):
        assert onto.value(concept, PW.isAssessing) is not None, concept
    attendance = onto.value(PW.AttendanceOnly, PW.isAssessing)
    assert isinstance(attendance, Literal) and attendance.toPython() is False


@pytest.mark.skipif(
    not (EXTERNAL / "elm" / "ELM.ttl").is_file(), reason=f"ELM.ttl not at {EXTERNAL / 'elm'}"
)
def test_alignments_point_at_real_elm_terms(onto: Graph) -> None:
    elm = Graph().parse(EXTERNAL / "elm" / "ELM.ttl")
    elm_ns = "http://data.europa.eu/snb/model/elm/"
    targets = {o for o in onto.objects() if isinstance(o, URIRef) and str(o).startswith(elm_ns)}
    assert targets
    for target in targets:
        assert (target, None, None) in elm, f"{target} is not defined in ELM.ttl"


def test_files_are_four_space_indented() -> None:
    for file in sorted(ONTOLOGY.glob("*.ttl")):
        for number, line in enumerate(file.read_text().splitlines(), 1):
            assert "\t" not in line, f"{file.name}:{number} has a tab"
            indent = len(line) - len(line.lstrip(" "))
            assert indent % 4 == 0, f"{file.name}:{number} indents by {indent}"
