"""Filter values are checked against the graph before a route is sought (issue 13):
``countries=ES`` now means country:ESP, and a value no credential states is an error
naming what the graph has, not "no route"."""

from __future__ import annotations

import networkx as nx
import pytest

from pathways.catalogue.projection import project
from pathways.errors import NotFoundError, UsageError
from pathways.rdf.store import KnowledgeGraph
from pathways.routing import Filters, plan_route
from pathways.routing.filters import checked_filters
from pathways.routing.gaps import skill_gap
from tests.constants import PILOT

ESP = "http://publications.europa.eu/resource/authority/country/ESP"
HV_2S = str(PILOT["es-hv-2s"])
BATTERY_TECHNICIAN = "http://data.europa.eu/esco/occupation/06bd6285-13ed-4ea7-90cc-e9638a0600a9"


@pytest.fixture(scope="module")
def g(pilot_kg: KnowledgeGraph) -> nx.DiGraph:
    return project(pilot_kg)


def test_alpha2_country_routes_like_alpha3(g: nx.DiGraph) -> None:
    """Was "no route" (exit 1): ES excluded every credential offered in ESP."""
    two = plan_route(g, HV_2S, filters=Filters(countries=("ES",)))
    three = plan_route(g, HV_2S, filters=Filters(countries=("ESP",)))
    assert [s.iri for s in two.best.steps] == [s.iri for s in three.best.steps]
    assert checked_filters(g, Filters(countries=("es",))).countries == (ESP,)


def test_iso639_3_language_routes_like_its_bcp47_tag(g: nx.DiGraph) -> None:
    spa = plan_route(g, HV_2S, filters=Filters(languages=("spa",)))
    es = plan_route(g, HV_2S, filters=Filters(languages=("es",)))
    assert spa.best == es.best


@pytest.mark.parametrize(
    ("filters", "error", "words"),
    [
        (Filters(countries=("DE",)), NotFoundError, "the data has: ESP, FIN, PRT"),
        (Filters(countries=("Spain",)), UsageError, "give ES or ESP"),
        (Filters(languages=("spanish",)), UsageError, "give es; the data has: en, es, fi"),
        (Filters(languages=("de",)), NotFoundError, "languages=de matches no credential"),
        (
            Filters(providers=(str(PILOT["org-hv-campu"]),)),
            NotFoundError,
            "did you mean pilot:org-hv-campus?",
        ),
        (Filters(providers=(str(PILOT["org-anqep"]),)), NotFoundError, "matches no credential"),
    ],
)
def test_values_that_match_nothing_are_refused(
    g: nx.DiGraph, filters: Filters, error: type[Exception], words: str
) -> None:
    for call in (
        lambda: plan_route(g, HV_2S, filters=filters),
        lambda: skill_gap(g, BATTERY_TECHNICIAN, filters=filters),
    ):
        with pytest.raises(error) as caught:
            call()
        assert words in str(caught.value)
