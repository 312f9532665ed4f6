"""Writing files into one Oxigraph store, all or nothing, literals kept as written.

:func:`write_files` is the loader behind :meth:`pathways.rdf.store.KnowledgeGraph.load`:
every file is checked and parsed in full before anything is written (a syntax or
safety error in any file leaves the store untouched), then each file is written by
Oxigraph's own loader (on disk its bulk loader: see ``bench/bench_load.py``), and the
literals Oxigraph changes are recorded as written (:mod:`pathways.rdf.literals`).
On disk the target is a new generation that only becomes the store when the load
commits (:mod:`pathways.rdf.generations`), so a failure at any point, an operating
system one included, leaves the store as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from pathways.errors import StoreError
from pathways.rdf import generations
from pathways.rdf.generations import Manifest, test_pause, watched
from pathways.rdf.literals import AsWritten, Recorder, StoredForms
from pathways.rdf.parsing import FORMATS, counting, ontology_quads, parse_file
from pathways.vocab import STORE_FORMAT

__all__ = [
    "Input",
    "LoadStep",
    "Progress",
    "add_ontology",
    "first_generation",
    "migrate",
    "read_only",
    "triples",
    "write_files",
]

_MARKER = ox.NamedNode(STORE_FORMAT)
_STORE_FORMAT = "pathways-store-1"


@dataclass(frozen=True)
class Input:
    """A file to load: where its bytes are read, and the file it stands for (its name
    in messages and its base IRI)."""

    read: Path
    name: Path


@dataclass(frozen=True)
class LoadStep:
    """How far a load has got: file ``index`` of ``files``, in ``phase`` ("checking",
    "writing" or "done"), ``done`` of ``total`` bytes of that phase's reading."""

    file: Path
    index: int
    files: int
    phase: str
    done: int
    total: int


Progress = Callable[[LoadStep], None]
"""Told how far a load has got, within each file and after it."""


def add_ontology(store: ox.Store) -> None:
    """Put the bundled ontology (and the store format marker) into a new store."""
    store.extend(ontology_quads())
    store.add(
        ox.Quad(
            ox.NamedNode("https://w3id.org/pathways/vocab"),
            _MARKER,
            ox.Literal(_STORE_FORMAT),
            ox.DefaultGraph(),
        )
    )


def triples(store: ox.Store, forms: StoredForms) -> int:
    """The triples of a store as written (see ``KnowledgeGraph.__len__``)."""
    return len(store) - len(AsWritten.read(store, forms))


def write_files(
    store: ox.Store,
    inputs: Sequence[Input],
    *,
    bulk: bool,
    forms: StoredForms,
    progress: Progress | None = None,
    target: Callable[[], ox.Store] | None = None,
) -> list[int]:
    """Check and parse every input against ``store``, then write them all (Oxigraph's
    bulk loader when ``bulk``); the triples read from each input.

    The files are written into ``store``, or into the store ``target()`` returns: one
    with the same content, made only once every file has passed its checks (a new
    generation of a persistent store).
    """
    count = len(inputs)

    def advance(index: int, item: Input, phase: str) -> Callable[[int, int], None]:
        def tell(done: int, total: int) -> None:
            if done >= total // 2:
                test_pause("parse" if phase == "checking" else "write")
            if progress is not None:
                progress(LoadStep(item.name, index, count, phase, done, total))

        return tell

    known = AsWritten.read(store, forms)
    scan = Recorder(store, known, forms)
    read: list[int] = []
    try:
        for index, item in enumerate(inputs, 1):  # phase 1: check and parse, write nothing
            quads = parse_file(item.read, name=item.name, advance=advance(index, item, "checking"))
            read.append(scan.scan(quads))
    except BaseException:
        # The error's traceback keeps the recorder alive: it must not keep the store
        # open (the CLI removes a store folder that a failed first load created).
        scan.store = ox.Store()
        raise
    records: set[ox.Quad] | None = set()
    if scan.changed or known:
        patterns = scan.blank_patterns()
        records = None if patterns is None else scan.records | patterns
    scan.store = ox.Store()
    into = store if target is None else target()
    watch = Recorder(into, known, forms)
    try:  # phase 2: write
        for index, item in enumerate(inputs, 1):
            fmt = FORMATS[item.name.suffix.lower()]
            base = item.name.resolve().as_uri()
            tell = advance(index, item, "writing")
            if records is None:  # blank nodes to record triple by triple
                quads = watch.watch(parse_file(item.read, name=item.name, advance=tell))
                (into.bulk_extend if bulk else into.extend)(quads)
            elif fmt.supports_datasets:  # named graphs are merged into the default graph
                into.extend(parse_file(item.read, name=item.name, advance=tell))
            elif progress is None and not watched():  # Oxigraph reads the file itself
                loader = into.bulk_load if bulk else into.load
                loader(path=str(item.read), format=fmt, base_iri=base)
            else:  # read through Python to tell how far it got (about 20% slower)
                with open(item.read, "rb") as raw:
                    reader = counting(raw, item.read.stat().st_size, tell)
                    if bulk:
                        into.bulk_load(reader, format=fmt, base_iri=base)
                    else:
                        into.load(reader, format=fmt, base_iri=base)
            if progress is not None:
                size = item.read.stat().st_size
                progress(LoadStep(item.name, index, count, "done", size, size))
        written = watch.records if records is None else records
        if written:
            into.extend(written)
    finally:
        watch.store = ox.Store()  # a traceback must not keep the store open (see above)
        del into
    return read


def read_only(folder: Path) -> ox.Store:
    """Open an Oxigraph database read-only (it never writes to the folder)."""
    try:
        return ox.Store.read_only(str(folder))
    except OSError as err:
        raise StoreError(f"cannot open the store: {err}", path=folder) from err


def first_generation(folder: Path) -> Manifest:
    """Commit the first generation of a new store: the bundled ontology."""
    path = generations.next_generation(folder)
    try:
        store = ox.Store(str(path))
        add_ontology(store)
        store.flush()
        count = triples(store, StoredForms())
        del store
        manifest = Manifest(path.name, (), count)
        os.replace(generations.prepare_commit(folder, manifest), folder / generations.POINTER)
        generations.fsync_dir(folder)
    except OSError as err:
        raise StoreError(f"cannot create the store: {err}", path=folder) from err
    return manifest


def migrate(folder: Path) -> Manifest:
    """Turn a store made before generations (a bare Oxigraph folder) into one with
    generations: a checkpoint of it becomes the first generation."""
    path = generations.next_generation(folder)
    try:
        legacy = ox.Store(str(folder))
        legacy.flush()
        legacy.backup(str(path))
        del legacy
        manifest = Manifest(path.name, (), None, unrecorded=True)
        os.replace(generations.prepare_commit(folder, manifest), folder / generations.POINTER)
        generations.fsync_dir(folder)
    except OSError as err:
        shutil.rmtree(path, ignore_errors=True)
        raise StoreError(f"cannot convert the store to generations: {err}", path=folder) from err
    generations.remove_legacy(folder)
    return manifest
