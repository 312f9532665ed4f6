"""Structural metrics of a requisite graph (Heileman et al. 2018, Curricular Analytics).

A requisite graph is a directed acyclic graph whose edge ``u -> v`` says that ``u`` is
required before ``v`` (a prerequisite, a co-requisite, an entry requirement, a component
of a larger credential). Nodes carry a ``label`` attribute. The same functions serve the
knowledge graph's projection (:func:`pathways.catalogue.projection.requisite_graph`) and curricula
read from Curricular Analytics CSV files (:mod:`pathways.interop.curricular_analytics`).

Definitions (``shared/docs/domain.md`` section 7; the reference implementation is
CurricularAnalytics.jl, ``src/CurricularAnalytics.jl``, whose test suite
``test/CurricularAnalytics.jl`` publishes the values ``tests/test_analytics_reference.py``
asserts):

blocking factor of ``v``
    the number of nodes reachable from ``v`` (``v`` itself excluded);
delay factor of ``v``
    the number of nodes on the longest path through ``v`` (an isolated node scores 1, as
    in CurricularAnalytics.jl, whose delay factors start at one);
centrality of ``v``
    the sum of the lengths (numbers of nodes) of all source-to-sink paths with at least
    three nodes that have ``v`` as an interior node (sources and sinks score 0). It is
    a sum of path lengths, not a count of paths: a chain ``a -> b -> c`` gives ``b``
    centrality 3;
structural complexity of ``v``
    delay factor + blocking factor; for curricula on a quarter system
    CurricularAnalytics.jl scales it by 2/3, rounded to one decimal.

A graph's value of each metric is the sum over its nodes; :class:`RequisiteMetrics`
also gives each metric's maximum and the nodes reaching it, and the total credit hours
when nodes carry ``credit_hours`` (CurricularAnalytics.jl's ``basic_metrics``).

Every edge counts the same, whatever its ``kind``: CurricularAnalytics.jl builds one
graph from the prerequisites, co-requisites and strict co-requisites of each course
(``create_graph!`` in ``src/DataTypes/Curriculum.jl``) and computes all four metrics on
it, so a co-requisite blocks, delays and centralises exactly like a prerequisite.
The knowledge graph's projection adds entry routes and components as edges too, and
every option of an N-of-M rule (each can serve, so each blocks what the rule unlocks):
a measure of the whole catalogue. CurricularAnalytics.jl writes alternatives as DNF
clauses and measures one chosen clause per course (``requisite_clauses``, the first by
default), that is one route; a CSV curriculum has no alternatives, and there the two agree.

No path is ever enumerated. Delay factors and centralities are dynamic programmes
over one topological order, ``O(V + E)`` arithmetic operations: for centrality the
number and the summed lengths of the paths from the sources into each node and from
each node out to the sinks (path counts are exact Python integers and can have
thousands of digits; each addition then costs time in the number of digits). Blocking
factors are reachability counts, which no sum over children can give (shared
descendants would be counted twice): they are a bitset programme, the OR of the
children's descendant sets in reverse topological order, so ``O(V * E / w)`` word
operations in the worst case (``w`` = 64-bit machine words; Python integers serve as
bitsets). A bitset is freed as soon as the last parent has read it, so memory is the
width of the order times ``V / 8`` bytes, not ``V**2 / 8``.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import networkx as nx

from pathways.errors import InputError

__all__ = [
    "METRICS",
    "Maximum",
    "MetricTotals",
    "NodeMetrics",
    "RequisiteMetrics",
    "blocking_factors",
    "centralities",
    "delay_factors",
    "node_sort_key",
    "path_counts",
    "requisite_metrics",
    "topological_order",
]

Node = Hashable
_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class NodeMetrics:
    """The metrics of one node of a requisite graph."""

    node: Node
    label: str
    blocking_factor: int
    delay_factor: int
    centrality: int
    complexity: int | float


@dataclass(frozen=True)
class MetricTotals:
    """A graph's metrics: the sums over its nodes."""

    blocking_factor: int
    delay_factor: int
    centrality: int
    complexity: int | float


#: The four metrics, as attribute names of :class:`NodeMetrics` and :class:`MetricTotals`.
METRICS = ("blocking_factor", "delay_factor", "centrality", "complexity")


@dataclass(frozen=True)
class Maximum:
    """A metric's largest value over the nodes and the nodes that reach it (sorted)."""

    value: int | float
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class RequisiteMetrics:
    """Every node's metrics (sorted by :func:`node_sort_key`), totals and maxima.

    ``maxima`` maps each name of :data:`METRICS` to its :class:`Maximum` (``None`` for
    an empty graph); ``credit_hours`` is the sum of the nodes' ``credit_hours`` (``None``
    when no node has one), as ``basic_metrics`` in CurricularAnalytics.jl reports.
    """

    nodes: tuple[NodeMetrics, ...]
    totals: MetricTotals
    maxima: dict[str, Maximum | None]
    credit_hours: int | float | None = None

    def by_node(self) -> dict[Node, NodeMetrics]:
        """The node metrics keyed by node."""
        return {m.node: m for m in self.nodes}


def node_sort_key(node: Node) -> tuple[tuple[int, int, str], ...]:
    """Natural sort key giving a deterministic node order (numbers compared by value).

    >>> sorted(["mc10", "mc2", "10", "2", "b"], key=node_sort_key)
    ['2', '10', 'b', 'mc2', 'mc10']

    A run of digits compares by its length without leading zeros, then its text: the
    order of the numbers, without int() (which refuses more than 4,300 digits).
    """
    return tuple(
        (0, len(part.lstrip("0")), part) if part.isascii() and part.isdigit() else (1, 0, part)
        for part in _DIGITS.split(str(node))
    )


def _label(g: nx.DiGraph, node: Node) -> str:
    return str(g.nodes[node].get("label") or node)


def topological_order(g: nx.DiGraph) -> list[Node]:
    """A topological order of ``g``; a requisite cycle is an :class:`InputError`.

    The error names the nodes of one cycle (with their labels) so that the data can be
    fixed: the metrics are only defined on acyclic graphs.

    >>> topological_order(nx.DiGraph([("a", "b"), ("b", "c")]))
    ['a', 'b', 'c']
    >>> topological_order(nx.DiGraph([("a", "b"), ("b", "a")]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pathways.errors.InputError: requisite cycle a -> b -> a (remove one of these requisites...)
    """
    try:
        return list(nx.topological_sort(g))
    except nx.NetworkXUnfeasible as err:
        cycle = [u for u, _ in nx.find_cycle(g)]
        names = [str(n) if _label(g, n) == str(n) else f"{n} ({_label(g, n)})" for n in cycle]
        raise InputError(
            "requisite cycle " + " -> ".join([*names, names[0]]),
            hint="remove one of these requisites; the metrics need an acyclic requisite graph",
        ) from err


@dataclass(frozen=True)
class _Dag:
    """A DAG as integer adjacency lists in topological order (built once, ``O(V + E)``).

    Position ``i`` is the ``i``-th node of the order; every predecessor of ``i`` has a
    smaller position. Lists of small integers make the programmes below several times
    faster than dictionaries keyed by IRI strings.
    """

    nodes: list[Node]
    preds: list[list[int]]
    succs: list[list[int]]

    @classmethod
    def of(cls, g: nx.DiGraph) -> _Dag:
        nodes = topological_order(g)
        position = {v: i for i, v in enumerate(nodes)}
        preds = [[position[p] for p in g.pred[v]] for v in nodes]
        succs = [[position[c] for c in g.succ[v]] for v in nodes]
        return cls(nodes, preds, succs)

    def mapping(self, values: list[int]) -> dict[Node, int]:
        return dict(zip(self.nodes, values, strict=True))


def _blocking(dag: _Dag) -> list[int]:
    # Bit i stands for node i; processing in reverse order, a node's set only holds bits
    # above its own. A set is dropped once its last parent has read it.
    n = len(dag.nodes)
    pending = [len(p) for p in dag.preds]
    closed: dict[int, int] = {}  # descendants of i plus i itself, while still needed
    result = [0] * n
    for i in range(n - 1, -1, -1):
        below = 0
        for c in dag.succs[i]:
            below |= closed[c]
            pending[c] -= 1
            if not pending[c]:
                del closed[c]
        result[i] = below.bit_count()
        if pending[i]:
            closed[i] = below | (1 << i)
    return result


def blocking_factors(g: nx.DiGraph) -> dict[Node, int]:
    """Blocking factor of every node: how many nodes are reachable from it.

    Bitset dynamic programme in reverse topological order, ``O(V * E / w)``.

    >>> g = nx.DiGraph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")])
    >>> dict(sorted(blocking_factors(g).items()))
    {'a': 3, 'b': 1, 'c': 1, 'd': 0}
    """
    dag = _Dag.of(g)
    return dag.mapping(_blocking(dag))


def _longest(dag: _Dag) -> tuple[list[int], list[int]]:
    """Nodes on the longest path ending at / starting at each node."""
    n = len(dag.nodes)
    ending = [1] * n
    for i in range(n):
        for p in dag.preds[i]:
            if ending[p] >= ending[i]:
                ending[i] = ending[p] + 1
    starting = [1] * n
    for i in range(n - 1, -1, -1):
        for c in dag.succs[i]:
            if starting[c] >= starting[i]:
                starting[i] = starting[c] + 1
    return ending, starting


def delay_factors(g: nx.DiGraph) -> dict[Node, int]:
    """Delay factor of every node: nodes on the longest path through it, ``O(V + E)``.

    >>> g = nx.DiGraph([("a", "b"), ("b", "c"), ("x", "c")])
    >>> g.add_node("alone")
    >>> dict(sorted(delay_factors(g).items()))
    {'a': 3, 'alone': 1, 'b': 3, 'c': 3, 'x': 2}
    """
    dag = _Dag.of(g)
    ending, starting = _longest(dag)
    return dag.mapping([e + s - 1 for e, s in zip(ending, starting, strict=True)])


def _counts(dag: _Dag) -> tuple[list[int], list[int]]:
    n = len(dag.nodes)
    into = [1] * n
    for i in range(n):
        preds = dag.preds[i]
        if preds:
            total = 0
            for p in preds:
                total += into[p]
            into[i] = total
    out_of = [1] * n
    for i in range(n - 1, -1, -1):
        succs = dag.succs[i]
        if succs:
            total = 0
            for c in succs:
                total += out_of[c]
            out_of[i] = total
    return into, out_of


def path_counts(g: nx.DiGraph) -> tuple[dict[Node, int], dict[Node, int]]:
    """Paths from any source to each node, and from each node to any sink, ``O(V + E)``.

    A source counts one (empty) path into itself, a sink one path out of itself.

    >>> g = nx.DiGraph([("a", "c"), ("b", "c"), ("c", "d"), ("c", "e")])
    >>> into, out_of = path_counts(g)
    >>> into["c"], out_of["c"], into["d"], out_of["a"]
    (2, 2, 2, 2)
    """
    dag = _Dag.of(g)
    into, out_of = _counts(dag)
    return dag.mapping(into), dag.mapping(out_of)


def _centrality(dag: _Dag, into: list[int], out_of: list[int]) -> list[int]:
    # Summed number of nodes over all paths from a source into (out of i to a sink) i.
    n = len(dag.nodes)
    length_into = [1] * n
    for i in range(n):
        preds = dag.preds[i]
        if preds:
            total = 0
            for p in preds:
                total += length_into[p] + into[p]
            length_into[i] = total
    length_out = [1] * n
    for i in range(n - 1, -1, -1):
        succs = dag.succs[i]
        if succs:
            total = 0
            for c in succs:
                total += length_out[c] + out_of[c]
            length_out[i] = total
    # A source-to-sink path through an interior i joins one of the into[i] prefixes
    # (k1 nodes, ending at i) and one of the out_of[i] suffixes (k2 nodes, starting at
    # i): k1 + k2 - 1 nodes, at least three. Summed over all pairs:
    # length_into * out_of + into * length_out - into * out_of.
    return [
        length_into[i] * out_of[i] + into[i] * (length_out[i] - out_of[i])
        if dag.preds[i] and dag.succs[i]
        else 0
        for i in range(n)
    ]


def centralities(g: nx.DiGraph) -> dict[Node, int]:
    """Centrality of every node, as Heileman et al. (2018) and CurricularAnalytics.jl.

    The sum, over the source-to-sink paths that have the node as an interior node, of
    each path's number of nodes (CurricularAnalytics.jl's ``centrality(c, course)``
    adds ``length(path)``; it is not a count of paths). ``O(V + E)`` additions and
    three products per node, exact integers.

    >>> g = nx.DiGraph([("a", "c"), ("b", "c"), ("c", "d"), ("c", "e"), ("e", "f")])
    >>> dict(sorted(centralities(g).items()))  # c: a-c-d, b-c-d (3), a-c-e-f, b-c-e-f (4)
    {'a': 0, 'b': 0, 'c': 14, 'd': 0, 'e': 8, 'f': 0}
    """
    dag = _Dag.of(g)
    return dag.mapping(_centrality(dag, *_counts(dag)))


def _complexity(delay: int, blocking: int, quarter_system: bool) -> int | float:
    if quarter_system:
        return round((delay + blocking) * 2 / 3, 1)
    return delay + blocking


def requisite_metrics(g: nx.DiGraph, *, quarter_system: bool = False) -> RequisiteMetrics:
    """All structural metrics of a requisite graph, per node and in total.

    Parameters
    ----------
    g
        A directed acyclic graph, edge ``u -> v`` when ``u`` is required before ``v``;
        node attribute ``label`` (the node itself when absent).
    quarter_system
        Scale complexity by 2/3 (rounded to one decimal), as CurricularAnalytics.jl does
        for curricula on a quarter system.

    Raises
    ------
    InputError
        If ``g`` has a cycle (the error names it).

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> m = requisite_metrics(g)
    >>> [(n.node, n.blocking_factor, n.delay_factor, n.centrality, n.complexity) for n in m.nodes]
    [('a', 2, 3, 0, 5), ('b', 1, 3, 3, 4), ('c', 0, 3, 0, 3)]
    >>> m.totals.complexity, m.maxima["complexity"]
    (12, Maximum(value=5, nodes=('a',)))
    """
    dag = _Dag.of(g)
    blocking = _blocking(dag)
    ending, starting = _longest(dag)
    central = _centrality(dag, *_counts(dag))
    unsorted = []
    for i, v in enumerate(dag.nodes):
        delay = ending[i] + starting[i] - 1
        unsorted.append(
            NodeMetrics(
                node=v,
                label=_label(g, v),
                blocking_factor=blocking[i],
                delay_factor=delay,
                centrality=central[i],
                complexity=_complexity(delay, blocking[i], quarter_system),
            )
        )
    nodes = tuple(sorted(unsorted, key=lambda m: node_sort_key(m.node)))
    return RequisiteMetrics(
        nodes=nodes,
        totals=_totals(nodes, quarter_system),
        maxima={name: _maximum(nodes, name) for name in METRICS},
        credit_hours=_credit_hours(g),
    )


def _totals(nodes: Iterable[NodeMetrics], quarter_system: bool) -> MetricTotals:
    listed = list(nodes)
    complexity: int | float = sum((n.complexity for n in listed), 0)
    if quarter_system:
        complexity = round(complexity, 1)
    return MetricTotals(
        blocking_factor=sum(n.blocking_factor for n in listed),
        delay_factor=sum(n.delay_factor for n in listed),
        centrality=sum(n.centrality for n in listed),
        complexity=complexity,
    )


def _maximum(nodes: tuple[NodeMetrics, ...], name: str) -> Maximum | None:
    if not nodes:
        return None
    value = max(getattr(n, name) for n in nodes)
    return Maximum(value, tuple(n.node for n in nodes if getattr(n, name) == value))


def _credit_hours(g: nx.DiGraph) -> int | float | None:
    hours = [h for _, h in g.nodes(data="credit_hours") if isinstance(h, int | float)]
    if not hours:
        return None
    total = sum(hours)
    return int(total) if float(total).is_integer() else total
