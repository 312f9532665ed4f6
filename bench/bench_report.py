"""Validation report size and rendering time: lines of the human report of a generated
catalogue, in full and with the ``--severity`` and ``--limit`` options, and seconds
to render each format.

Usage::

    .venv/bin/python bench/bench_report.py                 # 10k credentials, core profiles
    .venv/bin/python bench/bench_report.py --size 1000 --profiles conditionality

The catalogue comes from bench/generate.py; validation runs once (its time is printed
too), then every report is rendered from the same result. No assertion on times.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_catalogue

from pathways.rdf.store import KnowledgeGraph
from pathways.validation import shapes_for, validate
from pathways.validation.render import ReportContext, render


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--profiles", nargs="+", default=[], help="default: the core ones")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = write_catalogue(options.size, Path(tmp) / "catalogue.ttl")
        kg = KnowledgeGraph.open()
        kg.load([data])
    shapes = shapes_for(options.profiles, default_core=True)
    started = time.perf_counter()
    report = validate(kg, shapes)
    seconds = time.perf_counter() - started
    print(f"{options.size} credentials, profiles {', '.join(shapes.profiles)}")
    print(f"validate: {seconds:.2f} s, {len(report.results)} results")
    print(f"{'report':34} {'lines':>8} {'render s':>9}")
    cases = [
        ("human", ReportContext(shapes=shapes)),
        ("human --severity warning", ReportContext(shapes=shapes, show="warning")),
        ("human --severity violation", ReportContext(shapes=shapes, show="violation")),
        ("human --limit 20", ReportContext(shapes=shapes, limit=20)),
        ("json", ReportContext(shapes=shapes)),
        ("csv", ReportContext(shapes=shapes)),
    ]
    for name, context in cases:
        started = time.perf_counter()
        text = render(report, name.split()[0], context)
        took = time.perf_counter() - started
        print(f"{name:34} {text.count(chr(10)):8d} {took:9.2f}")


if __name__ == "__main__":
    main()
