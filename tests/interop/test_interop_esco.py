"""ESCO CSV importer: the automotive extract, a selection, broken files and (slow) all of ESCO."""

from __future__ import annotations

import pytest
from rdflib import RDF, URIRef

from pathways.interop import import_esco
from pathways.vocab import PW
from tests.constants import EXTERNAL, FIXTURES

ESCO_DIR = EXTERNAL / "esco"
VEHICLE_TECHNICIAN = URIRef(
    "http://data.europa.eu/esco/occupation/4ad4024e-d1d3-4dea-b6d1-2c7948111dce"
)
pytestmark = pytest.mark.skipif(not ESCO_DIR.is_dir(), reason="shared/external not present")


def test_automotive_extract() -> None:
    result = import_esco(
        [
            ESCO_DIR / "automotive-occupations.csv",
            ESCO_DIR / "automotive-skills.csv",
            ESCO_DIR / "automotive-occupation-skills.csv",
        ]
    )
    g = result.graph
    assert not result.findings
    relations = sum(1 for _ in g.triples((None, PW.essentialSkill, None))) + sum(
        1 for _ in g.triples((None, PW.optionalSkill, None))
    )
    assert relations == 347
    assert len(set(g.subjects(RDF.type, PW.Skill))) == 242
    assert str(g.value(VEHICLE_TECHNICIAN, PW.iscoGroup)) == "7231"
    assert "vehicle technician" in {str(x) for x in g.objects(VEHICLE_TECHNICIAN, None)}


def test_selection_by_isco_group() -> None:
    result = import_esco(
        [
            ESCO_DIR / "occupations_en.csv",
            ESCO_DIR / "skills_en.csv.gz",
            ESCO_DIR / "occupationSkillRelations.csv.gz",
        ],
        isco_groups=["7231"],
    )
    g = result.graph
    occupations = set(g.subjects(RDF.type, PW.Occupation))
    assert VEHICLE_TECHNICIAN in occupations
    assert all(str(g.value(o, PW.iscoGroup)).startswith("7231") for o in occupations)
    skills = set(g.subjects(RDF.type, PW.Skill))
    linked = set(g.objects(None, PW.essentialSkill)) | set(g.objects(None, PW.optionalSkill))
    assert skills == linked


def test_broken_files_name_row_and_column() -> None:
    broken = FIXTURES / "interop" / "broken"
    result = import_esco([broken / "esco-missing-column.csv", broken / "esco-wrong-fields.csv"])
    errors = {(f.file, f.line, f.field) for f in result.errors}
    assert ("esco-missing-column.csv", 1, None) in errors
    assert ("esco-wrong-fields.csv", 2, None) in errors  # 3 fields, expected 4
    assert ("esco-wrong-fields.csv", 3, "relationType") in errors


@pytest.mark.slow
def test_whole_of_esco_v111() -> None:
    result = import_esco(
        [
            ESCO_DIR / "occupations_en.csv",
            ESCO_DIR / "skills_en.csv.gz",
            ESCO_DIR / "occupationSkillRelations.csv.gz",
        ]
    )
    g = result.graph
    assert len(set(g.subjects(RDF.type, PW.Occupation))) == 3007
    assert len(set(g.subjects(RDF.type, PW.Skill))) == 13896
    assert not result.has_errors
