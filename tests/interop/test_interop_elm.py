"""ELM / Europass importer on the EU's own samples and vocabularies.

Oracles (all outside this repository):

* the EU's Annex I micro-credential sample and its credential sample,
  european-commission-empl/European-Learning-Model @ 9d7c5d22 (master)
  ``Credentials/JSON-LD Examples (ELM v3)/Sample-MC-Annex1-unsigned.jsonld`` and @ 22dcce7b
  (EDC-3.2-(LTS)) ``rdf/samples/credential-sample.ttl`` (``../shared/external/elm``): what
  the sample states is read from the sample itself, here, not typed from our reading;
* the EU's controlled vocabularies, same repository @ 9d7c5d22 ``xsd/loq/cv/*.xsd``
  (unchanged copies in ``tests/fixtures/elm/eu-vocabularies``, see SOURCES.md there):
  the tests are parametrised over the values read from those files.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import RDF, SKOS, Graph, Literal, URIRef

from pathways.cli import main
from pathways.interop import import_elm
from pathways.interop.elm import ANNEX_I, duration_hours
from pathways.interop.eu_vocabularies import equivalent, nqf_level
from pathways.vocab import COUNTRY, EQF, PW
from tests.constants import EXTERNAL, FIXTURES, REPO

ELM_DIR = EXTERNAL / "elm"
ANNEX1 = ELM_DIR / "sample-microcredential-annex1.jsonld"
EU_CV = FIXTURES / "elm" / "eu-vocabularies"
SPEC = URIRef("urn:epass:qualification:1")
XS = "{http://www.w3.org/2001/XMLSchema}"
needs_samples = pytest.mark.skipif(not ELM_DIR.is_dir(), reason="shared/external not present")


def eu_values(name: str) -> list[tuple[str, str]]:
    """(IRI, English label) of every value of one EU vocabulary file."""
    root = ET.parse(EU_CV / name).getroot()
    values = []
    for node in root.iter(f"{XS}enumeration"):
        doc = node.find(f"{XS}annotation/{XS}documentation")
        text = "" if doc is None else doc.text or ""
        values.append((node.attrib["value"], " ".join(text.split())))
    return values


def keys(data: Any) -> set[str]:
    """Every JSON key anywhere in a JSON document."""
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in keys(v)}
    return set()


@pytest.fixture(scope="module")
def onto() -> Graph:
    graph = Graph()
    for file in sorted((REPO / "ontology").glob("*.ttl")):
        graph.parse(file)
    return graph


@pytest.fixture(scope="module")
def annex1():  # type: ignore[no-untyped-def]
    return import_elm([ANNEX1])


@pytest.fixture(scope="module")
def annex1_json() -> dict[str, Any]:
    return json.loads(ANNEX1.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- the Annex I sample


@needs_samples
def test_annex1_elements_present(annex1, annex1_json) -> None:  # type: ignore[no-untyped-def]
    g = annex1.graph
    subject = annex1_json["credentialSubject"]
    spec = subject["hasClaim"]["specifiedBy"]
    assert (SPEC, RDF.type, PW.MicroCredential) in g  # a short learning programme
    assert str(g.value(SPEC, PW.title)) == spec["title"]["en"]  # element 2
    body = g.value(SPEC, PW.awardingBody)  # element 4
    assert str(g.value(body, PW.name)) == "University of Zed"
    assert g.value(SPEC, PW.country) == COUNTRY.IRL  # element 3
    assert len(set(g.objects(SPEC, PW.learningOutcome))) == len(spec["learningOutcome"])
    assert float(g.value(SPEC, PW.notionalHours)) == 60  # element 7 (PT60H)
    credit = g.value(SPEC, PW.credit)
    assert float(g.value(credit, PW.creditAmount)) == 2
    assert str(g.value(credit, PW.creditUnit)) == spec["creditPoint"]["framework"]["id"]
    assert g.value(SPEC, PW.eqfLevel) == EQF["6"]  # element 8
    assert str(g.value(SPEC, PW.nqfLevel)) == spec["nqfLevel"]["id"]  # RQF Level 6
    assessment = g.value(SPEC, PW.assessment)  # element 9: "artefact assessment"
    assert g.value(assessment, PW.assessmentType) == PW.ArtefactAssessment
    assert g.value(assessment, PW.supervision) == PW.UnsupervisedNoIdentityVerification
    assert g.value(SPEC, PW.participationForm) == PW.Blended  # element 10
    assert g.value(SPEC, PW.learningSetting) == PW.NonFormalLearning
    assert str(g.value(SPEC, PW.language)) == "en"
    assert g.value(SPEC, PW.entryRequirement) is not None


@needs_samples
def test_annex1_learner_identified_but_no_other_personal_data(annex1, annex1_json) -> None:  # type: ignore[no-untyped-def]
    g = annex1.graph
    award = URIRef(annex1_json["id"])
    assert g.value(award, PW.awardOf) == SPEC
    assert str(g.value(award, PW.dateOfIssuing)) == "2022-12-31"  # element 5 (validFrom)
    assert str(g.value(award, PW.grade)) == "Pass"
    learner = g.value(award, PW.awardedTo)
    # element 1: the sample's nationalID notation, and nothing else about the person
    expected = annex1_json["credentialSubject"]["nationalID"]["notation"]
    assert set(g.objects(learner, PW.learnerIdentifier)) == {Literal(expected)}
    assert set(g.predicates(learner)) == {RDF.type, PW.learnerIdentifier}
    assert not [o for o in g.objects() if str(o) in ("Ana Andromeda", "Andromeda")]


@needs_samples
@pytest.mark.parametrize("method", ["compiled", "pyshacl"])
def test_annex1_validates_with_only_the_really_missing_elements(
    runner: CliRunner, tmp_path: Path, annex1_json: dict[str, Any], method: str
) -> None:
    """The EU's Annex I sample, through the CLI: only what the sample lacks is reported.

    The same through pyshacl (a peer SHACL engine) and the compiled SPARQL engine.
    """
    out = tmp_path / "annex1.ttl"
    imported = runner.invoke(main, ["import", "elm", str(ANNEX1), "-o", str(out)])
    assert imported.exit_code == 0, imported.stderr
    args = ["validate", str(out), "--profile", "eu-standard-elements", "--format", "json"]
    checked = runner.invoke(main, [*args, "--method", method])
    report = json.loads(checked.stdout)
    by_severity: dict[str, set[str]] = {}
    for result in report["results"]:
        by_severity.setdefault(result["severity"], set()).add(result["shape"].rsplit("#", 1)[1])
    # Read from the sample: no accreditation anywhere (element 11, type of quality
    # assurance); the specification has no homepage and no part/whole link (the optional
    # further information and stackability elements).
    spec = annex1_json["credentialSubject"]["hasClaim"]["specifiedBy"]
    assert not [k for k in keys(annex1_json) if "accreditation" in k.lower()]
    assert "homepage" not in spec and not {"isPartOf", "hasPart"} & keys(spec)
    assert by_severity == {
        "Violation": {"MicroCredentialShape-qualityAssuranceType"},
        "Info": {
            "MicroCredentialRecommendedShape-furtherInformation",
            "MicroCredentialRecommendedShape-stackability",
        },
    }
    violation = next(r for r in report["results"] if r["severity"] == "Violation")
    assert "element 11" in violation["message"] and violation["focus"] == str(SPEC)
    assert checked.exit_code == 1
    # the importer reported the same element, by name, when it imported
    assert "Annex I element 11 type of quality assurance is not in the file" in imported.stderr


@needs_samples
def test_annex1_note_lists_every_element(annex1) -> None:  # type: ignore[no-untyped-def]
    notes = [f.message for f in annex1.findings if f.message.startswith("Annex I elements")]
    assert len(notes) == 1
    carried, _, missing = notes[0].partition(". Not in the file: ")
    absent_mandatory = []
    for number, element, _path, _award in ANNEX_I:
        name = f"{number} {element}" if number != "optional" else f"{element} (optional)"
        assert (name in carried) != (name in missing), name
        if number != "optional" and name in missing:
            absent_mandatory.append(name)
    assert absent_mandatory == ["11 type of quality assurance"]
    assert not annex1.has_errors


@needs_samples
def test_turtle_sample_imports() -> None:
    result = import_elm([ELM_DIR / "sample-credential.ttl"])
    award = URIRef("http://example.org/credential132")
    assert not result.has_errors
    assert (award, RDF.type, PW.IssuedCredential) in result.graph
    assert str(result.graph.value(award, PW.dateOfIssuing)) == "2010-01-01"
    messages = [f.message for f in result.findings]
    assert any("no specification" in m for m in messages)
    # the sample's learner (ex:pid1) has no identifier: element 1 reported, by name
    assert any("Annex I element 1 identification of the learner" in m for m in messages)
    # the sample declares @prefix country: without its trailing '/'; read as FRA, said so
    issuer = URIRef("http://example.org/issuer565049")
    assert result.graph.value(issuer, PW.country) == COUNTRY.FRA
    assert any("countryFRA" in m and m.endswith("country/FRA") for m in messages)


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


# --------------------------------------------------------------------------- EU vocabularies


@pytest.mark.parametrize(
    ("file", "scheme"),
    [
        ("europass-learning-assessment-types.xsd", PW.AssessmentTypeScheme),
        ("europass-modes.xsd", PW.ParticipationFormScheme),
        ("europass-learning-setting-types.xsd", PW.LearningSettingScheme),
    ],
)
def test_every_eu_value_has_a_pathways_equivalent(file: str, scheme: URIRef, onto: Graph) -> None:
    values = eu_values(file)
    assert values
    for iri, label in values:
        by_iri = equivalent(scheme, URIRef(iri))
        by_label = equivalent(scheme, URIRef("urn:local:concept"), label.upper())
        assert by_iri is not None, f"{iri} ({label}) has no pathways equivalent"
        assert by_label is not None and by_label.concept == by_iri.concept, label
        assert (by_iri.concept, SKOS.inScheme, scheme) in onto
        # the label pathways keeps for the EU concept is the EU's own
        assert str(onto.value(URIRef(iri), SKOS.prefLabel)) == label


def test_every_eu_assessment_type_says_whether_it_assesses(onto: Graph) -> None:
    for iri, label in eu_values("europass-learning-assessment-types.xsd"):
        match = equivalent(PW.AssessmentTypeScheme, URIRef(iri))
        assert match is not None
        assesses = onto.value(match.concept, PW.isAssessing)
        assert isinstance(assesses, Literal), label
        assert assesses.toPython() is (label != "level of attendance"), label


def test_every_eu_credit_system_is_a_pathways_credit_unit(onto: Graph) -> None:
    for iri, label in eu_values("credit-points.xsd"):
        assert (URIRef(iri), SKOS.inScheme, PW.CreditUnitScheme) in onto, label


def test_every_eu_assessment_type_survives_import(tmp_path: Path) -> None:
    """An ELM file using each EU assessment type (by IRI) imports each to its pathways term."""
    values = eu_values("europass-learning-assessment-types.xsd")
    lines = [
        "@prefix elm: <http://data.europa.eu/snb/model/elm/> .",
        "@prefix dc: <http://purl.org/dc/terms/> .",
        "<urn:q> a elm:Qualification .",
    ]
    for n, (iri, _label) in enumerate(values):
        lines += [
            f"<urn:claim{n}> elm:specifiedBy <urn:q> ; elm:provenBy <urn:proof{n}> .",
            f"<urn:proof{n}> elm:specifiedBy <urn:a{n}> . <urn:a{n}> dc:type <{iri}> .",
        ]
    file = tmp_path / "types.ttl"
    file.write_text("\n".join(lines), encoding="utf-8")
    result = import_elm([file])
    for n, (iri, label) in enumerate(values):
        mapped = result.graph.value(URIRef(f"urn:a{n}"), PW.assessmentType)
        match = equivalent(PW.AssessmentTypeScheme, URIRef(iri))
        assert match is not None and mapped == match.concept, label
    assert not [f for f in result.findings if "assessment type" in f.message]


# --------------------------------------------------------------------------- QDR levels

QDR_VALUES = eu_values("nqf.xsd")
QDR_SCHEME = URIRef("http://data.europa.eu/snb/qdr/25831c2")


def test_qdr_table_is_the_eus(onto: Graph) -> None:
    """Every framework and level IRI of the EU's nqf.xsd, with the EU's label, and no other."""
    ours = {
        s
        for s in onto.subjects(SKOS.prefLabel, None)
        if str(s).startswith("http://data.europa.eu/snb/qdr/") and s != QDR_SCHEME
    }
    assert ours == {URIRef(iri) for iri, _ in QDR_VALUES}
    for iri, label in QDR_VALUES:
        assert str(onto.value(URIRef(iri), SKOS.prefLabel)) == label, iri


def test_every_qdr_level_is_in_one_framework_of_its_country(onto: Graph) -> None:
    frameworks = {URIRef(i) for i, label in QDR_VALUES if not re.search(r" (Level|Entry)", label)}
    assert len(frameworks) == 43
    for framework in frameworks:
        assert (framework, SKOS.inScheme, QDR_SCHEME) in onto
        assert str(onto.value(framework, PW.country)).startswith(str(COUNTRY))
    for iri, label in QDR_VALUES:
        if URIRef(iri) in frameworks:
            continue
        level = nqf_level(URIRef(iri))
        assert level is not None and level.label == label
        assert level.framework in frameworks, label
        assert level.country == onto.value(level.framework, PW.country)


def test_national_level_numbers_are_comparable_with_eqf(onto: Graph) -> None:
    """Profiles compare (pw:eqfLevel|pw:nqfLevel)/pw:levelNumber: a national level has one
    only where it equals the number of the EQF level it is referenced to."""
    numbered = 0
    for iri, label in QDR_VALUES:
        number = onto.value(URIRef(iri), PW.levelNumber)
        if number is None:
            continue
        numbered += 1
        eqf = onto.value(URIRef(iri), PW.referencedEQFLevel)
        assert eqf is not None and onto.value(eqf, PW.levelNumber) == number, label
    assert numbered > 250  # most frameworks number their levels as the EQF does


# Countries whose EQF referencing report references national level n to EQF level n
# (sub-levels n.1, n.2, nA, nB to n as well), per the reports summarised in the Europass
# tool "Compare qualifications frameworks" (europass.europa.eu/en/compare-qualifications-
# frameworks). The xsd itself states no referencing; for these frameworks the expected EQF
# level is the number in the EU's own label.
SAME_NUMBER = {
    "HuQF", "IT NQF", "QDG", "HQF", "TQF", "CLQ", "NNMQF", "FiNQF", "AT: NQF", "SKKR",
    "CROQF", "QNQ", "DK NQF", "NQFS", "ME NQF", "PQF", "LTQF", "LQF", "NKR", "NSK", "CyQF",
    "NQFL", "BQF", "AQF", "SeQF", "BH NQF", "ROQF", "MECU", "EstQF", "FQF", "DQR", "CFC",
    "KS NQF", "NQF VPET", "MQF", "NLQF",
}  # fmt: skip
# Frameworks numbered differently from the EQF: levels sampled from the EU's labels, with
# the EQF level of the country's referencing report (Ireland 2009, Slovenia 2015, UK/England
# and Northern Ireland 2009/2019 and Wales 2019, France 2010). RQF Level 6 -> EQF 6 is also
# the EU's own pairing in its Annex I sample.
SAMPLED = {
    "IE NQF Level 5": 4, "IE NQF Level 6": 5, "IE NQF Level 8": 6, "IE NQF Level 10": 8,
    "SQF Level 5": 4, "SQF Level 7": 6, "SQF Level 10": 8,
    "RQF Level 1": 2, "RQF Level 3": 4, "RQF Level 6": 6, "CQFW Level 4": 5,
    "NQF RNCP Level V": 3, "NQF RNCP Level III": 5, "NQF RNCP Level I-Doctorat": 8,
}  # fmt: skip
# Outside the EQF, so referenced to nothing: entry and introductory levels, level 0.
OUTSIDE = {"MQF Level A", "MQF Level B", "BQF Level 0", "NLQF Entry Level", "RQF Entry Level 3"}


def _expected_eqf(label: str) -> int | str | None:
    if label in SAMPLED:
        return SAMPLED[label]
    if label in OUTSIDE:
        return None
    prefix = max((p for p in SAME_NUMBER if label.startswith(p + " Level ")), key=len, default="")
    match = re.fullmatch(r"([1-8])(?:\.\d| ?[A-Ca-c])?", label[len(prefix) + 7 :])
    return int(match.group(1)) if prefix and match else "not sampled"


@pytest.mark.parametrize(
    ("iri", "label"),
    [(i, label) for i, label in QDR_VALUES if _expected_eqf(label) != "not sampled"],
    ids=lambda v: v.rsplit("/", 1)[-1],
)
def test_qdr_level_maps_to_its_eqf_level(iri: str, label: str, tmp_path: Path) -> None:
    """Through the importer: an ELM specification with this NQF level keeps it, EQF-referenced."""
    expected = _expected_eqf(label)
    file = tmp_path / "q.ttl"
    file.write_text(
        "@prefix elm: <http://data.europa.eu/snb/model/elm/> .\n"
        f"<urn:q> a elm:Qualification ; elm:NQFLevel <{iri}> .\n",
        encoding="utf-8",
    )
    result = import_elm([file])
    assert result.graph.value(URIRef("urn:q"), PW.nqfLevel) == URIRef(iri)
    level = nqf_level(URIRef(iri))
    assert level is not None
    assert level.eqf == (None if expected is None else EQF[str(expected)]), label
    unreferenced = [f for f in result.findings if "is not referenced to an EQF level" in f.message]
    assert bool(unreferenced) == (expected is None)


def test_every_framework_but_two_is_sampled() -> None:
    sampled_frameworks = set()
    for iri, label in QDR_VALUES:
        level = nqf_level(URIRef(iri))
        if level is not None and _expected_eqf(label) != "not sampled":
            sampled_frameworks.add(level.framework_label)
    frameworks = {label for _, label in QDR_VALUES if not re.search(r" (Level|Entry)", label)}
    # Scotland's SCQF and Iceland's ISQF are not referenced in pathways' table (see
    # data/build_eu_vocabularies.py); every other framework has levels checked above.
    assert sorted(frameworks - sampled_frameworks) == [
        "Icelandic Qualifications Framework",
        "Scottish Credit and Qualifications Framework",
    ]


def test_unknown_and_inconsistent_levels_are_reported(tmp_path: Path) -> None:
    file = tmp_path / "q.ttl"
    file.write_text(
        "@prefix elm: <http://data.europa.eu/snb/model/elm/> .\n"
        "<urn:q> a elm:Qualification ; elm:NQFLevel <http://example.org/level/4> .\n"
        # IE NQF Level 6 (c_670e54c7) is referenced to EQF 5, stated here with EQF 6
        "<urn:r> a elm:Qualification ; elm:EQFLevel <http://data.europa.eu/snb/eqf/6> ;\n"
        "    elm:NQFLevel <http://data.europa.eu/snb/qdr/c_670e54c7> .\n",
        encoding="utf-8",
    )
    result = import_elm([file])
    assert result.graph.value(URIRef("urn:q"), PW.nqfLevel) is None
    messages = {f.node: f.message for f in result.findings if "NQF level" in f.message}
    assert "not a level of the EU's QDR vocabulary" in messages["urn:q"]
    assert "referenced to http://data.europa.eu/snb/eqf/5" in messages["urn:r"]


def test_generated_vocabularies_are_up_to_date() -> None:
    """ontology/vocabularies-eu.ttl is exactly what the build script makes of the EU's files."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_eu_vocabularies", REPO / "data" / "build_eu_vocabularies.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = (REPO / "ontology" / "vocabularies-eu.ttl").read_text(encoding="utf-8")
    assert module.build(EU_CV) == expected


# The supervision-verification vocabulary has no xsd in the ELM repository; its IRIs and
# English labels as the EU's own examples use them (European-Learning-Model @ 9d7c5d22):
# c598449d64 in Credentials/JSON-LD Examples (ELM v3)/Sample-MC-Annex1-unsigned.jsonld,
# 70be69aaf9 and df2880c5cb in Credentials/XML Examples (ELM v2)/EDC_DiplomaSupplement_AA.xml.
SV = "http://data.europa.eu/snb/supervision-verification/"


@pytest.mark.parametrize(
    ("iri", "label", "concept"),
    [
        (
            SV + "c598449d64",
            "Unsupervised without ID Verification",
            PW.UnsupervisedNoIdentityVerification,
        ),
        (SV + "70be69aaf9", "Supervised with ID Verification", PW.SupervisedIdentityVerified),
        (SV + "df2880c5cb", "Unsupervised with ID Verification", PW.UnsupervisedIdentityVerified),
    ],
)
def test_eu_supervision_levels(iri: str, label: str, concept: URIRef, onto: Graph) -> None:
    match = equivalent(PW.SupervisionScheme, URIRef(iri))
    assert match is not None and match.concept == concept, label
    assert (concept, SKOS.inScheme, PW.SupervisionScheme) in onto


def test_unknown_supervision_level_is_reported(tmp_path: Path) -> None:
    file = tmp_path / "q.ttl"
    file.write_text(
        "@prefix elm: <http://data.europa.eu/snb/model/elm/> .\n"
        "<urn:q> a elm:Qualification .\n"
        "<urn:c> elm:specifiedBy <urn:q> ; elm:provenBy <urn:p> .\n"
        f"<urn:p> elm:idVerification <{SV}44314532f9> .\n",
        encoding="utf-8",
    )
    result = import_elm([file])
    assert result.graph.value(URIRef("urn:p"), PW.supervision) is None
    assert any(f"{SV}44314532f9" in f.message for f in result.findings)
