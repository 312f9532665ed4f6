"""Validation speed: pathways (compiled SPARQL in Oxigraph + pyshacl fallback) against
plain pyshacl on an in-memory rdflib graph, pyshacl-turbo and ``shacl``.

Usage::

    .venv/bin/python bench/bench_validate.py              # 1k and 10k credentials
    .venv/bin/python bench/bench_validate.py --sizes 1000 10000 100000 --timeout 900
    .venv/bin/python bench/bench_validate.py --sizes 100000 --engines pathways  # 100k
    .venv/bin/python bench/bench_validate.py --profiles eu-standard-elements  # no SPARQL

At 100k only pathways is worth running: with every bundled profile, plain pyshacl,
pyshacl-turbo and ``shacl`` already take over 300 s at 1k credentials (they run each
SHACL-SPARQL reachability constraint once per focus node). With a profile that has no
SHACL-SPARQL constraints (``--profiles eu-standard-elements``) they finish, and the
comparison is of the core constraints alone.

Every engine gets the same generated catalogue (bench/generate.py, with the ontology)
and the same shapes (all bundled profiles that load), runs in its own process with a
time limit, and reports load and validate seconds and its result count. pyshacl-turbo
and ``shacl`` are optional (``pip install pyshacl-turbo shacl``): skipped when absent.
No assertion on times: this prints figures.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_catalogue

from pathways.errors import PathwaysError
from pathways.rdf.resources import ontology_files
from pathways.rdf.store import KnowledgeGraph
from pathways.validation import bundled_profiles, shapes_for, validate


def usable_profiles(data: Path) -> list[str]:
    """Bundled profiles whose shapes load and run (a broken one is reported, not used)."""
    kg = KnowledgeGraph.open()
    kg.load([data])
    usable = []
    for name in sorted(bundled_profiles()):
        try:
            validate(kg, shapes_for([name]))
            usable.append(name)
        except PathwaysError as err:
            print(f"  (profile {name} skipped: {str(err)[:100]})", file=sys.stderr)
    return usable


def run_pathways(data: Path, shapes_file: Path, profiles: list[str]) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    kg = KnowledgeGraph.open()
    kg.load([data])
    shapes = shapes_for(profiles)
    t1 = time.perf_counter()
    report = validate(kg, shapes)
    return t1 - t0, time.perf_counter() - t1, len(report.results)


def _rdflib_graph(data: Path) -> Any:
    from rdflib import Graph

    graph = Graph()
    graph.parse(data)
    for file in ontology_files():
        graph.parse(file)
    return graph


def _run_on_rdflib(validate: Any, data: Path, shapes_file: Path) -> tuple[float, float, int]:
    """Load into an in-memory rdflib graph, then run a pyshacl-style ``validate``."""
    from rdflib import Graph

    t0 = time.perf_counter()
    graph = _rdflib_graph(data)
    shapes = Graph().parse(shapes_file)
    t1 = time.perf_counter()
    _conforms, report, _text = validate(graph, shacl_graph=shapes)
    return t1 - t0, time.perf_counter() - t1, _count(report)


def run_pyshacl(data: Path, shapes_file: Path, profiles: list[str]) -> tuple[float, float, int]:
    import pyshacl

    return _run_on_rdflib(pyshacl.validate, data, shapes_file)


def run_turbo(data: Path, shapes_file: Path, profiles: list[str]) -> tuple[float, float, int]:
    import pyshacl_turbo

    return _run_on_rdflib(pyshacl_turbo.validate, data, shapes_file)


def run_shacl(data: Path, shapes_file: Path, profiles: list[str]) -> tuple[float, float, int]:
    import shacl

    merged = data.with_suffix(".with-ontology.ttl")
    if not merged.exists():
        merged.write_bytes(
            data.read_bytes() + b"\n" + b"\n".join(f.read_bytes() for f in ontology_files())
        )
    t0 = time.perf_counter()
    report = shacl.validate(str(merged), str(shapes_file))
    return 0.0, time.perf_counter() - t0, len(report.results)


def _count(report: Any) -> int:
    from rdflib.namespace import SH

    return len(set(report.subjects(None, SH.ValidationResult)))


ENGINES = {
    "pathways": (run_pathways, None),
    "pyshacl": (run_pyshacl, "pyshacl"),
    "pyshacl-turbo": (run_turbo, "pyshacl_turbo"),
    "shacl": (run_shacl, "shacl"),
}


def _worker(name: str, args: tuple[Any, ...], queue: Any) -> None:
    try:
        queue.put(ENGINES[name][0](*args))
    except Exception as err:  # report any engine failure as a row, not a crash
        queue.put(f"failed: {type(err).__name__}: {str(err)[:80]}")


def timed(name: str, args: tuple[Any, ...], timeout: float) -> tuple[float, float, int] | str:
    queue: Any = mp.Queue()
    process = mp.Process(target=_worker, args=(name, args, queue))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.terminate()
        process.join()
        return f"over {timeout:.0f} s"
    return queue.get() if not queue.empty() else "crashed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--engines", nargs="+", default=list(ENGINES))
    parser.add_argument("--profiles", nargs="+", default=None, help="default: every usable one")
    options = parser.parse_args()
    import importlib.util

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data0 = write_catalogue(200, folder / "probe.ttl")
        profiles = options.profiles or usable_profiles(data0)
        shapes = shapes_for(profiles)
        shapes_file = folder / "shapes.ttl"
        shapes.graph.serialize(shapes_file, format="turtle")
        print(f"profiles: {', '.join(profiles)}")
        print(f"{'credentials':>11}  {'engine':14} {'load s':>8} {'validate s':>10} {'results':>8}")
        for size in options.sizes:
            data = write_catalogue(size, folder / f"catalogue-{size}.ttl")
            for name in options.engines:
                module = ENGINES[name][1]
                if module and importlib.util.find_spec(module) is None:
                    print(f"{size:>11}  {name:14} not installed (pip install {module})")
                    continue
                outcome = timed(name, (data, shapes_file, profiles), options.timeout)
                if isinstance(outcome, str):
                    print(f"{size:>11}  {name:14} {outcome}")
                else:
                    load, run, count = outcome
                    print(f"{size:>11}  {name:14} {load:8.2f} {run:10.2f} {count:8d}")
                sys.stdout.flush()


if __name__ == "__main__":
    main()
