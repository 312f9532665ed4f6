"""SHACL-SPARQL constraints compiled to one query over the whole graph.

pyshacl runs a ``sh:sparql`` SELECT once per focus node with ``$this`` pre-bound. Here
the target pattern that binds ``?this`` is injected at the start of the query's WHERE
clause, so one query returns the rows of every focus node. Two rewrites keep that
both exact and fast:

- a subquery is accepted when it projects ``$this``: over the whole graph it returns
  the rows of every focus node, and joining on ``?this`` gives what pre-binding gives;
- a top-level ``FILTER NOT EXISTS { B }`` whose pattern ``B`` shares no variable but
  ``$this`` with the rest of the query, and binds ``$this`` in a triple pattern of its
  own group, becomes ``MINUS { B }`` at the end of the WHERE group. Both remove exactly
  the focus nodes for which ``B`` has a solution; MINUS evaluates ``B`` once (graph-wide
  reachability such as "counts towards a recognised pathway"), where the filter would
  evaluate it again for every focus node.

>>> negations_as_minus("SELECT ?this WHERE { ?this a ?c . "
...     "FILTER NOT EXISTS { ?this <x:p>+ ?end . ?end a <x:E> } }")
'SELECT ?this WHERE { ?this a ?c . MINUS { ?this <x:p>+ ?end . ?end a <x:E> } }'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, SH
from rdflib.term import Node

from pathways.errors import InputError
from pathways.validation.graph_rules import native_rule
from pathways.validation.plans import Check, Unsupported, deactivated, sparql_path, sparql_term
from pathways.validation.results import PathExpr

__all__ = [
    "check_pre_binding",
    "compile_sparql_constraint",
    "negations_as_minus",
    "pre_bound_query",
    "prefixes_of",
    "select_check",
    "substitute",
]

# Strings, IRIs and comments (whose braces do not count), braces, and everything else.
_TOKENS = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*)'
    r"|(?P<open>\{)|(?P<close>\})|(?P<other>[^\"'<#{}]+|[\"'<#])",
    re.DOTALL,
)
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")
_NOT_EXISTS = re.compile(r"\bFILTER\s*NOT\s+EXISTS\s*$", re.IGNORECASE)


def check_pre_binding(text: str, prebound: set[str]) -> None:
    """Raise :class:`InputError` when a query breaks the rules SHACL sets for queries
    with pre-bound variables (SHACL 1.0, Appendix A): no MINUS, SERVICE or VALUES, no
    ``AS ?var`` for a pre-bound variable, and every subquery projects the pre-bound
    variables (W3C suite sparql/pre-binding/unsupported-sparql-001 to -006 and
    pre-binding-006 expect a failure).

    >>> check_pre_binding("SELECT $this WHERE { { SELECT * WHERE { ?this ?p ?o } } }", {"this"})
    Traceback (most recent call last):
    ...
    pathways.errors.InputError: a SHACL-SPARQL subquery must project $this (SHACL 1.0, ...
    """
    code = " ".join(
        t.group("other") or ("{" if t.group("open") else "}" if t.group("close") else '""')
        for t in _TOKENS.finditer(text)
    )
    keyword = re.search(r"\b(MINUS|SERVICE|VALUES)\b", code, re.IGNORECASE)
    problem = None
    if keyword:
        problem = f"{keyword.group(1).upper()} is not allowed in a SHACL-SPARQL query"
    for name in sorted(prebound):
        if re.search(rf"\bAS\s+[?$]{name}\b", code, re.IGNORECASE):
            problem = f"AS ?{name} assigns the pre-bound variable ${name}"
    projected = sorted(prebound - {"shapesGraph", "currentShape"})
    for head in re.findall(r"\bSELECT\b(.*?)(?:\bWHERE\b|\{)", code, _FLAGS)[1:]:
        missing = [n for n in projected if not re.search(rf"[?$]{n}\b", head)]
        if missing:
            problem = f"a SHACL-SPARQL subquery must project ${missing[0]}"
    if problem is not None:
        raise InputError(
            f"{problem} (SHACL 1.0, Appendix A)",
            hint="see https://www.w3.org/TR/shacl/#pre-binding",
        )


def compile_sparql_constraint(
    sg: Graph, shape: Node, path: PathExpr | None, focus: str, constraint: Node
) -> Check:
    """Compile one ``sh:sparql`` constraint of ``shape`` with focus pattern ``focus``.

    Raises :class:`Unsupported` for what pre-binding cannot be replaced by a join:
    ``$value``, ``$shapesGraph``, ``?failure``, VALUES, MINUS, SERVICE, a subquery that
    does not project ``$this``, ``$PATH`` on a node shape.
    """
    if deactivated(sg, constraint):
        raise Unsupported("a deactivated sh:sparql constraint")
    select = sg.value(constraint, SH.select)
    if select is None:
        raise Unsupported("a SPARQL constraint without sh:select")
    declared = prefixes_of(sg, constraint)
    messages = tuple(m for m in sg.objects(constraint, SH.message) if isinstance(m, Literal))
    return select_check(
        str(select),
        declared,
        shape,
        SH.SPARQLConstraintComponent,
        path,
        focus,
        messages=tuple(sorted(messages, key=str)),
        source_constraint=constraint,
        native=native_rule(str(select), dict(declared)),
    )


def select_check(
    text: str,
    declared: list[tuple[str, str]],
    shape: Node,
    component: URIRef,
    path: PathExpr | None,
    focus: str,
    *,
    bindings: Mapping[str, str] | None = None,
    messages: tuple[Literal, ...] = (),
    source_constraint: Node | None = None,
    native: str | None = None,
) -> Check:
    """A SHACL-SPARQL SELECT (a ``sh:sparql`` constraint or a SELECT validator of a
    constraint component) as a check: ``$this`` bound by the focus pattern injected
    into its WHERE clause, or, where only pre-binding binds it, per focus node.
    ``bindings`` pre-bind other variables (a component's parameters) to terms."""
    check_pre_binding(text, {"this", *(bindings or {})})
    lowered = text.lower()
    if "$shapesgraph" in lowered or "?failure" in lowered or "$value" in lowered:
        raise Unsupported("a SPARQL constraint using $shapesGraph, $value or ?failure")
    if "$currentshape" in lowered:
        text = re.sub(r"\$currentShape\b", sparql_term(shape), text)
    if "$path" in lowered:
        if path is None:
            raise Unsupported("$PATH in a node shape")
        text = re.sub(r"\$PATH\b", sparql_path(path), text)
    if bindings:
        text = substitute(text, bindings)
    text = re.sub(r"\$this\b", "?this", text)
    prefixes = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in declared)
    if _needs_pre_binding(text):  # run once per focus node, $this substituted
        return Check(
            shape,
            component,
            prefixes + text,
            path,
            source_constraint=source_constraint,
            extra_messages=messages,
            node_shape_value=path is None,
            focus=focus,
            pre_bound=True,
            sparql_rows=True,
        )
    match = re.search(r"\bselect\b(.*?)(\bwhere\b\s*)?\{", text, re.IGNORECASE | re.DOTALL)
    if match is None:
        raise Unsupported("cannot find the WHERE clause of the SPARQL constraint")
    projection = match.group(1)
    if "*" not in projection and not re.search(r"\?this\b", projection):
        projection = " ?this" + projection
    head = text[: match.start(1)] + projection + text[match.end(1) : match.end()]
    query = head + f" {focus} " + text[match.end() :]
    if "{ VALUES ?this" not in focus:  # focus nodes are nodes of the graph
        query = negations_as_minus(query)
    return Check(
        shape,
        component,
        prefixes + query,
        path,
        source_constraint=source_constraint,
        extra_messages=messages,
        node_shape_value=path is None,
        native=native,
        focus=focus,
        sparql_rows=True,
    )


def prefixes_of(sg: Graph, constraint: Node) -> list[tuple[str, str]]:
    """The prefixes declared by the constraint's sh:prefixes values and by the
    ontologies they reach through owl:imports (SHACL 5.2.1; W3C suite
    sparql/node/prefixes-001)."""
    declared: dict[str, str] = {}
    todo = list(sg.objects(constraint, SH.prefixes))
    seen: set[Node] = set()
    while todo:
        ontology = todo.pop(0)
        if ontology in seen:
            continue
        seen.add(ontology)
        todo.extend(sg.objects(ontology, OWL.imports))
        for declaration in sg.objects(ontology, SH.declare):
            prefix = sg.value(declaration, SH.prefix)
            namespace = sg.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                declared.setdefault(str(prefix), str(namespace))
    return sorted(declared.items())


def _groups(text: str) -> Iterator[tuple[int, int, int]]:
    """(depth, start, end) of every ``{ ... }`` group, end after its closing brace."""
    stack: list[int] = []
    for token in _TOKENS.finditer(text):
        if token.group("open"):
            stack.append(token.start())
        elif token.group("close") and stack:
            start = stack.pop()
            yield len(stack), start, token.end()


def top_group(text: str) -> tuple[int, int] | None:
    """(start, end) of the first outermost ``{ ... }`` group of a query, end after its
    closing brace; None when there is none.

    >>> top_group('ASK { FILTER("}" != ?x) }')
    (4, 25)
    """
    for depth, start, end in _groups(text):
        if depth == 0:
            return start, end
    return None


def _top_level_text(body: str) -> str:
    """``body`` without its nested groups, strings, IRIs and comments."""
    out: list[str] = []
    depth = 0
    for token in _TOKENS.finditer(body):
        if token.group("open"):
            depth += 1
        elif token.group("close"):
            depth -= 1
        elif token.group("other") and depth == 0:
            out.append(token.group("other"))
    return " ".join(out)


def negations_as_minus(query: str) -> str:
    """Rewrite the WHERE group's independent ``FILTER NOT EXISTS`` blocks as MINUS.

    A block qualifies when it follows a path with ``+`` or ``*`` (graph-wide
    reachability: what MINUS speeds up), its variables other than ``?this`` occur
    nowhere else in the query, and ``?this`` occurs in its own group outside FILTER,
    BIND and nested groups (so every solution of the block binds ``?this``). The
    caller makes sure ``?this`` is bound to nodes of the graph (not ``sh:targetNode``
    values, for which a zero-length path would differ). Everything else is left as it
    is.
    """
    groups = list(_groups(query))
    outer = [g for g in groups if g[0] == 0]
    if not outer:
        return query
    _depth, where_start, where_end = outer[0]
    # the WHERE group holds the focus subquery at depth 1, the negations are its siblings
    blocks = []
    for depth, start, end in groups:
        if depth != 1 or not (where_start < start < where_end):
            continue
        keyword = _NOT_EXISTS.search(query, 0, start)
        if keyword is None or query[keyword.end() : start].strip():
            continue
        blocks.append((keyword.start(), start, end))
    rewritten = query
    moved: list[str] = []
    for keyword_start, start, end in reversed(blocks):
        body = query[start + 1 : end - 1]
        rest = query[:keyword_start] + query[end:]
        shared = set(_VARIABLE.findall(body)) & set(_VARIABLE.findall(rest))
        if shared - {"this"} or not _binds_this(body) or not re.search(r"[+*]", body):
            continue
        rewritten = rewritten[:keyword_start] + rewritten[end:]
        moved.insert(0, f" MINUS {{{body}}}")
    if not moved:
        return query
    where = next(g for g in _groups(rewritten) if g[0] == 0)
    close = where[2] - 1
    return rewritten[:close].rstrip() + "".join(moved) + " " + rewritten[close:]


def _needs_pre_binding(query: str) -> bool:
    """Whether injecting the focus pattern (a join on ``?this``) would differ from
    SHACL's pre-binding of ``$this``: a group of the WHERE clause tests ``?this`` (in a
    FILTER, BIND or a subquery's body) without a triple pattern of its own that binds
    it, and is not an EXISTS or OPTIONAL group (whose filters see the outer ``?this``).
    Pre-binding substitutes the focus node there; a join leaves it unbound (W3C suite
    sparql/pre-binding/pre-binding-002, -003, -005, -007).

    >>> _needs_pre_binding("SELECT ?this WHERE { ?this <x:p> ?v FILTER(?v != ?this) }")
    False
    >>> _needs_pre_binding("SELECT ?this WHERE { { FILTER(?this = <x:a>) } "
    ...     "UNION { ?this <x:p> 1 } }")
    True
    """
    groups = sorted(_groups(query), key=lambda g: g[1])
    outer = [g for g in groups if g[0] == 0]
    if not outer:
        return False
    correlated: list[tuple[int, int]] = []  # EXISTS / OPTIONAL groups: outer ?this is seen
    for depth, start, end in groups:
        if depth == 0 or not (outer[0][1] < start < outer[0][2]):
            continue
        if any(s < start and end <= e for s, e in correlated):
            continue
        if re.search(r"\b(EXISTS|OPTIONAL)\s*$", query[:start], re.IGNORECASE):
            correlated.append((start, end))
            continue
        body = query[start + 1 : end - 1]
        top = _top_level_text(body)
        top = re.sub(r"^\s*SELECT\b.*?\bWHERE\b", "", top, flags=re.IGNORECASE | re.DOTALL)
        if re.search(r"^\s*SELECT\b", top, re.IGNORECASE):
            continue  # "SELECT ?this { ... }": the projection, its body is a group below
        if re.search(r"\?this\b", top) and not _binds_this(body):
            return True
    return False


def pre_bound_query(query: str, term: str) -> str:
    """``query`` with ``?this`` pre-bound to ``term`` (see :func:`substitute`).

    >>> pre_bound_query('SELECT ?this WHERE { { SELECT ?this WHERE { FILTER(?this = <x:a>) } } }',
    ...     "<x:a>")
    'SELECT (<x:a> AS ?this) WHERE { { SELECT (<x:a> AS ?this) WHERE { FILTER(<x:a> = <x:a>) } } }'
    """
    return substitute(query, {"this": term})


def substitute(query: str, bindings: Mapping[str, str]) -> str:
    """``query`` with variables pre-bound to terms, as SHACL defines pre-binding: every
    occurrence (``?x`` or ``$x``) replaced by the term (``BOUND(?x)`` by true), and a
    projection of the variable kept as ``(term AS ?x)``; strings, IRIs and comments are
    left alone.

    >>> substitute('ASK { FILTER($value != $lang && ?lang != "$lang") }', {"lang": '"de"'})
    'ASK { FILTER($value != "de" && "de" != "$lang") }'
    """
    names = "|".join(re.escape(name) for name in bindings)
    variable = re.compile(rf"(?<! AS )[?$]({names})\b")
    bound = re.compile(rf"\bBOUND\s*\(\s*[?$]({names})\s*\)", _FLAGS)

    def head(match: re.Match[str]) -> str:
        projected = re.sub(
            rf"[?$]({names})\b",
            lambda m: f"({bindings[m.group(1)]} AS ?{m.group(1)})",
            match.group(2),
        )
        return match.group(1) + projected

    out = []
    for token in _TOKENS.finditer(query):
        text = token.group(0)
        if token.group("other"):
            text = re.sub(r"(\bSELECT\b)(.*?)(?=\bWHERE\b|$)", head, text, flags=_FLAGS)
            text = bound.sub("(true)", text)
            text = variable.sub(lambda m: bindings[m.group(1)], text)
        out.append(text)
    return "".join(out)


_FLAGS = re.IGNORECASE | re.DOTALL


def _binds_this(body: str) -> bool:
    top = _top_level_text(body)
    if re.search(r"\b(BIND|VALUES|SERVICE)\b", top, re.IGNORECASE):
        return False
    without_filters = _strip_calls(top, "FILTER")
    return re.search(r"\?this\b", without_filters) is not None


def _strip_calls(text: str, keyword: str) -> str:
    """Remove ``KEYWORD (...)`` calls (balanced parentheses) from ``text``."""
    out = []
    position = 0
    for match in re.finditer(rf"\b{keyword}\b", text, re.IGNORECASE):
        if match.start() < position:
            continue
        out.append(text[position : match.start()])
        index = match.end()
        while index < len(text) and text[index].isspace():
            index += 1
        depth = 0
        while index < len(text):
            if text[index] == "(":
                depth += 1
            elif text[index] == ")":
                depth -= 1
                if depth == 0:
                    index += 1
                    break
            elif depth == 0:
                break
            index += 1
        position = index
    out.append(text[position:])
    return "".join(out)
