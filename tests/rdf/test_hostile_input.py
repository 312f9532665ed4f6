"""The readers' guards against hostile shapes of input: nesting, size, loops.

Regression tests for the crashes the fuzz tests (``tests/fuzz/``) found, each with a
tiny generated or fixture file. Oracles: the exit-code and error contract of README
"Exit codes" (:data:`pathways.errors.EXIT_CODES`); for the depth limit, the published
reference files of ``/work/shared/external`` (provenance in its SOURCES.md), whose
deepest nesting (13 levels, ePerusteet) must stay far below :data:`MAX_DEPTH`; for the
crashes themselves, what pyoxigraph 0.5.13, rdflib 7.6.0 and CPython 3.11 did on the
same input before the guards (noted per test).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from pathways.errors import InputError, QueryError, UnsafeInputError
from pathways.interop.documents import parse_document
from pathways.rdf.safety import MAX_DEPTH, check_lists, check_sparql, check_xml, load_json
from pathways.rdf.store import parse_file
from tests.constants import EXTERNAL, FIXTURES

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def nested_json(depth: int) -> bytes:
    """An array ``depth`` levels deep."""
    return b"[" * depth + b"]" * depth


def nested_xml(depth: int) -> bytes:
    """RDF/XML whose node and property elements nest ``depth`` levels in all."""
    pairs = (depth - 1) // 2
    return (
        f'<rdf:RDF xmlns:rdf="{_RDF}" xmlns:e="http://example.org/">'
        + "<rdf:Description><e:p>" * pairs
        + "x"
        + "</e:p></rdf:Description>" * pairs
        + "</rdf:RDF>"
    ).encode()


def json_depth(document: Any) -> int:
    if isinstance(document, dict):
        return 1 + max((json_depth(v) for v in document.values()), default=0)
    if isinstance(document, list):
        return 1 + max((json_depth(v) for v in document), default=0)
    return 0


# -- JSON ---------------------------------------------------------------------------


def test_json_nested_5000_levels_is_an_input_error() -> None:
    # Before: CPython's json.loads raised RecursionError, exit 3 (issue 13).
    with pytest.raises(InputError, match="nested deeper than 100 levels") as info:
        load_json(nested_json(5000), "deep.json")
    assert info.value.path == "deep.json"
    assert info.value.exit_code == 2


def test_json_depth_limit_is_exact() -> None:
    assert load_json(nested_json(MAX_DEPTH), "ok.json") == json.loads(nested_json(MAX_DEPTH))
    with pytest.raises(InputError, match="nested deeper"):
        load_json(nested_json(MAX_DEPTH + 1), "deep.json")


def test_json_with_a_5000_digit_integer_is_an_input_error() -> None:
    # Before: ValueError (CPython's 4,300-digit int conversion limit) escaped.
    with pytest.raises(InputError, match="unreadable JSON value") as info:
        load_json(b'{"n": ' + b"9" * 5000 + b"}", "big.json")
    assert info.value.path == "big.json"


@pytest.mark.skipif(not EXTERNAL.is_dir(), reason=f"shared reference data not at {EXTERNAL}")
@pytest.mark.parametrize(
    "name",
    [
        "eperusteet/automekaanikon-erikoisammattitutkinto.json",
        "eperusteet/autoalan-tyonjohto.json",
        "elm/sample-microcredential-annex1.jsonld",
        "ctdl/illinois-it.json",
        "ctdl/comptia-it-networking-specialist.jsonld",
    ],
)
def test_published_documents_are_far_below_the_depth_limit(name: str) -> None:
    path = EXTERNAL / name
    document = load_json(path.read_bytes(), path)
    assert json_depth(document) <= 13 < MAX_DEPTH // 5


def test_rdflib_jsonld_reads_documents_at_the_depth_limit(tmp_path: Path) -> None:
    # The limit must leave room for rdflib's recursive JSON-LD processor
    # (it overflowed at about 400 nested node objects).
    document: dict[str, Any] = {"@context": {"p": "http://example.org/p"}}
    node = document
    for i in range(MAX_DEPTH - 1):
        node["@id"] = f"http://example.org/{i}"
        node["p"] = {}
        node = node["p"]
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(document))
    _data, graph = parse_document(path)
    assert len(graph) == MAX_DEPTH - 1  # one ex:p triple per node object with an @id


def test_jsonld_nested_5000_levels_is_refused_before_oxigraph(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonld"
    path.write_bytes(nested_json(5000))
    with pytest.raises(InputError, match="nested deeper") as info:
        list(parse_file(path))
    assert info.value.path == str(path)


# -- XML -----------------------------------------------------------------------------


def test_rdfxml_nested_20000_levels_is_refused_quickly(tmp_path: Path) -> None:
    # Before: Oxigraph's RDF/XML parser took time quadratic in the depth
    # (20,000 levels: 27 s for 'pathways info').
    path = tmp_path / "deep.rdf"
    path.write_bytes(nested_xml(20_000))
    started = time.perf_counter()
    with pytest.raises(InputError, match="nested deeper than 100 levels") as info:
        list(parse_file(path))
    assert time.perf_counter() - started < 2
    assert info.value.path == str(path)
    assert info.value.line == 1


def test_rdfxml_depth_limit_is_exact(tmp_path: Path) -> None:
    check_xml(nested_xml(MAX_DEPTH), "ok.rdf")
    with pytest.raises(InputError, match="nested deeper"):
        check_xml(nested_xml(MAX_DEPTH + 2), "deep.rdf")


def test_entity_declared_after_the_first_mebibyte_is_refused() -> None:
    # The fast check reads the first MiB for <!DOCTYPE; a doctype can only come
    # before the root element, so padding goes in a comment before it.
    padding = b"<!--" + b"x" * (1 << 20) + b"-->\n"
    data = (
        b'<?xml version="1.0"?>\n'
        + padding
        + b'<!DOCTYPE r [<!ENTITY e "expanded">]>\n'
        + f'<rdf:RDF xmlns:rdf="{_RDF}"><rdf:Description rdf:about="http://e/a">'.encode()
        + b"<rdf:value>&e;</rdf:value></rdf:Description></rdf:RDF>"
    )
    with pytest.raises(UnsafeInputError, match="entity declarations"):
        check_xml(data, "late.rdf")


# -- SPARQL ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000,
        "SELECT * { ?s ?p ?o FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
        "SELECT * { ?s " + "(" * 5000 + "<http://e/p>" + ")" * 5000 + " ?o }",
    ],
    ids=["groups", "expression", "path"],
)
def test_sparql_nested_thousands_deep_is_refused(query: str) -> None:
    # Before: pyoxigraph's recursive SPARQL parser overflowed the stack and the
    # process died with SIGSEGV (about 3,000 nested groups or parentheses).
    with pytest.raises(QueryError, match="deeper than 100 levels"):
        check_sparql(query)


def test_sparql_depth_limit_is_exact_and_ignores_brackets_in_strings() -> None:
    check_sparql("SELECT * WHERE " + "{ " * MAX_DEPTH + "?s ?p ?o" + " }" * MAX_DEPTH)
    check_sparql("SELECT * { ?s ?p '" + "(" * 5000 + "' }")
    with pytest.raises(QueryError):
        check_sparql("SELECT * WHERE " + "{ " * (MAX_DEPTH + 1) + "?s ?p ?o" + " }" * 101)


# -- sizes and loops -------------------------------------------------------------------


def test_ntriples_literal_over_16_mib_is_an_input_error(tmp_path: Path) -> None:
    # Before: Oxigraph raised MemoryError("Reached the buffer maximal size of
    # 16777216"), exit 3.
    path = tmp_path / "long.nt"
    path.write_text('<http://e/a> <http://e/p> "' + "x" * (17 << 20) + '" .\n')
    with pytest.raises(InputError, match="too large to parse") as info:
        list(parse_file(path))
    assert info.value.path == str(path)


def test_turtle_nested_5000_levels_is_read_by_the_one_parser(tmp_path: Path) -> None:
    # Before: the importers parsed Turtle with rdflib, whose recursive parser raised
    # RecursionError ("syntax error: maximum recursion depth exceeded ..."), then an
    # input error; now they read it through pathways.rdf.parsing (Oxigraph's parser
    # does not recurse), so the document is read, every level of it.
    path = tmp_path / "deep.ttl"
    path.write_text(
        "<http://e/a> <http://e/p> " + "[ <http://e/p> " * 5000 + "1" + " ]" * 5000 + " ."
    )
    _data, graph = parse_document(path)
    assert len(graph) == 5001


def test_cyclic_list_is_an_input_error_naming_the_node() -> None:
    # Before: rdflib's Collection raised ValueError("List contains a recursive
    # rdf:rest reference") inside the SHACL compiler, exit 3.
    path = FIXTURES / "hostile" / "cyclic-list-shapes.ttl"
    graph = Graph().parse(path)
    with pytest.raises(InputError, match=re.escape("<http://example.org/loop> loops back")) as info:
        check_lists(graph, path)
    assert info.value.path == str(path)


def test_well_formed_lists_pass() -> None:
    graph = Graph().parse(data="<http://e/a> <http://e/p> (1 (2 3) ()) , (4) .", format="turtle")
    check_lists(graph, "lists.ttl")
