"""The one way the tool writes files: atomically, and CSV in one dialect.

Every file pathways writes -- ``-o FILE`` of every command (reports, exports, import
outputs), the spreadsheet template, the files of ``simulate --report`` -- goes
through :func:`atomic_file` (or :func:`write_atomically`, :func:`write_folder`): the
content goes to a temporary file beside the target, which is renamed into place only
when it is complete, so a failed or interrupted command never leaves a half-written
file, and the file gets the usual permissions (``0666`` less the umask).

Every CSV the tool writes uses :class:`Rfc4180`: comma-separated, fields quoted with
``"`` only when needed, quotes doubled, records ended by CRLF, UTF-8 without a byte
order mark, one header row (RFC 4180, section 2; the same CRLF line ending as the
W3C SPARQL 1.1 Query Results CSV format).

>>> csv_text([["credential", "hours"], ["pilot:es-hv-2s", 40.0], ["a, b", None]])
'credential,hours\\r\\npilot:es-hv-2s,40.0\\r\\n"a, b",\\r\\n'
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

__all__ = [
    "BlockedPathError",
    "Rfc4180",
    "atomic_file",
    "blocking_file",
    "csv_text",
    "csv_writer",
    "write_atomically",
    "write_folder",
]


class Rfc4180(csv.Dialect):
    """The CSV dialect of every CSV pathways writes (RFC 4180)."""

    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL


def csv_writer(handle: IO[str]) -> Any:
    """A :func:`csv.writer` in the :class:`Rfc4180` dialect."""
    return csv.writer(handle, dialect=Rfc4180)


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows (the header first) as CSV text; ``None`` is an empty cell."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue()


def _permissions(path: str) -> None:
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)  # mkstemp makes 0600; give the usual permissions


def blocking_file(path: Path) -> Path | None:
    """The existing *file* among ``path``'s folders, which makes ``path`` unwritable.

    ``-o report/out.csv`` where ``report`` is a file cannot be written: the answer is
    ``report``. None when every existing ancestor is a folder.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "notes").write_text("x")
    1
    >>> blocking_file(folder / "notes" / "out.csv") == folder / "notes"
    True
    >>> blocking_file(folder / "new" / "out.csv") is None
    True
    """
    for parent in path.parents:
        if parent.exists():
            return None if parent.is_dir() else parent
    return None


class BlockedPathError(NotADirectoryError):
    """A file is in the way of the folder a file is to be written to."""

    def __init__(self, path: Path, blocker: Path) -> None:
        super().__init__(f"{blocker} is a file, so {path} cannot be written under it")
        self.path = path
        self.blocker = blocker


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A binary handle on a temporary file beside ``path``, renamed onto it on success.

    Raises :class:`BlockedPathError` when a file stands where a folder of ``path``
    would have to be (see :func:`blocking_file`).
    """
    blocker = blocking_file(path)
    if blocker is not None:
        raise BlockedPathError(path, blocker)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        _permissions(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8) to ``path`` with :func:`atomic_file`."""
    with atomic_file(path) as handle:
        handle.write(content.encode("utf-8") if isinstance(content, str) else content)


def write_folder(folder: Path, files: Mapping[str, str | bytes]) -> None:
    """Write several files into ``folder``: all into a staging folder beside it first,
    then each renamed into place, so that a failure leaves none of them half-written."""
    blocker = blocking_file(folder)
    if blocker is not None:
        raise BlockedPathError(folder, blocker)
    parent = folder.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    try:
        for name, content in files.items():
            write_atomically(staging / name, content)
        folder.mkdir(exist_ok=True)
        for name in files:
            os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
