"""Run SHACL validation over a knowledge graph: compiled SPARQL first, pyshacl for the rest.

:func:`validate` is what ``pathways validate`` calls. With ``method="auto"`` every
shape that :mod:`pathways.validation.compiler` translates runs as whole-graph SPARQL
queries in Oxigraph; every other shape (and any compiled query Oxigraph rejects) runs
through pyshacl's own shape validation on the same store. ``method="pyshacl"`` sends
every shape through pyshacl (the reference path); ``method="compiled"`` refuses
shapes that do not compile. Either way the results are the same set (tests compare
them) and carry pyshacl's messages: a shape's own ``sh:message`` texts, or the generic
messages of pyshacl's constraint components (pyshacl is loaded only for those, and
for the shapes it checks).

Where the time goes, and what keeps it short (10k credentials, all profiles, about
210k results; see ``bench/bench_validate.py``):

- Oxigraph spends a few microseconds per focus node and check, so the compiler
  merges checks on the same focus nodes (or values) into one query with a flag
  character per distinct rule, and answers sh:node by the node shape's own checks,
  run once.
- The queries run in a thread pool; Oxigraph releases the GIL while it evaluates
  and writes SPARQL TSV, so on 2 cores two queries run while the main thread turns
  finished answers into results.
- Rows are read as TSV text, each distinct cell converted to an rdflib term once;
  results are named tuples with their fixed fields (shape, severity, path,
  messages) computed once per check.
- The report's order comes from integer ranks and one NumPy lexsort
  (:mod:`pathways.validation.order`); IRIs are described when a report asks.

>>> from pathways.rdf.store import KnowledgeGraph
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
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Literal

from rdflib import Graph, URIRef
from rdflib.term import Node

from pathways.errors import PathwaysError, UsageError
from pathways.rdf.sparql_tsv import Cell, cell_key
from pathways.rdf.store import KnowledgeGraph
from pathways.validation.answers import Answers, Subclasses, with_parts
from pathways.validation.compiler import compile_shapes
from pathways.validation.describe import LABEL_QUERY, describe_nodes
from pathways.validation.order import Columns, report_order
from pathways.validation.profiles import Shapes
from pathways.validation.results import (
    ValidationReport,
    ValidationResult,
)
from pathways.validation.runner import Runner

__all__ = ["Method", "Progress", "validate"]

Method = Literal["auto", "compiled", "pyshacl"]
#: ``progress(stage, done, total)``: stage ``"queries"`` (compiled SPARQL answered)
#: then ``"shapes"`` (shapes finished, pyshacl's included).
Progress = Callable[[str, int, int], None]


def validate(
    kg: KnowledgeGraph,
    shapes: Shapes | Graph,
    *,
    focus: Sequence[URIRef] = (),
    method: Method = "auto",
    progress: Progress | None = None,
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
    progress
        Called as work finishes (see :data:`Progress`); the CLI draws it on a terminal.

    Returns
    -------
    ValidationReport
        Results sorted deterministically, with labels and the plan per shape.
    """
    with _gc_paused():
        return _validate(kg, shapes, tuple(focus), method, progress or _silent)


def _silent(stage: str, done: int, total: int) -> None:
    del stage, done, total


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
    kg: KnowledgeGraph,
    shapes: Shapes | Graph,
    focus: tuple[URIRef, ...],
    method: Method,
    progress: Progress,
) -> ValidationReport:
    graph = shapes.graph if isinstance(shapes, Shapes) else shapes
    profiles = shapes.profiles if isinstance(shapes, Shapes) else ()
    plans = compile_shapes(graph, tuple(focus), Subclasses(kg))
    queries = [
        check
        for plan in plans
        if method != "pyshacl" and plan.compiled
        for check in with_parts(plan.checks)
        if check.native is None
    ]
    batches: list[tuple[object, list[ValidationResult]]] = []  # (dedupe key, results)
    plan_rows: list[tuple[str, str, str]] = []
    # The label and credential lists the report needs at the end run in the same pool.
    with Answers(kg, queries, extra=(LABEL_QUERY, _CREDENTIALS)) as answers:
        reported = frozenset(check for plan in plans for check in plan.checks)
        runner = Runner(kg, graph, tuple(focus), reported)
        for done, check in enumerate(answers.as_completed(), 1):  # while others run
            progress("queries", done, len(queries))
            if not answers.ready(check):
                continue  # its conformance checks are still running: done below
            with contextlib.suppress(PathwaysError):  # raised again for its plan below
                runner.check_results(check, answers)
        for done, plan in enumerate(plans):
            progress("shapes", done, len(plans))
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
        progress("shapes", len(plans), len(plans))
        label_rows = answers.cells(LABEL_QUERY)
        credentials = _credentials(answers.cells(_CREDENTIALS), focus)
    columns = Columns(_unique(batches))
    labels, anchors = describe_nodes(kg, graph, columns.nodes(), columns.shapes(), label_rows)
    return ValidationReport(
        results=tuple(report_order(columns, labels)),
        profiles=profiles,
        checked=tuple(credentials),
        labels=labels,
        anchors=anchors,
        plan=tuple(plan_rows),
    )


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


def _unique(
    batches: list[tuple[object, list[ValidationResult]]],
) -> list[list[ValidationResult]]:
    """All results, each once, in batches. A compiled check's rows are distinct, and checks of
    different shapes or components cannot give equal results, so only batches that
    share a key (a shape and component checked twice) and pyshacl's (key None: it
    may report a result twice) are deduplicated; hashing millions of results costs
    seconds."""
    keys = Counter(key for key, _batch in batches)
    unique: list[list[ValidationResult]] = []
    shared: dict[object, list[ValidationResult]] = {}
    for key, batch in batches:
        if key is None or keys[key] > 1:
            shared.setdefault(key, []).extend(batch)
        else:
            unique.append(batch)
    unique.extend(list(dict.fromkeys(batch)) for batch in shared.values())
    return unique
