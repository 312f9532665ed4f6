"""Loading speed: pathways' two backends against the plain libraries, in one run.

For generated catalogues of growing size (see ``bench/generate.py``), time:

- ``pathways memory``: ``KnowledgeGraph.open().load([file])`` (checks and parses every
  file, then one transaction into an in-memory Oxigraph store);
- ``pathways store``: ``KnowledgeGraph.open(DIR).load([file])`` (persistent store);
- ``pyoxigraph bulk_load``: ``pyoxigraph.Store(DIR).bulk_load(path=file)``, the
  fastest plain way into a persistent Oxigraph store (the issue's yardstick: the
  persistent store must be within 2x of it);
- ``pyoxigraph load (memory)``: ``pyoxigraph.Store().load(path=file)``;
- ``rdflib parse``: ``rdflib.Graph().parse(file)`` (skipped above --rdflib-max).

Usage::

    python bench/bench_load.py                 # 1k and 10k
    python bench/bench_load.py --sizes 1000 10000 100000
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pyoxigraph as ox
import rdflib

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_catalogue

from pathways.rdf.store import KnowledgeGraph


def timed(action: Callable[[], int]) -> tuple[float, int]:
    gc.collect()
    started = time.perf_counter()
    triples = action()
    return time.perf_counter() - started, triples


def ours_memory(file: Path, folder: Path) -> int:
    return KnowledgeGraph.open().load([file]).triples_read


def ours_store(file: Path, folder: Path) -> int:
    kg = KnowledgeGraph.open(folder / "ours")
    report = kg.load([file])
    kg.close()
    return report.triples_read


def plain_bulk_load(file: Path, folder: Path) -> int:
    store = ox.Store(str(folder / "plain"))
    store.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE)
    store.flush()
    return len(store)


def plain_memory(file: Path, folder: Path) -> int:
    store = ox.Store()
    store.load(path=str(file), format=ox.RdfFormat.TURTLE)
    return len(store)


def plain_rdflib(file: Path, folder: Path) -> int:
    return len(rdflib.Graph().parse(file))


LOADERS: list[tuple[str, Callable[[Path, Path], int]]] = [
    ("pathways memory", ours_memory),
    ("pyoxigraph load (memory)", plain_memory),
    ("pathways store (disk)", ours_store),
    ("pyoxigraph bulk_load (disk)", plain_bulk_load),
    ("rdflib Graph.parse", plain_rdflib),
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rdflib-max", type=int, default=10000)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="pathways-bench-"))
    print(f"{'credentials':>11} {'triples':>10} {'loader':<28} {'seconds':>8} {'triples/s':>11}")
    try:
        for n in args.sizes:
            file = write_catalogue(n, work / f"catalogue-{n}.ttl")
            results: dict[str, float] = {}
            for name, loader in LOADERS:
                if loader is plain_rdflib and n > args.rdflib_max:
                    continue
                folder = Path(tempfile.mkdtemp(dir=work))
                seconds, triples = timed(partial(loader, file, folder))
                shutil.rmtree(folder, ignore_errors=True)
                results[name] = seconds
                rate = triples / seconds
                print(f"{n:>11,} {triples:>10,} {name:<28} {seconds:>8.2f} {rate:>11,.0f}")
            ratio = results["pathways store (disk)"] / results["pyoxigraph bulk_load (disk)"]
            print(f"{'':>11} {'':>10} {'store / bulk_load':<28} {ratio:>8.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
