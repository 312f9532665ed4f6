"""Skill-gap reports (:func:`pathways.routing.gaps.skill_gap`) as JSON and readable text.

Names come from the projection's labels (the one label rule); money is formatted by
the caller's formatter (the economics layer's one money formatter, which this layer
may not import).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import networkx as nx

from pathways.rdf.iris import shorten
from pathways.routing.gaps import GapReport
from pathways.routing.holdings import Holdings

__all__ = ["MoneyText", "gap_currencies", "gap_to_human", "gap_to_json", "measure_text"]

#: Formats an amount in a currency (``(305.0, "EUR") -> "305.00 EUR"``).
MoneyText = Callable[[float, str], str]


def _label(g: nx.DiGraph, node: str) -> str:
    return str(g.nodes[node].get("label", node)) if node in g else node


def gap_currencies(g: nx.DiGraph, report: GapReport) -> list[str]:
    """The currencies of the covering credentials' fees, sorted."""
    return sorted(
        {
            str(g.nodes[c]["currency"])
            for c in report.credentials
            if c in g and g.nodes[c].get("currency")
        }
    )


def measure_text(optimize: str, value: float, currencies: Sequence[str], money: MoneyText) -> str:
    """A total in its unit: money with its currency (by ``money``), hours, credits or
    credentials.

    >>> money = lambda value, currency: f"{value:.2f} {currency}"
    >>> measure_text("cost", 305.0, ["EUR"], money), measure_text("hours", 72.0, [], money)
    ('305.00 EUR', '72 h')
    """
    if optimize in ("cost", "outcome"):
        if len(currencies) == 1:
            return money(value, currencies[0])
        if currencies:
            return f"{value:.2f} (fees in several currencies: {', '.join(currencies)})"
        return f"{value:.2f} (no fee states a currency)"
    unit = {"hours": "h", "credits": "ECTS-equivalent credits", "steps": "credential(s)"}
    return f"{value:g} {unit.get(optimize, '')}".rstrip()


def gap_to_json(g: nx.DiGraph, report: GapReport, held: Holdings) -> str:
    """The report as a JSON document (the ``gap --format json`` output)."""

    def named(nodes: Sequence[str]) -> list[dict[str, str]]:
        return [{"iri": n, "label": _label(g, n)} for n in nodes]

    currencies = gap_currencies(g, report)
    doc = {
        "occupation": report.occupation,
        "missing_essential": named(report.missing_essential),
        "missing_optional": named(report.missing_optional),
        "credentials": named(report.credentials),
        "optimize": report.optimize,
        "total": report.weight,
        "currency": currencies[0] if len(currencies) == 1 else None,
        "method": report.method,
        "bound": report.bound,
        "uncoverable": named(report.uncoverable),
        "expired": [{"iri": i, "reason": r} for i, r in held.expired],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def gap_to_human(g: nx.DiGraph, report: GapReport, held: Holdings, money: MoneyText) -> str:
    """The report as readable text: missing skills, the cover, its total."""
    lab = _label
    currencies = gap_currencies(g, report)
    total = measure_text(report.optimize, report.weight, currencies, money)
    lines = [f"Gap to {lab(g, report.occupation)} ({shorten(report.occupation)})"]
    lines.append(f"  missing essential skills: {len(report.missing_essential)}")
    lines.extend(f"    - {lab(g, s)}" for s in report.missing_essential)
    lines.append(f"  missing optional skills: {len(report.missing_optional)}")
    lines.append(f"  credentials to cover the essential gap ({report.method}, {report.bound}):")
    lines.extend(f"    - {lab(g, c)} ({shorten(c)})" for c in report.credentials)
    lines.append(f"  total {report.optimize}: {total}")
    lines.extend(f"  uncoverable: {lab(g, s)}" for s in report.uncoverable)
    lines.extend(f"  ! {shorten(i)} does not count: {r}" for i, r in held.expired)
    return "\n".join(lines) + "\n"
