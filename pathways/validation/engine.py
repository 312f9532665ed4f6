"""Run SHACL validation over a knowledge graph: compiled SPARQL first, pyshacl for the rest.

:func:`validate` is what ``pathways validate`` calls. With ``method="auto"`` every
shape that :mod:`pathways.validation.compiler` translates runs as whole-graph SPARQL
queries in Oxigraph; every other shape (and any compiled query Oxigraph rejects) runs
through pyshacl's own shape validation on the same store. ``method="pyshacl"`` sends
every shape through pyshacl (the reference path); ``method="compiled"`` refuses
shapes that do not compile. Either way the results are the same set (tests compare
them) and carry pyshacl's messages, because messages are built by pyshacl's
constraint components.

Where the time goes, and what keeps it short (10k credentials, all profiles, about
210k results; see ``bench/bench_validate.py``):

- Oxigraph spends a few microseconds per focus node and check, so the compiler
  merges checks on the same focus nodes (or values) into one query with a flag
  column per check, and answers sh:node by the node shape's own checks, run once.
- The queries run in a thread pool; Oxigraph releases the GIL while it evaluates
  and writes SPARQL TSV, so on 2 cores two queries run while the main thread turns
  finished answers into results.
- Rows are read as TSV text, each distinct cell converted to an rdflib term once;
  results are named tuples with their fixed fields (shape, severity, path,
  messages) computed once per check.

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

import contextlib
import gc
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, Literal

from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import RDFS, SH
from rdflib.term import Node

from pathways.errors import InputError, PathwaysError, UsageError
from pathways.sparql_tsv import Cell, cell_key, cell_term
from pathways.store import KnowledgeGraph, to_rdflib
from pathways.validation.compiler import Check, ShapePlan, compile_shapes
from pathways.validation.describe import LABEL_QUERY, describe_nodes
from pathways.validation.graph_rules import NATIVE_RULES
from pathways.validation.profiles import Shapes
from pathways.validation.results import (
    ValidationReport,
    ValidationResult,
    node_key,
    path_from_graph,
    path_key,
)

__all__ = ["Method", "sort_results", "validate"]

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
    with _gc_paused():
        return _validate(kg, shapes, tuple(focus), method)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused: validation builds millions of small
    tuples and no cycles, and the collector would walk them again and again
    (measured: 0.6-1.0 s of 5 s for 10k credentials, more as the heap grows)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _validate(
    kg: KnowledgeGraph, shapes: Shapes | Graph, focus: tuple[URIRef, ...], method: Method
) -> ValidationReport:
    graph = shapes.graph if isinstance(shapes, Shapes) else shapes
    profiles = shapes.profiles if isinstance(shapes, Shapes) else ()
    plans = compile_shapes(graph, tuple(focus), _Subclasses(kg))
    queries = [
        check
        for plan in plans
        if method != "pyshacl" and plan.compiled
        for check in _with_parts(plan.checks)
        if check.native is None
    ]
    batches: list[tuple[object, list[ValidationResult]]] = []  # (dedupe key, results)
    plan_rows: list[tuple[str, str, str]] = []
    # The queries start first; pyshacl's set-up, and the label and credential lists
    # the report needs at the end, run while they do.
    with _Answers(kg, queries, extra=(LABEL_QUERY, _CREDENTIALS)) as answers:
        runner = _Runner(kg, graph, tuple(focus))
        for check in answers.as_completed():  # results while the other queries run
            if not answers.ready(check):
                continue  # its conformance checks are still running: done below
            with contextlib.suppress(PathwaysError):  # raised again for its plan below
                runner.check_results(check, answers)
        for plan in plans:
            name = runner.shape_name(plan.shape)
            if method != "pyshacl" and plan.compiled:
                try:
                    found = runner.run_compiled(plan, answers)
                except PathwaysError as err:
                    reason = f"Oxigraph rejected a compiled query ({err.message})"
                else:
                    batches.extend(found)
                    plan_rows.append((name, "compiled", f"{len(plan.checks)} queries"))
                    for prop, focus_query, why in plan.delegated:
                        batches.append((None, runner.run_pyshacl(prop, focus_query)))
                        plan_rows.append((runner.shape_name(prop), "pyshacl", why))
                    continue
            else:
                reason = plan.reason or "pyshacl requested"
            if method == "compiled":
                raise UsageError(
                    f"shape {name} does not compile to SPARQL: {reason}",
                    hint="use the default method to let pyshacl check it",
                )
            batches.append((None, runner.run_pyshacl(plan.shape)))
            plan_rows.append((name, "pyshacl", reason))
        label_rows = answers.cells(LABEL_QUERY)
        credentials = _credentials(answers.cells(_CREDENTIALS), focus)
    unique = _unique(batches)
    labels, anchors = describe_nodes(kg, graph, unique, label_rows)
    return ValidationReport(
        results=tuple(sort_results(unique, labels)),
        profiles=profiles,
        checked=tuple(credentials),
        labels=labels,
        anchors=anchors,
        plan=tuple(plan_rows),
    )


def sort_results(
    results: Sequence[ValidationResult], labels: dict[Node, str]
) -> list[ValidationResult]:
    """Results in report order: by focus (its description, then its key), path,
    value, severity, shape, component, value description and message.

    Every node's sort text is computed once; millions of results share a few
    thousand distinct paths, shapes and values.

    >>> from rdflib import URIRef, Literal
    >>> a, b = URIRef("urn:x:a"), URIRef("urn:x:b")
    >>> r = lambda f, v: ValidationResult(f, None, v, SH.Violation, a, SH.ClassConstraintComponent)
    >>> [(str(x.focus), str(x.value)) for x in
    ...  sort_results([r(b, Literal(1)), r(a, Literal(2)), r(a, Literal(1))], {b: "B", a: "Z"})]
    [('urn:x:b', '1'), ('urn:x:a', '1'), ('urn:x:a', '2')]
    """
    groups: dict[Node, list[ValidationResult]] = {}
    for r in results:
        group = groups.get(r.focus)
        if group is None:
            groups[r.focus] = [r]
        else:
            group.append(r)
    # The sort texts of values, paths, severities, shapes and components, looked up by
    # object identity: equal rdflib terms compare in Python, identity in C (the engine
    # hands out one object per term, and equal objects give equal texts anyway).
    values: dict[int, tuple[str, str]] = {}
    paths: dict[int, str] = {}
    kinds: dict[tuple[int, int, int], tuple[str, str, str]] = {}
    for r in results:
        if id(r.value) not in values:
            text = "" if r.value is None else labels.get(r.value, str(r.value))
            values[id(r.value)] = (node_key(r.value), text)
        if id(r.path) not in paths:
            paths[id(r.path)] = "" if r.path is None else path_key(r.path)
        kind = (id(r.severity), id(r.shape), id(r.component))
        if kind not in kinds:
            kinds[kind] = (str(r.severity), node_key(r.shape), str(r.component))

    def key(r: ValidationResult) -> tuple[object, ...]:
        value_key, value_text = values[id(r.value)]
        severity, shape, component = kinds[id(r.severity), id(r.shape), id(r.component)]
        messages = r.messages
        return (
            paths[id(r.path)],
            value_key,
            severity,
            shape,
            component,
            value_text,
            messages[0] if len(messages) == 1 else " / ".join(messages),
        )

    # Sorting each focus node's few results, then the focus nodes, compares far
    # less than one sort of millions of results.
    ordered: list[ValidationResult] = []
    for node in sorted(groups, key=lambda n: (labels.get(n, str(n)), node_key(n))):
        group = groups[node]
        if len(group) > 1:
            group.sort(key=key)
        ordered.extend(group)
    return ordered


_CREDENTIALS = (
    "SELECT DISTINCT ?c WHERE { ?c a/rdfs:subClassOf* pw:CredentialSpecification "
    "FILTER(isIRI(?c)) } ORDER BY ?c"
)


def _credentials(rows: list[tuple[Cell, ...]], focus: Sequence[URIRef]) -> list[Node]:
    """The credentials checked: every credential specification, or those in ``focus``."""
    found: list[Node] = [URIRef(cell_key(row[0])) for row in rows if row[0]]
    if focus:
        wanted = set(focus)
        return [c for c in found if c in wanted]
    return found


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


def _unique(batches: list[tuple[object, list[ValidationResult]]]) -> list[ValidationResult]:
    """All results, each once. A compiled check's rows are distinct, and checks of
    different shapes or components cannot give equal results, so only batches that
    share a key (a shape and component checked twice) and pyshacl's (key None: it
    may report a result twice) are deduplicated; hashing millions of results costs
    seconds."""
    keys = Counter(key for key, _batch in batches)
    unique: list[ValidationResult] = []
    shared: dict[object, list[ValidationResult]] = {}
    for key, batch in batches:
        if key is None or keys[key] > 1:
            shared.setdefault(key, []).extend(batch)
        else:
            unique.extend(batch)
    for batch in shared.values():
        unique.extend(dict.fromkeys(batch))
    return unique


def _with_parts(checks: Iterable[Check]) -> Iterator[Check]:
    """Checks and, depth first, the checks of their memoised sh:node conformance."""
    for check in checks:
        yield check
        yield from _with_parts(check.conformance)


class _Subclasses:
    """The classes below a class in the data graph, each asked once."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        self.found: dict[URIRef, list[URIRef]] = {}

    def __call__(self, cls: URIRef) -> list[URIRef]:
        if cls not in self.found:
            _names, rows = self.kg.select_cells(
                f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>+ <{cls}> FILTER(isIRI(?c)) }}"
            )
            self.found[cls] = sorted(URIRef(cell_key(row[0])) for row in rows if row[0])
        return self.found[cls]


class _Answers:
    """The compiled checks' SELECT queries, run by a thread pool as soon as validation
    starts: Oxigraph evaluates and serialises without holding the GIL, so on 2 cores
    two queries run at once while the main thread turns finished answers into
    results. The queries that carry the most checks go first (they take longest),
    so the pool does not end on one long query with the other thread idle. A query
    Oxigraph rejects raises its QueryError when its answer is asked for."""

    def __init__(
        self, kg: KnowledgeGraph, checks: Sequence[Check], extra: Sequence[str] = ()
    ) -> None:
        self._pool = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="validate")
        self._checks: dict[str, list[Check]] = {}
        for check in checks:  # merged checks share one query
            self._checks.setdefault(check.query, []).append(check)
        order = sorted(self._checks, key=lambda q: (-len(self._checks[q]), -len(q)))
        self._futures: dict[str, Future[tuple[list[str], list[tuple[Cell, ...]]]]] = {
            query: self._pool.submit(kg.select_cells, query) for query in [*order, *extra]
        }

    def cells(self, query: str) -> list[tuple[Cell, ...]]:
        """The rows of one of the ``extra`` queries (waits for it)."""
        return self._futures[query].result()[1]

    def get(self, check: Check) -> tuple[list[str], list[tuple[Cell, ...]]]:
        """The variable names and rows of a check's query (waits for it)."""
        return self._futures[check.query].result()

    def ready(self, check: Check) -> bool:
        """Whether the answers a check needs (its conformance checks' too) are in."""
        return all(
            part.native is not None or self._futures[part.query].done()
            for part in _with_parts([check])
        )

    def as_completed(self) -> Iterator[Check]:
        """Every check, in the order their queries finish."""
        queries = {future: query for query, future in self._futures.items()}
        for future in as_completed(queries):
            yield from self._checks.get(queries[future], ())

    def __enter__(self) -> _Answers:
        return self

    def __exit__(self, *exc: object) -> None:
        for future in self._futures.values():
            future.cancel()
        self._pool.shutdown(wait=True)


#: Query threads: one per core (the GIL-free part is Oxigraph's), at most four.
_WORKERS = max(1, min(4, os.cpu_count() or 1))


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
        self._terms: dict[str, Node] = {}
        self._results: dict[Check, list[ValidationResult]] = {}
        self._message_cache: dict[int, tuple[str, ...]] = {}
        self._template_cache: dict[int, list[str]] = {}

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

    def run_compiled(
        self, plan: ShapePlan, answers: _Answers
    ) -> list[tuple[object, list[ValidationResult]]]:
        """The results of a compiled plan, by check with the check's (shape, component)
        (raises QueryError if Oxigraph rejected one of its queries)."""
        return [
            ((check.shape, check.component), self.check_results(check, answers))
            for check in plan.checks
        ]

    def check_results(self, check: Check, answers: _Answers) -> list[ValidationResult]:
        """The results of one check, computed once (memoised sh:node conformance asks
        again for checks a shape also runs at top level)."""
        found = self._results.get(check)
        if found is not None:
            return found
        if check.native is not None:
            _key, evaluate = NATIVE_RULES[check.native]
            found = [self._from_row(check, row) for row in evaluate(self.kg, check.focus)]
            self._results[check] = found
            return found
        names, rows = answers.get(check)
        if check.flag is not None:  # a merged query: this check's rows are flagged
            at = names.index(check.flag)
            rows = [cells for cells in rows if cells[at] == "true"]
        if check.lexical is not None:
            rows = self._ill_typed(check.lexical, names.index("value"), rows)
        if check.count is not None:
            names, rows = ["this"], self._counted(check, names, rows, answers)
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

    def _failing(self, check: Check, answers: _Answers) -> set[Node]:
        """The values that do not conform: focus nodes of the conformance checks' results."""
        return {r.focus for part in check.conformance for r in self.check_results(part, answers)}

    def _counted(
        self, check: Check, names: list[str], rows: list[tuple[Cell, ...]], answers: _Answers
    ) -> list[tuple[Cell, ...]]:
        """Focus nodes whose number of conforming values breaks the qualified bound."""
        assert check.count is not None
        op, bound = check.count
        failing = self._failing(check, answers) if check.conformance else set()
        at_this, at_value = names.index("this"), names.index("value")
        counts: dict[str, int] = {}
        for cells in rows:
            focus, value = cells[at_this], cells[at_value]
            assert focus is not None
            conforming = value is not None and self._term(value) not in failing
            counts[focus] = counts.get(focus, 0) + conforming
        return [(f,) for f, n in counts.items() if (n < bound if op == "<" else n > bound)]

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
        return check.component == SH.ClosedConstraintComponent or (
            check.source_constraint is not None
        )

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
        index = {name: i for i, name in enumerate(names)}
        others = [
            (name, i)
            for name, i in index.items()
            if name not in ("this", "value", "path") and (not templates or name in needed)
        ]
        at_this, at_value, at_path = index["this"], index.get("value"), index.get("path")
        term = self._term
        for cells in rows:
            cell = cells[at_this]
            assert cell is not None
            focus = term(cell)
            cell = cells[at_value] if at_value is not None else None
            value = term(cell) if cell is not None else None
            if value is None and check.node_shape_value:
                value = focus
            cell = cells[at_path] if at_path is not None else None
            row_path = term(cell) if cell is not None else None
            if fixed is not None:
                messages = fixed
            else:
                bound = {"this": focus}
                for name, i in others:
                    cell = cells[i]
                    if cell is not None:
                        bound[name] = term(cell)
                if row_path is not None:
                    bound["path"] = row_path
                if value is not None:
                    bound["value"] = value
                if pieces:
                    messages = tuple(sorted(_fill_pieces(p, bound) for p in pieces))
                else:
                    messages = self._message_texts(check, shape, focus, value, bound)
            yield ValidationResult(
                focus,
                row_path if isinstance(row_path, URIRef) else check.path,
                value,
                shape.severity,
                check.shape,
                check.component,
                messages,
                check.source_constraint,
            )

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

    def _shape(self, node: Node) -> Any:
        """pyshacl's Shape object for a shape node, looked up once."""
        cache: dict[Node, Any] = self.__dict__.setdefault("_shape_cache", {})
        found = cache.get(node)
        if found is None:
            found = cache[node] = self.shapes_graph.lookup_shape_from_node(node)
        return found

    def _fixed_messages(self, check: Check, shape: Any) -> tuple[str, ...] | None:
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

    def _templates(self, check: Check, shape: Any) -> list[str]:
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
        shape: Any,
        focus: Node,
        value: Node | None,
        bound: dict[str, Node] | None,
    ) -> tuple[str, ...]:
        texts = self._templates(check, shape)
        if not texts:
            component = self._component(check, shape)
            generic = component.make_generic_messages(self.data, focus, value) or []
            texts = [_text(m) for m in generic]
        if bound is not None:
            texts = [_fill(t, bound) if "{" in t else t for t in texts]
        return tuple(sorted(texts))

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
