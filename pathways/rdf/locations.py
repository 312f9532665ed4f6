"""Where a file writes each of its subjects: the line and column, for reports that point
at the user's file (SARIF's ``physicalLocation``).

:func:`subject_positions` scans one file's bytes, by its format (the suffixes of
:data:`pathways.rdf.parsing.FORMATS`), and answers each subject IRI with the 1-based
line and column (in Unicode code points) where it is first written as a subject;
blank nodes are left out. :func:`locate` does the same over several files, the first
file that writes a subject winning. Nothing here parses RDF into triples: the scans
only find where subjects are written, and any file they cannot read (an unknown
format, bytes that are not UTF-8, a syntax they do not follow) simply has no
locations, so a report never fails for want of them.

- Turtle, TriG, N-Triples, N-Quads: a tokenizer that knows strings (short and long),
  IRIs, comments and prefixed names, so that an IRI inside a literal or a comment is
  not a subject; ``@prefix``/``PREFIX`` and ``@base``/``BASE`` are followed, so that
  ``ex:untitled`` is answered as its full IRI.
- RDF/XML: expat (:func:`pathways.rdf.safety.xml_parser`, which never expands
  entities; a file :func:`~pathways.rdf.safety.check_xml` refuses has no locations),
  the node elements' ``rdf:about`` and ``rdf:ID`` against ``xml:base``.
- JSON-LD: a JSON tokenizer that keeps each key's position; the ``@id`` of every
  node object (one with more than its ``@id``), compact IRIs expanded with the
  prefixes of the document's own inline ``@context`` objects (remote contexts are
  never read). Where the context does what this scan does not follow (scoped
  contexts, ``@import``, ``@propagate``), only IRIs written in full are answered.

Relative IRIs are resolved as RFC 3986 section 5.2 says, against the base IRI the
file is parsed with (its ``file:`` URI, as :func:`pathways.rdf.parsing.parse_file`).

>>> doc = b'@prefix ex: <https://example.org/> .\\n# ex:a is not here\\nex:b ex:p "ex:c" .\\n'
>>> subject_positions(doc, "x.ttl", "file:///x.ttl")
{'https://example.org/b': (3, 1)}
>>> subject_positions(b'{"@id": "https://example.org/j", "@type": "T"}', "x.jsonld", "file:///x")
{'https://example.org/j': (1, 2)}
>>> subject_positions(b"anything", "x.csv", "file:///x.csv")
{}
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import xml.parsers.expat
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from pathways.errors import InputError
from pathways.rdf import safety
from pathways.rdf.parsing import FORMATS

__all__ = [
    "Located",
    "Location",
    "Source",
    "locate",
    "located",
    "located_files",
    "resolve_iri",
    "subject_positions",
]

#: (line, column), both 1-based; the column counts Unicode code points.
Position = tuple[int, int]

_TURTLE_FAMILY = (
    ox.RdfFormat.TURTLE,
    ox.RdfFormat.TRIG,
    ox.RdfFormat.N_TRIPLES,
    ox.RdfFormat.N_QUADS,
)


@dataclass(frozen=True)
class Source:
    """One file as it was validated: the name it is shown by (a path, or an upload's
    name), its bytes, and the base IRI it was parsed with."""

    name: str
    data: bytes
    base: str

    @classmethod
    def read(cls, path: Path, name: str | None = None) -> Source:
        """The file at ``path``, its base IRI the one :func:`~pathways.rdf.parsing.
        parse_file` gives it (its resolved ``file:`` URI), shown as ``name``."""
        return cls(name or str(path), path.read_bytes(), path.resolve().as_uri())

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Location:
    """Where a subject is first written: the file's name, line and column (1-based)."""

    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Located:
    """The validated files and where they write their subjects, for a report.

    ``files`` are (name, sha-256, length) in the order validated; ``subjects`` maps an
    IRI to its :class:`Location`; ``root`` is the ``file:`` URI of the folder the
    names are relative to (None: the names stand alone, as uploads' names do).
    """

    files: tuple[tuple[str, str, int], ...]
    subjects: Mapping[str, Location] = field(default_factory=dict)
    root: str | None = None


def located(sources: Iterable[Source], root: str | None = None) -> Located:
    """The :class:`Located` of ``sources`` (see :func:`locate`)."""
    sources = tuple(sources)
    files = tuple((s.name, s.sha256, len(s.data)) for s in sources)
    return Located(files, locate(sources), root)


def located_files(paths: Iterable[Path], root: Path) -> Located:
    """The :class:`Located` of the files at ``paths``, each named by its path relative
    to ``root`` when it is below it (else by its absolute path), ``root`` given as its
    ``file:`` URI with a closing slash. A file that cannot be read again is left out.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = Path(folder, "data", "a.nt")
    ...     file.parent.mkdir()
    ...     _ = file.write_bytes(b"<urn:x:a> <urn:x:p> 1 .\\n")
    ...     found = located_files([file, Path(folder, "gone.nt")], Path(folder))
    >>> found.files[0][0], found.subjects["urn:x:a"], len(found.files)
    ('data/a.nt', Location(file='data/a.nt', line=1, column=1), 1)
    """
    top = root.resolve()
    sources = []
    for path in paths:
        full = path.resolve()
        name = full.relative_to(top).as_posix() if full.is_relative_to(top) else str(full)
        try:
            sources.append(Source.read(path, name))
        except OSError:
            continue  # gone since it was validated: no locations, the report stands
    return located(sources, top.as_uri().rstrip("/") + "/")


def locate(sources: Iterable[Source]) -> dict[str, Location]:
    """Each subject IRI of ``sources`` with where it is first written (the first file
    that writes it wins).

    >>> a = Source("a.nt", b"<urn:x:1> <urn:x:p> <urn:x:2> .\\n", "file:///a.nt")
    >>> b = Source("b.nt", b"\\n<urn:x:2> <urn:x:p> <urn:x:1> .\\n", "file:///b.nt")
    >>> for iri, where in locate([a, b]).items():
    ...     print(iri, where)
    urn:x:1 Location(file='a.nt', line=1, column=1)
    urn:x:2 Location(file='b.nt', line=2, column=1)
    """
    found: dict[str, Location] = {}
    for source in sources:
        for iri, (line, column) in subject_positions(source.data, source.name, source.base).items():
            found.setdefault(iri, Location(source.name, line, column))
    return found


def subject_positions(data: bytes, name: str, base: str) -> dict[str, Position]:
    """Each subject IRI the file ``name`` (whose suffix gives its format) writes in
    ``data``, with the position where it is first written as a subject. Unknown
    formats and unreadable files: ``{}``."""
    fmt = FORMATS.get(Path(name).suffix.lower())
    try:
        if fmt in _TURTLE_FAMILY:
            return _turtle(data.decode("utf-8-sig"), base)
        if fmt == ox.RdfFormat.RDF_XML:
            return _rdfxml(data, name, base)
        if fmt == ox.RdfFormat.JSON_LD:
            return _jsonld(data, name, base)
    except (InputError, UnicodeDecodeError, ValueError, RecursionError):
        return {}  # refused or unreadable: the validation itself says why
    return {}


# --- IRIs -------------------------------------------------------------------------

_REFERENCE = re.compile(
    r"^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.S
)


def _remove_dots(path: str, authority: bool = True) -> str:
    """RFC 3986 section 5.2.4; without an ``authority``, a ``..`` that climbs out of a
    rootless path (``x:y/../g`` of ``urn:x:y``) leaves it rootless, as Oxigraph does."""
    out: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith("./") or path.startswith("/./"):
            path = path[2:]
        elif path == "/.":
            path = "/"
        elif path.startswith("/../") or path == "/..":
            path = path[3:] or "/"
            if not authority and (not out or not out[-1].startswith("/")):
                path = path[1:]
            if out:
                out.pop()
        elif path in (".", ".."):
            path = ""
        else:
            cut = path.find("/", 1)
            cut = len(path) if cut < 0 else cut
            out.append(path[:cut])
            path = path[cut:]
    return "".join(out)


def resolve_iri(reference: str, base: str) -> str:
    """``reference`` resolved against ``base`` (RFC 3986 section 5.2.2, as Oxigraph
    resolves: a reference with an authority keeps its path as written).

    >>> base = "http://a/b/c/d;p?q"
    >>> for reference in ("g", "../g", "?y", "#s", "", "/./g", "urn:x"):
    ...     print(resolve_iri(reference, base))
    http://a/b/c/g
    http://a/b/g
    http://a/b/c/d;p?y
    http://a/b/c/d;p?q#s
    http://a/b/c/d;p?q
    http://a/g
    urn:x
    """
    ref = _REFERENCE.match(reference)
    if ref is None:  # pragma: no cover - the pattern matches any string
        return reference
    scheme, authority, path, query, fragment = ref.groups()
    if scheme is not None:
        return reference
    b = _REFERENCE.match(base)
    assert b is not None
    b_scheme, b_authority, b_path, b_query, _ = b.groups()
    if authority is None:
        authority = b_authority
        if path == "":
            path = b_path
            if query is None:
                query = b_query
        elif path.startswith("/"):
            path = _remove_dots(path, authority is not None)
        else:
            if b_authority is not None and b_path == "":
                merged = "/" + path
            else:
                merged = b_path[: b_path.rfind("/") + 1] + path
            path = _remove_dots(merged, authority is not None)
    text = f"{b_scheme}:" if b_scheme else ""
    if authority is not None:
        text += "//" + authority
    text += path
    if query is not None:
        text += "?" + query
    if fragment is not None:
        text += "#" + fragment
    return text


class _Lines:
    """Offsets in a text to (line, column), lines ended by LF, CR LF or CR."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def position(self, offset: int) -> Position:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


# --- Turtle, TriG, N-Triples, N-Quads ---------------------------------------------

_BASE_CHARS = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHARS = _BASE_CHARS + "_\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_BASE_CHARS}](?:[{_CHARS}.]*[{_CHARS}])?"
# A local name may not end with '.': the tokenizer gives trailing dots back (matching
# runs of characters and then trimming is much faster than the grammar's own pattern).
_PN_LOCAL = f"(?:[{_BASE_CHARS}_:0-9]|{_PLX})(?:[{_CHARS}.:]+|{_PLX})*"
_TOKEN = re.compile(
    r"(?:[ \t\r\n]++|#[^\r\n]*+)*+"  # spaces and comments before the token (possessive:
    # nothing to backtrack into, so a long run of spaces cannot make matching slow)
    r'(?:(?P<string>"""(?:(?:"|"")?(?:[^"\\]|\\[\s\S]))*"""'
    r"|'''(?:(?:'|'')?(?:[^'\\]|\\[\s\S]))*'''"
    r'|"(?:[^"\\\r\n]|\\.)*"'
    r"|'(?:[^'\\\r\n]|\\.)*')"
    r"|(?P<iri><(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)"
    r"|(?P<at>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)"
    f"|(?P<bnode>_:[{_BASE_CHARS}_0-9](?:[{_CHARS}.]*[{_CHARS}])?)"
    f"|(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)"
    r"|(?P<number>[+-]?(?:\d+\.\d*[eE][+-]?\d+|\.?\d+[eE][+-]?\d+|\d*\.\d+|\d+))"
    r"|(?P<punct><<|>>|\{\||\|\}|\^\^|[.;,\[\]()\{\}])"
    r"|(?P<word>[A-Za-z]+)"
    r"|(?P<other>[\s\S]|\Z))"  # so that finditer never searches ahead (quadratic)
)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_OPEN = frozenset({"[", "(", "<<", "{|"})
_CLOSE = frozenset({"]", ")", ">>", "|}"})

Token = tuple[str, str, int]  # kind, text, offset


def _tokens(text: str) -> Iterator[Token]:
    """The tokens of a Turtle-family document, spaces and comments left out; the scan
    stops at the first character no token starts with."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is None or kind == "other":
            return  # not a token: stop there
        end = match.end()
        lexeme = match.group(kind)
        offset = match.start(kind)
        if kind == "pname" and lexeme.endswith("."):
            trimmed = lexeme.rstrip(".")
            trimmed = trimmed + "." if trimmed.endswith("\\") else trimmed  # "\." stays
            yield kind, trimmed, offset
            for dot in range(offset + len(trimmed), end):
                yield "punct", ".", dot
        else:
            yield kind, lexeme, offset


def _iri_text(token: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token[1:-1])


def _turtle(text: str, base: str) -> dict[str, Position]:
    """Subjects of Turtle, TriG, N-Triples or N-Quads ``text``.

    A subject is the first term of a statement (at the top level or in a TriG graph
    block), when it is an IRI or a prefixed name and not a graph's name.
    """
    lines = _Lines(text)
    prefixes: dict[str, str] = {}
    found: dict[str, Position] = {}
    stream = _tokens(text)
    pending: Token | None = None

    def take() -> Token | None:
        nonlocal pending
        if pending is not None:
            token, pending = pending, None
            return token
        return next(stream, None)

    def peek() -> Token | None:
        nonlocal pending
        if pending is None:
            pending = next(stream, None)
        return pending

    def term(kind: str, value: str) -> str | None:
        if kind == "iri":
            return resolve_iri(_iri_text(value), base)
        if kind == "pname":
            prefix, _, local = value.partition(":")
            namespace = prefixes.get(prefix)
            return None if namespace is None else namespace + _LOCAL_ESCAPE.sub(r"\1", local)
        return None

    start = True  # the next token begins a statement
    depth = 0  # open [ ( << {| brackets
    while (token := take()) is not None:
        kind, value, offset = token
        if start and depth == 0:
            directive = value.lower() if kind in ("at", "word") else ""
            if directive in ("@prefix", "prefix"):
                name, namespace = take(), take()
                if not (name and namespace and name[1].endswith(":") and namespace[0] == "iri"):
                    return found  # not Turtle: stop here
                prefixes[name[1][:-1]] = resolve_iri(_iri_text(namespace[1]), base)
                continue
            if directive in ("@base", "base"):
                new_base = take()
                if new_base is None or new_base[0] != "iri":
                    return found
                base = resolve_iri(_iri_text(new_base[1]), base)
                continue
            if directive == "graph":
                take()  # the graph's name; its block follows
                continue
            if value == ".":
                continue
            if kind in ("iri", "pname"):
                following = peek()
                if following is not None and following[1] == "{":
                    continue  # a TriG graph's name
                iri = term(kind, value)
                if iri is not None and iri not in found:
                    found[iri] = lines.position(offset)
                start = False
                continue
            if value in ("{", "}"):
                continue
            start = False
        if value in _OPEN:
            depth += 1
        elif value in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and value in (".", "{", "}"):
            start = True
    return found


# --- RDF/XML ----------------------------------------------------------------------

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns# "
_XML_BASE = "http://www.w3.org/XML/1998/namespace base"


def _rdfxml(data: bytes, name: str, base: str) -> dict[str, Position]:
    """Subjects of RDF/XML: the node elements' ``rdf:about`` and ``rdf:ID``."""
    safety.check_xml(data, name)  # refused (entities, depth): no locations
    parser = safety.xml_parser(name, namespace_separator=" ")
    found: dict[str, Position] = {}
    # Per open element: (what its children are, its base IRI).
    stack: list[tuple[str, str]] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        if stack:
            expected, parent_base = stack[-1]
        else:
            expected, parent_base = ("rdf" if tag == _RDF + "RDF" else "node"), base
        own_base = parent_base
        if _XML_BASE in attributes:
            own_base = resolve_iri(attributes[_XML_BASE], parent_base).split("#", 1)[0]
        if expected == "rdf" and not stack:
            stack.append(("node", own_base))
            return
        if expected == "node":
            subject = None
            if _RDF + "about" in attributes:
                subject = resolve_iri(attributes[_RDF + "about"], own_base)
            elif _RDF + "ID" in attributes:
                subject = resolve_iri("#" + attributes[_RDF + "ID"], own_base)
            if subject is not None and subject not in found:
                offset = parser.CurrentByteIndex
                line_start = max(data.rfind(b"\n", 0, offset), data.rfind(b"\r", 0, offset)) + 1
                column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
                found[subject] = (parser.CurrentLineNumber, column)
            stack.append(("property", own_base))
        elif expected == "property":
            kind = attributes.get(_RDF + "parseType", "")
            children = {"Literal": "literal", "Resource": "property", "Collection": "node"}
            stack.append((children.get(kind, "node"), own_base))
        else:
            stack.append(("literal", own_base))

    def end(tag: str) -> None:
        stack.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with contextlib.suppress(xml.parsers.expat.ExpatError):
        parser.Parse(data, True)  # malformed: what was found before the error stands
    return found


# --- JSON-LD ----------------------------------------------------------------------

_JSON_TOKEN = re.compile(
    r'[ \t\r\n]*(?:(?P<string>"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")'
    r"|(?P<number>-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<word>true|false|null)"
    r"|(?P<punct>[{}\[\],:]))"
)


@dataclass
class _Object:
    """A JSON object with the offset of each key: (key, offset, value) in order."""

    entries: list[tuple[str, int, Any]]

    def get(self, key: str) -> Any:
        for name, _offset, value in reversed(self.entries):
            if name == key:
                return value
        return None


class _Json:
    """A JSON reader that keeps the offsets of object keys (the text is valid JSON:
    :func:`pathways.rdf.safety.load_json` read it first)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0

    def token(self) -> tuple[str, str, int]:
        match = _JSON_TOKEN.match(self.text, self.offset)
        if match is None or match.lastgroup is None:
            raise ValueError(f"unexpected JSON at offset {self.offset}")
        self.offset = match.end()
        return match.lastgroup, match.group(match.lastgroup), match.start(match.lastgroup)

    def value(self) -> Any:
        kind, text, offset = self.token()
        if kind == "string":
            return json.loads(text)
        if kind == "number" or kind == "word":
            return json.loads(text)
        if text == "[":
            items: list[Any] = []
            while True:
                mark = self.offset
                kind, text, _ = self.token()
                if text == "]":
                    return items
                if text != ",":
                    self.offset = mark
                    items.append(self.value())
        if text == "{":
            entries: list[tuple[str, int, Any]] = []
            while True:
                kind, text, offset = self.token()
                if text == "}":
                    return _Object(entries)
                if kind == "string":
                    self.token()  # the colon
                    entries.append((json.loads(text), offset, self.value()))
                elif text != ",":
                    break
        raise ValueError(f"unexpected {text!r} at offset {offset}")


@dataclass(frozen=True)
class _Context:
    """What the scan follows of a JSON-LD active context."""

    base: str | None
    document: str  # the document's base IRI, that a null context restores
    prefixes: Mapping[str, str] = field(default_factory=dict)
    ids: frozenset[str] = frozenset({"@id"})  # "@id" and its aliases
    unsure: bool = False  # the context does more than this scan follows

    def with_(self, value: Any) -> _Context:
        items = value if isinstance(value, list) else [value]
        context = self
        for item in items:
            if item is None:
                context = _Context(self.document, self.document, unsure=context.unsure)
            elif isinstance(item, _Object):
                context = context._with_object(item)
            else:  # a remote context: refused before, never read
                context = replace(context, unsure=True)
        return context

    def _with_object(self, item: _Object) -> _Context:
        base, unsure = self.base, self.unsure
        prefixes, ids = dict(self.prefixes), set(self.ids)
        for key, _offset, value in item.entries:
            if key == "@base":
                if value is None:
                    base = None
                elif isinstance(value, str):
                    base = resolve_iri(value, base) if base else value
            elif key in ("@import", "@propagate"):
                unsure = True
            elif key.startswith("@"):
                continue
            elif isinstance(value, str):
                if value == "@id":
                    ids.add(key)
                elif value and value[-1] in ":/?#[]@":
                    prefixes[key] = value
                else:
                    prefixes.pop(key, None)
            elif isinstance(value, _Object):
                if value.get("@context") is not None:
                    unsure = True
                iri = value.get("@id")
                if value.get("@prefix") is True and isinstance(iri, str):
                    prefixes[key] = iri
                else:
                    prefixes.pop(key, None)
            else:
                prefixes.pop(key, None)
        for key, iri in list(prefixes.items()):  # a prefix written with another prefix
            head, sep, tail = iri.partition(":")
            if sep and head in prefixes and head != key and not tail.startswith("//"):
                prefixes[key] = prefixes[head] + tail
        return _Context(base, self.document, prefixes, frozenset(ids), unsure)

    def expand(self, value: str) -> str | None:
        """The IRI of an ``@id`` value (None: a blank node, or not sure)."""
        if value.startswith("_:") or value.startswith("@"):
            return None
        head, sep, tail = value.partition(":")
        if sep and tail.startswith("//"):
            return value
        if self.unsure:
            return None
        if sep and head in self.prefixes:
            return self.prefixes[head] + tail
        if sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", head):
            return value
        return None if self.base is None else resolve_iri(value, self.base)


_NOT_PROPERTIES = frozenset({"@context", "@id", "@graph", "@index", "@included", "@reverse"})


def _jsonld(data: bytes, name: str, base: str) -> dict[str, Position]:
    """Subjects of JSON-LD: the ``@id`` of each node object with more than its ``@id``."""
    safety.check_jsonld(data, name)  # malformed, too deep, remote contexts: no locations
    text = data.decode("utf-8-sig")
    lines = _Lines(text)
    found: dict[str, Position] = {}

    def walk(node: Any, context: _Context) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, context)
            return
        if not isinstance(node, _Object):
            return
        if any(key == "@context" for key, _, _ in node.entries):
            context = context.with_(node.get("@context"))
        keys = {key for key, _, _ in node.entries}
        if "@value" in keys:
            return
        ids = [(offset, value) for key, offset, value in node.entries if key in context.ids]
        if ids and isinstance(ids[-1][1], str) and keys - _NOT_PROPERTIES - context.ids:
            iri = context.expand(ids[-1][1])
            if iri is not None and iri not in found:
                found[iri] = lines.position(ids[-1][0])
        for key, _offset, value in node.entries:
            if key != "@context" and key not in context.ids:
                walk(value, context)

    walk(_Json(text).value(), _Context(base, base))
    return found
