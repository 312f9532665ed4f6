"""The server never reaches the network: a loopback HTTP server counts requests while
the explorer serves a graph full of IRIs pointing at it, its pages, API and SPARQL
endpoint are asked everything that could make it fetch, and the count stays zero (the
model is tests/rdf/test_safety.py; a control request proves the counter counts)."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from pathways.web import Settings
from tests.loopback import CountingServer
from tests.web.conftest import _client

_Counter = CountingServer()


@pytest.fixture(scope="module")
def remote() -> Iterator[str]:
    with _Counter as url:
        yield url


@pytest.fixture(scope="module")
def tempting(remote: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A graph whose every IRI, import and homepage points at the counting server."""
    path = tmp_path_factory.mktemp("remote") / "remote.ttl"
    path.write_text(
        f"""@prefix pw: <https://w3id.org/pathways/vocab#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<{remote}/ontology> a owl:Ontology ; owl:imports <{remote}/imported.ttl> .
<{remote}/c/1> a pw:MicroCredential ; pw:title "Remote course"@en ;
    pw:homepage <{remote}/home> ; pw:provider <{remote}/org> ;
    pw:prerequisite <{remote}/c/2> .
""",
        encoding="utf-8",
    )
    yield from _client(Settings(query_workers=2, data=(path,), query_timeout=5, warm=False))


def test_the_counter_counts(remote: str) -> None:
    _Counter.hits.clear()
    with urllib.request.urlopen(f"{remote}/control", timeout=5) as response:
        response.read()
    assert _Counter.hits == ["/control"]


def test_nothing_the_explorer_is_asked_reaches_the_network(
    remote: str, tempting: TestClient
) -> None:
    _Counter.hits.clear()
    iri = f"{remote}/c/1"
    for path, params in [
        ("/search", {}),
        ("/search.json", {"q": "remote"}),
        ("/credential", {"iri": iri}),
        ("/credential.json", {"iri": iri}),
        ("/api/info", {}),
        ("/api/validate", {}),
        ("/api/metrics", {}),
        ("/api/route", {"to": iri}),
        ("/sparql", {"query": f"DESCRIBE <{iri}>"}),
        ("/sparql", {"query": f"SELECT * {{ SERVICE <{remote}/sparql> {{ ?s ?p ?o }} }}"}),
        ("/sparql", {"query": f"SELECT * FROM <{remote}/g.ttl> {{ ?s ?p ?o }}"}),
        ("/sparql", {"query": f"LOAD <{remote}/g.ttl>"}),
    ]:
        answer = tempting.get(path, params=params)
        assert answer.status_code < 500, (path, answer.text)
    upload = f'{{"@context": "{remote}/context.jsonld", "@id": "{iri}"}}'.encode()
    refused = tempting.post("/api/validate", files={"file": ("remote.jsonld", upload)})
    assert refused.status_code == 400
    assert _Counter.hits == []


def test_pages_link_out_but_never_embed_remote_resources(remote: str, tempting: TestClient) -> None:
    html = tempting.get("/credential", params={"iri": f"{remote}/c/1"}).text
    assert f'src="{remote}' not in html  # a link the reader may follow; nothing loaded
