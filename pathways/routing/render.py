"""Route plans as JSON, readable text, Graphviz DOT and Mermaid (deterministic)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pathways.rdf.iris import shorten
from pathways.routing import RouteOption, RoutePlan
from pathways.routing.goals import GoalMeaning

__all__ = [
    "RouteContext",
    "no_route_json",
    "route_document",
    "to_dot",
    "to_human",
    "to_json",
    "to_mermaid",
]


@dataclass(frozen=True)
class RouteContext:
    """What a renderer may say beside the plan itself.

    Attributes
    ----------
    labels : mapping of str to str
        Labels of nodes the plan names by IRI only (skills, recognised credentials,
        destinations), by the one label rule of the projection.
    meaning : GoalMeaning or None
        What the goal asks for (:func:`pathways.routing.goals.goal_meaning`).
    requested : int
        How many routes were asked for (``--alternatives``).
    """

    labels: Mapping[str, str] = field(default_factory=dict)
    meaning: GoalMeaning | None = None
    requested: int = 1

    def name(self, iri: str) -> str:
        """``label (prefixed name)``, or the prefixed name alone without a label."""
        label = self.labels.get(iri)
        return f"{label} ({shorten(iri)})" if label and label != iri else shorten(iri)

    def found_note(self, found: int) -> str | None:
        """ "only N distinct routes exist" when fewer than requested were found."""
        if found >= self.requested:
            return None
        routes = "route exists" if found == 1 else "distinct routes exist"
        return f"only {found} {routes} (--alternatives {self.requested} asked for more)"


NO_CONTEXT = RouteContext()


def _meaning_json(context: RouteContext) -> dict[str, Any]:
    meaning = context.meaning
    if meaning is None:
        return {}
    return {
        "goal_kind": meaning.kind,
        "goal_condition": meaning.condition,
        "destinations": [
            {"iri": d, "label": context.labels.get(d, d)} for d in meaning.destinations
        ],
    }


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


def to_json(plan: RoutePlan, context: RouteContext = NO_CONTEXT, *, indent: int | None = 2) -> str:
    """The plan as JSON, :func:`route_document` written out (indented as the command
    line prints it; ``indent=None``: compact, as the JSON API sends it, for a route of
    a thousand credentials takes a tenth of the time so)."""
    return json.dumps(route_document(plan, context), indent=indent, ensure_ascii=False) + "\n"


def route_document(plan: RoutePlan, context: RouteContext = NO_CONTEXT) -> dict[str, Any]:
    """The plan as a JSON document: goal, optimize, credentials, total, plus the extras
    (``found`` is true; :func:`no_route_json` is the document when no route exists)."""
    best = _option_json(plan.best)
    schedule: dict[int, list[str]] = {}
    for step in plan.best.steps:
        schedule.setdefault(step.term, []).append(step.iri)
    doc = {
        "found": True,
        "goal": plan.goal,
        "goal_label": plan.goal_label,
        **_meaning_json(context),
        "optimize": plan.optimize,
        **best,
        "schedule": [{"term": t, "credentials": v} for t, v in sorted(schedule.items())],
        "alternatives": [_option_json(o) for o in plan.alternatives],
        "alternatives_requested": context.requested,
        "held": list(plan.held),
        "recognised": list(plan.recognised),
        "expired": [{"iri": i, "reason": r} for i, r in plan.expired],
        "excluded": [{"iri": i, "reason": r} for i, r in plan.excluded.items()],
        "uncoverable": list(plan.uncoverable),
        "uncoverable_labels": [context.labels.get(s, s) for s in plan.uncoverable],
        "notes": [*plan.notes, *_found_notes(plan, context)],
    }
    return doc


def _found_notes(plan: RoutePlan, context: RouteContext) -> list[str]:
    note = context.found_note(1 + len(plan.alternatives))
    return [note] if note else []


def no_route_json(
    goal: str,
    goal_label: str,
    optimize: str,
    message: str,
    reasons: tuple[str, ...],
    context: RouteContext = NO_CONTEXT,
) -> str:
    """The JSON document when no route exists: ``found`` false, the message and the
    reasons, and the same keys as :func:`to_json` empty, so a script reads both alike.

    >>> doc = json.loads(no_route_json("urn:g", "G", "cost", "no route to <urn:g>", ("x",)))
    >>> doc["found"], doc["reasons"], doc["credentials"]
    (False, ['x'], [])
    """
    doc = {
        "found": False,
        "goal": goal,
        "goal_label": goal_label,
        **_meaning_json(context),
        "optimize": optimize,
        "error": message,
        "reasons": list(reasons),
        "credentials": [],
        "total": None,
        "schedule": [],
        "alternatives": [],
        "alternatives_requested": context.requested,
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


def _meaning_lines(context: RouteContext) -> list[str]:
    meaning = context.meaning
    if meaning is None or meaning.condition is None:
        return []
    lines = [f"  goal means: {meaning.condition}"]
    for d in meaning.destinations:
        lines.append(
            f"  its destination: {context.name(d)}; to route there instead: "
            f"pathways route --to {shorten(d)}"
        )
    return lines


def to_human(plan: RoutePlan, context: RouteContext = NO_CONTEXT) -> str:
    """A readable plan, term by term."""
    lines = [f"Route to {plan.goal_label} ({shorten(plan.goal)}), optimising {plan.optimize}"]
    lines.extend(_meaning_lines(context))
    for iri, reason in plan.expired:
        lines.append(f"  ! held {shorten(iri)} does not count: {reason}")
    if plan.recognised:
        lines.append(
            "  recognised prior learning earns: "
            + ", ".join(context.name(i) for i in plan.recognised)
        )
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
        lines.append(f"  uncoverable essential skill: {context.name(skill)}")
    lines.extend(f"  note: {n}" for n in (*plan.notes, *_found_notes(plan, context)))
    return "\n".join(lines) + "\n"


def _ids(plan: RoutePlan) -> dict[str, str]:
    return {s.iri: f"n{i}" for i, s in enumerate(plan.best.steps)}


def to_dot(plan: RoutePlan, context: RouteContext = NO_CONTEXT) -> str:
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


def to_mermaid(plan: RoutePlan, context: RouteContext = NO_CONTEXT) -> str:
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
