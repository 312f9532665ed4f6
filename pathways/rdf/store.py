"""The knowledge graph: loading RDF files into an Oxigraph store, in memory or on disk.

:class:`KnowledgeGraph` is the one interface every other module uses. It has two
backends, chosen when it is opened:

``memory`` (the default)
    An Oxigraph store held in RAM, gone when the process ends.
``oxigraph``
    A persistent Oxigraph (RocksDB) store in a folder (``--store DIR``), which later
    commands reopen without reloading.

Both keep the bundled ontology (``ontology/``) in the default graph, so labels,
levels and vocabularies are always there. :attr:`KnowledgeGraph.graph` is an rdflib
view of the same triples (via oxrdflib) for code that speaks rdflib, such as pyshacl;
:meth:`KnowledgeGraph.select` runs SPARQL in Oxigraph.

Loading is atomic: every file is parsed (and checked by :mod:`pathways.rdf.safety`)
before anything is written, and the whole load is one transaction, so a failing file
leaves the store exactly as it was.

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

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox
from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import BNode, Identifier, Node, URIRef
from rdflib.term import Literal as RdfLiteral

from pathways.errors import InputError, QueryError, StoreError
from pathways.rdf import safety
from pathways.rdf.labels import best_label_query, label_from_key
from pathways.rdf.literals import AsWritten, Recorder, StoredForms
from pathways.rdf.resources import ontology_files
from pathways.rdf.sparql_tsv import Cell, parse_tsv
from pathways.rdf.terms import ground_term
from pathways.vocab import PREFIXES, bind_prefixes

__all__ = [
    "FORMATS",
    "Backend",
    "KnowledgeGraph",
    "LoadReport",
    "input_files",
    "ontology_quads",
    "ontology_store",
    "parse_file",
    "to_rdflib",
]

Backend = Literal["memory", "oxigraph"]

#: File suffix -> Oxigraph format. ``.json`` is read as JSON-LD.
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}

#: Format names accepted by ``--format`` options, mapped to Oxigraph formats.
FORMAT_NAMES: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}

_SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
_MARKER = ox.NamedNode("https://w3id.org/pathways/vocab#storeFormat")
_STORE_FORMAT = "pathways-store-1"

Progress = Callable[[int, int, Path], None]
"""Called after each file with (files done, files in all, the file)."""


@dataclass(frozen=True)
class LoadReport:
    """What a load did: the files read, the triples they held and the time taken."""

    files: tuple[Path, ...]
    triples_read: int
    triples_before: int
    triples_after: int
    seconds: float

    @property
    def triples_added(self) -> int:
        """Triples new to the graph (a triple already present is not added twice)."""
        return self.triples_after - self.triples_before


def input_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into the RDF files to load, in a stable order.

    A folder contributes every file below it with a known RDF suffix (sorted); a file
    given by name must exist and have a known suffix.

    >>> input_files(["no/such/file.ttl"])
    Traceback (most recent call last):
    ...
    pathways.errors.InputError: no/such/file.ttl: no such file or folder (check the path)
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS
            )
            if not files:
                raise InputError(
                    "folder holds no RDF files",
                    path=path,
                    hint="expected files ending in " + ", ".join(sorted(FORMATS)),
                )
            found.extend(files)
        elif path.is_file():
            if path.suffix.lower() not in FORMATS:
                raise InputError(
                    f"unknown RDF format {path.suffix or '(no suffix)'!r}",
                    path=path,
                    hint="use one of " + ", ".join(sorted(FORMATS)),
                )
            found.append(path)
        elif path.exists():
            raise InputError("not a regular file", path=path, hint="give a file or a folder")
        else:
            raise InputError("no such file or folder", path=path, hint="check the path")
    return found


def parse_file(path: Path, fmt: ox.RdfFormat | None = None) -> Iterator[ox.Quad]:
    """Parse one file into quads in the default graph, after the safety checks.

    Errors are :class:`InputError` naming the file and line. Parsing is lazy: a syntax
    error surfaces while iterating.
    """
    fmt = fmt or FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unknown RDF format {path.suffix!r}", path=path)
    try:
        data = path.read_bytes()
    except IsADirectoryError as err:
        raise InputError("is a folder, not a file", path=path) from err
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", path=path) from err
    if fmt == ox.RdfFormat.RDF_XML:
        safety.check_xml(data, path)
    elif fmt == ox.RdfFormat.JSON_LD:
        safety.check_jsonld(data, path)
    yield from _parse_bytes(data, fmt, path)


def _parse_bytes(data: bytes, fmt: ox.RdfFormat, path: Path) -> Iterator[ox.Quad]:
    base = path.resolve().as_uri()
    try:
        for quad in ox.parse(data, format=fmt, base_iri=base):
            if fmt.supports_datasets:
                yield ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())
            else:
                yield quad
    except SyntaxError as err:
        raise InputError(
            f"{fmt.name} syntax error: {_syntax_message(err)}",
            path=path,
            line=err.lineno,
            hint="fix the syntax at that line; nothing was loaded",
        ) from err
    except UnicodeDecodeError as err:
        raise InputError("not UTF-8 text", path=path, hint="save the file as UTF-8") from err
    except MemoryError as err:  # Oxigraph refuses a token over 16 MiB this way
        raise InputError(
            f"too large to parse: {err}",
            path=path,
            hint="split the file, or shorten the literal or line that is longer than 16 MiB",
        ) from err


@cache
def ontology_quads() -> tuple[ox.Quad, ...]:
    """The bundled ontology's quads, parsed once per process."""
    return tuple(q for file in ontology_files() for q in parse_file(file))


@cache
def ontology_store() -> ox.Store:
    """An in-memory store holding only the bundled ontology, built once per process.

    Oxigraph normalises literals as it stores them (``25.0`` reads back as ``25``), so
    code that compares a graph with the ontology compares against this store.
    Treat it as read-only.
    """
    store = ox.Store()
    store.extend(ontology_quads())
    return store


def _syntax_message(err: SyntaxError) -> str:
    message = str(err.msg if err.msg else err)
    # Oxigraph prefixes its position; the line is reported separately.
    head, sep, tail = message.partition(": ")
    return tail if sep and head.startswith("Parser error") else message


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

    @classmethod
    def open(cls, store: str | Path | None = None, *, read_only: bool = False) -> KnowledgeGraph:
        """Open a knowledge graph: in memory when ``store`` is None, else on disk.

        A new store folder is created and gets the ontology; an existing folder must
        be a pathways store (a folder of other files is refused, never overwritten).
        """
        if store is None:
            kg = cls(ox.Store(), "memory", None)
            kg._load_ontology()
            return kg
        path = Path(store)
        if path.exists() and not path.is_dir():
            raise StoreError("store path is a file, not a folder", path=path)
        fresh = not path.exists() or not any(path.iterdir())
        if not fresh and not (path / "CURRENT").exists():
            raise StoreError(
                "folder exists and is not a pathways store",
                path=path,
                hint="give an empty or new folder to --store",
            )
        if read_only and fresh:
            raise StoreError("no store in this folder", path=path, hint="run 'pathways load' first")
        try:
            inner = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except OSError as err:
            raise StoreError(
                f"cannot open the store: {err}",
                path=path,
                hint="is another pathways process using it?",
            ) from err
        kg = cls(inner, "oxigraph", path, read_only)
        if fresh:
            kg._load_ontology()
        return kg

    def _load_ontology(self) -> None:
        self._store.extend(ontology_quads())
        self._store.add(
            ox.Quad(
                ox.NamedNode("https://w3id.org/pathways/vocab"),
                _MARKER,
                ox.Literal(_STORE_FORMAT),
                ox.DefaultGraph(),
            )
        )

    # -- context management -------------------------------------------------------

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Flush and release a persistent store, so another process (or this one) can
        open it; the object is unusable afterwards."""
        if self._store is None:
            return
        if self.backend == "oxigraph" and not self.read_only:
            self._store.flush()
        self._graph = None
        self._store = None  # type: ignore[assignment]  # drops the RocksDB lock

    # -- loading ------------------------------------------------------------------

    def load(self, paths: Iterable[str | Path], *, progress: Progress | None = None) -> LoadReport:
        """Load files and folders atomically: all of them, or (on any error) none.

        Every file is checked and parsed in full before anything is written, so a
        syntax or safety error in any file leaves the store untouched. Then each file
        is written by Oxigraph's own loader (on disk its bulk loader: see
        ``bench/bench_load.py``); only an operating-system failure (disk full) during
        that write phase could leave earlier files of the same load in the store.
        """
        files = input_files(paths)
        started = time.perf_counter()
        before = len(self)
        read = 0
        known = self.as_written
        scan = Recorder(self._store, known, self._forms)
        try:
            for file in files:  # phase 1: check and parse everything, write nothing
                read += scan.scan(parse_file(file))
        except BaseException:
            # The error's traceback keeps the recorder alive: it must not keep the store
            # open (the CLI removes a store folder that a failed first load created).
            scan.store = ox.Store()
            raise
        records: set[ox.Quad] | None = set()
        if scan.changed or known:
            patterns = scan.blank_patterns()
            records = None if patterns is None else scan.records | patterns
        try:  # phase 2: write
            watch = Recorder(self._store, known, self._forms)
            for done, file in enumerate(files, 1):
                fmt = FORMATS[file.suffix.lower()]
                if records is None:  # blank nodes to record triple by triple
                    quads = watch.watch(parse_file(file))
                    if self.backend == "memory":
                        self._store.extend(quads)
                    else:
                        self._store.bulk_extend(quads)
                elif fmt.supports_datasets:  # named graphs are merged into the default graph
                    self._store.extend(parse_file(file))
                elif self.backend == "memory":
                    self._store.load(path=str(file), format=fmt, base_iri=file.resolve().as_uri())
                else:
                    self._store.bulk_load(
                        path=str(file), format=fmt, base_iri=file.resolve().as_uri()
                    )
                if progress is not None:
                    progress(done, len(files), file)
            written = watch.records if records is None else records
            if written:
                self._store.extend(written)
            if self.backend == "oxigraph":
                self._store.flush()
        except OSError as err:
            raise StoreError(f"writing to the store failed: {err}", path=self.path) from err
        finally:
            self._as_written = None
        return LoadReport(
            files=tuple(files),
            triples_read=read,
            triples_before=before,
            triples_after=len(self),
            seconds=time.perf_counter() - started,
        )

    # -- reading ------------------------------------------------------------------

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
            graph = _FastBoolGraph(
                store=_as_written_store(self), identifier=DATASET_DEFAULT_GRAPH_ID
            )
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
                f"SPARQL syntax error: {_syntax_message(err)}",
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


def _as_written_store(kg: KnowledgeGraph) -> Any:
    """An oxrdflib store over the knowledge graph's default graph whose triples have
    their literals as written (see the module docstring)."""
    from oxrdflib import OxigraphStore

    class AsWrittenStore(OxigraphStore):
        def triples(self, triple_pattern: Any, context: Any = None) -> Any:
            record = kg.as_written
            if not record:
                return super().triples(triple_pattern, context)
            return self._as_written(record, triple_pattern)

        def _as_written(self, record: AsWritten, pattern: Any) -> Iterator[Any]:
            s, p, o = pattern
            wanted = None
            try:
                subject = None if s is None else to_oxigraph(s)
                predicate = None if p is None else to_oxigraph(p)
                obj = None if o is None else to_oxigraph(o)
            except TypeError:
                return
            if isinstance(obj, ox.Literal):
                wanted = obj
                obj = kg._forms.stored(obj) or obj
            contexts = (Graph(store=self, identifier=DATASET_DEFAULT_GRAPH_ID),)
            try:
                quads = kg.store.quads_for_pattern(subject, predicate, obj, ox.DefaultGraph())
            except (TypeError, ValueError):
                return
            for quad in quads:
                qs, qp = quad.subject, quad.predicate
                found = record.objects(qs, qp, quad.object)
                if len(found) == 1:
                    if wanted is None or found[0] == wanted:
                        yield (to_rdflib(qs), to_rdflib(qp), to_rdflib(found[0])), iter(contexts)
                    continue
                # rdflib may read two of them as one term ("01" and "1"^^xsd:integer)
                terms = {to_rdflib(w): w for w in found if wanted is None or w == wanted}
                for term in terms:
                    yield (to_rdflib(qs), to_rdflib(qp), term), iter(contexts)

        def __len__(self, context: Any = None) -> int:
            return len(kg)

        def query(self, *args: Any, **kwargs: Any) -> Any:
            if kg.as_written:  # Oxigraph would see its own forms: rdflib evaluates it
                raise NotImplementedError("literals as written: rdflib evaluates queries")
            return super().query(*args, **kwargs)

    return AsWrittenStore(store=kg.store)


class _FastBoolGraph(Graph):
    """An rdflib Graph whose truth value does not count triples (see __bool__ above)."""

    def __bool__(self) -> bool:
        return True


def to_rdflib(term: Any) -> Node:
    """Convert an Oxigraph term to the equal rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RdfLiteral(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return RdfLiteral(term.value)
        return RdfLiteral(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported Oxigraph term {term!r}")


def _sparql_term(term: Node) -> str:
    text = ground_term(term)
    if text is None:
        raise QueryError(f"cannot bind a blank node {term!r} in a query")
    return text


def to_oxigraph(term: Node) -> Any:
    """Convert an rdflib term to the equal Oxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, RdfLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported rdflib term {term!r}")


def identifiers(nodes: Sequence[Identifier]) -> list[str]:
    """Sorted string forms of nodes, for deterministic output."""
    return sorted(str(n) for n in nodes)
