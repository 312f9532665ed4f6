"""Benchmark the curricular analytics on requisite graphs of growing size.

Synthetic requisite DAGs shaped like the generated catalogues (``bench/generate.py``):
credential ``k`` requires 0-3 of the 200 credentials before it, and every 8 credentials
stack into a qualification. Each metric is timed, and compared with the plain NetworkX
way of getting the same numbers (``nx.descendants`` per node for blocking factors, path
enumeration for centrality on a tiny graph), whose results must agree.

Usage::

    python bench/bench_metrics.py                 # 1k, 10k, 100k
    python bench/bench_metrics.py 1000 10000 --naive-limit 10000
    python bench/bench_metrics.py --catalogue 1000   # also project a generated catalogue
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from pathways.analytics import (
    articulation_nodes,
    blocking_factors,
    ca_centralities,
    centralities,
    dead_ends,
    delay_factors,
    requisite_cycles,
    requisite_metrics,
    to_json,
)


def requisite_dag(n: int, seed: int = 42) -> nx.DiGraph:
    """``n`` credentials and ``n // 8`` qualifications, edges from required to requiring."""
    rng = random.Random(seed)
    g = nx.DiGraph()
    for k in range(n):
        g.add_node(f"mc{k}", label=f"credential {k}", kind="micro", eqf=rng.randint(2, 5))
        for j in rng.sample(range(max(0, k - 200), k), min(k, rng.randint(0, 3))):
            g.add_edge(f"mc{j}", f"mc{k}", kind="prerequisite")
    for q in range(n // 8):
        g.add_node(f"q{q}", label=f"qualification {q}", kind="qualification", eqf=4)
        g.add_edges_from(((f"mc{8 * q + i}", f"q{q}") for i in range(8)), kind="component")
    return g


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def naive_blocking(g: nx.DiGraph) -> dict[Any, int]:
    return {v: len(nx.descendants(g, v)) for v in g}


def bench(n: int, naive_limit: int) -> None:
    g = requisite_dag(n)
    destinations = [v for v, kind in g.nodes(data="kind") if kind == "qualification"]
    print(f"\n{n:,} credentials: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges")
    rows: list[tuple[str, float]] = []
    seconds, blocking = timed(lambda: blocking_factors(g))
    rows.append(("blocking factor (bitset DP)", seconds))
    if n <= naive_limit:
        seconds, expected = timed(lambda: naive_blocking(g))
        assert expected == blocking, "bitset DP disagrees with nx.descendants"
        rows.append(("  naive: len(nx.descendants) per node", seconds))
    rows.append(("delay factor (DP)", timed(lambda: delay_factors(g))[0]))
    rows.append(
        (
            "  plain nx.dag_longest_path_length (whole graph only)",
            timed(lambda: nx.dag_longest_path_length(g))[0],
        )
    )
    rows.append(("centrality (path-count DP)", timed(lambda: centralities(g))[0]))
    rows.append(("CA centrality (length DP)", timed(lambda: ca_centralities(g))[0]))
    seconds, metrics = timed(lambda: requisite_metrics(g))
    rows.append(("all metrics, one order (requisite_metrics)", seconds))
    rows.append(("  JSON rendering", timed(lambda: to_json(metrics))[0]))
    rows.append(("requisite cycles (SCC)", timed(lambda: requisite_cycles(g))[0]))
    rows.append(("dead ends (reverse BFS)", timed(lambda: dead_ends(g, destinations))[0]))
    rows.append(
        ("articulation (one dominator tree)", timed(lambda: articulation_nodes(g, destinations))[0])
    )
    digits = len(str(max(m.centrality for m in metrics.nodes))) if n <= 10_000 else None
    for name, seconds in rows:
        print(f"  {name:<55} {seconds:8.3f} s")
    print(f"  total blocking {metrics.totals.blocking_factor:,}; max centrality digits {digits}")


def tiny_enumeration_check() -> None:
    """Path enumeration (what CurricularAnalytics.jl does) against the DP on small graphs."""
    for n in (16, 24, 32):
        g = requisite_dag(n, seed=n)
        sources = [v for v in g if g.in_degree(v) == 0]
        sinks = [v for v in g if g.out_degree(v) == 0]

        def enumerate_paths(
            g: nx.DiGraph = g, sources: list[Any] = sources, sinks: list[Any] = sinks
        ) -> dict[Any, int]:
            counts = dict.fromkeys(g, 0)
            for s in sources:
                for path in nx.all_simple_paths(g, s, sinks):
                    for v in path[1:-1]:
                        counts[v] += 1
            return counts

        slow, expected = timed(enumerate_paths)
        fast, found = timed(lambda g=g: centralities(g))
        assert found == expected
        print(f"  centrality on {n} credentials: enumeration {slow:.4f} s, DP {fast:.5f} s")


def bench_catalogue(n: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import write_catalogue

    from pathways.catalogue.projection import project, requisite_graph
    from pathways.rdf.store import KnowledgeGraph

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalogue.ttl"
        write_catalogue(n, path)
        kg = KnowledgeGraph.open()
        load, _ = timed(lambda: kg.load([path]))
        seconds, r = timed(lambda: requisite_graph(project(kg)))
        metrics_seconds, _ = timed(lambda: requisite_metrics(r))
    print(
        f"\ngenerated catalogue of {n:,}: load {load:.2f} s, projection {seconds:.2f} s, "
        f"metrics {metrics_seconds:.3f} s on {len(r):,} nodes / {r.number_of_edges():,} edges"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000, 100_000])
    parser.add_argument("--naive-limit", type=int, default=10_000)
    parser.add_argument("--catalogue", type=int, default=0)
    args = parser.parse_args()
    print("path enumeration vs dynamic programme:")
    tiny_enumeration_check()
    for n in args.sizes:
        bench(n, args.naive_limit)
    if args.catalogue:
        bench_catalogue(args.catalogue)


if __name__ == "__main__":
    main()
