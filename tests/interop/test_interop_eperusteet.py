"""ePerusteet importer: Finnish qualification structures become stacking conditions."""

from __future__ import annotations

import pytest
from rdflib import RDF, URIRef

from pathways.interop import import_eperusteet
from pathways.interop.eperusteet import BASE
from pathways.vocab import EQF, PW
from tests.constants import EXTERNAL, FIXTURES

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
    assert len(areas) == 3 and int(g.value(root, PW.requiredNumber)) == 1
    for area in areas:
        groups = {
            int(g.value(c, PW.requiredNumber)): c for c in g.objects(area, PW.hasSubCondition)
        }
        optional = [
            c
            for c in g.objects(area, PW.hasSubCondition)
            if len(set(g.objects(c, PW.targetComponent))) == 7
        ]
        assert len(optional) == 1 and int(g.value(optional[0], PW.requiredNumber)) == 2
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
        int(g.value(c, PW.requiredNumber)) for c in g.objects(root, PW.hasSubCondition)
    )
    assert numbers == [0, 1, 4]


def test_malformed_json_is_an_error_with_line() -> None:
    result = import_eperusteet([FIXTURES / "interop" / "broken" / "eperusteet-malformed.json"])
    assert result.errors[0].line == 1 and "malformed JSON" in result.errors[0].message
