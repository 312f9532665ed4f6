"""The rule table's types: how one SHACL constraint parameter compiles.

Each constraint component the compiler knows is one :class:`ValueRule` (a test on
every value node, written once as a SPARQL expression) or one :class:`FocusRule`
(a check on a focus node's set of values), registered in
:mod:`pathways.validation.compile.registry`. The same rule serves both ways the
compiler writes SHACL: whole-graph queries for a shape with targets
(:meth:`~pathways.validation.compile.compiler.Compiler.shape_checks`) and an inline
conformance expression for a shape referenced by ``sh:node``, ``sh:not``,
``sh:and``, ``sh:or``, ``sh:xone`` or a qualified value shape
(:meth:`~pathways.validation.compile.compiler.Compiler.conforms`). A new component
is one rule in the module of its concern.

Also here: small readers of a shapes graph the rules share.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from pathways.validation.plans import Check, Unsupported
from pathways.validation.results import PathExpr

if TYPE_CHECKING:
    from pathways.validation.compile.compiler import Compiler

__all__ = [
    "FocusInline",
    "FocusQueries",
    "FocusRule",
    "Site",
    "ValueQuery",
    "ValueRule",
    "ViolationTest",
    "integer",
    "is_true",
    "members",
    "parameters",
]

#: ``(compiler, shape, arg, v, seen) -> expression`` true when value ``v`` violates.
ViolationTest = Callable[["Compiler", Node, Node, str, frozenset[Node]], str]


@dataclass(frozen=True, eq=False)
class Site:
    """Where a constraint is compiled: its shape and path, the pattern binding ``?this``
    to the focus nodes (``focus``), the one binding ``?value`` from ``?this``
    (``values``), and the shapes on the way there (``seen``, against recursion)."""

    shape: Node
    path: PathExpr | None
    focus: str
    values: str
    seen: set[Node]


#: ``(compiler, site, arg) -> checks`` for one argument, or None for the default.
ValueQuery = Callable[["Compiler", Site, Node], list[Check] | None]
#: ``(compiler, site, args) -> checks`` over the whole graph.
FocusQueries = Callable[["Compiler", Site, list[Node]], list[Check]]
#: ``(compiler, args, path, x) -> conjuncts`` true when node ``x`` conforms.
FocusInline = Callable[["Compiler", list[Node], PathExpr | None, str], list[str]]


@dataclass(frozen=True)
class ValueRule:
    """A constraint on each value node: ``violation`` is the whole rule.

    Whole-graph, each argument gives one query of the (focus, value) pairs where the
    test holds (mergeable with other tests on the same values); inline, the test
    under ``NOT EXISTS`` over the path (or on the node itself without one).
    ``query``, when set, may write the whole-graph checks another way for an
    argument (None: use the test).
    """

    parameter: URIRef
    component: URIRef
    violation: ViolationTest
    query: ValueQuery | None = None


@dataclass(frozen=True)
class FocusRule:
    """A constraint on the set of values of each focus node (counts, pairs, ...).

    ``queries`` writes its whole-graph checks; ``inline`` its conformance conjuncts
    inside a referenced shape, None where that does not compile (the shape then goes
    to pyshacl). ``components`` are those its checks report.
    """

    parameter: URIRef
    components: tuple[URIRef, ...]
    queries: FocusQueries
    inline: FocusInline | None = None


Rule = ValueRule | FocusRule


def parameters(sg: Graph, shape: Node) -> list[URIRef]:
    """The predicates of ``shape``, in a stable order."""
    return sorted({p for p in sg.predicates(shape, None) if isinstance(p, URIRef)}, key=str)


def members(sg: Graph, head: Node) -> list[Node]:
    """The members of a SHACL list."""
    if not isinstance(head, (URIRef, BNode)):
        raise Unsupported("a SHACL list that is a literal")
    return list(Collection(sg, head))


def integer(node: Node) -> int | None:
    """A non-negative ``xsd:integer`` literal's value, else None."""
    if isinstance(node, Literal) and node.datatype == XSD.integer:
        value = node.toPython()
        return value if isinstance(value, int) and value >= 0 else None
    return None


def is_true(node: Node) -> bool:
    return isinstance(node, Literal) and node.toPython() is True
