"""Curricular analytics against the values CurricularAnalytics.jl publishes.

Oracle: CurricularAnalytics.jl <https://github.com/CurricularAnalytics/CurricularAnalytics.jl>
at commit ``1bda505382dbc74d3dd89fe6eb82a9b0d58185a2``:

- ``test/CurricularAnalytics.jl`` (``@testset "CurricularAnalytics Tests"``): the
  ``delay_factor``, ``blocking_factor``, ``centrality`` and ``complexity`` tuples
  ``(total, [per course])`` and the ``basic_metrics`` figures of its example curricula;
- ``docs/src/metrics.md`` and its figures ``docs/src/{blocking,delay,centrality,
  complexity}-ex.png``: the per-vertex values of two four-course curricula, and the
  totals 15 and 17 its ``complexity`` docstring (``src/CurricularAnalytics.jl``) states.

The curricula are rebuilt as CSV files in ``tests/fixtures/analytics/ca-jl`` (see its
``SOURCES.md``); course ID ``k`` is entry ``k`` of the reference's per-course arrays.
Each case runs the whole CSV path: reader, requisite graph, metrics, and the CLI's JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from pathways.analytics import RequisiteMetrics, node_sort_key, requisite_metrics
from pathways.cli import main
from pathways.interop.curricular_analytics import curriculum_graph, read_curriculum
from tests.constants import FIXTURES

CA = FIXTURES / "analytics" / "ca-jl"
TESTS = "CurricularAnalytics.jl@1bda505 test/CurricularAnalytics.jl"
DOCS = "CurricularAnalytics.jl@1bda505 docs/src/metrics.md and docs/src/*-ex.png"

Published = tuple[int | float, list[int | float]]


@dataclass(frozen=True)
class Case:
    """One curriculum and the ``(total, per course)`` values the reference publishes."""

    fixture: str
    source: str
    blocking: Published
    delay: Published
    centrality: Published
    complexity: Published


# The 8-vertex "Underwater Basket Weaving" curriculum, `(D,C)` a co-requisite
# (test/CurricularAnalytics.jl, "# Test analytics" after the 8-vertex curriculum).
UNDERWATER = Case(
    "underwater-basket-weaving.csv",
    TESTS + ", 8-vertex test curriculum",
    blocking=(8, [2, 2, 1, 3, 0, 0, 0, 0]),
    delay=(19.0, [3.0, 3.0, 3.0, 3.0, 3.0, 2.0, 1.0, 1.0]),
    centrality=(9, [0, 0, 9, 0, 0, 0, 0, 0]),
    complexity=(27.0, [5.0, 5.0, 4.0, 6.0, 3.0, 2.0, 1.0, 1.0]),
)
# The 7-vertex "Postmodern Basket Weaving" curriculum, three co-requisites.
POSTMODERN = Case(
    "postmodern-basket-weaving.csv",
    TESTS + ", 7-vertex test curriculum",
    blocking=(16, [6, 3, 4, 2, 0, 0, 1]),
    delay=(33.0, [5.0, 5.0, 5.0, 5.0, 3.0, 5.0, 5.0]),
    centrality=(49, [0, 9, 12, 18, 0, 0, 10]),
    complexity=(49.0, [11.0, 8.0, 9.0, 7.0, 3.0, 5.0, 6.0]),
)
CASES = [
    UNDERWATER,
    POSTMODERN,
    # Same graph, the co-requisites strict: create_graph! (src/DataTypes/Curriculum.jl)
    # adds one edge per requisite whatever its type, so the published values hold.
    Case(
        "postmodern-basket-weaving-strict.csv",
        TESTS + ", 7-vertex test curriculum, co-requisites made strict",
        POSTMODERN.blocking,
        POSTMODERN.delay,
        POSTMODERN.centrality,
        POSTMODERN.complexity,
    ),
    # Docs (a): v1 -> v2, v1 -> v3, v2 -> v4; docs (b): v1 -> v3, v2 -> v3, v3 -> v4.
    # Per-vertex values from the four figures; totals summed from them, and the
    # complexity totals 15 and 17 are also stated in the complexity docstring.
    Case(
        "docs-example-a.csv",
        DOCS + ", curriculum (a)",
        blocking=(4, [3, 1, 0, 0]),
        delay=(11, [3, 3, 2, 3]),
        centrality=(3, [0, 3, 0, 0]),
        complexity=(15, [6, 4, 2, 3]),
    ),
    Case(
        "docs-example-b.csv",
        DOCS + ", curriculum (b)",
        blocking=(5, [2, 2, 1, 0]),
        delay=(12, [3, 3, 3, 3]),
        centrality=(6, [0, 0, 6, 0]),
        complexity=(17, [5, 5, 4, 3]),
    ),
]


def _metrics(fixture: str) -> RequisiteMetrics:
    curriculum = read_curriculum(CA / fixture)
    return requisite_metrics(
        curriculum_graph(curriculum), quarter_system=curriculum.is_quarter_system
    )


def _in_course_order(values: dict[str, int | float]) -> list[int | float]:
    return [values[k] for k in sorted(values, key=node_sort_key)]


@pytest.mark.parametrize("case", CASES, ids=[c.fixture for c in CASES])
def test_metrics_equal_published_values(case: Case) -> None:
    m = _metrics(case.fixture)
    assert [n.node for n in m.nodes] == [str(k) for k in range(1, len(m.nodes) + 1)]
    found = {
        "blocking": (m.totals.blocking_factor, [n.blocking_factor for n in m.nodes]),
        "delay": (m.totals.delay_factor, [n.delay_factor for n in m.nodes]),
        "centrality": (m.totals.centrality, [n.centrality for n in m.nodes]),
        "complexity": (m.totals.complexity, [n.complexity for n in m.nodes]),
    }
    expected = {
        "blocking": case.blocking,
        "delay": case.delay,
        "centrality": case.centrality,
        "complexity": case.complexity,
    }
    assert found == expected, case.source


@pytest.mark.parametrize("case", CASES, ids=[c.fixture for c in CASES])
def test_cli_json_equals_published_values(runner: CliRunner, case: Case) -> None:
    result = runner.invoke(main, ["metrics", str(CA / case.fixture), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    rows = {n["iri"]: n for n in document["nodes"]}
    for key, published in [
        ("blocking_factor", case.blocking),
        ("delay_factor", case.delay),
        ("centrality", case.centrality),
        ("complexity", case.complexity),
    ]:
        total, per_course = published
        assert document["totals"][key] == total, (key, case.source)
        assert _in_course_order({k: r[key] for k, r in rows.items()}) == per_course


def test_delay_factor_with_two_equally_long_paths() -> None:
    # test/CurricularAnalytics.jl, "Delay Factor Test": A -> B, A -> C, B -> D, C -> D.
    m = _metrics("delay-factor-test.csv")
    assert (m.totals.delay_factor, [n.delay_factor for n in m.nodes]) == (12.0, [3.0] * 4)


def test_basic_metrics_of_underwater_basket_weaving() -> None:
    # test/CurricularAnalytics.jl, "# Test basic_metrics()": credit_hours 22, num_courses 8,
    # max. blocking factor 3 (one course, Basic Basket Forms Lab), max. centrality 9 (one,
    # Basic Basket Forms), max. delay factor 3.0 (five courses, the first Introduction to
    # Baskets), max. complexity 6.0 (one, Basic Basket Forms Lab).
    m = _metrics(UNDERWATER.fixture)
    labels = {n.node: n.label for n in m.nodes}
    assert m.credit_hours == 22 and len(m.nodes) == 8

    def maximum(name: str) -> tuple[int | float, list[str]]:
        found = m.maxima[name]
        assert found is not None
        return found.value, [labels[v] for v in found.nodes]

    assert maximum("blocking_factor") == (3, ["Basic Basket Forms Lab"])
    assert maximum("centrality") == (9, ["Basic Basket Forms"])
    value, courses = maximum("delay_factor")
    assert value == 3.0 and len(courses) == 5 and courses[0] == "Introduction to Baskets"
    assert maximum("complexity") == (6.0, ["Basic Basket Forms Lab"])


def test_basic_metrics_in_cli_output(runner: CliRunner) -> None:
    # The same figures as above, through `pathways metrics --format json` and the report.
    path = str(CA / UNDERWATER.fixture)
    document = json.loads(runner.invoke(main, ["metrics", path, "--format", "json"]).stdout)
    assert (document["totals"]["nodes"], document["totals"]["credit_hours"]) == (8, 22)
    assert document["maxima"]["centrality"] == {"value": 9, "nodes": ["3"]}
    assert document["maxima"]["blocking_factor"] == {"value": 3, "nodes": ["4"]}
    assert len(document["maxima"]["delay_factor"]["nodes"]) == 5
    human = runner.invoke(main, ["metrics", path]).stdout.splitlines()
    assert "  centrality 9 (1 node): 3 (Basic Basket Forms)" in human
    assert "  complexity 6 (1 node): 4 (Basic Basket Forms Lab)" in human
    assert (
        "totals over 8 nodes: complexity 27, blocking factor 8, delay factor 19, "
        "centrality 9, 22 credit hours"
    ) in human


# is_valid (src/DataTypes/Curriculum.jl): a requisite cycle, or a cycle of more than two
# courses once every strict co-requisite is also read backwards, makes a curriculum
# impossible to complete. test/CurricularAnalytics.jl asserts is_valid == false for the
# one-course cycle and the "Unsatisfiable" curriculum, true for the 8- and 7-course ones.


@pytest.mark.parametrize(
    ("fixture", "group"),
    [
        ("unsatisfiable.csv", ["1", "2", "3"]),  # test/CurricularAnalytics.jl
        ("unsatisfiable-through-a-path.csv", ["1", "2", "3", "4"]),  # is_valid docstring
    ],
)
def test_unsatisfiable_strict_corequisites_are_found(
    runner: CliRunner, fixture: str, group: list[str]
) -> None:
    result = runner.invoke(main, ["metrics", str(CA / fixture), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["findings"]["unsatisfiable"] == [group]
    human = runner.invoke(main, ["metrics", str(CA / fixture)]).stdout
    assert "  unsatisfiable requisites (strict co-requisites): 1 (" in human


@pytest.mark.parametrize("fixture", [UNDERWATER.fixture, POSTMODERN.fixture])
def test_valid_curricula_have_no_unsatisfiable_requisites(runner: CliRunner, fixture: str) -> None:
    result = runner.invoke(main, ["metrics", str(CA / fixture), "--format", "json"])
    findings = json.loads(result.stdout)["findings"]
    assert findings["unsatisfiable"] == [] and findings["cycles"] == []


def test_one_course_cycle_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(main, ["metrics", str(CA / "cycle.csv")])
    assert result.exit_code == 2 and "requisite cycle(s): {1}" in result.stderr
