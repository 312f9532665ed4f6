"""The compiled checks' queries, run by a thread pool while validation goes on.

Oxigraph releases the GIL while it evaluates a query and writes its SPARQL TSV, so on
2 cores two queries run at once while the main thread turns finished answers into
results (:mod:`pathways.validation.runner`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed

from rdflib import URIRef
from rdflib.namespace import RDFS

from pathways.rdf.sparql_tsv import Cell, cell_key
from pathways.rdf.store import KnowledgeGraph
from pathways.validation.compile import Check

__all__ = ["WORKERS", "Answers", "Subclasses", "with_parts"]


def with_parts(checks: Iterable[Check]) -> Iterator[Check]:
    """Checks and, depth first, the checks of their memoised sh:node conformance."""
    for check in checks:
        yield check
        yield from with_parts(check.conformance)


class Subclasses:
    """The classes below a class in the data graph, each asked once."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        self.found: dict[URIRef, list[URIRef]] = {}

    def __call__(self, cls: URIRef) -> list[URIRef]:
        if cls not in self.found:
            _names, rows = self.kg.select_cells(
                f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>+ <{cls}> FILTER(isIRI(?c)) }}"
            )
            self.found[cls] = sorted(URIRef(cell_key(row[0])) for row in rows if row[0])
        return self.found[cls]


class Answers:
    """The compiled checks' SELECT queries, run by a thread pool as soon as validation
    starts: Oxigraph evaluates and serialises without holding the GIL, so on 2 cores
    two queries run at once while the main thread turns finished answers into
    results. The queries likely to take longest go first (see :meth:`_first`), so the
    pool does not end on one long query with the other thread idle. A query
    Oxigraph rejects raises its QueryError when its answer is asked for."""

    def __init__(
        self, kg: KnowledgeGraph, checks: Sequence[Check], extra: Sequence[str] = ()
    ) -> None:
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="validate")
        self._checks: dict[str, list[Check]] = {}
        for check in checks:  # merged checks share one query
            self._checks.setdefault(check.query, []).append(check)
        order = sorted(self._checks, key=self._first)
        self._futures: dict[str, Future[tuple[list[str], list[tuple[Cell, ...]]]]] = {
            query: self._pool.submit(kg.select_cells, query) for query in [*order, *extra]
        }

    def _first(self, query: str) -> tuple[bool, int, int]:
        """The order queries start in: SHACL-SPARQL constraints first (written by
        hand, they are the least predictable; the bundled one on learning outcomes is
        the longest query at 100k credentials), then by the number of checks merged."""
        checks = self._checks[query]
        sparql = any(check.sparql_rows for check in checks)
        return (not sparql, -len(checks), -len(query))

    def cells(self, query: str) -> list[tuple[Cell, ...]]:
        """The rows of one of the ``extra`` queries (waits for it)."""
        return self._futures[query].result()[1]

    def get(self, check: Check) -> tuple[list[str], list[tuple[Cell, ...]]]:
        """The variable names and rows of a check's query (waits for it)."""
        return self._futures[check.query].result()

    def ready(self, check: Check) -> bool:
        """Whether the answers a check needs (its conformance checks' too) are in."""
        return all(
            part.native is not None or part.pre_bound or self._futures[part.query].done()
            for part in with_parts([check])
        )

    def as_completed(self) -> Iterator[Check]:
        """Every check, in the order their queries finish."""
        queries = {future: query for query, future in self._futures.items()}
        for future in as_completed(queries):
            yield from self._checks.get(queries[future], ())

    def __enter__(self) -> Answers:
        return self

    def __exit__(self, *_exc: object) -> None:
        for future in self._futures.values():
            future.cancel()
        self._pool.shutdown(wait=True)


#: Query threads: one per core (the GIL-free part is Oxigraph's), at most four.
WORKERS = max(1, min(4, os.cpu_count() or 1))
