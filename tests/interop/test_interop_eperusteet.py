"""ePerusteet importer: Finnish qualification structures become stacking conditions."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Literal, URIRef

from pathways.cli import main
from pathways.interop import import_eperusteet
from pathways.interop.eperusteet import BASE
from pathways.vocab import EQF, PW
from tests.constants import EXTERNAL, FIXTURES
from tests.graphs import literal

EP_DIR = EXTERNAL / "eperusteet"
SQ = URIRef(BASE + "koulutus_357304")  # Specialist VQ for Automotive Mechanics
EV_REPAIR = URIRef(BASE + "tutkinnonosat_300056")
pytestmark = pytest.mark.skipif(not EP_DIR.is_dir(), reason="shared/external not present")


def test_specialist_vq_choose_two_of_seven_per_competence_area() -> None:
    result = import_eperusteet([EP_DIR / "automekaanikon-erikoisammattitutkinto.json"])
    g = result.graph
    assert (SQ, RDF.type, PW.Qualification) in g
    assert g.value(SQ, PW.eqfLevel) == EQF["5"]
    root = g.value(SQ, PW.hasCondition)
    areas = list(g.objects(root, PW.hasSubCondition))
    assert len(areas) == 3 and int(literal(g, root, PW.requiredNumber)) == 1
    for area in areas:
        groups = {
            int(literal(g, c, PW.requiredNumber)): c for c in g.objects(area, PW.hasSubCondition)
        }
        optional = [
            c
            for c in g.objects(area, PW.hasSubCondition)
            if len(set(g.objects(c, PW.targetComponent))) == 7
        ]
        assert len(optional) == 1 and int(literal(g, optional[0], PW.requiredNumber)) == 2
        assert EV_REPAIR in set(g.objects(optional[0], PW.targetComponent))
        assert 2 in groups
    assert (EV_REPAIR, RDF.type, PW.MicroCredential) in g
    assert any("another qualification" in f.message for f in result.findings)


def test_badges_and_second_qualification() -> None:
    result = import_eperusteet([EP_DIR / "autoalan-tyonjohto.json", EP_DIR / "osaamismerkit.json"])
    g = result.graph
    assert len(set(g.subjects(RDF.type, PW.OtherCredential))) == 3
    supervisor = URIRef(BASE + "koulutus_457305")
    root = g.value(supervisor, PW.hasCondition)
    numbers = sorted(
        int(literal(g, c, PW.requiredNumber)) for c in g.objects(root, PW.hasSubCondition)
    )
    assert numbers == [0, 1, 4]


def test_malformed_json_is_an_error_with_line() -> None:
    result = import_eperusteet([FIXTURES / "interop" / "broken" / "eperusteet-malformed.json"])
    assert result.errors[0].line == 1 and "malformed JSON" in result.errors[0].message


def _rules(document: object) -> list[tuple[str, int | None, int | None]]:
    """(group name, koko minimi, koko maksimi) of every rule group, from the JSON."""
    found: list[tuple[str, int | None, int | None]] = []
    if isinstance(document, dict):
        size = (document.get("muodostumisSaanto") or {}).get("koko") or {}
        if size:
            found.append(((document.get("nimi") or {}).get("fi", ""), size.get("minimi"),
                          size.get("maksimi")))  # fmt: skip
        for value in document.values():
            found.extend(_rules(value))
    elif isinstance(document, list):
        for value in document:
            found.extend(_rules(value))
    return found


@pytest.mark.parametrize(
    "name", ["automekaanikon-erikoisammattitutkinto.json", "autoalan-tyonjohto.json"]
)
def test_unit_count_minimum_and_maximum_are_the_structures_own(name: str) -> None:
    """Oracle: the ePerusteet structure's own koko minimi/maksimi (min = max: exactly)."""
    import json

    expected = sorted(_rules(json.loads((EP_DIR / name).read_text())))
    result = import_eperusteet([EP_DIR / name])
    g = result.graph
    got = []
    for cond in g.subjects(RDF.type, PW.ComponentCondition):
        most = g.value(cond, PW.maximumNumber)
        if most is None:
            continue
        title = next(
            (
                str(d)
                for d in g.objects(cond, PW.description)
                if isinstance(d, Literal) and d.language == "fi"
            ),
            "",
        )
        got.append((title, int(literal(g, cond, PW.requiredNumber)), int(str(most))))
    assert sorted(got) == expected
    assert not any(
        "not represented" in f.message and "at most" in f.message for f in result.findings
    )


def test_route_counts_at_most_the_maximum_of_a_rule() -> None:
    """ "Tutkinnon vapaasti valittava osa": koko minimi 0, maksimi 1; "Tutkinnon valinnaiset
    osat": minimi 1, maksimi 3. The route meets each rule within its bounds."""
    from pathways.catalogue.projection import project
    from pathways.interop.writing import load_into
    from pathways.rdf.store import KnowledgeGraph
    from pathways.routing import plan_route

    result = import_eperusteet([EP_DIR / "autoalan-tyonjohto.json"])
    kg = KnowledgeGraph.open()
    load_into(kg, result.graph)
    g = project(kg)
    [qualification] = [
        n
        for n, d in g.nodes(data=True)
        if d["kind"] == "credential" and d["type"] == "qualification"
    ]
    plan = plan_route(g, qualification, optimize="steps")
    taken = {s.iri for s in plan.best.steps if not s.stacked}
    bounded = [
        n
        for n, d in g.nodes(data=True)
        if d["kind"] == "condition" and d["max_required"] is not None
    ]
    assert bounded
    for cond in bounded:
        data = g.nodes[cond]
        targets = {v for _, v, k in g.out_edges(cond, data="kind") if k == "target"}
        assert data["required"] <= len(targets & taken) <= data["max_required"]


@pytest.mark.parametrize("name", ["autoalan-tyonjohto", "automekaanikon-erikoisammattitutkinto"])
def test_published_structures_meet_stackability_integrity(name: str, tmp_path: Path) -> None:
    """The Finnish National Agency for Education publishes these structures as valid, so
    their rules -- a "freely chosen unit" group of koko minimi 0, maksimi 1 included (an
    optional group, which the ontology's pw:requiredNumber scope note allows) -- raise no
    violation of the stackability-integrity profile once imported."""
    source = EXTERNAL / "eperusteet" / f"{name}.json"
    if not source.is_file():
        pytest.skip("the shared ePerusteet files are not present")
    out = tmp_path / f"{name}.ttl"
    import_eperusteet([source]).graph.serialize(out, format="turtle")
    result = CliRunner().invoke(
        main, ["validate", str(out), "--profile", "stackability-integrity", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
