"""Offline-by-default guards: nothing in the data may make pathways reach the network.

Three layers, each tested against a loopback HTTP server (``tests/rdf/test_safety.py``):

1. **Static checks on input** before any parser sees it: XML entity declarations
   (``<!ENTITY``, which make "billion laughs" and external entities possible) are
   rejected in RDF/XML; JSON-LD ``@context`` values that are not inline objects are
   rejected (a remote context would be fetched by some parsers); SPARQL ``SERVICE``,
   ``LOAD`` and ``FROM`` clauses are rejected (Oxigraph's own HTTP client would follow
   them, and Python audit hooks do not see Rust sockets).
2. **owl:imports is never followed**: it is an ordinary triple to pathways.
3. **An audit hook** (:func:`offline`) that refuses Python socket connections while a
   command runs, as a net under the first two layers.

Hostile shapes are refused here too, before a parser can be made to overflow its stack
or spend quadratic time: JSON and XML nested deeper than :data:`MAX_DEPTH` levels, and
SPARQL whose brackets nest deeper than that (Oxigraph's SPARQL parser is recursive and
a few thousand levels crash the process). Real documents are far shallower: the
deepest of the published CTDL, ELM and ePerusteet files is 13 levels
(``tests/rdf/test_hostile_input.py``).

>>> check_sparql("SELECT * WHERE { ?s ?p ?o }")
>>> check_sparql("SELECT * { SERVICE <http://example.org/q> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pathways.errors.UnsafeInputError: SPARQL SERVICE would query a remote endpoint; ...
>>> load_json(b"[" * 101 + b"]" * 101, "deep.json")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pathways.errors.InputError: deep.json: JSON nested deeper than 100 levels ...
"""

from __future__ import annotations

import json
import re
import sys
import xml.parsers.expat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib import RDF, BNode, Graph, URIRef

from pathways.errors import InputError, QueryError, UnsafeInputError

__all__ = [
    "MAX_DEPTH",
    "check_embedded_sparql",
    "check_jsonld",
    "check_lists",
    "check_sparql",
    "check_xml",
    "load_json",
    "offline",
    "xml_parser",
]

#: Deepest nesting of JSON, XML elements or SPARQL brackets that pathways reads.
MAX_DEPTH = 100

# Strings, IRIs and comments are blanked before keywords are looked for, so that
# "SERVICE" inside a literal or an IRI does not count.
_SPARQL_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
)
_FORBIDDEN = {
    "SERVICE": "SPARQL SERVICE would query a remote endpoint",
    "LOAD": "SPARQL LOAD would fetch a remote document",
    "FROM": "SPARQL FROM / FROM NAMED would make the store fetch a remote graph",
}
_KEYWORD = re.compile(r"(?<![\w:?$])(SERVICE|LOAD|FROM)(?![\w:-])", re.IGNORECASE)


_BRACKETS = re.compile(r"[][(){}]")
_OPENING = frozenset("[({")


def check_sparql(query: str) -> None:
    """Raise :class:`UnsafeInputError` if ``query`` could reach the network, and
    :class:`~pathways.errors.QueryError` if its brackets nest deeper than
    :data:`MAX_DEPTH` (which would overflow Oxigraph's parser)."""
    bare = _SPARQL_NOISE.sub(" ", query)
    depth = 0
    for bracket in _BRACKETS.finditer(bare):
        depth = depth + 1 if bracket.group() in _OPENING else max(depth - 1, 0)
        if depth > MAX_DEPTH:
            raise QueryError(
                f"the query nests brackets deeper than {MAX_DEPTH} levels",
                line=bare.count("\n", 0, bracket.start()) + 1,
                hint="flatten the nested groups or expressions",
            )
    match = _KEYWORD.search(bare)
    if match:
        keyword = match.group(1).upper()
        line = bare.count("\n", 0, match.start()) + 1
        raise UnsafeInputError(
            f"{_FORBIDDEN[keyword]}; pathways runs offline",
            hint=(
                "remove the SERVICE clause and load the data locally"
                if keyword == "SERVICE"
                else f"remove {keyword} (line {line}) and load the data with 'pathways load'"
            ),
        )


_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def check_xml(data: bytes, path: str | Path) -> None:
    """Reject XML that declares entities (billion laughs, external entities) or nests
    elements deeper than :data:`MAX_DEPTH`.

    A DOCTYPE without entity declarations is harmless and allowed. Malformed XML is
    left to the RDF/XML parser, which reports it with its line.
    """
    head = data if len(data) < 1 << 20 else data[: 1 << 20]
    if _DOCTYPE.search(head):
        _refuse_entities(data, head, path)
    _refuse_deep_xml(data, path)


def _refuse_deep_xml(data: bytes, path: str | Path) -> None:
    # Oxigraph's RDF/XML parser takes time quadratic in the depth (20,000 levels: 27 s),
    # so depth is measured first, by expat, which never expands entities here (any
    # declaration was refused above) and keeps no tree.
    parser = xml_parser(path)
    depth = 0

    def start(name: str, _attributes: object) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise InputError(
                f"XML elements nested deeper than {MAX_DEPTH} levels",
                path=path,
                line=parser.CurrentLineNumber,
                hint="flatten the document: RDF/XML can name nodes with rdf:about "
                "instead of nesting them",
            )

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError:
        return  # malformed: the RDF/XML parser reports it


def xml_parser(
    path: str | Path, namespace_separator: str | None = None
) -> xml.parsers.expat.XMLParserType:
    """An expat parser that never expands entities: an entity declaration (one past
    what :func:`check_xml` scans, say) raises :class:`UnsafeInputError` as the parser
    meets it, and parameter entities (external DTDs) are never read. Every reader of
    XML in pathways parses with it, after :func:`check_xml`.

    >>> parser = xml_parser("x.rdf")
    >>> parser.Parse(b'<!DOCTYPE r [<!ENTITY e "boom">]><r>&e;</r>', True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pathways.errors.UnsafeInputError: x.rdf:1: XML entity declarations are not accepted ...
    """
    parser = xml.parsers.expat.ParserCreate(namespace_separator=namespace_separator)
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def entity(name: str, *rest: object) -> None:
        raise _entity_error(path, parser.CurrentLineNumber)

    parser.EntityDeclHandler = entity
    return parser


def _refuse_entities(data: bytes, head: bytes, path: str | Path) -> None:
    text = data.decode("utf-8", errors="replace") if b"\x00" not in head else ""
    match = _ENTITY.search(data)
    if match or not text:
        line = data.count(b"\n", 0, match.start()) + 1 if match else None
        raise _entity_error(path, line)


def _entity_error(path: str | Path, line: int | None) -> UnsafeInputError:
    return UnsafeInputError(
        "XML entity declarations are not accepted (they can expand without limit or "
        "read other files and URLs)",
        path=path,
        line=line,
        hint="remove the <!DOCTYPE ...> block and write the values out",
    )


def check_lists(graph: Graph, path: str | Path) -> None:
    """Reject an ``rdf:rest`` chain that loops back on itself (a cyclic ``rdf:List``).

    rdflib's list readers raise ``ValueError`` on such a list deep inside whatever
    walks it (a SHACL ``sh:in``, ``sh:or``, a property path); here it is an
    :class:`InputError` naming the file and a node of the loop.
    """
    rest = {s: o for s, o in graph.subject_objects(RDF.rest)}
    done: set[Any] = set()
    for start in rest:
        seen: set[Any] = set()
        node: Any = start
        while node in rest and node not in done:
            if node in seen:
                raise InputError(
                    f"the rdf:List through {node.n3()} loops back on itself",
                    path=path,
                    hint="end the list with rdf:nil; a list cannot contain itself",
                )
            seen.add(node)
            node = rest[node]
        done |= seen


_SHACL = "http://www.w3.org/ns/shacl#"
_EMBEDDED_SPARQL = tuple(URIRef(_SHACL + name) for name in ("select", "ask", "construct", "update"))


def check_embedded_sparql(graph: Graph, path: str | Path) -> None:
    """Apply :func:`check_sparql` to the SPARQL a shapes graph carries in literals
    (``sh:select``, ``sh:ask``, ``sh:construct``, ``sh:update``).

    pyshacl hands these to Oxigraph directly, past :class:`~pathways.rdf.store.
    KnowledgeGraph`'s own check, so a query nested a few thousand levels deep in a
    shapes file would crash the process.
    """
    for predicate in _EMBEDDED_SPARQL:
        for node, text in graph.subject_objects(predicate):
            try:
                check_sparql(str(text))
            except InputError as err:
                raise type(err)(
                    f"the {graph.qname(predicate)} of {_described(graph, node)}: {err.message}",
                    path=path,
                    hint=err.hint,
                ) from err


def _described(graph: Graph, node: Any) -> str:
    """``<iri>``, or for a blank node the named node holding it (blank labels are random)."""
    if not isinstance(node, BNode):
        return str(node.n3())
    for owner in graph.subjects(None, node):
        if not isinstance(owner, BNode):
            return f"a node of {owner.n3()}"
    return "a blank node"


def _contexts(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                yield value
            else:
                yield from _contexts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _contexts(item)


def load_json(data: bytes, path: str | Path) -> Any:
    """Parse JSON no deeper than :data:`MAX_DEPTH`; every failure is an
    :class:`InputError` naming the file (and the line, for syntax errors)."""
    try:
        document = json.loads(data)
    except UnicodeDecodeError as err:
        raise InputError("not UTF-8 text", path=path, hint="save the file as UTF-8") from err
    except json.JSONDecodeError as err:
        raise InputError(
            f"malformed JSON: {err.msg} (column {err.colno})",
            path=path,
            line=err.lineno,
            hint="fix the JSON syntax; nothing from this file was read",
        ) from err
    except RecursionError as err:
        raise _too_deep(path) from err
    except ValueError as err:  # e.g. an integer of more than 4,300 digits
        raise InputError(f"unreadable JSON value: {err}", path=path) from err
    if _json_depth(document) > MAX_DEPTH:
        raise _too_deep(path)
    return document


def _too_deep(path: str | Path) -> InputError:
    return InputError(
        f"JSON nested deeper than {MAX_DEPTH} levels",
        path=path,
        hint="flatten the document: JSON-LD can name nodes with @id instead of nesting them",
    )


def _json_depth(document: Any) -> int:
    deepest = 0
    stack = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            values: Any = node.values()
        elif isinstance(node, list):
            values = node
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        stack.extend((value, depth + 1) for value in values)
    return deepest


def check_jsonld(data: bytes, path: str | Path) -> None:
    """Reject JSON-LD whose ``@context`` is (or includes) a reference to another document.

    Raises :class:`InputError` for malformed or too deeply nested JSON (see
    :func:`load_json`).
    """
    document = load_json(data, path)
    for context in _contexts(document):
        items = context if isinstance(context, list) else [context]
        for item in items:
            if isinstance(item, str):
                raise UnsafeInputError(
                    f"remote JSON-LD @context {item!r} is not fetched: pathways runs offline",
                    path=path,
                    hint="inline the context object in the file, or use 'pathways import' "
                    "for CTDL/ELM files, which know the published contexts",
                )


class _Offline:
    active = 0


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _Offline.active and event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
        raise UnsafeInputError(
            f"network access attempted while running offline ({event} {args[1:2]!r})",
            hint="pathways never dereferences IRIs from data",
        )


_hook_installed = False


@contextmanager
def offline() -> Iterator[None]:
    """Refuse Python-level network connections inside the ``with`` block.

    Python audit hooks cannot be removed, so the hook is installed once and only
    acts while at least one ``offline()`` block is active.
    """
    global _hook_installed
    if not _hook_installed:
        sys.addaudithook(_audit)
        _hook_installed = True
    _Offline.active += 1
    try:
        yield
    finally:
        _Offline.active -= 1
