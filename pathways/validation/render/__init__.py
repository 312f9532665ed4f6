"""Renderers of a :class:`~pathways.validation.results.ValidationReport`.

Formats: ``human`` (what was checked, results grouped by credential with the
credentials with violations first, then the verdict and a summary by rule),
``table`` (one aligned line a result), ``json`` (the documented schema below),
``csv``, ``turtle`` (a standard ``sh:ValidationReport``) and ``sarif`` (SARIF
2.1.0, for CI pipelines and code scanning: :mod:`.sarif`). Same report, same bytes.

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

One module a family of formats: :mod:`.text` (human, table), :mod:`.data` (JSON,
CSV; the JSON schema is documented there), :mod:`.turtle`; what they share (the
verdicts, the counts, the context) in :mod:`.report`.
"""

from __future__ import annotations

from collections.abc import Callable

from pathways.validation.render.data import to_csv, to_json
from pathways.validation.render.report import LEVELS, ReportContext, passes, summary
from pathways.validation.render.sarif import to_sarif
from pathways.validation.render.text import human, table
from pathways.validation.render.turtle import to_turtle
from pathways.validation.results import ValidationReport

__all__ = [
    "FORMATS",
    "LEVELS",
    "ReportContext",
    "human",
    "passes",
    "render",
    "summary",
    "table",
    "to_csv",
    "to_json",
    "to_sarif",
    "to_turtle",
]

FORMATS = ("human", "table", "json", "csv", "turtle", "sarif")


def render(report: ValidationReport, fmt: str, context: ReportContext | None = None) -> str:
    """Render a report in one of :data:`FORMATS`."""
    renderers: dict[str, Callable[[ValidationReport, ReportContext], str]] = {
        "human": human,
        "table": table,
        "json": to_json,
        "csv": to_csv,
        "turtle": lambda r, _c: to_turtle(r),
        "sarif": to_sarif,
    }
    return renderers[fmt](report, context or ReportContext())
