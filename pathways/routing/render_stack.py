"""Stack audits (:func:`pathways.routing.audit.stack_audit`) as JSON and readable text.

What is still open is named by label and prefixed name, so that it can be asked for
in the next command.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import networkx as nx

from pathways.rdf.iris import shorten
from pathways.routing.audit import ConditionProgress, CredentialProgress
from pathways.routing.holdings import Holdings

__all__ = ["condition_lines", "stack_to_human", "stack_to_json"]


def _condition_json(c: ConditionProgress) -> dict[str, Any]:
    return {
        "condition": c.key,
        "label": c.label,
        "status": c.status,
        "counted": c.counted,
        "required": c.required,
        "hours": c.hours,
        "min_hours": c.min_hours,
        "credits": c.credits,
        "min_credits": c.min_credits,
        "max_required": c.max_required,
        "max_hours": c.max_hours,
        "max_credits": c.max_credits,
        "earned": list(c.earned),
        "missing": list(c.missing),
        "subconditions": [_condition_json(s) for s in c.subconditions],
    }


def condition_lines(
    c: ConditionProgress,
    depth: int,
    name: Callable[[str], str] = shorten,
    open_name: Callable[[str], str] = shorten,
) -> list[str]:
    """A condition's progress; what is still open is named so that it can be asked
    for next (``open_name``: label and prefixed name)."""
    pad = "  " * depth
    extra = f", at most {c.max_required}" if c.max_required is not None else ""
    for have, low, high, unit in (
        (c.hours, c.min_hours, c.max_hours, "h"),
        (c.credits, c.min_credits, c.max_credits, "credits"),
    ):
        if low is not None and high is not None:
            span = f"exactly {low:g}" if abs(low - high) < 1e-9 else f"{low:g}-{high:g}"
        elif high is not None:
            span = f"at most {high:g}"
        elif low is not None:
            span = f"{low:g}"
        else:
            continue
        extra += f", {have:g}/{span} {unit}"
    label = shorten(c.label) if c.label == c.key else c.label
    lines = [f"{pad}- {label}: {c.status} ({c.counted} of {c.required}{extra})"]
    if c.earned:
        lines.append(f"{pad}    done: " + "; ".join(name(i) for i in c.earned))
    if c.missing and c.status != "satisfied":
        lines.append(f"{pad}    open: " + "; ".join(open_name(i) for i in c.missing))
    for s in c.subconditions:
        lines.extend(condition_lines(s, depth + 1, name, open_name))
    return lines


def stack_to_json(
    report: Sequence[CredentialProgress], held: Holdings, added: Sequence[str]
) -> str:
    """The audit as a JSON document (the ``stack --format json`` output)."""
    doc = {
        "what_if": list(added),
        "expired": [{"iri": i, "reason": r} for i, r in held.expired],
        "credentials": [
            {
                "iri": r.iri,
                "label": r.label,
                "status": r.status,
                "prerequisites": r.prerequisites,
                "conditions": [_condition_json(c) for c in r.conditions],
            }
            for r in report
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def stack_to_human(g: nx.DiGraph, report: Sequence[CredentialProgress], held: Holdings) -> str:
    """The audit as readable text, one block per larger credential or pathway."""

    def label(i: str) -> str:
        return str(g.nodes[i].get("label", i)) if i in g else shorten(i)

    def named(i: str) -> str:
        return f"{label(i)} ({shorten(i)})" if i in g and label(i) != i else shorten(i)

    lines = []
    for r in report:
        what = " (prerequisite conditions)" if r.prerequisites else ""
        lines.append(f"{r.label} ({shorten(r.iri)}): {r.status}{what}")
        for c in r.conditions:
            lines.extend(condition_lines(c, 1, label, named))
    if not report:
        lines.append("no larger credential is started (use --all to list them all)")
    lines.extend(f"! {shorten(i)} does not count: {r}" for i, r in held.expired)
    lines.extend(f"note: {n}" for n in held.notes)
    return "\n".join(lines) + "\n"
