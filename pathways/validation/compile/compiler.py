"""The compiler's driver: one shape with its focus to checks, or to a conformance test.

A :class:`Compiler` walks a shape's parameters in order and hands each to its rule
(:data:`~pathways.validation.compile.registry.RULES`), whole-graph in
:meth:`Compiler.shape_checks` and inline in :meth:`Compiler.conforms`; it keeps
what the rules share: fresh variables, paths as (nested) EXISTS, instance tests,
and the focus patterns of nested property shapes.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator

from rdflib import RDF, Literal, URIRef
from rdflib.graph import Graph
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.validation.compile import targets
from pathways.validation.compile.registry import RULES
from pathways.validation.compile.rules import Site, ValueRule, parameters
from pathways.validation.components import component_checks, constraint_components
from pathways.validation.plans import Check, Unsupported, deactivated, sparql_path
from pathways.validation.results import PathExpr, path_from_graph

__all__ = ["Compiler"]

_IGNORED = {SH.flags, SH.ignoredProperties, SH.path, SH.deactivated}
_UNSUPPORTED = {
    SH.target: targets.SPARQL_TARGETS,
    SH.js: "SHACL-JS",
    SH.expression: "SHACL-AF expressions",
    SH.rule: "SHACL rules",
}
#: Parameters that say nothing a conformance test checks.
_METADATA = {
    SH.severity,
    SH.message,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
}

_OUTER = re.compile(r"\?_o[0-9]+\b")


def _outer_nodes(focus: str) -> str:
    """The outer focus node variables a nested focus pattern binds, each with a space.

    >>> _outer_nodes("{ SELECT DISTINCT ?_o0 ?_o1 ?this WHERE { ... } }")
    '?_o0 ?_o1 '
    """
    names = sorted(set(_OUTER.findall(focus)), key=lambda name: int(name[3:]))
    return "".join(f"{name} " for name in names)


class Compiler:
    """Compiles the shapes of ``sg``; one instance for one compilation (fresh names)."""

    def __init__(
        self,
        sg: Graph,
        focus: tuple[URIRef, ...],
        subclasses: targets.Subclasses | None = None,
    ) -> None:
        self.sg = sg
        self.focus = focus
        self.subclasses = subclasses
        self.fresh: Iterator[int] = itertools.count()
        self.delegated: list[tuple[Node, str, str]] = []
        #: Nested focus patterns: the pattern with the outer focus nodes projected,
        #: and the query of focus nodes reached along several chains (see value_focus).
        self.chained: dict[str, str] = {}
        self.chains: dict[str, str] = {}
        self.component_error: str | None = None
        try:
            self.components = constraint_components(sg)
        except Unsupported as err:  # shapes that use such a component go to pyshacl
            self.components, self.component_error = [], str(err)
        self.custom_parameters: set[Node] = {p for c in self.components for p in c.paths}
        if self.component_error is not None:
            self.custom_parameters |= {
                p for param in sg.objects(None, SH.parameter) for p in sg.objects(param, SH.path)
            }

    def var(self) -> str:
        return f"?_v{next(self.fresh)}"

    def exists(self, x: str, path: PathExpr, obj: str, test: str = "") -> str:
        """``EXISTS { x path obj FILTER(test) }``, a sequence path as nested EXISTS.

        Equivalent, and Oxigraph then follows the steps from the bound ``x`` instead
        of joining whole-graph steps once per focus node (measured: quadratic).
        """
        steps = path[1] if isinstance(path, tuple) and path[0] == "/" else (path,)
        filter_text = f" FILTER({test})" if test else ""
        body = ""
        subject = x
        for index, step in enumerate(steps):
            last = index == len(steps) - 1
            node = obj if last else self.var()
            body += (
                f"{'' if index == 0 else ' FILTER EXISTS '}{{ {subject} {sparql_path(step)} {node}"
            )
            subject = node
        return "EXISTS " + body + filter_text + " }" * len(steps)

    def instance_of(self, x: str, cls: Node) -> str:
        """A group pattern matching when ``x`` is an instance of ``cls``."""
        return targets.instance_of(x, cls, self.subclasses)

    def path_of(self, shape: Node) -> PathExpr | None:
        """A shape's sh:path; Unsupported for one SHACL does not allow (several, a
        literal, on a node shape), which pyshacl then rejects with its own reason
        (pyshacl only loads when needed, so its checks of the whole shapes graph no
        longer run on every validation)."""
        paths = list(self.sg.objects(shape, SH.path))
        if len(paths) > 1:
            raise Unsupported("a shape with more than one sh:path")
        if not paths:
            return None
        node = paths[0]
        if isinstance(node, Literal) or (shape, RDF.type, SH.NodeShape) in self.sg:
            raise Unsupported("a malformed sh:path")
        try:
            return path_from_graph(self.sg, node)
        except ValueError as err:
            raise Unsupported(str(err)) from err
        except RecursionError as err:  # path_from_graph recurses once per nesting level
            raise Unsupported("a sh:path nested too deeply to compile") from err

    # -- one shape with its focus: whole-graph checks ---------------------------------

    def top_level(self, shape: Node) -> list[Check]:
        focus = targets.target_pattern(self.sg, shape, self.focus, self.subclasses)
        return self.shape_checks(shape, focus, set())

    def shape_checks(self, shape: Node, focus: str, seen: set[Node]) -> list[Check]:
        if shape in seen:
            raise Unsupported("a recursive sh:property structure")
        if deactivated(self.sg, shape):
            return []
        path = self.path_of(shape)
        vp = f"?this {sparql_path(path)} ?value ." if path is not None else "BIND(?this AS ?value)"
        checks: list[Check] = []
        params = parameters(self.sg, shape)
        if self.custom_parameters.intersection(params):
            if self.component_error is not None:
                raise Unsupported(self.component_error)
            checks.extend(component_checks(self.sg, self.components, shape, path, focus, vp))
        for param in params:
            if param in _UNSUPPORTED:
                raise Unsupported(_UNSUPPORTED[param])
            rule = RULES.get(param)
            if param in self.custom_parameters or rule is None:
                continue
            args = sorted(self.sg.objects(shape, param), key=str)
            site = Site(shape, path, focus, vp, seen)
            if not isinstance(rule, ValueRule):
                checks.extend(rule.queries(self, site, args))
                continue
            for arg in args:
                if rule.query is not None:
                    written = rule.query(self, site, arg)
                    if written is not None:
                        checks.extend(written)
                        continue
                expr = rule.violation(self, shape, arg, "?value", frozenset())
                query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {vp} FILTER({expr}) }}"
                checks.append(
                    Check(shape, rule.component, query, path, focus=focus, test=expr, values=vp)
                )
        chains = self.chains.get(focus)
        if chains is not None:
            checks = [dataclasses.replace(c, chains=chains) for c in checks]
        for prop in sorted(self.sg.objects(shape, SH.property), key=str):
            nested = self.value_focus(focus, path)
            try:
                checks.extend(self.shape_checks(prop, nested, seen | {shape}))
            except Unsupported as err:
                if seen or path is not None:
                    raise
                # One property shape pyshacl must check does not send its siblings there.
                self.delegated.append(
                    (prop, f"SELECT DISTINCT ?this WHERE {{ {focus} }}", str(err))
                )
        return checks

    def value_focus(self, focus: str, path: PathExpr | None) -> str:
        """A focus pattern binding ``?this`` to the values of ``path`` from the focus
        nodes of ``focus`` (the same focus nodes when there is no path), each once.

        SHACL validates a value against a nested shape once for each focus node it is
        a value of, so a value shared by two focus nodes gives two results (W3C suite
        ``core/property/property-001``). The checks keep the distinct values (fast);
        :attr:`chains` records, for the pattern, a query of the values reached along
        more than one chain of outer focus nodes and how many, and the engine repeats
        their results (:attr:`Check.chains`).
        """
        if path is None:
            return focus
        # Named by depth, not freshly, so equal foci are equal text and their checks
        # merge into one query (the inner levels' names are hidden by their SELECTs).
        outer = f"?_o{len(set(_OUTER.findall(focus)))}"
        step = f" {outer} {sparql_path(path)} ?this }} }}"
        nested = "{ SELECT DISTINCT ?this WHERE { " + re.sub(r"\?this\b", outer, focus) + step
        # The same pattern with every outer focus node projected: one row per chain.
        chained = re.sub(r"\?this\b", outer, self.chained.get(focus, focus))
        chain = f"{{ SELECT DISTINCT {_outer_nodes(chained)}?this WHERE {{ {chained}" + step
        self.chained[nested] = chain
        self.chains[nested] = (
            f"SELECT ?this (COUNT(*) AS ?_n) WHERE {{ {chain} }} "
            "GROUP BY ?this HAVING(COUNT(*) > 1)"
        )
        return nested

    def conformance_parts(
        self, shape: Node, target: Node, path: PathExpr | None, focus: str, seen: set[Node]
    ) -> list[Check] | None:
        """The checks of node shape ``target`` over the values of ``path`` from the
        focus nodes (the focus nodes themselves when there is no path): a value
        conforms to ``target`` when none of them reports it. None when the node shape
        has a path, nested property shapes (whose results are about other nodes) or
        parts that do not compile."""
        sg = self.sg
        if isinstance(target, Literal) or (target, SH.path, None) in sg:
            return None
        if any((p, SH.property, None) in sg for p in sg.objects(target, SH.property)):
            return None
        try:
            return self.shape_checks(target, self.value_focus(focus, path), seen | {shape})
        except Unsupported:
            return None

    # -- a referenced shape: one conformance expression ---------------------------------

    def conforms(self, shape: Node, x: str, seen: frozenset[Node]) -> str:
        """A SPARQL expression true when node ``x`` conforms to ``shape``."""
        if shape in seen or len(seen) > 8:
            raise Unsupported("recursive or deeply nested shape references")
        if deactivated(self.sg, shape):
            return "true"
        seen = seen | {shape}
        path = self.path_of(shape)
        parts: list[str] = []
        for param in parameters(self.sg, shape):
            args = sorted(self.sg.objects(shape, param), key=str)
            if (
                param in _IGNORED
                or param in targets.TARGETS
                or param.startswith(str(RDF))
                or not param.startswith(str(SH))
            ):
                if param in self.custom_parameters:
                    raise Unsupported(f"a custom constraint component ({param})")
                continue
            rule = RULES.get(param)
            if isinstance(rule, ValueRule):
                for arg in args:
                    expr = rule.violation(self, shape, arg, "{v}", seen)
                    if path is None:
                        parts.append("!(" + expr.replace("{v}", x) + ")")
                    else:
                        w = self.var()
                        parts.append("NOT " + self.exists(x, path, w, expr.replace("{v}", w)))
            elif rule is not None and rule.inline is not None:
                parts.extend(rule.inline(self, args, path, x))
            elif param == SH.property:
                for prop in args:
                    if path is not None:
                        raise Unsupported("sh:property inside a referenced property shape")
                    parts.append(self.conforms(prop, x, seen))
            elif param not in _METADATA:
                raise Unsupported(f"{param} inside a referenced shape")
        return "(" + (" && ".join(parts) or "true") + ")"
