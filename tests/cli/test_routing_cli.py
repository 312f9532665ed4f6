"""``pathways route``, ``gap`` and ``stack`` on hand-checked fixtures."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pathways.cli import main
from tests.constants import FIXTURES

ROUTES = FIXTURES / "routes"
LADDER = str(ROUTES / "ladder.ttl")
EX = "https://example.org/routes/"


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def route_json(runner: CliRunner, *args: str) -> dict[str, object]:
    code, out, err = run(runner, "route", LADDER, "--format", "json", *args)
    assert code == 0, err
    doc: dict[str, object] = json.loads(out)
    return doc


def iris(doc: dict[str, object]) -> list[str]:
    return [c["iri"].removeprefix(EX) for c in doc["credentials"]]  # type: ignore[attr-defined]


def test_hv_ladder_shares_prerequisites_and_orders_terms(runner: CliRunner) -> None:
    doc = route_json(runner, "--to", EX + "hv-3s")
    assert iris(doc) == ["hv-s", "hv-1s", "hv-2s", "hv-3s"]
    assert [c["term"] for c in doc["credentials"]] == [1, 2, 3, 4]  # type: ignore[attr-defined]
    assert doc["total"] == {"cost": 1670.0, "hours": 88.0, "credits": 0.0, "steps": 4}


def test_held_credential_is_skipped(runner: CliRunner) -> None:
    doc = route_json(runner, "--to", EX + "hv-3s", "--from", EX + "hv-s")
    assert iris(doc) == ["hv-1s", "hv-2s", "hv-3s"]
    assert doc["held"] == [EX + "hv-s"]


def test_choose_two_of_three_with_hour_minimum_and_alternatives(runner: CliRunner) -> None:
    # u1 is mandatory; 2 of u2 (300), u3 (150), u4 (80, needs u1) with >= 50 hours.
    doc = route_json(runner, "--to", EX + "vq", "--alternatives", "3")
    assert iris(doc) == ["u1", "u3", "u4", "vq"]
    assert doc["total"]["cost"] == 330.0  # type: ignore[index]
    costs = [a["total"]["cost"] for a in doc["alternatives"]]  # type: ignore[attr-defined]
    assert costs == [480.0, 550.0]
    steps = doc["credentials"]
    assert steps[-1]["stacked"] is True and steps[-1]["term"] == 2  # type: ignore[index]


def test_term_hours_cap(runner: CliRunner) -> None:
    doc = route_json(runner, "--to", EX + "vq", "--term-hours", "40")
    terms = {c["iri"].removeprefix(EX): c["term"] for c in doc["credentials"]}  # type: ignore[attr-defined]
    assert terms["u1"] == 1 and terms["u3"] == 2 and terms["u4"] == 3
    assert any("exceeds --term-hours" in n for n in doc["notes"])  # type: ignore[attr-defined]


def test_occupation_with_pathway(runner: CliRunner) -> None:
    doc = route_json(runner, "--to", EX + "specialist")
    assert set(iris(doc)) == {"hv-s", "hv-1s", "u1", "u3", "u4", "vq"}


def test_occupation_by_skills_reports_uncoverable(runner: CliRunner) -> None:
    doc = route_json(runner, "--to", EX + "technician", "--optimize", "steps")
    assert iris(doc) == ["hv-s", "hv-1s", "hv-2s"]
    assert doc["uncoverable"] == [EX + "skill-unknown"]


def test_no_route_explains_and_exits_1(runner: CliRunner) -> None:
    code, out, err = run(runner, "route", LADDER, "--to", EX + "hv-3s", "--country", "FIN")
    assert code == 1 and out == ""
    assert "excluded by --country FIN" in err and "no route" in err


def test_cycle_is_no_route_with_reason(runner: CliRunner) -> None:
    code, _, err = run(
        runner, "route", str(ROUTES / "cycle.ttl"), "--to", "https://example.org/cycle/q"
    )
    assert code == 1
    assert "needs 3 of 2" in err


def test_rdf_holdings_with_expiry_and_prior_learning(runner: CliRunner) -> None:
    holding = str(ROUTES / "holdings-valid.ttl")
    doc = route_json(runner, "--to", EX + "hv-3s", "--holding", holding, "--on", "2025-06-01")
    # hv-1s expired (validUntil 2024-12-31); hv-3s expired after its 5-year validity.
    assert [e["iri"] for e in doc["expired"]] == [EX + "hv-1s", EX + "hv-3s"]  # type: ignore[attr-defined]
    assert iris(doc) == ["hv-1s", "hv-2s", "hv-3s"]


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("holdings-bad-line.txt", "holdings-bad-line.txt:2"),
        ("holdings-unknown.txt", "holdings-unknown.txt:2"),
        ("holdings-broken.ttl", "holdings-broken.ttl"),
        ("no-such-file.txt", "no such holdings file"),
    ],
)
def test_bad_holdings_exit_2(runner: CliRunner, name: str, needle: str) -> None:
    code, out, err = run(
        runner, "route", LADDER, "--to", EX + "hv-3s", "--holding", str(ROUTES / name)
    )
    assert code == 2 and out == ""
    assert needle in err and "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["--to", EX + "nothing"],
        ["--to", "nope:x"],
        ["--to", EX + "skill-hv"],
        ["--to", EX + "hv-3s", "--funding", "no-such-scheme"],
    ],
)
def test_bad_goals_exit_2(runner: CliRunner, args: list[str]) -> None:
    code, out, err = run(runner, "route", LADDER, *args)
    assert code == 2 and out == "" and err.startswith("error:")


@pytest.mark.parametrize("fmt", ["human", "dot", "mermaid", "json"])
def test_formats_are_deterministic(runner: CliRunner, fmt: str) -> None:
    first = run(runner, "route", LADDER, "--to", EX + "vq", "--format", fmt)
    second = run(runner, "route", LADDER, "--to", EX + "vq", "--format", fmt)
    assert first == second and first[0] == 0
    assert "Unit 3" in first[1]


def test_gap_exact_cover(runner: CliRunner) -> None:
    code, out, err = run(
        runner, "gap", LADDER, "--to", EX + "technician", "--format", "json", "--from", EX + "hv-s"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert [c["iri"] for c in doc["credentials"]] == [EX + "hv-1s", EX + "hv-2s"]
    assert doc["total"] == 1020.0 and doc["method"] == "exact"
    assert [s["iri"] for s in doc["missing_essential"]] == [EX + "skill-hv", EX + "skill-unknown"]
    assert [s["iri"] for s in doc["uncoverable"]] == [EX + "skill-unknown"]


def test_stack_audit_and_what_if(runner: CliRunner) -> None:
    code, out, _ = run(runner, "stack", LADDER, "--from", EX + "u1", "--format", "json")
    assert code == 0
    [vq] = [c for c in json.loads(out)["credentials"] if c["iri"] == EX + "vq"]
    assert vq["status"] == "partial"
    code, out, _ = run(
        runner,
        "stack",
        LADDER,
        "--from",
        EX + "u1",
        "--add",
        EX + "u3",
        "--add",
        EX + "u4",
        "--format",
        "json",
    )
    [vq] = [c for c in json.loads(out)["credentials"] if c["iri"] == EX + "vq"]
    assert vq["status"] == "satisfied"


def test_stack_needs_holdings(runner: CliRunner) -> None:
    code, _, err = run(runner, "stack", LADDER)
    assert code == 2 and "nothing held" in err


@pytest.mark.parametrize("command", ["route", "gap", "stack"])
def test_help_has_example(runner: CliRunner, command: str) -> None:
    code, out, _ = run(runner, command, "--help")
    assert code == 0 and f"pathways {command}" in out
