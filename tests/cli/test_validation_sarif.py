"""``pathways validate --format sarif``: a SARIF 2.1.0 log, checked against the
SARIF 2.1.0 JSON schema of the OASIS SARIF TC (tests/fixtures/sarif, the oracle)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema
from click.testing import CliRunner

from pathways.cli import main
from tests.constants import FIXTURES

HERE = FIXTURES / "validation"
BASE = str(HERE / "profiles" / "base.ttl")
SCHEMA = FIXTURES / "sarif" / "sarif-2.1.0-rtm.5.json"


@cache
def _validator() -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def check_sarif(text: str) -> dict[str, Any]:
    """``text`` parsed, after validating it against the SARIF 2.1.0 schema."""
    log: dict[str, Any] = json.loads(text)
    errors = sorted(_validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    return log


def test_sarif_matches_the_schema_and_the_json_report(runner: CliRunner) -> None:
    args = ["validate", str(HERE / "invalid.ttl"), "--shapes", BASE]
    sarif = runner.invoke(main, [*args, "--format", "sarif"])
    report = json.loads(runner.invoke(main, [*args, "--format", "json"]).stdout)
    assert sarif.exit_code == 1  # the exit code does not depend on the format
    log = check_sarif(sarif.stdout)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    results = run["results"]
    assert len(results) == len(report["results"]) > 0
    level = {"Violation": "error", "Warning": "warning", "Info": "note"}
    rules = run["tool"]["driver"]["rules"]
    for got, want in zip(results, report["results"], strict=True):
        assert got["level"] == level[want["severity"]]
        assert got["message"]["text"] == want["message"]
        (location,) = got["locations"]
        assert location["logicalLocations"][0]["fullyQualifiedName"] == want["focus"]
        assert rules[got["ruleIndex"]]["id"] == got["ruleId"]
        assert got["ruleId"].endswith(
            "/" + want["component"].rsplit("#")[-1].removesuffix("ConstraintComponent")
        )
    assert run["properties"]["conforms"] is False
    assert run["properties"]["summary"]["results"] == report["summary"]["results"]


def test_sarif_of_a_conforming_file_has_no_results(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["validate", str(HERE / "valid.ttl"), "--shapes", BASE, "--format", "sarif"]
    )
    assert result.exit_code == 0
    log = check_sarif(result.stdout)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["properties"]["conforms"]


def test_sarif_of_the_pilot_lists_every_result_with_its_severity(runner: CliRunner) -> None:
    sarif = check_sarif(runner.invoke(main, ["validate", "--format", "sarif"]).stdout)
    report = json.loads(runner.invoke(main, ["validate", "--format", "json"]).stdout)
    levels = [r["level"] for r in sarif["runs"][0]["results"]]
    assert len(levels) == report["summary"]["results"]
    assert levels.count("error") == report["summary"]["violations"]
    assert levels.count("note") == report["summary"]["infos"]


def test_severity_filter_applies_to_sarif(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--format", "sarif", "--severity", "violation"])
    log = check_sarif(result.stdout)
    assert {r["level"] for r in log["runs"][0]["results"]} <= {"error"}
