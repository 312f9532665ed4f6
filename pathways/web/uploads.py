"""Validating uploaded data in memory: what ``POST /api/validate`` and the validation
service page (``/validate``) share, and the same library calls as ``pathways validate
FILE``: :func:`pathways.validation.shapes_for` and :func:`pathways.validation.validate`.

The bytes are written, for the parser, into a private temporary folder on ``/dev/shm``
(RAM) where the machine has one, and the folder is removed before the answer is sent;
a private graph (the bundled ontology and the file) is opened for them, so an upload
never joins the served graph. Errors name the client's file name, not the
temporary path.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pathways.errors import InputError, PathwaysError
from pathways.rdf.store import FORMATS, KnowledgeGraph
from pathways.validation import ValidationReport, shapes_for, validate
from pathways.validation.profiles import Shapes

__all__ = ["Upload", "safe_name", "validate_upload"]

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its bytes and a safe file name (whose suffix is its format)."""

    data: bytes
    name: str


def safe_name(filename: str | None, fallback: str = "upload") -> str:
    """The client's file name reduced to a safe base name.

    >>> safe_name("../../etc/my data.ttl"), safe_name(None)
    ('my_data.ttl', 'upload')
    """
    return _SAFE_NAME.sub("_", Path(filename or fallback).name) or fallback


def _check_suffix(name: str) -> None:
    if Path(name).suffix.lower() not in FORMATS:
        raise InputError(
            f"unknown RDF format {Path(name).suffix or '(no suffix)'!r}",
            path=name,
            hint="use one of " + ", ".join(sorted(FORMATS)),
        )


def validate_upload(
    data: Upload, profiles: Sequence[str] = (), shapes_files: Sequence[Upload] = ()
) -> tuple[ValidationReport, Shapes]:
    """Validate ``data`` alone (with the bundled ontology) against the ``profiles`` and
    the uploaded shapes files (neither: the core profiles, as the CLI's default)."""
    for upload in (data, *shapes_files):
        _check_suffix(upload.name)
    ram = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(prefix="pathways-upload-", dir=ram) as folder:
        shape_paths = []
        for i, upload in enumerate(shapes_files):
            path = Path(folder) / f"shapes-{i}" / upload.name
            path.parent.mkdir()
            path.write_bytes(upload.data)
            shape_paths.append(path)
        path = Path(folder) / "data" / data.name
        path.parent.mkdir()
        path.write_bytes(data.data)
        try:
            shapes = shapes_for(tuple(profiles), shape_paths, default_core=True)
            with KnowledgeGraph.open() as kg:
                kg.load([path])
                return validate(kg, shapes), shapes
        except PathwaysError as err:
            if err.path is not None and str(err.path).startswith(folder):
                err.path = Path(err.path).name  # the client's file name, not our path
            raise
