"""The reports for people: ``human`` (what was checked, results by credential, the
verdict and counts, a summary by rule) and ``table`` (one aligned line a result)."""

from __future__ import annotations

from collections import defaultdict

from rdflib import BNode, URIRef
from rdflib.term import Node

from pathways.validation.profiles import CORE_PROFILES
from pathways.validation.render.report import (
    LEVELS,
    ReportContext,
    by_rule,
    listed_results,
    passes,
    plural,
    rank,
    short_path,
    summary,
    worst_ranks,
)
from pathways.validation.results import ValidationReport, ValidationResult

__all__ = ["human", "table"]


def table(report: ValidationReport, context: ReportContext | None = None) -> str:
    """An aligned text table of the listed results: severity, focus, path, message."""
    context = context or ReportContext()
    lines = [
        (r.severity_name, report.describe(r.focus), short_path(r.path), r.message)
        for r in listed_results(report, context)
    ]
    header = ("SEVERITY", "FOCUS", "PATH", "MESSAGE")
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(3)]
    out = []
    for row in [header, *lines]:
        out.append("  ".join(row[i].ljust(widths[i]) for i in range(3)) + "  " + row[3])
    return "\n".join(out) + "\n"


def _component_name(component: URIRef) -> str:
    return str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")


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
        what.append(plural(shapes.shape_count, "shape"))
    out.append(f"Checked: {'; '.join(what) or 'the given shapes graph'}.")
    out.append(
        f"Data: {plural(len(report.checked), 'credential')} "
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
    for r in listed_results(report, context):
        groups[report.anchor(r)].append(r)
    worst = worst_ranks(report)
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
        for r in sorted(groups[anchor], key=rank):  # stable: report order within a severity
            where = short_path(r.path) if r.path is not None else ""
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
    out.extend(_by_rule(report, worst))
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
    caveat = f"; incomplete, see the {plural(warnings, 'warning')} above" if warnings else ""
    lines = [
        f"Result at --fail-on {context.fail_on}: {result} "
        f"({counts['credentials_failing']} of {plural(checked, 'credential')} with results "
        f"at or above {context.fail_on}; exit {0 if ok else 1}{caveat}).",
        f"SHACL conformance: {'conforms' if report.conforms else 'does not conform'} "
        f"({plural(counts['results'], 'result')}: {plural(counts['violations'], 'violation')}, "
        f"{plural(counts['warnings'], 'warning')}, {plural(counts['infos'], 'info')}; "
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


def _by_rule(report: ValidationReport, worst: dict[str, int]) -> list[str]:
    """One line a rule (shape and component, severity): results, nodes, an example."""
    entries = by_rule(report)
    if not entries:
        return ["Summary by rule: no results."]
    rows = [
        (
            e["severity"],
            str(e["results"]),
            str(e["nodes"]),
            e["rule"],
            report.labels.get(URIRef(e["example"]), e["example"]),
        )
        for e in entries
    ]
    header = ("SEVERITY", "RESULTS", "NODES", "RULE", "EXAMPLE")
    total = ("total", str(len(report.results)), str(len(worst)), "", "")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    out = [f"Summary by rule ({plural(len(rows), 'rule')} with results):"]
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
