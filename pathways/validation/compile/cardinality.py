"""Cardinality constraint components: ``sh:minCount``, ``sh:maxCount`` and the
qualified counts of ``sh:qualifiedValueShape`` (``sh:qualifiedMinCount``,
``sh:qualifiedMaxCount``)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.validation.compile.rules import (
    FocusInline,
    FocusQueries,
    FocusRule,
    Site,
    integer,
    is_true,
)
from pathways.validation.plans import Check, Unsupported, sparql_path
from pathways.validation.results import PathExpr

if TYPE_CHECKING:
    from pathways.validation.compile.compiler import Compiler

__all__ = ["RULES"]


def _count_queries(param: URIRef, component: URIRef) -> FocusQueries:
    def queries(compiler: Compiler, site: Site, args: list[Node]) -> list[Check]:
        shape, path, focus, vp = site.shape, site.path, site.focus, site.values
        if path is None or len(args) != 1 or integer(args[0]) is None:
            raise Unsupported(f"a malformed {param}")
        n = integer(args[0])
        if param == SH.minCount and n == 0:
            return []
        if n == 1:
            # As a test on the focus node (mergeable, and cheaper than counting);
            # steps as nested EXISTS: Oxigraph joins a multi-pattern (NOT) EXISTS
            # over the whole graph per focus node (measured: 23 s for 10k).
            if param == SH.minCount:
                test = "NOT " + compiler.exists("?this", path, "?value")
            else:
                other = compiler.var()
                test = compiler.exists(
                    "?this",
                    path,
                    "?value",
                    compiler.exists("?this", path, other, f"!sameTerm(?value, {other})"),
                )
            query = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER({test}) }}"
            return [Check(shape, component, query, path, focus=focus, test=test)]
        op = "<" if param == SH.minCount else ">"
        query = (
            f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {vp} }} }} "
            f"GROUP BY ?this HAVING(COUNT(DISTINCT ?value) {op} {n})"
        )
        return [Check(shape, component, query, path)]

    return queries


def _count_inline(param: URIRef) -> FocusInline:
    """Inside a referenced shape only the counts an EXISTS can say: at least one, at
    most none, at most one."""

    def inline(compiler: Compiler, args: list[Node], path: PathExpr | None, x: str) -> list[str]:
        if path is None:
            raise Unsupported(f"{param} inside a referenced shape")
        n = integer(args[0]) if len(args) == 1 else None
        step = sparql_path(path)
        w1, w2 = compiler.var(), compiler.var()
        if param == SH.minCount and n is not None and n <= 1:
            return [compiler.exists(x, path, w1) if n == 1 else "true"]
        if param == SH.maxCount and n == 0:
            return ["NOT " + compiler.exists(x, path, w1)]
        if param == SH.maxCount and n == 1:
            return [
                f"NOT EXISTS {{ {x} {step} {w1} . {x} {step} {w2} FILTER(!sameTerm({w1}, {w2})) }}"
            ]
        raise Unsupported(f"{param} {args[0]} inside a referenced shape")

    return inline


def _qualified(compiler: Compiler, site: Site, args: list[Node]) -> list[Check]:
    """sh:qualifiedValueShape: count the value nodes that conform, per focus node."""
    shape, path, focus, vp = site.shape, site.path, site.focus, site.values
    sg = compiler.sg
    disjoint = sg.value(shape, SH.qualifiedValueShapesDisjoint)
    if path is None or (disjoint is not None and is_true(disjoint)):
        raise Unsupported("sh:qualifiedValueShapesDisjoint or a node-shape qualified shape")
    if sg.value(shape, SH.message) is None:
        raise Unsupported("sh:qualifiedValueShape without its own sh:message")
    bounds = []
    for param, component, op in (
        (SH.qualifiedMinCount, SH.QualifiedMinCountConstraintComponent, "<"),
        (SH.qualifiedMaxCount, SH.QualifiedMaxCountConstraintComponent, ">"),
    ):
        counts = list(sg.objects(shape, param))
        if len(counts) > 1 or (counts and integer(counts[0]) is None):
            raise Unsupported(f"a malformed {param}")
        bound = integer(counts[0]) if counts else None
        if bound is not None:
            bounds.append((component, op, bound))
    checks = []
    for qualified in args:
        parts = compiler.conformance_parts(shape, qualified, path, focus, set())
        if parts is not None:
            # The qualified shape's own checks over the values, then a count per
            # focus node: whole-graph queries instead of a conformance test for
            # every value of every focus node.
            query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} OPTIONAL {{ {vp} }} }}"
            for component, op, n in bounds:
                check = Check(shape, component, query, path)
                checks.append(dataclasses.replace(check, conformance=tuple(parts), count=(op, n)))
            continue
        conforms = compiler.conforms(qualified, "?value", frozenset())
        for component, op, n in bounds:
            if op == "<" and n == 1:  # at least one conforming value: a focus test
                test = "NOT " + compiler.exists("?this", path, "?value", conforms)
                query = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER({test}) }}"
                checks.append(Check(shape, component, query, path, focus=focus, test=test))
                continue
            query = (
                f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {vp} FILTER({conforms}) }} }} "
                f"GROUP BY ?this HAVING(COUNT(DISTINCT ?value) {op} {n})"
            )
            checks.append(Check(shape, component, query, path))
    return checks


RULES = (
    FocusRule(
        SH.minCount,
        (SH.MinCountConstraintComponent,),
        _count_queries(SH.minCount, SH.MinCountConstraintComponent),
        _count_inline(SH.minCount),
    ),
    FocusRule(
        SH.maxCount,
        (SH.MaxCountConstraintComponent,),
        _count_queries(SH.maxCount, SH.MaxCountConstraintComponent),
        _count_inline(SH.maxCount),
    ),
    FocusRule(
        SH.qualifiedValueShape,
        (SH.QualifiedMinCountConstraintComponent, SH.QualifiedMaxCountConstraintComponent),
        _qualified,
    ),
)
