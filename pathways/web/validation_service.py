"""The validation service page, ``/validate`` (the EU ITB SHACL validator is the model).

``GET /validate`` shows the form: a file to upload or data to paste (every RDF format
the CLI reads, by the file's suffix or the format chosen), the bundled profiles (the
core ones checked, the CLI's default) and/or an uploaded shapes file, the lowest
severity listed. ``POST /validate`` validates in memory with the calls of ``pathways
validate FILE`` (:mod:`pathways.web.uploads`) and answers the report grouped by
credential (most severe first; the first :data:`PAGE_LIMIT`), the verdicts and
counts, and the summary by rule.

Nothing is stored, so a download cannot point at a stored report: the form is posted
again with a ``format`` field (``json``, ``csv``, ``turtle``, ``sarif``: the CLI's
renderers, the same bytes as ``pathways validate FILE --format F``; SARIF's physical
locations name the file by its uploaded name, relative to ``%SRCROOT%``, and the log
gives no ``originalUriBaseIds``, the folder being the client's). The report page
carries the data it validated back in hidden fields for that (and for the severity
filter, ``severity``, which works without JavaScript). ``Accept: application/json``
(or ``format=json``) answers the JSON report; ``/validate.json`` the form's options.

The body is read with a cap before it is parsed: twice the upload cap (a data file and
a shapes file) plus 64 KiB for the other fields; over it, or a file over the cap, is a
413 page. Parts are kept in memory (Starlette's parser would spool a file over 1 MiB
to a temporary file on disk).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from rdflib import BNode, URIRef
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from pathways.errors import UsageError
from pathways.rdf.store import FORMATS
from pathways.validation import ValidationReport, bundled_profiles
from pathways.validation.profiles import CORE_PROFILES, Shapes
from pathways.validation.render import LEVELS, ReportContext, render, summary
from pathways.validation.render.report import by_rule, listed_results, rank, short_path
from pathways.web.negotiation import wants_json
from pathways.web.pages import templates
from pathways.web.settings import Explorer, explorer_of
from pathways.web.uploads import (
    TooLarge,
    Upload,
    form_file,
    read_form,
    safe_name,
    validate_located,
    validate_upload,
)

__all__ = ["DOWNLOADS", "PAGE_LIMIT", "router"]

router = APIRouter(include_in_schema=False)

#: Report downloads: format -> (media type, file suffix).
DOWNLOADS: dict[str, tuple[str, str]] = {
    "json": ("application/json", "json"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "turtle": ("text/turtle; charset=utf-8", "ttl"),
    "sarif": ("application/sarif+json", "sarif"),
}

#: The data formats of the form's select: suffix -> name (every suffix the CLI reads).
SYNTAXES: dict[str, str] = {
    ".ttl": "Turtle",
    ".nt": "N-Triples",
    ".nq": "N-Quads",
    ".trig": "TriG",
    ".jsonld": "JSON-LD",
    ".rdf": "RDF/XML",
}
assert set(SYNTAXES) <= set(FORMATS)

#: Credentials (or other nodes) the report page lists, most severe first (the counts
#: and the summary by rule cover all; the downloads list every result).
PAGE_LIMIT = 100


def _options(ex: Explorer) -> dict[str, Any]:
    profiles = sorted(bundled_profiles().values(), key=lambda p: p.name)
    return {
        "profiles": [
            {"name": p.name, "label": p.label, "includes": list(p.includes),
             "core": p.name in CORE_PROFILES}
            for p in profiles
        ],
        "syntaxes": [{"suffix": s, "name": n} for s, n in SYNTAXES.items()],
        "suffixes": sorted(FORMATS),
        "severities": list(LEVELS),
        "downloads": list(DOWNLOADS),
        "upload_cap": ex.settings.upload_cap,
    }  # fmt: skip


@router.get("/validate.json")
def validate_options(request: Request) -> JSONResponse:
    """What the form offers (profiles, formats, the cap), as JSON."""
    return JSONResponse(_options(explorer_of(request)))


@router.get("/validate")
def validate_form(request: Request, severity: str = "info") -> Response:
    ex = explorer_of(request)
    if wants_json(request.headers.get("accept")):
        return JSONResponse(_options(ex))
    _check("severity", severity)
    form = {"profiles": list(CORE_PROFILES), "severity": severity, "fail_on": "violation"}
    return templates.TemplateResponse(
        request, "validate.html", {"options": _options(ex), "form": form, "data": None}
    )


def _check(name: str, value: str) -> str:
    if value not in LEVELS:
        raise UsageError(f"{name} must be one of " + ", ".join(LEVELS))
    return value


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _named(name: str, syntax: str) -> str:
    """``name`` with the chosen format's suffix (none chosen: the file's own)."""
    if not syntax:
        return name
    if syntax not in FORMATS:
        raise UsageError(
            f"unknown RDF format {syntax!r}", hint="use one of " + ", ".join(sorted(FORMATS))
        )
    return Path(name).stem + syntax


def _too_large(request: Request, cap: int) -> Response:
    message = f"the upload is larger than the cap of {cap:,} bytes"
    if wants_json(request.headers.get("accept")):
        return JSONResponse({"error": message, "exit_code": 2}, status_code=413)
    return templates.TemplateResponse(request, "error.html", {"message": message}, status_code=413)


@router.post("/validate")
async def validate_post(request: Request) -> Response:
    ex = explorer_of(request)
    cap = ex.settings.upload_cap
    try:
        form = await read_form(request, cap)
        data = await form_file(form, "file", cap)
        shapes_file = await form_file(form, "shapes", cap)
    except TooLarge:
        return _too_large(request, cap)
    syntax = _text(form, "syntax")
    pasted = _text(form, "text")
    if data is not None:
        data = Upload(data.data, _named(data.name, syntax))
    elif pasted.strip():
        encoded = pasted.encode("utf-8")
        if len(encoded) > cap:
            return _too_large(request, cap)
        name = safe_name(_text(form, "name") or "pasted", "pasted")
        own = Path(name).suffix.lower()  # posted again: the name carries its format
        data = Upload(encoded, _named(name, syntax or (own if own in FORMATS else ".ttl")))
    else:
        raise UsageError("nothing to validate", hint="upload a file or paste RDF data")
    shapes_text = _text(form, "shapes_text")
    if shapes_file is None and shapes_text.strip():
        shapes_name = safe_name(_text(form, "shapes_name") or "shapes.ttl", "shapes.ttl")
        shapes_file = Upload(shapes_text.encode("utf-8"), shapes_name)
    profiles = [p for p in form.getlist("profile") if isinstance(p, str) and p]
    severity = _check("severity", _text(form, "severity") or "info")
    fail_on = _check("fail_on", _text(form, "fail_on") or "violation")
    fmt = _text(form, "format") or "html"
    if fmt == "html" and wants_json(request.headers.get("accept")):
        fmt = "json"
    if fmt != "html" and fmt not in DOWNLOADS:
        raise UsageError("format must be one of html, " + ", ".join(DOWNLOADS))
    shapes_files = (shapes_file,) if shapes_file is not None else ()
    sources = None
    if fmt == "sarif":  # SARIF points at the upload's lines
        report, shapes, sources = await run_in_threadpool(
            ex.call, validate_located, data, profiles, shapes_files
        )
    else:
        report, shapes = await run_in_threadpool(
            ex.call, validate_upload, data, profiles, shapes_files
        )
    context = ReportContext(shapes=shapes, fail_on=fail_on, show=severity, sources=sources)
    if fmt != "html":
        text = await run_in_threadpool(render, report, fmt, context)
        media, suffix = DOWNLOADS[fmt]
        filename = f"{Path(data.name).stem}-report.{suffix}"
        return Response(
            text.encode("utf-8"),
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    view = report_view(report, shapes, context)
    state = {
        "profiles": profiles,
        "severity": severity,
        "fail_on": fail_on,
        "name": data.name,
        "text": _resubmittable(data),
        "shapes_name": shapes_file.name if shapes_file else "",
        "shapes_text": _resubmittable(shapes_file) if shapes_file else "",
    }
    response = templates.TemplateResponse(
        request, "validate.html", {"options": _options(ex), "form": state, "data": view}
    )
    assert isinstance(response, HTMLResponse)
    return response


def _resubmittable(upload: Upload) -> str | None:
    """The upload as text for the hidden field that posts it again (None: not UTF-8)."""
    try:
        return upload.data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def report_view(report: ValidationReport, shapes: Shapes, context: ReportContext) -> dict[str, Any]:
    """What the report page shows: the counts and verdicts, the results grouped by
    credential (the lowest severity listed is ``context.show``) and the summary by rule."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for r in listed_results(report, context):
        groups[report.anchor(r)].append(r)
    worst: dict[str, int] = {}
    for anchor, results in groups.items():
        worst[anchor] = min(rank(r) for r in results)

    def order(anchor: str) -> tuple[int, str]:
        return (worst[anchor], report.describe(URIRef(anchor)).lower())

    credentials = []
    anchors = sorted(groups, key=order)
    for anchor in anchors[:PAGE_LIMIT]:
        rows = []
        for r in sorted(groups[anchor], key=rank):
            where = short_path(r.path) if r.path is not None else ""
            if isinstance(r.focus, BNode):
                where = f"{report.describe(r.focus)} {where}".strip()
            rows.append(
                {
                    "severity": r.severity_name,
                    "message": r.message,
                    "where": where,
                    "value": None if r.value is None else report.describe(r.value),
                    "rule": f"{report.describe(r.shape)} "
                    f"({str(r.component).rsplit('#', 1)[-1].removesuffix('ConstraintComponent')})",
                }
            )
        credentials.append(
            {"iri": anchor, "label": report.labels.get(URIRef(anchor), anchor), "results": rows}
        )
    counts = summary(report, context.fail_on)
    return {
        "conforms": report.conforms,
        "passes": not report.at_or_above(LEVELS[context.fail_on]),
        "checked": {
            "profiles": list(shapes.profiles),
            "shapes_files": [p.name for p in shapes.files],
            "shapes": shapes.shape_count,
            "default": shapes.default,
        },
        "warnings": list(shapes.warnings),
        "summary": counts,
        "severity": context.show,
        "credentials": credentials,
        "not_listed": max(0, len(anchors) - PAGE_LIMIT),
        "by_rule": by_rule(report),
    }
