"""The profiles find the pilot data's deliberate defects, and only those.

``data/README.md`` lists the defective micro-credentials and their defect codes in the table
under "Deliberate defects". Each code implies results of named shapes (which leg of
conditionality fails, which EU standard element is missing); every other micro-credential
must pass the conditionality profile, and the pilot's stacking structure must be sound.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pyshacl
import pytest
from rdflib import RDF, Graph, Namespace

from tests.constants import DATA, SHAPES
from tests.validation.test_shapes_examples import (  # noqa: F401 (prepared_sparql is an autouse fixture)
    SH,
    Result,
    ontology_graph,
    prepared_sparql,
    qname,
    validate,
)

PW = Namespace("https://w3id.org/pathways/vocab#")
PILOT = Namespace("https://w3id.org/pathways/pilot/")
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
README = DATA / "README.md"
LEG_1 = "pwsh:ValidatedAssessmentShape"
LEG_2 = "pwsh:PublishedMetadataShape"
LEG_3 = "pwsh:RecognisedPathwayShape"

#: Defect code of data/README.md -> (profile, shape or SPARQL constraint) results it implies.
DEFECT_RESULTS: dict[str, list[tuple[str, str]]] = {
    "no-assessment": [
        ("conditionality", f"{LEG_1}-assessingType"),
        ("eu-standard-elements", "pwsh:MicroCredentialShape-assessmentType"),
        ("conditionality", LEG_2),
    ],
    "non-assessing-assessment": [("conditionality", f"{LEG_1}-assessingType")],
    "assessment-not-quality-assured": [("conditionality", f"{LEG_1}-qualityAssured")],
    "no-level": [
        ("eu-standard-elements", "pwsh:MicroCredentialShape-level"),
        ("conditionality", LEG_2),
    ],
    "no-workload": [
        ("eu-standard-elements", "pwsh:MicroCredentialShape-notionalHours"),
        ("conditionality", LEG_2),
    ],
    "no-awarding-body": [
        ("eu-standard-elements", "pwsh:MicroCredentialShape-awardingBody"),
        ("conditionality", LEG_2),
    ],
    "no-quality-assurance": [
        ("eu-standard-elements", "pwsh:MicroCredentialShape-qualityAssuranceType"),
        ("conditionality", LEG_2),
    ],
    "no-learning-outcomes": [
        ("eu-standard-elements", "pwsh:MicroCredentialShape-learningOutcome"),
        ("conditionality", LEG_2),
    ],
    "stacks-into-nothing": [("conditionality", f"{LEG_3}-recognisedDestination")],
}
#: The legs each code breaks (a credential may break more: no outcomes, nothing assessed).
DEFECT_LEGS = {
    "no-assessment": {1, 2},
    "non-assessing-assessment": {1},
    "assessment-not-quality-assured": {1},
    "no-level": {2},
    "no-workload": {2},
    "no-awarding-body": {2},
    "no-quality-assurance": {2},
    "no-learning-outcomes": {2},
    "stacks-into-nothing": {3},
}
SCHEME_COUNTRY = {
    "funding-es-fundae": "ESP",
    "funding-es-pes": "ESP",
    "funding-pt-public": "PRT",
    "funding-fi-vet": "FIN",
}

pytestmark = pytest.mark.skipif(not README.is_file(), reason="data/README.md is not written yet")


def listed_defects() -> dict[str, list[str]]:
    """The README's table: micro-credential (``pilot:...``) -> defect codes."""
    if not README.is_file():
        return {}
    text = README.read_text(encoding="utf-8")
    section = text.split("## Deliberate defects", 1)[1].split("\n## ", 1)[0]
    defects = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].startswith("`pilot:"):
            defects[cells[0].strip("`")] = re.findall(r"`([a-z-]+)`", cells[1])
    return defects


@cache
def pilot_graph() -> Graph:
    graph = Graph()
    for path in sorted(DATA.glob("*.ttl")):
        graph.parse(path)
    return graph


@cache
def pilot_results(profile: str) -> tuple[Result, ...]:
    """Validation results of the pilot data under a profile (once per session)."""
    return tuple(validate(pilot_graph(), profile)[1])


def micro_credentials() -> set[str]:
    return {qname(s) for s in pilot_graph().subjects(RDF.type, PW.MicroCredential)}


def leg(result: Result) -> int | None:
    for number, shape in ((1, LEG_1), (2, LEG_2), (3, LEG_3)):
        if any(s == shape or s.startswith(shape + "-") for s in result.shapes):
            return number
    return None


def test_the_readme_lists_defects_with_known_codes() -> None:
    defects = listed_defects()
    assert len(defects) >= 5
    assert set(defects) <= micro_credentials()
    for codes in defects.values():
        assert codes and set(codes) <= set(DEFECT_RESULTS), codes


@pytest.mark.parametrize(
    ("iri", "code"),
    [(iri, code) for iri, codes in listed_defects().items() for code in codes],
)
def test_each_listed_defect_is_found(iri: str, code: str) -> None:
    for profile, shape in DEFECT_RESULTS[code]:
        found = [
            r
            for r in pilot_results(profile)
            if r.focus == iri and shape in r.shapes and r.severity == "Violation"
        ]
        assert found, f"{profile} does not report {shape} for {iri} ({code})"


def test_defective_credentials_fail_the_legs_their_defects_break() -> None:
    failing: dict[str, set[int]] = {}
    for result in pilot_results("conditionality"):
        number = leg(result)
        if number is not None and result.severity == "Violation":
            failing.setdefault(result.focus, set()).add(number)
    for iri, codes in listed_defects().items():
        expected = set().union(*(DEFECT_LEGS[c] for c in codes))
        assert expected <= failing.get(iri, set()), (iri, codes, failing.get(iri))


def test_well_formed_pilot_credentials_pass_conditionality() -> None:
    defective = set(listed_defects())
    violations = [r for r in pilot_results("conditionality") if r.severity == "Violation"]
    assert {r.focus for r in violations} <= defective, sorted(
        {(r.focus, *sorted(r.shapes)) for r in violations if r.focus not in defective}
    )
    passing = micro_credentials() - {r.focus for r in violations}
    assert passing == micro_credentials() - defective


def test_pilot_stacking_structure_is_sound() -> None:
    violations = [r for r in pilot_results("stackability-integrity") if r.severity == "Violation"]
    assert not violations, violations


def scheme_results(profile: str) -> Iterator[tuple[str, frozenset[str]]]:
    """Results of the scheme's own rules (its file alone), without the included profiles."""
    data = Graph()
    data += ontology_graph()
    data += pilot_graph()
    _, report, _ = pyshacl.validate(
        data,
        shacl_graph=Graph().parse(SHAPES / f"{profile}.ttl"),
        advanced=True,
        inference="none",
        allow_warnings=True,
    )
    assert isinstance(report, Graph)
    for result in report.objects(None, SH.result):  # top level, not sh:detail
        if report.value(result, SH.resultSeverity) == SH.Violation:
            shapes = {
                report.value(result, SH.sourceShape),
                report.value(result, SH.sourceConstraint),
            }
            yield (
                qname(report.value(result, SH.focusNode)),
                frozenset(qname(s) for s in shapes if s is not None),
            )


@pytest.mark.parametrize("profile", sorted(SCHEME_COUNTRY))
def test_funding_profiles_admit_only_sound_credentials_of_their_country(profile: str) -> None:
    """Eligible = no Violation of conditionality nor of the scheme's rules (the union)."""
    failing = {r.focus for r in pilot_results("conditionality") if r.severity == "Violation"}
    failing |= {focus for focus, _ in scheme_results(profile)}
    eligible = micro_credentials() - failing
    assert eligible, f"no pilot credential is eligible under {profile}"
    assert not eligible & set(listed_defects())
    country = COUNTRY[SCHEME_COUNTRY[profile]]
    graph = pilot_graph()
    for iri in eligible:
        credential = PILOT[iri.removeprefix("pilot:")]
        issuers = [credential, *graph.objects(credential, PW.awardingBody)]
        assert any((i, PW.country, country) in graph for i in issuers), (
            f"{iri} is eligible under {profile} but not issued in {SCHEME_COUNTRY[profile]}"
        )
