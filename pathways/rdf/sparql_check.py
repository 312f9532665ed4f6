"""What is wrong with a SPARQL query, in words: misspelt ``pw:`` terms and syntax errors.

The ``pw:`` vocabulary is closed: the bundled ontology (``ontology/*.ttl``) defines every
term. A query naming ``pw:titel`` is legal SPARQL and silently matches nothing, so
:func:`vocabulary_warnings` names each unknown term with the nearest defined one.

Oxigraph's parser reports what it expected as a list of token classes that is often
partial (``SELEC ?x`` gives "expected CONSTRUCT"); :func:`explained` rewords a syntax
error as what was found where, what a query needs there, and the keyword or prefix
probably meant ("unknown prefix 'pilt:' at line 3, column 5; known prefixes: ...").
rdflib's SPARQL grammar locates the offending token when Oxigraph does not.

>>> print(*vocabulary_warnings("SELECT ?t WHERE { ?c pw:titel ?t }"))
pw:titel is not a term of the pathways vocabulary (did you mean pw:title?): it matches nothing
"""

from __future__ import annotations

import re
from functools import cache

import pyoxigraph as ox

from pathways.errors import QueryError, nearest
from pathways.rdf.resources import ontology_files
from pathways.vocab import PREFIXES

__all__ = ["closed_terms", "explained", "vocabulary_warnings"]

_PW = PREFIXES["pw"]
#: What the query text holds that is not SPARQL syntax: comments, strings, IRIs.
_OPAQUE = re.compile(
    r'#[^\n]*|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>'
)
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_PREFIXED = re.compile(r"(?<![\w?$:.\-@])([A-Za-z][\w.-]*)?:((?:[\w\-]|\.(?=[\w\-]))*)")
_KEYWORDS = (
    *("SELECT", "CONSTRUCT", "DESCRIBE", "ASK", "WHERE", "FROM", "NAMED", "PREFIX", "BASE"),
    *("DISTINCT", "REDUCED", "OPTIONAL", "FILTER", "UNION", "MINUS", "GRAPH", "BIND"),
    *("VALUES", "SERVICE", "ORDER", "GROUP", "BY", "HAVING", "LIMIT", "OFFSET", "ASC"),
    *("DESC", "AS", "NOT", "EXISTS", "IN"),
)
_FORMS = "SELECT, CONSTRUCT, DESCRIBE or ASK"
#: Longest query whose error rdflib's grammar locates (it takes ~1 s per 100 kB).
_LOCATE_LIMIT = 20_000


@cache
def closed_terms() -> frozenset[str]:
    """Every ``pw:`` term the bundled ontology defines (as local names)."""
    terms: set[str] = set()
    for file in ontology_files():
        for quad in ox.parse(path=str(file), format=ox.RdfFormat.TURTLE):
            subject = quad.subject
            if isinstance(subject, ox.NamedNode) and subject.value.startswith(_PW):
                terms.add(subject.value[len(_PW) :])
    return frozenset(terms)


def _blank(match: re.Match[str]) -> str:
    """Opaque text replaced by spaces, keeping lines and columns."""
    return re.sub(r"[^\n]", " ", match[0])


def _declared(sparql: str) -> dict[str, str]:
    declared = dict(PREFIXES)
    declared.update({(m[1] or ""): m[2] for m in _DECLARED.finditer(sparql)})
    return declared


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def vocabulary_warnings(sparql: str) -> tuple[str, ...]:
    """One warning per ``pw:`` term (prefixed or a full IRI) the ontology does not define."""
    terms = closed_terms()
    declared = _declared(sparql)
    found: list[str] = []
    for m in re.finditer(re.escape(_PW) + r"([\w\-.]+)>", sparql):
        found.append(m[1])
    code = _OPAQUE.sub(_blank, sparql)
    for m in _PREFIXED.finditer(code):
        if declared.get(m[1] or "") == _PW and m[2]:
            found.append(m[2])
    warnings = []
    for name in dict.fromkeys(found):
        if name in terms:
            continue
        close = nearest(name, sorted(terms))
        guess = f" (did you mean pw:{close[0]}?)" if close else ""
        warnings.append(
            f"pw:{name} is not a term of the pathways vocabulary{guess}: it matches nothing"
        )
    return tuple(warnings)


def _unknown_prefix(sparql: str) -> QueryError | None:
    declared = _declared(sparql)
    code = _OPAQUE.sub(_blank, sparql)
    for m in _PREFIXED.finditer(code):
        prefix = m[1] or ""
        if prefix in declared or prefix.upper() in ("PREFIX", "BASE"):
            continue
        line, column = _position(code, m.start())
        close = nearest(prefix, sorted(p for p in declared if p))
        guess = f"did you mean '{close[0]}:'? " if close else ""
        known = ", ".join(f"{p}:" for p in sorted(declared))
        return QueryError(
            f"SPARQL syntax error: unknown prefix '{prefix}:' at line {line}, column {column}",
            line=line,
            hint=f"{guess}declare it with PREFIX {prefix}: <...>; known prefixes: {known}",
        )
    return None


def _located(sparql: str) -> tuple[int, int, str, str] | None:
    """Line, column, the token found and what rdflib's grammar expected there."""
    if len(sparql) > _LOCATE_LIMIT:  # rdflib's grammar is slow on very long text
        return None
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(sparql)
    except ParseException as err:
        found = sparql[err.loc :].split(None, 1)[0] if sparql[err.loc :].strip() else ""
        expected = re.sub(r"^Expected\s+", "", str(err.msg))
        return err.lineno, err.col, found, expected
    except Exception:  # any other grammar failure: no position to add
        return None
    return None


def _expectation(expected: str, found: str) -> str:
    if "SelectQuery |" in expected or expected.startswith("{SelectQuery"):
        return f"a query form ({_FORMS}, after any PREFIX declarations)"
    if expected == "end of text":
        return "the end of the query (or ORDER BY, LIMIT, OFFSET, VALUES)"
    return "SPARQL syntax" if not found else "a term, a variable or a keyword"


def explained(sparql: str, error: QueryError) -> QueryError:
    """``error`` (a syntax error from the store) reworded as described above; other
    errors are returned as they are."""
    if not error.message.startswith("SPARQL syntax error"):
        return error
    prefix = _unknown_prefix(sparql)
    if prefix is not None:
        return prefix
    place = _located(sparql)
    if place is None:
        return QueryError(_tidy(error.message), line=error.line, hint=error.hint)
    line, column, found, expected = place
    unclosed = _unclosed(sparql)
    if not found and unclosed is not None:
        return QueryError(
            f"SPARQL syntax error: the query ends with the '{{' at line {unclosed[0]}, "
            f"column {unclosed[1]} still open",
            line=unclosed[0],
            hint="close it with '}'",
        )
    shown = f"'{found}'" if found else "the end of the query"
    close = nearest(found.upper(), _KEYWORDS) if found.isalpha() else []
    hint = f"did you mean {close[0]}?" if close and close[0] != found.upper() else None
    return QueryError(
        f"SPARQL syntax error at line {line}, column {column}: found {shown}, "
        f"expected {_expectation(expected, found)}",
        line=line,
        hint=hint or "check the query near that place",
    )


def _unclosed(sparql: str) -> tuple[int, int] | None:
    """Where the first '{' that is never closed opens."""
    code = _OPAQUE.sub(_blank, sparql)
    opened: list[int] = []
    for i, char in enumerate(code):
        if char == "{":
            opened.append(i)
        elif char == "}" and opened:
            opened.pop()
    return _position(code, opened[0]) if opened else None


def _tidy(message: str) -> str:
    """Oxigraph's message without its lists of Unicode character ranges."""
    tidy = re.sub(r"\[[^\[\]]*\.\.=[^\[\]]*\]", "a name character", message.replace("\n", " "))
    tidy = re.sub(r"(a name character, )+a name character", "a name character", tidy)
    return re.sub(r"error at (\d+):(\d+):", r"at line \1, column \2:", tidy)
