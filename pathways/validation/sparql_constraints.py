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
from collections.abc import Iterator

from rdflib import Graph, Literal
from rdflib.namespace import OWL, SH
from rdflib.term import Node

from pathways.validation.graph_rules import native_rule
from pathways.validation.plans import Check, Unsupported, deactivated, sparql_path, sparql_term
from pathways.validation.results import PathExpr

__all__ = ["compile_sparql_constraint", "negations_as_minus"]

# Strings, IRIs and comments (whose braces do not count), braces, and everything else.
_TOKENS = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*)'
    r"|(?P<open>\{)|(?P<close>\})|(?P<other>[^\"'<#{}]+|[\"'<#])",
    re.DOTALL,
)
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")
_NOT_EXISTS = re.compile(r"\bFILTER\s*NOT\s+EXISTS\s*$", re.IGNORECASE)


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
    text = str(select)
    lowered = text.lower()
    if "$shapesgraph" in lowered or "?failure" in lowered or "$value" in lowered:
        raise Unsupported("a SPARQL constraint using $shapesGraph, $value or ?failure")
    if re.search(r"\b(service|values|minus)\b", lowered):
        raise Unsupported("a SPARQL constraint with VALUES, MINUS or SERVICE")
    projections = re.findall(r"\bselect\b(.*?)(?:\bwhere\b\s*)?\{", text, re.I | re.DOTALL)
    if any(not re.search(r"[?$]this\b", p) for p in projections[1:]):
        raise Unsupported("a SPARQL constraint with a subquery that does not project $this")
    if "$currentshape" in lowered:
        text = re.sub(r"\$currentShape\b", sparql_term(shape), text)
    if "$path" in lowered:
        if path is None:
            raise Unsupported("$PATH in a node shape")
        text = re.sub(r"\$PATH\b", sparql_path(path), text)
    text = re.sub(r"\$this\b", "?this", text)
    declared = _prefixes(sg, constraint)
    prefixes = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in declared)
    messages = tuple(m for m in sg.objects(constraint, SH.message) if isinstance(m, Literal))
    if _needs_pre_binding(text):  # run once per focus node, $this substituted
        return Check(
            shape,
            SH.SPARQLConstraintComponent,
            prefixes + text,
            path,
            source_constraint=constraint,
            extra_messages=tuple(sorted(messages, key=str)),
            node_shape_value=path is None,
            focus=focus,
            pre_bound=True,
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
    query = prefixes + query
    return Check(
        shape,
        SH.SPARQLConstraintComponent,
        query,
        path,
        source_constraint=constraint,
        extra_messages=tuple(sorted(messages, key=str)),
        node_shape_value=path is None,
        native=native_rule(str(select), dict(declared)),
        focus=focus,
    )


def _prefixes(sg: Graph, constraint: Node) -> list[tuple[str, str]]:
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
    """``query`` with ``?this`` pre-bound to ``term``, as SHACL defines pre-binding:
    every occurrence replaced by the term (``BOUND(?this)`` by true), and a projection
    of ``?this`` kept as ``(term AS ?this)`` (strings, IRIs and comments are left alone).

    >>> pre_bound_query('SELECT ?this WHERE { { SELECT ?this WHERE { FILTER(?this = <x:a>) } } }',
    ...     "<x:a>")
    'SELECT (<x:a> AS ?this) WHERE { { SELECT (<x:a> AS ?this) WHERE { FILTER(<x:a> = <x:a>) } } }'
    """

    def head(match: re.Match[str]) -> str:
        return match.group(1) + re.sub(r"\?this\b", f"({term} AS ?this)", match.group(2))

    out = []
    for token in _TOKENS.finditer(query):
        text = token.group(0)
        if token.group("other"):
            text = re.sub(r"(\bSELECT\b)(.*?)(?=\bWHERE\b|$)", head, text, flags=_FLAGS)
            text = re.sub(r"\bBOUND\s*\(\s*\?this\s*\)", "(true)", text, flags=_FLAGS)
            text = re.sub(r"(?<! AS )\?this\b", term, text)
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
