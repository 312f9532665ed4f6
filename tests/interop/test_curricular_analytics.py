"""Reading Curricular Analytics CSV curricula and degree plans."""

from __future__ import annotations

import pytest

from pathways.analytics import requisite_metrics
from pathways.errors import InputError
from pathways.interop.curricular_analytics import (
    curriculum_graph,
    parse_curriculum,
    read_curriculum,
)
from tests.constants import FIXTURES

CSV = FIXTURES / "analytics"


def test_curriculum_with_header_block() -> None:
    c = read_curriculum(CSV / "ev-technician.csv")
    assert (c.name, c.institution, c.degree_type, c.system_type, c.cip) == (
        "EV and high-voltage technician",
        "CIFP Automoción Example",
        "AAS",
        "semester",
        "47.0604",
    )
    assert len(c.courses) == 10
    g = curriculum_graph(c)
    assert g.edges["6", "7"]["kind"] == "strict-corequisite"
    assert g.edges["5", "6"]["kind"] == "corequisite"
    assert g.nodes["5"]["label"] == "HV qualified person (2S)"
    by_id = requisite_metrics(g).by_node()
    # 1 -> 3 -> 5 -> 6 -> 7: five courses on the longest path; 1 blocks 3, 5, 6, 7, 8, 9.
    assert (by_id["1"].delay_factor, by_id["1"].blocking_factor) == (5, 6)
    assert by_id["10"].delay_factor == 1 and by_id["10"].complexity == 1


def test_degree_plan_with_bom_comments_quotes_and_additional_courses() -> None:
    c = read_curriculum(CSV / "quarter-plan.csv")
    assert c.degree_plan == "Four-term plan" and c.is_quarter_system
    courses = {k.id: k for k in c.courses}
    assert set(courses) == {"101", "102", "103", "104", "105", "900"}
    assert courses["101"].name == "Engine systems, basic"
    assert courses["103"].name == "Sensors; actuators" and courses["103"].credit_hours == 3.5
    assert courses["104"].prerequisites == ("102", "103") and courses["104"].term == 3
    assert courses["104"].line == 15  # blank and comment lines still count
    m = requisite_metrics(curriculum_graph(c), quarter_system=True)
    assert m.by_node()["102"].complexity == 4.7  # (3 + 4) * 2 / 3, as CurricularAnalytics.jl


def test_crlf_file_with_only_required_columns() -> None:
    c = read_curriculum(CSV / "crlf-minimal.csv")
    assert [(k.id, k.prerequisites) for k in c.courses] == [("1", ()), ("2", ("1",))]


def test_file_starting_at_the_course_header() -> None:
    c = parse_curriculum("Course ID,Course Name,Prerequisites,Credit Hours,,\n1,A,,3,x,y\n")
    assert c.courses[0].name == "A" and c.name == ""


@pytest.mark.parametrize(
    ("name", "line", "pattern"),
    [
        ("unknown-requisite.csv", 12, r"column Prerequisites: requisite '44' names no course"),
        ("non-numeric-credit.csv", 15, r"column Credit Hours: 'three' is not a number"),
        ("missing-column.csv", 7, r"course header lacks column Prerequisites"),
        ("duplicate-id.csv", 16, r"column Course ID: duplicate ID '4' \(first on line 11\)"),
        ("not-curriculum.csv", 1, r"not a Curricular Analytics CSV"),
        ("unterminated-quote.csv", 4, r"malformed CSV"),
        ("empty-id.csv", 4, r"column Course ID: empty"),
    ],
)
def test_broken_files_name_file_line_and_column(name: str, line: int, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern) as caught:
        read_curriculum(CSV / "broken" / name)
    assert caught.value.path is not None and caught.value.path.endswith(name)
    assert caught.value.line == line


def test_undecodable_and_missing_files() -> None:
    with pytest.raises(InputError, match="not UTF-8"):
        read_curriculum(CSV / "broken" / "binary.csv")
    with pytest.raises(InputError, match="no such file"):
        read_curriculum(CSV / "nowhere.csv")


def test_no_courses() -> None:
    with pytest.raises(InputError, match="no courses"):
        parse_curriculum("Curriculum,x\nCourses\n")


def test_requisite_separators_and_kind_as_curricular_analytics_reads_them() -> None:
    # read_csv in CurricularAnalytics.jl (src/CSVUtilities.jl, commit 1bda505) turns ","
    # and ":" into ";" and adds pre, co, then strict co-requisites to one dictionary per
    # course, so a pair listed as prerequisite and strict co-requisite is strict.
    c = parse_curriculum(
        "Course ID,Course Name,Prerequisites,Corequisites,Strict-Corequisites,Credit Hours\n"
        '1,A,,,,3\n2,B,,,,3\n3,C,"1,2",,1,3\n4,D,1:3,,,3\n'
    )
    g = curriculum_graph(c)
    assert sorted(g.edges(data="kind")) == [
        ("1", "3", "strict-corequisite"),
        ("1", "4", "prerequisite"),
        ("2", "3", "prerequisite"),
        ("3", "4", "prerequisite"),
    ]
