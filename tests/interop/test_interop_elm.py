"""ELM / Europass importer on the EU's own samples."""

from __future__ import annotations

import pytest
from rdflib import RDF, URIRef

from pathways.interop import import_elm
from pathways.interop.elm import duration_hours
from pathways.vocab import COUNTRY, EQF, PW
from tests.constants import EXTERNAL, FIXTURES

ELM_DIR = EXTERNAL / "elm"
SPEC = URIRef("urn:epass:qualification:1")
pytestmark = pytest.mark.skipif(not ELM_DIR.is_dir(), reason="shared/external not present")


@pytest.fixture(scope="module")
def annex1():  # type: ignore[no-untyped-def]
    return import_elm([ELM_DIR / "sample-microcredential-annex1.jsonld"])


def test_annex1_elements_present(annex1) -> None:  # type: ignore[no-untyped-def]
    g = annex1.graph
    assert (SPEC, RDF.type, PW.MicroCredential) in g  # a short learning programme
    assert str(g.value(SPEC, PW.title)) == "Digital micro-credential creation"  # element 2
    body = g.value(SPEC, PW.awardingBody)  # element 4
    assert str(g.value(body, PW.name)) == "University of Zed"
    assert g.value(SPEC, PW.country) == COUNTRY.IRL  # element 3
    assert len(set(g.objects(SPEC, PW.learningOutcome))) == 2  # element 6
    outcome = URIRef("urn:epass:learningOutcome:1")
    assert len(set(g.objects(outcome, PW.alignedSkill))) == 3
    assert float(g.value(SPEC, PW.notionalHours)) == 60  # element 7 (PT60H)
    credit = g.value(SPEC, PW.credit)
    assert float(g.value(credit, PW.creditAmount)) == 2
    assert g.value(credit, PW.creditUnit) == URIRef(
        "http://data.europa.eu/snb/education-credit/6fcec5c5af"
    )
    assert g.value(SPEC, PW.eqfLevel) == EQF["6"]  # element 8
    assessment = g.value(SPEC, PW.assessment)  # element 9
    assert g.value(assessment, PW.assessmentType) is not None
    assert g.value(assessment, PW.supervision) == PW.UnsupervisedNoIdentityVerification
    assert g.value(SPEC, PW.participationForm) == PW.Blended  # element 10
    assert str(g.value(SPEC, PW.language)) == "en"
    assert g.value(SPEC, PW.entryRequirement) is not None


def test_annex1_award_and_missing_quality_assurance(annex1) -> None:  # type: ignore[no-untyped-def]
    g = annex1.graph
    award = URIRef("urn:credential:3ef0ac26-9a1f-41c6-871b-2b82e670907b")
    assert g.value(award, PW.awardOf) == SPEC
    assert str(g.value(award, PW.dateOfIssuing)) == "2022-12-31"
    assert str(g.value(award, PW.grade)) == "Pass"
    learner = g.value(award, PW.awardedTo)
    assert (learner, RDF.type, PW.Learner) in g
    assert not list(g.predicate_objects(learner)) or set(g.predicates(learner)) == {RDF.type}
    # element 11 is not in the sample: reported, not invented
    assert any("quality assurance" in f.message for f in annex1.findings)
    assert not annex1.has_errors


def test_turtle_sample_without_specification() -> None:
    result = import_elm([ELM_DIR / "sample-credential.ttl"])
    award = URIRef("http://example.org/credential132")
    assert (award, RDF.type, PW.IssuedCredential) in result.graph
    assert str(result.graph.value(award, PW.dateOfIssuing)) == "2010-01-01"
    assert any("no specification" in f.message for f in result.findings)


def test_remote_context_refused() -> None:
    result = import_elm([FIXTURES / "interop" / "broken" / "remote-context.jsonld"])
    assert result.has_errors
    assert "https://evil.example.org/ctx" in result.errors[0].message


@pytest.mark.parametrize(
    ("text", "hours"), [("PT60H", 60), ("PT90M", 1.5), ("P1DT2H", 26), ("P1W", 168), ("P1M", None)]
)
def test_duration_hours(text: str, hours: float | None) -> None:
    result = duration_hours(text)
    assert (None if result is None else float(result)) == hours
