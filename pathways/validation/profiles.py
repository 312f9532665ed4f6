"""Validation profiles: the bundled ``shapes/<name>.ttl`` files and user shapes files.

A profile file holds exactly one node ``a pwsh:Profile`` with ``pwsh:profileName``,
``rdfs:label``, ``rdfs:comment`` and any number of ``pwsh:includesProfile`` names. A
profile validates with its own shapes plus those of the profiles it includes,
recursively. ``shapes/profile-vocabulary.ttl`` (no profile node) joins every profile.

:func:`shapes_for` gathers the shapes of profiles and of ``--shapes`` files into one
:class:`Shapes` value, after parsing every file with the same checked parser as data
(errors name file and line) and rewriting ``sh:pattern`` values that Python's
:mod:`re` cannot read (see :mod:`pathways.validation.patterns`).

>>> sorted(p.name for p in bundled_profiles().values())[:1] != ["no such profile"]
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.errors import InputError, NotFoundError, UsageError
from pathways.rdf.resources import asset_dir
from pathways.rdf.store import input_files, parse_file, to_rdflib
from pathways.validation.patterns import UnsupportedPattern, needs_translation, python_pattern
from pathways.vocab import PWSH, bind_prefixes

__all__ = [
    "Profile",
    "Shapes",
    "bundled_profiles",
    "read_profiles",
    "read_shapes_graph",
    "shapes_for",
]

VOCABULARY_FILE = "profile-vocabulary.ttl"


@dataclass(frozen=True)
class Profile:
    """A named set of shapes, read from one Turtle file."""

    name: str
    label: str
    comment: str
    includes: tuple[str, ...]
    path: Path


@dataclass(frozen=True)
class Shapes:
    """A shapes graph ready for validation, and where it came from."""

    graph: Graph
    profiles: tuple[str, ...]
    files: tuple[Path, ...]
    translated_patterns: tuple[str, ...] = ()


def read_shapes_graph(paths: Iterable[Path]) -> Graph:
    """Parse shapes files (any RDF syntax pathways reads) into one rdflib graph.

    Raises :class:`InputError` naming the file and line of a syntax error.
    """
    graph = bind_prefixes(Graph())
    for path in paths:
        for quad in parse_file(path):
            obj = to_rdflib(quad.object)
            if isinstance(obj, Literal) and obj.datatype is None and obj.language is None:
                # pyshacl reads the Oxigraph data graph with explicit xsd:string; shapes
                # must agree or sh:in / sh:hasValue never match a string.
                obj = Literal(str(obj), datatype=XSD.string)
            elif isinstance(quad.object, ox.Literal) and quad.object.datatype == ox.NamedNode(
                XSD.boolean
            ):
                # rdflib would normalise "1"^^xsd:boolean to "true"; SHACL's flags are
                # activated by the value true as written (W3C suite uniqueLang-002).
                obj = Literal(quad.object.value, datatype=XSD.boolean, normalize=False)
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), obj))
    return graph


def read_profiles(folder: Path) -> dict[str, Profile]:
    """The profiles defined by the Turtle files of ``folder``, by name."""
    profiles: dict[str, Profile] = {}
    for path in sorted(folder.glob("*.ttl")):
        if path.name == VOCABULARY_FILE:
            continue
        graph = read_shapes_graph([path])
        nodes = list(graph.subjects(URIRef(str(PWSH) + "profileName"), None))
        if len(nodes) != 1:
            continue  # a helper file, not a profile
        node = nodes[0]
        name = str(graph.value(node, URIRef(str(PWSH) + "profileName")))
        if name in profiles:
            raise InputError(
                f"profile {name!r} is defined twice",
                path=path,
                hint=f"also in {profiles[name].path.name}",
            )
        profiles[name] = Profile(
            name=name,
            label=str(graph.value(node, RDFS.label) or name),
            comment=str(graph.value(node, RDFS.comment) or ""),
            includes=tuple(
                sorted(str(o) for o in graph.objects(node, URIRef(str(PWSH) + "includesProfile")))
            ),
            path=path,
        )
    return profiles


def bundled_profiles() -> dict[str, Profile]:
    """The profiles shipped in ``shapes/``, by name."""
    return read_profiles(asset_dir("shapes"))


def _closure(names: Sequence[str], profiles: dict[str, Profile]) -> list[Profile]:
    seen: dict[str, Profile] = {}
    stack = list(reversed(names))
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        if name not in profiles:
            known = ", ".join(sorted(profiles)) or "none"
            raise NotFoundError(f"no profile named {name!r}", hint=f"known profiles: {known}")
        seen[name] = profiles[name]
        stack.extend(reversed(profiles[name].includes))
    return list(seen.values())


def shapes_for(
    profiles: Sequence[str] = (),
    files: Sequence[str | Path] = (),
    *,
    folder: Path | None = None,
) -> Shapes:
    """Gather the shapes of named profiles (with their includes) and of shapes files.

    ``folder`` overrides the bundled ``shapes/`` folder (tests use it). Patterns that
    need it are translated; one that cannot be is an :class:`InputError` naming
    its shape.
    """
    if not profiles and not files:
        raise UsageError("nothing to validate against", hint="give --profile NAME or --shapes FILE")
    shapes_folder = folder if folder is not None else asset_dir("shapes")
    chosen = _closure(profiles, read_profiles(shapes_folder)) if profiles else []
    paths = [p.path for p in chosen]
    vocabulary = shapes_folder / VOCABULARY_FILE
    if chosen and vocabulary.is_file():
        paths.append(vocabulary)
    paths.extend(input_files(files))
    graph = read_shapes_graph(paths)
    translated = translate_patterns(graph)
    return Shapes(
        graph=graph,
        profiles=tuple(p.name for p in chosen),
        files=tuple(paths),
        translated_patterns=translated,
    )


def translate_patterns(graph: Graph) -> tuple[str, ...]:
    """Rewrite, in place, ``sh:pattern`` values that Python's ``re`` cannot read.

    Returns the shapes whose patterns were rewritten (as text, sorted).
    """
    changed: list[str] = []
    for shape, pattern in sorted(graph.subject_objects(SH.pattern), key=str):
        text = str(pattern)
        if not needs_translation(text):
            continue
        try:
            rewritten = python_pattern(text)
        except UnsupportedPattern as err:
            raise InputError(
                f"shape {_name(graph, shape)}: sh:pattern {text[:60]!r}: {err}",
                hint="rewrite the pattern in the XPath/Python regular-expression syntax",
            ) from err
        graph.remove((shape, SH.pattern, pattern))
        graph.add((shape, SH.pattern, Literal(rewritten)))
        changed.append(_name(graph, shape))
    return tuple(sorted(set(changed)))


def _name(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        return graph.namespace_manager.normalizeUri(node)
    owner = graph.value(None, SH.property, node)
    path = graph.value(node, SH.path)
    where = f" of {_name(graph, owner)}" if owner is not None else ""
    return f"[property shape on {path}{where}]" if path is not None else f"[a shape{where}]"
