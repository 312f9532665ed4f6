"""Loading files into the knowledge graph: formats, folders, atomicity, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from pathways.errors import InputError, QueryError, StoreError
from pathways.rdf.store import KnowledgeGraph, input_files
from tests.constants import FIXTURES

KG = FIXTURES / "kg"
EX = "https://example.org/kg/"


def credentials(kg: KnowledgeGraph) -> list[str]:
    rows = kg.select("SELECT ?c WHERE { ?c a pw:MicroCredential } ORDER BY ?c")
    return [str(r["c"]) for r in rows]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("small.ttl", ["hv1", "hv2"]),
        ("small.jsonld", ["adas1"]),
        ("small.nt", ["diag1"]),
        ("small.rdf", ["thermal1"]),
        ("small.trig", ["charge1"]),
        ("small.nq", ["brake1"]),
    ],
)
def test_each_format_loads_into_the_default_graph(
    empty_kg: KnowledgeGraph, name: str, expected: list[str]
) -> None:
    report = empty_kg.load([KG / name])
    assert credentials(empty_kg) == [EX + e for e in expected]
    assert report.triples_added == report.triples_read > 0
    # the rdflib view sees the same triples (named graphs were merged)
    assert (URIRef(EX + expected[0]), None, None) in empty_kg.graph


def test_folder_loads_every_rdf_file_in_order(empty_kg: KnowledgeGraph) -> None:
    files = input_files([KG])
    assert files == sorted(files)
    empty_kg.load([KG])
    assert len(credentials(empty_kg)) == 7


def test_ontology_is_always_there(empty_kg: KnowledgeGraph) -> None:
    assert empty_kg.ask("ASK { pw:MicroCredential a owl:Class }")
    assert empty_kg.label(URIRef("http://data.europa.eu/snb/eqf/4")) == "EQF level 4"


def test_syntax_error_names_file_and_line_and_loads_nothing(
    empty_kg: KnowledgeGraph, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://x/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n')
    before = len(empty_kg)
    with pytest.raises(InputError) as caught:
        empty_kg.load([KG / "small.ttl", bad])
    assert caught.value.path == str(bad)
    assert caught.value.line == 3
    assert len(empty_kg) == before  # the good file before it was not loaded either


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ("", ".xyz", "unknown RDF format"),
        ('{"@id": ', ".jsonld", "malformed JSON"),
        ("<rdf:RDF", ".rdf", "syntax error"),
        ("\xff\xfe garbage", ".nt", "syntax error"),
    ],
)
def test_broken_inputs(tmp_path: Path, content: str, suffix: str, message: str) -> None:
    path = tmp_path / f"broken{suffix}"
    path.write_text(content, encoding="latin-1")
    kg = KnowledgeGraph.open()
    with pytest.raises(InputError, match=message):
        kg.load([path])


def test_missing_file_empty_folder_and_folder_as_file(tmp_path: Path) -> None:
    kg = KnowledgeGraph.open()
    with pytest.raises(InputError, match="no such file"):
        kg.load([tmp_path / "nope.ttl"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no RDF files"):
        kg.load([tmp_path / "empty"])


def test_persistent_store_reopens_and_stays_unchanged_on_failure(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with KnowledgeGraph.open(path) as kg:
        kg.load([KG / "small.ttl"])
        size = len(kg)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://x/a> <http://x/b> .\n")
    with KnowledgeGraph.open(path) as kg:
        assert len(kg) == size
        assert credentials(kg) == [EX + "hv1", EX + "hv2"]
        with pytest.raises(InputError):
            kg.load([KG / "small.nt", bad])
        assert len(kg) == size
    with KnowledgeGraph.open(path, read_only=True) as kg:
        assert len(kg) == size


def test_store_refuses_a_folder_of_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a pathways store"):
        KnowledgeGraph.open(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    file = tmp_path / "file"
    file.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        KnowledgeGraph.open(file)


def test_loading_twice_adds_nothing_new(empty_kg: KnowledgeGraph) -> None:
    first = empty_kg.load([KG / "small.nt"])
    second = empty_kg.load([KG / "small.nt"])
    assert first.triples_added == 2
    assert second.triples_added == 0


def test_select_bindings_and_query_errors(empty_kg: KnowledgeGraph) -> None:
    empty_kg.load([KG / "small.ttl"])
    rows = empty_kg.select("SELECT ?t WHERE { ?c pw:title ?t }", c=URIRef(EX + "hv2"))
    assert [str(r["t"]) for r in rows] == ["High-voltage qualified person"]
    with pytest.raises(QueryError, match="syntax"):
        empty_kg.select("SELECT WHERE {")
    with pytest.raises(QueryError, match="not an ASK"):
        empty_kg.ask("SELECT * WHERE { ?s ?p ?o }")


def test_rdflib_view_is_cheap_to_test_for_truth(empty_kg: KnowledgeGraph) -> None:
    assert bool(empty_kg.graph) is True
    assert bool(empty_kg) is True
