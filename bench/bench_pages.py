"""Benchmark: the explorer's pathway, occupation, planner, analytics, economics and
SPARQL pages on the pilot graph, driven in-process (FastAPI's TestClient; no socket).

Each page is asked once cold (its first answer computes and caches what it reads:
projection, metrics, the Graphviz layout, the skill gap, costs and the simulation),
then ``--requests`` times warm; p50 and p95 of the warm answers are printed, with the
cold time. Every answer must be 200.

Usage::

    .venv/bin/python bench/bench_pages.py --requests 50
"""

from __future__ import annotations

import argparse
import statistics
import time

from fastapi.testclient import TestClient

from pathways.web import Explorer, Settings, create_app
from pathways.web.query_pool import QueryPool

PILOT = "https://w3id.org/pathways/pilot/"
OCCUPATION = "http://data.europa.eu/esco/occupation/06bd6285-13ed-4ea7-90cc-e9638a0600a9"
PAGES: list[tuple[str, str, dict[str, str | list[str]]]] = [
    ("pathway page", "/pathway", {"iri": PILOT + "pathway-es-ev-maintenance"}),
    ("pathway JSON", "/pathway.json", {"iri": PILOT + "pathway-es-ev-maintenance"}),
    ("pathway SVG", "/pathway.svg", {"iri": PILOT + "pathway-es-ev-maintenance"}),
    ("occupation page", "/occupation", {"iri": OCCUPATION}),
    ("planner (empty form)", "/route", {}),
    (
        "planner: route + what-if",
        "/route",
        {
            "to": PILOT + "es-ce-hev",
            "from": PILOT + "es-ce-hev-m1",
            "add": PILOT + "es-ce-hev-m2",
            "term_hours": "200",
            "alternatives": "3",
        },
    ),
    ("planner: route JSON", "/route.json", {"to": PILOT + "es-hv-2s", "from": PILOT + "es-hv-1s"}),
    ("analytics page", "/analytics", {"sort": "blocking_factor"}),
    ("economics page", "/economics", {}),
    ("SPARQL UI page", "/sparql/ui", {}),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="Warm requests per page.")
    args = parser.parse_args()
    settings = Settings(warm=False)
    pool = QueryPool(settings)
    pool.start()
    app = create_app(explorer=Explorer(settings), query_pool=pool)
    print(f"{'page':28} {'cold ms':>9} {'p50 ms':>8} {'p95 ms':>8}  (n={args.requests} warm)")
    try:
        with TestClient(app) as client:
            for name, path, params in PAGES:
                started = time.perf_counter()
                response = client.get(path, params=params)
                cold = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (path, response.text[:300])
                times = []
                for _ in range(args.requests):
                    started = time.perf_counter()
                    response = client.get(path, params=params)
                    times.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, path
                p50, p95 = statistics.median(times), percentile(times, 0.95)
                print(f"{name:28} {cold:9.1f} {p50:8.1f} {p95:8.1f}")
    finally:
        pool.close()


if __name__ == "__main__":
    main()
