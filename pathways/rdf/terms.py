"""Writing ground RDF terms in the syntax N-Triples, Turtle and SPARQL share.

One writer for the SPARQL the store and the validation compiler generate and for the
Turtle of validation reports.

>>> from rdflib import BNode, Literal, URIRef, XSD
>>> ground_term(Literal('say "hi"\\n', lang="en"))
'"say \\\\"hi\\\\"\\\\n"@en'
>>> ground_term(Literal("4", datatype=XSD.integer), iri=lambda i: "xsd:integer")
'"4"^^xsd:integer'
>>> ground_term(URIRef("urn:x:a")), ground_term(BNode("b")) is None
('<urn:x:a>', True)
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

__all__ = ["ground_term", "quoted"]


def quoted(text: str) -> str:
    """A string literal in double quotes, with backslash, quote and line breaks escaped."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\n", "\\n").replace("\r", "\\r") + '"'


def _angle(iri: str) -> str:
    return f"<{iri}>"


def ground_term(node: Node, iri: Callable[[str], str] = _angle) -> str | None:
    """An IRI (written by ``iri``, ``<iri>`` by default) or a literal with its language
    or datatype; None for a blank node, which a query or report cannot name."""
    if isinstance(node, URIRef):
        return iri(str(node))
    if isinstance(node, Literal):
        text = quoted(str(node))
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None and node.datatype != XSD.string:
            return f"{text}^^{iri(str(node.datatype))}"
        return text
    return None
