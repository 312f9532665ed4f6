"""Typed readers of rdflib graphs for tests (``Graph.value`` returns ``Node | None``)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node


def literal(g: Graph, s: Node | None, p: URIRef) -> Literal:
    """The one literal ``s p ?`` in ``g``; fails the test when it is absent or not a literal."""
    value = g.value(s, p)
    assert isinstance(value, Literal), f"{s} {p}: {value!r} is not a literal"
    return value


def iri(g: Graph, s: Node | None, p: URIRef) -> URIRef:
    """The one IRI ``s p ?`` in ``g``; fails the test when it is absent or not an IRI."""
    value = g.value(s, p)
    assert isinstance(value, URIRef), f"{s} {p}: {value!r} is not an IRI"
    return value
