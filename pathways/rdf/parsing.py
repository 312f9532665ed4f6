"""Reading RDF files: formats by suffix, folders, the safety checks, and progress.

:func:`parse_file` is the one way a file becomes quads (after the checks of
:mod:`pathways.rdf.safety`); :func:`input_files` expands folders; :class:`Counting`
wraps a file so a loader can say how far it has read. A file may be read from one
place and named by another (``name``): the persistent store loads the copy it keeps of
a source (see :mod:`pathways.rdf.generations`) with the base IRI and the error messages
of the file the user gave.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import IO, BinaryIO

import pyoxigraph as ox

from pathways.errors import InputError
from pathways.rdf import safety
from pathways.rdf.resources import ontology_files

__all__ = [
    "FORMATS",
    "FORMAT_NAMES",
    "Counting",
    "counting",
    "input_files",
    "ontology_quads",
    "ontology_store",
    "parse_bytes",
    "parse_file",
    "syntax_message",
]

#: File suffix -> Oxigraph format. ``.json`` is read as JSON-LD.
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}

#: Format names accepted by ``--format`` options, mapped to Oxigraph formats.
FORMAT_NAMES: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}

#: Called with (bytes read, bytes in all) as a :class:`Counting` reader advances.
Advance = Callable[[int, int], None]


class Counting(io.RawIOBase):
    """A binary reader that reports how far it has read, every ``every`` bytes.

    Oxigraph's parsers and loaders read a Python file object in small chunks, so
    this is how a load shows progress within one file.
    """

    def __init__(
        self, raw: BinaryIO, total: int, advance: Advance | None, every: int = 1 << 20
    ) -> None:
        super().__init__()
        self._raw = raw
        self.total = total
        self.done = 0
        self._advance = advance
        self._every = every
        self._next = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._advance is not None and self.done >= self._next:
            self._next = self.done + self._every
            self._advance(self.done, self.total)
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self.done += len(data)
        return len(data)


def counting(raw: BinaryIO, total: int, advance: Advance | None) -> IO[bytes]:
    """A buffered :class:`Counting` reader over ``raw``, as Oxigraph's readers take."""
    return io.BufferedReader(Counting(raw, total, advance))


def input_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into the RDF files to load, in a stable order.

    A folder contributes every file below it with a known RDF suffix (sorted); a file
    given by name must exist and have a known suffix.

    >>> input_files(["no/such/file.ttl"])
    Traceback (most recent call last):
    ...
    pathways.errors.InputError: no/such/file.ttl: no such file or folder (check the path)
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS
            )
            if not files:
                raise InputError(
                    "folder holds no RDF files",
                    path=path,
                    hint="expected files ending in " + ", ".join(sorted(FORMATS)),
                )
            found.extend(files)
        elif path.is_file():
            if path.suffix.lower() not in FORMATS:
                raise InputError(
                    f"unknown RDF format {path.suffix or '(no suffix)'!r}",
                    path=path,
                    hint="use one of " + ", ".join(sorted(FORMATS)),
                )
            found.append(path)
        elif path.exists():
            raise InputError("not a regular file", path=path, hint="give a file or a folder")
        else:
            raise InputError("no such file or folder", path=path, hint="check the path")
    return found


def parse_file(
    path: Path,
    fmt: ox.RdfFormat | None = None,
    *,
    name: Path | None = None,
    advance: Advance | None = None,
) -> Iterator[ox.Quad]:
    """Parse one file into quads in the default graph, after the safety checks.

    ``name`` is the file the data stands for (its suffix, base IRI and the name in
    messages; ``path`` by default). Errors are :class:`InputError` naming the file and
    line. Parsing is lazy: a syntax error surfaces while iterating. ``advance`` is
    told how far parsing has read.
    """
    name = name or path
    fmt = fmt or FORMATS.get(name.suffix.lower())
    if fmt is None:
        raise InputError(f"unknown RDF format {name.suffix!r}", path=name)
    try:
        data = path.read_bytes()
    except IsADirectoryError as err:
        raise InputError("is a folder, not a file", path=name) from err
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", path=name) from err
    if fmt == ox.RdfFormat.RDF_XML:
        safety.check_xml(data, name)
    elif fmt == ox.RdfFormat.JSON_LD:
        safety.check_jsonld(data, name)
    yield from _parse_bytes(data, fmt, name, advance)


def parse_bytes(data: bytes, name: Path, fmt: ox.RdfFormat | None = None) -> Iterator[ox.Quad]:
    """Parse bytes already read from the file ``name`` (its suffix picks the format from
    :data:`FORMATS` unless ``fmt`` is given), after the same safety checks and with the
    same errors as :func:`parse_file`: the importers read their RDF through this.
    """
    fmt = fmt or FORMATS.get(name.suffix.lower())
    if fmt is None:
        raise InputError(f"unknown RDF format {name.suffix!r}", path=name)
    if fmt == ox.RdfFormat.RDF_XML:
        safety.check_xml(data, name)
    elif fmt == ox.RdfFormat.JSON_LD:
        safety.check_jsonld(data, name)
    yield from _parse_bytes(data, fmt, name)


def _parse_bytes(
    data: bytes, fmt: ox.RdfFormat, path: Path, advance: Advance | None = None
) -> Iterator[ox.Quad]:
    base = path.resolve().as_uri()
    source: bytes | IO[bytes] = data
    if advance is not None:
        source = counting(io.BytesIO(data), len(data), advance)
    try:
        for quad in ox.parse(source, format=fmt, base_iri=base):
            if fmt.supports_datasets:
                yield ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())
            else:
                yield quad
    except SyntaxError as err:
        raise InputError(
            f"{fmt.name} syntax error: {syntax_message(err)}",
            path=path,
            line=err.lineno,
            hint="fix the syntax at that line; nothing was loaded",
        ) from err
    except UnicodeDecodeError as err:
        raise InputError("not UTF-8 text", path=path, hint="save the file as UTF-8") from err
    except MemoryError as err:  # Oxigraph refuses a token over 16 MiB this way
        raise InputError(
            f"too large to parse: {err}",
            path=path,
            hint="split the file, or shorten the literal or line that is longer than 16 MiB",
        ) from err


@cache
def ontology_quads() -> tuple[ox.Quad, ...]:
    """The bundled ontology's quads, parsed once per process."""
    return tuple(q for file in ontology_files() for q in parse_file(file))


@cache
def ontology_store() -> ox.Store:
    """An in-memory store holding only the bundled ontology, built once per process.

    Oxigraph normalises literals as it stores them (``25.0`` reads back as ``25``), so
    code that compares a graph with the ontology compares against this store.
    Treat it as read-only.
    """
    store = ox.Store()
    store.extend(ontology_quads())
    return store


def syntax_message(err: SyntaxError) -> str:
    """Oxigraph's syntax error message without its position (reported separately)."""
    message = str(err.msg if err.msg else err)
    head, sep, tail = message.partition(": ")
    return tail if sep and head.startswith("Parser error") else message
