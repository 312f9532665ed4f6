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

>>> check_sparql("SELECT * WHERE { ?s ?p ?o }")
>>> check_sparql("SELECT * { SERVICE <http://example.org/q> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pathways.errors.UnsafeInputError: SPARQL SERVICE would query a remote endpoint; ...
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pathways.errors import InputError, UnsafeInputError

__all__ = ["check_jsonld", "check_sparql", "check_xml", "offline"]

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


def check_sparql(query: str) -> None:
    """Raise :class:`UnsafeInputError` if ``query`` could reach the network."""
    bare = _SPARQL_NOISE.sub(" ", query)
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
    """Reject XML that declares entities (billion laughs, external entities).

    A DOCTYPE without entity declarations is harmless and allowed.
    """
    head = data if len(data) < 1 << 20 else data[: 1 << 20]
    if not _DOCTYPE.search(head):
        return
    text = data.decode("utf-8", errors="replace") if b"\x00" not in head else ""
    match = _ENTITY.search(data)
    if match or not text:
        line = data.count(b"\n", 0, match.start()) + 1 if match else None
        raise UnsafeInputError(
            "XML entity declarations are not accepted (they can expand without limit or "
            "read other files and URLs)",
            path=path,
            line=line,
            hint="remove the <!DOCTYPE ...> block and write the values out",
        )


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


def check_jsonld(data: bytes, path: str | Path) -> None:
    """Reject JSON-LD whose ``@context`` is (or includes) a reference to another document.

    Raises :class:`InputError` for malformed JSON, naming the line.
    """
    try:
        document = json.loads(data)
    except UnicodeDecodeError as err:
        raise InputError("not UTF-8 text", path=path, hint="save the file as UTF-8") from err
    except json.JSONDecodeError as err:
        raise InputError(
            f"malformed JSON: {err.msg}", path=path, line=err.lineno, hint="fix the JSON syntax"
        ) from err
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
