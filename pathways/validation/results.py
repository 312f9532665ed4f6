"""The validation result model: what a check found, in a form every renderer shares.

A :class:`ValidationResult` is one SHACL validation result with plain, hashable
fields; a :class:`ValidationReport` is the sorted set of them plus what was checked.
Property paths are kept as :data:`PathExpr` values (an IRI, or a tuple for complex
paths) so that results from pyshacl, from the compiled SPARQL and from a W3C test
manifest compare equal when they mean the same thing.

>>> from rdflib import URIRef
>>> from pathways.validation.results import path_text
>>> path_text(("^", (URIRef("http://ex.org/p"),)))
'^<http://ex.org/p>'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import NamedTuple

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

__all__ = [
    "SEVERITIES",
    "PathExpr",
    "ValidationReport",
    "ValidationResult",
    "node_key",
    "path_from_graph",
    "path_key",
    "path_text",
    "results_from_report_graph",
]

#: A SHACL property path: an IRI, or (operator, operand) with operator one of
#: ``^`` (inverse), ``/`` (sequence), ``|`` (alternative), ``*``, ``+``, ``?`` and the
#: operands in a tuple (one operand for the unary operators).
PathExpr = URIRef | tuple[str, tuple["PathExpr", ...]]

#: Severity IRIs from most to least severe, with their short names.
SEVERITIES: dict[URIRef, str] = {
    SH.Violation: "Violation",
    SH.Warning: "Warning",
    SH.Info: "Info",
}

_SEVERITY_NAMES = {str(iri): name for iri, name in SEVERITIES.items()}

_UNARY = {SH.inversePath: "^", SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


def path_from_graph(graph: Graph, node: Node) -> PathExpr:
    """Read the SHACL path rooted at ``node`` in ``graph`` into a :data:`PathExpr`.

    >>> g = Graph().parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . "
    ...     "<x:s> sh:path [ sh:inversePath <x:p> ] .", format="turtle")
    >>> path_from_graph(g, g.value(URIRef("x:s"), SH.path))
    ('^', (rdflib.term.URIRef('x:p'),))
    """
    if isinstance(node, URIRef):
        return node
    if (node, RDF.first, None) in graph:
        return ("/", tuple(path_from_graph(graph, n) for n in Collection(graph, node)))
    for predicate, operator in _UNARY.items():
        inner = graph.value(node, predicate)
        if inner is not None:
            return (operator, (path_from_graph(graph, inner),))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return ("|", tuple(path_from_graph(graph, n) for n in Collection(graph, alternatives)))
    raise ValueError(f"not a SHACL path: {node!r}")


def path_text(path: PathExpr, shorten: dict[str, str] | None = None) -> str:
    """Render a path in SPARQL property-path syntax (IRIs shortened with ``shorten``)."""
    if isinstance(path, URIRef):
        if shorten:
            for namespace, prefix in shorten.items():
                if path.startswith(namespace) and _is_local(path[len(namespace) :]):
                    return f"{prefix}:{path[len(namespace) :]}"
        return f"<{path}>"
    operator, operand = path
    if operator in ("/", "|"):
        return "(" + operator.join(path_text(p, shorten) for p in operand) + ")"
    inner = path_text(operand[0], shorten)
    return f"^{inner}" if operator == "^" else f"({inner}){operator}"


def _is_local(name: str) -> bool:
    return bool(name) and all(c.isalnum() or c in "_-." for c in name) and not name.endswith(".")


class ValidationResult(NamedTuple):
    """One validation result, as SHACL defines it (blank nodes as found in the graph).

    A named tuple rather than a dataclass: a large catalogue yields millions of
    results, and a tuple is built four times faster than a frozen dataclass.
    """

    focus: Node
    path: PathExpr | None
    value: Node | None
    severity: URIRef
    shape: Node
    component: URIRef
    messages: tuple[str, ...] = ()
    source_constraint: Node | None = None

    @property
    def severity_name(self) -> str:
        """``Violation``, ``Warning`` or ``Info`` (a custom severity: its IRI)."""
        text = str(self.severity)  # a plain str: looked up in C, not rdflib's __eq__
        return _SEVERITY_NAMES.get(text, text)

    @property
    def message(self) -> str:
        """The messages in one line (sorted; usually there is exactly one)."""
        return " / ".join(self.messages)

    def key(self) -> tuple[str, ...]:
        """A comparison key that ignores blank-node identity and messages."""
        return (
            node_key(self.focus),
            path_key(self.path) if self.path is not None else "",
            node_key(self.value),
            str(self.severity),
            node_key(self.shape),
            str(self.component),
        )


_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long}


@lru_cache(maxsize=65536)
def path_key(path: PathExpr) -> str:
    """A path's comparison key (its SPARQL text with full IRIs)."""
    return path_text(path)


def node_key(node: Node | None) -> str:
    """A node's comparison key: blank nodes all alike, numbers by value, xsd:string
    literals like plain ones."""
    if type(node) is URIRef:  # most nodes: no cache (a report has millions of IRIs)
        return f"<{node}>"
    return _other_key(node)


@lru_cache(maxsize=65536)
def _other_key(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return "_:"
    if isinstance(node, Literal):
        if node.datatype == XSD.string:
            node = Literal(str(node))
        elif node.datatype in _NUMERIC and not node.ill_typed:
            # Oxigraph keeps numbers in canonical form ("4.0" reads as "4"); compare values
            return f"{Decimal(str(node.toPython())).normalize()}^^<{node.datatype}>"
        return node.n3()
    return f"<{node}>"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of one validation run.

    ``results`` are sorted (see :meth:`sorted_results`); ``labels`` maps nodes to
    human descriptions (labels, prefixed names, "the assessment of pilot:x" for
    blank nodes); ``plan`` says which engine checked each shape and why.
    """

    results: tuple[ValidationResult, ...]
    profiles: tuple[str, ...] = ()
    checked: tuple[Node, ...] = ()
    labels: Mapping[Node, str] = field(default_factory=dict, hash=False, compare=False)
    anchors: dict[Node, URIRef] = field(default_factory=dict, hash=False, compare=False)
    plan: tuple[tuple[str, str, str], ...] = ()

    @property
    def conforms(self) -> bool:
        """True when there are no results at all (SHACL conformance)."""
        return not self.results

    @cached_property
    def _severity_counts(self) -> Counter[str]:
        return Counter(str(r.severity) for r in self.results)

    def count(self, severity: URIRef) -> int:
        """How many results have this severity."""
        return self._severity_counts[str(severity)]

    def at_or_above(self, severity: URIRef) -> list[ValidationResult]:
        """Results at ``severity`` or more severe (Violation > Warning > Info)."""
        order = [str(s) for s in SEVERITIES]
        kept = set(order[: order.index(str(severity)) + 1])
        return [r for r in self.results if str(r.severity) in kept or str(r.severity) not in order]

    def anchor(self, result: ValidationResult) -> str:
        """The IRI a result is about: its focus, or the IRI its blank focus hangs from."""
        if isinstance(result.focus, BNode) and result.focus in self.anchors:
            return str(self.anchors[result.focus])
        return str(result.focus)

    def describe(self, node: Node | None) -> str:
        """The human description of a node (label or prefixed name)."""
        if node is None:
            return ""
        return self.labels.get(node, str(node))


def results_from_report_graph(graph: Graph, report: Node | None = None) -> list[ValidationResult]:
    """Read the ``sh:result`` entries of a ``sh:ValidationReport`` in ``graph``.

    Used to read pyshacl's report and the expected reports of the W3C test suite.
    """
    if report is None:
        report = graph.value(None, RDF.type, SH.ValidationReport)
    if report is None:
        raise ValueError("no sh:ValidationReport in the graph")
    results = []
    for node in graph.objects(report, SH.result):
        path_node = graph.value(node, SH.resultPath)
        messages = sorted(str(m) for m in graph.objects(node, SH.resultMessage))
        results.append(
            ValidationResult(
                focus=_required(graph.value(node, SH.focusNode)),
                path=path_from_graph(graph, path_node) if path_node is not None else None,
                value=graph.value(node, SH.value),
                severity=URIRef(str(_required(graph.value(node, SH.resultSeverity)))),
                shape=_required(graph.value(node, SH.sourceShape)),
                component=URIRef(str(_required(graph.value(node, SH.sourceConstraintComponent)))),
                messages=tuple(messages),
                source_constraint=graph.value(node, SH.sourceConstraint),
            )
        )
    return results


def _required(node: Node | None) -> Node:
    if node is None:
        raise ValueError("a validation result lacks a required property")
    return node
