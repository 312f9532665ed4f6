"""How far an import is: the files it starts and, within a file, how much is read.

Importers call :func:`report_progress`; whoever runs them listens with
:func:`reporting_progress` (a context variable, so that no importer's signature
carries a callback). :meth:`pathways.interop.results.ImportBuilder.source` reports each
file as it starts; an importer that reads a file row by row (ESCO) also reports the
characters read so far.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["ImportProgress", "report_progress", "reporting_progress"]

#: ``progress(file, done, total)``: ``done`` of ``total`` characters of ``file`` read so
#: far; ``(file, 0, 0)`` when a file is started (an importer that reads a whole document
#: at once reports only that).
ImportProgress = Callable[[str, int, int], None]
_PROGRESS: ContextVar[ImportProgress | None] = ContextVar("import_progress", default=None)


@contextmanager
def reporting_progress(progress: ImportProgress | None) -> Iterator[None]:
    """Send the :func:`report_progress` calls of the importers run inside to ``progress``
    (a context variable, so that no importer's signature carries it)."""
    token = _PROGRESS.set(progress)
    try:
        yield
    finally:
        _PROGRESS.reset(token)


def report_progress(file: str, done: int, total: int) -> None:
    """Tell whoever listens how far an importer is within ``file`` (nothing if no one).

    >>> seen = []
    >>> with reporting_progress(lambda *a: seen.append(a)):
    ...     report_progress("x.csv", 10, 40)
    >>> report_progress("x.csv", 20, 40); seen
    [('x.csv', 10, 40)]
    """
    listener = _PROGRESS.get()
    if listener is not None:
        listener(file, done, total)
