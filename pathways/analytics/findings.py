"""Structural findings about a requisite graph: what a QA body or a funder should look at.

Edge ``u -> v`` means ``u`` is required before ``v`` (see :mod:`pathways.analytics.metrics`).
A *route* to a destination is a requisite chain: a path from a starting node (one with
no requirement) to the destination. Each finding is a pure function over a NetworkX
graph, linear in its size unless said otherwise:

- :func:`requisite_cycles`: strongly connected components with more than one node, or
  a node requiring itself (defective data; the metrics are undefined there);
- :func:`orphans`: nodes with no edge at all;
- :func:`dead_ends`: nodes from which no destination is reachable (credentials that
  stack into nothing recognised: the "disconnected short courses" of the funding debate);
- :func:`route_counts`: the number of routes to each destination (dynamic programme);
- :func:`articulation_nodes`: for each destination, the nodes every route passes
  through (single points of failure), from one dominator tree of the whole graph;
- :func:`level_inversions`: edges whose required node sits at a higher level than the
  node requiring it;
- :func:`unsatisfiable_requisites`: courses whose strict co-requisites cannot be met,
  by the rule of CurricularAnalytics.jl's ``is_valid``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import networkx as nx

from pathways.analytics.metrics import node_sort_key, path_counts

__all__ = [
    "Destination",
    "Findings",
    "LevelInversion",
    "articulation_nodes",
    "dead_ends",
    "level_inversions",
    "orphans",
    "requisite_cycles",
    "requisite_findings",
    "route_counts",
    "unsatisfiable_requisites",
]

Node = Hashable


@dataclass(frozen=True)
class LevelInversion:
    """An edge ``before -> after`` where ``before`` has the higher level."""

    before: Node
    after: Node
    before_level: int
    after_level: int


@dataclass(frozen=True)
class Destination:
    """A destination, its number of routes and the nodes every route must pass.

    ``routes`` is None when the graph has a cycle (routes are then not countable).
    """

    node: Node
    routes: int | None
    articulation: tuple[Node, ...]


@dataclass(frozen=True)
class Findings:
    """Everything :func:`requisite_findings` found; ``dead_ends`` is None without destinations."""

    cycles: tuple[tuple[Node, ...], ...]
    orphans: tuple[Node, ...]
    dead_ends: tuple[Node, ...] | None
    destinations: tuple[Destination, ...]
    level_inversions: tuple[LevelInversion, ...]
    unsatisfiable: tuple[tuple[Node, ...], ...] = ()


def _sorted(nodes: Iterable[Node]) -> tuple[Node, ...]:
    return tuple(sorted(nodes, key=node_sort_key))


def requisite_cycles(g: nx.DiGraph) -> tuple[tuple[Node, ...], ...]:
    """The nodes of each requisite cycle (strongly connected component), ``O(V + E)``.

    >>> requisite_cycles(nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c"), ("d", "d")]))
    (('a', 'b'), ('d',))
    """
    found = [
        _sorted(component)
        for component in nx.strongly_connected_components(g)
        if len(component) > 1 or any(g.has_edge(v, v) for v in component)
    ]
    return tuple(sorted(found, key=lambda c: [node_sort_key(v) for v in c]))


def unsatisfiable_requisites(
    g: nx.DiGraph, strict: str = "strict-corequisite"
) -> tuple[tuple[Node, ...], ...]:
    """Groups of nodes whose requisites cannot all be met, as CurricularAnalytics.jl decides.

    A strict co-requisite ``u -> v`` (edge ``kind`` equal to ``strict``) must be taken in
    the same term as ``v``, so ``v`` must not lie, through other requisites, after ``u``.
    CurricularAnalytics.jl's ``is_valid`` (``src/DataTypes/Curriculum.jl``) adds the
    reverse ``v -> u`` of every strict co-requisite and calls the curriculum
    unsatisfiable when that creates a cycle of more than two nodes. The same test
    without listing cycles (there can be exponentially many), ``O(V + E)``: in each
    strongly connected component of the augmented graph, such a cycle exists exactly when
    an edge lies in one direction only (it closes a cycle through a shortest return
    path, of two or more edges), or else when the pairs of opposite edges form more
    undirected edges than there are nodes minus one (they are not a tree). Returns each
    such component's nodes, sorted; empty when every requisite can be met. On a graph
    with requisite cycles (:func:`requisite_cycles`) those are included.

    >>> g = nx.DiGraph()  # test/CurricularAnalytics.jl, "create unsatisfiable requisites"
    >>> g.add_edge("A", "B", kind="prerequisite")
    >>> g.add_edge("C", "B", kind="strict-corequisite")
    >>> g.add_edge("C", "A", kind="prerequisite")
    >>> unsatisfiable_requisites(g)
    (('A', 'B', 'C'),)
    >>> g.remove_edge("C", "A")  # C with B in the same term, A before B: satisfiable
    >>> unsatisfiable_requisites(g)
    ()
    """
    augmented = nx.DiGraph()
    augmented.add_nodes_from(g)
    augmented.add_edges_from((u, v) for u, v in g.edges if u != v)
    augmented.add_edges_from((v, u) for u, v, kind in g.edges(data="kind") if kind == strict)
    found = []
    for component in nx.strongly_connected_components(augmented):
        if any(g.has_edge(v, v) for v in component):
            found.append(_sorted(component))
            continue
        if len(component) == 2:
            u, v = component
            if g.has_edge(u, v) and g.has_edge(v, u):  # a requisite cycle of g itself
                found.append(_sorted(component))
            continue  # else a strict pair's two opposite edges: that cycle is allowed
        if len(component) < 2:
            continue
        one_way = False
        pairs = 0
        for u in component:
            for w in augmented.succ[u]:
                if w in component:
                    if not augmented.has_edge(w, u):
                        one_way = True
                        break
                    pairs += 1
            if one_way:
                break
        if one_way or pairs // 2 >= len(component):
            found.append(_sorted(component))
    return tuple(sorted(found, key=lambda c: [node_sort_key(v) for v in c]))


def orphans(g: nx.DiGraph) -> tuple[Node, ...]:
    """Nodes with no requisite edge in or out.

    >>> g = nx.DiGraph([("a", "b")])
    >>> g.add_node("c")
    >>> orphans(g)
    ('c',)
    """
    return _sorted(v for v, degree in g.degree() if degree == 0)


def dead_ends(g: nx.DiGraph, destinations: Iterable[Node]) -> tuple[Node, ...]:
    """Nodes from which no destination can be reached (destinations themselves excluded).

    One reverse breadth-first search from all destinations, ``O(V + E)``.

    >>> g = nx.DiGraph([("a", "q"), ("b", "c")])
    >>> dead_ends(g, ["q"])
    ('b', 'c')
    """
    targets = [d for d in destinations if d in g]
    leading: set[Node] = set(targets)
    frontier = list(targets)
    pred = g.pred
    while frontier:
        v = frontier.pop()
        for p in pred[v]:
            if p not in leading:
                leading.add(p)
                frontier.append(p)
    return _sorted(v for v in g if v not in leading)


def route_counts(g: nx.DiGraph, destinations: Iterable[Node]) -> dict[Node, int]:
    """Number of routes (paths from a starting node) to each destination, ``O(V + E)``.

    Raises :class:`~pathways.errors.InputError` if ``g`` has a cycle.

    >>> g = nx.DiGraph([("a", "c"), ("b", "c"), ("c", "q"), ("a", "q")])
    >>> route_counts(g, ["q", "a"])
    {'q': 3, 'a': 1}
    """
    into, _ = path_counts(g)
    return {d: into[d] for d in destinations}


def articulation_nodes(g: nx.DiGraph, destinations: Iterable[Node]) -> dict[Node, tuple[Node, ...]]:
    """For each destination, the nodes every route to it passes through.

    The dominators of the destination in ``g`` plus a virtual root linked to every
    starting node: one dominator tree (Cooper-Harvey-Kennedy, as
    :func:`networkx.immediate_dominators` implements it) serves all destinations, and
    each answer walks the tree from the destination upwards. Listed nearest first.

    >>> g = nx.DiGraph([("a", "m"), ("b", "m"), ("m", "x"), ("m", "y"), ("x", "q"), ("y", "q")])
    >>> articulation_nodes(g, ["q", "m"])
    {'q': ('m',), 'm': ()}
    """
    root = object()  # cannot collide with a node of g
    rooted = nx.DiGraph()
    rooted.add_node(root)
    rooted.add_nodes_from(g)
    rooted.add_edges_from(g.edges)
    rooted.add_edges_from((root, v) for v, degree in g.in_degree() if degree == 0)
    idom = nx.immediate_dominators(rooted, root)
    result: dict[Node, tuple[Node, ...]] = {}
    for d in destinations:
        chain: list[Node] = []
        v = idom.get(d, root)
        while v is not root:
            chain.append(v)
            v = idom.get(v, root)
        result[d] = tuple(chain)
    return result


def level_inversions(g: nx.DiGraph, level: str = "eqf") -> tuple[LevelInversion, ...]:
    """Edges ``u -> v`` where node attribute ``level`` of ``u`` exceeds that of ``v``.

    Nodes without the attribute (or with None) are never inverted.

    >>> g = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(g, {"a": 5, "b": 4, "c": None}, "eqf")
    >>> level_inversions(g)
    (LevelInversion(before='a', after='b', before_level=5, after_level=4),)
    """
    found = []
    for u, v in g.edges:
        high, low = g.nodes[u].get(level), g.nodes[v].get(level)
        if high is not None and low is not None and high > low:
            found.append(LevelInversion(u, v, high, low))
    found.sort(key=lambda i: (node_sort_key(i.before), node_sort_key(i.after)))
    return tuple(found)


def requisite_findings(
    g: nx.DiGraph, destinations: Iterable[Node] | None = None, *, level: str = "eqf"
) -> Findings:
    """All findings at once. Works on graphs with cycles (they are one of the findings).

    Parameters
    ----------
    g
        Requisite graph, edge ``u -> v`` when ``u`` is required before ``v``.
    destinations
        Nodes that count as recognised destinations (qualifications, pathway
        destinations). None: dead ends and routes are not applicable (a curriculum).
    level
        Node attribute holding a comparable level (EQF level number).

    Examples
    --------
    >>> g = nx.DiGraph([("a", "q"), ("b", "c")])
    >>> g.add_node("z")
    >>> f = requisite_findings(g, ["q"])
    >>> f.orphans, f.dead_ends, f.destinations
    (('z',), ('b', 'c', 'z'), (Destination(node='q', routes=1, articulation=('a',)),))
    """
    cycles = requisite_cycles(g)
    targets = None if destinations is None else _sorted(d for d in destinations if d in g)
    listed: tuple[Destination, ...] = ()
    if targets:
        counts = {} if cycles else route_counts(g, targets)
        passes = articulation_nodes(g, targets)
        listed = tuple(Destination(d, counts.get(d), passes[d]) for d in targets)
    return Findings(
        cycles=cycles,
        orphans=orphans(g),
        dead_ends=None if targets is None else dead_ends(g, targets),
        destinations=listed,
        level_inversions=level_inversions(g, level),
        unsatisfiable=unsatisfiable_requisites(g),
    )
