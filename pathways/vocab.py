"""The pathways vocabulary and the other namespaces the code uses.

``PW`` is a closed :class:`rdflib.namespace.DefinedNamespace`: a term that is not in
``ontology/`` raises instead of minting a new IRI.

>>> PW.MicroCredential
rdflib.term.URIRef('https://w3id.org/pathways/vocab#MicroCredential')
>>> PW.MicroCredentail  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
AttributeError: term not defined
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import XSD, DefinedNamespace

__all__ = [
    "COUNTRY",
    "CTDL",
    "ELM",
    "EQF",
    "ESCO",
    "LITERALS_AS_WRITTEN",
    "OB",
    "PILOT",
    "PREFIXES",
    "PW",
    "PWSH",
    "QDR",
    "STORE_FORMAT",
    "XSD_STRING",
    "bind_prefixes",
]


class PW(DefinedNamespace):
    """Terms of the pathways ontology (``ontology/pathways.ttl``, ``vocabularies.ttl``)."""

    _NS = Namespace("https://w3id.org/pathways/vocab#")
    _fail = True

    # classes
    Assessment: URIRef
    AwardingBody: URIRef
    ComponentCondition: URIRef
    Consortium: URIRef
    CostItem: URIRef
    CredentialSpecification: URIRef
    CreditValue: URIRef
    EmployerAssociation: URIRef
    EntryRoute: URIRef
    FundingBody: URIRef
    FundingRule: URIRef
    FundingScheme: URIRef
    IssuedCredential: URIRef
    Learner: URIRef
    LearningOutcome: URIRef
    MicroCredential: URIRef
    MonetaryAmount: URIRef
    NQFAuthority: URIRef
    Occupation: URIRef
    Organisation: URIRef
    OtherCredential: URIRef
    OutcomeRecord: URIRef
    PriorLearning: URIRef
    ProgressionPathway: URIRef
    Provider: URIRef
    Qualification: URIRef
    QualityAssurance: URIRef
    QualityAssuranceAgency: URIRef
    SectorBody: URIRef
    Skill: URIRef
    # properties
    accreditedBy: URIRef
    alignedSkill: URIRef
    amount: URIRef
    assessesOutcome: URIRef
    assessment: URIRef
    assessmentType: URIRef
    awardOf: URIRef
    awardableByRecognition: URIRef
    awardedTo: URIRef
    awardingBody: URIRef
    capPerLearner: URIRef
    cohortYear: URIRef
    completers: URIRef
    corequisite: URIRef
    cost: URIRef
    costBasis: URIRef
    costCategory: URIRef
    costOf: URIRef
    country: URIRef
    credit: URIRef
    creditAmount: URIRef
    creditUnit: URIRef
    currency: URIRef
    cycle: URIRef
    dateOfIssuing: URIRef
    description: URIRef
    destination: URIRef
    employedAt12Months: URIRef
    employedAt6Months: URIRef
    employerShare: URIRef
    endorsedBy: URIRef
    entryRequirement: URIRef
    entryRoute: URIRef
    eqfLevel: URIRef
    essentialSkill: URIRef
    fee: URIRef
    fundingBody: URIRef
    fundingModel: URIRef
    fundingRule: URIRef
    grade: URIRef
    hasCondition: URIRef
    hasPriorLearning: URIRef
    hasSubCondition: URIRef
    holdsSkill: URIRef
    homepage: URIRef
    hourlyRate: URIRef
    hoursPerUnit: URIRef
    identifier: URIRef
    incurredBy: URIRef
    isAssessing: URIRef
    isQualityAssured: URIRef
    isVisibleCost: URIRef
    iscoGroup: URIRef
    issued: URIRef
    issuedBy: URIRef
    language: URIRef
    learnerGroup: URIRef
    learnerIdentifier: URIRef
    learnerShare: URIRef
    learners: URIRef
    learningOutcome: URIRef
    learningSetting: URIRef
    levelNumber: URIRef
    maxEqfLevel: URIRef
    maxHours: URIRef
    medianWageChange: URIRef
    member: URIRef
    metadataRecord: URIRef
    minEqfLevel: URIRef
    minHours: URIRef
    minimumCredits: URIRef
    minimumHours: URIRef
    maximumCredits: URIRef
    maximumHours: URIRef
    maximumNumber: URIRef
    name: URIRef
    notionalHours: URIRef
    nqfLevel: URIRef
    optionalSkill: URIRef
    outcomeOf: URIRef
    participationForm: URIRef
    pathwayComponent: URIRef
    precedes: URIRef
    prerequisite: URIRef
    prerequisiteCondition: URIRef
    progressedToFurther: URIRef
    provider: URIRef
    publicShare: URIRef
    qualityAssurance: URIRef
    qualityAssuranceType: URIRef
    qualityAssuredBy: URIRef
    recognisedBy: URIRef
    recognisesPriorLearning: URIRef
    recurrence: URIRef
    referencedEQFLevel: URIRef
    region: URIRef
    renewedBy: URIRef
    requiredNumber: URIRef
    requiresConditionality: URIRef
    requiresCredential: URIRef
    sector: URIRef
    stackability: URIRef
    supervision: URIRef
    targetComponent: URIRef
    targetOccupation: URIRef
    title: URIRef
    usefulLifeYears: URIRef
    validFrom: URIRef
    validUntil: URIRef
    validationProfile: URIRef
    validityPeriod: URIRef
    paymentPerLearner: URIRef
    requiresAccreditedProvider: URIRef
    requiresEndorsement: URIRef
    requiresIdentityVerification: URIRef
    # concepts and concept schemes
    PeerAssessment: URIRef
    MarkedAssignment: URIRef
    ContinuousEvaluation: URIRef
    GroupPerformance: URIRef
    ProjectWork: URIRef
    PeerReview: URIRef
    Quiz: URIRef
    ProblemBasedLearning: URIRef
    ArtefactAssessment: URIRef
    ProjectBased: URIRef
    ResearchLabBased: URIRef
    UnsupervisedIdentityVerified: URIRef
    SupervisedIdentityVerified: URIRef
    LearningSettingScheme: URIRef
    FormalLearning: URIRef
    NonFormalLearning: URIRef
    NZQACredit: URIRef
    Annual: URIRef
    AssessmentTypeScheme: URIRef
    AssessorTraining: URIRef
    AttendanceOnly: URIRef
    Blended: URIRef
    CoInvestment: URIRef
    CostBasisScheme: URIRef
    CostCategoryScheme: URIRef
    CreditUnitScheme: URIRef
    DigitalIssuance: URIRef
    EQAVETAligned: URIRef
    EmployedLargeFirm: URIRef
    EquipmentAcquisition: URIRef
    EquipmentMaintenance: URIRef
    ExternalAccreditation: URIRef
    Fixed: URIRef
    FundingModelScheme: URIRef
    Hour: URIRef
    ISO9001: URIRef
    InstructionalDesign: URIRef
    LearnerGroupScheme: URIRef
    LowQualifiedSmallWorkshop: URIRef
    ManufacturerApproval: URIRef
    NationalStandard: URIRef
    OlderTechnicians: URIRef
    OneOff: URIRef
    Online: URIRef
    Onsite: URIRef
    OralExam: URIRef
    Osaamispiste: URIRef
    OutcomeBased: URIRef
    OutreachGuidance: URIRef
    ParticipationFormScheme: URIRef
    PerCohort: URIRef
    PerEnrolment: URIRef
    PerHour: URIRef
    PerParticipant: URIRef
    PersonalLearningAccount: URIRef
    Portfolio: URIRef
    PracticalDemonstration: URIRef
    QualityAssuranceScheme: URIRef
    RecurrenceScheme: URIRef
    RoomHire: URIRef
    SectoralLevy: URIRef
    SelfDeclaration: URIRef
    SkillsIntelligence: URIRef
    StackabilityScheme: URIRef
    Stackable: URIRef
    StandAlone: URIRef
    SupervisedNoIdentityVerification: URIRef
    SupervisedOnlineIdentityVerified: URIRef
    SupervisedOnsiteIdentityVerified: URIRef
    SupervisionScheme: URIRef
    TeachingHours: URIRef
    TeachingUnit: URIRef
    Unemployed: URIRef
    UnsupervisedNoIdentityVerification: URIRef
    Voucher: URIRef
    WorkBased: URIRef
    WorkplaceObservation: URIRef
    WrittenExam: URIRef


#: Shapes namespace (``shapes/``).
PWSH = Namespace("https://w3id.org/pathways/shapes#")
#: The bundled pilot knowledge graph (``data/``).
PILOT = Namespace("https://w3id.org/pathways/pilot/")
EQF = Namespace("http://data.europa.eu/snb/eqf/")
QDR = Namespace("http://data.europa.eu/snb/qdr/")
ESCO = Namespace("http://data.europa.eu/esco/model#")
ELM = Namespace("http://data.europa.eu/snb/model/elm/")
CTDL = Namespace("https://purl.org/ctdl/terms/")
OB = Namespace("https://purl.imsglobal.org/spec/vc/ob/vocab.html#")
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")

#: Store-internal markers in the ``pw:`` namespace (not ontology terms, never exported):
#: the store's format version, and the named graph of literals as written.
STORE_FORMAT = str(PW._NS) + "storeFormat"
LITERALS_AS_WRITTEN = str(PW._NS) + "literalsAsWritten"

#: The datatype of a plain literal, as a string: what an Oxigraph term's
#: ``datatype.value`` is compared with (RDF 1.1: a literal without a language tag and
#: without a datatype is an xsd:string).
XSD_STRING = str(XSD.string)

#: Prefixes bound on every graph pathways builds, in output order.
PREFIXES: dict[str, str] = {
    "pw": str(PW._NS),
    "pwsh": str(PWSH),
    "pilot": str(PILOT),
    "eqf": str(EQF),
    "qdr": str(QDR),
    "esco": "http://data.europa.eu/esco/",
    "occupation": "http://data.europa.eu/esco/occupation/",
    "skill": "http://data.europa.eu/esco/skill/",
    "escom": str(ESCO),
    "elm": str(ELM),
    "ceterms": str(CTDL),
    "ob": str(OB),
    "country": str(COUNTRY),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def bind_prefixes(graph: Graph, *, override: bool = False) -> Graph:
    """``graph`` with :data:`PREFIXES` bound (``override``: over rdflib's own
    bindings of the same prefix), returned for chaining.

    >>> bind_prefixes(Graph()).namespace_manager.normalizeUri(PW.MicroCredential)
    'pw:MicroCredential'
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=override)
    return graph
