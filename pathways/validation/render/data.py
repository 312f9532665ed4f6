"""The JSON and CSV reports: one row a listed result.

JSON schema (stable; keys are only ever added)::

    {"conforms": bool, "passes": bool, "profiles": [str],
     "checked": {"profiles": [str], "shapes_files": [str], "shapes": int | null,
                 "default": bool},
     "warnings": [str],
     "summary": {"credentials_checked": int, "credentials_conforming": int,
                 "credentials_with_violations": int,
                 "credentials_with_warnings_only": int,
                 "credentials_with_infos_only": int,
                 "fail_on": "violation" | "warning" | "info",
                 "credentials_failing": int, "credentials_passing": int,
                 "other_nodes_with_results": int,
                 "results": int, "violations": int, "warnings": int, "infos": int,
                 "results_listed": int},
     "results": [{"focus": str, "focus_label": str, "about": str, "path": str | null,
                  "severity": "Violation" | "Warning" | "Info", "message": str,
                  "shape": str | null, "component": str, "value": str | null}]}

``focus`` is the focus node's IRI; for a blank node it is its description ("the
pw:assessment of https://..."), since blank-node ids are not stable. ``about`` is
the IRI the result is about (the focus, or the IRI a blank focus hangs from); a
credential is counted under its ``about``. ``path`` is the IRI of a simple path or a
SPARQL property path. ``shape`` is null for a blank shape. ``checked.shapes_files``
are file names; ``default`` is true when no profile or file was asked for.
"""

from __future__ import annotations

import io
import json
from typing import Any

from rdflib import BNode, URIRef
from rdflib.term import Node

from pathways.output import csv_writer
from pathways.validation.render.report import ReportContext, listed_results, passes, summary
from pathways.validation.results import PathExpr, ValidationReport, ValidationResult, path_text

__all__ = ["to_csv", "to_json"]


def _path(path: PathExpr | None) -> str | None:
    if path is None:
        return None
    return str(path) if isinstance(path, URIRef) else path_text(path)


def _node_text(report: ValidationReport, node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode):
        return report.describe(node)
    return str(node)


def _rows(report: ValidationReport, results: list[ValidationResult]) -> list[dict[str, Any]]:
    return [
        {
            "focus": _node_text(report, r.focus),
            "focus_label": report.describe(r.focus),
            "about": report.anchor(r),
            "path": _path(r.path),
            "severity": r.severity_name,
            "message": r.message,
            "shape": str(r.shape) if isinstance(r.shape, URIRef) else None,
            "component": str(r.component),
            "value": _node_text(report, r.value),
        }
        for r in results
    ]


def _checked(context: ReportContext, report: ValidationReport) -> dict[str, Any]:
    shapes = context.shapes
    return {
        "profiles": list(shapes.profiles if shapes else report.profiles),
        "shapes_files": [p.name for p in shapes.files] if shapes else [],
        "shapes": shapes.shape_count if shapes else None,
        "default": shapes.default if shapes else False,
    }


def to_json(report: ValidationReport, context: ReportContext | None = None) -> str:
    """The JSON report (schema in the module docstring)."""
    context = context or ReportContext()
    listed = listed_results(report, context)
    counts = summary(report, context.fail_on)
    counts["results_listed"] = len(listed)
    head = {
        "conforms": report.conforms,
        "passes": passes(report, context.fail_on),
        "profiles": list(report.profiles),
        "checked": _checked(context, report),
        "warnings": list(context.shapes.warnings) if context.shapes else [],
        "summary": counts,
        "results": [],
    }
    text = json.dumps(head, indent=2, ensure_ascii=False)
    rows = _rows(report, listed)
    if not rows:
        return text + "\n"
    # One result a line: readable, and written by json's C encoder (the indenting
    # encoder is pure Python: 4 s for the 210k results of 10k credentials).
    encode = json.JSONEncoder(ensure_ascii=False).encode
    lines = ",\n    ".join(encode(row) for row in rows)
    return text.removesuffix("[]\n}") + "[\n    " + lines + "\n  ]\n}\n"


#: CSV columns: the JSON result fields, ``about`` last (added later; positions kept).
_CSV_FIELDS = (
    "focus",
    "focus_label",
    "path",
    "severity",
    "message",
    "shape",
    "component",
    "value",
    "about",
)


def to_csv(report: ValidationReport, context: ReportContext | None = None) -> str:
    """One CSV row per listed result, the JSON result fields as columns."""
    context = context or ReportContext()
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(_CSV_FIELDS)
    rows = _rows(report, listed_results(report, context))
    writer.writerows([("" if row[f] is None else row[f]) for f in _CSV_FIELDS] for row in rows)
    return out.getvalue()
