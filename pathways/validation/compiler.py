"""SHACL shapes compiled to SPARQL queries that check a whole graph at once.

pyshacl evaluates every constraint focus node by focus node. Here each constraint
of a shape becomes one SELECT query over the whole data graph that returns exactly
the violating (focus node, value node) pairs, so Oxigraph (or any SPARQL 1.1 store)
does the work in one pass. The engine turns rows into results with pyshacl's own
messages, so both paths report the same thing.

What compiles (see :data:`COMPILED_COMPONENTS`): targets (class with subclasses,
node, subjects-of, objects-of, implicit class targets); every SHACL path; the value
type, string, range, language, ``sh:in``, ``sh:hasValue``, ``sh:uniqueLang``, cardinality, property
pair, qualified value shape and ``sh:closed`` constraints; ``sh:node``, ``sh:not``,
``sh:and``, ``sh:or`` and ``sh:xone`` over shapes that compile to a conformance test; nested
``sh:property``; SHACL-SPARQL ``sh:sparql`` SELECT constraints (``$this`` bound
by the target pattern injected into the query body, or substituted per focus node
where only pre-binding binds it); and SPARQL-based constraint components
(:mod:`pathways.validation.components`). Anything else raises
:class:`Unsupported` and the engine hands that shape to pyshacl.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
... <x:S> a sh:NodeShape ; sh:targetClass <x:C> ;
...   sh:property [ sh:path <x:p> ; sh:minCount 1 ] .''', format="turtle")
>>> [plan.compiled for plan in compile_shapes(g)]
[True]
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Iterator, Sequence

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.validation.components import component_checks, constraint_components
from pathways.validation.plans import (
    Check,
    ShapePlan,
    Unsupported,
    deactivated,
    sparql_path,
    sparql_term,
)
from pathways.validation.results import PathExpr, path_from_graph
from pathways.validation.sparql_constraints import compile_sparql_constraint

__all__ = [
    "COMPILED_COMPONENTS",
    "Check",
    "ShapePlan",
    "Unsupported",
    "compile_shapes",
    "merge_checks",
    "sparql_term",
]


_VALUE_COMPONENTS = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
}
_FOCUS_COMPONENTS = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.equals: SH.EqualsConstraintComponent,
    SH.disjoint: SH.DisjointConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH.closed: SH.ClosedConstraintComponent,
    SH.sparql: SH.SPARQLConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
}
#: Constraint components the compiler translates to SPARQL.
COMPILED_COMPONENTS = (
    frozenset(_VALUE_COMPONENTS.values())
    | frozenset(_FOCUS_COMPONENTS.values())
    | {SH.QualifiedMinCountConstraintComponent, SH.QualifiedMaxCountConstraintComponent}
)

_IGNORED = {SH.flags, SH.ignoredProperties, SH.path, SH.deactivated}
_UNSUPPORTED = {
    SH.target: "SPARQL-based targets (sh:target)",
    SH.js: "SHACL-JS",
    SH.expression: "SHACL-AF expressions",
    SH.rule: "SHACL rules",
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)

# Datatypes whose well-formedness rdflib checks (``Literal.ill_typed``), with the cast
# that fails in SPARQL exactly when the lexical form is ill-formed, and a range.
_CASTS: dict[URIRef, tuple[URIRef, str]] = {
    XSD.integer: (XSD.integer, ""),
    XSD.decimal: (XSD.decimal, ""),
    XSD.double: (XSD.double, ""),
    XSD.float: (XSD.float, ""),
    XSD.boolean: (XSD.boolean, ""),
    XSD.dateTime: (XSD.dateTime, ""),
    XSD.date: (XSD.date, ""),
    XSD.nonNegativeInteger: (XSD.integer, ">= 0"),
    XSD.positiveInteger: (XSD.integer, "> 0"),
}
_UNCHECKED = {XSD.string, XSD.anyURI, XSD.normalizedString, XSD.token, RDF.langString, RDF.HTML}


def compile_shapes(
    sg: Graph,
    focus: tuple[URIRef, ...] = (),
    subclasses: Callable[[URIRef], Sequence[URIRef]] | None = None,
) -> list[ShapePlan]:
    """Plan every shape of ``sg`` that has targets: compiled checks or a reason not to.

    ``focus`` limits checks to those focus nodes (``--focus``). ``subclasses`` gives
    the classes below a class in the data graph (``rdfs:subClassOf+``); with it an
    instance test is written over those few classes (``?x a C``, a UNION for more)
    instead of the path ``?x a/rdfs:subClassOf* C``, which Oxigraph evaluates about
    three times slower. The queries then hold for that data's class hierarchy.
    """
    compiler = _Compiler(sg, focus, subclasses)
    plans: list[ShapePlan] = []
    for shape in sorted(_targeted_shapes(sg), key=lambda n: (isinstance(n, BNode), str(n))):
        try:
            if deactivated(sg, shape):
                continue
            compiler.delegated = []
            checks = tuple(compiler.top_level(shape))
            plans.append(ShapePlan(shape, checks, delegated=tuple(compiler.delegated)))
        except Unsupported as err:
            plans.append(ShapePlan(shape, (), str(err)))
    return merge_checks(plans)


def merge_checks(plans: list[ShapePlan]) -> list[ShapePlan]:
    """One query for all checks that test the same focus nodes (or the same values of
    them), each check marked by a character of its own in one ``?_flags`` column.

    Oxigraph spends most of a check's time walking the focus nodes and their values;
    the bundled profiles' 157 checks share a few dozen focus patterns and paths, so
    merged they run as far fewer queries. A row is a result of a check when its
    character is ``1`` (``COALESCE(test, false)``: an error is no violation, as in
    FILTER).

    How the flags are written was measured in Oxigraph (10k credentials): one string
    of ``IF`` characters costs one BIND per row where a boolean column per check
    costs one each (the 21-check query on credentials: 0.47 -> 0.35 s); tests without
    EXISTS are cheap enough to run twice, so their disjunction filters the rows first
    and only results pay for the flags (descriptions of learning outcomes: 0.16 ->
    0.05 s); with EXISTS, filtering first was slower.
    """
    tests: dict[tuple[str, str], dict[str, int]] = {}  # (focus, values): test -> flag
    members: dict[tuple[str, str], dict[Check, int]] = {}  # (focus, values): check -> flag

    def collect(check: Check) -> None:
        if check.test:
            key = (check.focus, check.values)
            flags = tests.setdefault(key, {})
            # Shapes of different profiles often state the same rule: one flag for all.
            text = _canonical_test(check.test, check.focus + check.values)
            members.setdefault(key, {})[check] = flags.setdefault(text, len(flags))
        for part in check.conformance:
            collect(part)

    for plan in plans:
        for check in plan.checks:
            collect(check)
    merged: dict[Check, Check] = {}
    for (focus, values), group in members.items():
        if len(group) < 2:
            continue
        head = "?this ?value" if values else "?this"
        texts = [f"COALESCE({t}, false)" for t in tests[focus, values]]
        chars = ", ".join(f'IF({t}, "1", "0")' for t in texts)
        bind = f"BIND(CONCAT({chars}) AS ?_flags)"
        if any("EXISTS" in t for t in texts):
            body = f'{focus} {values} {bind} FILTER(CONTAINS(?_flags, "1"))'
        else:
            body = f"{focus} {values} FILTER({' || '.join(texts)}) {bind}"
        query = f"SELECT DISTINCT {head} ?_flags WHERE {{ {body} }}"
        for check, i in group.items():
            merged[check] = dataclasses.replace(check, query=query, flag=i)
    if not merged:
        return plans

    def rewrite(check: Check) -> Check:
        found = merged.get(check, check)
        if found.conformance:
            found = dataclasses.replace(found, conformance=tuple(map(rewrite, found.conformance)))
        return found

    return [dataclasses.replace(plan, checks=tuple(map(rewrite, plan.checks))) for plan in plans]


def _canonical_test(test: str, context: str) -> str:
    """A test with its own fresh variables renamed in order of appearance, so that the
    same rule compiled twice (``?_v24`` here, ``?_v31`` there) is the same text.
    Variables the focus or values pattern also uses keep their names.

    >>> _canonical_test("NOT EXISTS { ?this <p> ?_v7 FILTER EXISTS { ?_v7 <q> ?_v9 } }", "")
    'NOT EXISTS { ?this <p> ?_t0 FILTER EXISTS { ?_t0 <q> ?_t1 } }'
    """
    names: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        name = match.group(0)
        if re.search(re.escape(name) + r"\b", context):
            return name
        return names.setdefault(name, f"?_t{len(names)}")

    return re.sub(r"\?_v[0-9]+\b", rename, test)


_OUTER = re.compile(r"\?_o[0-9]+\b")


def _outer_nodes(focus: str) -> str:
    """The outer focus node variables a nested focus pattern binds, each with a space.

    >>> _outer_nodes("{ SELECT DISTINCT ?_o0 ?_o1 ?this WHERE { ... } }")
    '?_o0 ?_o1 '
    """
    names = sorted(set(_OUTER.findall(focus)), key=lambda name: int(name[3:]))
    return "".join(f"{name} " for name in names)


def _targeted_shapes(sg: Graph) -> set[Node]:
    shapes: set[Node] = set()
    for target in _TARGETS:
        shapes.update(sg.subjects(target, None))
    shapes.update(sg.subjects(SH.target, None))
    for shape_class in (SH.NodeShape, SH.PropertyShape):
        for shape in sg.subjects(RDF.type, shape_class):
            if _implicit_class(sg, shape):
                shapes.add(shape)
    return shapes


def _implicit_class(sg: Graph, shape: Node) -> bool:
    class_types = set(sg.subjects(RDFS.subClassOf, RDFS.Class)) | {RDFS.Class}
    return any(t in class_types for t in sg.objects(shape, RDF.type))


#: Above this many subclasses an instance test keeps the rdfs:subClassOf* path.
_MAX_UNION = 16


class _Compiler:
    def __init__(
        self,
        sg: Graph,
        focus: tuple[URIRef, ...],
        subclasses: Callable[[URIRef], Sequence[URIRef]] | None = None,
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

    # -- focus nodes ----------------------------------------------------------------

    def instance_of(self, x: str, cls: Node) -> str:
        """A group pattern matching when ``x`` is an instance of ``cls`` (SHACL's
        definition: ``x rdf:type/rdfs:subClassOf* cls``)."""
        path = f"{{ {x} a/<{RDFS.subClassOf}>* {sparql_term(cls)} }}"
        if self.subclasses is None or not isinstance(cls, URIRef):
            return path
        below = [c for c in self.subclasses(cls) if c != cls]
        if len(below) >= _MAX_UNION:
            return path
        return " UNION ".join(f"{{ {x} a {sparql_term(c)} }}" for c in [cls, *below])

    def target_pattern(self, shape: Node) -> str:
        sg = self.sg
        if (shape, SH.target, None) in sg:
            raise Unsupported(_UNSUPPORTED[SH.target])
        parts: list[str] = []
        for cls in sorted(sg.objects(shape, SH.targetClass), key=str):
            parts.append(self.instance_of("?this", cls))
        if _implicit_class(sg, shape):
            parts.append(self.instance_of("?this", shape))
        nodes = sorted(sg.objects(shape, SH.targetNode), key=str)
        if nodes:
            parts.append("{ VALUES ?this { " + " ".join(sparql_term(n) for n in nodes) + " } }")
        for prop in sorted(sg.objects(shape, SH.targetSubjectsOf), key=str):
            parts.append(f"{{ ?this {sparql_term(prop)} [] }}")
        for prop in sorted(sg.objects(shape, SH.targetObjectsOf), key=str):
            parts.append(f"{{ [] {sparql_term(prop)} ?this }}")
        only = ""
        if self.focus:
            only = " VALUES ?this { " + " ".join(sparql_term(f) for f in self.focus) + " }"
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + only + " } }"

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

    # -- one shape with its focus ----------------------------------------------------

    def top_level(self, shape: Node) -> list[Check]:
        return self.shape_checks(shape, self.target_pattern(shape), set())

    def shape_checks(self, shape: Node, focus: str, seen: set[Node]) -> list[Check]:
        if shape in seen:
            raise Unsupported("a recursive sh:property structure")
        if deactivated(self.sg, shape):
            return []
        path = self.path_of(shape)
        vp = f"?this {sparql_path(path)} ?value ." if path is not None else "BIND(?this AS ?value)"
        checks: list[Check] = []
        params = _parameters(self.sg, shape)
        if self.custom_parameters.intersection(params):
            if self.component_error is not None:
                raise Unsupported(self.component_error)
            checks.extend(component_checks(self.sg, self.components, shape, path, focus, vp))
        for param in params:
            if param in _UNSUPPORTED:
                raise Unsupported(_UNSUPPORTED[param])
            if param in self.custom_parameters:
                continue
            if param in _VALUE_COMPONENTS:
                for arg in sorted(self.sg.objects(shape, param), key=str):
                    if param == SH.datatype and _lexical_only(arg):
                        query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {vp} }}"
                        check = Check(shape, SH.DatatypeConstraintComponent, query, path)
                        checks.append(dataclasses.replace(check, lexical=URIRef(str(arg))))
                        continue
                    if param == SH.node:
                        memo = self.node_conformance(shape, arg, path, focus, vp, seen)
                        if memo is not None:
                            checks.extend(memo)
                            continue
                    expr = self.value_violation(param, arg, shape, "?value")
                    query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {vp} FILTER({expr}) }}"
                    component = _VALUE_COMPONENTS[param]
                    checks.append(
                        Check(shape, component, query, path, focus=focus, test=expr, values=vp)
                    )
            elif param in _FOCUS_COMPONENTS:
                checks.extend(self.focus_checks(param, shape, path, focus, vp))
            elif param == SH.qualifiedValueShape:
                checks.extend(self.qualified_checks(shape, path, focus, vp))
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

    def node_conformance(
        self,
        shape: Node,
        target: Node,
        path: PathExpr | None,
        focus: str,
        vp: str,
        seen: set[Node],
    ) -> list[Check] | None:
        """sh:node as the node shape's own checks run over the value nodes: a value
        conforms when none of them reports it. Whole-graph queries instead of one
        conformance expression per value, and when the values are the focus nodes
        of a shape that also targets them, the very same queries (run once).

        None when that does not apply (the node shape has a path, nested property
        shapes whose results are about other nodes, or parts that do not compile):
        the caller then writes the conformance test inline.
        """
        parts = self.conformance_parts(shape, target, path, focus, seen)
        if parts is None:
            return None
        if not parts:
            return []
        query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {vp} }}"
        check = Check(shape, SH.NodeConstraintComponent, query, path)
        return [dataclasses.replace(check, conformance=tuple(parts))]

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

    def focus_checks(
        self, param: URIRef, shape: Node, path: PathExpr | None, focus: str, vp: str
    ) -> list[Check]:
        component = _FOCUS_COMPONENTS[param]
        args = sorted(self.sg.objects(shape, param), key=str)
        if param == SH.sparql:
            return [compile_sparql_constraint(self.sg, shape, path, focus, c) for c in args]
        if param == SH.closed:
            return [self.closed_check(shape, focus, vp)] if _is_true(args[0]) else []
        if param in (SH.minCount, SH.maxCount):
            if path is None or len(args) != 1 or _integer(args[0]) is None:
                raise Unsupported(f"a malformed {param}")
            n = _integer(args[0])
            if param == SH.minCount and n == 0:
                return []
            if n == 1:
                # As a test on the focus node (mergeable, and cheaper than counting);
                # steps as nested EXISTS: Oxigraph joins a multi-pattern (NOT) EXISTS
                # over the whole graph per focus node (measured: 23 s for 10k).
                if param == SH.minCount:
                    test = "NOT " + self.exists("?this", path, "?value")
                else:
                    other = self.var()
                    test = self.exists(
                        "?this",
                        path,
                        "?value",
                        self.exists("?this", path, other, f"!sameTerm(?value, {other})"),
                    )
                query = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER({test}) }}"
                return [Check(shape, component, query, path, focus=focus, test=test)]
            op = "<" if param == SH.minCount else ">"
            query = (
                f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {vp} }} }} "
                f"GROUP BY ?this HAVING(COUNT(DISTINCT ?value) {op} {n})"
            )
            return [Check(shape, component, query, path)]
        if param == SH.uniqueLang:
            return self.unique_lang_checks(shape, path, args, focus, vp)
        checks = []
        for arg in args:
            if param == SH.hasValue:
                test = (
                    "NOT " + self.exists("?this", path, sparql_term(arg))
                    if path is not None
                    else f"!sameTerm(?this, {sparql_term(arg)})"
                )
                query = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER({test}) }}"
                checks.append(Check(shape, component, query, path, focus=focus, test=test))
                continue
            elif not isinstance(arg, URIRef):
                raise Unsupported(f"a non-IRI {param}")
            elif param == SH.equals:
                missing_here = (
                    f"FILTER NOT EXISTS {{ {vp} }}"
                    if path is not None
                    else "FILTER(!sameTerm(?value, ?this))"
                )
                query = (
                    f"SELECT DISTINCT ?this ?value WHERE {{ {{ {focus} {vp} FILTER NOT EXISTS "
                    f"{{ ?this <{arg}> ?value }} }} UNION {{ {focus} ?this <{arg}> ?value "
                    f"{missing_here} }} }}"
                )
            elif param == SH.disjoint:
                query = (
                    f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {vp} ?this <{arg}> ?value }}"
                )
            else:
                op = "<" if param == SH.lessThan else "<="
                # One result per pair of values that are not in order (W3C suite
                # core/property/lessThan-002): ?_w is projected.
                query = (
                    f"SELECT DISTINCT ?this ?value ?_w WHERE {{ {focus} {vp} ?this <{arg}> ?_w "
                    f"FILTER(!COALESCE(?value {op} ?_w, false)) }}"
                )
            checks.append(Check(shape, component, query, path))
        return checks

    def unique_lang_checks(
        self, shape: Node, path: PathExpr | None, args: list[Node], focus: str, vp: str
    ) -> list[Check]:
        """sh:uniqueLang true: one result per focus node and language tag that two value
        nodes share (compared without case; no sh:value), as the W3C suite has it
        (core/property/uniqueLang-001). Only the literal ``true`` activates the
        constraint: ``"1"^^xsd:boolean`` is another value (core/property/uniqueLang-002)."""
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

    def qualified_checks(
        self, shape: Node, path: PathExpr | None, focus: str, vp: str
    ) -> list[Check]:
        """sh:qualifiedValueShape: count the value nodes that conform, per focus node."""
        sg = self.sg
        disjoint = sg.value(shape, SH.qualifiedValueShapesDisjoint)
        if path is None or (disjoint is not None and _is_true(disjoint)):
            raise Unsupported("sh:qualifiedValueShapesDisjoint or a node-shape qualified shape")
        if sg.value(shape, SH.message) is None:
            raise Unsupported("sh:qualifiedValueShape without its own sh:message")
        bounds = []
        for param, component, op in (
            (SH.qualifiedMinCount, SH.QualifiedMinCountConstraintComponent, "<"),
            (SH.qualifiedMaxCount, SH.QualifiedMaxCountConstraintComponent, ">"),
        ):
            args = list(sg.objects(shape, param))
            if len(args) > 1 or (args and _integer(args[0]) is None):
                raise Unsupported(f"a malformed {param}")
            bound = _integer(args[0]) if args else None
            if bound is not None:
                bounds.append((component, op, bound))
        checks = []
        for qualified in sorted(sg.objects(shape, SH.qualifiedValueShape), key=str):
            parts = self.conformance_parts(shape, qualified, path, focus, set())
            if parts is not None:
                # The qualified shape's own checks over the values, then a count per
                # focus node: whole-graph queries instead of a conformance test for
                # every value of every focus node.
                query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} OPTIONAL {{ {vp} }} }}"
                for component, op, n in bounds:
                    check = Check(shape, component, query, path)
                    checks.append(
                        dataclasses.replace(check, conformance=tuple(parts), count=(op, n))
                    )
                continue
            conforms = self.conforms(qualified, "?value", frozenset())
            for component, op, n in bounds:
                if op == "<" and n == 1:  # at least one conforming value: a focus test
                    test = "NOT " + self.exists("?this", path, "?value", conforms)
                    query = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER({test}) }}"
                    checks.append(Check(shape, component, query, path, focus=focus, test=test))
                    continue
                query = (
                    f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {vp} FILTER({conforms}) }} }} "
                    f"GROUP BY ?this HAVING(COUNT(DISTINCT ?value) {op} {n})"
                )
                checks.append(Check(shape, component, query, path))
        return checks

    def closed_check(self, shape: Node, focus: str, vp: str) -> Check:
        allowed: set[Node] = set()
        for prop in self.sg.objects(shape, SH.property):
            prop_path = self.sg.value(prop, SH.path)
            if isinstance(prop_path, URIRef):
                allowed.add(prop_path)
        ignored = self.sg.value(shape, SH.ignoredProperties)
        if ignored is not None:
            allowed.update(_members(self.sg, ignored))
        test = " || ".join(f"sameTerm(?rpath, {sparql_term(a)})" for a in sorted(allowed, key=str))
        vn = vp.replace("?value", "?_vn")
        query = (
            f"SELECT DISTINCT ?this ?value ?rpath WHERE {{ {focus} {vn} ?_vn ?rpath ?value "
            f"FILTER(!({test or 'false'})) }}"
        )
        return Check(shape, SH.ClosedConstraintComponent, query, self.path_of(shape))

    # -- value-level tests (a SPARQL expression: true when the value violates) ------------

    def value_violation(self, param: URIRef, arg: Node, shape: Node, v: str) -> str:
        if param == SH["class"]:
            return f"NOT EXISTS {{ {self.instance_of(v, arg)} }}"
        if param == SH.datatype:
            return _datatype_violation(arg, v)
        if param == SH.nodeKind:
            kinds = {
                SH.IRI: f"!isIRI({v})",
                SH.BlankNode: f"!isBlank({v})",
                SH.Literal: f"!isLiteral({v})",
                SH.BlankNodeOrIRI: f"isLiteral({v})",
                SH.BlankNodeOrLiteral: f"isIRI({v})",
                SH.IRIOrLiteral: f"isBlank({v})",
            }
            if not isinstance(arg, URIRef) or arg not in kinds:
                raise Unsupported(f"an unknown sh:nodeKind {arg}")
            return kinds[arg]
        if param == SH["in"]:
            tests = " || ".join(f"sameTerm({v}, {sparql_term(m)})" for m in _members(self.sg, arg))
            return f"!({tests or 'false'})"
        if param in (SH.minLength, SH.maxLength):
            n = _integer(arg)
            if n is None:
                raise Unsupported(f"a malformed {param}")
            op = "<" if param == SH.minLength else ">"
            return f"(isBlank({v}) || STRLEN(STR({v})) {op} {n})"
        if param == SH.pattern:
            flags = self.sg.value(shape, SH.flags)
            flag_text = f", {sparql_term(Literal(str(flags)))}" if flags is not None else ""
            regex = f"REGEX(STR({v}), {sparql_term(Literal(str(arg)))}{flag_text})"
            return f"(isBlank({v}) || !{regex})"
        if param in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            op = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">"}.get(
                param, "<"
            )
            return f"!COALESCE({v} {op} {sparql_term(arg)}, false)"
        if param == SH.languageIn:
            langs = [str(x) for x in _members(self.sg, arg)]
            tests = " || ".join(f"langMatches(lang({v}), {sparql_term(Literal(t))})" for t in langs)
            return f"!COALESCE({tests or 'false'}, false)"
        if param in (SH.node, SH["not"]):
            conforms = self.conforms(arg, v, frozenset())
            return f"!({conforms})" if param == SH.node else f"({conforms})"
        return self.nested_value_violation(param, arg, v, frozenset())

    def conforms(self, shape: Node, x: str, seen: frozenset[Node]) -> str:
        """A SPARQL expression true when node ``x`` conforms to ``shape``."""
        if shape in seen or len(seen) > 8:
            raise Unsupported("recursive or deeply nested shape references")
        if deactivated(self.sg, shape):
            return "true"
        seen = seen | {shape}
        path = self.path_of(shape)
        parts: list[str] = []
        for param in _parameters(self.sg, shape):
            args = sorted(self.sg.objects(shape, param), key=str)
            if (
                param in _IGNORED
                or param in _TARGETS
                or param.startswith(str(RDF))
                or not param.startswith(str(SH))
            ):
                if param in self.custom_parameters:
                    raise Unsupported(f"a custom constraint component ({param})")
                continue
            if param in _VALUE_COMPONENTS:
                for arg in args:
                    if param in (SH.node, SH["not"], SH["and"], SH["or"], SH.xone):
                        expr = self.nested_value_violation(param, arg, "{v}", seen)
                    else:
                        expr = self.value_violation(param, arg, shape, "{v}")
                    if path is None:
                        parts.append("!(" + expr.replace("{v}", x) + ")")
                    else:
                        w = self.var()
                        parts.append("NOT " + self.exists(x, path, w, expr.replace("{v}", w)))
            elif param in (SH.minCount, SH.maxCount) and path is not None:
                n = _integer(args[0]) if len(args) == 1 else None
                step = sparql_path(path)
                w1, w2 = self.var(), self.var()
                if param == SH.minCount and n is not None and n <= 1:
                    parts.append(self.exists(x, path, w1) if n == 1 else "true")
                elif param == SH.maxCount and n == 0:
                    parts.append("NOT " + self.exists(x, path, w1))
                elif param == SH.maxCount and n == 1:
                    parts.append(
                        f"NOT EXISTS {{ {x} {step} {w1} . {x} {step} {w2} "
                        f"FILTER(!sameTerm({w1}, {w2})) }}"
                    )
                else:
                    raise Unsupported(f"{param} {args[0]} inside a referenced shape")
            elif param == SH.hasValue:
                for arg in args:
                    parts.append(
                        self.exists(x, path, sparql_term(arg))
                        if path is not None
                        else f"sameTerm({x}, {sparql_term(arg)})"
                    )
            elif param == SH.property:
                for prop in args:
                    if path is not None:
                        raise Unsupported("sh:property inside a referenced property shape")
                    parts.append(self.conforms(prop, x, seen))
            elif (
                param == SH.severity
                or param == SH.message
                or param in (SH.name, SH.description, SH.order, SH.group, SH.defaultValue)
            ):
                continue
            else:
                raise Unsupported(f"{param} inside a referenced shape")
        return "(" + (" && ".join(parts) or "true") + ")"

    def nested_value_violation(
        self, param: URIRef, arg: Node, v: str, seen: frozenset[Node]
    ) -> str:
        if param in (SH.node, SH["not"]):
            conforms = self.conforms(arg, v, seen)
            return f"!({conforms})" if param == SH.node else f"({conforms})"
        members = [self.conforms(m, v, seen) for m in _members(self.sg, arg)]
        if param == SH["and"]:
            return "!(" + (" && ".join(members) or "true") + ")"
        if param == SH["or"]:
            return "!(" + (" || ".join(members) or "false") + ")"
        return "(" + (" + ".join(f"IF({m}, 1, 0)" for m in members) or "0") + ") != 1"


def _datatype_violation(datatype: Node, v: str) -> str:
    if not isinstance(datatype, URIRef):
        raise Unsupported("a non-IRI sh:datatype")
    if datatype == RDFS.Literal:
        return f"!isLiteral({v})"
    same = f"isLiteral({v}) && sameTerm(datatype({v}), <{datatype}>)"
    if datatype in _CASTS:
        cast, bound = _CASTS[datatype]
        check = f"STRLEN(STR(<{cast}>(STR({v})))) >= 0"
        if bound:
            check = f"<{cast}>(STR({v})) {bound}"
        return f"!COALESCE({same} && {check}, false)"
    if datatype in _UNCHECKED or not datatype.startswith(str(XSD)):
        return f"!COALESCE({same}, false)"
    raise Unsupported(f"sh:datatype {datatype} (well-formedness not compiled)")


def _lexical_only(datatype: Node) -> bool:
    """An XSD datatype whose well-formedness the engine checks with rdflib, not SPARQL."""
    return (
        isinstance(datatype, URIRef)
        and datatype.startswith(str(XSD))
        and datatype not in _CASTS
        and datatype not in _UNCHECKED
    )


def _parameters(sg: Graph, shape: Node) -> list[URIRef]:
    return sorted({p for p in sg.predicates(shape, None) if isinstance(p, URIRef)}, key=str)


def _members(sg: Graph, head: Node) -> list[Node]:
    if not isinstance(head, (URIRef, BNode)):
        raise Unsupported("a SHACL list that is a literal")
    return list(Collection(sg, head))


def _integer(node: Node) -> int | None:
    if isinstance(node, Literal) and node.datatype == XSD.integer:
        value = node.toPython()
        return value if isinstance(value, int) and value >= 0 else None
    return None


def _is_true(node: Node) -> bool:
    return isinstance(node, Literal) and node.toPython() is True
