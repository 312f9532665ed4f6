"""The knowledge graph: loading RDF files into an Oxigraph store, in memory or on disk.

:class:`KnowledgeGraph` is the one interface every other module uses. It has two
backends, chosen when it is opened:

``memory`` (the default)
    An Oxigraph store held in RAM, gone when the process ends.
``oxigraph``
    A persistent store in a folder (``--store DIR``), which later commands reopen
    without reloading: Oxigraph (RocksDB) databases in generations switched atomically
    (:mod:`pathways.rdf.generations`).

Both keep the bundled ontology (``ontology/``) in the default graph, so labels,
levels and vocabularies are always there. :attr:`KnowledgeGraph.graph` is an rdflib
view of the same triples (via oxrdflib) for code that speaks rdflib, such as pyshacl;
:meth:`KnowledgeGraph.select` runs SPARQL in Oxigraph.

The store changes only when asked, and then all at once. Only :meth:`KnowledgeGraph.load`
writes, and only into a store opened for writing (one writer at a time:
:mod:`pathways.rdf.locking`); readers open the current generation read-only, and
:meth:`KnowledgeGraph.layered` gives a private in-memory copy of a store that a command
may add its DATA to without touching the store. Loading is atomic: every file is
parsed (and checked by :mod:`pathways.rdf.safety`) before anything is written, and on
disk the load goes into a new generation that replaces the old one in a single
``os.replace``, so a failing or interrupted load (SIGINT, SIGTERM, SIGKILL, a full
disk) leaves the store exactly as it was.

Literals are kept as written. Oxigraph stores some literals in a canonical form
(``"1"^^xsd:positiveInteger`` as ``"1"^^xsd:integer``, ``"4.0"^^xsd:decimal`` as
``"4"``; see :mod:`pathways.rdf.literals`). The rule: the
default graph holds Oxigraph's canonical triples, so SPARQL compares, sorts and sums
numbers as it always did, and :meth:`KnowledgeGraph.load` records every literal that
Oxigraph changed, as written, in the named graph
:data:`~pathways.rdf.literals.AS_WRITTEN`. Every reader of *triples* gives the literals
as written: :meth:`KnowledgeGraph.quads` (and so the RDF exports),
:attr:`KnowledgeGraph.graph` (the rdflib view, which pyshacl reads),
:meth:`KnowledgeGraph.construct`, ``len()``, and validation. A SELECT gives SPARQL's
values, which are Oxigraph's canonical terms (a value has no triple to be read from).
Data written into :attr:`KnowledgeGraph.store` directly bypasses the record, and so
does the bundled ontology (its few numbers, such as ``25.0`` hours per credit, are
read as values; :func:`ontology_store` has them as stored).

>>> kg = KnowledgeGraph.open()
>>> kg.backend
'memory'
>>> int(kg.select("SELECT (COUNT(*) AS ?n) WHERE { ?c a owl:Class }")[0]["n"]) > 20
True
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox
from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Identifier, Node, URIRef

from pathways.errors import QueryError, StoreError
from pathways.rdf import generations, safety
from pathways.rdf.generations import Manifest, Source
from pathways.rdf.labels import best_label_query, label_from_key
from pathways.rdf.literals import AsWritten, StoredForms
from pathways.rdf.loading import (
    Input,
    LoadStep,
    Progress,
    add_ontology,
    first_generation,
    migrate,
    read_only,
    triples,
    write_files,
)
from pathways.rdf.locking import lock_shared, lock_writer, unlock
from pathways.rdf.parsing import (
    FORMAT_NAMES,
    FORMATS,
    input_files,
    ontology_quads,
    ontology_store,
    parse_file,
    syntax_message,
)
from pathways.rdf.rdflib_view import FastBoolGraph, as_written_store, to_oxigraph, to_rdflib
from pathways.rdf.resources import data_files
from pathways.rdf.sparql_tsv import Cell, parse_tsv
from pathways.rdf.terms import ground_term
from pathways.vocab import PREFIXES, bind_prefixes

__all__ = [
    "FORMATS",
    "FORMAT_NAMES",
    "Backend",
    "KnowledgeGraph",
    "LoadReport",
    "LoadStep",
    "Progress",
    "input_files",
    "ontology_quads",
    "ontology_store",
    "parse_file",
    "to_oxigraph",
    "to_rdflib",
]

Backend = Literal["memory", "oxigraph"]

_SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


@dataclass(frozen=True)
class LoadReport:
    """What a load did: the files read, the triples they held and the time taken.

    ``notes`` says what the load did with files already in the store (skipped,
    replaced); ``loaded`` counts the files given that were read, ``rebuilt`` the
    files the store kept and read again to replace a changed one.
    """

    files: tuple[Path, ...]
    triples_read: int
    triples_before: int
    triples_after: int
    seconds: float
    notes: tuple[str, ...] = ()
    loaded: int | None = None
    rebuilt: int = 0

    @property
    def triples_added(self) -> int:
        """Triples new to the graph (a triple already present is not added twice)."""
        return self.triples_after - self.triples_before

    @property
    def rate(self) -> float:
        """Triples read per second."""
        return self.triples_read / self.seconds if self.seconds > 0 else 0.0


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back (delivered after the block) around a commit."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class KnowledgeGraph:
    """The bundled ontology plus loaded data, in one Oxigraph store.

    Use :meth:`open`; close persistent stores with :meth:`close` (or ``with``).
    """

    def __init__(
        self, store: ox.Store, backend: Backend, path: Path | None, read_only: bool = False
    ) -> None:
        self._store = store
        self.read_only = read_only
        self.backend: Backend = backend
        self.path = path
        self._graph: Graph | None = None
        self._as_written: AsWritten | None = None
        self._forms = StoredForms()
        self._lock: int | None = None  # the writer's lock, or a reader's generation lock
        self._manifest: Manifest | None = None
        self._private: weakref.finalize[Any, Any] | None = None  # a layered copy's folder
        #: Loads this object committed to its store (the CLI reads it on an interrupt).
        self.commits = 0

    @classmethod
    def open(
        cls, store: str | Path | None = None, *, read_only: bool = False, wait: float = 0.0
    ) -> KnowledgeGraph:
        """Open a knowledge graph: in memory when ``store`` is None, else on disk.

        On disk, ``read_only`` opens the store's current generation for reading (it
        never waits for a writer); otherwise the store is opened for :meth:`load` and
        this object holds the writer's lock until :meth:`close`: a second writer waits
        up to ``wait`` seconds, then gets :class:`~pathways.errors.StoreBusy`. A new
        store folder is created and gets the ontology; an existing folder must be a
        pathways store (a folder of other files is refused, never overwritten).
        """
        if store is None:
            kg = cls(ox.Store(), "memory", None)
            add_ontology(kg._store)
            return kg
        path = Path(store)
        if path.exists() and not path.is_dir():
            raise StoreError("store path is a file, not a folder", path=path)
        kind = generations.layout(path)
        if kind == "other":
            raise StoreError(
                "folder exists and is not a pathways store",
                path=path,
                hint="give an empty or new folder to --store",
            )
        if read_only:
            if kind == "new":
                raise StoreError(
                    "no store in this folder", path=path, hint="run 'pathways load' first"
                )
            return cls._open_reader(path)
        return cls._open_writer(path, wait)

    @classmethod
    def _open_reader(cls, path: Path) -> KnowledgeGraph:
        for _ in range(100):  # a writer may switch generations between two steps here
            if generations.layout(path) == "legacy":
                return cls(read_only(path), "oxigraph", path, True)
            manifest = generations.read_manifest(path)
            folder = path / manifest.generation
            fd = lock_shared(folder)
            if fd is None or not (folder / "CURRENT").exists():
                unlock(fd)  # removed by a writer after it committed a newer one
                continue
            try:
                kg = cls(read_only(folder), "oxigraph", path, True)
            except BaseException:
                unlock(fd)
                raise
            kg._lock, kg._manifest = fd, manifest
            return kg
        raise StoreError("the store keeps changing under this reader", path=path)

    @classmethod
    def _open_writer(cls, path: Path, wait: float) -> KnowledgeGraph:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"cannot create the store folder: {err.strerror}", path=path) from err
        fd = lock_writer(path, wait)
        try:
            kind = generations.layout(path)  # again, now that no other writer runs
            if kind == "legacy":
                manifest = migrate(path)
            elif kind == "generations":
                manifest = generations.read_manifest(path)
            else:
                manifest = first_generation(path)
            generations.remove_stale(path, manifest)
            kg = cls(read_only(path / manifest.generation), "oxigraph", path)
        except BaseException:
            unlock(fd)
            raise
        kg._lock, kg._manifest = fd, manifest
        return kg

    @classmethod
    def layered(cls, store: str | Path) -> KnowledgeGraph:
        """A private copy of a store, for a command that adds DATA to it: loading into
        the copy leaves the store as it is.

        The copy is a checkpoint of the current generation in a temporary folder (hard
        links where the file system allows, so nearly free), removed when the copy is
        closed or the process ends; a store from before generations is copied into
        memory instead.
        """
        with cls.open(store, read_only=True) as base:
            if base._manifest is not None:
                private = Path(tempfile.mkdtemp(prefix="pathways-layered-"))
                try:
                    base.store.backup(str(private / "db"))
                    copy = ox.Store(str(private / "db"))
                except OSError:
                    shutil.rmtree(private, ignore_errors=True)
                else:
                    kg = cls(copy, "memory", Path(store))
                    kg._private = weakref.finalize(kg, shutil.rmtree, private, True)
                    return kg
            memory = ox.Store()
            memory.extend(base.store.quads_for_pattern(None, None, None, None))
        return cls(memory, "memory", Path(store))

    @classmethod
    def for_reading(
        cls,
        data: Sequence[str | Path],
        store: str | Path | None = None,
        *,
        default_data: bool = True,
        progress: Progress | None = None,
    ) -> KnowledgeGraph:
        """The graph a reading command (or the web explorer) works on; only ``pathways
        load`` writes to a store.

        With ``store``, the store read-only; with ``data`` as well, a :meth:`layered`
        private copy of the store with ``data`` loaded into it, so the store is never
        changed. Without ``store``, an in-memory graph with ``data``, or the bundled
        pilot graph when ``data`` is empty and ``default_data`` is true.
        """
        if store is not None:
            if not data:
                return cls.open(store, read_only=True)
            kg = cls.layered(store)
        else:
            kg = cls.open()
            if not data and default_data:
                data = data_files()
        if data:
            kg.load(data, progress=progress)
        return kg

    # -- context management -------------------------------------------------------

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        unlock(getattr(self, "_lock", None))

    def close(self) -> None:
        """Release a persistent store (and its lock), so another process (or this one)
        can open it; the object is unusable afterwards."""
        if self._store is None:
            return
        self._graph = None
        self._store = None  # type: ignore[assignment]
        unlock(self._lock)
        self._lock = None
        if self._private is not None:
            self._private()

    # -- loading ------------------------------------------------------------------

    def load(self, paths: Iterable[str | Path], *, progress: Progress | None = None) -> LoadReport:
        """Load files and folders atomically: all of them, or (on any error) none.

        Every file is checked and parsed in full before anything is written, so a
        syntax or safety error in any file leaves the graph untouched.

        Into a persistent store, files are known by their absolute path and SHA-256
        (the manifest of :mod:`pathways.rdf.generations`), and the rule is: **a file's
        bytes are loaded once**. A file whose bytes the store already holds (under any
        path) is skipped ("already loaded, unchanged"), so loading a file twice does
        not duplicate its blank nodes; a file that changed since it was loaded from
        the same path **replaces** what was loaded from it (the store is rebuilt from
        the copies it keeps of its other sources, so triples another file also gives
        stay). The load goes into a new generation that becomes the store only at its
        commit: interrupted or failing at any point, it leaves the store as it was.
        """
        files = input_files(paths)
        if self.backend == "memory":
            started = time.perf_counter()
            before = len(self)
            inputs = [Input(f, f) for f in files]
            try:
                read = write_files(
                    self._store, inputs, bulk=False, forms=self._forms, progress=progress
                )
            except OSError as err:
                raise StoreError(f"writing to the store failed: {err}", path=self.path) from err
            finally:
                self._as_written = None
            return LoadReport(
                tuple(files), sum(read), before, len(self), time.perf_counter() - started
            )
        if self.read_only or self._manifest is None:
            raise StoreError("the store was opened read-only", path=self.path)
        return self._load_generation(files, progress)

    def _load_generation(self, files: list[Path], progress: Progress | None) -> LoadReport:
        assert self.path is not None and self._manifest is not None
        folder, manifest = self.path, self._manifest
        started = time.perf_counter()
        by_sha, by_path = manifest.by_sha(), manifest.by_path()
        notes: list[str] = []
        removed: set[str] = set()
        planned: list[tuple[Path, str, str, str]] = []  # file, absolute path, sha, copy
        seen: dict[str, Path] = {}
        for file in files:
            absolute = str(file.resolve())
            sha, copy = generations.keep_source(folder, file)
            old = by_path.get(absolute)
            if old is not None and old.sha256 != sha:
                removed.add(absolute)
                notes.append(f"{file}: changed since it was loaded: what it gave is replaced")
            if sha in seen or (sha in by_sha and by_sha[sha].path not in removed):
                earlier = str(seen[sha]) if sha in seen else by_sha[sha].path
                same = earlier in (absolute, str(file))
                notes.append(
                    f"{file}: already loaded, unchanged (skipped)"
                    if same
                    else f"{file}: the same bytes were already loaded from {earlier} (skipped)"
                )
                continue
            seen[sha] = file
            planned.append((file, absolute, sha, copy))
        before = manifest.triples
        if before is None:
            before = triples(self._store, self._forms)
        if not planned and not removed:
            generations.remove_stale(folder, manifest)
            return LoadReport(
                tuple(files), 0, before, before, time.perf_counter() - started, tuple(notes), 0
            )
        if removed and manifest.unrecorded:
            generations.remove_stale(folder, manifest)
            raise StoreError(
                "cannot replace a changed file: this store holds triples loaded before "
                "pathways kept a record of the files loaded",
                path=folder,
                hint="load the files into a new store folder",
            )
        kept = [s for s in manifest.sources if s.path not in removed]
        new_inputs = [Input(folder / copy, file) for file, _, _, copy in planned]
        target_path = generations.next_generation(folder)
        switched = False
        target: ox.Store | None = None
        try:
            if removed:  # rebuild from the ontology and the kept copies of the sources
                target = ox.Store(str(target_path))
                add_ontology(target)
                inputs = [Input(folder / s.copy, Path(s.path)) for s in kept] + new_inputs
                read = write_files(target, inputs, bulk=True, forms=self._forms, progress=progress)
            else:  # checked against the current generation, then written into a checkpoint

                def checkpoint() -> ox.Store:
                    nonlocal target
                    self._store.backup(str(target_path))  # hard links: nearly free
                    target = ox.Store(str(target_path))
                    return target

                inputs = new_inputs
                read = write_files(
                    self._store,
                    inputs,
                    bulk=True,
                    forms=self._forms,
                    progress=progress,
                    target=checkpoint,
                )
            assert target is not None
            # Compact the new generation before it is committed: bulk loading leaves
            # many small files, and every reader's queries run 20% faster after this
            # (0.4 s at 10k credentials; bench/bench_serve.py).
            target.optimize()
            target.flush()
            after = triples(target, self._forms)
            target = None  # closes the new generation's database
            fresh = read[len(inputs) - len(planned) :]
            sources = [*kept] + [
                Source(absolute, sha, copy, n)
                for (_, absolute, sha, copy), n in zip(planned, fresh, strict=True)
            ]
            new = Manifest(target_path.name, tuple(sources), after, unrecorded=manifest.unrecorded)
            pointer = generations.prepare_commit(folder, new)
            with _signals_held():
                os.replace(pointer, folder / generations.POINTER)
                switched = True
                self._store = read_only(target_path)
                self._manifest = new
                self._graph = None
                self._as_written = None
                self.commits += 1
            generations.fsync_dir(folder)
        except OSError as err:
            if not switched:
                target = None
                shutil.rmtree(target_path, ignore_errors=True)
            raise StoreError(f"writing to the store failed: {err}", path=folder) from err
        except BaseException:
            if not switched:
                target = None
                shutil.rmtree(target_path, ignore_errors=True)
                with contextlib.suppress(OSError):  # the copies of the sources just kept
                    generations.remove_stale(folder, manifest)
            raise
        generations.remove_stale(folder, new)
        return LoadReport(
            tuple(files),
            sum(read),
            before,
            after,
            time.perf_counter() - started,
            tuple(notes),
            len(planned),
            len(kept) if removed else 0,
        )

    # -- reading ------------------------------------------------------------------

    @property
    def generation_folder(self) -> Path | None:
        """The folder of the store's current generation (a store with generations),
        which never changes once committed; None in memory or for a legacy store."""
        if self.path is None or self._manifest is None:
            return None
        return self.path / self._manifest.generation

    def __len__(self) -> int:
        """The triples as written (Oxigraph's count, less the record of literals as
        written, plus the triples that Oxigraph merged into one)."""
        return len(self._store) - len(self.as_written)

    @property
    def as_written(self) -> AsWritten:
        """The record of the literals that Oxigraph stores in another form."""
        if self._as_written is None:
            self._as_written = AsWritten.read(self._store, self._forms)
        return self._as_written

    def __bool__(self) -> bool:
        # Constant time: pyshacl evaluates ``graph or other``, and len() counts triples.
        return True

    @property
    def store(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store` (for bulk work and compiled queries)."""
        return self._store

    @property
    def graph(self) -> Graph:
        """An rdflib view of the default graph, backed by the same Oxigraph store."""
        if self._graph is None:
            graph = FastBoolGraph(store=as_written_store(self), identifier=DATASET_DEFAULT_GRAPH_ID)
            self._graph = bind_prefixes(graph, override=True)
        return self._graph

    def select(self, sparql: str, **bindings: Node) -> list[dict[str, Node]]:
        """Run a SPARQL SELECT in Oxigraph and return rows of rdflib terms.

        The ``PREFIXES`` of :mod:`pathways.vocab` are predeclared. Unbound variables are
        left out of a row. ``bindings`` substitute variables before evaluation.
        """
        result = self._query(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("not a SELECT query", hint="use ask() or construct()")
        names = [v.value for v in result.variables]
        rows: list[dict[str, Node]] = []
        for solution in result:
            row: dict[str, Node] = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = to_rdflib(term)
            rows.append(row)
        return rows

    def ask(self, sparql: str, **bindings: Node) -> bool:
        """Run a SPARQL ASK in Oxigraph."""
        result = self._query(sparql, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("not an ASK query")
        return bool(result)

    def construct(self, sparql: str, **bindings: Node) -> Graph:
        """Run a SPARQL CONSTRUCT or DESCRIBE in Oxigraph; return a new rdflib graph."""
        result = self._query(sparql, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        graph = bind_prefixes(Graph())
        for triple in self.triples_as_written(result):
            graph.add(
                (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
            )
        return graph

    def triples_as_written(self, triples: Iterable[ox.Triple]) -> Iterator[ox.Triple]:
        """Triples (of a CONSTRUCT or DESCRIBE) with each canonical literal of a stored
        triple replaced by the literals written for it."""
        record = self.as_written
        if not record:
            yield from triples
            return
        for triple in triples:
            subject, predicate = triple.subject, triple.predicate
            for obj in record.objects(subject, predicate, triple.object):
                yield ox.Triple(subject, predicate, obj)

    def select_cells(self, sparql: str) -> tuple[list[str], list[tuple[Cell, ...]]]:
        """Run a SELECT in Oxigraph; its variable names and rows of SPARQL TSV cells.

        The fast path for large results (see :mod:`pathways.rdf.sparql_tsv`): Oxigraph
        evaluates and serialises the whole result without holding the GIL, so
        several of these may run in threads at once.
        """
        result = self._query(sparql, {})
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        try:
            data = result.serialize(format=ox.QueryResultsFormat.TSV)
        except (OSError, ValueError) as err:
            raise QueryError(f"the query failed: {err}") from err
        assert data is not None
        return parse_tsv(data)

    def raw_query(self, sparql: str) -> Any:
        """Run any read-only SPARQL query (after the safety checks); Oxigraph's result."""
        return self._query(sparql, {})

    def _query(self, sparql: str, bindings: dict[str, Node]) -> Any:
        safety.check_sparql(sparql)
        try:
            if bindings:  # a trailing VALUES clause binds variables in any query form
                names = sorted(bindings)
                row = " ".join(_sparql_term(bindings[n]) for n in names)
                sparql = f"{sparql}\nVALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}"
            return self._store.query(sparql, prefixes=PREFIXES)
        except SyntaxError as err:
            raise QueryError(
                f"SPARQL syntax error: {syntax_message(err)}",
                line=err.lineno,
                hint="check the query near that line",
            ) from err
        except (OSError, ValueError) as err:
            raise QueryError(f"the query failed: {err}") from err

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of the default graph, literals as written."""
        stored = self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        record = self.as_written
        return record.quads(stored) if record else iter(stored)

    def label(self, node: Node, lang: str = "en") -> str:
        """The label of a node by the one rule of :mod:`pathways.rdf.labels`
        (reader's language ``lang``, untagged, English, other; then title, name,
        prefLabel, rdfs:label; then text), or failing that its prefixed name."""
        if isinstance(node, URIRef):
            rows = self.select(best_label_query(lang, node=_sparql_term(node)))
        else:  # a blank node cannot be written in a query: bind it
            rows = self.select(best_label_query(lang, node="?node"), node=node)
        best = rows[0].get("best") if rows else None
        if best is not None:
            return label_from_key(str(best))
        if isinstance(node, URIRef):
            return self.graph.namespace_manager.normalizeUri(node)
        return str(node)


def _sparql_term(term: Node) -> str:
    text = ground_term(term)
    if text is None:
        raise QueryError(f"cannot bind a blank node {term!r} in a query")
    return text


def identifiers(nodes: Sequence[Identifier]) -> list[str]:
    """Sorted string forms of nodes, for deterministic output."""
    return sorted(str(n) for n in nodes)
