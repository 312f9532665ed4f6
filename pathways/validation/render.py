"""Renderers of a :class:`~pathways.validation.results.ValidationReport`.

Formats: ``human`` (what was checked, results grouped by credential with the
credentials with violations first, then the verdict and a summary by rule),
``table`` (one aligned line a result), ``json`` (the documented schema below),
``csv`` and ``turtle`` (a standard ``sh:ValidationReport``). Same report, same bytes.

Two verdicts, both in every report but Turtle. SHACL's (section 3.6): a data graph
*conforms* iff validation produces no result at all, whatever the severities (an
``sh:Info`` result makes it not conform). The run's: it *passes* iff no result is
at or above the chosen ``fail_on`` severity (``--fail-on``, default Violation), as
the EU Interoperability Test Bed validators report SUCCESS while there are no
errors and count errors, warnings and messages apart. Credentials are counted
once, by their most severe result: with violations, with warnings only, with infos
only, or conforming (no result at all).

:class:`ReportContext` says what was checked (profiles, files, shape count, warnings
such as unloaded ``owl:imports``), the ``fail_on`` severity and the lowest severity
listed (``show``; the counts always cover every result, and Turtle always lists
every result, being a SHACL report).

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

import hashlib
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib import BNode, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.output import csv_writer
from pathways.rdf.iris import shorten
from pathways.rdf.terms import ground_term, quoted
from pathways.validation.profiles import CORE_PROFILES, Shapes
from pathways.validation.results import (
    SEVERITIES,
    PathExpr,
    ValidationReport,
    ValidationResult,
    path_text,
)
from pathways.vocab import PREFIXES

__all__ = ["FORMATS", "LEVELS", "ReportContext", "passes", "render", "summary"]

FORMATS = ("human", "table", "json", "csv", "turtle")
#: Severity names for ``--fail-on`` and ``--severity``, most severe first.
LEVELS: dict[str, URIRef] = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}
_SHORT = {ns: prefix for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))}
_RANK = {str(iri): rank for rank, iri in enumerate(SEVERITIES)}  # custom severities: 0


@dataclass(frozen=True)
class ReportContext:
    """What a report says about its run besides the results.

    ``shapes`` is what was checked (None: a plain shapes graph, nothing to say);
    ``fail_on`` the lowest severity that fails the run; ``show`` the lowest severity
    listed (the summary counts every result); ``limit`` the most credentials (or
    other nodes) the human report lists, most severe first (None: all).
    """

    shapes: Shapes | None = None
    fail_on: str = "violation"
    show: str = "info"
    limit: int | None = None


def render(report: ValidationReport, fmt: str, context: ReportContext | None = None) -> str:
    """Render a report in one of :data:`FORMATS`."""
    renderers: dict[str, Callable[[ValidationReport, ReportContext], str]] = {
        "human": human,
        "table": table,
        "json": to_json,
        "csv": to_csv,
        "turtle": lambda r, _c: to_turtle(r),
    }
    return renderers[fmt](report, context or ReportContext())


def _rank(result: ValidationResult) -> int:
    return _RANK.get(str(result.severity), 0)


def _listed(report: ValidationReport, context: ReportContext) -> list[ValidationResult]:
    if context.show == "info":
        return list(report.results)
    return report.at_or_above(LEVELS[context.show])


def _worst(report: ValidationReport) -> dict[str, int]:
    """The most severe rank (0 Violation, 1 Warning, 2 Info) of each result's anchor."""
    worst: dict[str, int] = {}
    for r in report.results:
        anchor = report.anchor(r)
        rank = _rank(r)
        if rank < worst.get(anchor, 3):
            worst[anchor] = rank
    return worst


def summary(
    report: ValidationReport, fail_on: str = "violation", worst: dict[str, int] | None = None
) -> dict[str, Any]:
    """The counts of the summary (keys as in the JSON schema of this module).

    ``worst`` is :func:`_worst` of the report, when the caller has it already.

    >>> from pathways.validation.results import ValidationReport
    >>> summary(ValidationReport(results=()))["credentials_conforming"]
    0
    """
    worst = _worst(report) if worst is None else worst
    checked = {str(c) for c in report.checked}
    by_rank = Counter(worst[c] for c in checked if c in worst)
    threshold = list(LEVELS).index(fail_on)
    failing = sum(1 for c in checked if worst.get(c, 3) <= threshold)
    return {
        "credentials_checked": len(checked),
        "credentials_conforming": len(checked) - sum(by_rank.values()),
        "credentials_with_violations": by_rank[0],
        "credentials_with_warnings_only": by_rank[1],
        "credentials_with_infos_only": by_rank[2],
        "fail_on": fail_on,
        "credentials_failing": failing,
        "credentials_passing": len(checked) - failing,
        "other_nodes_with_results": len(set(worst) - checked),
        "results": len(report.results),
        "violations": report.count(SH.Violation),
        "warnings": report.count(SH.Warning),
        "infos": report.count(SH.Info),
    }


def passes(report: ValidationReport, fail_on: str) -> bool:
    """True when no result is at or above ``fail_on``."""
    return not report.at_or_above(LEVELS[fail_on])


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
    listed = _listed(report, context)
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
    rows = _rows(report, _listed(report, context))
    writer.writerows([("" if row[f] is None else row[f]) for f in _CSV_FIELDS] for row in rows)
    return out.getvalue()


def table(report: ValidationReport, context: ReportContext | None = None) -> str:
    """An aligned text table of the listed results: severity, focus, path, message."""
    context = context or ReportContext()
    lines = [
        (r.severity_name, report.describe(r.focus), _short_path(r.path), r.message)
        for r in _listed(report, context)
    ]
    header = ("SEVERITY", "FOCUS", "PATH", "MESSAGE")
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(3)]
    out = []
    for row in [header, *lines]:
        out.append("  ".join(row[i].ljust(widths[i]) for i in range(3)) + "  " + row[3])
    return "\n".join(out) + "\n"


@lru_cache(maxsize=4096)
def _short_path(path: PathExpr | None) -> str:
    if path is None:
        return "-"
    return path_text(path, _SHORT)


def _component_name(component: URIRef) -> str:
    return str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _header(report: ValidationReport, context: ReportContext) -> list[str]:
    """What was checked, how, and what may be missing."""
    shapes = context.shapes
    profiles = list(shapes.profiles if shapes else report.profiles)
    out = []
    if shapes is not None and shapes.default:
        out.append(
            "No --profile or --shapes given: checked the core of the mission, pathway "
            f"conditionality and stackability integrity ({', '.join(CORE_PROFILES)})."
        )
    what = [f"profiles {', '.join(profiles)}"] if profiles else []
    if shapes is not None:
        what.append(f"files {', '.join(p.name for p in shapes.files)}")
        what.append(_plural(shapes.shape_count, "shape"))
    out.append(f"Checked: {'; '.join(what) or 'the given shapes graph'}.")
    out.append(
        f"Data: {_plural(len(report.checked), 'credential')} "
        f"(pw:CredentialSpecification), and every other node the shapes target."
    )
    if context.show != "info":
        names = list(LEVELS)[: list(LEVELS).index(context.show) + 1]
        listed = " and ".join(f"{name}s" for name in names)
        out.append(f"Listing {listed} only (--severity {context.show}); the counts cover all.")
    if shapes is not None:
        out.extend(f"WARNING: {w}" for w in shapes.warnings)
    return out


def human(report: ValidationReport, context: ReportContext | None = None) -> str:
    """The report for people: what was checked, results by credential (most severe
    first), the verdict and counts, and last a summary by rule."""
    context = context or ReportContext()
    groups: dict[str, list[ValidationResult]] = defaultdict(list)
    for r in _listed(report, context):
        groups[report.anchor(r)].append(r)
    worst = _worst(report)
    rule_names: dict[tuple[Node, URIRef], str] = {}

    def rule_name(r: ValidationResult) -> str:
        found = rule_names.get((r.shape, r.component))
        if found is None:
            found = rule_names[r.shape, r.component] = _rule_name(report, r)
        return found

    out: list[str] = [*_header(report, context), ""]

    def order(anchor: str) -> tuple[int, str]:
        return (worst[anchor], report.describe(URIRef(anchor)).lower())

    anchors = sorted(groups, key=order)
    for anchor in anchors[: context.limit]:
        out.append(report.labels.get(URIRef(anchor), anchor))
        for r in sorted(groups[anchor], key=_rank):  # stable: report order within a severity
            where = _short_path(r.path) if r.path is not None else ""
            if isinstance(r.focus, BNode):
                where = f"{report.describe(r.focus)} {where}".strip()
            out.append(f"  {r.severity_name.upper()}: {r.message}")
            detail = [f"rule {rule_name(r)}"]
            if where:
                detail.insert(0, f"at {where}")
            if r.value is not None:
                detail.append(f"value {report.describe(r.value)!r}")
            out.append("    " + "; ".join(detail))
        out.append("")
    if context.limit is not None and len(anchors) > context.limit:
        more = len(anchors) - context.limit
        out.extend([f"... and {more} more not listed (--limit {context.limit}).", ""])
    out.extend(_verdict(report, context, worst))
    out.append("")
    out.extend(_by_rule(report, worst, rule_name))
    return "\n".join(out) + "\n"


def _rule_name(report: ValidationReport, result: ValidationResult) -> str:
    return f"{report.describe(result.shape)} ({_component_name(result.component)})"


def _verdict(report: ValidationReport, context: ReportContext, worst: dict[str, int]) -> list[str]:
    """The verdict at --fail-on, SHACL's verdict, and the counts (ITB-style summary)."""
    counts = summary(report, context.fail_on, worst)
    ok = passes(report, context.fail_on)
    checked = counts["credentials_checked"]
    result = "PASS" if ok else "FAIL"
    warnings = len(context.shapes.warnings) if context.shapes else 0
    caveat = f"; incomplete, see the {_plural(warnings, 'warning')} above" if warnings else ""
    lines = [
        f"Result at --fail-on {context.fail_on}: {result} "
        f"({counts['credentials_failing']} of {_plural(checked, 'credential')} with results "
        f"at or above {context.fail_on}; exit {0 if ok else 1}{caveat}).",
        f"SHACL conformance: {'conforms' if report.conforms else 'does not conform'} "
        f"({_plural(counts['results'], 'result')}: {_plural(counts['violations'], 'violation')}, "
        f"{_plural(counts['warnings'], 'warning')}, {_plural(counts['infos'], 'info')}; "
        "SHACL conforms only with no result at all).",
        f"Credentials: {counts['credentials_with_violations']} with violations, "
        f"{counts['credentials_with_warnings_only']} with warnings only, "
        f"{counts['credentials_with_infos_only']} with infos only, "
        f"{counts['credentials_conforming']} conforming (no result).",
    ]
    others = counts["other_nodes_with_results"]
    if not checked:  # data without pw:CredentialSpecification (ELM, CTDL, ...)
        lines[-1] = "Credentials: none in the data (no pw:CredentialSpecification)."
    if others:
        lines.append(f"Other nodes with results: {others} (not credentials; listed above).")
    return lines


def _by_rule(
    report: ValidationReport,
    worst: dict[str, int],
    rule_name: Callable[[ValidationResult], str],
) -> list[str]:
    """One line a rule (shape and component, severity): results, nodes, an example."""
    rules: dict[tuple[int, str], list[Any]] = {}
    for r in report.results:
        key = (_rank(r), rule_name(r))
        entry = rules.get(key)
        anchor = report.anchor(r)
        if entry is None:
            rules[key] = [r.severity_name, 1, {anchor}, anchor]
        else:
            entry[1] += 1
            entry[2].add(anchor)
    if not rules:
        return ["Summary by rule: no results."]
    rows = [
        (severity, str(count), str(len(anchors)), rule, report.labels.get(URIRef(example), example))
        for (_rank_, rule), (severity, count, anchors, example) in sorted(
            rules.items(), key=lambda kv: (kv[0][0], -kv[1][1], kv[0][1])
        )
    ]
    header = ("SEVERITY", "RESULTS", "NODES", "RULE", "EXAMPLE")
    total = ("total", str(len(report.results)), str(len(worst)), "", "")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    out = [f"Summary by rule ({_plural(len(rows), 'rule')} with results):"]
    for row in [header, *rows, total]:
        cells = [
            row[0].ljust(widths[0]),
            row[1].rjust(widths[1]),
            row[2].rjust(widths[2]),
            row[3].ljust(widths[3]),
            row[4],
        ]
        out.append("  " + "  ".join(cells).rstrip())
    return out


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
