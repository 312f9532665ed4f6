"""One validation, several reports: the results of a profile inside a larger run.

SHACL validates each shape on its own (SHACL 3.4: the results of a shapes graph are
the union of each shape's results), so the results a validation against profile *P*
alone would give are exactly the results, in a validation against a set of profiles
that includes *P*, whose shape is one of *P*'s. :func:`profile_results` picks them,
so a server that validates against the core profiles once (conditionality and
stackability integrity) answers the conditionality report without a second run.

A result's shape may be a blank property shape; it belongs to the node shape that
declares it (``sh:property``), followed up to a shape with an IRI, since blank nodes
are not the same nodes in two parses of a shapes file.
"""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.errors import UsageError
from pathways.validation.profiles import Shapes
from pathways.validation.results import ValidationReport, ValidationResult

__all__ = ["profile_results"]

#: Predicates whose objects are shapes nested in their subject (SHACL 2.3, 4.6).
_NESTING = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)


def _named_owner(graph: Graph, shape: Node) -> str | None:
    """The IRI of ``shape``, or of the nearest named shape that nests it."""
    seen: set[Node] = set()
    frontier = [shape]
    while frontier:
        node = frontier.pop()
        if isinstance(node, URIRef):
            return str(node)
        if node in seen:
            continue
        seen.add(node)
        for predicate in _NESTING:
            frontier.extend(graph.subjects(predicate, node))
        for lst in graph.subjects(None, node):  # a member of an rdf:List (sh:and, sh:or)
            frontier.append(lst)
    return None


def profile_results(
    report: ValidationReport, shapes: Shapes, profile: Shapes
) -> tuple[ValidationResult, ...]:
    """The results of ``report`` (a validation against ``shapes``) that a validation
    against ``profile`` alone gives; ``profile``'s profiles must be among ``shapes``'.

    Examples
    --------
    >>> from pathways.rdf.store import KnowledgeGraph
    >>> from pathways.validation import shapes_for, validate
    >>> core = shapes_for((), default_core=True)
    >>> conditionality = shapes_for(("conditionality",))
    >>> report = validate(KnowledgeGraph.open(), core)
    >>> profile_results(report, core, conditionality) == tuple(
    ...     validate(KnowledgeGraph.open(), conditionality).results)
    True
    """
    missing = set(profile.profiles) - set(shapes.profiles)
    if missing or (profile.files and not set(profile.files) <= set(shapes.files)):
        raise UsageError(
            f"the report was not validated against {', '.join(sorted(missing)) or 'its files'}"
        )
    named = {str(s) for s in profile.graph.subjects() if isinstance(s, URIRef)}
    owners: dict[Node, bool] = {}
    kept = []
    for result in report.results:
        shape = result.shape
        if shape not in owners:
            owner = str(shape) if not isinstance(shape, BNode) else None
            owner = owner or _named_owner(shapes.graph, shape)
            owners[shape] = owner is not None and owner in named
        if owners[shape]:
            kept.append(result)
    return tuple(kept)
