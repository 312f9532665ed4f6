"""Property pair constraint components: ``sh:equals``, ``sh:disjoint``, ``sh:lessThan``,
``sh:lessThanOrEquals`` (the values of the path against those of another property).

Each compiles to whole-graph queries only; inside a referenced shape they go to
pyshacl.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.validation.compile.rules import FocusQueries, FocusRule, Site
from pathways.validation.plans import Check, Unsupported
from pathways.validation.results import PathExpr

if TYPE_CHECKING:
    from pathways.validation.compile.compiler import Compiler

__all__ = ["RULES"]

#: ``(other property, path, focus, vp) -> query`` of one pair constraint.
_PairQuery = Callable[[URIRef, "PathExpr | None", str, str], str]


def _pair(param: URIRef, component: URIRef, write: _PairQuery) -> FocusRule:
    def queries(compiler: Compiler, site: Site, args: list[Node]) -> list[Check]:
        checks = []
        for arg in args:
            if not isinstance(arg, URIRef):
                raise Unsupported(f"a non-IRI {param}")
            query = write(arg, site.path, site.focus, site.values)
            checks.append(Check(site.shape, component, query, site.path))
        return checks

    rule_queries: FocusQueries = queries
    return FocusRule(param, (component,), rule_queries)


def _equals(arg: URIRef, path: PathExpr | None, focus: str, vp: str) -> str:
    missing_here = (
        f"FILTER NOT EXISTS {{ {vp} }}" if path is not None else "FILTER(!sameTerm(?value, ?this))"
    )
    return (
        f"SELECT DISTINCT ?this ?value WHERE {{ {{ {focus} {vp} FILTER NOT EXISTS "
        f"{{ ?this <{arg}> ?value }} }} UNION {{ {focus} ?this <{arg}> ?value "
        f"{missing_here} }} }}"
    )


def _disjoint(arg: URIRef, path: PathExpr | None, focus: str, vp: str) -> str:
    return f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {vp} ?this <{arg}> ?value }}"


def _less(op: str) -> _PairQuery:
    def write(arg: URIRef, path: PathExpr | None, focus: str, vp: str) -> str:
        # One result per pair of values that are not in order (W3C suite
        # core/property/lessThan-002): ?_w is projected.
        return (
            f"SELECT DISTINCT ?this ?value ?_w WHERE {{ {focus} {vp} ?this <{arg}> ?_w "
            f"FILTER(!COALESCE(?value {op} ?_w, false)) }}"
        )

    return write


RULES = (
    _pair(SH.equals, SH.EqualsConstraintComponent, _equals),
    _pair(SH.disjoint, SH.DisjointConstraintComponent, _disjoint),
    _pair(SH.lessThan, SH.LessThanConstraintComponent, _less("<")),
    _pair(SH.lessThanOrEquals, SH.LessThanOrEqualsConstraintComponent, _less("<=")),
)
