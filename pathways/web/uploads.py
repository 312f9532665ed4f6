"""Uploads read in memory: data to validate and holdings files.

Validation is what ``POST /api/validate`` and the validation service page
(``/validate``) share, and the same library calls as ``pathways validate FILE``:
:func:`pathways.validation.shapes_for` and :func:`pathways.validation.validate`. A
holdings file (the planner, ``POST /api/route``, ``/api/gap``, ``/api/stack``) is read
by :func:`read_holdings_upload` as ``--holding`` reads one.

The bytes are written, for the parser, into a private temporary folder on ``/dev/shm``
(RAM) where the machine has one, and the folder is removed before the answer is sent;
a private graph (the bundled ontology and the file) is opened for them, so an upload
never joins the served graph. Errors name the client's file name, not the
temporary path. :func:`read_form` reads a form's body with a cap and keeps every part
in memory (Starlette's own parser spools a file over 1 MiB to a temporary file).
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import tempfile
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import FormData, Headers, UploadFile
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import Request

from pathways.errors import InputError, PathwaysError, UsageError
from pathways.rdf.locations import Located, Source, located
from pathways.rdf.store import FORMATS, KnowledgeGraph
from pathways.routing.holdings import Award, read_holdings
from pathways.validation import ValidationReport, shapes_for, validate
from pathways.validation.profiles import Shapes

__all__ = [
    "TooLarge",
    "Upload",
    "form_file",
    "read_form",
    "read_holdings_upload",
    "safe_name",
    "validate_located",
    "validate_upload",
]

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_FIELDS_ALLOWANCE = 64 * 1024


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
    report, shapes, _ = _validate(data, profiles, shapes_files, locate=False)
    return report, shapes


def validate_located(
    data: Upload, profiles: Sequence[str] = (), shapes_files: Sequence[Upload] = ()
) -> tuple[ValidationReport, Shapes, Located]:
    """:func:`validate_upload`, and where the upload writes its subjects (for SARIF's
    physical locations: the file named by the upload's name alone, as ``pathways
    validate NAME`` run in the folder that holds it names it)."""
    report, shapes, sources = _validate(data, profiles, shapes_files, locate=True)
    assert sources is not None
    return report, shapes, sources


def _validate(
    data: Upload, profiles: Sequence[str], shapes_files: Sequence[Upload], *, locate: bool
) -> tuple[ValidationReport, Shapes, Located | None]:
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
                report = validate(kg, shapes)
            sources = None
            if locate:  # the base IRI the upload was parsed with: its temporary path
                source = Source(data.name, data.data, path.resolve().as_uri())
                sources = located([source])
            return report, shapes, sources
        except PathwaysError as err:
            if err.path is not None and str(err.path).startswith(folder):
                err.path = Path(err.path).name  # the client's file name, not our path
            raise


def read_holdings_upload(upload: Upload) -> tuple[Award, ...]:
    """The awards of an uploaded holdings file, read as ``--holding`` reads a file
    (:func:`pathways.routing.holdings.read_holdings`: RDF by suffix with issue and
    expiry dates, else one IRI a line); awards and errors name the client's file."""
    ram = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(prefix="pathways-holding-", dir=ram) as folder:
        path = Path(folder) / upload.name
        path.write_bytes(upload.data)
        try:
            awards = read_holdings(path)
        except PathwaysError as err:
            if err.path is not None and str(err.path).startswith(folder):
                err.path = upload.name
            raise
    return tuple(dataclasses.replace(a, path=upload.name) for a in awards)


class _InMemoryParser(MultiPartParser):
    """Starlette's multipart parser, every part kept in memory (the body is capped)."""

    spool_max_size = sys.maxsize


class TooLarge(Exception):
    """The body or a file is over the cap."""


async def read_form(request: Request, cap: int) -> FormData:
    """The request's form, its body read first with a cap (:class:`TooLarge` over twice
    ``cap`` plus 64 KiB: a data file, a shapes file and the other fields), every part
    kept in memory (Starlette's parser spools a file over 1 MiB to a temporary file on
    disk)."""
    limit = 2 * cap + _FIELDS_ALLOWANCE
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise TooLarge

    async def stream() -> AsyncGenerator[bytes, None]:
        yield bytes(body)

    headers = Headers(scope=request.scope)
    kind = headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if kind == "multipart/form-data":
            return await _InMemoryParser(headers, stream(), max_part_size=cap + 1).parse()
        if kind == "application/x-www-form-urlencoded":
            return await FormParser(headers, stream()).parse()
    except MultiPartException as err:
        raise UsageError(f"malformed form: {err.message}") from err
    raise UsageError("send the form as multipart/form-data (or form-urlencoded)")


async def form_file(form: FormData, name: str, cap: int) -> Upload | None:
    """The file of field ``name`` (None: none sent); :class:`TooLarge` over ``cap``."""
    value = form.get(name)
    if not isinstance(value, UploadFile) or not value.filename:
        return None
    data = await value.read()
    if len(data) > cap:
        raise TooLarge
    return Upload(data, safe_name(value.filename))
