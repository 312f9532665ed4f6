"""``/sparql`` against the SPARQL 1.1 Protocol and Query Results recommendations (W3C,
21 March 2013), and ``pathways query`` as the oracle for what is refused."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace, URIRef

from pathways.cli import main
from pathways.rdf.store import KnowledgeGraph
from pathways.web import Explorer, Settings
from tests.web.conftest import _client

SELECT = "SELECT ?l WHERE { eqf:4 skos:prefLabel ?l }"
CONSTRUCT = "CONSTRUCT { ?c pw:title ?t } WHERE { ?c a pw:MicroCredential ; pw:title ?t } LIMIT 5"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RESULTS = "{http://www.w3.org/2005/sparql-results#}"


def test_get_select_defaults_to_sparql_json(client: TestClient) -> None:
    answer = client.get("/sparql", params={"query": SELECT})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/sparql-results+json"
    document = answer.json()
    assert document["head"]["vars"] == ["l"]
    assert document["results"]["bindings"][0]["l"]["value"] == "EQF level 4"


def test_form_post_and_direct_post_give_the_get_answer(client: TestClient) -> None:
    expected = client.get("/sparql", params={"query": SELECT}).content
    form = client.post("/sparql", data={"query": SELECT})
    direct = client.post(
        "/sparql", content=SELECT.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert form.status_code == direct.status_code == 200
    assert form.content == direct.content == expected


def test_select_as_xml_csv_and_tsv(client: TestClient) -> None:
    xml = client.get(
        "/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+xml"}
    )
    root = ET.fromstring(xml.content)
    assert root.tag == f"{RESULTS}sparql"
    assert [v.get("name") for v in root.iter(f"{RESULTS}variable")] == ["l"]
    literal = next(root.iter(f"{RESULTS}literal"))
    assert literal.text == "EQF level 4"
    assert literal.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    csv_answer = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert csv_answer.headers["content-type"].startswith("text/csv")
    assert csv_answer.text == "l\r\nEQF level 4\r\n"  # SPARQL 1.1 CSV: CRLF, plain values
    tsv = client.get(
        "/sparql", params={"query": SELECT}, headers={"Accept": "text/tab-separated-values"}
    )
    assert tsv.headers["content-type"].startswith("text/tab-separated-values")
    # SPARQL 1.1 TSV: variables with their "?", terms in N-Triples syntax (LF)
    assert tsv.text == '?l\n"EQF level 4"@en\n'


def test_ask_in_json_and_xml(client: TestClient) -> None:
    answer = client.get("/sparql", params={"query": "ASK { eqf:4 ?p ?o }"})
    assert answer.json() == {"head": {}, "boolean": True}
    xml = client.get("/sparql", params={"query": "ASK { eqf:9 ?p ?o }", "format": "xml"})
    assert next(ET.fromstring(xml.content).iter(f"{RESULTS}boolean")).text == "false"


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_construct_in_each_rdf_format(client: TestClient, accept: str, rdflib_format: str) -> None:
    answer = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=answer.content, format=rdflib_format)
    assert len(graph) == 5


def test_describe_answers_triples(client: TestClient) -> None:
    answer = client.get("/sparql", params={"query": "DESCRIBE pilot:es-hv-2s"})
    graph = Graph().parse(data=answer.content, format="turtle")
    assert (URIRef("https://w3id.org/pathways/pilot/es-hv-2s"), None, None) in graph


def test_a_format_the_form_cannot_have_is_406(client: TestClient) -> None:
    assert client.get("/sparql", params={"query": SELECT, "format": "turtle"}).status_code == 406
    answer = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert answer.status_code == 406


def test_service_description_without_a_query(client: TestClient) -> None:
    answer = client.get("/sparql")
    assert answer.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=answer.content, format="turtle")
    service = next(graph.subjects(predicate=SD.endpoint))
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert len(list(graph.objects(service, SD.resultFormat))) == 7


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.get("/sparql", params={"update": "CLEAR ALL"}),
        lambda c: c.post("/sparql", data={"update": "CLEAR ALL"}),
        lambda c: c.post(
            "/sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"}
        ),
    ],
    ids=["get-update", "form-update", "sparql-update-body"],
)
def test_updates_are_refused(client: TestClient, send: object) -> None:
    answer = send(client)  # type: ignore[operator]
    assert answer.status_code == 400
    assert "read-only" in answer.json()["error"]


def test_an_update_sent_as_a_query_gets_the_cli_message(client: TestClient) -> None:
    runner = CliRunner()
    cli = runner.invoke(main, ["query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"])
    answer = client.post("/sparql", data={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert answer.status_code == 400
    assert cli.exit_code == 2
    assert f"error: {answer.json()['error']}" in cli.stderr


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:9/data.ttl> { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
    ],
    ids=["service", "from", "load"],
)
def test_remote_clauses_are_refused_as_pathways_query_refuses_them(
    client: TestClient, runner: CliRunner, query: str
) -> None:
    cli = runner.invoke(main, ["query", query])
    answer = client.get("/sparql", params={"query": query})
    assert cli.exit_code == 2 and answer.status_code == 400
    assert cli.stderr == f"error: {answer.json()['error']}\n"


def test_a_syntax_error_is_400_with_the_parser_message(client: TestClient) -> None:
    answer = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert answer.status_code == 400
    assert "SPARQL syntax error" in answer.json()["error"]


def test_the_row_cap_truncates_and_says_so(client: TestClient) -> None:
    cap = 50  # pilot_settings.row_cap
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    answer = client.get("/sparql", params={"query": query})
    assert answer.headers["X-Pathways-Truncated"] == str(cap)
    assert "truncated" in answer.headers["X-Pathways-Note"]
    document = answer.json()
    assert len(document["results"]["bindings"]) == cap
    assert "row cap" in document["note"]
    small = client.get("/sparql", params={"query": query + " LIMIT 3"})
    assert "X-Pathways-Truncated" not in small.headers
    triples = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert triples.headers["X-Pathways-Truncated"] == str(cap)
    assert len(Graph().parse(data=triples.content, format="turtle")) == cap


# Every triple with every triple with every triple, counted: ~10^12 steps on the pilot.
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture
def timing_client(pilot_kg: KnowledgeGraph) -> Iterator[TestClient]:
    settings = Settings(query_timeout=6.0, query_workers=2, warm=False)
    yield from _client(settings, Explorer(settings, pilot_kg))


def test_a_runaway_query_is_stopped_while_other_requests_are_served(
    timing_client: TestClient,
) -> None:
    pool = timing_client.app.state.query_pool  # type: ignore[attr-defined]
    answers: dict[str, object] = {}
    # The page's caches first, so that the page asked during the runaway query answers
    # at once however busy the machine is (no race with the time limit).
    assert timing_client.get("/search.json", params={"q": "battery"}).status_code == 200

    def runaway() -> None:
        answers["runaway"] = timing_client.get("/sparql", params={"query": EXPLOSIVE})

    slow = threading.Thread(target=runaway)
    slow.start()
    # While the runaway query holds one worker, a fast query and a page are answered.
    fast = timing_client.get("/sparql", params={"query": SELECT})
    page = timing_client.get("/search.json", params={"q": "battery"})
    still_running = slow.is_alive()
    slow.join(60)
    assert fast.status_code == 200 and page.status_code == 200
    assert still_running, "the fast requests were answered only after the runaway one"
    stopped = answers["runaway"]
    assert stopped.status_code == 503  # type: ignore[attr-defined]
    assert "time limit" in stopped.json()["error"]  # type: ignore[attr-defined]
    # The killed worker is replaced: the endpoint goes on answering.
    assert pool.wait_ready(120), pool.failures
    assert timing_client.get("/sparql", params={"query": SELECT}).status_code == 200
