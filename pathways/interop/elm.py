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
``EQFLevel`` / ``NQFLevel``            ``pw:eqfLevel`` / ``pw:nqfLevel`` (any level of the
                                       EU's QDR vocabulary, every country)
``entryRequirement``                   ``pw:entryRequirement``
``mode``                               ``pw:participationForm``
``learningSetting``                    ``pw:learningSetting``
``language``                           ``pw:language``
``homepage`` of the specification      ``pw:homepage``
awarding body of the achievement       ``pw:awardingBody`` (``rov:legalName`` ->
                                       ``pw:name``); its address country -> ``pw:country``
assessment specification, ``dc:type``  ``pw:assessment`` [``pw:assessmentType``]
``idVerification``                     ``pw:supervision``
``accreditation``                      ``pw:qualityAssurance`` (external accreditation)
``EuropeanDigitalCredential``          ``pw:IssuedCredential`` (``pw:awardOf``,
                                       ``pw:awardedTo``, ``pw:dateOfIssuing``,
                                       ``pw:issuedBy``, ``pw:grade``)
learner's ``nationalId`` /             ``pw:learnerIdentifier`` (EU standard element 1)
``identifier`` (``skos:notation``)
=====================================  ================================================

Concept values (assessment types, modes, learning settings, supervision, NQF levels) are
mapped through the ontology: a pathways concept's ``skos:exactMatch`` /
``skos:closeMatch`` to the EU IRI, or, when a credential coins its own concept, the EU's
English label of it (``ontology/vocabularies-eu.ttl``, generated from the EU's lists).

Personal data about learners (names, birth dates, e-mail addresses) is not imported:
the learner is kept by IRI and by the identifier Annex I asks for. Every specification
gets one ``info`` finding that lists, element by element, which Annex I elements were
carried over, and one ``warning`` per mandatory element the file does not state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.paths import Path as RdfPath
from rdflib.term import Node

from pathways.interop.documents import parse_document
from pathways.interop.eu_vocabularies import equivalent, nqf_level
from pathways.interop.results import ImportBuilder, ImportResult
from pathways.vocab import COUNTRY, ELM, PW

__all__ = ["ANNEX_I", "STANDARD", "duration_hours", "import_elm"]

Path_ = URIRef | RdfPath

STANDARD = "http://data.europa.eu/snb/model/elm/"

DC = Namespace("http://purl.org/dc/terms/")
ROV = Namespace("http://www.w3.org/ns/regorg#")
CRED = Namespace("https://www.w3.org/2018/credentials#")
_SHORT_PROGRAMME = URIRef("http://data.europa.eu/snb/learning-opportunity/74a4a268e8")

#: Annex I of Council Recommendation 2022/C 243/02: (number, or "optional"; the element;
#: the pathways property path that carries it; whether it belongs to the award, element
#: 1 and 5 and the grade, rather than to the specification).
ANNEX_I: tuple[tuple[str, str, Path_, bool], ...] = (
    ("1", "identification of the learner", PW.awardedTo / PW.learnerIdentifier, True),
    ("2", "title", PW.title, False),
    ("3", "country/region of the issuer", PW.country, False),
    ("4", "awarding body", PW.awardingBody, False),
    ("5", "date of issuing", PW.dateOfIssuing, True),
    ("6", "learning outcomes", PW.learningOutcome, False),
    ("7", "notional workload", PW.notionalHours, False),
    ("8", "level (EQF, NQF)", PW.eqfLevel | PW.nqfLevel, False),
    ("9", "type of assessment", PW.assessment / PW.assessmentType, False),
    ("10", "form of participation", PW.participationForm, False),
    ("11", "type of quality assurance", PW.qualityAssurance / PW.qualityAssuranceType, False),
    ("optional", "prerequisites to enrol", PW.entryRequirement, False),
    ("optional", "supervision and identity verification", PW.assessment / PW.supervision, False),
    ("optional", "grade achieved", PW.grade, True),
    ("optional", "integration/stackability options", PW.stackability, False),
    ("optional", "further information", PW.homepage | PW.metadataRecord, False),
)
_LANGUAGES = {"ENG": "en", "SPA": "es", "POR": "pt", "FIN": "fi", "SWE": "sv", "FRA": "fr",
              "DEU": "de", "ITA": "it", "NLD": "nl", "GLE": "ga"}  # fmt: skip
_COUNTRY_NO_SLASH = re.compile(re.escape(str(COUNTRY).rstrip("/")) + r"([A-Z0-9]{3})$")
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

    def concept(self, node: Node, value: Node, scheme: URIRef, what: str) -> URIRef | None:
        """The pathways concept of ``scheme`` for an ELM concept value, or None (reported)."""
        label = _label(self.src, value)
        match = equivalent(scheme, value, label)
        if match is None:
            self.find(node, f"{what} {value} ({label or 'no label'}) has no pathways equivalent "
                      "(neither its IRI nor its label is a value of the EU's vocabulary that "
                      "pathways maps); not imported")  # fmt: skip
            return None
        if match.by == "EU label":
            self.find(
                node,
                f"{what} {value} ({label}) is not the EU's IRI; taken as the EU's "
                f"{match.eu_concept} by its label, pathways {match.concept}",
                "info",
            )
        return match.concept

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
            self._nqf_level(spec, level)
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
            form = self.concept(spec, mode, PW.ParticipationFormScheme, "mode")
            if form is not None:
                out.add(spec, PW.participationForm, form)
        for setting in src.objects(spec, ELM.learningSetting):
            kind = self.concept(spec, setting, PW.LearningSettingScheme, "learning setting")
            if kind is not None:
                out.add(spec, PW.learningSetting, kind)
        for language in {*src.objects(spec, DC.language), *src.objects(spec, ELM.language)}:
            code = _LANGUAGES.get(str(language).rsplit("/", 1)[-1])
            if code:
                out.add(spec, PW.language, Literal(code, datatype=XSD.language))
        for page in src.objects(spec, ELM.homepage):
            for url in src.objects(page, ELM.contentURL):
                out.add(spec, PW.homepage, Literal(str(url), datatype=XSD.anyURI))
        for accreditation in src.objects(spec, ELM.accreditation):
            self._accreditation(spec, accreditation)
        self._awarding(spec)
        self._assessment(spec)

    def _nqf_level(self, spec: Node, level: Node) -> None:
        known = nqf_level(level) if isinstance(level, URIRef) else None
        if known is None:
            self.find(
                spec,
                f"NQF level {level} ({_label(self.src, level) or 'no label'}) is not a level of "
                "the EU's QDR vocabulary of national qualifications frameworks; not imported",
            )
            return
        self.out.add(spec, PW.nqfLevel, level)
        stated = set(self.src.objects(spec, ELM.EQFLevel))
        if known.eqf is None:
            self.find(
                spec,
                f"NQF level {known.label} ({known.framework_label}) is not referenced to an EQF "
                "level in pathways' table; "
                + ("the file's own EQF level is kept" if stated else "no EQF level is inferred"),
                "info",
            )
        elif stated and known.eqf not in stated:
            self.find(
                spec,
                f"NQF level {known.label} is referenced to {known.eqf}, but the file states EQF "
                f"level {', '.join(sorted(map(str, stated)))}; both imported as stated",
            )

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
                    repaired = _COUNTRY_NO_SLASH.match(str(country))
                    if str(country).startswith(str(COUNTRY)):
                        found.append(country)
                    elif repaired:
                        found.append(COUNTRY[repaired.group(1)])
                        self.find(
                            org,
                            f"country {country} lacks the '/' of the EU country authority "
                            f"(a prefix declared without it); read as {COUNTRY[repaired.group(1)]}",
                        )
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
                    mapped = self.concept(
                        assessment, kind, PW.AssessmentTypeScheme, "assessment type"
                    )
                    if mapped is not None:
                        out.add(assessment, PW.assessmentType, mapped)
                for check in src.objects(proof, ELM.idVerification):
                    level = self.concept(assessment, check, PW.SupervisionScheme, "idVerification")
                    if level is not None:
                        out.add(assessment, PW.supervision, level)
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

    def annex_i(self, spec: Node) -> None:
        """One note of the Annex I elements carried over; a warning per mandatory one missing."""
        g = self.out.graph
        awards = sorted(g.subjects(PW.awardOf, spec), key=str)
        carried, missing = [], []
        for number, element, path, on_award in ANNEX_I:
            holders = awards if on_award else [spec]
            name = f"{number} {element}" if number != "optional" else f"{element} (optional)"
            if on_award and not holders:
                continue  # a specification alone has no learner, date or grade
            if all(next(iter(g.objects(h, path)), None) is not None for h in holders):
                carried.append(name)
            elif number != "optional" and not on_award:  # an award's own are reported there
                missing.append(name)
                self.find(spec, f"Annex I element {name} is not in the file; not imported")
            else:
                missing.append(name)
        self.find(
            spec,
            "Annex I elements carried over: " + "; ".join(carried)
            + (". Not in the file: " + "; ".join(missing) if missing else ""),
            "info",
        )  # fmt: skip

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
                for name in src.objects(issuer, ROV.legalName):
                    out.add(issuer, PW.name, name)
                for country in self._countries(issuer):  # element 3, the issuer's country
                    out.add(issuer, PW.country, country)
            dates = [
                *src.objects(credential, CRED.issuanceDate),
                *src.objects(credential, CRED.validFrom),
            ]
            if dates:
                out.add(
                    credential, PW.dateOfIssuing, Literal(str(dates[0])[:10], datatype=XSD.date)
                )
            else:
                self.find(
                    credential,
                    "Annex I element 5 date of issuing is not in the file "
                    "(no issuanceDate or validFrom); not imported",
                )
            specs: list[Node] = []
            for person in src.objects(credential, CRED.credentialSubject):
                out.add(credential, PW.awardedTo, person)
                out.add(person, RDF.type, PW.Learner)
                self._learner_identifiers(credential, person)
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

    def _learner_identifiers(self, credential: Node, person: Node) -> None:
        """Annex I element 1: the learner's national ID or other identifiers, nothing else."""
        found = False
        for prop in (ELM.nationalId, ELM.identifier):
            for ident in self.src.objects(person, prop):
                for notation in self.src.objects(ident, SKOS.notation):
                    self.out.add(person, PW.learnerIdentifier, Literal(str(notation)))
                    found = True
        if not found:
            self.find(
                credential,
                "Annex I element 1 identification of the learner is not in the file "
                "(the learner has no elm:nationalId or elm:identifier); not imported",
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
    files = [Path(p) for p in paths]
    for path, (data, graph) in out.each_file(files, lambda p: parse_document(p, contexts)):
        mapper = _Mapper(graph, path, out, out.source(path, data))
        specs = mapper.specifications()
        for spec in specs:
            mapper.specification(spec)
        mapper.awards()
        for spec in specs:
            mapper.annex_i(spec)
        if not specs and (None, RDF.type, ELM.EuropeanDigitalCredential) not in graph:
            out.find(path, None, "no ELM specifications or credentials found", "warning")
    return out.result()
