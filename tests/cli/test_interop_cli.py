"""The import and template commands: exit codes, stdout vs stderr, nothing half-written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathways.cli import main
from tests.constants import EXTERNAL, FIXTURES

BROKEN = FIXTURES / "interop" / "broken"
CTDL_MINIMAL = str(FIXTURES / "interop" / "ctdl-minimal.ttl")


def test_import_to_stdout_is_deterministic(runner: CliRunner) -> None:
    first = runner.invoke(main, ["import", "ctdl", CTDL_MINIMAL])
    second = runner.invoke(main, ["import", "ctdl", CTDL_MINIMAL])
    assert first.exit_code == 0, first.stderr
    assert first.stdout_bytes == second.stdout_bytes
    assert b"pw:ProgressionPathway" in first.stdout_bytes
    # the only note: how the destination component was read (no warning, no error),
    # then the summary of what was done (issue 13)
    *findings, done = first.stderr.splitlines()
    assert findings == [
        "ctdl-minimal.ttl: http://example.org/dest: read as earned by its 1 condition(s) "
        "alone (CredentialComponent: no work of its own), so it is awarded by stacking and "
        "never taken [info]"
    ]
    assert done.startswith("imported 1 of 1 file(s) (ctdl): 3 credential(s), 1 pathway(s); ")


@pytest.mark.parametrize(
    ("fmt", "name", "expected"),
    [
        ("ctdl", "malformed.jsonld", "malformed.jsonld:4"),
        ("ctdl", "remote-context.jsonld", "https://evil.example.org/ctx"),
        ("esco", "esco-missing-column.csv", "esco-missing-column.csv:1"),
        ("esco", "esco-wrong-fields.csv", "row 3: relationType"),
        ("eperusteet", "eperusteet-malformed.json", "eperusteet-malformed.json:1"),
        ("spreadsheet", "extra-sheet.xlsx", "notes"),
        ("spreadsheet", "sheet-bad-values", "row 2: eqf_level"),
        ("spreadsheet", "sheet-missing-column", "credentials.csv:1"),
    ],
)
def test_broken_input_exits_2_and_writes_nothing(
    runner: CliRunner, tmp_path: Path, fmt: str, name: str, expected: str
) -> None:
    out = tmp_path / "out.ttl"
    result = runner.invoke(main, ["import", fmt, str(BROKEN / name), "-o", str(out)])
    assert result.exit_code == 2, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert result.stdout == ""


def test_keep_going_writes_the_rest(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    args = ["import", "ctdl", str(BROKEN / "malformed.jsonld"), CTDL_MINIMAL, "-o", str(out)]
    assert runner.invoke(main, args).exit_code == 2 and not out.exists()
    result = runner.invoke(main, [*args, "--keep-going"])
    assert result.exit_code == 0 and out.exists()
    assert "example.org/evtech" in out.read_text()


def test_findings_as_json(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["import", "ctdl", str(BROKEN / "malformed.jsonld"), "--findings-format", "json"]
    )
    findings = json.loads(result.stderr.split("\nerror:")[0])
    assert findings[0]["severity"] == "error" and findings[0]["line"] == 4


def test_import_into_store(runner: CliRunner, tmp_path: Path) -> None:
    store = tmp_path / "kg"
    result = runner.invoke(main, ["import", "ctdl", CTDL_MINIMAL, "--store", str(store)])
    assert result.exit_code == 0, result.stderr
    from pathways.rdf.store import KnowledgeGraph

    with KnowledgeGraph.open(store, read_only=True) as kg:
        assert kg.ask("ASK { <http://example.org/path> a pw:ProgressionPathway }")


def test_option_for_wrong_format_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["import", "ctdl", CTDL_MINIMAL, "--isco-group", "7231"])
    assert result.exit_code == 2 and "esco only" in result.stderr


@pytest.mark.skipif(not (EXTERNAL / "ctdl").is_dir(), reason="shared/external not present")
def test_local_context_for_an_unknown_remote_context(runner: CliRunner, tmp_path: Path) -> None:
    context = tmp_path / "illinois-context.json"
    context.write_text(json.dumps({"@context": {"@vocab": "https://purl.org/ctdl/terms/"}}))
    illinois = str(EXTERNAL / "ctdl" / "illinois-it.json")
    refused = runner.invoke(main, ["import", "ctdl", illinois])
    assert refused.exit_code == 2 and "examplePathway.org" in refused.stderr
    accepted = runner.invoke(
        main, ["import", "ctdl", illinois, "--context", f"http://examplePathway.org/={context}"]
    )
    assert accepted.exit_code == 0, accepted.stderr
    assert b"pw:ProgressionPathway" in accepted.stdout_bytes


def test_template_commands(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["template", "--format", "csv", "-o", str(tmp_path / "t")])
    assert result.exit_code == 0
    assert (tmp_path / "t" / "credentials.csv").exists()
    result = runner.invoke(main, ["template", "--format", "xlsx", "-o", str(tmp_path / "t.txt")])
    assert result.exit_code == 2
    result = runner.invoke(main, ["template", "--format", "xlsx", "-o", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 0 and (tmp_path / "t.xlsx").stat().st_size > 0


def test_help_has_examples(runner: CliRunner) -> None:
    for command in ("import", "template"):
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "Examples:" in result.stdout
