"""The persistent store with generations against plain pyoxigraph, in one run.

For generated catalogues of growing size (``bench/generate.py``, about 48 triples per
credential), time:

- ``pyoxigraph bulk_load``: ``pyoxigraph.Store(DIR).bulk_load(path=file)`` and a flush,
  the fastest plain way into a persistent Oxigraph store (no checks, no atomicity:
  an interrupted bulk load leaves what it wrote);
- ``load, new store``: ``pathways load FILE --store DIR`` as the command runs it
  (``KnowledgeGraph.open(DIR).load([file])``): the copy kept of the source, the checks,
  the new generation, the fsyncs and the atomic switch;
- ``load, one more file``: a second catalogue (1,000 credentials) into that store: a
  checkpoint of the current generation (hard links), then the new file;
- ``load, same file again``: skipped by its SHA-256 (the rule of loading once);
- ``load, changed file``: the small file changed, so the store is rebuilt from its
  kept sources;
- ``read: info --store``: opening the current generation read-only and ``summarize``;
- ``read: info DATA --store``: the same with a small DATA file layered over a private
  in-memory copy of the store (the store itself is not touched).

Usage::

    python bench/bench_store.py                         # 50k, 200k and 1M triples
    python bench/bench_store.py --triples 50000 200000
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_catalogue

from pathways.rdf.store import KnowledgeGraph
from pathways.rdf.summary import summarize

TRIPLES_PER_CREDENTIAL = 48


def timed(action: Callable[[], object]) -> float:
    gc.collect()
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def plain_bulk_load(file: Path, folder: Path) -> None:
    store = ox.Store(str(folder))
    store.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store


def load(file: Path, folder: Path) -> int:
    with KnowledgeGraph.open(folder) as kg:
        return kg.load([file]).triples_read


def info(folder: Path, data: Path | None) -> None:
    if data is None:
        with KnowledgeGraph.open(folder, read_only=True) as kg:
            summarize(kg)
        return
    kg = KnowledgeGraph.layered(folder)
    kg.load([data])
    summarize(kg)


def show(triples: int, what: str, seconds: float, count: int | None = None) -> None:
    rate = f"{count / seconds:>11,.0f}" if count else f"{'':>11}"
    print(f"{triples:>10,} {what:<34} {seconds:>8.2f} {rate}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, nargs="+", default=[50_000, 200_000, 1_000_000])
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="pathways-bench-store-"))
    print(f"{'triples':>10} {'what':<34} {'seconds':>8} {'triples/s':>11}")
    try:
        small = write_catalogue(1000, work / "small.ttl", seed=7)
        for target in args.triples:
            n = max(1, target // TRIPLES_PER_CREDENTIAL)
            file = write_catalogue(n, work / f"catalogue-{n}.ttl")
            plain = work / f"plain-{n}"
            store = work / f"store-{n}"
            triples = len(list(ox.parse(path=str(file), format=ox.RdfFormat.TURTLE)))

            row = partial(show, triples)
            bulk = timed(partial(plain_bulk_load, file, plain))
            row("pyoxigraph bulk_load (plain)", bulk, triples)
            ours = timed(partial(load, file, store))
            row("load, new store (generations)", ours, triples)
            row("  ratio to plain bulk_load", ours / bulk)
            mine = work / "mine.ttl"
            shutil.copy(small, mine)
            row("load, one more file (1k cred.)", timed(partial(load, mine, store)))
            row("load, same file again (skipped)", timed(partial(load, file, store)))
            mine.write_text(small.read_text(encoding="utf-8").replace("EV battery", "EV cells"))
            row("load, changed file (rebuild)", timed(partial(load, mine, store)))
            row("read: info --store", timed(partial(info, store, None)))
            row("read: info DATA --store", timed(partial(info, store, small)))
            shutil.rmtree(plain, ignore_errors=True)
            shutil.rmtree(store, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
