"""What a web explorer serves and its limits, and the one knowledge graph it reads.

:class:`Settings` is a plain value (picklable: the SPARQL worker processes receive it).
:class:`Explorer` holds the opened graph for the pages and the JSON API, runs library
calls offline (:func:`pathways.rdf.safety.offline`) and caches what does not change
while the graph is served. Requests run in threads at once: the served graph is only
read (Oxigraph's store answers concurrent reads; nothing writes to it), and each
cached fact is computed once, other requests for it waiting on that fact's own lock
rather than on one lock for everything (so a slow first validation does not hold up
search). SPARQL runs in worker processes (:mod:`pathways.web.query_pool`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pathways.rdf import safety
from pathways.rdf.store import KnowledgeGraph

if TYPE_CHECKING:  # the query pool's workers import this module without Starlette
    from starlette.requests import Request

__all__ = ["Explorer", "Settings", "open_graph"]

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """The data to serve and the explorer's limits (Datasette's "settings")."""

    #: RDF files or folders; with no store, the bundled pilot graph when empty.
    data: tuple[Path, ...] = ()
    #: A persistent store (``pathways load --store DIR``), opened read-only.
    store: Path | None = None
    #: Seconds a SPARQL query may run before its worker process is killed.
    query_timeout: float = 10.0
    #: Rows (SELECT) or triples (CONSTRUCT, DESCRIBE) a SPARQL answer holds at most.
    row_cap: int = 10_000
    #: SPARQL worker processes (queries that run at once).
    query_workers: int = 4
    #: Bytes an uploaded file may have (larger: 413).
    upload_cap: int = 10 * 1024 * 1024
    #: Search results per page.
    page_size: int = 20
    #: Compute the slow, cached facts (validation, eligibility) in the background at
    #: start, so that the first credential page does not wait for them.
    warm: bool = True
    #: Once warm, move what the process holds into the collector's permanent
    #: generation (``gc.freeze``): a full collection then no longer walks the caches'
    #: half a million objects, which paused requests for 250 ms (``pathways serve``
    #: sets it; off for a server embedded in another process, such as the tests, whose
    #: later garbage would never be freed).
    freeze_when_warm: bool = False


def open_graph(settings: Settings) -> KnowledgeGraph:
    """Open the graph as every reading command does (``KnowledgeGraph.for_reading``):
    a store read-only, DATA with a store layered over a private copy of it; serving
    never writes to a store."""
    return KnowledgeGraph.for_reading(settings.data, settings.store)


class Explorer:
    """The served graph, with caches of what does not change while it is served."""

    def __init__(self, settings: Settings, kg: KnowledgeGraph | None = None) -> None:
        self.settings = settings
        self.kg = kg if kg is not None else open_graph(settings)
        self._lock = threading.Lock()  # guards the two dicts below
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._key_locks: dict[tuple[Any, ...], threading.Lock] = {}
        self._background: set[tuple[Any, ...]] = set()

    def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``function(*args, **kwargs)``, offline."""
        with safety.offline():
            return function(*args, **kwargs)

    def ready(self, key: tuple[Any, ...]) -> bool:
        """True when the fact of ``key`` is computed (and :meth:`cached` answers at once)."""
        with self._lock:
            return key in self._cache

    def cached_or_none(self, key: tuple[Any, ...], function: Callable[[], T]) -> T | None:
        """The fact of ``key`` when computed; else None, and it is computed in the
        background (once: a second call while it runs starts nothing). An error is
        not cached: the next :meth:`cached` call raises it."""
        with self._lock:
            if key in self._cache:
                return self._cache[key]  # type: ignore[no-any-return]
            if key in self._background:
                return None
            self._background.add(key)

        def compute() -> None:
            try:
                self.cached(key, function)
            except Exception:  # a request that needs it raises the error itself
                pass
            finally:
                with self._lock:
                    self._background.discard(key)

        threading.Thread(target=compute, name=f"pathways-{key[0]}", daemon=True).start()
        return None

    def cached(self, key: tuple[Any, ...], function: Callable[[], T]) -> T:
        """``function()`` once per key (the served graph is read-only); an error is
        not cached."""
        with self._lock:
            if key in self._cache:
                return self._cache[key]  # type: ignore[no-any-return]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._cache:
                    return self._cache[key]  # type: ignore[no-any-return]
            with safety.offline():
                value = function()
            with self._lock:
                self._cache[key] = value
            return value


def explorer_of(request: Request) -> Explorer:
    """The explorer the application serves (``app.state.explorer``)."""
    explorer: Explorer = request.app.state.explorer
    return explorer
