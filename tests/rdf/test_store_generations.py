"""The persistent store changes only when asked: read commands never write, a file's
bytes are loaded once, a changed file replaces what it gave, one writer at a time,
stale generations are ignored and cleaned (issue 13, "The store changes only when
asked")."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from pathways.cli import main
from pathways.errors import InputError, StoreBusy, StoreError
from pathways.rdf.loading import add_ontology
from pathways.rdf.store import KnowledgeGraph
from tests.constants import DATA, FIXTURES, REPO

KG = FIXTURES / "kg"
SMALL = str(KG / "small.ttl")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder (its path) and the SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def monetary_amounts(runner: CliRunner, *args: str) -> int:
    result = runner.invoke(main, ["info", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    classes = json.loads(result.stdout)["classes"]
    return int(classes["https://w3id.org/pathways/vocab#MonetaryAmount"])


def test_read_commands_with_data_and_a_store_leave_the_store_unchanged(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Issue 13: ``info data/ --store kg`` three times gave 139, 278, 417 amounts."""
    store = tmp_path / "kg"
    assert runner.invoke(main, ["load", str(DATA), "--store", str(store)]).exit_code == 0
    before = snapshot(store)
    stored = monetary_amounts(runner, "--store", str(store))
    counts = [monetary_amounts(runner, str(DATA), "--store", str(store)) for _ in range(3)]
    assert counts == [2 * stored] * 3  # DATA's own blank nodes over the store's, each time
    reads = [
        ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", SMALL],
        ["validate", SMALL, "--profile", "conditionality"],
        ["export", SMALL, "--to", "turtle"],
        ["metrics", SMALL, "--top", "3"],
        [
            "route",
            SMALL,
            "--holding",
            str(REPO / "examples" / "technician.txt"),
            "--to",
            "pilot:es-cert-tecnico-baterias",
        ],
        ["eligibility", SMALL, "--scheme", "funding-es-fundae"],
    ]
    for args in reads:
        result = runner.invoke(main, [*args, "--store", str(store)])
        assert result.exit_code in (0, 1), (args, result.output)
    assert snapshot(store) == before
    assert monetary_amounts(runner, "--store", str(store)) == stored


def test_a_read_command_sees_data_layered_over_the_store(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    with KnowledgeGraph.open(store) as kg:
        kg.load([KG / "small.nt"])
        stored = len(kg)
    layered = KnowledgeGraph.layered(store)
    layered.load([KG / "small.ttl"])
    assert len(layered) > stored
    assert layered.ask("ASK { <https://example.org/kg/hv1> a pw:MicroCredential }")
    assert layered.ask("ASK { <https://example.org/kg/diag1> a pw:MicroCredential }")
    with KnowledgeGraph.open(store, read_only=True) as kg:
        assert len(kg) == stored
        assert not kg.ask("ASK { <https://example.org/kg/hv1> ?p ?o }")


def _blank_file(folder: Path, hours: str = "4.0") -> Path:
    path = folder / "fees.ttl"
    path.write_text(
        "@prefix pw: <https://w3id.org/pathways/vocab#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        f'<urn:c1> pw:notionalHours "{hours}"^^xsd:decimal ;\n'
        '  pw:fee [ pw:amount "3.50"^^xsd:decimal ; pw:currency "EUR" ] .\n'
        '<urn:c2> pw:fee [ pw:amount "7"^^xsd:positiveInteger ] .\n'
        '<urn:c2> pw:title "shared with small.nt\'s neighbour" .\n'
    )
    return path


def _count(kg: KnowledgeGraph, sparql: str) -> int:
    return int(str(kg.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {sparql} }}")[0]["n"]))


def test_loading_the_same_file_twice_does_not_duplicate_its_blank_nodes(
    tmp_path: Path, runner: CliRunner
) -> None:
    store = tmp_path / "kg"
    file = _blank_file(tmp_path)
    first = runner.invoke(main, ["load", str(file), "--store", str(store)])
    second = runner.invoke(main, ["load", str(file), "--store", str(store)])
    assert second.exit_code == 0, second.output
    assert f"{file}: already loaded, unchanged (skipped)" in second.stdout
    copy = tmp_path / "copy.ttl"
    shutil.copy(file, copy)  # the same bytes under another path are the same file
    third = runner.invoke(main, ["load", str(copy), "--store", str(store)])
    assert "the same bytes were already loaded from" in third.stdout
    assert first.exit_code == 0 and "nothing new to load" not in first.stdout
    assert "nothing new to load: 1 file(s) already in store" in second.stdout
    assert "nothing new to load" in third.stdout
    with KnowledgeGraph.open(store, read_only=True) as kg:
        assert _count(kg, "?fee pw:amount ?a") == 2
        written = {str(q.object) for q in kg.quads() if q.predicate.value.endswith("#amount")}
        assert written == {
            '"3.50"^^<http://www.w3.org/2001/XMLSchema#decimal>',
            '"7"^^<http://www.w3.org/2001/XMLSchema#positiveInteger>',
        }


def test_a_changed_file_replaces_what_it_gave_literals_as_written_included(
    tmp_path: Path, runner: CliRunner
) -> None:
    store = tmp_path / "kg"
    file = _blank_file(tmp_path)
    other = tmp_path / "other.ttl"
    other.write_text(
        '<urn:c2> <https://w3id.org/pathways/vocab#title> "shared with small.nt\'s neighbour" .\n'
    )
    runner.invoke(main, ["load", str(file), str(other), "--store", str(store)])
    _blank_file(tmp_path, hours="5.0")
    result = runner.invoke(main, ["load", str(file), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert f"{file}: changed since it was loaded: what it gave is replaced" in result.stdout
    with KnowledgeGraph.open(store, read_only=True) as kg:
        hours = [str(q.object) for q in kg.quads() if q.predicate.value.endswith("notionalHours")]
        assert hours == ['"5.0"^^<http://www.w3.org/2001/XMLSchema#decimal>']
        assert _count(kg, "?fee pw:amount ?a") == 2  # the old blank nodes are gone
        assert _count(kg, "<urn:c2> pw:title ?t") == 1  # given by both files: kept
    other.unlink()  # the store reads its own copy of a source, never the file again
    _blank_file(tmp_path, hours="6.0")
    assert runner.invoke(main, ["load", str(file), "--store", str(store)]).exit_code == 0
    with KnowledgeGraph.open(store, read_only=True) as kg:
        assert _count(kg, "<urn:c2> pw:title ?t") == 1


def test_a_second_writer_is_refused_or_waits(tmp_path: Path, runner: CliRunner) -> None:
    store = tmp_path / "kg"
    writer = KnowledgeGraph.open(store)
    with pytest.raises(StoreBusy, match="another load is running"):
        KnowledgeGraph.open(store)
    result = runner.invoke(main, ["load", SMALL, "--store", str(store)])
    assert result.exit_code == 2
    assert "another load is running on this store" in result.stderr
    assert "--wait" in result.stderr
    waited = runner.invoke(main, ["load", SMALL, "--store", str(store), "--wait", "0.3"])
    assert waited.exit_code == 2 and "waited 0.3 s" in waited.stderr
    with KnowledgeGraph.open(store, read_only=True) as reader:  # readers never wait
        assert sorted(map(str, reader.quads())) == sorted(map(str, writer.quads()))
    threading.Timer(0.5, writer.close).start()  # the first load ends while the second waits
    result = runner.invoke(main, ["load", SMALL, "--store", str(store), "--wait", "30"])
    assert result.exit_code == 0, result.output
    assert "loaded 1 file(s)" in result.stdout


def test_a_stale_generation_is_ignored_and_removed_by_the_next_writer(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    with KnowledgeGraph.open(store) as kg:
        kg.load([KG / "small.nt"])
        size = len(kg)
    stale = store / "gen-000099"  # what a SIGKILLed load leaves
    stale.mkdir()
    (stale / "000012.sst").write_bytes(b"half written")
    (store / "pathways-store.json.4242.tmp").write_text("{")
    (store / "sources" / "f00.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n")
    with KnowledgeGraph.open(store, read_only=True) as kg:
        assert len(kg) == size
    assert stale.exists()  # a reader never removes anything
    with KnowledgeGraph.open(store) as kg:
        assert len(kg) == size
        kg.load([KG / "small.ttl"])
    names = {p.name for p in store.iterdir()}
    assert "gen-000099" not in names and "pathways-store.json.4242.tmp" not in names
    assert not (store / "sources" / "f00.ttl").exists()
    assert len([n for n in names if n.startswith("gen-")]) == 1


def test_a_generation_a_reader_has_open_is_kept_until_it_closes(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    with KnowledgeGraph.open(store) as kg:
        kg.load([KG / "small.nt"])
    reader = KnowledgeGraph.open(store, read_only=True)
    size = len(reader)
    with KnowledgeGraph.open(store) as kg:
        kg.load([KG / "small.ttl"])
        assert len(kg) > size
    assert len(reader) == size  # still the old generation, still there
    assert len([p for p in store.iterdir() if p.name.startswith("gen-")]) == 2
    reader.close()
    with KnowledgeGraph.open(store):
        pass
    assert len([p for p in store.iterdir() if p.name.startswith("gen-")]) == 1


def test_a_store_made_before_generations_is_read_and_converted(tmp_path: Path) -> None:
    store = tmp_path / "old"
    legacy = ox.Store(str(store))  # the layout of earlier pathways: a bare Oxigraph folder
    add_ontology(legacy)
    legacy.load(path=str(KG / "small.nt"), format=ox.RdfFormat.N_TRIPLES)
    legacy.flush()
    del legacy
    with KnowledgeGraph.open(store, read_only=True) as kg:
        size = len(kg)
    with KnowledgeGraph.open(store) as kg:
        assert len(kg) == size
        kg.load([KG / "small.ttl"])
        grown = len(kg)
    assert not (store / "CURRENT").exists()
    with KnowledgeGraph.open(store, read_only=True) as kg:
        assert len(kg) == grown > size
    changed = tmp_path / "mine.ttl"
    changed.write_text("<urn:a> <urn:b> <urn:c> .\n")
    with KnowledgeGraph.open(store) as kg:
        kg.load([changed])
        changed.write_text("<urn:a> <urn:b> <urn:d> .\n")
        with pytest.raises(StoreError, match="cannot replace a changed file"):
            kg.load([changed])
        assert len(kg) == grown + 1


def test_a_store_opened_read_only_refuses_to_load(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    KnowledgeGraph.open(store).close()
    with KnowledgeGraph.open(store, read_only=True) as kg, pytest.raises(StoreError):
        kg.load([KG / "small.nt"])


def test_a_first_load_killed_before_its_commit_leaves_a_new_store(
    tmp_path: Path, runner: CliRunner
) -> None:
    store = tmp_path / "kg"
    (store / "gen-000001").mkdir(parents=True)  # what SIGKILL during the first load leaves
    (store / "lock").touch()
    (store / "sources").mkdir()
    info = runner.invoke(main, ["info", "--store", str(store)])
    assert info.exit_code == 2 and "no store in this folder" in info.stderr
    result = runner.invoke(main, ["load", SMALL, "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert not (store / "gen-000001").exists()


def test_a_failed_load_keeps_no_copy_of_its_files(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n")
    with KnowledgeGraph.open(store) as kg, pytest.raises(InputError):
        kg.load([KG / "small.nt", bad])
    assert not any((store / "sources").iterdir())
