"""SPARQL results agree with Oxigraph's own serializers, the answers ``oxigraph serve``
gives (the peer of the SPARQL endpoint in bench/bench_serve.py).

The oracle is ``pyoxigraph.QuerySolutions.serialize`` on the same store and query,
read back with ``pyoxigraph.parse_query_results`` where the format keeps the terms
(JSON, XML, TSV) and compared as text for CSV, which does not. Both faces are tried:
``pathways query --format`` (the CLI) and ``/sparql`` (the endpoint). The data holds
literals whose lexical forms a converter could change (``01``, ``1E3``, ``...Z``
date-times, tokens with spaces, an ill-typed ``"abc"^^xsd:integer``, tabs and quotes
in a language-tagged string): they used to go through rdflib, which rewrote
``"2020-01-01T00:00:00Z"^^xsd:dateTime`` as ``2020-01-01T00:00:00+00:00``, and the
CSV and TSV writers gave every term as a bare string (TSV terms are N-Triples).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from pathways.cli import main
from pathways.rdf.store import KnowledgeGraph
from pathways.web import Explorer, Settings
from pathways.web.app import create_app
from pathways.web.query_pool import QueryPool

DATA = Path(__file__).parents[1] / "fixtures" / "sparql" / "literals.ttl"

QUERIES = {
    "named triples": (
        'SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "urn:ex:") && !isBlank(?o)) }'
        " ORDER BY ?p ?o"
    ),
    "unbound cells": "SELECT ?o ?none WHERE { ?s <urn:ex:lang> ?o }",
    "computed": (
        "SELECT (STR(?o) AS ?text) (LANG(?o) AS ?lang) (1.0 + 2 AS ?n) (?o = ?o AS ?same)"
        " WHERE { ?s <urn:ex:lang> ?o }"
    ),
}

#: Blank nodes: each load labels them afresh (the endpoint's workers load the data
#: themselves), so they are compared with the labels numbered in order of appearance.
BLANK = "SELECT ?b ?p ?v WHERE { ?s <urn:ex:blank> ?b . ?b ?p ?v }"

FORMATS = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    "tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
    "csv": (ox.QueryResultsFormat.CSV, "text/csv"),
}


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    graph = KnowledgeGraph.open()
    graph.load([DATA])
    return graph


@pytest.fixture(scope="module")
def client(kg: KnowledgeGraph) -> Iterator[TestClient]:
    settings = Settings(data=(DATA,), query_workers=1, warm=False)
    pool = QueryPool(settings)
    pool.start()
    try:
        with TestClient(create_app(explorer=Explorer(settings, kg), query_pool=pool)) as c:
            assert pool.wait_ready(120), pool.failures
            yield c
    finally:
        pool.close()


def oracle(kg: KnowledgeGraph, query: str, fmt: str) -> bytes:
    """Oxigraph's own answer; the query sees what ``pathways query`` sees (the data and
    the bundled ontology), so the oracle runs on the same store."""
    result = kg.store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    data = result.serialize(format=FORMATS[fmt][0])
    assert data is not None
    return data


def solutions(data: bytes, fmt: str) -> list[tuple[object, ...]]:
    parsed = ox.parse_query_results(data, format=FORMATS[fmt][0])
    assert isinstance(parsed, ox.QuerySolutions)
    names = [v.value for v in parsed.variables]
    return [tuple(s[n] for n in names) for s in parsed]


def relabelled(data: bytes) -> bytes:
    """``data`` with its blank node labels numbered in order of first appearance."""
    labels: dict[bytes, bytes] = {}

    def number(match: re.Match[bytes]) -> bytes:
        return labels.setdefault(match.group(1), b"b%d" % len(labels))

    data = re.sub(rb"(?<=_:)([A-Za-z0-9]+)", number, data)
    return re.sub(rb'(?<="bnode","value":")([A-Za-z0-9]+)|(?<=<bnode>)([A-Za-z0-9]+)', number, data)


def agree(ours: bytes, theirs: bytes, fmt: str) -> None:
    if fmt == "csv":  # SPARQL CSV is text: the same cells, our lines end with CRLF
        assert ours.replace(b"\r\n", b"\n") == theirs.replace(b"\r\n", b"\n")
    else:
        assert solutions(ours, fmt) == solutions(theirs, fmt)
    if fmt == "json":  # and the very document, key for key
        assert json.loads(ours) == json.loads(theirs)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_the_cli_answers_as_oxigraph(kg: KnowledgeGraph, name: str, fmt: str) -> None:
    result = CliRunner().invoke(main, ["query", QUERIES[name], str(DATA), "--format", fmt])
    assert result.exit_code == 0, result.output
    agree(result.stdout_bytes, oracle(kg, QUERIES[name], fmt), fmt)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_the_endpoint_answers_as_oxigraph(
    client: TestClient, kg: KnowledgeGraph, name: str, fmt: str
) -> None:
    answer = client.get(
        "/sparql", params={"query": QUERIES[name]}, headers={"Accept": FORMATS[fmt][1]}
    )
    assert answer.status_code == 200, answer.text
    agree(answer.content, oracle(kg, QUERIES[name], fmt), fmt)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_endpoint_gives_blank_nodes_as_oxigraph(
    client: TestClient, kg: KnowledgeGraph, fmt: str
) -> None:
    answer = client.get("/sparql", params={"query": BLANK}, headers={"Accept": FORMATS[fmt][1]})
    assert answer.status_code == 200, answer.text
    agree(relabelled(answer.content), relabelled(oracle(kg, BLANK, fmt)), fmt)


def test_the_lexical_forms_are_the_stores(kg: KnowledgeGraph) -> None:
    # what the test above would catch, spelled out: no converter in between
    result = CliRunner().invoke(
        main,
        ["query", "SELECT ?o WHERE { ?s <urn:ex:dateTime> ?o }", str(DATA), "--format", "json"],
    )
    (binding,) = json.loads(result.stdout)["results"]["bindings"]
    assert binding["o"]["value"] == "2020-01-01T00:00:00Z"


def test_tsv_terms_are_in_n_triples_syntax(kg: KnowledgeGraph) -> None:
    query = "SELECT ?o WHERE { ?s <urn:ex:lang> ?o }"
    result = CliRunner().invoke(main, ["query", query, str(DATA), "--format", "tsv"])
    header, cell = io.StringIO(result.stdout).read().splitlines()
    assert header == "?o"
    solutions = kg.store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    assert cell == str(next(iter(solutions))[0])  # quoted, escaped, @fi-fi
    assert cell.startswith('"') and cell.endswith("@fi-fi") and "\\t" in cell
