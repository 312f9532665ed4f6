"""Pathway diagrams: Graphviz DOT, SVG (through the ``dot`` program) and Mermaid.

A diagram reads left to right: one column per EQF level (credentials without a level
float between), arrows from what comes first to what it leads to. Prerequisites are
solid arrows, entry routes dashed (through a small route node), co-requisites dotted,
recommended orders (pw:precedes) grey; an N-of-M component condition is a box
labelled "2 of 7" (with its minimum hours or credits) between its targets and the
credential or pathway it belongs to. Micro-credentials are blue, qualifications gold,
other credentials grey; a credential only referenced, never described, has a dashed
outline.

The scope is :attr:`ExportOptions.pathway` (a pathway or credential and everything it
needs) or the whole progression network, which must stay below :data:`MAX_NODES`.

>>> from pathways.rdf.store import KnowledgeGraph
>>> print(dot(KnowledgeGraph.open(), ExportOptions()).decode().splitlines()[0])
digraph pathways {
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pathways.catalogue.lookup import kind_error
from pathways.errors import UsageError
from pathways.export import ExportOptions, exporter
from pathways.export.network import canonical_projection
from pathways.rdf.store import KnowledgeGraph

if TYPE_CHECKING:  # imported where a picture is drawn, not by the exporters' registry
    import networkx as nx

__all__ = ["MAX_NODES", "Diagram", "diagram", "dot", "mermaid", "svg"]

#: Above this many nodes a whole-network picture is unreadable: a scope is required.
MAX_NODES = 150

#: Edge kinds that lead from a node to what it needs (walked to collect a scope).
_NEEDS = (
    "prerequisite",
    "corequisite",
    "entry",
    "requires",
    "recognises",
    "condition",
    "target",
    "subcondition",
    "component",
    "destination",
    "precedes",
)
_DRAWN = ("credential", "condition", "entry-route", "prior-learning", "pathway", "occupation")
_FILL = {"micro": "#dbe9f6", "qualification": "#fde9b0", "other": "#e8e8e8"}


@dataclass(frozen=True)
class Diagram:
    """What a picture shows: the scoped sub-network and its credentials' columns.

    Attributes
    ----------
    g : networkx.DiGraph
        The nodes drawn and their edges, as in :func:`pathways.catalogue.projection.project`.
    levels : tuple of (float, tuple of str)
        Column -> credential keys in that column, both in ascending order. Column
        ``n`` holds the credentials of EQF level ``n``; column ``n + 0.5`` those of
        level ``n`` earned through component conditions (stacked), drawn to the
        right of their parts.
    ids : dict
        Node key -> short, stable identifier for the diagram languages.
    """

    g: nx.DiGraph
    levels: tuple[tuple[float, tuple[str, ...]], ...]
    ids: dict[str, str]


def diagram(kg: KnowledgeGraph, pathway: str | None = None) -> Diagram:
    """Choose and arrange what to draw.

    Parameters
    ----------
    kg : KnowledgeGraph
    pathway : str, optional
        IRI of a pw:ProgressionPathway or credential: draw it and all it needs
        (components, conditions, entry routes, prerequisites, recursively).

    Raises
    ------
    NotFoundError
        ``pathway`` is not in the graph.
    UsageError
        No scope and the network has more than :data:`MAX_NODES` nodes.

    Examples
    --------
    >>> kg = KnowledgeGraph.open()
    >>> kg.store.update('''PREFIX pw: <https://w3id.org/pathways/vocab#>
    ... INSERT DATA { <urn:b> a pw:MicroCredential ; pw:prerequisite <urn:a> .
    ...   <urn:c> a pw:MicroCredential . }''')
    >>> sorted(diagram(kg, "urn:b").g)
    ['urn:a', 'urn:b']
    """
    full = canonical_projection(kg)
    drawn = [n for n, kind in full.nodes(data="kind") if kind in _DRAWN]
    if pathway is not None:
        error = kind_error(
            kg,
            full,
            pathway,
            ("pathway", "credential"),
            "a diagram shows a pathway or a credential",
        )
        if error is not None:
            raise error
        drawn = [pathway, *_needed(full, pathway)]
    else:
        # Occupations are drawn only as destinations of pathways.
        drawn = [n for n in drawn if full.nodes[n]["kind"] != "occupation" or full.in_degree(n)]
        if len(drawn) > MAX_NODES:
            raise UsageError(
                f"the progression network has {len(drawn)} nodes, too many for one picture "
                f"(at most {MAX_NODES})",
                hint="draw one pathway or credential: --pathway IRI",
            )
    import networkx as nx

    g = nx.DiGraph(full.subgraph(sorted(drawn)))
    # Component lists are informative: members are drawn, their links to the pathway not.
    g.remove_edges_from(
        [(u, v) for u, v, k in g.edges(data="kind") if k not in _NEEDS or k == "component"]
    )
    for node, kind in full.nodes(data="kind"):
        if kind == "condition" and node in g:
            counted = ("target", "subcondition")
            units = sum(1 for _, _, k in full.out_edges(node, data="kind") if k in counted)
            g.nodes[node]["units"] = units
    columns: dict[float, list[str]] = {}
    for node, column in _levels(g).items():
        if g.nodes[node]["kind"] == "credential":
            columns.setdefault(column, []).append(node)
    levels = tuple((level, tuple(sorted(nodes))) for level, nodes in sorted(columns.items()))
    ids = {node: f"n{i}" for i, node in enumerate(sorted(g))}
    return Diagram(g, levels, ids)


def _needed(g: nx.DiGraph, start: str) -> Iterable[str]:
    seen = {start}
    frontier = [start]
    while frontier:
        node = frontier.pop()
        for _, child, kind in g.out_edges(node, data="kind"):
            if kind in _NEEDS and child not in seen and g.nodes[child]["kind"] in _DRAWN:
                seen.add(child)
                frontier.append(child)
    return sorted(seen - {start})


def _number(value: float) -> str:
    return f"{value:g}"


def _caption(data: dict[str, object]) -> list[str]:
    """The lines of a node's label."""
    kind = data["kind"]
    if kind == "condition":
        units = data.get("units")
        required = data.get("required", 0)
        lines = [
            "all of" if data.get("all") else f"{required} of {units}" if units else f"{required} of"
        ]
        if isinstance(data.get("min_hours"), float | int):
            lines.append(f"≥ {_number(float(data['min_hours']))} h")  # type: ignore[arg-type]
        if isinstance(data.get("min_credits"), float | int):
            lines.append(f"≥ {_number(float(data['min_credits']))} ECTS-eq.")  # type: ignore[arg-type]
        return lines
    if kind == "entry-route":
        hours = data.get("hours")
        return ["entry route", f"{_number(hours)} h"] if isinstance(hours, float) else ["route"]
    lines = textwrap.wrap(str(data.get("label", "")), width=26, max_lines=4, placeholder=" …")
    facts = []
    if kind == "credential":
        if data.get("eqf") is not None:
            facts.append(f"EQF {data['eqf']}")
        if isinstance(data.get("hours"), float):
            facts.append(f"{_number(data['hours'])} h")  # type: ignore[arg-type]
    elif kind == "pathway":
        facts.append("pathway")
    elif kind == "occupation":
        facts.append("occupation")
    return [*lines, " · ".join(facts)] if facts else lines


def _arrow(g: nx.DiGraph, u: str, v: str) -> tuple[str, str]:
    """An edge drawn in reading order: (from, to) where 'from' comes first."""
    kind = g.edges[u, v]["kind"]
    if kind == "precedes" or (kind == "destination" and g.nodes[v]["kind"] == "occupation"):
        return u, v  # u is recommended before v; a pathway leads to its occupation
    return v, u  # projection edges point at what is required: draw required -> requirer


def _column(level: float) -> tuple[str, str]:
    """Identifier and caption of a column."""
    if level == int(level):
        return f"eqf{int(level)}", f"EQF level {int(level)}"
    return f"eqf{int(level)}s", f"EQF level {int(level)}, stacked"


def _levels(g: nx.DiGraph) -> dict[str, float]:
    """Column of each node: credentials their EQF level; a condition or entry route a
    little left of what it leads to, so that arrows into it from its own column do not
    fight the columns."""
    level: dict[str, float] = {}
    for node, data in g.nodes(data=True):
        if data["kind"] == "credential" and data.get("eqf") is not None:
            stacked = any(k == "condition" for _, _, k in g.out_edges(node, data="kind"))
            level[node] = float(data["eqf"]) + (0.5 if stacked else 0.0)

    def owner_level(node: str, depth: int) -> float | None:
        if node in level:
            return level[node]
        if depth > 20 or g.nodes[node]["kind"] not in ("condition", "entry-route"):
            return None
        owners = [_arrow(g, u, v)[1] for u, v in (*g.in_edges(node), *g.out_edges(node))]
        found = [lv for o in owners if o != node and (lv := owner_level(o, depth + 1)) is not None]
        return min(found) - 0.1 if found else None

    for node in sorted(g):
        if node not in level and (value := owner_level(node, 0)) is not None:
            level[node] = value
    return level


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_DOT_EDGE = {
    "prerequisite": "",
    "corequisite": 'style=dotted, arrowhead=none, label="co-requisite"',
    "entry": "style=dashed",
    "requires": "style=dashed",
    "recognises": "style=dashed",
    "condition": "penwidth=1.6",
    "target": "",
    "subcondition": "",
    "precedes": 'style=dashed, color="#888888", arrowhead=open',
    "destination": 'color="#7a5c00", penwidth=1.6, label="destination"',
}


def _dot_node(node: str, data: dict[str, object], ident: str) -> str:
    label = "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in _caption(data))
    attrs = [f'label="{label}"', f"tooltip={_dot_quote(node)}"]
    kind = data["kind"]
    if kind == "credential":
        attrs.append(f'fillcolor="{_FILL.get(str(data.get("type")), _FILL["other"])}"')
        attrs.append('style="rounded,filled' + ("" if data.get("declared") else ",dashed") + '"')
        if data.get("type") == "qualification":
            attrs.append("penwidth=2")
    elif kind == "condition":
        attrs += ["shape=box", 'style="filled"', 'fillcolor="#ffffff"', "fontsize=10"]
    elif kind == "entry-route":
        attrs += ["shape=ellipse", 'style="dashed"', "fontsize=9"]
    elif kind == "prior-learning":
        attrs += ["shape=note", 'style="filled"', 'fillcolor="#f3f3f3"', "fontsize=10"]
    elif kind in ("pathway", "occupation"):
        attrs += [
            "shape=hexagon" if kind == "occupation" else "shape=box",
            'style="filled"',
            'fillcolor="#fff4cc"',
        ]
    return f"  {ident} [{', '.join(attrs)}];"


def dot_text(picture: Diagram) -> str:
    """The Graphviz DOT text of a :class:`Diagram` (deterministic).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_node("urn:a", kind="credential", label="A", eqf=3, type="micro", declared=True)
    >>> text = dot_text(Diagram(g, ((3, ("urn:a",)),), {"urn:a": "n0"}))
    >>> "EQF 3" in text and "n0 [label=" in text
    True
    """
    g, ids = picture.g, picture.ids
    out = [
        "digraph pathways {",
        '  graph [rankdir=LR, newrank=true, nodesep=0.25, ranksep=0.6, fontname="Helvetica",'
        ' tooltip="pathways"];',
        '  node [shape=box, fontname="Helvetica", fontsize=11, margin="0.12,0.06"];',
        '  edge [fontname="Helvetica", fontsize=9, color="#444444", arrowsize=0.7];',
    ]
    for level, members in picture.levels:
        name, caption = _column(level)
        out.append(f"  subgraph cluster_{name} {{")
        out.append(f'    label="{caption}"; labeljust=l; style="rounded,filled";')
        out.append('    fillcolor="#fafafa"; color="#cccccc"; fontsize=12; rank=same;')
        out.append(f'    {name} [shape=point, style=invis, width=0, label=""];')
        for node in members:
            out.append("  " + _dot_node(node, g.nodes[node], ids[node]))
        out.append("  }")
    in_column = {node for _, members in picture.levels for node in members}
    for node in sorted(g):
        if node not in in_column:
            out.append(_dot_node(node, g.nodes[node], ids[node]))
    for (low, _), (high, _) in itertools.pairwise(picture.levels):
        out.append(f"  {_column(low)[0]} -> {_column(high)[0]} [style=invis, weight=10];")
    column = _levels(g)
    edges = sorted((*_arrow(g, u, v), g.edges[u, v]["kind"]) for u, v in g.edges)
    for a, b, kind in edges:
        style = [_DOT_EDGE.get(kind, "")]
        if a in column and b in column and column[a] >= column[b]:
            style.append("constraint=false")  # it points back across the level columns
        attrs = ", ".join(x for x in style if x)
        out.append(f"  {ids[a]} -> {ids[b]}" + (f" [{attrs}];" if attrs else ";"))
    out.append("}")
    return "\n".join(out) + "\n"


@exporter("dot", "text/vnd.graphviz", "Graphviz DOT pathway diagram (levels as columns)")
def dot(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    """A Graphviz DOT diagram of ``options.pathway`` or the whole network."""
    return dot_text(diagram(kg, options.pathway)).encode("utf-8")


def render_svg(dot_source: str, timeout: float = 60.0) -> bytes:
    """Lay out DOT text with Graphviz's ``dot -Tsvg``.

    Raises
    ------
    UsageError
        The ``dot`` program is not installed, fails, or takes longer than ``timeout``.
    """
    program = shutil.which("dot")
    if program is None:
        raise UsageError(
            "SVG needs the Graphviz 'dot' program, which is not installed",
            hint="install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: "
            "brew install graphviz), or export --to dot and render it elsewhere",
        )
    try:
        done = subprocess.run(
            [program, "-Tsvg"],
            input=dot_source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        raise UsageError(
            f"Graphviz took more than {timeout:g} s to lay out the diagram",
            hint="draw a smaller scope: --pathway IRI",
        ) from err
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise UsageError(f"Graphviz 'dot' failed: {message}")
    return done.stdout


@exporter("svg", "image/svg+xml", "SVG pathway diagram (needs Graphviz's dot)")
def svg(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    """The DOT diagram laid out as SVG by Graphviz."""
    return render_svg(dot_text(diagram(kg, options.pathway)))


def _mermaid_label(lines: list[str]) -> str:
    text = "<br/>".join(line.replace('"', "#quot;") for line in lines)
    return f'"{text}"'


_MERMAID_EDGE = {
    "prerequisite": "-->",
    "corequisite": "-. co-requisite .-",
    "entry": "-.->",
    "requires": "-.->",
    "recognises": "-.->",
    "precedes": "-. recommended .->",
    "destination": "==>",
}


def mermaid_text(picture: Diagram) -> str:
    """Mermaid ``flowchart LR`` text of a :class:`Diagram`, one subgraph per level.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_node("urn:a", kind="credential", label="A", eqf=3, type="micro")
    >>> print(mermaid_text(Diagram(g, ((3, ("urn:a",)),), {"urn:a": "n0"})))
    flowchart LR
      subgraph eqf3["EQF level 3"]
        n0("A<br/>EQF 3")
      end
      classDef micro fill:#dbe9f6,stroke:#555
      classDef qualification fill:#fde9b0,stroke:#555,stroke-width:2px
      classDef other fill:#e8e8e8,stroke:#555
      class n0 micro
    <BLANKLINE>
    """
    g, ids = picture.g, picture.ids

    def node_line(node: str) -> str:
        data = g.nodes[node]
        label = _mermaid_label(_caption(data))
        shape = {
            "credential": ("(", ")"),
            "condition": ("[", "]"),
            "entry-route": ("([", "])"),
            "prior-learning": ("[/", "/]"),
            "pathway": ("[[", "]]"),
            "occupation": ("{{", "}}"),
        }[str(data["kind"])]
        return f"{ids[node]}{shape[0]}{label}{shape[1]}"

    out = ["flowchart LR"]
    in_column: set[str] = set()
    for level, members in picture.levels:
        name, caption = _column(level)
        out.append(f'  subgraph {name}["{caption}"]')
        out += [f"    {node_line(node)}" for node in members]
        out.append("  end")
        in_column.update(members)
    out += [f"  {node_line(node)}" for node in sorted(g) if node not in in_column]
    for a, b, kind in sorted((*_arrow(g, u, v), g.edges[u, v]["kind"]) for u, v in g.edges):
        out.append(f"  {ids[a]} {_MERMAID_EDGE.get(kind, '-->')} {ids[b]}")
    out += [
        "  classDef micro fill:#dbe9f6,stroke:#555",
        "  classDef qualification fill:#fde9b0,stroke:#555,stroke-width:2px",
        "  classDef other fill:#e8e8e8,stroke:#555",
    ]
    for kind in ("micro", "qualification", "other"):
        styled = [
            ids[n]
            for n in sorted(g)
            if g.nodes[n]["kind"] == "credential" and g.nodes[n].get("type", "other") == kind
        ]
        if styled:
            out.append(f"  class {','.join(styled)} {kind}")
    return "\n".join(out) + "\n"


@exporter("mermaid", "text/vnd.mermaid", "Mermaid flowchart of a pathway (levels as columns)")
def mermaid(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    """A Mermaid flowchart of ``options.pathway`` or the whole network."""
    return mermaid_text(diagram(kg, options.pathway)).encode("utf-8")
