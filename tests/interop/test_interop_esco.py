"""ESCO CSV importer: the automotive extract, a selection, broken files and (slow) all of ESCO."""

from __future__ import annotations

import pytest
from rdflib import RDF, URIRef

from pathways.errors import NotFoundError, UsageError
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


def test_an_isco_group_no_occupation_is_in_says_which_groups_exist() -> None:
    """Was an empty import (issue 13); the groups listed are those of the file."""
    with pytest.raises(NotFoundError, match="ISCO group '9999'") as caught:
        import_esco([ESCO_DIR / "automotive-occupations.csv"], isco_groups=["9999"])
    assert caught.value.hint is not None and "7231, 7412" in caught.value.hint


def test_an_isco_group_gets_its_nearest_groups_by_prefix() -> None:
    with pytest.raises(NotFoundError) as caught:
        import_esco([ESCO_DIR / "automotive-occupations.csv"], isco_groups=["7299"])
    assert caught.value.hint == "ISCO groups in the files under 72: 7231"


def test_an_absent_occupation_gets_the_nearest() -> None:
    typo = str(VEHICLE_TECHNICIAN)[:-1] + "f"
    with pytest.raises(NotFoundError, match="is not in the files") as caught:
        import_esco(
            [
                ESCO_DIR / "automotive-occupations.csv",
                ESCO_DIR / "automotive-occupation-skills.csv",
            ],
            occupations=[typo, str(VEHICLE_TECHNICIAN)],
        )
    assert str(VEHICLE_TECHNICIAN) in str(caught.value.hint)
    assert str(VEHICLE_TECHNICIAN) + " is not" not in str(caught.value)


def test_an_isco_group_needs_the_occupations_file() -> None:
    with pytest.raises(UsageError, match="needs the occupations file"):
        import_esco([ESCO_DIR / "automotive-occupation-skills.csv"], isco_groups=["7231"])
