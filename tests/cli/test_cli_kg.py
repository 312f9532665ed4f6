"""The knowledge-graph commands through click's runner: output, exit codes, streams."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pathways.cli import main
from tests.constants import FIXTURES

KG = FIXTURES / "kg"
SMALL = str(KG / "small.ttl")


def test_info_json_counts_classes(runner: CliRunner) -> None:
    result = runner.invoke(main, ["info", SMALL, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["classes"]["https://w3id.org/pathways/vocab#MicroCredential"] == 2
    assert info["triples"] == info["ontology_triples"] + info["data_triples"]
    assert info["levels"] == {
        "http://data.europa.eu/snb/eqf/3": 1,
        "http://data.europa.eu/snb/eqf/4": 1,
    }
    assert info["countries"] == {
        "http://publications.europa.eu/resource/authority/country/ESP": 1,
        "http://publications.europa.eu/resource/authority/country/PRT": 1,
    }


def test_info_text_is_for_people(runner: CliRunner) -> None:
    result = runner.invoke(main, ["info", SMALL])
    assert result.exit_code == 0
    assert "pw:MicroCredential" in result.stdout
    assert "EQF level 4" in result.stdout
    assert "Portugal" in result.stdout


def test_query_formats(runner: CliRunner) -> None:
    query = "SELECT ?c ?t WHERE { ?c pw:title ?t } ORDER BY ?c"
    table = runner.invoke(main, ["query", query, SMALL])
    assert table.exit_code == 0
    assert "High-voltage awareness" in table.stdout and "(2 rows)" in table.stdout
    csv_out = runner.invoke(main, ["query", query, SMALL, "--format", "csv"])
    assert csv_out.stdout.splitlines()[0] == "c,t"
    assert csv_out.stdout.splitlines()[1] == "https://example.org/kg/hv1,High-voltage awareness"
    js = json.loads(runner.invoke(main, ["query", query, SMALL, "--format", "json"]).stdout)
    assert js["head"]["vars"] == ["c", "t"]
    assert js["results"]["bindings"][0]["t"] == {
        "type": "literal",
        "value": "High-voltage awareness",
        "xml:lang": "en",
    }
    ask = runner.invoke(main, ["query", "ASK { ?c pw:prerequisite ?p }", SMALL])
    assert ask.stdout == "true\n"


def test_construct_as_turtle_and_from_a_file(runner: CliRunner, tmp_path: Path) -> None:
    rq = tmp_path / "titles.rq"
    rq.write_text("CONSTRUCT { ?c rdfs:label ?t } WHERE { ?c pw:title ?t }")
    result = runner.invoke(main, ["query", str(rq), SMALL, "--format", "turtle"])
    assert result.exit_code == 0, result.stderr
    assert "rdfs:label" in result.stdout
    wrong = runner.invoke(main, ["query", str(rq), SMALL, "--format", "csv"])
    assert wrong.exit_code == 2
    assert "--format turtle" in wrong.stderr


def test_query_from_stdin(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "-", SMALL], input="ASK { ?s pw:title ?t }")
    assert result.stdout == "true\n"


def test_bad_queries_exit_2_without_traceback(runner: CliRunner, tmp_path: Path) -> None:
    cases = [
        ["query", "SELECT * WHERE {", SMALL],
        ["query", "", SMALL],
        ["query", "INSERT DATA { <http://a> <http://b> <http://c> }", SMALL],
        ["query", str(tmp_path / "missing.rq"), SMALL],
    ]
    for args in cases:
        result = runner.invoke(main, args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith("error: "), args
        assert "Traceback" not in result.stderr
        assert result.stdout == ""


def test_input_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://a> <http://b> \n")
    folder = tmp_path / "empty"
    folder.mkdir()
    (tmp_path / "x.csv").write_text("a,b\n")
    for args, needle in [
        (["info", str(bad)], f"{bad}:"),
        (["info", str(tmp_path / "none.ttl")], "no such file"),
        (["info", str(folder)], "no RDF files"),
        (["info", str(tmp_path / "x.csv")], "unknown RDF format"),
        (["info", "--format", "yaml"], "Invalid value"),
    ]:
        result = runner.invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert needle in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_load_into_a_store_then_query_it(runner: CliRunner, tmp_path: Path) -> None:
    store = tmp_path / "kg.db"
    result = runner.invoke(main, ["load", SMALL, "--store", str(store)])
    assert result.exit_code == 0, result.stderr
    assert "into store" in result.stdout
    again = runner.invoke(
        main,
        [
            "query",
            "SELECT ?c WHERE { ?c a pw:MicroCredential }",
            "--store",
            str(store),
            "--format",
            "csv",
        ],
    )
    assert again.exit_code == 0, again.stderr
    assert sorted(again.stdout.split()) == [
        "c",
        "https://example.org/kg/hv1",
        "https://example.org/kg/hv2",
    ]


def test_failed_load_into_a_new_store_leaves_no_store(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://a> <http://b> .\n")
    store = tmp_path / "new.db"
    result = runner.invoke(main, ["load", SMALL, str(bad), "--store", str(store)])
    assert result.exit_code == 2
    assert not store.exists()


def test_failed_load_into_an_existing_store_changes_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    store = tmp_path / "kg.db"
    runner.invoke(main, ["load", SMALL, "--store", str(store)])
    before = runner.invoke(main, ["info", "--store", str(store), "--format", "json"]).stdout
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix : <http://x/> . :a :b")
    result = runner.invoke(main, ["load", str(KG / "small.nt"), str(bad), "--store", str(store)])
    assert result.exit_code == 2
    after = runner.invoke(main, ["info", "--store", str(store), "--format", "json"]).stdout
    assert after == before


def test_export_is_deterministic_and_writes_atomically(runner: CliRunner, tmp_path: Path) -> None:
    outputs = []
    for fmt in ("turtle", "ntriples", "jsonld", "rdfxml"):
        first = runner.invoke(main, ["export", SMALL, "--to", fmt])
        second = runner.invoke(main, ["export", str(KG / "small.ttl"), "--to", fmt])
        assert first.exit_code == 0, first.stderr
        assert first.stdout_bytes == second.stdout_bytes
        outputs.append(first.stdout_bytes)
    assert b"_:" in outputs[1]  # the credit value is a blank node, labelled canonically
    out = tmp_path / "pilot.ttl"
    result = runner.invoke(main, ["export", SMALL, "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_bytes() == outputs[0]
    broken = tmp_path / "broken.ttl"
    broken.write_text("oops")
    target = tmp_path / "never.ttl"
    result = runner.invoke(main, ["export", str(broken), "-o", str(target)])
    assert result.exit_code == 2
    assert not target.exists()
    assert not list(tmp_path.glob(".never.ttl.*"))


def test_export_leaves_the_ontology_out_unless_asked(runner: CliRunner) -> None:
    plain = runner.invoke(main, ["export", SMALL, "--to", "ntriples"]).stdout
    full = runner.invoke(main, ["export", SMALL, "--to", "ntriples", "--include-ontology"]).stdout
    assert "owl#Class" not in plain
    assert "owl#Class" in full
    assert len(plain.splitlines()) == 14


def test_python_dash_m_and_version(runner: CliRunner) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "pathways", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("pathways, version")
