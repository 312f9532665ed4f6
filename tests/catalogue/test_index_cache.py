"""The search index that ``pathways load`` writes into a store's generation: read back
it is the index computed from the graph (the oracle: ``catalogue_index`` on the same
generation); anything stale, foreign or broken is ignored, never trusted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathways.catalogue import index_cache
from pathways.catalogue.index_cache import FOLDER, cached_index, index_generation
from pathways.catalogue.search import catalogue_index
from pathways.cli import main
from pathways.rdf.resources import data_files
from pathways.rdf.store import KnowledgeGraph

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    result = CliRunner().invoke(main, ["load", str(DATA), "--store", str(folder)])
    assert result.exit_code == 0, result.output
    assert "search index written for en, es, fi, pt" in result.output
    return folder


def _files(store: Path) -> list[Path]:
    return sorted(store.glob(f"gen-*/{FOLDER}/catalogue-*.json"))


@pytest.mark.parametrize("lang", ["en", "es", "fi", "pt"])
def test_the_written_index_is_the_computed_one(store: Path, lang: str) -> None:
    with KnowledgeGraph.open(store, read_only=True) as kg:
        cached = cached_index(kg, lang)
        assert cached is not None
        assert cached == catalogue_index(kg, lang)


def test_stale_foreign_or_broken_files_are_ignored(store: Path) -> None:
    (english,) = [f for f in _files(store) if f.name == "catalogue-en.json"]
    document = json.loads(english.read_text(encoding="utf-8"))
    cases = {
        "other code": {**document, "code": "0" * 64},
        "other generation": {**document, "generation": "gen-999999"},
        "other language": {**document, "lang": "es"},
        "wrong shape": {**document, "entries": [["only", "two"]]},
    }
    for why, changed in cases.items():
        english.write_text(json.dumps(changed), encoding="utf-8")
        with KnowledgeGraph.open(store, read_only=True) as kg:
            assert cached_index(kg, "en") is None, why
    for broken in (b"{not json", b"\xff\xfe", b""):
        english.write_bytes(broken)
        with KnowledgeGraph.open(store, read_only=True) as kg:
            assert cached_index(kg, "en") is None
    english.unlink()
    with KnowledgeGraph.open(store, read_only=True) as kg:
        assert cached_index(kg, "en") is None
        assert cached_index(kg, "../../etc/passwd") is None  # not a language tag


def test_a_second_load_indexes_its_own_generation(store: Path, tmp_path: Path) -> None:
    first = _files(store)
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix pw: <https://w3id.org/pathways/vocab#> .\n"
        '<https://example.org/c/new> a pw:MicroCredential ; pw:title "Brand new course"@en .\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["load", str(extra), "--store", str(store)])
    assert result.exit_code == 0, result.output
    second = _files(store)
    assert {f.parent.parent.name for f in second}.isdisjoint(f.parent.parent.name for f in first)
    with KnowledgeGraph.open(store, read_only=True) as kg:
        index = cached_index(kg, "en")
        assert index is not None and index == catalogue_index(kg, "en")
        assert any(e.label == "Brand new course" for e in index.entries)


def test_a_load_with_nothing_new_writes_a_missing_index_again(store: Path) -> None:
    for file in _files(store):
        file.unlink()
    result = CliRunner().invoke(main, ["load", str(DATA), "--store", str(store)])
    assert result.exit_code == 0 and "nothing new to load" in result.output
    assert "search index written for en, es, fi, pt" in result.output
    assert len(_files(store)) == 4


def test_a_reader_never_writes_the_index(store: Path) -> None:
    shutil.rmtree(next(store.glob(f"gen-*/{FOLDER}")))
    before = sorted(p.relative_to(store) for p in store.rglob("*"))
    for argv in (["info"], ["query", "SELECT * { ?s ?p ?o } LIMIT 1"], ["validate"]):
        CliRunner().invoke(main, [*argv, "--store", str(store)])
    assert sorted(p.relative_to(store) for p in store.rglob("*")) == before


def test_in_memory_there_is_nothing_to_cache() -> None:
    kg = KnowledgeGraph.open()
    kg.load(data_files())
    assert index_generation(kg) == () and cached_index(kg, "en") is None


def test_the_fingerprint_changes_with_the_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    package = tmp_path / "pathways"
    (package / "catalogue").mkdir(parents=True)
    (package / "catalogue" / "search.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(index_cache, "_PACKAGE", package)
    index_cache.code_fingerprint.cache_clear()
    try:
        before = index_cache.code_fingerprint()
        (package / "catalogue" / "search.py").write_text("X = 2\n", encoding="utf-8")
        index_cache.code_fingerprint.cache_clear()
        assert index_cache.code_fingerprint() != before
    finally:
        index_cache.code_fingerprint.cache_clear()
