"""Run SHACL validation over a knowledge graph: compiled SPARQL first, pyshacl for the rest.

:func:`validate` is what ``pathways validate`` calls. With ``method="auto"`` every
shape that :mod:`pathways.validation.compile` translates runs as whole-graph SPARQL
queries in Oxigraph; every other shape (and any compiled query Oxigraph rejects) runs
through pyshacl's own shape validation on the same store. ``method="pyshacl"`` sends
every shape through pyshacl (the reference path); ``method="compiled"`` refuses
shapes that do not compile. Either way the results are the same (tests compare
them as multisets: SHACL reports one result per constraint and evaluation, so equal
results from two ``sh:class`` values or a shape reached twice are all kept) and carry
pyshacl's messages: a shape's own ``sh:message`` texts, or the generic messages of
pyshacl's constraint components (pyshacl is loaded only for those, and for the
shapes it checks). Against the W3C SHACL test suite, through ``pathways validate``,
the default method passes 97 of the 98 core cases and 21 of the 22 SHACL-SPARQL ones
(``tests/validation/test_w3c_suite.py`` lists the others and why); pyshacl over the store
(``method="pyshacl"``) passes 110 of the 120.

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

>>> from pathways.rdf.store import KnowledgeGraph, to_oxigraph, to_rdflib
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
import dataclasses
import functools
import gc
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Literal

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.errors import PathwaysError, UsageError
from pathways.rdf.sparql_tsv import Cell, cell_key
from pathways.rdf.store import KnowledgeGraph, to_oxigraph, to_rdflib
from pathways.validation.answers import Answers, Subclasses, with_parts
from pathways.validation.compile import compile_shapes
from pathways.validation.describe import LABEL_QUERY, describe_nodes
from pathways.validation.order import Columns, report_order
from pathways.validation.plans import Check, ShapePlan
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
    plans = _as_written(kg, compile_shapes(graph, tuple(focus), Subclasses(kg)))
    queries = [
        check
        for plan in plans
        if method != "pyshacl" and plan.compiled
        for check in with_parts(plan.checks)
        if check.native is None and not check.pre_bound
    ]
    # Nested focus patterns: which of their focus nodes are reached along several chains.
    chains = sorted(
        {
            check.chains
            for plan in plans
            if method != "pyshacl" and plan.compiled
            for check in plan.checks
            if check.chains
        }
    )
    batches: list[tuple[object, list[ValidationResult]]] = []  # (dedupe key, results)
    plan_rows: list[tuple[str, str, str]] = []
    # The label and credential lists the report needs at the end run in the same pool.
    with Answers(kg, queries, extra=(LABEL_QUERY, _CREDENTIALS, *chains)) as answers:
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
    if kg.as_written:
        batches = _values_as_written(kg, batches)
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


_IRI = re.compile(r"<([^<>\s]*)>")
#: Components whose verdict depends on a value's lexical form or exact term
#: (``"4.0"`` matches a pattern or an sh:in list that ``"4"`` does not).
_LEXICAL = {
    SH.PatternConstraintComponent,
    SH.MinLengthConstraintComponent,
    SH.MaxLengthConstraintComponent,
    SH.InConstraintComponent,
    SH.HasValueConstraintComponent,
    SH.EqualsConstraintComponent,
    SH.DisjointConstraintComponent,
    SH.SPARQLConstraintComponent,  # any SPARQL may read STR(?value)
}


def _as_written(kg: KnowledgeGraph, plans: list[ShapePlan]) -> list[ShapePlan]:
    """The plans, with pyshacl (which reads the literals as written) checking each
    compiled shape that a literal Oxigraph stores in another form could mislead
    (see :mod:`pathways.rdf.literals`). A compiled check still runs on a predicate whose
    literals only changed lexical form (``"4.0"`` stored as ``"4"``) when its verdict
    depends on values alone (sh:datatype, sh:minInclusive, counts...); its results
    get the values as written (:func:`_values_as_written`). Nothing changes when the
    store holds no such literal."""
    record = kg.as_written
    if not record:
        return plans
    changed = record.predicates
    lexical_only = record.lexical_only
    out: list[ShapePlan] = []
    for plan in plans:
        hit = None
        for top in plan.checks if plan.compiled else ():
            hit = _misled(top, changed, lexical_only, nested=False)
            for part in with_parts(top.conformance) if hit is None else ():
                hit = hit or _misled(part, changed, lexical_only, nested=True)
            if hit is not None:
                break
        if hit is None:
            out.append(plan)
        else:
            reason = f"it reads {hit}, literals Oxigraph stores in another form"
            out.append(dataclasses.replace(plan, checks=(), delegated=(), reason=reason))
    return out


def _misled(
    check: Check, changed: frozenset[str], lexical_only: frozenset[str], *, nested: bool
) -> str | None:
    """Why a compiled check could see the wrong literals, or None. A ``nested`` check
    (of sh:node, sh:or... conformance) reports nothing itself, so its focus nodes
    may be such values too."""
    if check.component == SH.SPARQLConstraintComponent:
        return _misled_sparql(check.query, changed, lexical_only)
    if check.component == SH.ClosedConstraintComponent:
        return None if changed == lexical_only else "values of any predicate"
    path = check.path if isinstance(check.path, URIRef) else None
    own = (check.values, check.test) if check.flag is not None else (check.query,)  # merged?
    text = " ".join((check.focus, *own))
    for iri in sorted(changed.intersection(_IRI.findall(text))):
        if nested:
            simple = path is None or str(path) == iri
        else:
            simple = path is not None and str(path) == iri and iri not in check.focus
        if not (simple and iri in lexical_only and check.component not in _LEXICAL):
            return f"values of <{iri}>"
    return None


def _rewritten(result: ValidationResult, value: Node | None) -> ValidationResult:
    """The result with its value as written, and so its messages (a message template
    that showed the value, ``{?value}`` or pyshacl's own, showed Oxigraph's form)."""
    if value is None or value == result.value:
        return result
    old = re.compile(rf"(?<![\w.+-]){re.escape(str(result.value))}(?![\w.])")
    messages = tuple(old.sub(str(value).replace("\\", "\\\\"), m) for m in result.messages)
    return result._replace(value=value, messages=messages)


#: SPARQL functions that read a literal's lexical form (or compare terms, not values).
_LEXICAL_SPARQL = re.compile(
    r"\b(STR|STRLEN|SUBSTR|REGEX|REPLACE|STRSTARTS|STRENDS|CONTAINS|STRBEFORE|STRAFTER|"
    r"CONCAT|LCASE|UCASE|ENCODE_FOR_URI|MD5|SHA1|SHA256|SHA384|SHA512|sameTerm|"
    r"xsd:string|STRDT|STRLANG)\s*\(|XMLSchema#string>\s*\(",
    re.IGNORECASE,
)


def _misled_sparql(query: str, changed: frozenset[str], lexical_only: frozenset[str]) -> str | None:
    """Why a SHACL-SPARQL constraint could see the wrong literals, or None: it reads
    a changed predicate (or any, through a variable) and that predicate's datatype
    changed, or the query reads lexical forms."""
    read, any_predicate = _predicates_read(query)
    if any_predicate:
        hits = sorted(changed)
        what = "values of any predicate"
    else:
        hits = sorted(changed.intersection(read))
        what = f"values of <{hits[0]}>" if hits else ""
    if not hits:
        return None
    if not lexical_only.issuperset(hits) or _LEXICAL_SPARQL.search(query):
        return what
    return None


@functools.cache
def _predicates_read(query: str) -> tuple[frozenset[str], bool]:
    """The predicate IRIs a SPARQL query's patterns name, and whether one is a variable
    (read from rdflib's algebra of the query; an unparseable query reads anything)."""
    from rdflib.paths import Path as RdfPath
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.term import Variable

    try:
        algebra = prepareQuery(query.replace("$", "?")).algebra
    except Exception:  # rdflib raises many types; Oxigraph still runs the query
        return frozenset(), True
    found: set[str] = set()
    variable = False

    def walk_path(node: object) -> None:
        nonlocal variable
        if isinstance(node, URIRef):
            found.add(str(node))
        elif isinstance(node, Variable):
            variable = True
        elif isinstance(node, RdfPath):
            for name in ("args", "path", "arg"):
                inner = getattr(node, name, None)
                for part in inner if isinstance(inner, list) else [inner]:
                    if part is not None:
                        walk_path(part)

    def walk(node: object) -> None:
        if isinstance(node, dict):
            triples = node.get("triples") if hasattr(node, "get") else None
            if isinstance(triples, list):
                for triple in triples:
                    if isinstance(triple, tuple) and len(triple) == 3:
                        walk_path(triple[1])
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(algebra)
    return frozenset(found), variable


def _values_as_written(
    kg: KnowledgeGraph, batches: list[tuple[object, list[ValidationResult]]]
) -> list[tuple[object, list[ValidationResult]]]:
    """Compiled results with each value that Oxigraph stored in another form replaced
    by the literal as written (only checks on a simple path run on such values)."""
    record = kg.as_written
    lexical_only = record.lexical_only
    if not lexical_only:
        return batches
    unique = {to_rdflib(k): to_rdflib(v) for k, v in record.unique(kg.store).items()}

    def written(r: ValidationResult) -> Node | None:
        if type(r.path) is URIRef and str(r.path) in lexical_only and r.value is not None:
            subject, value = to_oxigraph(r.focus), to_oxigraph(r.value)
            found = record.objects(subject, ox.NamedNode(str(r.path)), value)
            if found[0] != value:
                return to_rdflib(found[0])
        return unique.get(r.value, r.value)  # type: ignore[arg-type]

    out: list[tuple[object, list[ValidationResult]]] = []
    for dedupe, batch in batches:
        if dedupe is not None:
            batch = [_rewritten(r, written(r)) if type(r.value) is RdfLiteral else r for r in batch]
        out.append((dedupe, batch))
    return out


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
    """All results in batches, none merged: SHACL reports a result for every
    constraint, shape and evaluation, so two equal-looking results are two results
    (two ``sh:class`` values a node fails: W3C suite core/node/class-003; a property
    shape reached through two others: core/validation-reports/shared). pyshacl's
    batches are kept as pyshacl reports them (it passes those cases)."""
    return [batch for _key, batch in batches]
