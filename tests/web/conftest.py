"""The explorer over the pilot graph, driven in-process (no network, no socket)."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pathways.rdf.store import KnowledgeGraph
from pathways.web import Explorer, Settings, create_app
from pathways.web.query_pool import QueryPool

#: A graph a hostile publisher could write: markup in labels, a javascript: IRI.
HOSTILE_TTL = """\
@prefix pw: <https://w3id.org/pathways/vocab#> .
<javascript:alert(1)> a pw:MicroCredential ;
    pw:title "<script>alert(1)</script>"@en , "\\" onmouseover=\\"alert(2)"@es ;
    pw:description "<img src=x onerror=alert(3)>"@en ;
    pw:provider <javascript:alert(4)> .
<https://example.org/c/ok> a pw:MicroCredential ;
    pw:title "An ordinary credential"@en ;
    pw:prerequisite <javascript:alert(1)> .
"""


def _client(
    settings: Settings, explorer: Explorer | None = None
) -> Generator[TestClient, None, None]:
    pool = QueryPool(settings)
    pool.start()
    app = create_app(explorer=explorer or Explorer(settings), query_pool=pool)
    try:
        with TestClient(app) as client:
            assert pool.wait_ready(120), pool.failures
            yield client
    finally:
        pool.close()


@pytest.fixture(scope="session")
def pilot_settings() -> Settings:
    return Settings(query_workers=2, query_timeout=3.0, row_cap=50, upload_cap=200_000, warm=False)


@pytest.fixture(scope="session")
def client(pilot_settings: Settings, pilot_kg: KnowledgeGraph) -> Iterator[TestClient]:
    """The explorer over the bundled pilot graph (one for the whole session)."""
    yield from _client(pilot_settings, Explorer(pilot_settings, pilot_kg))


@pytest.fixture
def small_cap_client(pilot_kg: KnowledgeGraph) -> Iterator[TestClient]:
    """The explorer over the pilot graph with an upload cap of 1,000 bytes."""
    settings = Settings(upload_cap=1000, query_workers=1, warm=False)
    yield from _client(settings, Explorer(settings, pilot_kg))


@pytest.fixture(scope="session")
def hostile_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.ttl"
    path.write_text(HOSTILE_TTL, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def hostile_client(hostile_file: Path) -> Iterator[TestClient]:
    """The explorer over :data:`HOSTILE_TTL` alone."""
    yield from _client(
        Settings(query_workers=2, data=(hostile_file,), query_timeout=3.0, warm=False)
    )
