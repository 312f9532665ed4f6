"""Benchmark: projection, exact routes, alternatives and gaps on generated catalogues.

For each size: load a generated catalogue (bench/generate.py) into Oxigraph, project
it (pathways.catalogue.projection.project) and compare with the plain approach (rdflib parse +
iterate triples into a DiGraph, sizes up to --plain-max); then time optimal route
queries to ~20 random goals (qualifications and micro-credentials), 3 alternatives,
and a skill-gap cover for synthetic occupations of 6 essential skills.

Usage::

    .venv/bin/python bench/bench_routes.py 1000 10000 100000 --plain-max 10000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import rdflib

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_catalogue

from pathways.catalogue.projection import project
from pathways.rdf.store import KnowledgeGraph
from pathways.routing import plan_route
from pathways.routing.gaps import skill_gap

GEN = "https://w3id.org/pathways/generated/"


def plain_projection(path: Path) -> tuple[float, nx.DiGraph]:
    started = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(path, format="turtle")
    g = nx.DiGraph()
    for s, p, o in graph:
        if isinstance(o, rdflib.URIRef | rdflib.BNode):
            g.add_edge(str(s), str(o), kind=str(p))
    return time.perf_counter() - started, g


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f}"


def run(n: int, plain_max: int, queries: int) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_catalogue(n, Path(tmp) / f"cat-{n}.ttl")
        kg = KnowledgeGraph.open()
        started = time.perf_counter()
        kg.load([path])
        load = time.perf_counter() - started
        rng = random.Random(n)
        occupations = []
        for o in range(5):
            skills = " , ".join(
                f"<http://data.europa.eu/esco/skill/gen-{rng.randrange(max(50, n // 4))}>"
                for _ in range(6)
            )
            occupations.append(f"{GEN}occ{o}")
            kg.store.update(
                f"INSERT DATA {{ <{GEN}occ{o}> a <https://w3id.org/pathways/vocab#Occupation> ;"
                f" <https://w3id.org/pathways/vocab#essentialSkill> {skills} . }}"
            )
        started = time.perf_counter()
        g = project(kg)
        proj = time.perf_counter() - started
        plain = "-"
        if n <= plain_max:
            seconds, _ = plain_projection(path)
            plain = f"{seconds:.2f}"
    goals = [f"{GEN}q{rng.randrange(n // 8)}" for _ in range(queries // 2)]
    goals += [f"{GEN}mc{rng.randrange(n)}" for _ in range(queries - len(goals))]
    times, alt_times, sizes = [], [], []
    for goal in goals:
        started = time.perf_counter()
        try:
            plan = plan_route(g, goal, optimize="cost")
            sizes.append(len(plan.best.steps))
        except Exception as err:  # a defective credential may have no route: still timed
            if type(err).__name__ != "NoRouteError":
                raise
        times.append(time.perf_counter() - started)
    for goal in goals[:5]:
        started = time.perf_counter()
        try:
            plan_route(g, goal, optimize="hours", alternatives=3)
        except Exception as err:
            if type(err).__name__ != "NoRouteError":
                raise
        alt_times.append(time.perf_counter() - started)
    gap_times = []
    for occ in occupations:
        started = time.perf_counter()
        skill_gap(g, occ)
        gap_times.append(time.perf_counter() - started)
    return {
        "n": str(n),
        "nodes": str(g.number_of_nodes()),
        "edges": str(g.number_of_edges()),
        "load s": f"{load:.2f}",
        "project s": f"{proj:.2f}",
        "plain s": plain,
        "route ms": median_ms(times),
        "route max ms": f"{max(times) * 1000:.1f}",
        "route size": f"{statistics.median(sizes):.0f}" if sizes else "-",
        "3 alts ms": median_ms(alt_times),
        "gap ms": median_ms(gap_times),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--plain-max", type=int, default=10000)
    parser.add_argument("--queries", type=int, default=20)
    args = parser.parse_args()
    rows = [run(n, args.plain_max, args.queries) for n in args.sizes]
    headers = list(rows[0])
    widths = [max(len(h), *(len(r[h]) for r in rows)) for h in headers]
    print("  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)))
    for r in rows:
        print("  ".join(r[h].rjust(w) for h, w in zip(headers, widths, strict=True)))


if __name__ == "__main__":
    main()
