"""Route plans as JSON, readable text, Graphviz DOT and Mermaid (deterministic)."""

from __future__ import annotations

import itertools
import json
from typing import Any

from pathways.rdf.iris import shorten
from pathways.routing import RouteOption, RoutePlan

__all__ = ["to_dot", "to_human", "to_json", "to_mermaid"]


def _option_json(option: RouteOption) -> dict[str, Any]:
    return {
        "credentials": [
            {
                "iri": s.iri,
                "label": s.label,
                "term": s.term,
                "stacked": s.stacked,
                "cost": s.cost,
                "hours": s.hours,
                "credits": s.credits,
            }
            for s in option.steps
        ],
        "total": {
            "cost": option.totals["cost"],
            "hours": option.totals["hours"],
            "credits": option.totals["credits"],
            "steps": int(option.totals["steps"]),
            **({"outcome": option.totals["outcome"]} if "outcome" in option.totals else {}),
        },
        "currency": option.currency,
    }


def to_json(plan: RoutePlan) -> str:
    """The plan as JSON: goal, optimize, credentials, total, plus the extras."""
    best = _option_json(plan.best)
    schedule: dict[int, list[str]] = {}
    for step in plan.best.steps:
        schedule.setdefault(step.term, []).append(step.iri)
    doc = {
        "goal": plan.goal,
        "optimize": plan.optimize,
        **best,
        "schedule": [{"term": t, "credentials": v} for t, v in sorted(schedule.items())],
        "alternatives": [_option_json(o) for o in plan.alternatives],
        "held": list(plan.held),
        "recognised": list(plan.recognised),
        "expired": [{"iri": i, "reason": r} for i, r in plan.expired],
        "excluded": [{"iri": i, "reason": r} for i, r in plan.excluded.items()],
        "uncoverable": list(plan.uncoverable),
        "notes": list(plan.notes),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _totals_line(option: RouteOption) -> str:
    t = option.totals
    cur = f" {option.currency}" if option.currency else ""
    return (
        f"{int(t['steps'])} credential(s), {t['hours']:g} h, "
        f"{t['credits']:.1f} ECTS-equivalent credits, "
        f"cost {t['cost']:.2f}{cur}"
    )


def to_human(plan: RoutePlan) -> str:
    """A readable plan, term by term."""
    lines = [f"Route to {plan.goal_label} ({shorten(plan.goal)}), optimising {plan.optimize}"]
    for iri, reason in plan.expired:
        lines.append(f"  ! held {shorten(iri)} does not count: {reason}")
    if plan.recognised:
        lines.append("  recognised prior learning earns: " + ", ".join(plan.recognised))
    current = None
    for step in plan.best.steps:
        if step.term != current:
            current = step.term
            lines.append(f"  term {step.term}:")
        if step.stacked:
            lines.append(f"    = {step.label}  (awarded by stacking)")
        else:
            cost = f"{step.cost or 0:.2f} {plan.best.currency or ''}".rstrip()
            lines.append(f"    - {step.label} ({shorten(step.iri)})  {step.hours or 0:g} h, {cost}")
    if not plan.best.steps:
        lines.append("  nothing to take: the goal is already met")
    lines.append("  total: " + _totals_line(plan.best))
    for n, option in enumerate(plan.alternatives, 2):
        names = ", ".join(s.label for s in option.steps if not s.stacked)
        lines.append(f"  alternative {n}: {names}  [{_totals_line(option)}]")
    for skill in plan.uncoverable:
        lines.append(f"  uncoverable essential skill: {skill}")
    lines.extend(f"  note: {n}" for n in plan.notes)
    return "\n".join(lines) + "\n"


def _ids(plan: RoutePlan) -> dict[str, str]:
    return {s.iri: f"n{i}" for i, s in enumerate(plan.best.steps)}


def to_dot(plan: RoutePlan) -> str:
    """The route as a Graphviz digraph, one cluster per term."""
    ids = _ids(plan)
    lines = ["digraph route {", "  rankdir=LR;", "  node [shape=box];"]
    terms: dict[int, list[str]] = {}
    for step in plan.best.steps:
        terms.setdefault(step.term, []).append(step.iri)
    for term, iris in sorted(terms.items()):
        lines.append(f'  subgraph cluster_{term} {{ label="term {term}";')
        for iri in iris:
            step = next(s for s in plan.best.steps if s.iri == iri)
            label = step.label.replace('"', '\\"')
            shape = " shape=doubleoctagon" if step.stacked else ""
            lines.append(f'    {ids[iri]} [label="{label}"{shape}];')
        lines.append("  }")
    for a, b in itertools.pairwise(plan.best.steps):
        if a.term < b.term:
            lines.append(f"  {ids[a.iri]} -> {ids[b.iri]} [style=dotted];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_mermaid(plan: RoutePlan) -> str:
    """The route as a Mermaid flowchart, one subgraph per term."""
    ids = _ids(plan)
    lines = ["flowchart LR"]
    terms: dict[int, list[str]] = {}
    for step in plan.best.steps:
        terms.setdefault(step.term, []).append(step.iri)
    labels = {s.iri: s.label.replace('"', "'") for s in plan.best.steps}
    for term, iris in sorted(terms.items()):
        lines.append(f'  subgraph t{term}["term {term}"]')
        lines.extend(f'    {ids[i]}["{labels[i]}"]' for i in iris)
        lines.append("  end")
    previous = None
    for term in sorted(terms):
        if previous is not None:
            lines.append(f"  t{previous} --> t{term}")
        previous = term
    return "\n".join(lines) + "\n"
