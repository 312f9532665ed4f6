"""A warming server answers search at once from the catalogue's own index and says
which facets validation is still deciding; a search that selects them waits."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pathways.catalogue.search import CatalogueIndex
from pathways.rdf.store import KnowledgeGraph
from pathways.web import Explorer, Settings, create_app, facets


@pytest.fixture
def slow_validation(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The full index is held back until the event is set."""
    release = threading.Event()
    build = facets._build

    def held(ex: Explorer, lang: str) -> CatalogueIndex:
        assert release.wait(30)
        return build(ex, lang)

    monkeypatch.setattr(facets, "_build", held)
    yield release
    release.set()


def test_search_answers_from_the_catalogue_while_validation_runs(
    pilot_kg: KnowledgeGraph, slow_validation: threading.Event
) -> None:
    settings = Settings(warm=True, query_workers=1)
    ex = Explorer(settings, pilot_kg)
    index, pending = facets.search_index_now(ex, "en", {})
    assert pending == facets.VALIDATED
    assert not set(facets.VALIDATED) & set(index.facet_names)
    app = create_app(explorer=ex)
    with TestClient(app) as client:
        page = client.get("/search.json").json()
        assert page["pending_facets"] == ["conditionality", "eligible"]
        assert page["total"] > 0 and "conditionality" not in page["facets"]
        html = client.get("/search").text
        assert 'class="facet pending" data-facet="conditionality"' in html
        slow_validation.set()
        # a search selecting a validated facet waits for it
        chosen = client.get("/search.json", params={"conditionality": "all-legs-met"}).json()
        assert chosen["pending_facets"] == [] and chosen["total"] > 0
        for _ in range(100):  # the background build finishes
            if ex.ready(("search-index", "en")):
                break
            time.sleep(0.05)
        after = client.get("/search.json").json()
        assert after["pending_facets"] == [] and "conditionality" in after["facets"]


def test_without_warming_every_search_waits_for_the_full_index(
    pilot_kg: KnowledgeGraph,
) -> None:
    ex = Explorer(Settings(query_workers=2, warm=False), pilot_kg)
    index, pending = facets.search_index_now(ex, "en", {})
    assert pending == () and "conditionality" in index.facet_names


def test_the_status_says_what_is_computed(pilot_kg: KnowledgeGraph) -> None:
    ex = Explorer(Settings(query_workers=2, warm=False), pilot_kg)
    with TestClient(create_app(explorer=ex)) as client:
        before = client.get("/api/status").json()
        assert before == {
            "warm": False,
            "facts": {"catalogue": False, "validation": False, "search_index": False},
        }
        client.get("/search.json")
        after = client.get("/api/status").json()
        assert after["warm"] is True and all(after["facts"].values())


def test_a_store_serves_the_index_its_load_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from pathways.cli import main
    from pathways.web import credential

    store = tmp_path / "store"
    data = Path(__file__).resolve().parents[2] / "data"
    assert CliRunner().invoke(main, ["load", str(data), "--store", str(store)]).exit_code == 0

    def not_again(*_args: object) -> None:
        raise AssertionError("the index was computed, not read from the store")

    monkeypatch.setattr(credential, "catalogue_index", not_again)
    ex = Explorer(Settings(query_workers=2, store=store, warm=False))
    with TestClient(create_app(explorer=ex)) as client:
        page = client.get("/search.json", params={"q": "battery"}).json()
        assert page["total"] > 0
        spanish = client.get("/search.json", params={"lang": "es"}).json()
        everything = client.get("/search.json").json()
        assert spanish["lang"] == "es" and spanish["total"] == everything["total"]
