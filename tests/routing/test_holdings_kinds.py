"""Holdings and goals of the wrong kind are named as such (issue 13)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from pathways.catalogue.projection import project
from pathways.errors import InputError, NotFoundError, UsageError
from pathways.rdf.store import KnowledgeGraph
from pathways.routing import plan_route
from pathways.routing.holdings import Award, read_holdings, resolve_holdings
from tests.constants import PILOT

OCCUPATION = "http://data.europa.eu/esco/occupation/06bd6285-13ed-4ea7-90cc-e9638a0600a9"


@pytest.fixture(scope="module")
def g(pilot_kg: KnowledgeGraph) -> nx.DiGraph:
    return project(pilot_kg)


def test_an_occupation_is_not_a_holding(g: nx.DiGraph) -> None:
    with pytest.raises(UsageError, match="is an occupation, not a credential") as caught:
        resolve_holdings([Award(OCCUPATION, "me.txt", 3)], g)
    assert str(caught.value).startswith("me.txt:3: ")


def test_a_misspelt_holding_gets_the_nearest_credential(g: nx.DiGraph) -> None:
    with pytest.raises(NotFoundError, match="did you mean pilot:es-hv-1s"):
        resolve_holdings([Award(str(PILOT["es-hv-1"]), "me.txt", 1)], g)


def test_a_misspelt_goal_gets_the_nearest(g: nx.DiGraph) -> None:
    with pytest.raises(NotFoundError, match="did you mean pilot:es-hv-2s"):
        plan_route(g, str(PILOT["es-hv-2"]))


@pytest.mark.parametrize("name", ["me.txt", "me.csv", "me.json", "me.ttl"])
def test_an_empty_holdings_file_names_nothing_held(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("")
    with pytest.raises(InputError, match="names no credential, prior learning or skill"):
        read_holdings(path)
