"""SPARQL queries in worker processes, so that a runaway query can really be stopped.

Oxigraph evaluates a query in Rust and offers no way to interrupt it; a thread could
only be abandoned while it goes on using a core. So each query runs in one of a few
worker processes (each with its own copy of the graph, opened as the server opened it)
and a query that overruns ``Settings.query_timeout`` has its process killed: the work
stops, the request answers with :class:`QueryTimeout`, and a fresh worker is started in
the background. A worker is a fresh ``python -m pathways.web.query_pool`` process (no
fork of the threaded server, no re-import of its main module) talking over a socket
pair with pickled messages; it runs
:func:`pathways.rdf.sparql.run_query` with the row cap and
:func:`pathways.rdf.sparql_results.serialize`, the functions ``pathways query`` uses.
"""

from __future__ import annotations

import contextlib
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from pathways.errors import PathwaysError

__all__ = ["PoolBusy", "QueryAnswer", "QueryPool", "QueryTimeout", "WorkerFailed"]


class QueryTimeout(Exception):
    """The query ran longer than the time limit; its worker was killed."""


class PoolBusy(Exception):
    """Every worker stayed busy for the whole time limit."""


class WorkerFailed(Exception):
    """A worker died or failed inside (an internal error)."""


class NotAcceptable(Exception):
    """The query's form has no result format the client accepts."""


class RemoteError(PathwaysError):
    """A domain error raised in a worker, carried back with its exit code."""

    def __init__(self, message: str, exit_code: int, kind: str) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.kind = kind


@dataclass(frozen=True)
class QueryAnswer:
    """A serialized answer: the body, its format name, query form, rows and the cap."""

    body: bytes
    fmt: str
    form: str
    count: int
    truncated: bool


def _worker(conn: Connection) -> None:  # runs in the worker process
    from pathways.rdf import safety
    from pathways.rdf.sparql import run_query
    from pathways.rdf.sparql_results import serialize
    from pathways.web.settings import open_graph

    try:
        settings = conn.recv()
    except (EOFError, OSError):  # the server went away before it said what to serve
        return
    try:
        kg = open_graph(settings)
    except Exception as err:
        with contextlib.suppress(OSError):
            conn.send(("failed", f"{type(err).__name__}: {err}"))
        return
    try:
        conn.send(("ready",))
    except OSError:
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the server stopped: so does its worker
            return
        if message is None:
            return
        query, table_fmt, graph_fmt = message
        try:
            with safety.offline():
                outcome = run_query(kg, query, limit=settings.row_cap)
                fmt = graph_fmt if outcome.triples is not None else table_fmt
                if fmt is None:
                    conn.send(("unacceptable", outcome.form))
                    continue
                body = serialize(outcome, fmt, compact=True)
            count = len(outcome.triples) if outcome.triples is not None else len(outcome.rows)
            conn.send(("ok", body, fmt, outcome.form, count, outcome.truncated))
        except PathwaysError as err:
            conn.send(("error", str(err), err.exit_code, type(err).__name__))
        except Exception as err:  # an internal error: reported, the worker goes on
            conn.send(("internal", f"{type(err).__name__}: {err}"))


class _Worker:
    def __init__(self, process: subprocess.Popen[bytes], conn: Connection) -> None:
        self.process = process
        self.conn = conn

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.wait(5)
        with contextlib.suppress(Exception):
            self.conn.close()


class QueryPool:
    """``settings.query_workers`` processes answering SPARQL within the time limit."""

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        self.failures: list[str] = []

    def start(self) -> None:
        """Start the workers in the background (the server is ready before they are)."""
        for _ in range(self.settings.query_workers):
            self._replace()

    def _replace(self) -> None:
        threading.Thread(target=self._start_one, daemon=True, name="pathways-sparql-start").start()

    def _start_one(self) -> None:
        ours, theirs = socket.socketpair()
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "pathways.web.query_pool", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
            )
        except OSError as err:
            self.failures.append(f"cannot start a SPARQL worker: {err}")
            return
        finally:
            theirs.close()
        parent = Connection(ours.detach())
        worker = _Worker(process, parent)
        try:
            parent.send(self.settings)
            hello = parent.recv()
        except (EOFError, OSError):
            hello = ("failed", "the worker exited while opening the graph")
        if hello[0] != "ready":
            self.failures.append(str(hello[1]))
            worker.kill()
            return
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Block until every worker has opened the graph (for tests and benchmarks)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._idle.qsize() >= self.settings.query_workers:
                return True
            if self.failures:
                return False
            time.sleep(0.05)
        return False

    def run(self, query: str, table_fmt: str | None, graph_fmt: str | None) -> QueryAnswer:
        """Run ``query`` in a worker; the answer in ``table_fmt`` (SELECT, ASK) or
        ``graph_fmt`` (CONSTRUCT, DESCRIBE); raises :class:`QueryTimeout`,
        :class:`PoolBusy`, :class:`NotAcceptable` or the worker's domain error."""
        limit = float(self.settings.query_timeout)
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty as err:
            raise PoolBusy(
                f"all {self.settings.query_workers} SPARQL workers stayed busy for {limit:g} s"
            ) from err
        remaining = max(0.01, limit - (time.monotonic() - started))
        try:
            worker.conn.send((query, table_fmt, graph_fmt))
            if not worker.conn.poll(remaining):
                self._discard(worker)
                raise QueryTimeout(
                    f"the query ran longer than the time limit of {limit:g} s and was stopped"
                )
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as err:
            self._discard(worker)
            raise WorkerFailed("the SPARQL worker stopped unexpectedly") from err
        self._idle.put(worker)
        kind = reply[0]
        if kind == "ok":
            return QueryAnswer(reply[1], reply[2], reply[3], reply[4], reply[5])
        if kind == "error":
            raise RemoteError(reply[1], reply[2], reply[3])
        if kind == "unacceptable":
            raise NotAcceptable(reply[1])
        raise WorkerFailed(str(reply[1]))

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            closed = self._closed
        if not closed:
            self._replace()

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            with contextlib.suppress(Exception):
                worker.conn.send(None)
            worker.kill()


if __name__ == "__main__":  # a worker: python -m pathways.web.query_pool FD
    _worker(Connection(int(sys.argv[1])))
