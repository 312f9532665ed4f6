"""The persistent store on disk: generations switched atomically, and kept sources.

A store folder (``--store DIR``) holds::

    pathways-store.json   the pointer: which generation is current, and the manifest
    gen-000007/           the current generation, an Oxigraph (RocksDB) database
    sources/              a copy of every file loaded, named by its SHA-256
    lock                  the writer's lock (see :mod:`pathways.rdf.locking`)

A load never writes into the current generation. It makes the next one (a RocksDB
checkpoint of the current one, hard links, so nearly free; or a fresh database when a
loaded file changed), loads into that, flushes and closes it, and then commits by
replacing the pointer file with :func:`os.replace` after an fsync. Before that moment
the store is the old one; after it, the new one; a load interrupted at any point,
even by SIGKILL or a power cut, leaves the old store, and the half-made generation is
removed by the next writer. Readers open the generation the pointer names, read-only,
so they see the old content or the new, never a half.

The manifest lists every source file loaded (its absolute path, SHA-256, triples and
the copy kept under ``sources/``), which is what makes loading the same file twice
harmless (see :meth:`pathways.rdf.store.KnowledgeGraph.load` for the rule). A store
made by pathways before generations (a bare Oxigraph folder) is read as it is and
becomes a store with generations at its next load.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from pathways.errors import StoreError
from pathways.rdf.locking import lock_exclusive_now, unlock

__all__ = [
    "POINTER",
    "Layout",
    "Manifest",
    "Source",
    "fsync_dir",
    "keep_source",
    "layout",
    "next_generation",
    "prepare_commit",
    "read_manifest",
    "remove_legacy",
    "remove_stale",
    "test_pause",
    "watched",
]

POINTER = "pathways-store.json"
FORMAT = "pathways-store-2"
SOURCES = "sources"
_GENERATION = re.compile(r"gen-(\d{6,})")
#: Files of a bare Oxigraph (RocksDB) folder, the layout before generations.
_LEGACY = re.compile(
    r"(CURRENT|IDENTITY|LOCK|LOG(\.old\..*)?|MANIFEST-\d+|OPTIONS-\d+|\d+\.(sst|log|blob))"
)

Layout = Literal["new", "generations", "legacy", "other"]


@dataclass(frozen=True)
class Source:
    """One file loaded into the store."""

    path: str  # absolute path of the file as given
    sha256: str
    copy: str  # the kept copy, relative to the store folder
    triples: int


@dataclass(frozen=True)
class Manifest:
    """The pointer file's content: the current generation and what it was loaded from."""

    generation: str
    sources: tuple[Source, ...] = ()
    triples: int | None = None
    #: True when the store holds triples from before the manifest (a legacy store).
    unrecorded: bool = False
    format: str = field(default=FORMAT)

    def by_sha(self) -> dict[str, Source]:
        return {s.sha256: s for s in self.sources}

    def by_path(self) -> dict[str, Source]:
        return {s.path: s for s in self.sources}

    def to_json(self) -> str:
        data = asdict(self)
        data["sources"] = [asdict(s) for s in self.sources]
        return json.dumps(data, indent=1) + "\n"


def layout(folder: Path) -> Layout:
    """What a store folder holds: nothing yet, generations, a legacy store or other files."""
    if not folder.exists():
        return "new"
    names = {p.name for p in folder.iterdir()}
    if POINTER in names:
        return "generations"
    if "CURRENT" in names:
        return "legacy"
    if all(_ours(name) for name in names):
        return "new"  # empty, or what a first load that never committed left
    return "other"


def _ours(name: str) -> bool:
    return (
        name in ("lock", SOURCES)
        or _GENERATION.fullmatch(name) is not None
        or (name.startswith(POINTER + ".") and name.endswith(".tmp"))
    )


def read_manifest(folder: Path) -> Manifest:
    """The current manifest of a store with generations."""
    pointer = folder / POINTER
    try:
        data: dict[str, Any] = json.loads(pointer.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise StoreError(
                f"unknown store format {data.get('format')!r}",
                path=pointer,
                hint="this store was made by another version of pathways",
            )
        sources = tuple(Source(**s) for s in data.get("sources", ()))
        return Manifest(
            generation=str(data["generation"]),
            sources=sources,
            triples=data.get("triples"),
            unrecorded=bool(data.get("unrecorded", False)),
        )
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise StoreError(f"cannot read the store's pointer file: {err}", path=pointer) from err


def next_generation(folder: Path) -> Path:
    """A name for a new generation, after every generation (current or stale) present."""
    numbers = [int(m.group(1)) for p in folder.iterdir() if (m := _GENERATION.fullmatch(p.name))]
    return folder / f"gen-{max(numbers, default=0) + 1:06d}"


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fsync_dir(folder)


def prepare_commit(folder: Path, manifest: Manifest) -> Path:
    """Get ``manifest`` (and its generation) ready to become the store's current state:
    the generation's files are made durable, and the new pointer is written to a
    temporary file and fsynced. The caller commits with ``os.replace(returned path,
    folder / POINTER)`` (the one moment the store changes), then :func:`fsync_dir`."""
    _fsync_tree(folder / manifest.generation)
    temporary = folder / f"{POINTER}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(manifest.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    test_pause("commit")
    return temporary


def keep_source(folder: Path, file: Path) -> tuple[str, str]:
    """Copy a file to be loaded into ``sources/`` (named by its SHA-256); returns
    (sha256, the copy's path relative to the store folder). The copy is what the load
    reads, so the file may change on disk meanwhile without harm."""
    sources = folder / SOURCES
    sources.mkdir(exist_ok=True)
    digest = hashlib.sha256()
    temporary = sources / f".{os.getpid()}.{file.name}.tmp"
    try:
        with open(file, "rb") as src, open(temporary, "wb") as dst:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
    except IsADirectoryError as err:
        temporary.unlink(missing_ok=True)
        raise StoreError("is a folder, not a file", path=file) from err
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise StoreError(f"cannot copy into the store: {err.strerror}", path=file) from err
    sha = digest.hexdigest()
    copy = sources / (sha + file.suffix.lower())
    if copy.exists():
        temporary.unlink()
    else:
        os.replace(temporary, copy)
    return sha, f"{SOURCES}/{copy.name}"


def remove_stale(folder: Path, manifest: Manifest | None) -> None:
    """Remove what no committed state needs: generations other than the current one
    (unless a reader has them open), temporary pointer files, and kept sources no
    source of the manifest refers to. Called by the writer (under its lock)."""
    current = manifest.generation if manifest else None
    for path in folder.iterdir():
        if _GENERATION.fullmatch(path.name) and path.name != current:
            fd = lock_exclusive_now(path)
            if fd is not None:
                try:
                    shutil.rmtree(path, ignore_errors=True)
                finally:
                    unlock(fd)
        elif path.name.startswith(POINTER + ".") and path.name.endswith(".tmp"):
            path.unlink(missing_ok=True)
    sources = folder / SOURCES
    if sources.is_dir():
        used = {Path(s.copy).name for s in manifest.sources} if manifest else set()
        for path in sources.iterdir():
            if path.name not in used:
                path.unlink(missing_ok=True)


def remove_legacy(folder: Path) -> None:
    """Remove the files of a legacy (bare Oxigraph) store from its top folder, once
    its content lives in a generation."""
    for path in folder.iterdir():
        if path.is_file() and _LEGACY.fullmatch(path.name):
            path.unlink(missing_ok=True)


_paused: set[str] = set()


def watched() -> bool:
    """TEST ONLY: whether the test hook of :func:`test_pause` is set."""
    return bool(os.environ.get("PATHWAYS_TEST_PAUSE_AT"))


def test_pause(point: str) -> None:
    """TEST ONLY: stop this process (SIGSTOP) at a named point of a load.

    When the environment variable ``PATHWAYS_TEST_PAUSE_AT`` names ``point``
    (``parse``, ``write`` or ``commit``), the loader prints
    ``pathways-test: paused at POINT`` on stderr and stops itself, so a test can
    signal it or read the store at exactly that moment, then continue it (SIGCONT).
    Not for use outside the test suite.
    """
    if os.environ.get("PATHWAYS_TEST_PAUSE_AT") != point or point in _paused:
        return
    _paused.add(point)
    print(f"pathways-test: paused at {point}", file=sys.stderr, flush=True)
    with contextlib.suppress(OSError):
        os.kill(os.getpid(), signal.SIGSTOP)
