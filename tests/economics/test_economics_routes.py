"""Routes weighted by economics: true cost per participant and outcome per euro."""

from __future__ import annotations

import json

from click.testing import CliRunner

from pathways.cli import main
from tests.constants import FIXTURES

DATA = str(FIXTURES / "economics" / "routes" / "two-ways.ttl")
EX = "https://example.org/econ/"


def route(runner: CliRunner, *args: str) -> dict[str, object]:
    result = runner.invoke(main, ["route", DATA, "--to", EX + "cert", "--format", "json", *args])
    assert result.exit_code == 0, result.stderr
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def taken(doc: dict[str, object]) -> list[str]:
    credentials = doc["credentials"]
    assert isinstance(credentials, list)
    return [c["iri"] for c in credentials if not c.get("stacked")]


def test_fees_pick_the_cheap_course(runner: CliRunner) -> None:
    doc = route(runner)
    assert taken(doc) == [EX + "cheap"]
    assert doc["total"]["cost"] == 100.0  # type: ignore[index]


def test_outcome_per_euro_picks_the_course_that_employs(runner: CliRunner) -> None:
    doc = route(runner, "--optimize", "outcome")
    assert taken(doc) == [EX + "good"]
    # 150 EUR / (0.80 x 0.90) = 208.33 EUR per expected employed completer
    assert doc["total"]["outcome"] == 208.33  # type: ignore[index]


def test_true_cost_replaces_the_fee(runner: CliRunner) -> None:
    doc = route(
        runner, "--cost-basis", "true", "--cohort", "10", "--years", "1", "--optimize", "outcome"
    )
    assert taken(doc) == [EX + "good"]
    assert doc["total"]["cost"] == 320.0  # type: ignore[index]
    notes = doc["notes"]
    assert isinstance(notes, list)
    assert any("true cost per participant" in n for n in notes)


def test_bad_cohort_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["route", DATA, "--to", EX + "cert", "--cohort", "0"])
    assert result.exit_code == 2
