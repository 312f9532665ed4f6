"""Analytics against their definitions: brute force by path enumeration on small DAGs."""

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
    ca_centralities,
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


def source_sink_paths(g: nx.DiGraph) -> list[list[Hashable]]:
    sources = [v for v in g if g.in_degree(v) == 0]
    sinks = [v for v in g if g.out_degree(v) == 0]
    return [path for s in sources for t in sinks if s != t for path in nx.all_simple_paths(g, s, t)]


def all_paths(g: nx.DiGraph) -> list[list[Hashable]]:
    """Every path, single nodes included."""
    found: list[list[Hashable]] = [[v] for v in g]
    for s, t in itertools.permutations(g, 2):
        found += nx.all_simple_paths(g, s, t)
    return found


@settings(max_examples=100, deadline=None)
@given(dags())
def test_blocking_factor_counts_reachable_nodes(g: nx.DiGraph) -> None:
    expected = {v: sum(1 for u in g if u != v and nx.has_path(g, v, u)) for v in g}
    assert blocking_factors(g) == expected


@settings(max_examples=100, deadline=None)
@given(dags())
def test_delay_factor_is_longest_path_through_node(g: nx.DiGraph) -> None:
    paths = all_paths(g)
    expected = {v: max(len(p) for p in paths if v in p) for v in g}
    assert delay_factors(g) == expected


@settings(max_examples=100, deadline=None)
@given(dags())
def test_centrality_counts_paths_with_node_inside(g: nx.DiGraph) -> None:
    paths = source_sink_paths(g)
    expected = {v: sum(1 for p in paths if v in p[1:-1]) for v in g}
    assert centralities(g) == expected


@settings(max_examples=100, deadline=None)
@given(dags())
def test_ca_centrality_sums_lengths_like_curricular_analytics(g: nx.DiGraph) -> None:
    # CurricularAnalytics.jl: sum of len(path) over source-sink paths with v inside.
    paths = source_sink_paths(g)
    expected = {v: sum(len(p) for p in paths if len(p) > 2 and v in p[1:-1]) for v in g}
    assert ca_centralities(g) == expected


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
    assert m.by_node()["j1"].centrality == 2 * 2**2499
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
    assert "e752" in row  # 2**2500 is about 3.8e752: shortened in the table
    assert table.count("\n") == len(g) + 1
