"""Value range, string-based and list constraint components, tests on each value:
``sh:in``, ``sh:minLength``, ``sh:maxLength``, ``sh:pattern``, ``sh:minInclusive``,
``sh:maxInclusive``, ``sh:minExclusive``, ``sh:maxExclusive``, ``sh:languageIn``.

>>> from rdflib import Graph, Literal
>>> from pathways.validation.compile.compiler import Compiler
>>> _range(">=")(Compiler(Graph(), ()), SH.minInclusive, Literal(3), "?v", frozenset())
'!COALESCE(?v >= "3"^^<http://www.w3.org/2001/XMLSchema#integer>, false)'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.validation.compile.rules import ValueRule, ViolationTest, integer, members
from pathways.validation.plans import Unsupported, sparql_term

if TYPE_CHECKING:
    from pathways.validation.compile.compiler import Compiler

__all__ = ["RULES"]


def _in(compiler: Compiler, shape: Node, arg: Node, v: str, seen: frozenset[Node]) -> str:
    tests = " || ".join(f"sameTerm({v}, {sparql_term(m)})" for m in members(compiler.sg, arg))
    return f"!({tests or 'false'})"


def _length(param: URIRef) -> ViolationTest:
    op = "<" if param == SH.minLength else ">"

    def test(compiler: Compiler, shape: Node, arg: Node, v: str, seen: frozenset[Node]) -> str:
        n = integer(arg)
        if n is None:
            raise Unsupported(f"a malformed {param}")
        return f"(isBlank({v}) || STRLEN(STR({v})) {op} {n})"

    return test


def _pattern(compiler: Compiler, shape: Node, arg: Node, v: str, seen: frozenset[Node]) -> str:
    flags = compiler.sg.value(shape, SH.flags)
    flag_text = f", {sparql_term(Literal(str(flags)))}" if flags is not None else ""
    regex = f"REGEX(STR({v}), {sparql_term(Literal(str(arg)))}{flag_text})"
    return f"(isBlank({v}) || !{regex})"


def _range(op: str) -> ViolationTest:
    def test(compiler: Compiler, shape: Node, arg: Node, v: str, seen: frozenset[Node]) -> str:
        return f"!COALESCE({v} {op} {sparql_term(arg)}, false)"

    return test


def _language_in(compiler: Compiler, shape: Node, arg: Node, v: str, seen: frozenset[Node]) -> str:
    langs = [str(x) for x in members(compiler.sg, arg)]
    tests = " || ".join(f"langMatches(lang({v}), {sparql_term(Literal(t))})" for t in langs)
    return f"!COALESCE({tests or 'false'}, false)"


RULES = (
    ValueRule(SH["in"], SH.InConstraintComponent, _in),
    ValueRule(SH.minLength, SH.MinLengthConstraintComponent, _length(SH.minLength)),
    ValueRule(SH.maxLength, SH.MaxLengthConstraintComponent, _length(SH.maxLength)),
    ValueRule(SH.pattern, SH.PatternConstraintComponent, _pattern),
    ValueRule(SH.minInclusive, SH.MinInclusiveConstraintComponent, _range(">=")),
    ValueRule(SH.maxInclusive, SH.MaxInclusiveConstraintComponent, _range("<=")),
    ValueRule(SH.minExclusive, SH.MinExclusiveConstraintComponent, _range(">")),
    ValueRule(SH.maxExclusive, SH.MaxExclusiveConstraintComponent, _range("<")),
    ValueRule(SH.languageIn, SH.LanguageInConstraintComponent, _language_in),
)
