"""The ``metrics`` command: formats, exit codes, stdout and stderr, hostile input."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from pathways.cli import main
from tests.constants import FIXTURES

CSV = FIXTURES / "analytics"
LADDER = str(CSV / "hv-ladder.ttl")
EX = "https://example.org/analytics/"


def test_help_has_an_example(runner: CliRunner) -> None:
    result = runner.invoke(main, ["metrics", "--help"])
    assert result.exit_code == 0 and "pathways metrics curriculum.csv" in result.stdout


def test_csv_curriculum_json_is_deterministic(runner: CliRunner) -> None:
    args = ["metrics", str(CSV / "ev-technician.csv"), "--format", "json"]
    first, second = runner.invoke(main, args), runner.invoke(main, args)
    assert first.exit_code == 0 and first.stderr == ""
    assert first.stdout == second.stdout
    document = json.loads(first.stdout)
    assert [n["iri"] for n in document["nodes"]] == [str(i) for i in range(1, 11)]
    node = document["nodes"][0]
    assert set(node) >= {"iri", "label", "blocking_factor", "delay_factor", "centrality"}
    assert node["label"] == "Electrical fundamentals"
    totals = document["totals"]
    assert totals["complexity"] == totals["blocking_factor"] + totals["delay_factor"]
    assert document["findings"]["dead_ends"] is None
    assert document["findings"]["orphans"] == ["10"]


def test_csv_output_and_file(runner: CliRunner, tmp_path: pytest.TempPathFactory) -> None:
    out = tmp_path / "m.csv"  # type: ignore[operator]
    result = runner.invoke(
        main, ["metrics", str(CSV / "quarter-plan.csv"), "--format", "csv", "-o", str(out)]
    )
    assert result.exit_code == 0 and result.stdout == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows[1]["iri"] == "102" and rows[1]["complexity"] == "4.7"


def test_rdf_findings(runner: CliRunner) -> None:
    result = runner.invoke(main, ["metrics", LADDER, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    findings = document["findings"]
    assert findings["orphans"] == [EX + "tyres"] and findings["dead_ends"] == [EX + "tyres"]
    qualification = {d["iri"]: d for d in findings["destinations"]}[EX + "q"]
    # q needs 2s and bat; 2s has two entry routes (1S only, or 1S and vehicle electrics).
    assert qualification["articulation"] == [EX + "2s"] and qualification["routes"] == 4
    assert findings["level_inversions"] == [
        {"before": EX + "ve", "after": EX + "2s", "before_level": 4, "after_level": 3}
    ]
    human = runner.invoke(main, ["metrics", LADDER]).stdout.splitlines()
    assert human[3].endswith(f"<{EX}s>  HV awareness (S)")  # the most complex first
    assert f"  dead ends (1): <{EX}tyres> (Tyre fitting)" in human


def test_pathway_scope(runner: CliRunner) -> None:
    result = runner.invoke(main, ["metrics", LADDER, "--pathway", EX + "p", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    nodes = {n["iri"] for n in json.loads(result.stdout)["nodes"]}
    assert nodes == {EX + "s", EX + "1s", EX + "ve", EX + "2s", EX + "3s"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pathway", EX + "nope"], "nope> is not in the knowledge graph"),
        ([str(CSV / "ev-technician.csv")], "a Curricular Analytics CSV is read alone"),
        (["--format", "xml"], "Invalid value"),
    ],
)
def test_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(main, ["metrics", LADDER, *args])
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in (CSV / "broken").iterdir()),
)
def test_broken_csv_exit_2_without_traceback(runner: CliRunner, name: str) -> None:
    result = runner.invoke(main, ["metrics", str(CSV / "broken" / name), "--format", "json"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert name in result.stderr


def test_cycle_in_rdf_is_reported(runner: CliRunner, tmp_path: pytest.TempPathFactory) -> None:
    cyclic = tmp_path / "cycle.ttl"  # type: ignore[operator]
    cyclic.write_text(
        "@prefix pw: <https://w3id.org/pathways/vocab#> .\n"
        "<urn:a> a pw:MicroCredential ; pw:prerequisite <urn:b> .\n"
        "<urn:b> a pw:MicroCredential ; pw:prerequisite <urn:a> .\n"
    )
    out = tmp_path / "never.json"  # type: ignore[operator]
    result = runner.invoke(main, ["metrics", str(cyclic), "-o", str(out)])
    assert result.exit_code == 2 and "requisite cycle(s): {urn:a, urn:b}" in result.stderr
    assert not out.exists()
