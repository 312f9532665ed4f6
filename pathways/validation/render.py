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

import csv
import hashlib
import io
import json
from collections import defaultdict
from typing import Any

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

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
    document = {
        "conforms": report.conforms,
        "profiles": list(report.profiles),
        "summary": summary(report),
        "results": _rows(report),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def to_csv(report: ValidationReport) -> str:
    """One CSV row per result, the JSON result fields as columns."""
    out = io.StringIO()
    fields = ["focus", "focus_label", "path", "severity", "message", "shape", "component", "value"]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in _rows(report):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
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
    """A standard SHACL ``sh:ValidationReport`` in Turtle."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    root = BNode("report")
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms)))
    for index, r in enumerate(report.results):
        node = BNode(f"r{index}")
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, _stable(r.focus, report)))
        graph.add((node, SH.resultSeverity, r.severity))
        graph.add((node, SH.sourceShape, _stable(r.shape, report)))
        graph.add((node, SH.sourceConstraintComponent, r.component))
        if r.path is not None:
            graph.add((node, SH.resultPath, _path_node(graph, r.path, f"r{index}p")))
        if r.value is not None:
            graph.add((node, SH.value, _stable(r.value, report)))
        for message in r.messages:
            graph.add((node, SH.resultMessage, Literal(message)))
    return graph.serialize(format="turtle")


def _stable(node: Node, report: ValidationReport) -> Node:
    # Blank nodes get ids derived from their description, so output is reproducible.
    if isinstance(node, BNode):
        return BNode(f"n{_digest(report.describe(node))}")
    return node


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _path_node(graph: Graph, path: PathExpr, stem: str) -> Node:
    if isinstance(path, URIRef):
        return path
    operator, operand = path
    node = BNode(stem)
    if operator in ("/", "|"):
        items = [_path_node(graph, p, f"{stem}{i}") for i, p in enumerate(operand)]
        head = BNode(f"{stem}l") if operator == "|" else node
        Collection(graph, head, items)
        if operator == "|":
            graph.add((node, SH.alternativePath, head))
        return node
    predicate = {"^": SH.inversePath, "*": SH.zeroOrMorePath, "+": SH.oneOrMorePath}.get(
        operator, SH.zeroOrOnePath
    )
    graph.add((node, predicate, _path_node(graph, operand[0], f"{stem}i")))
    return node
