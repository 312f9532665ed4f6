"""File locks of a persistent store (``fcntl.flock``, released when the process ends).

Two kinds, so that readers never wait for a writer:

- the **writer's lock**, an exclusive lock on the file ``lock`` in the store folder:
  one ``load`` (or ``import --store``) at a time; a second one waits up to
  ``--wait`` seconds or is refused with :class:`~pathways.errors.StoreBusy`;
- a **reader's lock**, a shared lock on the generation folder a reader has open. A
  writer removes an old generation only when it can lock that folder exclusively
  without waiting, so a generation is never deleted under a reader (the next writer
  removes it once the reader has gone).

The kernel drops a lock when its process dies, even by SIGKILL, so no lock is ever
left stale.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from pathways.errors import StoreBusy

__all__ = ["lock_exclusive_now", "lock_shared", "lock_writer", "unlock"]

_POLL = 0.1


def lock_writer(folder: Path, wait: float = 0.0) -> int:
    """Take the writer's lock of the store in ``folder``; its file descriptor.

    Waits up to ``wait`` seconds for another writer to finish, then raises
    :class:`StoreBusy`.
    """
    fd = os.open(folder / "lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                waited = f" (waited {wait:g} s)" if wait > 0 else ""
                raise StoreBusy(
                    f"another load is running on this store{waited}",
                    path=folder,
                    hint="try again when it has finished, or give load --wait SECONDS",
                ) from None
            time.sleep(_POLL)


def lock_shared(folder: Path) -> int | None:
    """A reader's shared lock on a generation folder; None if the folder is gone."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    fcntl.flock(fd, fcntl.LOCK_SH)  # only an exclusive lock (a removal) can hold this up
    return fd


def lock_exclusive_now(folder: Path) -> int | None:
    """An exclusive lock on a folder if no reader holds it, else None (never waits)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def unlock(fd: int | None) -> None:
    """Release a lock taken here (closing its descriptor)."""
    if fd is not None:
        os.close(fd)
