"""What every report format shares: the run's context, the verdicts and the counts.

>>> from pathways.validation.results import ValidationReport
>>> passes(ValidationReport(results=()), "violation")
True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib import URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.rdf.locations import Located
from pathways.validation.profiles import Shapes
from pathways.validation.results import (
    SEVERITIES,
    PathExpr,
    ValidationReport,
    ValidationResult,
    path_text,
)
from pathways.vocab import PREFIXES

__all__ = [
    "LEVELS",
    "ReportContext",
    "by_rule",
    "listed_results",
    "passes",
    "plural",
    "rank",
    "short_path",
    "summary",
    "worst_ranks",
]

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
    other nodes) the human report lists, most severe first (None: all); ``sources``
    the validated files and where they write each subject, when the data came from
    files (None: a store or the bundled graph): SARIF points its results at them.
    """

    shapes: Shapes | None = None
    fail_on: str = "violation"
    show: str = "info"
    limit: int | None = None
    sources: Located | None = None


def rank(result: ValidationResult) -> int:
    return _RANK.get(str(result.severity), 0)


def listed_results(report: ValidationReport, context: ReportContext) -> list[ValidationResult]:
    if context.show == "info":
        return list(report.results)
    return report.at_or_above(LEVELS[context.show])


def worst_ranks(report: ValidationReport) -> dict[str, int]:
    """The most severe rank (0 Violation, 1 Warning, 2 Info) of each result's anchor."""
    worst: dict[str, int] = {}
    for r in report.results:
        anchor = report.anchor(r)
        found = rank(r)
        if found < worst.get(anchor, 3):
            worst[anchor] = found
    return worst


def summary(
    report: ValidationReport, fail_on: str = "violation", worst: dict[str, int] | None = None
) -> dict[str, Any]:
    """The counts of the summary (keys as in the JSON schema of this module).

    ``worst`` is :func:`worst_ranks` of the report, when the caller has it already.

    >>> from pathways.validation.results import ValidationReport
    >>> summary(ValidationReport(results=()))["credentials_conforming"]
    0
    """
    worst = worst_ranks(report) if worst is None else worst
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


@lru_cache(maxsize=4096)
def short_path(path: PathExpr | None) -> str:
    if path is None:
        return "-"
    return path_text(path, _SHORT)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _component_name(component: URIRef) -> str:
    return str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")


def rule_name(report: ValidationReport, result: ValidationResult) -> str:
    """A result's rule for people: its shape's description and its component."""
    return f"{report.describe(result.shape)} ({_component_name(result.component)})"


def by_rule(report: ValidationReport) -> list[dict[str, Any]]:
    """The summary by rule: one entry a (severity, rule) with results, most severe and
    most frequent first: ``severity``, ``rule``, ``results``, ``nodes`` (the anchors
    with a result) and ``example`` (the first anchor)."""
    names: dict[tuple[Node, URIRef], str] = {}
    rules: dict[tuple[int, str], list[Any]] = {}
    for r in report.results:
        name = names.get((r.shape, r.component))
        if name is None:
            name = names[r.shape, r.component] = rule_name(report, r)
        key = (rank(r), name)
        entry = rules.get(key)
        anchor = report.anchor(r)
        if entry is None:
            rules[key] = [r.severity_name, 1, {anchor}, anchor]
        else:
            entry[1] += 1
            entry[2].add(anchor)
    ordered = sorted(rules.items(), key=lambda kv: (kv[0][0], -kv[1][1], kv[0][1]))
    return [
        {
            "severity": severity,
            "rule": rule,
            "results": count,
            "nodes": len(anchors),
            "example": example,
        }
        for (_rank, rule), (severity, count, anchors, example) in ordered
    ]
