"""The EU's controlled vocabularies as the bundled ontology declares them.

Two look-ups the ELM importer needs, both read from the ontology (never from the EU's
files at run time): which pathways concept stands for an EU concept (through
``skos:exactMatch`` / ``skos:closeMatch`` in ``ontology/vocabularies.ttl``, by the EU
IRI or, for a credential that coins its own concept, by the EU's English label as
``ontology/vocabularies-eu.ttl`` records it), and what a QDR national level is (its
framework, country and referenced EQF level).

>>> from pathways.vocab import PW
>>> match = equivalent(PW.AssessmentTypeScheme,
...                    URIRef("http://data.europa.eu/snb/assessment/de4d165a6c"))
>>> match.concept == PW.ArtefactAssessment, match.by
(True, 'IRI')
>>> equivalent(PW.AssessmentTypeScheme, URIRef("urn:x"), "Artefact assessment").by
'EU label'
>>> level = nqf_level(URIRef("http://data.europa.eu/snb/qdr/c_c392e7a2"))
>>> level.label, str(level.eqf), str(level.country)[-3:]
('RQF Level 6', 'http://data.europa.eu/snb/eqf/6', 'GBR')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import URIRef
from rdflib.term import Node

from pathways.rdf.store import ontology_store, to_rdflib
from pathways.vocab import PREFIXES

__all__ = ["Match", "NqfLevel", "equivalent", "nqf_level"]


@dataclass(frozen=True)
class Match:
    """A pathways concept for an EU value, and how it was found (``IRI`` or ``EU label``)."""

    concept: URIRef
    eu_concept: URIRef
    by: str


@dataclass(frozen=True)
class NqfLevel:
    """A level of a national qualifications framework in the EU's QDR vocabulary."""

    iri: URIRef
    label: str
    framework: URIRef
    framework_label: str
    country: URIRef | None
    eqf: URIRef | None


def _rows(sparql: str) -> list[tuple[Node | None, ...]]:
    result = ontology_store().query(sparql)
    names = [v.value for v in result.variables]  # type: ignore[union-attr]
    rows = []
    for solution in result:  # type: ignore[union-attr]
        rows.append(tuple(None if solution[n] is None else to_rdflib(solution[n]) for n in names))
    return rows


@cache
def _equivalents(scheme: URIRef) -> tuple[dict[URIRef, URIRef], dict[str, URIRef]]:
    """EU IRI -> pathways concept, and EU English label -> EU IRI, for one pathways scheme."""
    by_iri: dict[URIRef, URIRef] = {}
    by_label: dict[str, URIRef] = {}
    rows = _rows(
        f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?concept ?eu ?exact ?label WHERE {{
            ?concept skos:inScheme <{scheme}> .
            {{ ?concept skos:exactMatch ?eu BIND(true AS ?exact) }}
            UNION {{ ?concept skos:closeMatch ?eu BIND(false AS ?exact) }}
            OPTIONAL {{ ?eu skos:prefLabel ?label FILTER (lang(?label) = "en") }}
        }} ORDER BY DESC(?exact) ?concept"""
    )
    for concept, eu, _exact, label in rows:
        assert isinstance(concept, URIRef) and isinstance(eu, URIRef)
        by_iri.setdefault(eu, concept)
        if label is not None:
            by_label.setdefault(str(label).casefold(), eu)
    return by_iri, by_label


def equivalent(scheme: URIRef, value: Node, label: str = "") -> Match | None:
    """The concept of ``scheme`` (a pathways scheme) that stands for the EU value.

    ``value`` is looked up as an EU IRI first; failing that (or for a blank node),
    ``label`` (the value's ``skos:prefLabel``) is compared, case-insensitively and with
    runs of white space as one, with the EU's English labels. A pathways concept of the
    scheme that has an EU equivalent, given directly, is returned as itself.
    """
    by_iri, by_label = _equivalents(scheme)
    if isinstance(value, URIRef):
        if value in by_iri:
            return Match(by_iri[value], value, "IRI")
        if value in set(by_iri.values()):
            return Match(value, value, "IRI")
    eu = by_label.get(" ".join(label.split()).casefold())
    if eu is not None:
        return Match(by_iri[eu], eu, "EU label")
    return None


@cache
def _levels() -> dict[URIRef, NqfLevel]:
    rows = _rows(
        f"PREFIX pw: <{PREFIXES['pw']}>\n"
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?level ?label ?framework ?flabel ?country ?eqf WHERE {
            ?level skos:inScheme ?framework ; skos:prefLabel ?label .
            ?framework skos:inScheme <http://data.europa.eu/snb/qdr/25831c2> ;
                skos:prefLabel ?flabel .
            OPTIONAL { ?framework pw:country ?country }
            OPTIONAL { ?level pw:referencedEQFLevel ?eqf }
        }"""
    )
    levels = {}
    for level, label, framework, flabel, country, eqf in rows:
        assert isinstance(level, URIRef) and isinstance(framework, URIRef)
        levels[level] = NqfLevel(
            level,
            str(label),
            framework,
            str(flabel),
            country if isinstance(country, URIRef) else None,
            eqf if isinstance(eqf, URIRef) else None,
        )
    return levels


def nqf_level(iri: URIRef) -> NqfLevel | None:
    """The national level ``iri`` as the QDR vocabulary has it, or None if it is not one."""
    return _levels().get(iri)
