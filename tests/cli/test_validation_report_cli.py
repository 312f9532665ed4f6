"""What ``pathways validate`` reports: what was checked, the two verdicts, counts by
credential, violations first, a severity filter, and a summary by rule at the end.

Oracles. The severities and "conforms" are SHACL's (W3C Recommendation 2017-07-20,
section 3.6: a data graph conforms iff validation produces no result; sh:Violation,
sh:Warning and sh:Info in 2.1.5); the summary's layout follows the EU Interoperability
Test Bed validators, which report a result and the errors, warnings and messages
apart (ISAITB/itb-commons @ 3fa6f5c4e45553d0fc49b9cdea230d2fe6a0b565 :
``validation-commons-jar/.../jar/FileReport.java``). Counts in the human report and
the JSON summary are checked against counts computed here from the JSON report's own
per-result severities, of the same data and shapes; shape counts against pyshacl's
``ShapesGraph`` (0.40.1); the EDC import against the ``owl:imports`` triple of
``EDC-generic-full.ttl`` (European-Learning-Model @ 22dcce7b, see SOURCES.md).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from rdflib import OWL

from pathways.cli import main
from pathways.validation import bundled_profiles
from pathways.validation.profiles import CORE_PROFILES, read_shapes_graph
from tests.constants import EXTERNAL, FIXTURES

HERE = FIXTURES / "validation"
BASE = str(HERE / "profiles" / "base.ttl")
ELM = EXTERNAL / "elm"
_RANK = {"Violation": 0, "Warning": 1, "Info": 2}


@pytest.fixture(scope="module")
def pilot() -> dict[str, Result]:
    """The default run (core profiles) on the pilot graph, human and JSON."""
    runner = CliRunner()
    return {
        "human": runner.invoke(main, ["validate"]),
        "json": runner.invoke(main, ["validate", "--format", "json"]),
        "violations": runner.invoke(main, ["validate", "--severity", "violation"]),
    }


def _document(pilot: dict[str, Result]) -> dict[str, Any]:
    result = pilot["json"]
    assert result.exit_code == 1, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def _categories(document: dict[str, Any]) -> Counter[str]:
    """Credentials by their most severe result, from the JSON results alone."""
    worst: dict[str, int] = {}
    for row in document["results"]:
        worst[row["about"]] = min(worst.get(row["about"], 3), _RANK[row["severity"]])
    names = [
        "credentials_with_violations",
        "credentials_with_warnings_only",
        "credentials_with_infos_only",
    ]
    counts = Counter(names[rank] for rank in worst.values())
    counts["credentials_conforming"] = document["summary"]["credentials_checked"] - len(worst)
    return counts


def test_json_summary_counts_agree_with_its_results(pilot: dict[str, Result]) -> None:
    document = _document(pilot)
    summary = document["summary"]
    assert summary["other_nodes_with_results"] == 0  # pilot results are all on credentials
    expected = _categories(document)
    for key in (
        "credentials_with_violations",
        "credentials_with_warnings_only",
        "credentials_with_infos_only",
        "credentials_conforming",
    ):
        assert summary[key] == expected[key], key
    assert summary["credentials_failing"] == expected["credentials_with_violations"] > 0
    severities = Counter(row["severity"] for row in document["results"])
    assert (summary["violations"], summary["warnings"], summary["infos"]) == (
        severities["Violation"],
        severities["Warning"],
        severities["Info"],
    )
    # SHACL 3.6: any result, even an Info, means "does not conform"
    assert document["conforms"] is False and document["passes"] is False


def test_human_counts_equal_the_json_counts(pilot: dict[str, Result]) -> None:
    expected = _categories(_document(pilot))
    text = pilot["human"].stdout
    assert pilot["human"].exit_code == 1
    line = next(x for x in text.splitlines() if x.startswith("Credentials: "))
    assert line == (
        f"Credentials: {expected['credentials_with_violations']} with violations, "
        f"{expected['credentials_with_warnings_only']} with warnings only, "
        f"{expected['credentials_with_infos_only']} with infos only, "
        f"{expected['credentials_conforming']} conforming (no result)."
    )
    assert "Result at --fail-on violation: FAIL" in text
    assert "SHACL conformance: does not conform" in text


def test_human_ends_with_the_summary_by_rule(pilot: dict[str, Result]) -> None:
    document = _document(pilot)
    lines = pilot["human"].stdout.splitlines()
    start = max(i for i, x in enumerate(lines) if x.startswith("Summary by rule"))
    header, *rows, total = lines[start + 1 :]
    assert header.split() == ["SEVERITY", "RESULTS", "NODES", "RULE", "EXAMPLE"]
    parsed = [(row.split()[0], int(row.split()[1])) for row in rows]
    by_rule = Counter(
        (r["severity"], r["shape"] or "", r["component"]) for r in document["results"]
    )
    assert sorted(parsed) == sorted((sev, n) for (sev, _s, _c), n in by_rule.items())
    assert total.split()[:2] == ["total", str(len(document["results"]))]
    assert [_RANK[sev] for sev, _n in parsed] == sorted(_RANK[sev] for sev, _n in parsed)


def test_credentials_with_violations_come_first(pilot: dict[str, Result]) -> None:
    text = pilot["human"].stdout
    body = text.split("\n\n", 1)[1].split("Result at --fail-on")[0]
    groups = [g for g in body.split("\n\n") if g.strip()]
    worst = [
        min(_RANK[m.capitalize()] for m in re.findall(r"^  (VIOLATION|WARNING|INFO):", g, re.M))
        for g in groups
    ]
    assert worst == sorted(worst) and worst[0] == 0 and worst[-1] == 2
    for group in groups:  # within a credential too
        ranks = [_RANK[m.capitalize()] for m in re.findall(r"^  ([A-Z]+):", group, re.M)]
        assert ranks == sorted(ranks)


def test_severity_filter_lists_violations_only_and_keeps_the_counts(
    pilot: dict[str, Result],
) -> None:
    document = _document(pilot)
    result = pilot["violations"]
    assert result.exit_code == 1
    listed = re.findall(r"^  (VIOLATION|WARNING|INFO):", result.stdout, re.M)
    assert set(listed) == {"VIOLATION"}
    assert len(listed) == document["summary"]["violations"]
    assert "Listing violations only (--severity violation)" in result.stdout
    full_tail = pilot["human"].stdout.split("Result at --fail-on")[1]
    assert result.stdout.split("Result at --fail-on")[1] == full_tail  # same summary
    assert len(result.stdout.splitlines()) < len(pilot["human"].stdout.splitlines())


def test_json_severity_filter(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--format", "json", "--severity", "warning"])
    document = json.loads(result.stdout)
    assert {r["severity"] for r in document["results"]} == {"Violation", "Warning"}
    summary = document["summary"]
    assert summary["results_listed"] == len(document["results"])
    assert summary["results_listed"] == summary["violations"] + summary["warnings"]


def test_the_default_checks_the_core_and_says_so(pilot: dict[str, Result]) -> None:
    document = _document(pilot)
    assert document["checked"]["default"] is True
    assert set(CORE_PROFILES) <= set(document["checked"]["profiles"])
    first = pilot["human"].stdout.splitlines()[0]
    assert first.startswith("No --profile or --shapes given: checked the core")
    assert all(name in first for name in CORE_PROFILES)


def test_quiet_in_a_pipe(pilot: dict[str, Result]) -> None:
    """No progress or closing line when stderr is not a terminal (CliRunner's is not)."""
    assert pilot["human"].stderr == "" and pilot["json"].stderr == ""


def test_both_verdicts_when_only_warnings(runner: CliRunner) -> None:
    """SHACL: a warning makes the graph not conform; the run passes at --fail-on violation."""
    args = ["validate", str(HERE / "invalid.ttl"), "--shapes", BASE]
    args += ["--focus", "https://example.org/test/hours", "--format", "json"]
    result = runner.invoke(main, args)
    document = json.loads(result.stdout)
    assert result.exit_code == 0
    assert document["conforms"] is False and document["passes"] is True
    strict = runner.invoke(main, [*args, "--fail-on", "warning"])
    assert strict.exit_code == 1 and json.loads(strict.stdout)["passes"] is False


def test_a_shapes_file_without_shapes_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "no-shapes.ttl"
    empty.write_text("<urn:x:a> a <urn:x:C> .\n")
    result = runner.invoke(main, ["validate", str(HERE / "valid.ttl"), "--shapes", str(empty)])
    assert result.exit_code == 2
    assert "no-shapes.ttl" in result.stderr and "defines no SHACL shapes" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr


@pytest.mark.skipif(not (ELM / "EDC-generic-full.ttl").is_file(), reason="no shared/external/elm")
def test_edc_full_alone_warns_about_its_import(runner: CliRunner) -> None:
    from pyshacl.shapes_graph import ShapesGraph

    full = ELM / "EDC-generic-full.ttl"
    graph = read_shapes_graph([full])
    (imported,) = set(graph.objects(None, OWL.imports))
    result = runner.invoke(
        main, ["validate", str(ELM / "sample-credential.ttl"), "--shapes", str(full)]
    )
    assert result.exit_code == 0, result.stderr
    warning = f"warning: EDC-generic-full.ttl imports <{imported}>, which was not loaded"
    assert warning in result.stderr and "with --shapes too" in result.stderr
    shapes = len(ShapesGraph(graph).shapes)
    assert f"Checked: files EDC-generic-full.ttl; {shapes} shapes." in result.stdout
    assert f"WARNING: EDC-generic-full.ttl imports <{imported}>" in result.stdout
    assert "incomplete, see the 1 warning above" in result.stdout


def test_help_lists_every_profile_and_marks_the_core(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--help"], terminal_width=200)
    assert result.exit_code == 0
    text = result.stdout.split("Profiles (--profile NAME")[1]
    for name in bundled_profiles():
        assert re.search(rf"^  {re.escape(name)}( \*)? ", text, re.M), name
    for name in CORE_PROFILES:
        assert f"  {name} *" in text


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--format", "jsn"], "did you mean 'json'?"),
        (["--severity", "violations"], "did you mean 'violation'?"),
        (["--profile", "stackability"], "did you mean 'stackability-integrity'?"),
    ],
)
def test_did_you_mean(runner: CliRunner, args: list[str], needle: str) -> None:
    result = runner.invoke(main, ["validate", str(HERE / "valid.ttl"), *args])
    assert result.exit_code == 2 and needle in result.stderr


def test_limit_lists_the_most_severe_credentials_only(
    runner: CliRunner, pilot: dict[str, Result]
) -> None:
    result = runner.invoke(main, ["validate", "--limit", "3"])
    assert result.exit_code == 1
    full = pilot["human"].stdout
    body = full.split("\n\n", 1)[1]
    first_three = "\n\n".join(body.split("\n\n")[:3])
    assert result.stdout.split("\n\n", 1)[1].startswith(first_three)
    listed = len([g for g in body.split("Result at --fail-on")[0].split("\n\n") if g.strip()])
    assert f"... and {listed - 3} more not listed (--limit 3)." in result.stdout
    assert result.stdout.split("Result at --fail-on")[1] == full.split("Result at --fail-on")[1]


def test_progress_and_closing_line_on_a_terminal(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, pilot: dict[str, Result]
) -> None:
    from pathways.cli import validation as command

    monkeypatch.setattr(command, "_stderr_is_terminal", lambda: True)
    result = runner.invoke(main, ["validate", "--format", "json"])
    assert result.stdout == pilot["json"].stdout  # progress never reaches stdout
    summary = _document(pilot)["summary"]
    assert re.search(r"validating: (\d+)/\1 queries \(100%\)", result.stderr)
    assert re.search(r"validating: (\d+)/\1 shapes \(100%\)", result.stderr)
    closing = result.stderr.rstrip().splitlines()[-1].split("\r")[-1]
    assert closing.startswith(f"validated {summary['credentials_checked']} credentials against")
    assert f"{summary['results']} results ({summary['violations']} violations" in closing
    assert f"{summary['credentials_failing']} credentials fail at --fail-on violation" in closing


def test_csv_keeps_its_columns_and_adds_about_last(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(HERE / "invalid.ttl"), "--shapes", BASE])
    csv_result = runner.invoke(
        main, ["validate", str(HERE / "invalid.ttl"), "--shapes", BASE, "--format", "csv"]
    )
    assert result.exit_code == csv_result.exit_code == 1
    header = csv_result.stdout.splitlines()[0]
    assert header == "focus,focus_label,path,severity,message,shape,component,value,about"
