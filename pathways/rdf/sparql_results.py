"""SPARQL results as bytes in the W3C formats: one serializer for ``pathways query``
and the web explorer's ``/sparql`` endpoint.

SELECT and ASK results: SPARQL 1.1 Query Results JSON, XML, CSV and TSV (the W3C
recommendations of 21 March 2013). CONSTRUCT and DESCRIBE results: Turtle (with the
predeclared prefixes), N-Triples and JSON-LD (Oxigraph's serializers).

>>> import pyoxigraph as ox
>>> from pathways.rdf.sparql import QueryOutcome
>>> print(serialize(QueryOutcome("SELECT", ("x",), ((ox.Literal("a,b"),),)), "csv").decode())
x\r
"a,b"\r
<BLANKLINE>
>>> serialize(QueryOutcome("ASK", boolean=True), "xml").decode().count("<boolean>true</boolean>")
1
"""

from __future__ import annotations

import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from pathways.errors import UsageError
from pathways.output import csv_writer
from pathways.rdf.sparql import QueryOutcome, Term
from pathways.vocab import PREFIXES, XSD_STRING

__all__ = ["GRAPH_FORMATS", "MEDIA_TYPES", "TABLE_FORMATS", "serialize"]

#: Formats of SELECT and ASK results.
TABLE_FORMATS = ("json", "xml", "csv", "tsv")
#: Formats of CONSTRUCT and DESCRIBE results.
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")

#: The media type of each format (as the SPARQL 1.1 Protocol and RDF 1.1 register them).
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}

_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def serialize(outcome: QueryOutcome, fmt: str, *, compact: bool = False) -> bytes:
    """``outcome`` in ``fmt``; a :class:`UsageError` when the format does not fit the
    query form (a table format for triples, or a graph format for a table).
    ``compact``: SPARQL JSON without indentation (the endpoint's answers; the command
    line indents it for people).

    >>> from pathways.rdf.sparql import QueryOutcome
    >>> serialize(QueryOutcome(form="ASK", boolean=True), "json", compact=True)
    b'{"head":{},"boolean":true}\\n'
    """
    if outcome.triples is not None:
        if fmt not in _RDF_FORMATS:
            raise UsageError(
                f"a {outcome.form} query returns triples: use "
                + ", ".join(GRAPH_FORMATS[:-1])
                + f" or {GRAPH_FORMATS[-1]}"
            )
        rdf_format = _RDF_FORMATS[fmt]
        data = ox.serialize(
            outcome.triples,
            format=rdf_format,
            prefixes=PREFIXES if rdf_format == ox.RdfFormat.TURTLE else None,
        )
        return data or b""
    if fmt == "json":
        document = outcome.as_sparql_json()
        text = (
            json.dumps(document, separators=(",", ":"))
            if compact
            else json.dumps(document, indent=2)
        )
        return (text + "\n").encode("utf-8")
    if fmt == "xml":
        return _xml(outcome).encode("utf-8")
    if fmt in ("csv", "tsv"):
        return _delimited(outcome, fmt).encode("utf-8")
    raise UsageError(
        f"a {outcome.form} query returns a table: use " + ", ".join(TABLE_FORMATS) + " or table"
    )


def _delimited(outcome: QueryOutcome, fmt: str) -> str:
    """SPARQL 1.1 CSV (RFC 4180, CRLF; a term as its plain string, a blank node as
    ``_:label``) or TSV (LF; ``?variable`` in the header and each term in N-Triples
    syntax, so it keeps its kind, datatype and language)."""
    if fmt == "tsv":
        if outcome.boolean is not None:
            return "boolean\n" + ("true" if outcome.boolean else "false") + "\n"
        lines = ["\t".join("?" + v for v in outcome.variables)]
        lines += ["\t".join("" if c is None else str(c) for c in row) for row in outcome.rows]
        return "\n".join(lines) + "\n"
    buffer = io.StringIO()
    writer = csv_writer(buffer)  # the one CSV dialect of the tool
    writer.writerow(outcome.variables if outcome.boolean is None else ["boolean"])
    if outcome.boolean is not None:
        writer.writerow(["true" if outcome.boolean else "false"])
    for row in outcome.rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue()


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _xml(outcome: QueryOutcome) -> str:
    """SPARQL Query Results XML Format (W3C, second edition)."""
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if outcome.boolean is not None:
        out += ["  <head/>", f"  <boolean>{'true' if outcome.boolean else 'false'}</boolean>"]
        return "\n".join([*out, "</sparql>", ""])
    out.append("  <head>")
    out += [f"    <variable name={quoteattr(v)}/>" for v in outcome.variables]
    out += ["  </head>", "  <results>"]
    for row in outcome.rows:
        out.append("    <result>")
        for name, term in zip(outcome.variables, row, strict=True):
            if term is not None:
                out.append(f"      <binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        out.append("    </result>")
    out += ["  </results>", "</sparql>", ""]
    return "\n".join(out)


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    text = _xml_text(term.value)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{text}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{text}</literal>"
    return f"<literal>{text}</literal>"


def _xml_text(value: str) -> str:
    """``value`` as XML character data, its leading and trailing white space as
    character references (as Oxigraph writes them: a reader that trims text, as
    Oxigraph's own does, keeps them so).

    >>> _xml_text(" a < b ")
    '&#32;a &lt; b&#32;'
    """
    head = len(value) - len(value.lstrip(_XML_SPACE))
    tail = max(head, len(value.rstrip(_XML_SPACE)))
    return _references(value[:head]) + escape(value[head:tail]) + _references(value[tail:])


def _references(text: str) -> str:
    return "".join(f"&#{ord(c)};" for c in text)


_XML_SPACE = " \t\n\r"
