"""Analytics on random small DAGs against path enumeration written as CurricularAnalytics.jl.

The dynamic programmes must equal what CurricularAnalytics.jl computes by enumerating
paths (commit ``1bda505382dbc74d3dd89fe6eb82a9b0d58185a2``): :func:`ca_all_paths` is
``all_paths`` of ``src/GraphAlgs.jl`` (every path from a source to a sink that has a
predecessor, grown backwards from the sink), and the centrality and delay factor
enumerations are ``centrality(c, course)`` and ``delay_factor(c)`` of
``src/CurricularAnalytics.jl``. The published values themselves are asserted in
``test_analytics_reference.py``.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Hashable

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.analytics import (
    articulation_nodes,
    blocking_factors,
    centralities,
    dead_ends,
    delay_factors,
    level_inversions,
    orphans,
    requisite_cycles,
    requisite_findings,
    requisite_metrics,
    route_counts,
    to_csv,
    to_human,
    to_json,
    unsatisfiable_requisites,
)
from pathways.errors import InputError


@st.composite
def dags(draw: st.DrawFn, max_nodes: int = 9) -> nx.DiGraph:
    """Random DAGs: edges only from a lower to a higher index (a gnp-like draw)."""
    n = draw(st.integers(min_value=0, max_value=max_nodes))
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for u, v in itertools.combinations(range(n), 2):
        if draw(st.booleans()):
            g.add_edge(u, v)
    for v in g:
        g.nodes[v]["label"] = f"course {v}"
        g.nodes[v]["eqf"] = draw(st.one_of(st.none(), st.integers(1, 8)))
    return g


def ca_all_paths(g: nx.DiGraph) -> list[list[Hashable]]:
    """``all_paths(g)`` of CurricularAnalytics.jl (``src/GraphAlgs.jl``).

    For each sink with a non-zero in-degree, paths are grown backwards breadth first by
    prepending in-neighbours until they start at a source.
    """
    paths: list[list[Hashable]] = []
    for sink in (v for v in g if g.out_degree(v) == 0 and g.in_degree(v) > 0):
        queue = [[sink]]
        while queue:
            path = queue.pop(0)
            for u in g.predecessors(path[0]):
                longer = [u, *path]
                (paths if g.in_degree(u) == 0 else queue).append(longer)
    return paths


def ca_centrality(g: nx.DiGraph, course: Hashable) -> int:
    """``centrality(c, course)`` of CurricularAnalytics.jl (``src/CurricularAnalytics.jl``)."""
    cent = 0
    for path in ca_all_paths(g):
        if course in path and len(path) > 2 and path[0] != course and path[-1] != course:
            cent += len(path)
    return cent


def ca_delay_factors(g: nx.DiGraph) -> dict[Hashable, int]:
    """``delay_factor(c)`` of CurricularAnalytics.jl: ones, raised by every path's length."""
    df = dict.fromkeys(g, 1)
    for path in ca_all_paths(g):
        for vtx in path:
            df[vtx] = max(df[vtx], len(path))
    return df


@settings(max_examples=100, deadline=None)
@given(dags())
def test_blocking_factor_counts_reachable_nodes(g: nx.DiGraph) -> None:
    expected = {v: sum(1 for u in g if u != v and nx.has_path(g, v, u)) for v in g}
    assert blocking_factors(g) == expected


@settings(max_examples=100, deadline=None)
@given(dags())
def test_delay_factor_equals_curricular_analytics_enumeration(g: nx.DiGraph) -> None:
    assert delay_factors(g) == ca_delay_factors(g)


@settings(max_examples=200, deadline=None)
@given(dags())
def test_centrality_equals_curricular_analytics_enumeration(g: nx.DiGraph) -> None:
    # Sum of the lengths of the source-to-sink paths with the node inside, not a count.
    assert centralities(g) == {v: ca_centrality(g, v) for v in g}


@settings(max_examples=100, deadline=None)
@given(dags())
def test_complexity_and_totals(g: nx.DiGraph) -> None:
    m = requisite_metrics(g)
    blocking, delay = blocking_factors(g), delay_factors(g)
    for node in m.nodes:
        assert node.complexity == blocking[node.node] + delay[node.node]
    assert m.totals.complexity == sum(blocking.values()) + sum(delay.values())
    assert m.totals.centrality == sum(centralities(g).values())
    assert [n.node for n in m.nodes] == sorted(g)


@settings(max_examples=100, deadline=None)
@given(dags(), st.data())
def test_routes_articulation_and_dead_ends(g: nx.DiGraph, data: st.DataObject) -> None:
    destinations = data.draw(st.lists(st.sampled_from(sorted(g)), unique=True)) if g else []
    sources = [v for v in g if g.in_degree(v) == 0]
    passes = articulation_nodes(g, destinations)
    counts = route_counts(g, destinations)
    for d in destinations:
        routes = [p for s in sources if s != d for p in nx.all_simple_paths(g, s, d)]
        routes += [[d]] if d in sources else []
        assert counts[d] == len(routes)
        on_every = set(g) - {d}
        for route in routes:
            on_every &= set(route)
        assert set(passes[d]) == on_every
    expected_dead = {
        v
        for v in g
        if v not in destinations and not any(nx.has_path(g, v, d) for d in destinations)
    }
    assert set(dead_ends(g, destinations)) == expected_dead


@settings(max_examples=100, deadline=None)
@given(dags())
def test_orphans_and_level_inversions(g: nx.DiGraph) -> None:
    assert set(orphans(g)) == {v for v in g if g.degree(v) == 0}
    found = {(i.before, i.after) for i in level_inversions(g)}
    levels = g.nodes(data="eqf")
    expected = {
        (u, v)
        for u, v in g.edges
        if levels[u] is not None and levels[v] is not None and levels[u] > levels[v]
    }
    assert found == expected


def test_cycle_is_an_input_error_naming_it() -> None:
    g = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    g.nodes["b"]["label"] = "HV 2S"
    with pytest.raises(InputError, match=r"requisite cycle .*b \(HV 2S\)"):
        requisite_metrics(g)
    findings = requisite_findings(g, ["d"])
    assert findings.cycles == (("a", "b", "c"),)
    assert findings.destinations[0].routes is None  # not countable through a cycle


def test_self_loop_is_a_cycle() -> None:
    assert requisite_cycles(nx.DiGraph([("a", "a")])) == (("a",),)


def test_empty_graph() -> None:
    m = requisite_metrics(nx.DiGraph())
    assert m.nodes == () and m.totals.complexity == 0
    assert json.loads(to_json(m))["nodes"] == []


def test_quarter_system_scales_complexity() -> None:
    m = requisite_metrics(nx.DiGraph([("a", "b")]), quarter_system=True)
    assert [n.complexity for n in m.nodes] == [2.0, 1.3]
    assert m.totals.complexity == 3.3


def test_huge_path_counts_render_exactly() -> None:
    # A ladder of 2,500 diamonds has 2**2500 paths (753 digits); Python's guard against
    # long int-to-text conversions is lowered to 640 digits so the test stays quick.
    g = nx.DiGraph()
    for i in range(2500):
        g.add_edges_from([(f"j{i}", f"a{i}"), (f"j{i}", f"b{i}")])
        g.add_edges_from([(f"a{i}", f"j{i + 1}"), (f"b{i}", f"j{i + 1}")])
    m = requisite_metrics(g)
    # Every one of the 2**2500 source-to-sink paths (j0 to j2500) has 5,001 nodes and
    # passes j1 inside, so its centrality is 5,001 * 2**2500.
    assert m.by_node()["j1"].centrality == 5001 * 2**2500
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        text, table, human = to_json(m), to_csv(m), to_human(m)
        assert sys.get_int_max_str_digits() == 640  # restored after rendering
    finally:
        sys.set_int_max_str_digits(previous)
    document = json.loads(text)
    assert max(n["centrality"] for n in document["nodes"]) == max(n.centrality for n in m.nodes)
    (row,) = [line for line in human.splitlines() if line.endswith(" j1")]
    assert "1.87e756" in row  # 5001 * 2**2500 is about 1.879e756: shortened in the table
    assert table.count("\n") == len(g) + 1


@st.composite
def curricula(draw: st.DrawFn) -> nx.DiGraph:
    """Random requisite DAGs whose edges are prerequisites, co- or strict co-requisites."""
    g = draw(dags(max_nodes=7))
    kinds = ["prerequisite", "corequisite", "strict-corequisite"]
    for u, v in g.edges:
        g.edges[u, v]["kind"] = draw(st.sampled_from(kinds))
    return g


@settings(max_examples=300, deadline=None)
@given(curricula())
def test_unsatisfiable_requisites_equal_curricular_analytics_is_valid(g: nx.DiGraph) -> None:
    # is_valid in CurricularAnalytics.jl (src/DataTypes/Curriculum.jl, commit 1bda505):
    # add the reverse of every strict co-requisite, list simplecycles, drop those of
    # length 2; the curriculum is invalid when any cycle remains.
    augmented = nx.DiGraph(g)
    augmented.add_edges_from(
        (v, u) for u, v, kind in g.edges(data="kind") if kind == "strict-corequisite"
    )
    long_cycles = [c for c in nx.simple_cycles(augmented) if len(c) != 2]
    groups = unsatisfiable_requisites(g)
    assert bool(groups) == bool(long_cycles)
    for cycle in long_cycles:
        assert any(set(cycle) <= set(group) for group in groups)
    for group in groups:
        assert any(set(cycle) <= set(group) for cycle in long_cycles)
