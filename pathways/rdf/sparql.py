"""Running user SPARQL queries and shaping their results.

Queries run in Oxigraph after the offline checks of :mod:`pathways.rdf.safety`; the
outcome is a plain value that the command line renders as a table, CSV/TSV,
SPARQL JSON results or RDF.

>>> from pathways.rdf.store import KnowledgeGraph
>>> kg = KnowledgeGraph.open()
>>> outcome = run_query(kg, "SELECT ?l WHERE { eqf:4 skos:prefLabel ?l }")
>>> outcome.form, outcome.variables, [r[0].value for r in outcome.rows]
('SELECT', ('l',), ['EQF level 4'])
>>> run_query(kg, "ASK { eqf:9 ?p ?o }").boolean
False

A row holds Oxigraph's own terms, so every format writes a literal's lexical form as
the store has it (``"2020-01-01T00:00:00Z"^^xsd:dateTime`` stays so, as ``oxigraph
serve`` answers; rdflib would write ``2020-01-01T00:00:00+00:00``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox
from rdflib.term import URIRef

from pathways.errors import QueryError
from pathways.rdf.sparql_check import explained, vocabulary_warnings
from pathways.rdf.store import KnowledgeGraph
from pathways.vocab import XSD_STRING

__all__ = ["QueryOutcome", "render_table", "run_query"]

_log = logging.getLogger(__name__)

#: A term of a result row: what Oxigraph gives (SPARQL-star triples are not read).
Term = ox.NamedNode | ox.BlankNode | ox.Literal

_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX|BASE)\b[^{]*?)?\b(INSERT|DELETE|CLEAR|DROP|CREATE|ADD|MOVE|COPY)\b",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class QueryOutcome:
    """The result of a query: rows for SELECT, a boolean for ASK, triples otherwise."""

    form: str
    variables: tuple[str, ...] = ()
    #: Oxigraph's terms (None: unbound), as the store holds them.
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] | None = None
    #: True when ``run_query(limit=N)`` stopped after N rows (or triples) of more.
    truncated: bool = False

    def as_sparql_json(self) -> dict[str, object]:
        """The W3C SPARQL 1.1 Query Results JSON form."""
        if self.boolean is not None:
            return {"head": {}, "boolean": self.boolean}
        bindings = []
        for row in self.rows:
            binding: dict[str, dict[str, str]] = {}
            for name, term in zip(self.variables, row, strict=True):
                if term is not None:
                    binding[name] = _json_term(term)
            bindings.append(binding)
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if not isinstance(term, ox.Literal):
        raise TypeError(f"unsupported Oxigraph term {term!r}")
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def run_query(kg: KnowledgeGraph, sparql: str, *, limit: int | None = None) -> QueryOutcome:
    """Run a read-only SPARQL query; raise :class:`QueryError` for updates or bad syntax
    (in words: :func:`pathways.rdf.sparql_check.explained`).

    A ``pw:`` term the ontology does not define is logged as a warning on the
    ``pathways.rdf.sparql`` logger (the command line prints it on stderr); the query
    still runs, since it is legal.

    With ``limit``, at most that many rows (SELECT) or triples (CONSTRUCT, DESCRIBE)
    are read from Oxigraph, which streams them, and ``truncated`` says whether more
    there were (the web explorer's row cap).

    >>> kg = KnowledgeGraph.open()
    >>> capped = run_query(kg, "SELECT ?s WHERE { ?s a owl:Class }", limit=2)
    >>> len(capped.rows), capped.truncated
    (2, True)
    """
    if not sparql.strip():
        raise QueryError("the query is empty", hint="give a SELECT, ASK, CONSTRUCT or DESCRIBE")
    if _UPDATE.search(_strip_comments(sparql)) and not re.search(
        r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", sparql, re.IGNORECASE
    ):
        raise QueryError(
            "SPARQL updates are not run by 'pathways query'",
            hint="queries are read-only; change the data files and load them again",
        )
    try:
        result = kg.raw_query(sparql)
    except QueryError as err:
        raise explained(sparql, err) from err
    for warning in vocabulary_warnings(sparql):
        _log.warning("%s", warning)
    if isinstance(result, ox.QueryBoolean):
        return QueryOutcome(form="ASK", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = tuple(v.value for v in result.variables)
        solutions = iter(result) if limit is None else islice(result, limit + 1)
        columns = range(len(names))  # by position: twice as fast as by name
        rows = tuple(tuple(s[i] for i in columns) for s in solutions)
        more = limit is not None and len(rows) > limit
        return QueryOutcome(
            form="SELECT", variables=names, rows=rows[:limit] if more else rows, truncated=more
        )
    stream = kg.triples_as_written(result)  # literals as written, as loaded
    triples = tuple(stream if limit is None else islice(stream, limit + 1))
    more = limit is not None and len(triples) > limit
    form = "DESCRIBE" if re.search(r"\bDESCRIBE\b", sparql, re.IGNORECASE) else "CONSTRUCT"
    return QueryOutcome(form=form, triples=triples[:limit] if more else triples, truncated=more)


def _strip_comments(sparql: str) -> str:
    return re.sub(r"#[^\n]*", "", sparql)


def render_table(kg: KnowledgeGraph, outcome: QueryOutcome) -> str:
    """A plain-text table with prefixed names, for people."""
    if outcome.boolean is not None:
        return ("true" if outcome.boolean else "false") + "\n"
    short = kg.graph.namespace_manager.normalizeUri
    header = list(outcome.variables)
    body = [
        [
            ""
            if cell is None
            else short(URIRef(cell.value))
            if isinstance(cell, ox.NamedNode)
            else f"_:{cell.value}"
            if isinstance(cell, ox.BlankNode)
            else cell.value
            for cell in row
        ]
        for row in outcome.rows
    ]
    widths = [
        max([len(h)] + [len(r[i]) for r in body]) if body else len(h) for i, h in enumerate(header)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in body:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    lines.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(lines) + "\n"
