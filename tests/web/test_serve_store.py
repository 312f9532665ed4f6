"""Serving a persistent store: the server and its SPARQL workers all open it read-only;
DATA given with it is layered over a private copy, as in every reading command."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from pathways.rdf.store import KnowledgeGraph
from pathways.web import Settings
from pathways.web.serve import prepare
from tests.web.conftest import _client

TTL = """@prefix pw: <https://w3id.org/pathways/vocab#> .
<https://example.org/c/1> a pw:MicroCredential ; pw:title "Stored course"@en .
"""


def _files(store: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(store)): p.read_bytes()
        for p in sorted(store.rglob("*"))
        if p.is_file() and p.name != "lock"
    }


def test_a_store_with_data_is_served_without_changing_the_store(tmp_path: Path) -> None:
    data = tmp_path / "one.ttl"
    data.write_text(TTL, encoding="utf-8")
    store = tmp_path / "kg.db"
    with KnowledgeGraph.open(store) as kg:  # a store holding only the ontology
        kg.load([])
    before = _files(store)
    settings = Settings(query_workers=2, data=(data,), store=store, query_timeout=5, warm=False)
    explorer = prepare(settings)  # DATA layered over a private copy of the store
    clients = _client(settings, explorer)
    client = next(clients)
    try:
        hits = client.get("/search.json", params={"q": "stored"}).json()
        assert [h["iri"] for h in hits["hits"]] == ["https://example.org/c/1"]
        answer = client.get(
            "/sparql",
            params={"query": "CONSTRUCT WHERE { <https://example.org/c/1> ?p ?o }"},
            headers={"Accept": "application/n-triples"},
        )
        assert answer.status_code == 200, answer.text
        assert len(Graph().parse(data=answer.content, format="nt")) == 2
    finally:
        clients.close()
    explorer.kg.close()
    assert _files(store) == before  # serving wrote nothing, DATA included
    with KnowledgeGraph.open(store, read_only=True) as kg:
        assert not kg.ask("ASK { <https://example.org/c/1> ?p ?o }")
