"""Import European Learning Model (ELM 3) / Europass credentials into the pathways ontology.

Reads JSON-LD (the W3C VC and EDC contexts are replaced by copies shipped with
pathways) and Turtle. Specifications become credential specifications with every EU
standard element (Annex I) the file carries; Europass credentials become awards.

=====================================  ================================================
ELM                                    pathways
=====================================  ================================================
``LearningAchievementSpecification``   ``pw:MicroCredential``
``Qualification``                      ``pw:Qualification``; ``pw:MicroCredential`` when
                                       its ``dc:type`` is a short learning programme
``dc:title`` / ``dc:description``      ``pw:title`` / ``pw:description``
``learningOutcome``                    ``pw:learningOutcome`` (``pw:LearningOutcome``,
                                       its title as ``pw:description``)
``relatedESCOSkill``                   ``pw:alignedSkill`` (``pw:Skill``)
``volumeOfLearning`` (xsd:duration)    ``pw:notionalHours``
``creditPoint`` (framework, point)     ``pw:credit`` [``pw:creditUnit``, ``pw:creditAmount``]
``EQFLevel`` / ``NQFLevel``            ``pw:eqfLevel`` / ``pw:nqfLevel``
``entryRequirement``                   ``pw:entryRequirement``
``mode``                               ``pw:participationForm`` (online, onsite, blended)
``language``                           ``pw:language``
awarding body of the achievement       ``pw:awardingBody`` (``rov:legalName`` ->
                                       ``pw:name``); its address country -> ``pw:country``
assessment specification, ``dc:type``  ``pw:assessment`` [``pw:assessmentType``]
``idVerification``                     ``pw:supervision``
``accreditation``                      ``pw:qualityAssurance`` (external accreditation)
``EuropeanDigitalCredential``          ``pw:IssuedCredential`` (``pw:awardOf``,
                                       ``pw:awardedTo``, ``pw:dateOfIssuing``,
                                       ``pw:issuedBy``, ``pw:grade``)
=====================================  ================================================

Personal data about learners (names, birth dates, national IDs) is not imported: the
learner is kept by IRI only. Elements the file does not carry (typically quality
assurance) are reported as findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from pathways.errors import InputError
from pathways.interop.documents import parse_document
from pathways.interop.results import ImportBuilder, ImportResult
from pathways.vocab import COUNTRY, ELM, PW

__all__ = ["STANDARD", "duration_hours", "import_elm"]

STANDARD = "http://data.europa.eu/snb/model/elm/"

DC = Namespace("http://purl.org/dc/terms/")
ROV = Namespace("http://www.w3.org/ns/regorg#")
CRED = Namespace("https://www.w3.org/2018/credentials#")
_SHORT_PROGRAMME = URIRef("http://data.europa.eu/snb/learning-opportunity/74a4a268e8")

_MODES = {
    "online": PW.Online,
    "blended": PW.Blended,
    "onsite": PW.Onsite,
    "on-site": PW.Onsite,
    "in person": PW.Onsite,
    "face-to-face": PW.Onsite,
    "work-based": PW.WorkBased,
}
_SUPERVISION = {
    "unsupervised without id verification": PW.UnsupervisedNoIdentityVerification,
    "supervised without id verification": PW.SupervisedNoIdentityVerification,
    "supervised with online id verification": PW.SupervisedOnlineIdentityVerified,
    "supervised with id verification online": PW.SupervisedOnlineIdentityVerified,
    "supervised with onsite id verification": PW.SupervisedOnsiteIdentityVerified,
    "supervised with id verification onsite": PW.SupervisedOnsiteIdentityVerified,
}
_ASSESSMENT_WORDS = (
    ("oral", PW.OralExam),
    ("written", PW.WrittenExam),
    ("exam", PW.WrittenExam),
    ("practical", PW.PracticalDemonstration),
    ("demonstration", PW.PracticalDemonstration),
    ("portfolio", PW.Portfolio),
    ("observation", PW.WorkplaceObservation),
)
_LANGUAGES = {"ENG": "en", "SPA": "es", "POR": "pt", "FIN": "fi", "SWE": "sv", "FRA": "fr",
              "DEU": "de", "ITA": "it", "NLD": "nl", "GLE": "ga"}  # fmt: skip
_DURATION = re.compile(
    r"^P(?:(?P<Y>\d+(?:\.\d+)?)Y)?(?:(?P<MO>\d+(?:\.\d+)?)M)?(?:(?P<W>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<D>\d+(?:\.\d+)?)D)?(?:T(?:(?P<H>\d+(?:\.\d+)?)H)?(?:(?P<MI>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<S>\d+(?:\.\d+)?)S)?)?$"
)


def duration_hours(text: str) -> Decimal | None:
    """Hours in an xsd:duration workload; None for calendar units (years, months).

    >>> duration_hours("PT60H"), duration_hours("P2DT3H30M"), duration_hours("P1M")
    (Decimal('60'), Decimal('51.5'), None)
    """
    match = _DURATION.match(text.strip())
    if not match or text.strip() in ("P", "PT"):
        return None
    parts = {k: Decimal(v) for k, v in match.groupdict().items() if v is not None}
    if "Y" in parts or "MO" in parts:
        return None
    hours = (
        parts.get("W", Decimal(0)) * 168
        + parts.get("D", Decimal(0)) * 24
        + parts.get("H", Decimal(0))
        + parts.get("MI", Decimal(0)) / 60
        + parts.get("S", Decimal(0)) / 3600
    )
    return Decimal(int(hours)) if hours == hours.to_integral() else hours.normalize()


def _label(graph: Graph, node: Node) -> str:
    for label in graph.objects(node, SKOS.prefLabel):
        return str(label)
    return ""


def _note(graph: Graph, node: Node) -> list[Literal]:
    if isinstance(node, Literal):
        return [node]
    return [n for n in graph.objects(node, ELM.noteLiteral) if isinstance(n, Literal)]


class _Mapper:
    def __init__(self, src: Graph, path: Path, out: ImportBuilder, source: URIRef) -> None:
        self.src, self.path, self.out, self.source = src, path, out, source

    def find(self, node: object, message: str, severity: str = "warning") -> None:
        self.out.find(self.path, node, message, severity)  # type: ignore[arg-type]

    def specifications(self) -> list[Node]:
        specs = set(self.src.subjects(RDF.type, ELM.Qualification)) | set(
            self.src.subjects(RDF.type, ELM.LearningAchievementSpecification)
        )
        return sorted(specs, key=str)

    def specification(self, spec: Node) -> None:
        src, out = self.src, self.out
        micro = (spec, RDF.type, ELM.LearningAchievementSpecification) in src or (
            spec,
            DC.type,
            _SHORT_PROGRAMME,
        ) in src
        out.add(spec, RDF.type, PW.MicroCredential if micro else PW.Qualification)
        out.derived(spec, self.source)
        for title in src.objects(spec, DC.title):
            out.add(spec, PW.title, title)
        for text in src.objects(spec, DC.description):
            out.add(spec, PW.description, text)
        for level in src.objects(spec, ELM.EQFLevel):
            out.add(spec, PW.eqfLevel, level)
        for level in src.objects(spec, ELM.NQFLevel):
            out.add(spec, PW.nqfLevel, level)
        for volume in src.objects(spec, ELM.volumeOfLearning):
            hours = duration_hours(str(volume))
            if hours is None:
                self.find(spec, f"volumeOfLearning {volume} is not in hours or days; not converted")
            else:
                out.add(spec, PW.notionalHours, Literal(hours, datatype=XSD.decimal))
        for credit in src.objects(spec, ELM.creditPoint):
            self._credit(spec, credit)
        for outcome in src.objects(spec, ELM.learningOutcome):
            self._outcome(spec, outcome)
        for requirement in src.objects(spec, ELM.entryRequirement):
            for text in _note(src, requirement):
                out.add(spec, PW.entryRequirement, text)
        for mode in src.objects(spec, ELM.mode):
            mapped = _MODES.get(_label(src, mode).lower())
            if mapped is None:
                self.find(spec, f"mode {mode} ({_label(src, mode)}) has no pathways equivalent")
            else:
                out.add(spec, PW.participationForm, mapped)
        for language in {*src.objects(spec, DC.language), *src.objects(spec, ELM.language)}:
            code = _LANGUAGES.get(str(language).rsplit("/", 1)[-1])
            if code:
                out.add(spec, PW.language, Literal(code, datatype=XSD.language))
        for accreditation in src.objects(spec, ELM.accreditation):
            self._accreditation(spec, accreditation)
        self._awarding(spec)
        self._assessment(spec)
        self._missing(spec)

    def _credit(self, spec: Node, credit: Node) -> None:
        point = next(iter(self.src.objects(credit, ELM.point)), None)
        if point is None:
            self.find(spec, "credit point without a value; not imported")
            return
        try:
            amount = Decimal(str(point).replace(",", "."))
        except ArithmeticError:
            self.find(spec, f"credit point {point!s} is not a number; not imported")
            return
        node = BNode()
        self.out.add(spec, PW.credit, node)
        self.out.add(node, RDF.type, PW.CreditValue)
        self.out.add(node, PW.creditAmount, Literal(amount, datatype=XSD.decimal))
        for framework in self.src.objects(credit, ELM.framework):
            self.out.add(node, PW.creditUnit, framework)

    def _outcome(self, spec: Node, outcome: Node) -> None:
        out = self.out
        out.add(spec, PW.learningOutcome, outcome)
        out.add(outcome, RDF.type, PW.LearningOutcome)
        for title in self.src.objects(outcome, DC.title):
            out.add(outcome, PW.description, title)
        for skill in self.src.objects(outcome, ELM.relatedESCOSkill):
            out.add(outcome, PW.alignedSkill, skill)
            out.add(skill, RDF.type, PW.Skill)
            for label in self.src.objects(skill, SKOS.prefLabel):
                out.add(skill, SKOS.prefLabel, label)

    def _claims(self, spec: Node) -> list[Node]:
        return sorted(self.src.subjects(ELM.specifiedBy, spec), key=str)

    def _awarding(self, spec: Node) -> None:
        src, out = self.src, self.out
        bodies: set[Node] = set()
        for holder in (spec, *self._claims(spec)):
            for process in src.objects(holder, ELM.awardedBy):
                bodies.update(src.objects(process, ELM.awardingBody))
        for body in sorted(bodies, key=str):
            out.add(spec, PW.awardingBody, body)
            out.add(body, RDF.type, PW.AwardingBody)
            for name in src.objects(body, ROV.legalName):
                out.add(body, PW.name, name)
            for country in self._countries(body):
                out.add(spec, PW.country, country)
                out.add(body, PW.country, country)

    def _countries(self, org: Node) -> list[Node]:
        found: list[Node] = []
        for location in self.src.objects(org, ELM.location):
            for address in self.src.objects(location, ELM.address):
                for country in self.src.objects(address, ELM.countryCode):
                    if str(country).startswith(str(COUNTRY)):
                        found.append(country)
                    else:
                        self.find(
                            org,
                            f"country {country} is not an EU country authority IRI "
                            f"({COUNTRY}XXX); not imported",
                        )
        return found

    def _assessment(self, spec: Node) -> None:
        src, out = self.src, self.out
        for claim in self._claims(spec):
            for proof in src.objects(claim, ELM.provenBy):
                assessment = next(iter(src.objects(proof, ELM.specifiedBy)), proof)
                out.add(spec, PW.assessment, assessment)
                out.add(assessment, RDF.type, PW.Assessment)
                for kind in src.objects(assessment, DC.type):
                    label = _label(src, kind).lower()
                    mapped = next((c for w, c in _ASSESSMENT_WORDS if w in label), None)
                    if mapped is None:
                        self.find(
                            assessment,
                            f"assessment type {kind} ({label}) has no pathways equivalent; "
                            "kept as is",
                            "info",
                        )
                    out.add(assessment, PW.assessmentType, mapped or kind)
                for check in src.objects(proof, ELM.idVerification):
                    mapped = _SUPERVISION.get(_label(src, check).lower())
                    if mapped is not None:
                        out.add(assessment, PW.supervision, mapped)
                    else:
                        self.find(assessment, f"idVerification {check} is not a known level")
                for outcome in src.objects(spec, ELM.learningOutcome):
                    out.add(assessment, PW.assessesOutcome, outcome)

    def _accreditation(self, spec: Node, accreditation: Node) -> None:
        node = BNode()
        self.out.add(spec, PW.qualityAssurance, node)
        self.out.add(node, RDF.type, PW.QualityAssurance)
        self.out.add(node, PW.qualityAssuranceType, PW.ExternalAccreditation)
        for agent in self.src.objects(accreditation, ELM.accreditingAgent):
            self.out.add(node, PW.qualityAssuredBy, agent)
            self.out.add(agent, RDF.type, PW.Organisation)

    def _missing(self, spec: Node) -> None:
        g = self.out.graph
        checks = (("quality assurance (element 11)", PW.qualityAssurance),
                  ("awarding body (element 4)", PW.awardingBody),
                  ("learning outcomes (element 6)", PW.learningOutcome),
                  ("workload (element 7)", PW.notionalHours),
                  ("type of assessment (element 9)", PW.assessment),
                  ("form of participation (element 10)", PW.participationForm))  # fmt: skip
        for what, prop in checks:
            if (spec, prop, None) not in g:
                self.find(spec, f"the file states no {what}")

    def awards(self) -> None:
        src, out = self.src, self.out
        for credential in sorted(
            set(src.subjects(RDF.type, ELM.EuropeanDigitalCredential)), key=str
        ):
            out.add(credential, RDF.type, PW.IssuedCredential)
            out.derived(credential, self.source)
            for issuer in src.objects(credential, CRED.issuer):
                out.add(credential, PW.issuedBy, issuer)
                out.add(issuer, RDF.type, PW.Organisation)
            dates = [
                *src.objects(credential, CRED.issuanceDate),
                *src.objects(credential, CRED.validFrom),
            ]
            if dates:
                out.add(
                    credential, PW.dateOfIssuing, Literal(str(dates[0])[:10], datatype=XSD.date)
                )
            specs: list[Node] = []
            for person in src.objects(credential, CRED.credentialSubject):
                out.add(credential, PW.awardedTo, person)
                out.add(person, RDF.type, PW.Learner)
                for claim in src.objects(person, ELM.hasClaim):
                    specs.extend(src.objects(claim, ELM.specifiedBy))
                    for proof in src.objects(claim, ELM.provenBy):
                        for grade in src.objects(proof, ELM.grade):
                            for text in _note(src, grade):
                                out.add(credential, PW.grade, Literal(str(text)))
            for spec in specs:
                out.add(credential, PW.awardOf, spec)
            if not specs:
                self.find(
                    credential,
                    "the credential's achievement has no specification (elm:specifiedBy); "
                    "imported without pw:awardOf",
                )


def import_elm(
    paths: Iterable[str | Path], *, contexts: Mapping[str, Path] | None = None
) -> ImportResult:
    """Import ELM / Europass files (JSON-LD or Turtle).

    Parameters
    ----------
    paths
        ``.jsonld`` / ``.json`` or ``.ttl`` files.
    contexts
        Extra ``{context URL: local file}`` pairs; unknown remote contexts are refused.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "q.ttl"
    >>> _ = f.write_text('''@prefix elm: <http://data.europa.eu/snb/model/elm/> .
    ... @prefix dc: <http://purl.org/dc/terms/> .
    ... <urn:q> a elm:Qualification ; dc:title "Q"@en ; elm:volumeOfLearning "PT60H" .''')
    >>> result = import_elm([f])
    >>> result.graph.value(URIRef("urn:q"), PW.notionalHours)
    rdflib.term.Literal('60', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    out = ImportBuilder(STANDARD, "elm")
    for raw in paths:
        path = Path(raw)
        try:
            data, graph = parse_document(path, contexts)
        except InputError as err:
            out.source(path, None, imported=False)
            hint = f" ({err.hint})" if err.hint else ""
            out.find(path, None, err.message + hint, "error", line=err.line)
            continue
        mapper = _Mapper(graph, path, out, out.source(path, data))
        specs = mapper.specifications()
        for spec in specs:
            mapper.specification(spec)
        mapper.awards()
        if not specs and (None, RDF.type, ELM.EuropeanDigitalCredential) not in graph:
            out.find(path, None, "no ELM specifications or credentials found", "warning")
    return out.result()
