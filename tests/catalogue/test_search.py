"""Full-text search and facet counts over a small graph written for the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathways.catalogue.search import CatalogueIndex, catalogue_index, fold, search
from pathways.rdf.store import KnowledgeGraph

TTL = """\
@prefix pw: <https://w3id.org/pathways/vocab#> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .
@prefix eqf: <http://data.europa.eu/snb/eqf/> .
<urn:a> a pw:MicroCredential ;
    pw:title "Baterías de alta tensión"@es , "High-voltage batteries"@en ;
    pw:country country:ESP ; pw:eqfLevel eqf:4 ; pw:notionalHours 12 ;
    pw:language "ES"^^<http://www.w3.org/2001/XMLSchema#language> .
<urn:b> a pw:MicroCredential ;
    pw:title "Sähköajoneuvon huolto"@fi ; pw:description "EV service"@en ;
    pw:country country:FIN ; pw:eqfLevel eqf:4 ; pw:notionalHours 150, 120 .
<urn:c> a pw:Qualification ; pw:title "Técnico en electromecánica"@es ; pw:country country:ESP .
"""
ESP = "http://publications.europa.eu/resource/authority/country/ESP"
EQF4 = "http://data.europa.eu/snb/eqf/4"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CatalogueIndex:
    path: Path = tmp_path_factory.mktemp("search") / "small.ttl"
    path.write_text(TTL, encoding="utf-8")
    kg = KnowledgeGraph.open()
    kg.load([path])
    return catalogue_index(kg)


def test_every_word_must_occur_in_some_language(index: CatalogueIndex) -> None:
    assert [h.iri for h in search(index, "tension").hits] == ["urn:a"]  # "tensión", es
    assert [h.iri for h in search(index, "HIGH voltage").hits] == ["urn:a"]
    assert [h.iri for h in search(index, "ev service").hits] == ["urn:b"]  # a description
    assert search(index, "battery tension zzz").total == 0
    assert search(index, "").total == 3


def test_facets_count_the_hits_and_selections_combine(index: CatalogueIndex) -> None:
    result = search(index, "", {"country": [ESP]})
    assert {h.iri for h in result.hits} == {"urn:a", "urn:c"}
    counts = {f.name: {v.value: v.count for v in f.values} for f in result.facets}
    assert counts["country"] == {ESP: 2}
    assert counts["eqf_level"] == {EQF4: 1}
    assert sum(counts["type"].values()) == 2
    both = search(index, "", {"country": [ESP], "eqf_level": [EQF4]})
    assert [h.iri for h in both.hits] == ["urn:a"]
    assert search(index, "", {"no-such-facet": ["x"]}).total == 3


def test_a_selected_value_without_hits_is_still_listed(index: CatalogueIndex) -> None:
    result = search(index, "huolto", {"country": [ESP]})
    (country,) = [f for f in result.facets if f.name == "country"]
    assert [(v.value, v.count, v.selected) for v in country.values] == [(ESP, 0, True)]


def test_paging_is_clamped(index: CatalogueIndex) -> None:
    first = search(index, "", page=1, page_size=2)
    last = search(index, "", page=99, page_size=2)
    assert (first.pages, len(first.hits), last.page, len(last.hits)) == (2, 2, 2, 1)
    assert {h.iri for h in first.hits} | {h.iri for h in last.hits} == {"urn:a", "urn:b", "urn:c"}


def test_fold_ignores_case_and_accents() -> None:
    assert fold("  Técnico\tEN Électricité ") == "tecnico en electricite"


def test_hours_ranges_and_languages_are_facets(index: CatalogueIndex) -> None:
    result = search(index, "")
    counts = {f.name: {v.value: (v.label, v.count) for v in f.values} for f in result.facets}
    # urn:b states two workloads: read as the smallest, 120 (pathways.catalogue.facts)
    assert counts["hours"] == {"hours-10-30": ("10 to 29 h", 1), "hours-120-": ("120 h or more", 1)}
    assert counts["language"] == {"es": ("es", 1)}  # tags compared without case
    assert [h.iri for h in search(index, "", {"hours": ["hours-120-"]}).hits] == ["urn:b"]
