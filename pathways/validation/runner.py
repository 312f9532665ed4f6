"""Turning answers into validation results, and running pyshacl for the rest.

:class:`Runner` reads each shape's severity and messages once, sets pyshacl up only
when a shape or a generic message needs it, and holds the per-validation caches: one
rdflib term per TSV cell, one result list per check, fixed messages per check.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.errors import InputError, PathwaysError, QueryError
from pathways.rdf.sparql_tsv import Cell, cell_term
from pathways.rdf.store import KnowledgeGraph, to_rdflib
from pathways.rdf.terms import ground_term
from pathways.validation.answers import Answers
from pathways.validation.compile import Check, ShapePlan
from pathways.validation.graph_rules import NATIVE_RULES
from pathways.validation.results import (
    ValidationResult,
    path_from_graph,
)
from pathways.validation.sparql_constraints import pre_bound_query

__all__ = ["Runner"]


_PLACEHOLDER = re.compile(r"\{[?$]([A-Za-z0-9_]+)\}")
_PIECES = re.compile(r"(\{[?$]([A-Za-z0-9_]+)\})")


def _text(message: object) -> str:
    return str(message.value) if isinstance(message, RdfLiteral) else str(message)


def _fill(template: str, bound: dict[str, Node]) -> str:
    """A SHACL-SPARQL message template with ``{?var}`` / ``{$var}`` filled in (a
    variable that is not bound stays as written)."""
    return _fill_pieces(_PIECES.split(template), bound)


def _fill_pieces(pieces: list[str], bound: dict[str, Node]) -> str:
    """:func:`_fill` for a template split by ``_PIECES``: text, placeholder, name, ..."""
    out = [pieces[0]]
    for i in range(1, len(pieces), 3):
        node = bound.get(pieces[i + 1])
        out.append(pieces[i] if node is None else str(node))
        out.append(pieces[i + 2])
    return "".join(out)


def _always_true(_graph: object) -> bool:
    """pyshacl evaluates ``datagraph or sg``; len() on an Oxigraph graph counts triples."""
    return True


@dataclass
class _Pyshacl:
    """pyshacl's view of the data (the Oxigraph store) and of the shapes graph."""

    data: Any
    shapes_graph: Any
    executor: Any


@dataclass(frozen=True)
class _Facts:
    """What a compiled check's results take from its shape: severity and messages."""

    severity: Any  # as the shapes graph has it: an IRI in any valid shape
    message: tuple[Node, ...]


@dataclass
class Runner:
    """Results of compiled checks, and pyshacl for what does not compile.

    pyshacl is imported and set up only when it is needed (a shape it checks, a
    generic message it writes, a shape with several severities): with every shape
    compiled and carrying its own messages, as the bundled profiles do, validation
    never pays for it (0.2-0.4 s of a 0.6 s run at 1k credentials)."""

    kg: KnowledgeGraph
    sg: Graph
    focus: tuple[URIRef, ...]
    #: The checks whose results are reported (the others answer sh:node conformance).
    reported: frozenset[Check]

    def __post_init__(self) -> None:
        self.components: dict[tuple[Node, URIRef], Any] = {}
        self._terms: dict[str, Node] = {}
        self._results: dict[Check, list[ValidationResult]] = {}
        self._message_cache: dict[int, tuple[str, ...]] = {}
        self._template_cache: dict[int, list[str]] = {}
        self._facts: dict[Node, _Facts] = {}
        self._loaded: _Pyshacl | None = None

    @property
    def pyshacl(self) -> _Pyshacl:
        """pyshacl's Validator over the store, made on first use (raises InputError
        when pyshacl does not accept the shapes graph)."""
        if self._loaded is None:
            from pyshacl.graph_abstraction import DataGraph
            from pyshacl.validator import Validator

            if self.kg.as_written:  # literals as written: the rdflib view has them
                data = DataGraph.from_rdflib_graph(self.kg.graph)
            else:
                data = DataGraph.from_oxigraph_store(self.kg.store)
            data.__class__ = type("FastBoolDataGraph", (type(data),), {"__bool__": _always_true})
            try:
                validator = Validator(data, shacl_graph=self.sg, options={"inplace": True})
                shapes_graph = validator.shacl_graph
                shapes_graph.shapes  # noqa: B018  (harvests the shapes)
            except Exception as err:  # pyshacl's ShapeLoadError and friends
                raise InputError(f"the shapes graph is not valid SHACL: {err}") from err
            executor = validator.make_executor()
            if self.focus:
                executor.focus_nodes = list(self.focus)
            self._loaded = _Pyshacl(data, shapes_graph, executor)
        return self._loaded

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
            with _collecting():
                loaded = self.pyshacl
                pyshape = loaded.shapes_graph.lookup_shape_from_node(shape)
                _conforms, reports = pyshape.validate(loaded.executor, loaded.data, focus=focus)
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

    def run_compiled(
        self, plan: ShapePlan, answers: Answers
    ) -> list[tuple[object, list[ValidationResult]]]:
        """The results of a compiled plan, by check with the check's (shape, component)
        (raises QueryError if Oxigraph rejected one of its queries)."""
        found: list[tuple[object, list[ValidationResult]]] = []
        for check in plan.checks:
            results = self.check_results(check, answers)
            if check.chains and results:
                results = self._per_chain(results, answers.cells(check.chains))
            found.append(((check.shape, check.component), results))
        return found

    def _per_chain(
        self, results: list[ValidationResult], rows: list[tuple[Cell, ...]]
    ) -> list[ValidationResult]:
        """Results repeated once per chain of outer focus nodes their focus node is
        reached along (rows: focus node, number of chains; only those above one)."""
        if not rows:
            return results
        chains: dict[Node, int] = {}
        for this, n in rows:
            assert this is not None and n is not None
            count = cell_term(n)
            chains[self._term(this)] = int(count) if isinstance(count, RdfLiteral) else 1
        return [r for r in results for _ in range(chains.get(r.focus, 1))]

    def check_results(self, check: Check, answers: Answers) -> list[ValidationResult]:
        """The results of one check, computed once (memoised sh:node conformance asks
        again for checks a shape also runs at top level)."""
        found = self._results.get(check)
        if found is not None:
            return found
        if check.pre_bound:
            found = [self._from_row(check, row) for row in self._pre_bound_rows(check)]
            self._results[check] = found
            return found
        if check.native is not None:
            _key, evaluate = NATIVE_RULES[check.native]
            found = [self._from_row(check, row) for row in evaluate(self.kg, check.focus)]
            self._results[check] = found
            return found
        names, rows = answers.get(check)
        if check.flag is not None:  # a merged query: this check's rows are flagged
            at, char = names.index("_flags"), check.flag + 1  # the cell is '"0110"'
            rows = [cells for cells in rows if cells[at][char] == "1"]  # type: ignore[index]
        if check.lexical is not None:
            rows = self._ill_typed(check.lexical, names.index("value"), rows)
        if check.count is not None:
            names, rows = self._counted(check, names, rows, answers)
        elif check.conformance and rows:
            failing = self._failing(check, answers)
            where = names.index("value")
            rows = [c for c in rows if self._term(c[where] or '""') in failing]
        if not rows:
            found = []
        elif not self._templated(check):
            found = list(self._from_cells(check, names, rows))
        elif check.component != SH.ClosedConstraintComponent:
            found = list(self._from_sparql_cells(check, names, rows))
        else:
            term = self._term
            found = []
            for cells in rows:
                row = {names[i]: term(cell) for i, cell in enumerate(cells) if cell is not None}
                found.append(self._from_row(check, row))
        self._results[check] = found
        return found

    def _pre_bound_rows(self, check: Check) -> list[dict[str, Node]]:
        """The rows of a SHACL-SPARQL query run once per focus node with ``$this``
        substituted (a blank focus node, which a query cannot name, is passed to
        Oxigraph as a substitution)."""
        rows: list[dict[str, Node]] = []
        for found in self.kg.raw_query(f"SELECT DISTINCT ?this WHERE {{ {check.focus} }}"):
            node = to_rdflib(found["this"])
            term = ground_term(node)
            try:
                if term is not None:
                    solutions = self.kg.raw_query(pre_bound_query(check.query, term))
                else:
                    solutions = self.kg.store.query(
                        check.query, substitutions={ox.Variable("this"): found["this"]}
                    )
            except (SyntaxError, OSError, ValueError) as err:  # from the store itself
                raise QueryError(str(err)) from err
            names = [v.value for v in solutions.variables]
            for solution in solutions:
                row = {n: to_rdflib(solution[n]) for n in names if solution[n] is not None}
                row["this"] = node
                rows.append(row)
        return rows

    def _failing(self, check: Check, answers: Answers) -> set[Node]:
        """The values that do not conform: focus nodes of the conformance checks' results."""
        return {r.focus for part in check.conformance for r in self.check_results(part, answers)}

    def _counted(
        self, check: Check, names: list[str], rows: list[tuple[Cell, ...]], answers: Answers
    ) -> tuple[list[str], list[tuple[Cell, ...]]]:
        """Focus nodes whose number of conforming values breaks the qualified bound: the
        columns but ``value``, one row per focus node (and outer focus nodes, when the
        focus pattern is nested)."""
        assert check.count is not None
        op, bound = check.count
        failing = self._failing(check, answers) if check.conformance else set()
        at_value = names.index("value")
        kept = [i for i in range(len(names)) if i != at_value]
        counts: dict[tuple[Cell, ...], int] = {}
        for cells in rows:
            value = cells[at_value]
            conforming = value is not None and self._term(value) not in failing
            key = tuple(cells[i] for i in kept)
            counts[key] = counts.get(key, 0) + conforming
        found = [key for key, n in counts.items() if (n < bound if op == "<" else n > bound)]
        return [names[i] for i in kept], found

    def _term(self, cell: str) -> Node:
        """The rdflib term of a TSV cell; the same focus nodes and values recur across
        rows and checks, so each cell is converted once."""
        found = self._terms.get(cell)
        if found is None:
            found = self._terms[cell] = cell_term(cell)
        return found

    def _ill_typed(
        self, datatype: URIRef, where: int, rows: list[tuple[Cell, ...]]
    ) -> list[tuple[Cell, ...]]:
        """The rows whose value is not a well-formed literal of ``datatype``."""
        kept = []
        for cells in rows:
            cell = cells[where]
            value = self._term(cell) if cell is not None else None
            if not (
                isinstance(value, RdfLiteral)
                and value.datatype == datatype
                and value.ill_typed is not True
            ):
                kept.append(cells)
        return kept

    def _templated(self, check: Check) -> bool:
        """Whether a check's rows need more than focus and value (sh:closed result
        paths, SHACL-SPARQL bindings that fill message templates)."""
        return check.component == SH.ClosedConstraintComponent or (check.sparql_rows)

    def _from_cells(
        self, check: Check, names: list[str], rows: list[tuple[Cell, ...]]
    ) -> Iterator[ValidationResult]:
        """Results of a plain check (focus and value only), fixed fields computed once."""
        shape = self._shape(check.shape)
        severity, path, component = shape.severity, check.path, check.component
        fixed = self._fixed_messages(check, shape)
        this = names.index("this")
        where = names.index("value") if "value" in names else None
        term, terms = self._term, self._terms
        for cells in rows:
            cell = cells[this]
            assert cell is not None
            focus = terms.get(cell) or term(cell)
            value: Node | None = None
            if where is not None:
                cell = cells[where]
                if cell is not None:
                    value = terms.get(cell) or term(cell)
            yield ValidationResult(
                focus,
                path,
                value,
                severity,
                check.shape,
                component,
                fixed
                if fixed is not None
                else self._message_texts(check, shape, focus, value, None),
                None,
            )

    def _from_sparql_cells(
        self, check: Check, names: list[str], rows: list[tuple[Cell, ...]]
    ) -> Iterator[ValidationResult]:
        """Results of a SHACL-SPARQL check: :meth:`_from_row` without a dict per row,
        converting only the cells the message templates name."""
        shape = self._shape(check.shape)
        templates = self._templates(check, shape)
        needed = {m.group(1) for t in templates for m in _PLACEHOLDER.finditer(t)}
        fixed = tuple(sorted(templates)) if templates and not needed else None
        # Each template split once: [text, "{?var}", "var", text, ...].
        pieces = [_PIECES.split(t) for t in templates]
        only = pieces[0] if len(pieces) == 1 else None  # one template: no sorting
        index = {name: i for i, name in enumerate(names)}
        others = [
            (name, i)
            for name, i in index.items()
            if name not in ("this", "value", "path") and (not templates or name in needed)
        ]
        at_this, at_value, at_path = index["this"], index.get("value"), index.get("path")
        severity, component, shape_node = shape.severity, check.component, check.shape
        source, own_value = check.source_constraint, check.node_shape_value
        term, get = self._term, self._terms.get
        for cells in rows:
            cell = cells[at_this]
            assert cell is not None
            focus = get(cell) or term(cell)
            cell = cells[at_value] if at_value is not None else None
            value = (get(cell) or term(cell)) if cell is not None else None
            if value is None and own_value:
                value = focus
            cell = cells[at_path] if at_path is not None else None
            row_path = (get(cell) or term(cell)) if cell is not None else None
            if fixed is not None:
                messages = fixed
            else:
                bound = {"this": focus}
                for name, i in others:
                    cell = cells[i]
                    if cell is not None:
                        bound[name] = get(cell) or term(cell)
                if row_path is not None:
                    bound["path"] = row_path
                if value is not None:
                    bound["value"] = value
                if only is not None:
                    messages = (_fill_pieces(only, bound),)
                elif pieces:
                    messages = tuple(sorted([_fill_pieces(p, bound) for p in pieces]))
                else:
                    messages = self._message_texts(check, shape, focus, value, bound)
            yield ValidationResult(
                focus,
                row_path if isinstance(row_path, URIRef) else check.path,
                value,
                severity,
                shape_node,
                component,
                messages,
                source,
            )

    def _from_row(self, check: Check, row: dict[str, Node]) -> ValidationResult:
        focus = row.pop("this")
        value = row.pop("value", None)
        path: Any = check.path
        bound: dict[str, Node] | None = None
        if check.component == SH.ClosedConstraintComponent:
            path = row.pop("rpath")
        if check.sparql_rows:
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
        fixed = self._fixed_messages(check, shape) if bound is None else None
        return ValidationResult(
            focus=focus,
            path=path,
            value=value,
            severity=shape.severity,
            shape=check.shape,
            component=check.component,
            messages=fixed
            if fixed is not None
            else self._message_texts(check, shape, focus, value, bound),
            source_constraint=check.source_constraint,
        )

    def _shape(self, node: Node) -> _Facts:
        """A shape's severity and messages, read once (as pyshacl reads them)."""
        found = self._facts.get(node)
        if found is None:
            severities = list(self.sg.objects(node, SH.severity))
            if len(severities) > 1:  # pyshacl picks one of them: let it
                severity = self.pyshacl.shapes_graph.lookup_shape_from_node(node).severity
            else:
                severity = severities[0] if severities else SH.Violation
            messages = tuple(dict.fromkeys(self.sg.objects(node, SH.message)))
            found = self._facts[node] = _Facts(severity, messages)
        return found

    def _fixed_messages(self, check: Check, shape: _Facts) -> tuple[str, ...] | None:
        """The messages of a check's results when nothing is filled in: the shape's or
        constraint's own sh:message texts, the same for every result; None when the
        shape has none (pyshacl's generic messages then name the value)."""
        found = self._message_cache.get(id(check))
        if found is None:
            texts = self._templates(check, shape)
            if not texts:
                return None
            found = self._message_cache[id(check)] = tuple(sorted(texts))
        return found

    def _templates(self, check: Check, shape: _Facts) -> list[str]:
        """The own message texts of a check (constraint's first, then the shape's)."""
        found = self._template_cache.get(id(check))
        if found is None:
            own = list(shape.message)
            extra = [m for m in check.extra_messages if m not in own]
            found = self._template_cache[id(check)] = [_text(m) for m in extra + own]
        return found

    def _message_texts(
        self,
        check: Check,
        shape: _Facts,
        focus: Node,
        value: Node | None,
        bound: dict[str, Node] | None,
    ) -> tuple[str, ...]:
        texts = self._templates(check, shape)
        if not texts and check not in self.reported:
            return ()  # a conformance check's results only say which values fail
        if not texts:
            component = self._component(check)
            generic = component.make_generic_messages(self.pyshacl.data, focus, value) or []
            texts = [_text(m) for m in generic]
        if bound is not None:
            texts = [_fill(t, bound) if "{" in t else t for t in texts]
        return tuple(sorted(texts))

    def _component(self, check: Check) -> Any:
        """pyshacl's constraint component of a check (for its generic messages)."""
        key = (check.shape, check.component)
        if key not in self.components:
            from pyshacl.constraints import ALL_CONSTRAINT_COMPONENTS

            cls = next(
                c
                for c in ALL_CONSTRAINT_COMPONENTS
                if c.shacl_constraint_component == check.component
            )
            shape = self.pyshacl.shapes_graph.lookup_shape_from_node(check.shape)
            self.components[key] = cls(shape)
        return self.components[key]


@contextlib.contextmanager
def _collecting() -> Iterator[None]:
    """The cyclic garbage collector running while pyshacl works, also inside
    :func:`~pathways.validation.engine.validate`, which pauses it for the compiled
    checks: pyshacl leaves cyclic garbage (rdflib nodes, its shape objects) that would
    otherwise pile up and be walked in one go when validation ends (100 credentials
    checked by pyshacl against every bundled profile grew to 6.7 GB)."""
    paused = not gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if paused:
            gc.disable()
