"""What the SHACL-to-SPARQL compiler produces: checks, shape plans, SPARQL terms.

A :class:`ShapePlan` says how one shape with targets is checked: by compiled
:class:`Check` queries, or (with a reason) by pyshacl. :func:`sparql_term` and
:func:`sparql_path` write ground terms and SHACL paths in SPARQL syntax.

>>> sparql_path(("/", (URIRef("x:a"), ("^", (URIRef("x:b"),)))))
'(<x:a>/^<x:b>)'
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.rdf.terms import ground_term
from pathways.validation.results import PathExpr

__all__ = ["Check", "ShapePlan", "Unsupported", "deactivated", "sparql_path", "sparql_term"]


class Unsupported(Exception):
    """A shape or constraint the compiler does not translate (pyshacl checks it)."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query whose rows are validation results.

    Rows bind ``?this`` (the focus node) and, where the constraint has one, ``?value``
    and ``?rpath`` (a result path that differs from the shape's, for sh:closed).
    """

    shape: Node
    component: URIRef
    query: str
    path: PathExpr | None
    source_constraint: Node | None = None
    extra_messages: tuple[Literal, ...] = ()
    node_shape_value: bool = False  # SPARQL constraint on a node shape: value = focus
    #: A :data:`~pathways.validation.graph_rules.NATIVE_RULES` name: a graph algorithm
    #: answers the same question as ``query``.
    native: str | None = None
    #: The graph pattern binding ``?this`` to the focus nodes (used by native rules).
    focus: str = ""
    #: sh:datatype with a lexical space SPARQL cannot check: ``query`` returns every
    #: value, and a row is a result unless its value is a literal of this datatype
    #: that rdflib parses (as pyshacl decides, by ``Literal.ill_typed``).
    lexical: URIRef | None = None
    #: For checks the compiler may merge: a SPARQL expression over ``?this`` (and
    #: ``?value`` when ``values`` is set) that is true exactly on a violation.
    test: str = ""
    #: The pattern binding ``?value`` from ``?this`` (the shape's path), for ``test``.
    values: str = ""
    #: In a merged query: the position of this check's character in the ``?_flags``
    #: column ("1" on the check's rows, "0" elsewhere).
    flag: int | None = None
    #: sh:node by memoised conformance: ``query`` gives (focus, value) pairs, these
    #: checks are the node shape's own over the values, and a value that is the focus
    #: of any of their results does not conform.
    conformance: tuple[Check, ...] = ()
    #: sh:qualifiedValueShape by memoised conformance: ``query`` gives every focus
    #: node with its values (unbound when none), ``conformance`` the qualified shape's
    #: checks over the values, and a focus node is a result when the number of its
    #: conforming values is ``<`` or ``>`` the bound.
    count: tuple[str, int] | None = None
    #: A SHACL-SPARQL query that only pre-binding answers (``$this`` tested where no
    #: pattern binds it): ``query`` is run once per focus node of ``focus`` with
    #: ``?this`` substituted (:func:`~pathways.validation.sparql_constraints.pre_bound_query`).
    pre_bound: bool = False
    #: A SHACL-SPARQL query (a sh:sparql constraint or a constraint component's
    #: validator): rows may bind ``?value`` and ``?path``, and variables that fill
    #: its message templates.
    sparql_rows: bool = False
    #: For a check over a nested focus pattern: a query of the focus nodes reached
    #: along more than one chain of outer focus nodes (``?this``) and how many
    #: (``?_n``); SHACL validates them once per chain, so their results repeat.
    chains: str = ""


@dataclass(frozen=True)
class ShapePlan:
    """How one shape with targets is checked: compiled checks, or why not."""

    shape: Node
    checks: tuple[Check, ...]
    reason: str | None = None
    #: Property shapes of a compiled node shape that pyshacl checks instead: (shape,
    #: SELECT query of their focus nodes, reason).
    delegated: tuple[tuple[Node, str, str], ...] = ()

    @property
    def compiled(self) -> bool:
        """True when every constraint of the shape (and its property shapes) compiled."""
        return self.reason is None


def sparql_term(node: Node) -> str:
    """A ground term in SPARQL syntax (blank nodes cannot be named in a query).

    >>> sparql_term(Literal("a\\"b"))
    '"a\\\\"b"'
    """
    text = ground_term(node)
    if text is None:
        raise Unsupported("a blank node as a constraint parameter")
    return text


def sparql_path(path: PathExpr) -> str:
    """A :data:`PathExpr` as a SPARQL property path."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    operator, operand = path
    if operator in ("/", "|"):
        return "(" + operator.join(sparql_path(p) for p in operand) + ")"
    inner = sparql_path(operand[0])
    return f"^{inner}" if operator == "^" else f"({inner}){operator}"


def deactivated(sg: Graph, shape: Node) -> bool:
    """True when the shape or constraint says ``sh:deactivated true``. Raises
    Unsupported for a value SHACL does not allow (several, or not a literal): pyshacl
    then rejects the shape with its own reason."""
    values = list(sg.objects(shape, SH.deactivated))
    if not values:
        return False
    value = values[0]
    if len(values) > 1 or not isinstance(value, Literal):
        raise Unsupported("a malformed sh:deactivated")
    return bool(value.toPython()) is True
