"""``pathways validate``, ``profiles`` and ``eligibility`` on the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pathways.cli import main
from tests.constants import FIXTURES

HERE = FIXTURES / "validation"
BASE = str(HERE / "profiles" / "base.ttl")


def test_validate_invalid_exits_1_with_json_on_stdout(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["validate", str(HERE / "invalid.ttl"), "--shapes", BASE, "--format", "json"]
    )
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["conforms"] is False
    assert set(document) == {
        "conforms",
        "passes",
        "profiles",
        "checked",
        "warnings",
        "summary",
        "results",
    }
    assert set(document["results"][0]) == {
        "focus",
        "focus_label",
        "about",
        "path",
        "severity",
        "message",
        "shape",
        "component",
        "value",
    }
    assert document["summary"]["credentials_checked"] == 3


def test_validate_valid_exits_0(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(HERE / "valid.ttl"), "--shapes", BASE])
    assert result.exit_code == 0, result.stderr
    assert "conforms" in result.stdout


def test_fail_on_warning(runner: CliRunner, tmp_path: object) -> None:
    data = HERE / "invalid.ttl"
    focus = ["--focus", "https://example.org/test/hours"]
    only_warnings = runner.invoke(main, ["validate", str(data), "--shapes", BASE, *focus])
    assert only_warnings.exit_code == 0
    strict = runner.invoke(
        main, ["validate", str(data), "--shapes", BASE, *focus, "--fail-on", "warning"]
    )
    assert strict.exit_code == 1


def test_focus_takes_prefixed_names(runner: CliRunner) -> None:
    args = ["validate", "--profile", "conditionality", "--format", "csv"]
    prefixed = runner.invoke(main, [*args, "--focus", "pilot:pt-curso-adas-rapido"])
    full = runner.invoke(
        main, [*args, "--focus", "https://w3id.org/pathways/pilot/pt-curso-adas-rapido"]
    )
    assert prefixed.exit_code == full.exit_code == 1, prefixed.stderr
    assert prefixed.stdout == full.stdout and len(prefixed.stdout.splitlines()) > 1


@pytest.mark.parametrize(
    ("focus", "needle"),
    [("pilot:no-such-credential", "not in the knowledge graph"), ("nope:x", "unknown prefix")],
)
def test_focus_that_matches_nothing_is_an_error(runner: CliRunner, focus: str, needle: str) -> None:
    """A focus the data does not have must not pass as conforming."""
    result = runner.invoke(main, ["validate", "--profile", "conditionality", "--focus", focus])
    assert result.exit_code == 2
    assert needle in result.stderr and "--focus" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_output_file_and_determinism(runner: CliRunner, tmp_path: pytest.TempPathFactory) -> None:
    out = tmp_path / "report.ttl"  # type: ignore[operator]
    args = ["validate", str(HERE / "invalid.ttl"), "--shapes", BASE, "--format", "turtle"]
    first = runner.invoke(main, [*args, "-o", str(out)])
    assert first.exit_code == 1 and first.stdout == ""
    second = runner.invoke(main, args)
    assert out.read_text() == second.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--shapes", str(HERE / "broken-shapes.ttl")], "broken-shapes.ttl:5"),
        (["--shapes", "no-such-file.ttl"], "no-such-file.ttl"),
        (["--profile", "no-such-profile"], "no profile named"),
    ],
)
def test_usage_and_input_errors_exit_2(runner: CliRunner, args: list[str], needle: str) -> None:
    result = runner.invoke(main, ["validate", str(HERE / "valid.ttl"), *args])
    assert result.exit_code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_hostile_sparql_constraint_is_refused(
    runner: CliRunner, tmp_path: pytest.TempPathFactory
) -> None:
    shapes = tmp_path / "service.ttl"  # type: ignore[operator]
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:x:S> sh:targetClass <https://w3id.org/pathways/vocab#MicroCredential> ;\n"
        '  sh:sparql [ sh:select "SELECT $this WHERE { '
        'SERVICE <http://example.org/> { $this ?p ?o } }" ] .\n'
    )
    result = runner.invoke(main, ["validate", str(HERE / "valid.ttl"), "--shapes", str(shapes)])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_profiles_lists_one_line_each(runner: CliRunner) -> None:
    result = runner.invoke(main, ["profiles"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any(line.startswith("eu-standard-elements") for line in lines)
    assert len(lines) >= 8


@pytest.mark.parametrize("command", ["validate", "profiles", "eligibility"])
def test_help_has_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "pathways " + command in result.stdout


def test_eligibility_csv(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["eligibility", "--scheme", "funding-es-fundae", "--format", "csv"]
    )
    assert result.exit_code == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header == "credential,label,eligible,failed_conditions"
    assert any(",yes," in row for row in rows) and any(",no," in row for row in rows)


def test_eligibility_scheme_without_profile_is_a_clear_error(
    runner: CliRunner, tmp_path: pytest.TempPathFactory
) -> None:
    data = tmp_path / "scheme.ttl"  # type: ignore[operator]
    data.write_text(
        "@prefix pw: <https://w3id.org/pathways/vocab#> .\n"
        '<urn:x:scheme> a pw:FundingScheme ; pw:title "No rules"@en .\n'
    )
    result = runner.invoke(main, ["eligibility", str(data), "--scheme", "urn:x:scheme"])
    assert result.exit_code == 2
    assert "pw:validationProfile" in result.stderr
    unknown = runner.invoke(main, ["eligibility", str(data), "--scheme", "nope"])
    assert unknown.exit_code == 2 and "unknown funding scheme" in unknown.stderr


_MALFORMED = {
    "deactivated-iri": "sh:targetNode <urn:x:a> ; sh:deactivated <urn:x:no> ; sh:class <urn:x:C>",
    "two-paths": "sh:targetNode <urn:x:a> ; sh:property [ sh:path <urn:x:p>, <urn:x:q> ; "
    "sh:minCount 1 ; sh:message 'm' ]",
    "node-shape-path": "sh:targetNode <urn:x:a> ; sh:path <urn:x:p> ; sh:minCount 1",
    "literal-path": "sh:targetNode <urn:x:a> ; sh:property [ sh:path 'p' ; sh:minCount 1 ; "
    "sh:message 'm' ]",
    "two-deactivated": "sh:targetNode <urn:x:a> ; sh:deactivated true, false ; sh:class <urn:x:C>",
    # the same faults on a shape reached through sh:node
    "referenced-deactivated-iri": "sh:targetNode <urn:x:a> ; sh:node <urn:x:T> . <urn:x:T> "
    "a sh:NodeShape ; sh:deactivated <urn:x:no> ; sh:class <urn:x:C> ; sh:message 'm'",
    "referenced-two-paths": "sh:targetNode <urn:x:a> ; sh:node <urn:x:T> . <urn:x:T> "
    "a sh:NodeShape ; sh:property [ sh:path <urn:x:p>, <urn:x:q> ; sh:minCount 1 ; "
    "sh:message 'm' ]",
}


@pytest.mark.parametrize("case", sorted(_MALFORMED))
def test_malformed_shapes_are_input_errors(
    runner: CliRunner, tmp_path: pytest.TempPathFactory, case: str
) -> None:
    """Shapes SHACL does not allow are refused (exit 2, pyshacl's reason), even where
    each constraint would compile and carries its own message."""
    shapes = tmp_path / f"{case}.ttl"  # type: ignore[operator]
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        f"<urn:x:S> a sh:NodeShape ; sh:message 'm' ; {_MALFORMED[case]} .\n"
    )
    result = runner.invoke(main, ["validate", str(HERE / "valid.ttl"), "--shapes", str(shapes)])
    assert result.exit_code == 2, result.stdout
    assert "SHACL" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
