"""Reading SPARQL query results as TSV cells: the fast way out of Oxigraph.

Oxigraph serialises a whole SELECT result as SPARQL TSV in one call, in Rust and
without holding Python's GIL; splitting that text is several times cheaper than a
Python object per solution and term (measured: the projection of 100k credentials
and the validation of 10k both spent most of their time there). A cell is a term
in N-Triples/Turtle syntax: ``<iri>``, ``_:id``, ``"text"``, ``"text"@lang``,
``"4"^^<datatype>`` or a bare Turtle number or boolean; an unbound cell is empty.

>>> cell_value('"a \\\\"quoted\\\\" word"@en'), cell_language('"x"@en-gb')
('a "quoted" word', 'en-gb')
>>> cell_term("4.5")
rdflib.term.Literal('4.5', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
>>> parse_tsv(b'?a\\t?b\\n<x:s>\\t\\n')
(['a', 'b'], [('<x:s>', None)])
"""

from __future__ import annotations

import re

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

__all__ = [
    "Cell",
    "cell_key",
    "cell_language",
    "cell_term",
    "cell_value",
    "parse_tsv",
]

#: One TSV cell, or None when the variable is unbound in that row.
Cell = str | None

_LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?$')
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'"}
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?[0-9]*\.[0-9]+$")


def parse_tsv(data: bytes) -> tuple[list[str], list[tuple[Cell, ...]]]:
    """The variable names and rows of a SPARQL TSV result (empty cells become None)."""
    text = data.decode("utf-8")
    lines = (text[:-1] if text.endswith("\n") else text).split("\n")
    names = [name[1:] for name in lines[0].split("\t")] if lines[0] else []
    width = len(names)
    rows: list[tuple[Cell, ...]] = []
    for line in lines[1:]:
        cells = line.split("\t")
        if len(cells) != width:  # pragma: no cover - Oxigraph writes whole rows
            raise ValueError(f"a SPARQL TSV row has {len(cells)} cells, not {width}")
        rows.append(tuple(c or None for c in cells) if "" in cells else tuple(cells))
    return names, rows


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, code)

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", one, text)


def cell_key(cell: str) -> str:
    """The key of an IRI or blank-node cell: the IRI itself, or ``_:id``."""
    if cell[0] == "<":
        iri = cell[1:-1]
        return _unescape(iri) if "\\" in iri else iri
    return cell


def cell_value(cell: str) -> str:
    """The value of any cell: an IRI, a blank-node key or a literal's lexical form."""
    if cell[0] == '"':
        return _unescape(_literal(cell).group(1))
    return cell_key(cell)


def cell_language(cell: str) -> str | None:
    """A literal cell's language tag, if any."""
    return _literal(cell).group(2) if cell[0] == '"' else None


def _iri(text: str) -> URIRef:
    """``URIRef(text)`` without rdflib's validity check: Oxigraph only writes valid
    IRIs, and the check was a third of the cost of a term (URIRef is a plain str
    subclass without state of its own)."""
    return str.__new__(URIRef, text)


def cell_term(cell: str) -> Node:
    """The rdflib term of a cell (equal to what ``store.to_rdflib`` gives for it)."""
    first = cell[0]
    if first == "<":
        return _iri(cell_key(cell))
    if first == "_":
        return BNode(cell[2:])
    if first == '"':
        match = _literal(cell)
        text = _unescape(match.group(1))
        if match.group(2):
            return Literal(text, lang=match.group(2))
        datatype = match.group(3)
        if datatype is None or datatype == str(XSD.string):
            return Literal(text)
        return Literal(text, datatype=URIRef(datatype))
    if cell in ("true", "false"):
        return Literal(cell, datatype=XSD.boolean)
    if _INTEGER.match(cell):
        return Literal(cell, datatype=XSD.integer)
    if _DECIMAL.match(cell):
        return Literal(cell, datatype=XSD.decimal)
    return Literal(cell, datatype=XSD.double)


def _literal(cell: str) -> re.Match[str]:
    match = _LITERAL.match(cell)
    if match is None:  # pragma: no cover - Oxigraph writes valid TSV
        raise ValueError(f"unreadable SPARQL TSV cell {cell!r}")
    return match
