"""Stacking progress, like a degree audit: what is met, partly met, not started.

For every larger credential (a credential with conditions), every progression
pathway and every credential with prerequisite conditions (a course whose conditions
must be met before it is completed: it is still taken), each condition is reported as
``satisfied``, ``partial`` (some targets or nested conditions earned: k of N, hours
and credits so far) or ``not started``, recursively for nested conditions. Whether a
condition is satisfied is :func:`pathways.routing.problem.condition_met` (maximum and
exact counts, hours and credits included), the same reading routes use. Earned
credentials are those held plus those awarded by stacking from them
(:func:`pathways.routing.problem.earned`, with nothing taken). What-if: pass extra
credentials to count as held.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from pathways.routing.build import children, condition_of, recognised
from pathways.routing.holdings import Holdings
from pathways.routing.problem import Item, Problem, condition_met, earned

__all__ = ["ConditionProgress", "CredentialProgress", "stack_audit"]


@dataclass(frozen=True)
class ConditionProgress:
    """Progress on one condition."""

    key: str
    label: str
    status: str
    counted: int
    required: int
    hours: float
    min_hours: float | None
    credits: float
    min_credits: float | None
    max_required: int | None
    max_hours: float | None
    max_credits: float | None
    earned: tuple[str, ...]
    missing: tuple[str, ...]
    subconditions: tuple[ConditionProgress, ...]


@dataclass(frozen=True)
class CredentialProgress:
    """Progress towards one larger credential or pathway, or towards the prerequisite
    conditions of a credential that is taken (``prerequisites``: True); for those,
    ``status`` is "ready to take" when the conditions are met and it is not held."""

    iri: str
    label: str
    status: str
    conditions: tuple[ConditionProgress, ...]
    prerequisites: bool = False


def _progress(
    g: nx.DiGraph, problem: Problem, key: str, have: set[str], seen: frozenset[str]
) -> ConditionProgress:
    data = g.nodes[key]
    targets = children(g, key, "target")
    subs = tuple(
        _progress(g, problem, s, have, seen | {key})
        for s in children(g, key, "subcondition")
        if s not in seen
    )
    got = tuple(t for t in targets if t in have)
    hours = sum(float(g.nodes[t].get("hours") or 0.0) for t in got)
    credits = sum(float(g.nodes[t].get("credits") or 0.0) for t in got)
    counted = len(got) + sum(1 for s in subs if s.status == "satisfied")
    met = condition_met(problem, key, have)
    started = bool(got) or any(s.status != "not started" for s in subs)
    status = "satisfied" if met else "partial" if started else "not started"
    return ConditionProgress(
        key,
        str(data.get("label", key)),
        status,
        counted,
        int(data.get("required", 0)),
        hours,
        data.get("min_hours"),
        credits,
        data.get("min_credits"),
        data.get("max_required"),
        data.get("max_hours"),
        data.get("max_credits"),
        got,
        tuple(t for t in targets if t not in have),
        subs,
    )


def stack_audit(
    g: nx.DiGraph,
    holdings: Holdings,
    extra: Iterable[str] = (),
    *,
    include_unstarted: bool = False,
) -> tuple[CredentialProgress, ...]:
    """Progress towards every larger credential and pathway (started ones by default).

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> for n in ("urn:a", "urn:b", "urn:q"):
    ...     g.add_node(n, kind="credential", label=n[4:], hours=10.0, credits=None)
    >>> g.add_node("_:c", kind="condition", label="core", required=2, min_hours=None,
    ...            min_credits=None, max_required=None, max_hours=None, max_credits=None)
    >>> g.add_edge("urn:q", "_:c", kind="condition")
    >>> g.add_edge("_:c", "urn:a", kind="target"); g.add_edge("_:c", "urn:b", kind="target")
    >>> [r] = stack_audit(g, Holdings(credentials=frozenset({"urn:a"})))
    >>> r.status, r.conditions[0].counted, r.conditions[0].missing
    ('partial', 1, ('urn:b',))
    >>> stack_audit(g, Holdings(credentials=frozenset({"urn:a"})), ["urn:b"])[0].status
    'satisfied'
    """
    held = set(holdings.credentials) | set(extra) | recognised(g, holdings)
    items = {}
    conditions = {}
    for node, kind in g.nodes(data="kind"):
        if kind in ("credential", "pathway"):
            items[node] = Item(
                node,
                prerequisites=children(g, node, "prerequisite"),
                conditions=children(g, node, "condition"),
                hours=float(g.nodes[node].get("hours") or 0.0),
                credits=float(g.nodes[node].get("credits") or 0.0),
                requisites=children(g, node, "prerequisite-condition"),
            )
        elif kind == "condition":
            conditions[node] = condition_of(g, node)
    problem = Problem(items, (), conditions, frozenset(held))
    have = earned(problem, ())
    report = []
    for node in sorted(items):
        item = items[node]
        if not item.conditions and not item.requisites:
            continue
        keys = item.conditions or item.requisites
        parts = tuple(_progress(g, problem, c, have, frozenset()) for c in keys)
        if node in have or all(p.status == "satisfied" for p in parts):
            ready = "conditions met" if item.conditions else "ready to take"
            status = "satisfied" if node in have else ready
        elif any(p.status != "not started" for p in parts):
            status = "partial"
        else:
            status = "not started"
        if status == "not started" and not include_unstarted:
            continue
        label = str(g.nodes[node].get("label", node))
        report.append(CredentialProgress(node, label, status, parts, not item.conditions))
    return tuple(report)
