"""Reports that say what happened (issue 13): human output names what the next command
needs (prefixed names), skills by label, amounts with their currency, what a goal
means and how many routes exist; ``--format json`` is always a JSON document."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import pathways.cli._import_summary as import_summary
import pathways.cli.interop as interop_cli
import pathways.interop.esco as esco
from pathways.cli import main
from pathways.interop import import_files
from tests.constants import EXTERNAL, FIXTURES

BATTERY_TECHNICIAN = "occupation:06bd6285-13ed-4ea7-90cc-e9638a0600a9"
#: No progression pathway leads to it: routes cover its essential skills.
ELECTRONICS_INSTALLER = "occupation:ecdc43f5-3b32-4f94-abf8-cd46480c8cb8"
RAW_IRI = re.compile(r"(?<![<(])https?://")


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, list(args))


# -- the IRI a user needs for the next command --------------------------------------


def test_stack_names_each_open_item_by_label_and_prefixed_name(runner: CliRunner) -> None:
    result = run(runner, "stack", "--from", "pilot:es-hv-1s", "--from", "pilot:es-a-obd")
    assert result.exit_code == 0, result.output
    opened = [line for line in result.stdout.splitlines() if "open:" in line]
    assert opened
    assert "CAN bus diagnosis with oscilloscope and breakout box (pilot:es-a-can)" in opened[0]


def test_eligibility_rows_carry_the_credentials_prefixed_name(runner: CliRunner) -> None:
    result = run(runner, "eligibility", "--scheme", "funding-es-fundae")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if "ELIGIBLE" in line]
    assert rows and all(re.search(r"\(pilot:[\w.-]+\)$", row) for row in rows), rows[:3]


def test_fund_rows_carry_the_credentials_prefixed_name(runner: CliRunner) -> None:
    result = run(runner, "fund", "--scheme", "funding-es-fundae")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("  ")]
    assert rows and all(re.search(r"\(pilot:[\w.-]+\) \[", row) for row in rows), rows[:3]


def test_outcomes_rows_start_with_the_prefixed_name(runner: CliRunner) -> None:
    result = run(runner, "outcomes")
    assert result.exit_code == 0, result.output
    assert re.search(r"^  pilot:es-adas-camara +Static and dynamic", result.stdout, re.M)
    assert re.search(r"^  pilot:pathway-fi-eat +Finland", result.stdout, re.M)


def test_route_names_uncoverable_skills_by_label(runner: CliRunner) -> None:
    result = run(runner, "route", "--to", ELECTRONICS_INSTALLER)
    assert result.exit_code == 0, result.output
    skills = [line for line in result.stdout.splitlines() if "uncoverable essential" in line]
    assert skills, result.stdout
    assert "maintain audiovisual equipment (skill:6e4f264a-" in result.stdout
    assert not any(RAW_IRI.search(line) for line in skills), skills


def test_gap_total_cost_has_its_currency(runner: CliRunner) -> None:
    result = run(runner, "gap", "--from", "pilot:es-hv-1s", "--to", BATTERY_TECHNICIAN)
    assert result.exit_code == 0, result.output
    assert re.search(r"^  total cost: \d+\.\d\d EUR$", result.stdout, re.M), result.stdout
    doc = json.loads(
        run(
            runner,
            "gap",
            "--from",
            "pilot:es-hv-1s",
            "--to",
            BATTERY_TECHNICIAN,
            "--format",
            "json",
        ).stdout
    )
    assert doc["currency"] == "EUR"


def test_gap_totals_of_other_measures_have_units(runner: CliRunner) -> None:
    args = ["gap", "--from", "pilot:es-hv-1s", "--to", BATTERY_TECHNICIAN, "--optimize"]
    assert re.search(r"total hours: [\d.]+ h$", run(runner, *args, "hours").stdout, re.M)


# -- what a pathway goal means; how many routes exist ---------------------------------


def test_route_to_a_pathway_without_condition_says_all_its_components(
    runner: CliRunner,
) -> None:
    result = run(runner, "route", "--to", "pilot:pathway-fi-eat")
    assert result.exit_code == 0, result.output
    assert "goal means: all 15 components of the pathway" in result.stdout
    assert "pathways route --to pilot:fi-eat" in result.stdout  # its destination


def test_route_to_a_pathway_with_a_condition_states_it(runner: CliRunner) -> None:
    result = run(runner, "route", "--to", "pilot:pathway-es-adas", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["goal_kind"] == "pathway"
    assert doc["goal_condition"].startswith("its own condition, all 2 of: ")
    assert doc["destinations"][0]["label"] == "vehicle technician"


def test_route_to_an_occupation_names_the_pathways_leading_there(runner: CliRunner) -> None:
    result = run(runner, "route", "--to", BATTERY_TECHNICIAN)
    assert result.exit_code == 0, result.output
    assert "(pilot:pathway-es-battery-technician)" in result.stdout.splitlines()[1]


def test_alternatives_says_when_fewer_routes_exist(runner: CliRunner) -> None:
    result = run(runner, "route", "--to", "pilot:es-hv-2s", "--alternatives", "3")
    assert result.exit_code == 0, result.output
    assert "only 1 route exists (--alternatives 3 asked for more)" in result.stdout
    doc = json.loads(
        run(
            runner, "route", "--to", "pilot:es-hv-2s", "--alternatives", "3", "--format", "json"
        ).stdout
    )
    assert doc["alternatives_requested"] == 3 and doc["alternatives"] == []
    assert any(n.startswith("only 1 route exists") for n in doc["notes"])


def test_alternatives_met_in_full_says_nothing(runner: CliRunner) -> None:
    result = run(runner, "route", "--to", "pilot:fi-eat", "--alternatives", "2")
    assert result.exit_code == 0, result.output
    assert "only" not in result.stdout


# -- --format json is always a JSON document ------------------------------------------


def test_no_route_in_json_is_a_document_with_the_reasons(runner: CliRunner) -> None:
    result = run(runner, "route", "--to", "pilot:es-hv-3s", "--country", "FIN", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["found"] is False
    assert doc["error"] == "no route to pilot:es-hv-3s"
    assert any("excluded by --country FIN" in r for r in doc["reasons"])
    assert doc["credentials"] == [] and doc["total"] is None
    assert "because:" in result.stderr  # the human reasons stay on stderr


def test_no_route_in_json_goes_to_the_output_file(runner: CliRunner, tmp_path: object) -> None:
    from pathlib import Path

    out = Path(str(tmp_path)) / "route.json"
    args = ["route", "--to", "pilot:es-hv-3s", "--country", "FIN", "--format", "json"]
    result = run(runner, *args, "-o", str(out))
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["found"] is False


@pytest.mark.parametrize(
    "args",
    [
        ["info"],
        ["query", "ASK { ?s ?p ?o }"],
        ["profiles"],
        ["eligibility", "--scheme", "funding-es-fundae"],
        ["validate", "--profile", "conditionality"],
        ["route", "--to", "pilot:es-hv-2s"],
        ["route", "--to", "pilot:es-hv-3s", "--country", "FIN"],
        ["route", "--to", "pilot:es-hv-3s", "--provider", "pilot:org-academia-talleres-norte"],
        ["gap", "--to", BATTERY_TECHNICIAN],
        ["gap", "--to", BATTERY_TECHNICIAN, "--country", "FIN"],
        ["stack", "--from", "pilot:es-hv-1s"],
        ["stack", "--from", "pilot:pt-525089"],
        ["cost", "--credential", "pilot:es-hv-2s"],
        ["fund", "--scheme", "funding-es-fundae"],
        ["outcomes"],
        ["metrics", "--top", "2"],
        ["simulate", "--budget", "50000"],
    ],
    ids=lambda a: " ".join(a),
)
def test_every_json_answer_is_one_json_document(runner: CliRunner, args: list[str]) -> None:
    result = run(runner, *args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    json.loads(result.stdout)


# -- long work: progress within a file, a summary of what was done --------------------

needs_esco = pytest.mark.skipif(
    not (EXTERNAL / "esco").is_dir(), reason=f"shared ESCO files not at {EXTERNAL / 'esco'}"
)
ESCO_FILES = [
    str(EXTERNAL / "esco" / "automotive-occupations.csv"),
    str(EXTERNAL / "esco" / "automotive-occupation-skills.csv"),
]


def test_import_ends_with_a_summary_of_what_was_written(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "hw.ttl"
    ctdl = str(FIXTURES / "interop" / "ctdl-minimal.ttl")
    result = run(runner, "import", "ctdl", ctdl, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(
        rf"imported 1 of 1 file\(s\) \(ctdl\): 3 credential\(s\), 1 pathway\(s\); "
        rf"37 triples written to {re.escape(str(out))} in \d+\.\d\d s",
        result.stderr.splitlines()[-1],
    ), result.stderr
    assert "importing" not in result.stderr  # no progress in a pipe


def test_import_into_a_store_says_how_many_triples_were_new(
    runner: CliRunner, tmp_path: Path
) -> None:
    ctdl = str(FIXTURES / "interop" / "ctdl-minimal.ttl")
    result = run(runner, "import", "ctdl", ctdl, "--store", str(tmp_path / "kg"))
    assert result.exit_code == 0, result.stderr
    assert re.search(r"37 triples written to store .*kg \(\d+ new\) in", result.stderr)


@needs_esco
def test_import_shows_progress_within_a_file_on_a_terminal(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(esco, "_PROGRESS_ROWS", 50)
    monkeypatch.setattr(
        interop_cli, "import_progress", lambda: import_summary.import_progress(True)
    )
    result = run(runner, "import", "esco", *ESCO_FILES, "-o", str(tmp_path / "esco.ttl"))
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.split("\r")
    assert any(
        re.search(r"importing automotive-occupation-skills\.csv: \d+% read", x) for x in lines
    )
    assert re.search(r"\d+ occupation\(s\), \d+ skill\(s\); \d+ triples", lines[-1])


@needs_esco
def test_esco_reports_how_far_it_is_within_each_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(esco, "_PROGRESS_ROWS", 50)
    seen: list[tuple[str, int, int]] = []
    import_files("esco", ESCO_FILES, progress=lambda *a: seen.append(a))
    within = [(done, total) for f, done, total in seen if f == Path(ESCO_FILES[1]).name and total]
    assert len(within) > 3
    assert [d for d, _ in within] == sorted(d for d, _ in within)
    with open(ESCO_FILES[1], encoding="utf-8-sig", newline="") as handle:
        characters = len(handle.read())
    assert all(0 < d <= t == characters for d, t in within)
