"""The other constraint components a focus node's values are checked by as a whole:
``sh:hasValue``, ``sh:uniqueLang``, ``sh:closed``, and SHACL-SPARQL ``sh:sparql``
(:mod:`pathways.validation.sparql_constraints`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.validation.compile.rules import FocusRule, Site, is_true, members
from pathways.validation.plans import Check, Unsupported, sparql_term
from pathways.validation.results import PathExpr
from pathways.validation.sparql_constraints import compile_sparql_constraint

if TYPE_CHECKING:
    from pathways.validation.compile.compiler import Compiler

__all__ = ["RULES"]


def _has_value(compiler: Compiler, site: Site, args: list[Node]) -> list[Check]:
    shape, path, focus = site.shape, site.path, site.focus
    checks = []
    for arg in args:
        test = (
            "NOT " + compiler.exists("?this", path, sparql_term(arg))
            if path is not None
            else f"!sameTerm(?this, {sparql_term(arg)})"
        )
        query = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER({test}) }}"
        checks.append(
            Check(shape, SH.HasValueConstraintComponent, query, path, focus=focus, test=test)
        )
    return checks


def _has_value_inline(
    compiler: Compiler, args: list[Node], path: PathExpr | None, x: str
) -> list[str]:
    return [
        compiler.exists(x, path, sparql_term(arg))
        if path is not None
        else f"sameTerm({x}, {sparql_term(arg)})"
        for arg in args
    ]


def _unique_lang(compiler: Compiler, site: Site, args: list[Node]) -> list[Check]:
    """sh:uniqueLang true: one result per focus node and language tag that two value
    nodes share (compared without case; no sh:value), as the W3C suite has it
    (core/property/uniqueLang-001). Only the literal ``true`` activates the
    constraint: ``"1"^^xsd:boolean`` is another value (core/property/uniqueLang-002)."""
    shape, path, focus, vp = site.shape, site.path, site.focus, site.values
    flag = args[0].toPython() if len(args) == 1 and isinstance(args[0], Literal) else None
    if path is None or not isinstance(flag, bool):
        raise Unsupported("a malformed sh:uniqueLang")
    if args[0] != Literal(True):  # "false", or "1"/"0" (not the value true)
        return []
    other = vp.replace("?value", "?_other")
    query = (
        f"SELECT DISTINCT ?this (LCASE(lang(?value)) AS ?_lang) WHERE {{ {focus} {vp} {other} "
        'FILTER(isLiteral(?value) && isLiteral(?_other) && lang(?value) != "" '
        "&& !sameTerm(?value, ?_other) && LCASE(lang(?value)) = LCASE(lang(?_other))) }"
    )
    return [Check(shape, SH.UniqueLangConstraintComponent, query, path)]


def _closed(compiler: Compiler, site: Site, args: list[Node]) -> list[Check]:
    """sh:closed true: a result per value of a property the shape does not name."""
    shape, focus, vp = site.shape, site.focus, site.values
    if not is_true(args[0]):
        return []
    sg = compiler.sg
    allowed: set[Node] = set()
    for prop in sg.objects(shape, SH.property):
        prop_path = sg.value(prop, SH.path)
        if isinstance(prop_path, URIRef):
            allowed.add(prop_path)
    ignored = sg.value(shape, SH.ignoredProperties)
    if ignored is not None:
        allowed.update(members(sg, ignored))
    test = " || ".join(f"sameTerm(?rpath, {sparql_term(a)})" for a in sorted(allowed, key=str))
    vn = vp.replace("?value", "?_vn")
    query = (
        f"SELECT DISTINCT ?this ?value ?rpath WHERE {{ {focus} {vn} ?_vn ?rpath ?value "
        f"FILTER(!({test or 'false'})) }}"
    )
    return [Check(shape, SH.ClosedConstraintComponent, query, compiler.path_of(shape))]


def _sparql(compiler: Compiler, site: Site, args: list[Node]) -> list[Check]:
    sg = compiler.sg
    return [compile_sparql_constraint(sg, site.shape, site.path, site.focus, c) for c in args]


RULES = (
    FocusRule(SH.hasValue, (SH.HasValueConstraintComponent,), _has_value, _has_value_inline),
    FocusRule(SH.uniqueLang, (SH.UniqueLangConstraintComponent,), _unique_lang),
    FocusRule(SH.closed, (SH.ClosedConstraintComponent,), _closed),
    FocusRule(SH.sparql, (SH.SPARQLConstraintComponent,), _sparql),
)
