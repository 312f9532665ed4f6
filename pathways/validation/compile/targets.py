"""Focus nodes: the shapes that have targets, and the SPARQL pattern binding ``?this``
to a shape's focus nodes (class with subclasses, node, subjects-of, objects-of,
implicit class targets).

>>> from rdflib import Graph, URIRef
>>> instance_of("?x", URIRef("x:C"), lambda c: [c, URIRef("x:D")])
'{ ?x a <x:C> } UNION { ?x a <x:D> }'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.validation.plans import Unsupported, sparql_term

__all__ = [
    "SPARQL_TARGETS",
    "TARGETS",
    "implicit_class",
    "instance_of",
    "target_pattern",
    "targeted_shapes",
]

SPARQL_TARGETS = "SPARQL-based targets (sh:target)"
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)

#: Above this many subclasses an instance test keeps the rdfs:subClassOf* path.
_MAX_UNION = 16

Subclasses = Callable[[URIRef], Sequence[URIRef]]


def targeted_shapes(sg: Graph) -> set[Node]:
    """Every shape of ``sg`` with a target (an implicit class target too)."""
    shapes: set[Node] = set()
    for target in TARGETS:
        shapes.update(sg.subjects(target, None))
    shapes.update(sg.subjects(SH.target, None))
    for shape_class in (SH.NodeShape, SH.PropertyShape):
        for shape in sg.subjects(RDF.type, shape_class):
            if implicit_class(sg, shape):
                shapes.add(shape)
    return shapes


def implicit_class(sg: Graph, shape: Node) -> bool:
    """A shape that is also a class: its instances are its focus nodes."""
    class_types = set(sg.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class}
    return any(t in class_types for t in sg.objects(shape, RDF.type))


def instance_of(x: str, cls: Node, subclasses: Subclasses | None) -> str:
    """A group pattern matching when ``x`` is an instance of ``cls`` (SHACL's
    definition: ``x rdf:type/rdfs:subClassOf* cls``); with ``subclasses``, a UNION
    over the few classes below ``cls`` in the data instead of the path."""
    path = f"{{ {x} a/<{RDFS.subClassOf}>* {sparql_term(cls)} }}"
    if subclasses is None or not isinstance(cls, URIRef):
        return path
    below = [c for c in subclasses(cls) if c != cls]
    if len(below) >= _MAX_UNION:
        return path
    return " UNION ".join(f"{{ {x} a {sparql_term(c)} }}" for c in [cls, *below])


def target_pattern(
    sg: Graph, shape: Node, focus: tuple[URIRef, ...], subclasses: Subclasses | None
) -> str:
    """A subquery binding ``?this`` to the focus nodes of ``shape`` (each once), limited
    to ``focus`` when given."""
    if (shape, SH.target, None) in sg:
        raise Unsupported(SPARQL_TARGETS)
    parts: list[str] = []
    for cls in sorted(sg.objects(shape, SH.targetClass), key=str):
        parts.append(instance_of("?this", cls, subclasses))
    if implicit_class(sg, shape):
        parts.append(instance_of("?this", shape, subclasses))
    nodes = sorted(sg.objects(shape, SH.targetNode), key=str)
    if nodes:
        parts.append("{ VALUES ?this { " + " ".join(sparql_term(n) for n in nodes) + " } }")
    for prop in sorted(sg.objects(shape, SH.targetSubjectsOf), key=str):
        parts.append(f"{{ ?this {sparql_term(prop)} [] }}")
    for prop in sorted(sg.objects(shape, SH.targetObjectsOf), key=str):
        parts.append(f"{{ [] {sparql_term(prop)} ?this }}")
    only = ""
    if focus:
        only = " VALUES ?this { " + " ".join(sparql_term(f) for f in focus) + " }"
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + only + " } }"
