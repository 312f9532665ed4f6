"""Reading source documents offline: JSON with line-numbered errors, JSON-LD with the
published contexts replaced by copies shipped in ``pathways/interop/contexts/``, RDF
files through the one RDF parser of :mod:`pathways.rdf.parsing`.

Published CTDL and Europass files point at remote ``@context`` URLs. pathways never
fetches them: :data:`KNOWN_CONTEXTS` maps each known URL to a packaged copy (loaded with
:mod:`importlib.resources`), callers may add their own ``{url: file}`` pairs, and any
other remote context is refused with :class:`~pathways.errors.UnsafeInputError`.

>>> sorted(KNOWN_CONTEXTS)[:2]
['http://credreg.net/ctdl/schema/context/json', 'http://credreg.net/ctdlasn/schema/context/json']
>>> substitute_contexts({"@context": "https://example.org/ctx"}, {}, "f.json")
... # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pathways.errors.UnsafeInputError: f.json: remote JSON-LD @context 'https://example.org/ctx' is...
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from pathways.errors import InputError, UnsafeInputError
from pathways.rdf import safety
from pathways.rdf.parsing import parse_bytes
from pathways.rdf.rdflib_view import to_rdflib

__all__ = [
    "KNOWN_CONTEXTS",
    "load_json",
    "packaged_context",
    "parse_jsonld",
    "parse_rdf",
    "read_bytes",
    "substitute_contexts",
]

#: Published context URL -> packaged file. The CTDL-ASN context URL gets the CTDL
#: context, which declares the ``ceasn:`` and ``asn:`` terms as well.
KNOWN_CONTEXTS: dict[str, str] = {
    "https://credreg.net/ctdl/schema/context/json": "ctdl.json",
    "http://credreg.net/ctdl/schema/context/json": "ctdl.json",
    "https://credreg.net/ctdlasn/schema/context/json": "ctdl.json",
    "http://credreg.net/ctdlasn/schema/context/json": "ctdl.json",
    "http://data.europa.eu/snb/model/context/edc-ap": "edc-ap.json",
    "https://data.europa.eu/snb/model/context/edc-ap": "edc-ap.json",
    "https://www.w3.org/2018/credentials/v1": "vc-v1.json",
    "http://www.w3.org/2018/credentials/v1": "vc-v1.json",
}


def read_bytes(path: Path) -> bytes:
    """Read a file, turning operating-system failures into :class:`InputError`."""
    try:
        return path.read_bytes()
    except IsADirectoryError as err:
        raise InputError("is a folder, not a file", path=path) from err
    except FileNotFoundError as err:
        raise InputError("no such file", path=path, hint="check the path") from err
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", path=path) from err


def input_paths(
    paths: Iterable[str | Path], suffixes: tuple[str, ...], *, recursive: bool = False
) -> list[Path]:
    """The files to import: each path as given, a folder as its files with one of
    ``suffixes`` (any case), sorted, and with ``recursive`` those of its subfolders."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = path.rglob("*") if recursive else path.iterdir()
            found.extend(sorted(p for p in files if p.suffix.lower() in suffixes))
        else:
            found.append(path)
    return found


def read_json(path: Path) -> tuple[bytes, Any]:
    """A JSON file's bytes and document (:func:`read_bytes`, :func:`load_json`)."""
    data = read_bytes(path)
    return data, load_json(data, path)


def load_json(data: bytes, path: str | Path) -> Any:
    """Parse JSON; malformed or too deeply nested input is an :class:`InputError`
    naming the file (see :func:`pathways.rdf.safety.load_json`)."""
    return safety.load_json(data, path)


@cache
def packaged_context(name: str) -> dict[str, Any]:
    """The ``@context`` object of a context file shipped with pathways."""
    text = resources.files("pathways.interop").joinpath("contexts", name).read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    context: dict[str, Any] = document["@context"]
    return context


def _context_for(
    reference: str, extra: Mapping[str, Path], path: str | Path
) -> dict[str, Any] | None:
    if reference in extra:
        data = read_bytes(Path(extra[reference]))
        document = load_json(data, extra[reference])
        if not isinstance(document, dict) or not isinstance(document.get("@context"), dict):
            raise InputError(
                "a context file must be a JSON object with an '@context' object",
                path=extra[reference],
            )
        return dict(document["@context"])
    if reference in KNOWN_CONTEXTS:
        return packaged_context(KNOWN_CONTEXTS[reference])
    return None


def substitute_contexts(document: Any, extra: Mapping[str, Path], path: str | Path) -> Any:
    """Replace every remote ``@context`` reference by a local context object.

    Raises :class:`UnsafeInputError` for a reference that is neither known nor given.
    """
    if isinstance(document, list):
        return [substitute_contexts(item, extra, path) for item in document]
    if not isinstance(document, dict):
        return document
    result: dict[str, Any] = {}
    for key, value in document.items():
        if key == "@context":
            items = value if isinstance(value, list) else [value]
            resolved: list[Any] = []
            for item in items:
                if isinstance(item, str):
                    local = _context_for(item, extra, path)
                    if local is None:
                        raise UnsafeInputError(
                            f"remote JSON-LD @context {item!r} is not fetched: "
                            "pathways runs offline",
                            path=path,
                            hint=f"give a local copy with --context '{item}=FILE'",
                        )
                    resolved.append(local)
                else:
                    resolved.append(substitute_contexts(item, extra, path))
            result[key] = resolved if len(resolved) != 1 else resolved[0]
        else:
            result[key] = substitute_contexts(value, extra, path)
    return result


def parse_jsonld(
    data: bytes, path: Path, extra_contexts: Mapping[str, Path] | None = None
) -> Graph:
    """Parse JSON-LD into an rdflib graph, offline, with local contexts substituted,
    through the one parser (:func:`pathways.rdf.parsing.parse_bytes`, Oxigraph's JSON-LD
    reader): every named graph's triples land in the one graph returned."""
    document = substitute_contexts(load_json(data, path), extra_contexts or {}, path)
    text = json.dumps(document).encode("utf-8")
    safety.check_jsonld(text, path)  # belt and braces: nothing remote is left
    graph = Graph()  # a document with a top-level @id puts its @graph in a named graph
    add = graph.add
    for quad in parse_bytes(text, path, ox.RdfFormat.JSON_LD):
        add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def parse_rdf(data: bytes, path: Path) -> Graph:
    """Parse an RDF file's bytes (every format :data:`pathways.rdf.parsing.FORMATS`
    knows, chosen by suffix) through the one parser, :func:`pathways.rdf.parsing.
    parse_bytes`, with its safety checks and errors, into an rdflib graph."""
    graph = Graph()
    add = graph.add
    for quad in parse_bytes(data, path):
        add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def parse_document(
    path: Path, extra_contexts: Mapping[str, Path] | None = None
) -> tuple[bytes, Graph]:
    """Read and parse one file by suffix: ``.json``/``.jsonld`` as JSON-LD, else RDF."""
    data = read_bytes(path)
    if path.suffix.lower() in (".json", ".jsonld"):
        return data, parse_jsonld(data, path, extra_contexts)
    return data, parse_rdf(data, path)
