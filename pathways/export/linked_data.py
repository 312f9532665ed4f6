"""Linked-data exports: Turtle, N-Triples, JSON-LD and RDF/XML, byte-for-byte deterministic.

Blank nodes get canonical labels (Oxigraph's RDF canonicalization), triples are sorted,
and Oxigraph's serializers write them, so the same graph always gives the same bytes
whatever order it was loaded in. The bundled ontology is left out unless asked for.

>>> from pathways.rdf.store import KnowledgeGraph
>>> kg = KnowledgeGraph.open()
>>> turtle(kg, ExportOptions(include_ontology=True)).startswith(b"@prefix")
True
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import pyoxigraph as ox

from pathways.export import ExportOptions, exporter
from pathways.rdf.store import KnowledgeGraph, ontology_quads, ontology_store
from pathways.vocab import PREFIXES, STORE_FORMAT, XSD_STRING

#: Where the vocabulary's JSON-LD context is published (a copy ships with the package).
CONTEXT_URL = "https://w3id.org/pathways/context.jsonld"

__all__ = [
    "CONTEXT_URL",
    "canonical_triples",
    "jsonld",
    "ntriples",
    "rdfxml",
    "turtle",
    "vocabulary_context",
]


@cache
def _ontology_triples() -> frozenset[tuple[object, ...]]:
    """Keys of the ontology's IRI-subject triples, as a store returns them (normalised
    literals) and as written (a graph gives data literals as written, see
    :mod:`pathways.rdf.store`); a blank-node object is keyed without its label, which
    differs per load."""
    stored = ontology_store().quads_for_pattern(None, None, None, None)
    return frozenset(
        _key(q.triple)
        for q in (*stored, *ontology_quads())
        if not isinstance(q.subject, ox.BlankNode)
    )


def _key(triple: ox.Triple) -> tuple[object, ...]:
    if isinstance(triple.object, ox.BlankNode):
        return (triple.subject, triple.predicate)
    return (triple.subject, triple.predicate, triple.object)


def _sort_key(triple: ox.Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))


def canonical_triples(kg: KnowledgeGraph, options: ExportOptions) -> list[ox.Triple]:
    """The graph's triples with canonical blank-node labels, in a stable order.

    Without ``include_ontology``, the bundled ontology's triples (and the blank-node
    structures hanging from them, such as owl:unionOf lists) are left out.
    """
    skip = frozenset() if options.include_ontology else _ontology_triples()
    dataset = ox.Dataset()
    frontier: list[ox.BlankNode] = []
    for quad in kg.quads():
        triple = quad.triple
        if triple.predicate.value == STORE_FORMAT or (skip and _key(triple) in skip):
            if isinstance(triple.object, ox.BlankNode):
                frontier.append(triple.object)
            continue
        dataset.add(ox.Quad(triple.subject, triple.predicate, triple.object, ox.DefaultGraph()))
    seen: set[ox.BlankNode] = set()
    while frontier:  # remove what hangs from skipped triples
        node = frontier.pop()
        if node in seen:
            continue
        seen.add(node)
        for quad in list(dataset.quads_for_subject(node)):
            dataset.remove(quad)
            if isinstance(quad.object, ox.BlankNode):
                frontier.append(quad.object)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return sorted((q.triple for q in dataset), key=_sort_key)


def _serialize(kg: KnowledgeGraph, options: ExportOptions, fmt: ox.RdfFormat) -> bytes:
    triples = canonical_triples(kg, options)
    prefixes = None if fmt == ox.RdfFormat.N_TRIPLES else _used_prefixes(triples)
    data = ox.serialize(triples, format=fmt, prefixes=prefixes)
    assert data is not None
    return data if not data.strip() or data.endswith(b"\n") else data + b"\n"


def _used_prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    iris = {
        t.value
        for triple in triples
        for t in (triple.subject, triple.predicate, triple.object)
        if isinstance(t, ox.NamedNode)
    }
    iris |= {
        triple.object.datatype.value for triple in triples if isinstance(triple.object, ox.Literal)
    }
    # Each IRI votes for the longest namespace that leaves a plain local name (no "/",
    # "#" or "?", which Turtle would have to escape); unused prefixes are not written.
    by_length = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
    used: set[str] = set()
    for iri in iris:
        for prefix, namespace in by_length:
            if iri.startswith(namespace) and not any(c in iri[len(namespace) :] for c in "/#?"):
                used.add(prefix)
                break
    return {prefix: namespace for prefix, namespace in PREFIXES.items() if prefix in used}


@exporter("turtle", "text/turtle", "Turtle, prefixed, sorted by subject")
def turtle(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    """Turtle with the project's prefixes, sorted by subject."""
    return _serialize(kg, options, ox.RdfFormat.TURTLE)


@exporter("ntriples", "application/n-triples", "N-Triples, sorted lines")
def ntriples(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    """Canonical N-Triples, one sorted line per triple."""
    return _serialize(kg, options, ox.RdfFormat.N_TRIPLES)


@cache
def _context_text() -> str:
    path = resources.files("pathways.export") / "contexts" / "pathways.jsonld"
    return path.read_text(encoding="utf-8")


def vocabulary_context() -> dict[str, Any]:
    """The JSON-LD context of the vocabulary, as published at :data:`CONTEXT_URL`.

    Terms are the local names of the ontology's classes and properties; object
    properties take IRIs, typed literals are coerced, and titles, names and
    descriptions are language maps.

    Examples
    --------
    >>> context = vocabulary_context()
    >>> context["MicroCredential"], context["prerequisite"]["@type"]
    ('pw:MicroCredential', '@id')
    >>> context["title"]["@container"]
    '@language'
    """
    context: dict[str, Any] = json.loads(_context_text())["@context"]
    return context


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class _Compactor:
    """Compacts triples with the vocabulary context, the way a JSON-LD processor would
    for this context (terms for pw: names, prefixes for other IRIs, coerced values)."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.prefixes = sorted(
            ((name, value) for name, value in context.items() if isinstance(value, str)),
            key=lambda item: -len(item[1]),
        )
        self.prefixes = [(n, ns) for n, ns in self.prefixes if ns[-1:] in ("/", "#")]
        self.terms: dict[str, tuple[str, dict[str, Any]]] = {}
        for name, value in context.items():
            if name.startswith("@") or name in ("id", "type"):
                continue
            definition = {"@id": value} if isinstance(value, str) else value
            if definition["@id"].startswith("pw:"):
                iri = PREFIXES["pw"] + definition["@id"][3:]
                self.terms[iri] = (name, definition)

    def iri(self, value: str) -> str:
        for name, namespace in self.prefixes:
            if value.startswith(namespace) and len(value) > len(namespace):
                return f"{name}:{value[len(namespace) :]}"
        return value

    def node_id(self, term: Any) -> str:
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        return self.iri(term.value)

    def type_name(self, term: Any) -> str:
        known = self.terms.get(term.value)
        return known[0] if known else self.node_id(term)

    def value_object(self, term: Any) -> Any:
        if not isinstance(term, ox.Literal):
            return {"id": self.node_id(term)}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": self.iri(term.datatype.value)}

    def add(self, node: dict[str, Any], predicate: str, term: Any) -> None:
        name, definition = self.terms.get(predicate, (self.iri(predicate), {}))
        coerced = definition.get("@type")
        literal = isinstance(term, ox.Literal)
        if definition.get("@container") == "@language" and literal and term.language:
            languages = node.setdefault(name, {})
            languages.setdefault(term.language, []).append(term.value)
            return
        if coerced == "@id" and not literal:
            value: Any = self.node_id(term)
        elif coerced and literal and self.iri(term.datatype.value) == coerced:
            value = term.value
        elif not definition or (not coerced and "@container" not in definition):
            value = self.value_object(term)
        else:  # the term's coercion does not fit this value: use the plain compact IRI
            name, value = self.iri(predicate), self.value_object(term)
        node.setdefault(name, []).append(value)


def _single(values: Any) -> Any:
    """One value as itself, several as a sorted list (JSON-LD sets are unordered)."""
    if isinstance(values, dict):
        return {key: _single(item) for key, item in sorted(values.items())}
    if len(values) == 1:
        return values[0]
    return sorted(values, key=lambda item: json.dumps(item, sort_keys=True))


def _compacted(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    context = vocabulary_context()
    compactor = _Compactor(context)
    nodes: dict[str, dict[str, Any]] = {}
    for triple in canonical_triples(kg, options):
        key = compactor.node_id(triple.subject)
        node = nodes.setdefault(key, {})
        if triple.predicate.value == _RDF_TYPE and not isinstance(triple.object, ox.Literal):
            node.setdefault("type", []).append(compactor.type_name(triple.object))
        else:
            compactor.add(node, triple.predicate.value, triple.object)
    graph = [
        {"id": key, **{name: _single(values) for name, values in sorted(node.items())}}
        for key, node in sorted(nodes.items())
    ]
    reference: Any = CONTEXT_URL if options.jsonld_context == "published" else context
    text = json.dumps({"@context": reference, "@graph": graph}, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


@exporter("jsonld", "application/ld+json", "JSON-LD compacted with the pathways context")
def jsonld(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    """JSON-LD, compacted with the vocabulary context, nodes sorted by identifier.

    ``options.jsonld_context`` chooses how: ``"embedded"`` (the default) writes the
    context object inline, so the file reloads offline; ``"published"`` refers to
    :data:`CONTEXT_URL`; ``"expanded"`` writes expanded JSON-LD without a context.

    Examples
    --------
    >>> kg = KnowledgeGraph.open()
    >>> kg.store.update("INSERT DATA { <urn:a> <%snotionalHours> 4.0 }" % PREFIXES["pw"])
    >>> print(jsonld(kg, ExportOptions(jsonld_context="published")).decode())
    {
      "@context": "https://w3id.org/pathways/context.jsonld",
      "@graph": [
        {
          "id": "urn:a",
          "notionalHours": "4"
        }
      ]
    }
    <BLANKLINE>
    """
    if options.jsonld_context == "expanded":
        return _serialize(kg, options, ox.RdfFormat.JSON_LD)
    return _compacted(kg, options)


@exporter("rdfxml", "application/rdf+xml", "RDF/XML, sorted by subject")
def rdfxml(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    """RDF/XML with the project's prefixes as XML namespaces."""
    return _serialize(kg, options, ox.RdfFormat.RDF_XML)
