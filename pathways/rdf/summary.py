"""What a knowledge graph holds: counts per class, credentials per level and country.

>>> from pathways.rdf.store import KnowledgeGraph
>>> s = summarize(KnowledgeGraph.open())
>>> s.credentials, s.ontology_triples == s.triples
(0, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pathways.rdf.labels import best_label_query, label_from_key
from pathways.rdf.store import KnowledgeGraph, ontology_store

__all__ = ["Summary", "summarize"]


@dataclass(frozen=True)
class Summary:
    """Counts describing a knowledge graph; mappings are sorted by key."""

    triples: int
    ontology_triples: int
    classes: dict[str, int]
    credentials: int
    levels: dict[str, int]
    countries: dict[str, int]
    labels: dict[str, str]

    def as_json(self) -> dict[str, object]:
        """The documented JSON form (``pathways info --format json``)."""
        return {
            "triples": self.triples,
            "ontology_triples": self.ontology_triples,
            "data_triples": self.triples - self.ontology_triples,
            "credentials": self.credentials,
            "classes": self.classes,
            "levels": self.levels,
            "countries": self.countries,
        }


@cache
def _ontology_type_counts() -> tuple[int, dict[str, int]]:
    store = ontology_store()
    counts: dict[str, int] = {}
    for row in store.query("SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"):  # type: ignore[union-attr]
        counts[row["c"].value] = int(row["n"].value)
    return len(store) + 1, counts  # + the store-format marker


def _labels(kg: KnowledgeGraph, iris: set[str]) -> dict[str, str]:
    """The labels of ``iris`` that have one, by the one label rule."""
    labels = {}
    for iri in sorted(iris):
        rows = kg.select(best_label_query(node=f"<{iri}>"))
        best = rows[0].get("best") if rows else None
        if best is not None:
            labels[iri] = label_from_key(str(best))
    return labels


def summarize(kg: KnowledgeGraph) -> Summary:
    """Count what ``kg`` holds beyond the bundled ontology."""
    ontology_size, ontology_counts = _ontology_type_counts()
    classes: dict[str, int] = {}
    for row in kg.raw_query("SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"):
        iri = row["c"].value
        n = int(row["n"].value) - ontology_counts.get(iri, 0)
        if n > 0:
            classes[iri] = n
    levels: dict[str, int] = {}
    for row in kg.raw_query(
        """SELECT ?level (COUNT(DISTINCT ?c) AS ?n) WHERE {
             ?c a/rdfs:subClassOf* pw:CredentialSpecification ; pw:eqfLevel ?level .
           } GROUP BY ?level"""
    ):
        levels[row["level"].value] = int(row["n"].value)
    countries: dict[str, int] = {}
    for row in kg.raw_query(
        """SELECT ?country (COUNT(DISTINCT ?c) AS ?n) WHERE {
             ?c a/rdfs:subClassOf* pw:CredentialSpecification ; pw:country ?country .
           } GROUP BY ?country"""
    ):
        countries[row["country"].value] = int(row["n"].value)
    labels = _labels(kg, {*levels, *countries})
    credentials = kg.raw_query(
        """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
             ?c a/rdfs:subClassOf* pw:CredentialSpecification }"""
    )
    return Summary(
        triples=len(kg),
        ontology_triples=ontology_size,
        classes=dict(sorted(classes.items())),
        credentials=int(next(iter(credentials))["n"].value),
        levels=dict(sorted(levels.items(), key=lambda kv: (len(kv[0]), kv[0]))),
        countries=dict(sorted(countries.items())),
        labels=labels,
    )
