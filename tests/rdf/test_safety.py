"""Offline by default: nothing in the data or a query makes pathways reach the network.

A loopback HTTP server counts requests; every hostile input is tried against it, on
both backends and through the command line, and the count must stay at zero. A
control request proves the counter works.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathways.cli import main
from pathways.errors import InputError, UnsafeInputError
from pathways.rdf.safety import check_sparql, offline
from pathways.rdf.store import KnowledgeGraph
from tests.loopback import CountingServer

_Counter = CountingServer()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with _Counter as url:
        yield url


@pytest.fixture(params=["memory", "oxigraph"])
def kg(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KnowledgeGraph]:
    store = None if request.param == "memory" else tmp_path / "store"
    graph = KnowledgeGraph.open(store)
    yield graph
    graph.close()


@pytest.fixture(autouse=True)
def reset() -> None:
    _Counter.hits.clear()


def test_the_counter_counts(server: str) -> None:
    """Control: a deliberate request outside pathways is seen."""
    with urllib.request.urlopen(f"{server}/control", timeout=5) as response:
        response.read()
    assert _Counter.hits == ["/control"]


def test_owl_imports_is_never_followed(server: str, kg: KnowledgeGraph, tmp_path: Path) -> None:
    data = tmp_path / "imports.ttl"
    data.write_text(
        f"<http://example.org/o> a <http://www.w3.org/2002/07/owl#Ontology> ;\n"
        f"    <http://www.w3.org/2002/07/owl#imports> <{server}/ontology.ttl> .\n"
    )
    kg.load([data])
    assert kg.ask(f"ASK {{ ?o owl:imports <{server}/ontology.ttl> }}")
    assert _Counter.hits == []


def test_remote_jsonld_context_is_refused(server: str, kg: KnowledgeGraph, tmp_path: Path) -> None:
    for n, context in enumerate(
        [
            f'"{server}/ctx.jsonld"',
            f'["{server}/ctx.jsonld", {{"pw": "https://w3id.org/pathways/vocab#"}}]',
        ]
    ):
        data = tmp_path / f"remote{n}.jsonld"
        data.write_text(f'{{"@context": {context}, "@id": "http://example.org/a"}}')
        with pytest.raises(UnsafeInputError, match="remote JSON-LD @context"):
            kg.load([data])
    nested = tmp_path / "nested.jsonld"
    nested.write_text(
        '{"@context": {"ex": "http://example.org/"}, "@graph": '
        f'[{{"@context": "{server}/inner.jsonld", "@id": "ex:b"}}]}}'
    )
    with pytest.raises(UnsafeInputError):
        kg.load([nested])
    assert _Counter.hits == []


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{s}/sparql> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <{s}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?x ?y ?z . SERVICE\n<{s}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * FROM <{s}/graph.ttl> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <{s}/graph.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "ASK FROM <{s}/g> {{ ?s ?p ?o }}",
        "CONSTRUCT {{ ?s ?p ?o }} FROM <{s}/g> WHERE {{ ?s ?p ?o }}",
        "PREFIX x: <{s}/>\nSELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
    ],
)
def test_sparql_that_would_fetch_is_refused(server: str, kg: KnowledgeGraph, template: str) -> None:
    query = template.format(s=server)
    with pytest.raises(UnsafeInputError):
        kg.raw_query(query)
    assert _Counter.hits == []


def test_sparql_keywords_inside_strings_and_iris_are_fine() -> None:
    check_sparql('SELECT * WHERE { ?s ?p "SERVICE FROM LOAD" }')
    check_sparql("SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } # FROM here")
    check_sparql("SELECT ?from WHERE { ?s ?p ?from }")


def test_sparql_update_load_is_refused_by_the_cli(server: str, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["query", f"LOAD <{server}/data.ttl>", str(tmp_path)])
    assert result.exit_code == 2
    result = runner.invoke(
        main, ["query", f"SELECT * WHERE {{ SERVICE <{server}/s> {{ ?s ?p ?o }} }}"]
    )
    assert result.exit_code == 2
    assert "offline" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert _Counter.hits == []


def test_xml_external_entity_is_refused(server: str, kg: KnowledgeGraph, tmp_path: Path) -> None:
    data = tmp_path / "xxe.rdf"
    data.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rdf:RDF [ <!ENTITY ext SYSTEM "{server}/secret"> ]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:ex="http://example.org/">\n'
        '  <rdf:Description rdf:about="http://example.org/a"><ex:v>&ext;</ex:v>'
        "</rdf:Description>\n</rdf:RDF>\n"
    )
    with pytest.raises(UnsafeInputError) as caught:
        kg.load([data])
    assert caught.value.line == 2
    assert _Counter.hits == []


def test_billion_laughs_fails_fast(kg: KnowledgeGraph, tmp_path: Path) -> None:
    entities = ['<!ENTITY lol "lol">']
    for n in range(1, 10):
        entities.append(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">')
    doc = (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
        + "\n".join(entities)
        + '\n]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
        "<ex:v>&lol9;</ex:v></rdf:Description></rdf:RDF>\n"
    )
    assert len(doc.encode()) < 1500
    data = tmp_path / "lol.rdf"
    data.write_text(doc)
    # Refused by the check before any XML parser sees the file (no timing asserted:
    # the message is the check's own, which no parser would give).
    with pytest.raises(UnsafeInputError, match="entit") as info:
        kg.load([data])
    assert info.value.path == str(data)


def test_plain_doctype_without_entities_is_accepted(tmp_path: Path) -> None:
    data = tmp_path / "doctype.rdf"
    data.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
        "<ex:v>x</ex:v></rdf:Description></rdf:RDF>\n"
    )
    kg = KnowledgeGraph.open()
    assert kg.load([data]).triples_added == 1


def test_offline_guard_blocks_python_sockets(server: str) -> None:
    with offline(), pytest.raises(InputError, match="network access"):
        urllib.request.urlopen(f"{server}/blocked", timeout=5)
    assert _Counter.hits == []
    with urllib.request.urlopen(f"{server}/after", timeout=5) as response:  # guard lifted
        response.read()
    assert _Counter.hits == ["/after"]
