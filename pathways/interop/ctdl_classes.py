"""CTDL class tables: which CTDL types are credentials, learning opportunities and
pathway components, and which pathways class each maps to.

>>> credential_class({"Certification"}) == PW.Qualification
True
>>> credential_class({"Course"}) == PW.OtherCredential
True
>>> has_own_work({"CourseComponent"}, has_credit=False), has_own_work({"BasicComponent"}, False)
(True, False)
"""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from pathways.catalogue.facts import ECTS_UNIT
from pathways.vocab import CTDL, PW

__all__ = [
    "ARRAY", "ASN", "CEASN", "COMPARE", "COMPONENTS", "CREDIT_UNITS", "ECTS", "LEARNING",
    "MICRO", "OTHER", "QUALIFICATION", "SCHEMA", "STACKING", "WORK", "credential_class",
    "ctdl_types", "has_own_work", "local_name", "plain_text",
]  # fmt: skip

CEASN = Namespace("https://purl.org/ctdlasn/terms/")
ASN = Namespace("http://purl.org/ASN/schema/core/")
SCHEMA = Namespace("https://schema.org/")
ARRAY = Namespace("https://purl.org/ctdl/vocabs/array/")
COMPARE = Namespace("https://purl.org/ctdl/vocabs/compare/")
ECTS = URIRef(ECTS_UNIT)

MICRO = {"MicroCredential"}
QUALIFICATION = {
    "AssociateDegree", "BachelorDegree", "Degree", "DoctoralDegree", "MasterDegree",
    "ProfessionalDoctorate", "ResearchDoctorate", "Diploma", "Certificate",
    "Certification", "ApprenticeshipCertificate", "JourneymanCertificate",
    "MasterCertificate", "ProfessionalCertificate", "SecondarySchoolDiploma",
    "GeneralEducationDevelopment", "CertificateOfCompletion", "AcademicCertificate",
}  # fmt: skip
OTHER = {
    "Badge", "DigitalBadge", "OpenBadge", "License", "QualityAssuranceCredential",
    "Credential", "CertificateOfParticipation", "BasicComponent", "SelectionComponent",
    "MultiComponent", "CocurricularComponent", "ExtracurricularComponent",
    "WorkExperienceComponent", "AssessmentComponent", "CourseComponent",
    "CredentialComponent", "CompetencyComponent",
}  # fmt: skip
LEARNING = {"Course", "LearningOpportunityProfile", "LearningProgram", "Program"}
COMPONENTS = {
    "BasicComponent", "CredentialComponent", "CourseComponent", "AssessmentComponent",
    "CompetencyComponent", "JobComponent", "CocurricularComponent",
    "ExtracurricularComponent", "WorkExperienceComponent", "SelectionComponent",
    "MultiComponent",
}  # fmt: skip
#: Components that are themselves a piece of work: completing one means doing that work
#: *and* meeting its conditions (CTDL: a ComponentCondition "describes what must be done to
#: complete a PathwayComponent, or part thereof"), so their conditions are prerequisites.
WORK = {
    "CourseComponent", "AssessmentComponent", "CompetencyComponent", "JobComponent",
    "WorkExperienceComponent", "ExtracurricularComponent", "CocurricularComponent",
} | LEARNING  # fmt: skip
#: Components with no work of their own: earned by their conditions alone (a credential
#: earned by stacking, a selection among options, a proxy for several entities).
STACKING = {"CredentialComponent", "SelectionComponent", "MultiComponent"}
#: CTDL credit unit concepts that have a pathways equivalent.
CREDIT_UNITS = {
    "https://purl.org/ctdl/vocabs/creditUnit/ECTS": ECTS,
    "https://purl.org/ctdl/vocabs/creditUnit/EuropeanCreditTransferSystem": ECTS,
    "https://purl.org/ctdl/vocabs/creditUnit/ClockHour": PW.Hour,
    "https://purl.org/ctdl/vocabs/creditUnit/ContactHour": PW.Hour,
}


def local_name(node: object) -> str:
    text = str(node)
    return text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def ctdl_types(graph: Graph, node: Node) -> set[str]:
    return {
        local_name(t)
        for t in graph.objects(node, RDF.type)
        if str(t).startswith(str(CTDL)) or str(t).startswith("ceterms:")
    }


def credential_class(types: set[str]) -> URIRef | None:
    if types & MICRO:
        return PW.MicroCredential
    if types & QUALIFICATION:
        return PW.Qualification
    if types & (OTHER | LEARNING):
        return PW.OtherCredential
    return None


def has_own_work(types: set[str], has_credit: bool) -> bool:
    """Whether a component with these CTDL types is completed by doing its own work.

    A course, assessment, competency, job, work experience or co-/extracurricular
    component is; so is a learning opportunity (``Course``, ``LearningProgram``) and a
    ``BasicComponent`` (or a component of no listed class) with its own credit value.
    A credential (a ``CredentialComponent`` or a credential class), a
    ``SelectionComponent`` or ``MultiComponent`` is earned by its conditions alone.
    """
    if types & WORK:
        return True
    if types & STACKING or types & (MICRO | QUALIFICATION):
        return False
    return has_credit


def plain_text(node: Node) -> Node:
    """A literal copy of a text value (language tag kept), whatever the source term."""
    if isinstance(node, Literal):
        return Literal(str(node), lang=node.language) if node.language else Literal(str(node))
    return Literal(str(node))
