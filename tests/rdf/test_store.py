"""Loading files into the knowledge graph: formats, folders, atomicity, errors."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
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


# -- literals as written (issue 11) ---------------------------------------------------
#
# Oracle: RDF 1.1 Concepts (https://www.w3.org/TR/rdf11-concepts/#section-Graph-Literal):
# a literal *is* its lexical form and datatype IRI, so "4.0"^^xsd:decimal and "4"^^xsd:decimal
# are two literals, "1"^^xsd:positiveInteger and "1"^^xsd:integer too. The expected
# triples are the file's own, as pyoxigraph's parser reads them (it keeps lexical forms
# and datatypes; only its store changes them, which the first test pins down).

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
AS_WRITTEN_NT = f"""\
<urn:x:a> <urn:x:b> "1"^^<{XSD_NS}positiveInteger> .
<urn:x:a> <urn:x:b> "4.0"^^<{XSD_NS}decimal> .
<urn:x:a> <urn:x:b> "300"^^<{XSD_NS}byte> .
<urn:x:a> <urn:x:b> "01"^^<{XSD_NS}integer> .
<urn:x:a> <urn:x:c> "1"^^<{XSD_NS}integer> .
<urn:x:a> <urn:x:c> "01"^^<{XSD_NS}integer> .
<urn:x:a> <urn:x:d> "PT60M"^^<{XSD_NS}duration> .
<urn:x:a> <urn:x:d> "1"^^<{XSD_NS}boolean> .
<urn:x:a> <urn:x:e> "plain" .
"""


def _written(tmp_path: Path, text: str = AS_WRITTEN_NT, name: str = "lit.nt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _data_triples(quads: object) -> set[str]:
    return {
        str(q.triple) if hasattr(q, "triple") else str(q)
        for q in quads  # type: ignore[attr-defined]
        if str(q.subject).startswith("<urn:x:")
    }


def _as_parsed(path: Path) -> set[str]:
    import pyoxigraph as ox

    return _data_triples(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))


def test_a_plain_oxigraph_store_changes_these_literals(tmp_path: Path) -> None:
    """Why the record exists: pyoxigraph 0.5.13's store gives back other literals (and
    merges "1" and "01"^^xsd:integer into one triple)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(_written(tmp_path)), format=ox.RdfFormat.N_TRIPLES)
    stored = _data_triples(store.quads_for_pattern(None, None, None, None))
    assert stored != _as_parsed(_written(tmp_path))
    assert len(stored) == 7  # 9 written: "1"^^xsd:positiveInteger and "01" became "1", twice


def test_quads_len_and_construct_give_the_literals_as_written(
    empty_kg: KnowledgeGraph, tmp_path: Path
) -> None:
    path = _written(tmp_path)
    before = len(empty_kg)
    report = empty_kg.load([path])
    expected = _as_parsed(path)
    assert len(expected) == 9
    assert _data_triples(empty_kg.quads()) == expected
    assert report.triples_added == report.triples_read == len(empty_kg) - before == 9
    graph = empty_kg.construct(
        'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "urn:x:")) }'
    )
    assert {(str(s), str(o), str(o.datatype)) for s, _p, o in graph} >= {  # type: ignore[attr-defined]
        ("urn:x:a", "1", XSD_NS + "positiveInteger"),
        ("urn:x:a", "4.0", XSD_NS + "decimal"),
        ("urn:x:a", "300", XSD_NS + "byte"),
    }


def test_query_command_construct_gives_the_literals_as_written(
    empty_kg: KnowledgeGraph, tmp_path: Path
) -> None:
    from pathways.rdf.sparql import run_query

    path = _written(tmp_path)
    empty_kg.load([path])
    outcome = run_query(
        empty_kg,
        'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "urn:x:")) }',
    )
    assert _data_triples(outcome.triples) == _as_parsed(path)


def test_export_gives_the_literals_as_written(runner: object, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pathways.cli import main

    path = _written(tmp_path)
    out = tmp_path / "out.nt"
    assert isinstance(runner, CliRunner)
    result = runner.invoke(main, ["export", str(path), "--to", "ntriples", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _as_parsed(out) == _as_parsed(path)
    assert "as-written" not in out.read_text(encoding="utf-8")  # the record stays inside


def test_sparql_still_compares_and_sums_numbers(empty_kg: KnowledgeGraph, tmp_path: Path) -> None:
    empty_kg.load([_written(tmp_path)])
    rows = empty_kg.select(
        "SELECT (SUM(?o) AS ?sum) WHERE { <urn:x:a> <urn:x:b> ?o FILTER(?o > 3 && ?o < 10) }"
    )
    assert float(rows[0]["sum"]) == 4.0  # type: ignore[arg-type]


def test_rdflib_view_has_the_written_datatypes(empty_kg: KnowledgeGraph, tmp_path: Path) -> None:
    from rdflib import Literal

    empty_kg.load([_written(tmp_path)])
    objects = set(empty_kg.graph.objects(URIRef("urn:x:a"), URIRef("urn:x:b")))
    assert Literal("1", datatype=URIRef(XSD_NS + "positiveInteger")) in objects
    assert Literal("4.0", datatype=URIRef(XSD_NS + "decimal")) in objects
    wanted = Literal("4.0", datatype=URIRef(XSD_NS + "decimal"))
    assert (URIRef("urn:x:a"), URIRef("urn:x:b"), wanted) in empty_kg.graph


def test_blank_node_literals_and_later_loads_are_kept_as_written(
    empty_kg: KnowledgeGraph, tmp_path: Path
) -> None:
    first = _written(tmp_path, f'_:n <urn:x:amount> "2.50"^^<{XSD_NS}decimal> .\n', "one.nt")
    empty_kg.load([first])
    # a second load writes the canonical form of an earlier literal of the same triple
    second = _written(
        tmp_path,
        f'<urn:x:a> <urn:x:c> "01"^^<{XSD_NS}integer> .\n'
        f'<urn:x:a> <urn:x:c> "1"^^<{XSD_NS}integer> .\n',
        "two.nt",
    )
    empty_kg.load([_written(tmp_path, f'<urn:x:a> <urn:x:c> "01"^^<{XSD_NS}integer> .\n', "a.nt")])
    empty_kg.load([_written(tmp_path, f'<urn:x:a> <urn:x:c> "1"^^<{XSD_NS}integer> .\n', "b.nt")])
    assert _data_triples(empty_kg.quads()) == _as_parsed(second)
    amounts = [
        str(q.object.value)
        for q in empty_kg.quads()
        if q.predicate.value == "urn:x:amount" and isinstance(q.object, ox.Literal)
    ]
    assert amounts == ["2.50"]


def test_persistent_store_keeps_the_literals_as_written(tmp_path: Path) -> None:
    path = _written(tmp_path)
    with KnowledgeGraph.open(tmp_path / "db") as kg:
        kg.load([path])
        size = len(kg)
    with KnowledgeGraph.open(tmp_path / "db", read_only=True) as kg:
        assert _data_triples(kg.quads()) == _as_parsed(path)
        assert len(kg) == size
