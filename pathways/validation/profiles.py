"""Validation profiles: the bundled ``shapes/<name>.ttl`` files and user shapes files.

A profile file holds exactly one node ``a pwsh:Profile`` with ``pwsh:profileName``,
``rdfs:label``, ``rdfs:comment`` and any number of ``pwsh:includesProfile`` names. A
profile validates with its own shapes plus those of the profiles it includes,
recursively. ``shapes/profile-vocabulary.ttl`` (no profile node) joins every profile.

:func:`shapes_for` gathers the shapes of profiles and of ``--shapes`` files into one
:class:`Shapes` value, after parsing every file with the same checked parser as data
(errors name file and line) and rewriting ``sh:pattern`` values that Python's
:mod:`re` cannot read (see :mod:`pathways.validation.patterns`).

Shapes files that cannot pass silently: a ``--shapes`` file that defines no shape
(by the definition of a shape in SHACL section 2.1, the one pyshacl applies too) is an
:class:`~pathways.errors.InputError`, and an ``owl:imports`` that no loaded file
declares as its ``owl:Ontology`` is a warning in :attr:`Shapes.warnings` (pathways
never fetches imports: the imported file must be given with ``--shapes`` too).
Without profiles or files, ``shapes_for(default_core=True)`` checks the core of the
mission, :data:`CORE_PROFILES`.

>>> sorted(p.name for p in bundled_profiles().values())[:1] != ["no such profile"]
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.errors import InputError, NotFoundError, UsageError, nearest
from pathways.rdf import safety
from pathways.rdf.resources import asset_dir, ontology_files
from pathways.rdf.store import input_files, parse_file, to_rdflib
from pathways.validation.patterns import UnsupportedPattern, needs_translation, python_pattern
from pathways.vocab import PWSH, bind_prefixes

__all__ = [
    "CORE_PROFILES",
    "Profile",
    "Shapes",
    "bundled_profiles",
    "count_shapes",
    "read_profiles",
    "read_shapes_graph",
    "shapes_for",
]

VOCABULARY_FILE = "profile-vocabulary.ttl"

#: What ``pathways validate FILE`` checks when given no profile and no shapes file:
#: the core of the mission, pathway conditionality (which includes the EU standard
#: elements) and stackability integrity.
CORE_PROFILES = ("conditionality", "stackability-integrity")


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
    #: How many shapes the graph defines (SHACL section 2.1).
    shape_count: int = 0
    #: What may make a run pass that should not: ``owl:imports`` never loaded.
    warnings: tuple[str, ...] = ()
    #: True when no profile or file was asked for and :data:`CORE_PROFILES` were used.
    default: bool = False


def read_shapes_graph(paths: Iterable[Path]) -> Graph:
    """Parse shapes files (any RDF syntax pathways reads) into one rdflib graph.

    Raises :class:`InputError` naming the file and line of a syntax error.
    """
    graph = bind_prefixes(Graph())
    for path in paths:
        piece = Graph()
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
            piece.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), obj))
        safety.check_lists(piece, path)
        safety.check_embedded_sparql(piece, path)
        graph += piece
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
            close = nearest(name, sorted(profiles))
            guess = f"did you mean {close[0]!r}? " if close else ""
            raise NotFoundError(
                f"no profile named {name!r}", hint=f"{guess}known profiles: {known}"
            )
        seen[name] = profiles[name]
        stack.extend(reversed(profiles[name].includes))
    return list(seen.values())


def shapes_for(
    profiles: Sequence[str] = (),
    files: Sequence[str | Path] = (),
    *,
    folder: Path | None = None,
    default_core: bool = False,
) -> Shapes:
    """Gather the shapes of named profiles (with their includes) and of shapes files.

    ``folder`` overrides the bundled ``shapes/`` folder (tests use it). With neither
    profiles nor files, ``default_core`` chooses :data:`CORE_PROFILES` (and sets
    :attr:`Shapes.default`); otherwise that is a :class:`UsageError`. A shapes file
    that defines no shape is an :class:`InputError`. Patterns that need it are
    translated; one that cannot be is an :class:`InputError` naming its shape.
    """
    default = not profiles and not files
    if default and not default_core:
        raise UsageError("nothing to validate against", hint="give --profile NAME or --shapes FILE")
    if default:
        profiles = CORE_PROFILES
    shapes_folder = folder if folder is not None else asset_dir("shapes")
    chosen = _closure(profiles, read_profiles(shapes_folder)) if profiles else []
    paths = [p.path for p in chosen]
    vocabulary = shapes_folder / VOCABULARY_FILE
    if chosen and vocabulary.is_file():
        paths.append(vocabulary)
    user_files = input_files(files)
    graphs = {path: read_shapes_graph([path]) for path in [*paths, *user_files]}
    for path in user_files:
        if count_shapes(graphs[path]) == 0:
            raise InputError(
                "defines no SHACL shapes, so every graph would conform to it",
                path=path,
                hint="a shape is a sh:NodeShape or sh:PropertyShape, or has a target or a "
                "constraint (SHACL 2.1); is this the data or an ontology instead?",
            )
    graph = bind_prefixes(Graph())
    for part in graphs.values():
        graph += part
    translated = translate_patterns(graph)
    return Shapes(
        graph=graph,
        profiles=tuple(p.name for p in chosen),
        files=tuple(graphs),
        translated_patterns=translated,
        shape_count=count_shapes(graph),
        warnings=tuple(_missing_imports(graphs)),
        default=default,
    )


#: Target predicates (SHACL 2.1.3): their subjects are shapes.
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf, SH.target)
#: Parameters of the SHACL Core constraint components (SHACL 4): their subjects are shapes.
_PARAMETERS = tuple(
    SH[name]
    for name in [
        "class",
        "datatype",
        "nodeKind",
        "minCount",
        "maxCount",
        "minExclusive",
        "minInclusive",
        "maxExclusive",
        "maxInclusive",
        "minLength",
        "maxLength",
        "pattern",
        "languageIn",
        "uniqueLang",
        "equals",
        "disjoint",
        "lessThan",
        "lessThanOrEquals",
        "not",
        "and",
        "or",
        "xone",
        "node",
        "property",
        "qualifiedValueShape",
        "closed",
        "hasValue",
        "in",
        "sparql",
        "path",
    ]
)
#: Shape-expecting parameters: their values are shapes (lists: every member).
_SHAPE_VALUES = (SH["not"], SH.node, SH.property, SH.qualifiedValueShape)
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)


def count_shapes(graph: Graph) -> int:
    """How many shapes ``graph`` defines, by the definition in SHACL section 2.1.

    A shape is a SHACL instance of ``sh:NodeShape`` or ``sh:PropertyShape``, the
    subject of a target or of a constraint parameter, or a value of a
    shape-expecting parameter (``sh:node``, ``sh:property``, ...) or member of
    the list of ``sh:and`` / ``sh:or`` / ``sh:xone``.

    >>> g = Graph().parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . "
    ...     "<x:S> sh:targetNode <x:a> ; sh:property [ sh:path <x:p> ; sh:minCount 1 ] .",
    ...     format="turtle")
    >>> count_shapes(g)
    2
    >>> count_shapes(Graph())
    0
    """
    shapes: set[object] = set()
    for shape_class in (SH.NodeShape, SH.PropertyShape):
        classes = set(graph.transitive_subjects(RDFS.subClassOf, shape_class))
        for cls in classes:
            shapes.update(graph.subjects(RDF.type, cls))
    for predicate in (*_TARGETS, *_PARAMETERS):
        shapes.update(graph.subjects(predicate, None))
    for predicate in _SHAPE_VALUES:
        shapes.update(graph.objects(None, predicate))
    for predicate in _SHAPE_LISTS:
        for head in graph.objects(None, predicate):
            shapes.update(Collection(graph, head))
    return sum(1 for node in shapes if not isinstance(node, Literal))


def _missing_imports(graphs: dict[Path, Graph]) -> list[str]:
    """A warning for each ``owl:imports`` that no loaded file declares as its ontology
    (the bundled ontology counts as loaded: it is always part of the data)."""
    declared = {o for g in graphs.values() for o in g.subjects(RDF.type, OWL.Ontology)}
    missing = [
        (path, imported)
        for path, graph in graphs.items()
        for imported in sorted(set(graph.objects(None, OWL.imports)) - declared, key=str)
    ]
    if missing:  # read the ontology's headers only when they may matter
        ontology = read_shapes_graph(ontology_files())
        declared |= set(ontology.subjects(RDF.type, OWL.Ontology))
    return [
        f"{path.name} imports <{imported}>, which was not loaded: its shapes were not "
        "checked (pathways does not fetch imports); give the imported file with --shapes too"
        for path, imported in missing
        if imported not in declared
    ]


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
