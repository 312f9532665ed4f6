"""SPARQL mistakes in words (issue 13): misspelt terms of the closed pw: vocabulary are
warned about, syntax errors say what was found where and what was meant."""

from __future__ import annotations

import pytest

from pathways.errors import QueryError
from pathways.rdf.sparql import run_query
from pathways.rdf.sparql_check import closed_terms, vocabulary_warnings
from pathways.rdf.store import KnowledgeGraph
from tests.constants import ONTOLOGY


def test_the_closed_vocabulary_is_what_the_ontology_defines() -> None:
    text = "".join(p.read_text() for p in sorted(ONTOLOGY.glob("*.ttl")))
    assert {"title", "notionalHours", "CredentialSpecification"} <= closed_terms()
    for term in sorted(closed_terms())[:40]:
        assert f"pw:{term}" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * { ?c pw:titel ?t }", ["pw:titel", "did you mean pw:title?"]),
        ("SELECT * { ?c <https://w3id.org/pathways/vocab#notionalHour> ?h }", ["pw:notionalHour"]),
        ("SELECT * { ?c pw:title ?t ; pw:notionalHours ?h }", []),
        ("SELECT * { ?c rdfs:comment 'see pw:titel' } # pw:titel", []),  # strings, comments
        ("PREFIX pw: <urn:other#> SELECT * { ?c pw:titel ?t }", []),  # another namespace
    ],
)
def test_vocabulary_warnings(query: str, expected: list[str]) -> None:
    warnings = " ".join(vocabulary_warnings(query))
    for words in expected:
        assert words in warnings
    assert bool(warnings) == bool(expected)


def test_a_misspelt_term_still_runs(
    empty_kg: KnowledgeGraph, caplog: pytest.LogCaptureFixture
) -> None:
    outcome = run_query(empty_kg, "SELECT ?t WHERE { ?c pw:titel ?t }")
    assert outcome.rows == ()
    assert "did you mean pw:title?" in caplog.text


@pytest.mark.parametrize(
    ("query", "words"),
    [
        (
            "SELEC ?x WHERE { ?x ?p ?o }",
            ["line 1, column 1: found 'SELEC'", "SELECT", "did you mean SELECT?"],
        ),
        ("SELECT ?x WHER { ?x ?p ?o }", ["line 1, column 11: found 'WHER'", "did you mean WHERE?"]),
        ("SELECT ?x WHERE { ?x ?p ?o } LIMT 3", ["column 30: found 'LIMT'", "did you mean LIMIT?"]),
        ("SELECT ?x WHERE {\n  ?x ?p ?o", ["'{' at line 1, column 17 still open"]),
        (
            "PREFIX pw: <https://w3id.org/pathways/vocab#>\nSELECT ?x WHERE {\n ?x pilt:titel ?o }",
            [
                "unknown prefix 'pilt:' at line 3, column 5",
                "did you mean 'pilot:'?",
                "known prefixes: ",
            ],
        ),
    ],
)
def test_syntax_errors_in_words(empty_kg: KnowledgeGraph, query: str, words: list[str]) -> None:
    """Was "expected CONSTRUCT" for SELEC and a list of Unicode ranges for a prefix."""
    with pytest.raises(QueryError) as caught:
        run_query(empty_kg, query)
    message = str(caught.value)
    for word in words:
        assert word in message
    assert "\\u{" not in message and "expected CONSTRUCT" not in message
