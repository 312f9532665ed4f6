"""pathways.catalogue: the label rule, the fact readers and scheme_named.

Oracles
-------
* Language matching: the example of W3C SPARQL 1.1 Query, section 17.4.3.2
  (``langMatches``): with titles "That Seventies Show"@en, "Cette Série des Années
  Soixante-dix"@fr, "Cette Série des Années Septante"@fr-BE and the untagged "Il Buono,
  il Bruto, il Cattivo", ``langMatches(lang(?title), "FR")`` selects the two French
  ones. Our Python rule and Oxigraph's evaluation of our query must both say so.
* The label rule in Python and in SPARQL are one rule: for random candidate sets the
  query run by Oxigraph (a peer implementation of SPARQL) picks what
  :func:`best_label` picks.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from pathways.catalogue.facts import Fee, credits, eqf_levels, fees, notional_hours
from pathways.catalogue.schemes import scheme_named
from pathways.errors import UsageError
from pathways.rdf.labels import (
    LABEL_PROPERTIES,
    best_label,
    best_label_query,
    label_from_key,
    language_rank,
)
from pathways.rdf.sparql_tsv import cell_key, cell_value
from pathways.rdf.store import KnowledgeGraph
from pathways.vocab import PW

SPARQL_17_4_3_2 = [
    ("That Seventies Show", "en"),
    ("Cette Série des Années Soixante-dix", "fr"),
    ("Cette Série des Années Septante", "fr-BE"),
    ("Il Buono, il Bruto, il Cattivo", None),
]


def _best(kg: KnowledgeGraph, lang: str) -> dict[str, str]:
    """Subject -> ``?best`` key of the label query, as Oxigraph computes it."""
    rows = {}
    for subject, best in kg.select_cells(best_label_query(lang))[1]:
        assert subject is not None and best is not None
        rows[cell_key(subject)] = cell_value(best)
    return rows


def _literal(text: str, tag: str | None) -> str:
    return f'"{text}"' + (f"@{tag}" if tag else "")


def test_language_matching_is_sparql_langmatches() -> None:
    french = {t for t, tag in SPARQL_17_4_3_2 if language_rank(tag, "FR") == 0}
    assert french == {"Cette Série des Années Soixante-dix", "Cette Série des Années Septante"}
    kg = KnowledgeGraph.open()
    for i, (text, tag) in enumerate(SPARQL_17_4_3_2):
        kg.store.update(f"INSERT DATA {{ <urn:x:{i}> <{RDFS.label}> {_literal(text, tag)} }}")
    rows = _best(kg, "FR")
    # Oxigraph's langMatches ranks each title as the Python rule does (digit 1 of the key).
    for i, (text, tag) in enumerate(SPARQL_17_4_3_2):
        assert rows[f"urn:x:{i}"] == f"{language_rank(tag, 'FR')}3{text}"
    together = " ; ".join(f"<{RDFS.label}> {_literal(t, tag)}" for t, tag in SPARQL_17_4_3_2)
    kg.store.update(f"INSERT DATA {{ <urn:x:all> {together} }}")
    assert kg.label(URIRef("urn:x:all"), "FR") in french
    assert kg.label(URIRef("urn:x:all"), "en") == "That Seventies Show"
    assert kg.label(URIRef("urn:x:all"), "it") == "Il Buono, il Bruto, il Cattivo"  # untagged


_TEXT = st.text(alphabet="abcAB é", min_size=1, max_size=4)
_TAG = st.sampled_from([None, "en", "en-GB", "es", "fi", "de"])
_CANDIDATE = st.tuples(st.sampled_from(LABEL_PROPERTIES), _TEXT, _TAG)


@settings(max_examples=60, deadline=None)
@given(st.lists(_CANDIDATE, min_size=1, max_size=6), st.sampled_from(["en", "es", "fi"]))
def test_sparql_and_python_choose_the_same_label(
    candidates: list[tuple[str, str, str | None]], lang: str
) -> None:
    kg = KnowledgeGraph.open()
    triples = " . ".join(f"<urn:x:c> <{p}> {_literal(t, tag)}" for p, t, tag in candidates)
    kg.store.update(f"INSERT DATA {{ {triples} }}")
    expected = best_label(candidates, lang)
    assert kg.label(URIRef("urn:x:c"), lang) == expected
    rows = _best(kg, lang)
    assert label_from_key(rows["urn:x:c"]) == expected


def test_property_order_within_one_language() -> None:
    candidates = [
        (str(RDFS.label), "a label", "en"),
        (str(SKOS.prefLabel), "a prefLabel", "en"),
        (str(PW.name), "a name", "en"),
        (str(PW.title), "z title", "en"),
    ]
    assert best_label(candidates) == "z title"
    assert best_label(candidates[:3]) == "a name"
    assert best_label(candidates[:2]) == "a prefLabel"


def test_a_bad_reader_language_is_refused() -> None:
    with pytest.raises(UsageError):
        best_label_query('en") } DROP ALL #')


def _kg(turtle: str) -> KnowledgeGraph:
    kg = KnowledgeGraph.open()
    kg.store.update(
        "PREFIX pw: <https://w3id.org/pathways/vocab#> "
        "PREFIX eqf: <http://data.europa.eu/snb/eqf/> "
        f"INSERT DATA {{ {turtle} }}"
    )
    return kg


def test_each_reader_takes_the_smallest() -> None:
    kg = _kg(
        "<urn:c> pw:notionalHours 60.0, 25, 40.0 ; pw:eqfLevel eqf:5, eqf:4 ;"
        ' pw:fee [ pw:amount 90 ; pw:currency "EUR" ], [ pw:amount 75.5 ; pw:currency "EUR" ] ;'
        " pw:credit [ pw:creditAmount 3 ; pw:creditUnit <urn:u:h> ],"
        " [ pw:creditAmount 2.0 ; pw:creditUnit <urn:u:ects> ] ."
        " <urn:u:h> pw:hoursPerUnit 27 . <urn:u:ects> pw:hoursPerUnit 27 ."
    )
    assert notional_hours(kg) == {"urn:c": Decimal(25)}
    assert fees(kg) == {"urn:c": Fee(Decimal("75.5"), "EUR")}
    assert credits(kg) == {"urn:c": Decimal(2)}
    # EQF level numbers come from the bundled ontology (ontology/levels.ttl).
    assert eqf_levels(kg)["urn:c"] == 4


def test_a_value_that_is_not_a_number_is_skipped() -> None:
    kg = _kg('<urn:c> pw:notionalHours "forty", 30 . <urn:d> pw:notionalHours "x" .')
    assert notional_hours(kg) == {"urn:c": Decimal(30)}


def test_scheme_named_takes_four_names_and_refuses_ambiguity() -> None:
    schemes = {
        "https://w3id.org/pathways/pilot/scheme-a": "funding-a",
        "https://example.org/other/scheme-a": None,
    }
    assert scheme_named(schemes, "funding-a") == "https://w3id.org/pathways/pilot/scheme-a"
    assert scheme_named(schemes, "pilot:scheme-a") == "https://w3id.org/pathways/pilot/scheme-a"
    with pytest.raises(UsageError, match="names 2 funding schemes"):
        scheme_named(schemes, "scheme-a")
    with pytest.raises(UsageError, match=r"known schemes: funding-a \(pilot:scheme-a\)"):
        scheme_named(schemes, "nope")
