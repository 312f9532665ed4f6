"""Renderers of a :class:`~pathways.validation.results.ValidationReport`.

Formats: ``human`` (grouped by credential, labels, fixes, a summary), ``table``
(one aligned line a result), ``json`` (the documented schema below), ``csv`` and
``turtle`` (a standard ``sh:ValidationReport``). Same report, same bytes.

JSON schema (stable)::

    {"conforms": bool, "profiles": [str],
     "summary": {"credentials_checked": int, "credentials_conforming": int,
                 "results": int, "violations": int, "warnings": int, "infos": int},
     "results": [{"focus": str, "focus_label": str, "path": str | null,
                  "severity": "Violation" | "Warning" | "Info", "message": str,
                  "shape": str | null, "component": str, "value": str | null}]}

``focus`` is the focus node's IRI; for a blank node it is its description ("the
pw:assessment of https://..."), since blank-node ids are not stable. ``path`` is the
IRI of a simple path or a SPARQL property path. ``shape`` is null for a blank shape.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from rdflib import BNode, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.output import csv_writer
from pathways.rdf.iris import shorten
from pathways.rdf.terms import ground_term, quoted
from pathways.validation.results import PathExpr, ValidationReport, ValidationResult, path_text
from pathways.vocab import PREFIXES

__all__ = ["FORMATS", "render"]

FORMATS = ("human", "table", "json", "csv", "turtle")
_SHORT = {ns: prefix for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))}


def render(report: ValidationReport, fmt: str) -> str:
    """Render a report in one of :data:`FORMATS`."""
    renderers = {
        "human": human,
        "table": table,
        "json": to_json,
        "csv": to_csv,
        "turtle": to_turtle,
    }
    return renderers[fmt](report)


def summary(report: ValidationReport) -> dict[str, int]:
    """Counts for the summary: credentials checked and conforming, results by severity."""
    failing = {_anchor(report, r) for r in report.results}
    checked = {str(c) for c in report.checked}
    return {
        "credentials_checked": len(checked),
        "credentials_conforming": len(checked - failing),
        "results": len(report.results),
        "violations": report.count(SH.Violation),
        "warnings": report.count(SH.Warning),
        "infos": report.count(SH.Info),
    }


def _anchor(report: ValidationReport, result: ValidationResult) -> str:
    return report.anchor(result)


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


def _rows(report: ValidationReport) -> list[dict[str, Any]]:
    return [
        {
            "focus": _node_text(report, r.focus),
            "focus_label": report.describe(r.focus),
            "path": _path(r.path),
            "severity": r.severity_name,
            "message": r.message,
            "shape": str(r.shape) if isinstance(r.shape, URIRef) else None,
            "component": str(r.component),
            "value": _node_text(report, r.value),
        }
        for r in report.results
    ]


def to_json(report: ValidationReport) -> str:
    """The JSON report (schema in the module docstring)."""
    head = {
        "conforms": report.conforms,
        "profiles": list(report.profiles),
        "summary": summary(report),
        "results": [],
    }
    text = json.dumps(head, indent=2, ensure_ascii=False)
    rows = _rows(report)
    if not rows:
        return text + "\n"
    # One result a line: readable, and written by json's C encoder (the indenting
    # encoder is pure Python: 4 s for the 210k results of 10k credentials).
    encode = json.JSONEncoder(ensure_ascii=False).encode
    lines = ",\n    ".join(encode(row) for row in rows)
    return text.removesuffix("[]\n}") + "[\n    " + lines + "\n  ]\n}\n"


def to_csv(report: ValidationReport) -> str:
    """One CSV row per result, the JSON result fields as columns."""
    out = io.StringIO()
    fields = ["focus", "focus_label", "path", "severity", "message", "shape", "component", "value"]
    writer = csv_writer(out)
    writer.writerow(fields)
    writer.writerows([("" if v is None else v) for v in row.values()] for row in _rows(report))
    return out.getvalue()


def table(report: ValidationReport) -> str:
    """An aligned text table: severity, focus, path, message."""
    lines = [
        (r.severity_name, report.describe(r.focus), _short_path(r.path), r.message)
        for r in report.results
    ]
    header = ("SEVERITY", "FOCUS", "PATH", "MESSAGE")
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(3)]
    out = []
    for row in [header, *lines]:
        out.append("  ".join(row[i].ljust(widths[i]) for i in range(3)) + "  " + row[3])
    return "\n".join(out) + "\n"


def _short_path(path: PathExpr | None) -> str:
    if path is None:
        return "-"
    return path_text(path, _SHORT)


def _component_name(component: URIRef) -> str:
    return str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")


def human(report: ValidationReport) -> str:
    """The report for people: results grouped by credential, then a summary."""
    groups: dict[str, list[ValidationResult]] = defaultdict(list)
    for r in report.results:
        groups[_anchor(report, r)].append(r)
    out: list[str] = []
    for anchor in sorted(groups, key=lambda a: report.describe(URIRef(a)).lower()):
        results = groups[anchor]
        out.append(report.labels.get(URIRef(anchor), anchor))
        for r in results:
            where = _short_path(r.path) if r.path is not None else ""
            if isinstance(r.focus, BNode):
                where = f"{report.describe(r.focus)} {where}".strip()
            out.append(f"  {r.severity_name.upper()}: {r.message}")
            detail = [f"rule {report.describe(r.shape)} ({_component_name(r.component)})"]
            if where:
                detail.insert(0, f"at {where}")
            if r.value is not None:
                detail.append(f"value {report.describe(r.value)!r}")
            out.append("    " + "; ".join(detail))
        out.append("")
    counts = summary(report)
    profiles = ", ".join(report.profiles) or "the given shapes"
    verdict = "conforms" if report.conforms else "does not conform"
    out.append(
        f"Checked against {profiles}: {verdict}. "
        f"{counts['credentials_checked']} credentials checked, "
        f"{counts['credentials_conforming']} conforming; "
        f"{counts['violations']} violations, {counts['warnings']} warnings, "
        f"{counts['infos']} infos."
    )
    return "\n".join(out) + "\n"


def to_turtle(report: ValidationReport) -> str:
    """A standard SHACL ``sh:ValidationReport`` in Turtle, results in report order.

    Written directly rather than through rdflib's serializer, which sorts and
    nests a whole graph in Python (155 s for the 210k results of 10k credentials;
    this writer takes 4.4-4.9 s). Blank focus nodes, values and shapes get ids
    derived from their descriptions, so the same report gives the same bytes.
    """
    conforms = "true" if report.conforms else "false"
    out = [f"[] a sh:ValidationReport ;\n    sh:conforms {conforms}"]
    written: dict[object, str] = {}  # terms, paths and messages repeat: each written once

    def once(key: Any, write: Callable[[Any], str]) -> str:
        found = written.get(key)
        if found is None:
            found = written[key] = write(key)
        return found

    def term(node: Node) -> str:
        return once(node, lambda n: _ttl(_stable(n, report)))

    def path(expr: PathExpr) -> str:
        return once(expr, _ttl_path)

    def message(text: str) -> str:
        return once(text, quoted)

    blocks = []
    for r in report.results:
        lines = [
            "a sh:ValidationResult",
            f"sh:focusNode {term(r.focus)}",
            *(f"sh:resultMessage {message(m)}" for m in r.messages),
        ]
        if r.path is not None:
            lines.append(f"sh:resultPath {path(r.path)}")
        lines.append(f"sh:resultSeverity {term(r.severity)}")
        lines.append(f"sh:sourceConstraintComponent {term(r.component)}")
        lines.append(f"sh:sourceShape {term(r.shape)}")
        if r.value is not None:
            lines.append(f"sh:value {term(r.value)}")
        blocks.append("[ " + " ;\n            ".join(lines) + " ]")
    if blocks:
        out[-1] += " ;\n    sh:result " + ",\n        ".join(blocks)
    out[-1] += " ."
    body = "\n".join(out) + "\n"
    # Every term follows a space (a datatype follows ^^): declare the prefixes used.
    used = sorted(p for p in PREFIXES if f" {p}:" in body or f"^^{p}:" in body)
    return "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in used) + "\n" + body


def _ttl(node: Node) -> str:
    """A term in Turtle: a prefixed name where one fits, else <iri>, a literal or _:id."""
    return ground_term(node, _ttl_iri) or f"_:{node}"


def _ttl_iri(iri: str) -> str:
    text = shorten(iri)
    return text if not text.startswith("<") else "<" + _iri_escape(iri) + ">"


_IRI_UNSAFE = re.compile(r'[<>"{}|^`\\\x00-\x20]')


def _iri_escape(iri: str) -> str:
    if not _IRI_UNSAFE.search(iri):
        return iri
    return "".join(f"\\u{ord(c):04X}" if c in '<>"{}|^`\\' or ord(c) <= 0x20 else c for c in iri)


def _ttl_path(path: PathExpr) -> str:
    """A SHACL path in Turtle: the IRI, or nested blank nodes and lists."""
    if isinstance(path, URIRef):
        return _ttl(path)
    operator, operand = path
    if operator == "/":
        return "( " + " ".join(_ttl_path(p) for p in operand) + " )"
    if operator == "|":
        return "[ sh:alternativePath ( " + " ".join(_ttl_path(p) for p in operand) + " ) ]"
    predicate = {"^": "sh:inversePath", "*": "sh:zeroOrMorePath", "+": "sh:oneOrMorePath"}.get(
        operator, "sh:zeroOrOnePath"
    )
    return f"[ {predicate} {_ttl_path(operand[0])} ]"


def _stable(node: Node, report: ValidationReport) -> Node:
    # Blank nodes get ids derived from their description, so output is reproducible.
    if isinstance(node, BNode):
        return BNode(f"n{_digest(report.describe(node))}")
    return node


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
