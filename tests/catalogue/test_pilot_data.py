"""Checks of the bundled pilot knowledge graph (``data/*.ttl``).

Plain rdflib: the ontology (``ontology/*.ttl``) and the data are loaded into one graph.
The ESCO test reads the real ESCO extract in ``../shared/external/esco`` and is skipped
where that folder is absent. The deliberate defects are read from the table in
``data/README.md`` so that the README and the data cannot drift apart.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

from tests.graphs import iri, literal

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
ONTOLOGY = ROOT / "ontology"
ESCO_CSV = ROOT.parent / "shared" / "external" / "esco" / "automotive-occupation-skills.csv"

PW = Namespace("https://w3id.org/pathways/vocab#")
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
XSD_LANGUAGE = URIRef(XSD_NS + "language")
XSD_DURATION = URIRef(XSD_NS + "duration")
XSD_GYEAR = URIRef(XSD_NS + "gYear")
PILOT = Namespace("https://w3id.org/pathways/pilot/")
EQF_SCHEME = URIRef("http://data.europa.eu/snb/eqf/25831c2")
NQF_SCHEMES = {
    URIRef("http://publications.europa.eu/resource/authority/country/ESP"): URIRef(
        "http://data.europa.eu/snb/qdr/c_e8c5bfbe"
    ),
    URIRef("http://publications.europa.eu/resource/authority/country/PRT"): URIRef(
        "http://data.europa.eu/snb/qdr/c_5a1e9f89"
    ),
    URIRef("http://publications.europa.eu/resource/authority/country/FIN"): URIRef(
        "http://data.europa.eu/snb/qdr/c_2d1fde14"
    ),
}
CREDENTIAL_CLASSES = (PW.MicroCredential, PW.Qualification, PW.OtherCredential)
LARGER_CLASSES = (PW.Qualification, PW.OtherCredential)

DATA_FILES = sorted(DATA.glob("*.ttl"))
EXPECTED_FILES = {
    "organisations.ttl",
    "credentials-es.ttl",
    "credentials-pt.ttl",
    "credentials-fi.ttl",
    "credentials-hv.ttl",
    "qualifications.ttl",
    "pathways.ttl",
    "esco-automotive.ttl",
    "funding.ttl",
    "costs.ttl",
    "outcomes.ttl",
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    for path in sorted(ONTOLOGY.glob("*.ttl")):
        g.parse(path)
    return g


@pytest.fixture(scope="module")
def data() -> Graph:
    g = Graph()
    for path in DATA_FILES:
        g.parse(path)
    return g


@pytest.fixture(scope="module")
def graph(ontology: Graph, data: Graph) -> Graph:
    return ontology + data


def credentials(g: Graph, classes: tuple[URIRef, ...] = CREDENTIAL_CLASSES) -> set[URIRef]:
    return {s for cls in classes for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef)}


def stacked_or_in_pathway(g: Graph) -> set[URIRef]:
    members = [*g.objects(None, PW.targetComponent), *g.objects(None, PW.pathwayComponent)]
    return {m for m in members if isinstance(m, URIRef)}


# --------------------------------------------------------------------------- parsing and counts


def test_expected_files_exist() -> None:
    assert {p.name for p in DATA_FILES} >= EXPECTED_FILES


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_file_parses_and_has_a_comment_header(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# "), f"{path.name} must start with a comment header"
    g = Graph()
    g.parse(path)
    # Oracle: a second Turtle parser (Oxigraph, the store's) reads the same triples.
    import pyoxigraph as ox

    with path.open("rb") as handle:
        oxigraph = {str(t) for t in ox.parse(handle, format=ox.RdfFormat.TURTLE)}
    assert g and len(g) == len(oxigraph)


def test_counts(data: Graph) -> None:
    assert len(credentials(data, (PW.MicroCredential,))) >= 45
    assert len(credentials(data, LARGER_CLASSES)) >= 8
    assert len(set(data.subjects(RDF.type, PW.ProgressionPathway))) >= 5
    assert len(set(data.subjects(RDF.type, PW.FundingScheme))) >= 5
    assert len(set(data.subjects(RDF.type, PW.CostItem))) >= 40
    assert len(set(data.subjects(RDF.type, PW.OutcomeRecord))) >= 25
    assert len(set(data.subjects(RDF.type, PW.Occupation))) == 8


def test_every_credential_is_from_es_pt_or_fi(data: Graph) -> None:
    for cred in credentials(data):
        assert set(data.objects(cred, PW.country)) <= set(NQF_SCHEMES), cred


# --------------------------------------------------------------------------- vocabulary


def test_every_pw_term_is_defined_in_the_ontology(ontology: Graph, data: Graph) -> None:
    defined = {s for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(PW)}
    used = {
        term
        for triple in data
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(PW))
    }
    assert used - defined == set()


def test_only_value_nodes_are_blank(data: Graph) -> None:
    for node in {s for s in data.subjects() if isinstance(s, BNode)}:
        types = set(data.objects(node, RDF.type))
        assert types and types <= {PW.CreditValue, PW.MonetaryAmount}, types


def test_titles_and_names_carry_language_tags(data: Graph) -> None:
    for prop in (PW.title, PW.name, PW.description, PW.entryRequirement):
        for value in data.objects(None, prop):
            assert isinstance(value, Literal) and value.language, (prop, value)


def test_languages_are_xsd_language(data: Graph) -> None:
    for value in data.objects(None, PW.language):
        assert isinstance(value, Literal) and value.datatype == XSD_LANGUAGE


# --------------------------------------------------------------------------- ESCO


def test_occupations_have_exactly_the_csv_relations(data: Graph) -> None:
    if not ESCO_CSV.is_file():
        pytest.skip(f"{ESCO_CSV} not available")
    expected: dict[URIRef, dict[str, set[URIRef]]] = defaultdict(lambda: defaultdict(set))
    labels: dict[URIRef, str] = {}
    with ESCO_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 347
    for row in rows:
        expected[URIRef(row["occupationUri"])][row["relationType"]].add(URIRef(row["skillUri"]))
        labels[URIRef(row["skillUri"])] = row["skillLabel"]
    assert set(data.subjects(RDF.type, PW.Occupation)) == set(expected)
    for occ, relations in expected.items():
        assert set(data.objects(occ, PW.essentialSkill)) == relations["essential"], occ
        assert set(data.objects(occ, PW.optionalSkill)) == relations["optional"], occ
        assert data.value(occ, PW.iscoGroup) is not None
        assert any(
            isinstance(label, Literal) and label.language == "en"
            for label in data.objects(occ, SKOS.prefLabel)
        )
    for skill, label in labels.items():
        assert (skill, RDF.type, PW.Skill) in data
        assert Literal(label, lang="en") in set(data.objects(skill, SKOS.prefLabel))


def test_aligned_skills_are_declared_esco_skills(data: Graph) -> None:
    skills = set(data.subjects(RDF.type, PW.Skill))
    aligned = set(data.objects(None, PW.alignedSkill))
    assert aligned, "learning outcomes should be aligned to ESCO skills"
    assert aligned <= skills
    assert all(str(s).startswith("http://data.europa.eu/esco/skill/") for s in aligned)


# --------------------------------------------------------------------------- levels and links


def test_eqf_levels_are_eqf_concepts(graph: Graph) -> None:
    for level in set(graph.objects(None, PW.eqfLevel)):
        assert (level, SKOS.inScheme, EQF_SCHEME) in graph, level


def test_nqf_level_matches_eqf_level_and_country(graph: Graph, data: Graph) -> None:
    for cred, nqf in data.subject_objects(PW.nqfLevel):
        eqf = data.value(cred, PW.eqfLevel)
        assert eqf is not None, f"{cred} has an NQF level but no EQF level"
        assert graph.value(nqf, PW.referencedEQFLevel) == eqf, cred
        country = iri(data, cred, PW.country)
        assert (nqf, SKOS.inScheme, NQF_SCHEMES[country]) in graph, cred
    for cred in data.subjects(PW.eqfLevel, None):
        if (cred, RDF.type, PW.ProgressionPathway) not in data:
            assert data.value(cred, PW.nqfLevel) is not None, f"{cred} lacks an NQF level"


def test_links_point_at_declared_credentials(data: Graph) -> None:
    declared = credentials(data)
    for prop in (
        PW.targetComponent,
        PW.prerequisite,
        PW.requiresCredential,
        PW.corequisite,
        PW.precedes,
        PW.pathwayComponent,
        PW.renewedBy,
        PW.costOf,
        PW.outcomeOf,
    ):
        for subject, target in data.subject_objects(prop):
            assert target in declared, (subject, prop, target)


def test_links_point_at_declared_nodes(data: Graph) -> None:
    def typed(cls: URIRef) -> set[URIRef]:
        return {s for s in data.subjects(RDF.type, cls) if isinstance(s, URIRef)}

    orgs = {
        s
        for cls in (
            PW.Organisation,
            PW.Provider,
            PW.AwardingBody,
            PW.NQFAuthority,
            PW.SectorBody,
            PW.EmployerAssociation,
            PW.QualityAssuranceAgency,
            PW.FundingBody,
            PW.Consortium,
        )
        for s in typed(cls)
    }
    checks = {
        PW.awardingBody: orgs,
        PW.provider: orgs,
        PW.recognisedBy: orgs,
        PW.qualityAssuredBy: orgs,
        PW.incurredBy: orgs,
        PW.fundingBody: orgs,
        PW.accreditedBy: orgs,
        PW.member: orgs,
        PW.learningOutcome: typed(PW.LearningOutcome),
        PW.assessesOutcome: typed(PW.LearningOutcome),
        PW.assessment: typed(PW.Assessment),
        PW.qualityAssurance: typed(PW.QualityAssurance),
        PW.hasCondition: typed(PW.ComponentCondition),
        PW.hasSubCondition: typed(PW.ComponentCondition),
        PW.entryRoute: typed(PW.EntryRoute),
        PW.recognisesPriorLearning: typed(PW.PriorLearning),
        PW.awardableByRecognition: typed(PW.PriorLearning),
        PW.fundingRule: typed(PW.FundingRule),
        PW.destination: typed(PW.Occupation) | typed(PW.Qualification),
        PW.targetOccupation: typed(PW.Occupation),
    }
    for prop, allowed in checks.items():
        for subject, target in data.subject_objects(prop):
            assert target in allowed, (subject, prop, target)


def test_assessments_cover_outcomes_of_their_own_credential(data: Graph) -> None:
    for cred, assessment in data.subject_objects(PW.assessment):
        own = set(data.objects(cred, PW.learningOutcome))
        assert set(data.objects(assessment, PW.assessesOutcome)) <= own, assessment


def test_requisite_graph_is_acyclic(data: Graph) -> None:
    dag = nx.DiGraph()
    for prop in (PW.prerequisite, PW.corequisite):
        for later, earlier in data.subject_objects(prop):
            dag.add_edge(earlier, later)
    for earlier, later in data.subject_objects(PW.precedes):
        dag.add_edge(earlier, later)
    for cond, target in data.subject_objects(PW.targetComponent):
        dag.add_edge(target, cond)
    for parent, sub in data.subject_objects(PW.hasSubCondition):
        dag.add_edge(sub, parent)
    for cred, cond in data.subject_objects(PW.hasCondition):
        dag.add_edge(cond, cred)
    assert nx.is_directed_acyclic_graph(dag), nx.find_cycle(dag)


def test_required_number_never_exceeds_the_parts(data: Graph) -> None:
    for cond, n in data.subject_objects(PW.requiredNumber):
        parts = len(set(data.objects(cond, PW.targetComponent))) + len(
            set(data.objects(cond, PW.hasSubCondition))
        )
        assert 0 < int(str(n)) <= parts, cond
    for cond in data.subjects(PW.minimumCredits, None):
        assert data.value(cond, PW.creditUnit) is not None, cond


# --------------------------------------------------------------------------- key structures


def test_hv_ladder_and_entry_routes(data: Graph) -> None:
    s2 = PILOT["es-hv-2s"]
    routes = set(data.objects(s2, PW.entryRoute))
    assert routes == {PILOT["es-hv-2s-route-standard"], PILOT["es-hv-2s-route-rpl"]}
    standard, rpl = PILOT["es-hv-2s-route-standard"], PILOT["es-hv-2s-route-rpl"]
    assert set(data.objects(standard, PW.requiresCredential)) == {PILOT["es-hv-1s"]}
    assert literal(data, standard, PW.notionalHours).toPython() == Decimal("60")
    assert set(data.objects(rpl, PW.recognisesPriorLearning)) == {PILOT["pl-vehicle-electrics"]}
    assert literal(data, rpl, PW.notionalHours).toPython() == Decimal("12")
    assert data.value(rpl, PW.requiresCredential) is None
    credit = data.value(s2, PW.credit)
    assert data.value(credit, PW.creditUnit) == PW.TeachingUnit
    assert literal(data, credit, PW.creditAmount).toPython() == Decimal("80")
    assert set(data.objects(PILOT["es-hv-3s"], PW.prerequisite)) == {s2}
    assert data.value(s2, PW.prerequisite) is None, "1S is required by a route, not by 2S"
    assert (PILOT["es-hv-s"], PW.precedes, PILOT["es-hv-1s"]) in data
    assert (PILOT["es-hv-1s"], PW.precedes, s2) in data


def test_sfs6002_card_expires_and_is_renewed(data: Graph) -> None:
    card = PILOT["fi-sfs6002"]
    assert (card, RDF.type, PW.OtherCredential) in data
    assert data.value(card, PW.validityPeriod) == Literal("P5Y", datatype=XSD_DURATION)
    assert data.value(card, PW.renewedBy) == PILOT["fi-sfs6002-kertaus"]


def test_finnish_choose_two_of_seven(data: Graph) -> None:
    cond = PILOT["fi-eat-cond-ha-valinnaiset"]
    assert int(literal(data, cond, PW.requiredNumber)) == 2
    assert len(set(data.objects(cond, PW.targetComponent))) == 7
    assert (PILOT["fi-eat-cond-ha"], PW.hasSubCondition, cond) in data
    total = PILOT["fi-eat-cond-laajuus"]
    assert literal(data, total, PW.minimumCredits).toPython() == Decimal("160")
    assert data.value(total, PW.creditUnit) == PW.Osaamispiste
    assert set(data.objects(PILOT["fi-eat"], PW.hasCondition)) == {
        PILOT["fi-eat-cond-osaamisala"],
        total,
    }


def test_spanish_specialisation_course_is_650_hours_of_modules(data: Graph) -> None:
    cond = PILOT["es-ce-hev-cond"]
    modules = set(data.objects(cond, PW.targetComponent))
    hours = sum(literal(data, m, PW.notionalHours).toPython() for m in modules)
    assert hours == Decimal("650") == literal(data, cond, PW.minimumHours).toPython()
    assert data.value(cond, PW.requiredNumber) is None


def test_larger_credentials_are_levelled_and_recognised(data: Graph) -> None:
    for cred in credentials(data, LARGER_CLASSES):
        assert data.value(cred, PW.eqfLevel) is not None, cred
        assert data.value(cred, PW.nqfLevel) is not None, cred
        recognised = data.value(cred, PW.recognisedBy) is not None
        assert recognised or cred == PILOT["fi-sfs6002"], cred


def test_pathways(data: Graph) -> None:
    for pathway in data.subjects(RDF.type, PW.ProgressionPathway):
        assert data.value(pathway, PW.title) is not None
        assert data.value(pathway, PW.recognisedBy) is not None
        assert set(data.objects(pathway, PW.pathwayComponent))
        destination = data.value(pathway, PW.destination)
        if (destination, RDF.type, PW.Occupation) in data:
            assert data.value(pathway, PW.hasCondition) is not None, pathway


# ------------------------------------------------------------------- funding, cost, outcomes


def test_funding_schemes(data: Graph) -> None:
    profiles = set()
    for scheme in data.subjects(RDF.type, PW.FundingScheme):
        for prop in (PW.title, PW.country, PW.fundingBody, PW.fundingModel):
            assert data.value(scheme, prop) is not None, (scheme, prop)
        assert data.value(scheme, PW.requiresConditionality) is not None
        profiles.add(str(data.value(scheme, PW.validationProfile)))
        assert set(data.objects(scheme, PW.fundingRule)), scheme
    assert profiles == {
        "funding-es-fundae",
        "funding-es-pes",
        "funding-pt-public",
        "funding-fi-vet",
        "funding-nz-nzqa",
    }


def test_funding_rule_shares_sum_to_one(data: Graph) -> None:
    for rule in data.subjects(RDF.type, PW.FundingRule):
        shares = [
            literal(data, rule, prop).toPython()
            for prop in (PW.publicShare, PW.employerShare, PW.learnerShare)
        ]
        assert all(Decimal(0) <= s <= Decimal(1) for s in shares), rule
        assert sum(shares) == Decimal(1), rule
        assert data.value(rule, PW.capPerLearner) is not None


def test_monetary_amounts_have_currency(data: Graph) -> None:
    for node in data.subjects(RDF.type, PW.MonetaryAmount):
        assert isinstance(literal(data, node, PW.amount).toPython(), Decimal)
        assert re.fullmatch(r"[A-Z]{3}", str(data.value(node, PW.currency)))


def test_every_cost_category_for_at_least_six_credentials(graph: Graph, data: Graph) -> None:
    categories = set(graph.subjects(SKOS.inScheme, PW.CostCategoryScheme))
    assert len(categories) == 9
    covered: dict[Node, set[URIRef]] = defaultdict(set)
    for item in data.subjects(RDF.type, PW.CostItem):
        for prop in (PW.incurredBy, PW.costCategory, PW.recurrence, PW.costBasis, PW.cost):
            assert data.value(item, prop) is not None, (item, prop)
        if data.value(item, PW.costCategory) == PW.EquipmentAcquisition:
            assert data.value(item, PW.usefulLifeYears) is not None, item
        for cred in data.objects(item, PW.costOf):
            covered[cred].add(iri(data, item, PW.costCategory))
    complete = {cred for cred, cats in covered.items() if cats == categories}
    assert len(complete) >= 6, complete
    shared = [
        item
        for item in data.subjects(RDF.type, PW.CostItem)
        if (data.value(item, PW.incurredBy), RDF.type, PW.Consortium) in data
        and len(set(data.objects(item, PW.costOf))) > 1
    ]
    assert shared


def test_outcome_records_are_consistent(data: Graph) -> None:
    small = 0
    for rec in data.subjects(RDF.type, PW.OutcomeRecord):

        def n(prop: URIRef, rec: Node = rec) -> int:
            return int(literal(data, rec, prop))

        assert n(PW.completers) <= n(PW.learners), rec
        for prop in (PW.employedAt6Months, PW.employedAt12Months, PW.progressedToFurther):
            assert n(prop) <= n(PW.completers), (rec, prop)
        assert data.value(rec, PW.outcomeOf) is not None
        assert literal(data, rec, PW.cohortYear).datatype == XSD_GYEAR
        small += n(PW.learners) < 10
    assert small >= 3, "some cohorts must be small enough to be suppressed"


# --------------------------------------------------------------------------- deliberate defects


def _assessing(g: Graph, cred: URIRef) -> list[Node]:
    return [
        a
        for a in g.objects(cred, PW.assessment)
        if g.value(g.value(a, PW.assessmentType), PW.isAssessing) == Literal(True)
    ]


DEFECTS: dict[str, Callable[[Graph, URIRef, set[URIRef]], bool]] = {
    "no-assessment": lambda g, c, _: g.value(c, PW.assessment) is None,
    "non-assessing-assessment": lambda g, c, _: (
        g.value(c, PW.assessment) is not None and not _assessing(g, c)
    ),
    "assessment-not-quality-assured": lambda g, c, _: (
        bool(_assessing(g, c))
        and not any(g.value(a, PW.isQualityAssured) == Literal(True) for a in _assessing(g, c))
    ),
    "no-level": lambda g, c, _: g.value(c, PW.eqfLevel) is None,
    "no-workload": lambda g, c, _: (
        g.value(c, PW.notionalHours) is None and g.value(c, PW.credit) is None
    ),
    "no-awarding-body": lambda g, c, _: g.value(c, PW.awardingBody) is None,
    "no-quality-assurance": lambda g, c, _: g.value(c, PW.qualityAssurance) is None,
    "no-learning-outcomes": lambda g, c, _: g.value(c, PW.learningOutcome) is None,
    "stacks-into-nothing": lambda g, c, stacked: c not in stacked,
}


def readme_defects() -> dict[URIRef, set[str]]:
    text = (DATA / "README.md").read_text(encoding="utf-8")
    table: dict[URIRef, set[str]] = {}
    for match in re.finditer(r"^\| `pilot:([\w-]+)` \| ([^|]+) \|", text, re.MULTILINE):
        codes = set(re.findall(r"`([a-z-]+)`", match.group(2)))
        table[PILOT[match.group(1)]] = codes
    return table


def test_readme_lists_at_least_six_defective_courses() -> None:
    table = readme_defects()
    assert len(table) >= 6
    assert all(codes <= set(DEFECTS) and codes for codes in table.values()), table


def test_defects_in_readme_are_exactly_the_defects_in_the_data(graph: Graph) -> None:
    stacked = stacked_or_in_pathway(graph)
    found = {}
    for cred in credentials(graph, (PW.MicroCredential,)):
        codes = {code for code, check in DEFECTS.items() if check(graph, cred, stacked)}
        if codes:
            found[cred] = codes
    assert found == readme_defects()


def test_sound_micro_credentials_carry_every_standard_element(data: Graph) -> None:
    defective = set(readme_defects())
    required = (
        PW.title,
        PW.identifier,
        PW.country,
        PW.awardingBody,
        PW.provider,
        PW.issued,
        PW.learningOutcome,
        PW.notionalHours,
        PW.credit,
        PW.eqfLevel,
        PW.nqfLevel,
        PW.assessment,
        PW.participationForm,
        PW.qualityAssurance,
        PW.language,
        PW.fee,
        PW.stackability,
    )
    for cred in credentials(data) - defective:
        for prop in required:
            assert data.value(cred, prop) is not None, (cred, prop)
        outcomes = set(data.objects(cred, PW.learningOutcome))
        assert 1 <= len(outcomes) <= 4, cred
        for outcome in outcomes:
            assert data.value(outcome, PW.description) is not None
            assert data.value(outcome, PW.alignedSkill) is not None, outcome
        for assessment in data.objects(cred, PW.assessment):
            for prop in (PW.assessmentType, PW.supervision, PW.isQualityAssured):
                assert data.value(assessment, prop) is not None, (assessment, prop)
        hours = literal(data, cred, PW.notionalHours).toPython()
        credit = data.value(cred, PW.credit)
        unit = iri(data, credit, PW.creditUnit)
        per_unit = {
            PW.Hour: Decimal(1),
            PW.TeachingUnit: Decimal("0.75"),
            PW.Osaamispiste: Decimal(27),
            URIRef("http://data.europa.eu/snb/education-credit/6fcec5c5af"): Decimal(27),
            URIRef("http://data.europa.eu/snb/education-credit/60b314e826"): Decimal(25),
        }[unit]
        assert literal(data, credit, PW.creditAmount).toPython() * per_unit == hours, cred
