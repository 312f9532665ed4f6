"""``pathways validate --format sarif``: a SARIF 2.1.0 log, checked against the
SARIF 2.1.0 JSON schema of the OASIS SARIF TC (tests/fixtures/sarif, the oracle).
The physical locations' lines are the lines of the fixtures that write each focus
node (found in the fixture's text, or checked with ``grep -n``)."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from pathways.cli import main
from pathways.rdf.locations import subject_positions
from tests.constants import FIXTURES, REPO

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


def _line_of(path: Path, needle: str) -> int:
    """The 1-based line of the only line of ``path`` that holds ``needle``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    (line,) = [i for i, row in enumerate(lines, 1) if needle in row]
    return line


def _regions(log: dict[str, Any]) -> dict[str, tuple[str, int, int]]:
    """Focus IRI -> (artifact URI, start line, start column) of each located result."""
    found = {}
    for result in log["runs"][0]["results"]:
        physical = result["locations"][0].get("physicalLocation")
        if physical is not None:
            region = physical["region"]
            found[result["properties"]["focus"]] = (
                physical["artifactLocation"]["uri"],
                region["startLine"],
                region["startColumn"],
            )
    return found


def test_sarif_points_each_result_at_the_line_that_writes_its_focus(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """invalid.ttl writes ex:untitled on line 10 and ex:hours on line 15 (``grep -n``)."""
    monkeypatch.chdir(REPO)
    data = HERE / "invalid.ttl"
    relative = data.relative_to(REPO).as_posix()
    result = runner.invoke(main, ["validate", relative, "--shapes", BASE, "--format", "sarif"])
    log = check_sarif(result.stdout)
    (run,) = log["runs"]
    assert _regions(log) == {
        "https://example.org/test/untitled": (relative, 10, 1),
        "https://example.org/test/hours": (relative, 15, 1),
    }
    assert {r["properties"]["focus"] for r in run["results"]} == set(_regions(log))
    for r in run["results"]:
        location = r["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": relative, "uriBaseId": "%SRCROOT%", "index": 0}
    assert run["artifacts"] == [
        {
            "location": {"uri": relative, "uriBaseId": "%SRCROOT%"},
            "length": data.stat().st_size,
            "hashes": {"sha-256": hashlib.sha256(data.read_bytes()).hexdigest()},
        }
    ]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": REPO.resolve().as_uri() + "/"}}
    assert run["columnKind"] == "unicodeCodePoints"


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("invalid.jsonld", {"untitled": '"@id": "ex:untitled"', "hours": '"@id": "ex:hours"'}),
        ("invalid.rdf", {"untitled": 'rdf:about="untitled"', "hours": 'rdf:about="hours"'}),
    ],
)
def test_sarif_lines_of_json_ld_and_rdf_xml(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, name: str, written: dict[str, str]
) -> None:
    """The same statements as invalid.ttl, the same results, each at the line of its
    file that writes the focus (the ``@id`` key, the node element)."""
    monkeypatch.chdir(HERE)
    log = check_sarif(
        runner.invoke(main, ["validate", name, "--shapes", BASE, "--format", "sarif"]).stdout
    )
    turtle = check_sarif(
        runner.invoke(
            main, ["validate", "invalid.ttl", "--shapes", BASE, "--format", "sarif"]
        ).stdout
    )
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == [
        r["ruleId"] for r in turtle["runs"][0]["results"]
    ]
    lines = {iri: (uri, line) for iri, (uri, line, _column) in _regions(log).items()}
    assert lines == {
        f"https://example.org/test/{local}": (name, _line_of(HERE / name, needle))
        for local, needle in written.items()
    }


def test_several_files_each_result_in_its_own_file(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.ttl").write_text(
        "@prefix pw: <https://w3id.org/pathways/vocab#> .\n\n"
        "<https://example.org/test/other> a pw:MicroCredential .\n",
        encoding="utf-8",
    )
    (tmp_path / "sub dir").mkdir()
    (tmp_path / "sub dir" / "b.ttl").write_bytes((HERE / "invalid.ttl").read_bytes())
    args = ["validate", "a.ttl", "sub dir", str(HERE / "valid.ttl"), "--shapes", BASE]
    log = check_sarif(runner.invoke(main, [*args, "--format", "sarif"]).stdout)
    run = log["runs"][0]
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    assert uris == ["a.ttl", "sub%20dir/b.ttl", (HERE / "valid.ttl").resolve().as_uri()]
    assert "uriBaseId" not in run["artifacts"][2]["location"]  # outside %SRCROOT%
    regions = _regions(log)
    assert regions["https://example.org/test/hours"] == ("sub%20dir/b.ttl", 15, 1)
    assert regions["https://example.org/test/other"] == ("a.ttl", 3, 1)


def test_store_and_bundled_graph_sarif_has_no_physical_locations(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Validating a --store (or the bundled pilot graph) is as before: logical
    locations only, no artifacts."""
    store = tmp_path / "store"
    assert (
        runner.invoke(main, ["load", str(HERE / "invalid.ttl"), "--store", str(store)]).exit_code
        == 0
    )
    for args in (["--store", str(store), "--shapes", BASE], ["--severity", "violation"]):
        result = runner.invoke(main, ["validate", *args, "--format", "sarif"])
        log = check_sarif(result.stdout)
        (run,) = log["runs"]
        assert run["results"]  # the test can fail
        assert "physicalLocation" not in result.stdout
        assert not {"artifacts", "originalUriBaseIds", "columnKind"} & set(run)


def test_rdf_xml_with_entities_is_refused_and_has_no_locations(
    runner: CliRunner, tmp_path: Path
) -> None:
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY ex "https://example.org/test/">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about="&ex;hours"/>\n</rdf:RDF>\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", str(bomb), "--shapes", BASE, "--format", "sarif"])
    assert result.exit_code == 2 and "entity declarations are not accepted" in result.stderr
    assert subject_positions(bomb.read_bytes(), bomb.name, bomb.resolve().as_uri()) == {}


def test_a_blank_focus_points_at_the_named_node_it_hangs_from(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A result on a blank node (a learning outcome written inside its credential) is
    located where the credential it is about (``properties.about``) is written."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.ttl").write_text(
        "@prefix ex: <https://example.org/t/> .\n"
        "\n"
        "ex:cred a ex:Credential ;\n"
        "    ex:outcome [ a ex:Outcome ] .\n",
        encoding="utf-8",
    )
    (tmp_path / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix ex: <https://example.org/t/> .\n"
        "ex:OutcomeShape a sh:NodeShape ; sh:targetClass ex:Outcome ;\n"
        "    sh:property [ sh:path ex:title ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    args = ["validate", "data.ttl", "--shapes", "shapes.ttl", "--format", "sarif"]
    (result,) = check_sarif(runner.invoke(main, args).stdout)["runs"][0]["results"]
    assert result["properties"]["about"] == "https://example.org/t/cred"
    assert result["properties"]["focus"] != result["properties"]["about"]  # a blank focus
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 1}
