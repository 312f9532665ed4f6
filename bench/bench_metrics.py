"""Benchmark the curricular analytics on requisite graphs of growing size.

Synthetic requisite DAGs shaped like the generated catalogues (``bench/generate.py``):
credential ``k`` requires 0-3 of the 200 credentials before it, and every 8 credentials
stack into a qualification. Each metric is timed, and compared with the plain NetworkX
way of getting the same numbers (``nx.descendants`` per node for blocking factors, and
for centrality plain NetworkX path enumeration, the way CurricularAnalytics.jl computes
it, at growing sizes until it takes longer than ``--enumeration-budget`` seconds), whose
results must agree.

Usage::

    python bench/bench_metrics.py                 # 1k, 10k, 100k
    python bench/bench_metrics.py 1000 10000 --naive-limit 10000
    python bench/bench_metrics.py --catalogue 1000   # also project a generated catalogue
    python bench/bench_metrics.py 1000 --enumeration-budget 30
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import networkx as nx

from pathways.analytics import (
    articulation_nodes,
    blocking_factors,
    centralities,
    dead_ends,
    delay_factors,
    path_counts,
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
    rows.append(("centrality (path count and length DP)", timed(lambda: centralities(g))[0]))
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


def enumerated_centralities(g: nx.DiGraph) -> tuple[dict[Any, int], int]:
    """Centrality by plain path enumeration, as CurricularAnalytics.jl computes it.

    Every source-to-sink path (``nx.all_simple_paths``) with at least three nodes adds
    its number of nodes to each of its interior nodes. Returns the centralities and the
    number of source-to-sink paths.
    """
    sinks = [v for v in g if g.out_degree(v) == 0 and g.in_degree(v) > 0]
    central = dict.fromkeys(g, 0)
    paths = 0
    for source in (v for v in g if g.in_degree(v) == 0 and g.out_degree(v) > 0):
        for path in nx.all_simple_paths(g, source, sinks):
            paths += 1
            for v in path[1:-1]:
                central[v] += len(path)
    return central, paths


def enumeration_comparison(budget: float, largest: int) -> None:
    """The DP against path enumeration at doubling sizes up to ``largest`` credentials.

    Enumeration runs while the previous one took under ``budget`` seconds and the number
    of paths (counted first by :func:`path_counts`) is at most 20 times the last
    enumerated one (so one enumeration takes about 20 budgets at most); beyond, only
    the DP runs and the paths it did not enumerate are reported.
    """
    n, last_seconds = 16, 0.0
    last_paths: int | None = None
    while n <= largest:
        g = requisite_dag(n, seed=n)
        fast, found = timed(partial(centralities, g))
        into, _ = path_counts(g)
        paths = sum(into[v] for v in g if g.out_degree(v) == 0 and g.in_degree(v) > 0)
        line = f"  {n:>6} credentials: DP {fast:8.5f} s"
        if last_seconds < budget and (last_paths is None or paths <= 20 * last_paths):
            slow, (expected, enumerated) = timed(partial(enumerated_centralities, g))
            assert enumerated == paths and found == expected, f"DP disagrees at {n}"
            line += f", enumeration {slow:9.4f} s ({slow / max(fast, 1e-9):>5,.0f}x)"
            last_seconds, last_paths = slow, paths
        else:
            line += ", enumeration not run       "
        print(f"{line}  {paths:,} source-to-sink paths")
        n *= 2


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
    parser.add_argument(
        "--enumeration-budget",
        type=float,
        default=10.0,
        help="stop enumerating paths once an enumeration took this long (s)",
    )
    parser.add_argument(
        "--enumeration-sizes",
        type=int,
        default=16_384,
        help="largest graph of the enumeration comparison (sizes double from 16)",
    )
    args = parser.parse_args()
    print("centrality: path enumeration (as CurricularAnalytics.jl) vs dynamic programme:")
    enumeration_comparison(args.enumeration_budget, args.enumeration_sizes)
    for n in args.sizes:
        bench(n, args.naive_limit)
    if args.catalogue:
        bench_catalogue(args.catalogue)


if __name__ == "__main__":
    main()
