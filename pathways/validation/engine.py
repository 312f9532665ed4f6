"""Run SHACL validation over a knowledge graph: compiled SPARQL first, pyshacl for the rest.

:func:`validate` is what ``pathways validate`` calls. With ``method="auto"`` every
shape that :mod:`pathways.validation.compiler` translates runs as whole-graph SPARQL
queries in Oxigraph; every other shape (and any compiled query Oxigraph rejects) runs
through pyshacl's own shape validation on the same store. ``method="pyshacl"`` sends
every shape through pyshacl (the reference path); ``method="compiled"`` refuses
shapes that do not compile. Either way the results are the same set (tests compare
them) and carry pyshacl's messages, because messages are built by pyshacl's
constraint components.

>>> from pathways.store import KnowledgeGraph
>>> from rdflib import Graph
>>> kg = KnowledgeGraph.open()
>>> sg = Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
... <urn:x:S> a sh:NodeShape ; sh:targetNode <urn:x:a> ; sh:class <urn:x:C> .''',
...     format="turtle")
>>> report = validate(kg, sg)
>>> [(str(r.focus), r.severity_name) for r in report.results]
[('urn:x:a', 'Violation')]
>>> report.plan[0][1]
'compiled'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.errors import InputError, PathwaysError, UsageError
from pathways.store import KnowledgeGraph, to_rdflib
from pathways.validation.compiler import Check, ShapePlan, compile_shapes
from pathways.validation.describe import describe_nodes
from pathways.validation.graph_rules import NATIVE_RULES
from pathways.validation.profiles import Shapes
from pathways.validation.results import (
    ValidationReport,
    ValidationResult,
    path_from_graph,
)
from pathways.vocab import PW

__all__ = ["Method", "validate"]

Method = Literal["auto", "compiled", "pyshacl"]


def validate(
    kg: KnowledgeGraph,
    shapes: Shapes | Graph,
    *,
    focus: Sequence[URIRef] = (),
    method: Method = "auto",
) -> ValidationReport:
    """Validate the knowledge graph against a shapes graph.

    Parameters
    ----------
    kg
        The data (the ontology is always part of it).
    shapes
        A :class:`~pathways.validation.profiles.Shapes` from ``shapes_for`` or a
        plain rdflib shapes graph.
    focus
        Only validate these focus nodes (of shapes that target them).
    method
        ``auto`` (compiled where possible), ``compiled`` or ``pyshacl``.

    Returns
    -------
    ValidationReport
        Results sorted deterministically, with labels and the plan per shape.
    """
    graph = shapes.graph if isinstance(shapes, Shapes) else shapes
    profiles = shapes.profiles if isinstance(shapes, Shapes) else ()
    runner = _Runner(kg, graph, tuple(focus))
    plans = compile_shapes(graph, tuple(focus))
    results: set[ValidationResult] = set()
    plan_rows: list[tuple[str, str, str]] = []
    for plan in plans:
        name = runner.shape_name(plan.shape)
        if method != "pyshacl" and plan.compiled:
            try:
                results.update(runner.run_compiled(plan))
                plan_rows.append((name, "compiled", f"{len(plan.checks)} queries"))
                for prop, focus_query, why in plan.delegated:
                    results.update(runner.run_pyshacl(prop, focus_query))
                    plan_rows.append((runner.shape_name(prop), "pyshacl", why))
                continue
            except PathwaysError as err:
                reason = f"Oxigraph rejected a compiled query ({err.message})"
        else:
            reason = plan.reason or "pyshacl requested"
        if method == "compiled":
            raise UsageError(
                f"shape {name} does not compile to SPARQL: {reason}",
                hint="use the default method to let pyshacl check it",
            )
        results.update(runner.run_pyshacl(plan.shape))
        plan_rows.append((name, "pyshacl", reason))
    labels, anchors = describe_nodes(kg, graph, results)
    ordered = sorted(results, key=lambda r: _sort_key(r, labels))
    return ValidationReport(
        results=tuple(ordered),
        profiles=profiles,
        checked=tuple(_credentials(kg, focus)),
        labels=labels,
        anchors=anchors,
        plan=tuple(plan_rows),
    )


def _sort_key(result: ValidationResult, labels: dict[Node, str]) -> tuple[str, ...]:
    def text(node: Node | None) -> str:
        return "" if node is None else labels.get(node, str(node))

    return (text(result.focus), *result.key(), text(result.value), result.message)


def _credentials(kg: KnowledgeGraph, focus: Sequence[URIRef]) -> list[Node]:
    rows = kg.select(
        "SELECT DISTINCT ?c WHERE { ?c a/rdfs:subClassOf* ?class } ORDER BY ?c",
        **{"class": PW.CredentialSpecification},
    )
    found = [r["c"] for r in rows if isinstance(r.get("c"), URIRef)]
    return [c for c in found if c in set(focus)] if focus else found


def _always_true(_graph: object) -> bool:
    """pyshacl evaluates ``datagraph or sg``; len() on an Oxigraph graph counts triples."""
    return True


@dataclass
class _Runner:
    kg: KnowledgeGraph
    sg: Graph
    focus: tuple[URIRef, ...]

    def __post_init__(self) -> None:
        from pyshacl.graph_abstraction import DataGraph
        from pyshacl.validator import Validator

        data = DataGraph.from_oxigraph_store(self.kg.store)
        data.__class__ = type("FastBoolDataGraph", (type(data),), {"__bool__": _always_true})
        self.data = data
        try:
            self.validator = Validator(data, shacl_graph=self.sg, options={"inplace": True})
            self.shapes_graph = self.validator.shacl_graph
            self.shapes_graph.shapes  # noqa: B018  (harvests the shapes)
        except Exception as err:  # pyshacl's ShapeLoadError and friends
            raise InputError(f"the shapes graph is not valid SHACL: {err}") from err
        self.executor = self.validator.make_executor()
        if self.focus:
            self.executor.focus_nodes = list(self.focus)
        self.components: dict[tuple[Node, URIRef], Any] = {}

    def shape_name(self, shape: Node) -> str:
        if isinstance(shape, URIRef):
            return self.sg.namespace_manager.normalizeUri(shape)
        return f"[blank shape {self.sg.value(shape, SH.path) or ''}]".replace(" ]", "]")

    # -- pyshacl -------------------------------------------------------------------------

    def run_pyshacl(self, shape: Node, focus_query: str | None = None) -> list[ValidationResult]:
        """Validate one shape with pyshacl: from its targets, or the focus nodes of a query."""
        focus: list[Any] | None = None
        if focus_query is not None:
            focus = [to_rdflib(s["this"]) for s in self.kg.raw_query(focus_query)]
            if not focus:
                return []
        try:
            pyshape = self.shapes_graph.lookup_shape_from_node(shape)
            _conforms, reports = pyshape.validate(self.executor, self.data, focus=focus)
        except PathwaysError:
            raise
        except Exception as err:
            raise InputError(
                f"shape {self.shape_name(shape)} cannot be evaluated: {err}",
                hint="check the shape against the SHACL specification",
            ) from err
        return [self._from_pyshacl(node, triples) for _desc, node, triples in reports]

    def _from_pyshacl(
        self, result: Any, triples: Iterable[tuple[Any, Any, Any]]
    ) -> ValidationResult:
        fields: dict[URIRef, Any] = {}
        messages: list[str] = []
        for subject, predicate, obj in triples:
            if subject != result:  # the triples of nested results (sh:detail)
                continue
            node = obj[1] if isinstance(obj, tuple) else obj
            if predicate == SH.resultMessage:
                messages.append(str(node))
            elif predicate == SH.resultPath:
                fields[predicate] = path_from_graph(
                    obj[0] if isinstance(obj, tuple) else self.sg, node
                )
            else:
                fields[predicate] = node
        return ValidationResult(
            focus=fields[SH.focusNode],
            path=fields.get(SH.resultPath),
            value=fields.get(SH.value),
            severity=fields[SH.resultSeverity],
            shape=fields[SH.sourceShape],
            component=fields[SH.sourceConstraintComponent],
            messages=tuple(sorted(messages)),
            source_constraint=fields.get(SH.sourceConstraint),
        )

    # -- compiled ------------------------------------------------------------------------

    def run_compiled(self, plan: ShapePlan) -> list[ValidationResult]:
        results: list[ValidationResult] = []
        # The same focus nodes and values recur across rows and checks: convert each
        # Oxigraph term to rdflib once.
        terms: dict[Any, Node] = {}

        def term(node: Any) -> Node:
            found = terms.get(node)
            if found is None:
                found = terms[node] = to_rdflib(node)
            return found

        for check in plan.checks:
            if check.native is not None:
                _key, evaluate = NATIVE_RULES[check.native]
                results.extend(self._from_row(check, row) for row in evaluate(self.kg, check.focus))
                continue
            solutions = self.kg.raw_query(check.query)
            names = [v.value for v in solutions.variables]
            width = range(len(names))
            for solution in solutions:
                row = {}
                for i in width:
                    value = solution[i]
                    if value is not None:
                        row[names[i]] = term(value)
                results.append(self._from_row(check, row))
        return results

    def _from_row(self, check: Check, row: dict[str, Node]) -> ValidationResult:
        focus = row.pop("this")
        value = row.pop("value", None)
        path: Any = check.path
        bound: dict[str, Node] | None = None
        if check.component == SH.ClosedConstraintComponent:
            path = row.pop("rpath")
        if check.source_constraint is not None:
            row_path = row.pop("path", None)
            if value is None and check.node_shape_value:
                value = focus
            if row_path is not None:
                path = row_path if isinstance(row_path, URIRef) else path
            bound = {"this": focus, **row}
            if row_path is not None:
                bound["path"] = row_path
            if value is not None:
                bound["value"] = value
        shape = self._shape(check.shape)
        return ValidationResult(
            focus=focus,
            path=path,
            value=value,
            severity=shape.severity,
            shape=check.shape,
            component=check.component,
            messages=self._messages(check, shape, focus, value, bound),
            source_constraint=check.source_constraint,
        )

    def _shape(self, node: Node) -> Any:
        """pyshacl's Shape object for a shape node, looked up once."""
        cache: dict[Node, Any] = self.__dict__.setdefault("_shape_cache", {})
        found = cache.get(node)
        if found is None:
            found = cache[node] = self.shapes_graph.lookup_shape_from_node(node)
        return found

    def _messages(
        self,
        check: Check,
        shape: Any,
        focus: Node,
        value: Node | None,
        bound: dict[str, Node] | None,
    ) -> tuple[str, ...]:
        if bound is None and (check.extra_messages or shape.message):
            # Fixed texts: the same for every result of this check.
            cache: dict[int, tuple[str, ...]] = self.__dict__.setdefault("_message_cache", {})
            found = cache.get(id(check))
            if found is None:
                found = cache[id(check)] = self._message_texts(check, shape, focus, value, None)
            return found
        return self._message_texts(check, shape, focus, value, bound)

    def _message_texts(
        self,
        check: Check,
        shape: Any,
        focus: Node,
        value: Node | None,
        bound: dict[str, Node] | None,
    ) -> tuple[str, ...]:
        own = list(shape.message)
        if check.extra_messages:
            texts = [m for m in check.extra_messages if m not in own] + own
        elif own:
            texts = own
        else:
            component = self._component(check, shape)
            texts = component.make_generic_messages(self.data, focus, value) or []
        out = []
        for text in texts:
            message = str(text.value) if isinstance(text, RdfLiteral) else str(text)
            if bound is not None:
                for var, val in bound.items():
                    message = message.replace("{?" + var + "}", str(val))
                    message = message.replace("{$" + var + "}", str(val))
            out.append(message)
        return tuple(sorted(out))

    def _component(self, check: Check, shape: Any) -> Any:
        key = (check.shape, check.component)
        if key not in self.components:
            from pyshacl.constraints import ALL_CONSTRAINT_COMPONENTS

            cls = next(
                c
                for c in ALL_CONSTRAINT_COMPONENTS
                if c.shacl_constraint_component == check.component
            )
            self.components[key] = cls(shape)
        return self.components[key]
