"""What a route's goal means, in words: the condition a route to it must meet.

A route to a progression pathway satisfies the pathway's *own* condition (its
pw:hasCondition, or all its components when it has none), which is not the same
as reaching its destination (a qualification or occupation, whose own conditions
may ask for less or more). :func:`goal_meaning` states both, so that a reader can
choose, reading the projected graph of :mod:`pathways.catalogue.projection` only.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from pathways.rdf.iris import shorten

__all__ = ["GoalMeaning", "goal_meaning"]


@dataclass(frozen=True)
class GoalMeaning:
    """What reaching a goal asks for.

    Attributes
    ----------
    kind : str
        The goal's node kind (``pathway``, ``credential``, ``occupation``).
    condition : str or None
        What the goal asks for in words ("all 15 components of the pathway ...",
        "its own condition, 2 of 5: ...", "any one of the 2 progression pathway(s)
        that lead to it: ..."); None for a credential, which is what it says.
    destinations : tuple of str
        Where a pathway leads (IRIs), each a goal of its own.
    """

    kind: str
    condition: str | None
    destinations: tuple[str, ...] = ()


def _kids(g: nx.DiGraph, node: str, kind: str) -> list[str]:
    return sorted(v for v, data in g.succ[node].items() if data.get("kind") == kind)


def _label(g: nx.DiGraph, node: str) -> str:
    return str(g.nodes[node].get("label", node)) if node in g else node


def _limits(data: dict[str, object]) -> str:
    parts = []
    for unit, low, high in (
        ("h", data.get("min_hours"), data.get("max_hours")),
        ("credits", data.get("min_credits"), data.get("max_credits")),
    ):
        if isinstance(low, int | float):
            parts.append(f"at least {low:g} {unit}")
        if isinstance(high, int | float):
            parts.append(f"at most {high:g} {unit}")
    return f" ({', '.join(parts)})" if parts else ""


def condition_text(g: nx.DiGraph, condition: str) -> str:
    """One condition in words: how many of what, with its hour and credit limits.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_node("_:c", kind="condition", required=2, all=False, min_hours=100.0)
    >>> for n in ("urn:a", "urn:b", "urn:c"):
    ...     g.add_node(n, kind="credential", label=n[4:])
    ...     g.add_edge("_:c", n, kind="target")
    >>> condition_text(g, "_:c")
    '2 of 3 (at least 100 h): a, b, c'
    >>> g.nodes["_:c"].update(all=True, min_hours=None); condition_text(g, "_:c")
    'all 3 of: a, b, c'
    """
    data = g.nodes[condition]
    parts = [*_kids(g, condition, "target"), *_kids(g, condition, "subcondition")]
    required = int(data.get("required", len(parts)))
    count = f"all {len(parts)} of" if data.get("all") else f"{required} of {len(parts)}"
    if data.get("max_required") is not None:
        count += f" (at most {data['max_required']})"
    names = [
        f"({condition_text(g, p)})" if g.nodes[p].get("kind") == "condition" else _label(g, p)
        for p in parts
    ]
    return f"{count}{_limits(data)}: " + ", ".join(names)


def goal_meaning(g: nx.DiGraph, goal: str) -> GoalMeaning:
    """What a route to ``goal`` must achieve.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_node("urn:p", kind="pathway", label="P")
    >>> for n in ("urn:a", "urn:b", "urn:c"):
    ...     g.add_node(n, kind="credential", label=n[4:])
    ...     g.add_edge("urn:p", n, kind="component")
    >>> g.add_edge("urn:p", "urn:q", kind="destination")
    >>> goal_meaning(g, "urn:p")
    GoalMeaning(kind='pathway', condition='all 3 components of the pathway (it states no \
condition of its own)', destinations=('urn:q',))
    """
    kind = str(g.nodes[goal].get("kind", "")) if goal in g else ""
    if kind == "occupation":
        pathways = sorted(u for u, _, k in g.in_edges(goal, data="kind") if k == "destination")
        if pathways:
            names = ", ".join(f"{_label(g, p)} ({shorten(p)})" for p in pathways)
            text = f"any one of the {len(pathways)} progression pathway(s) that lead to it: "
            return GoalMeaning(kind, text + names)
        return GoalMeaning(kind, "its essential skills (no progression pathway leads to it)")
    if kind != "pathway":  # a credential is what it says; its conditions show in the route
        return GoalMeaning(kind, None)
    conditions = _kids(g, goal, "condition")
    destinations = tuple(_kids(g, goal, "destination"))
    if conditions:
        texts = [condition_text(g, c) for c in conditions]
        return GoalMeaning(kind, f"its own condition, {'; and '.join(texts)}", destinations)
    n = len(_kids(g, goal, "component"))
    text = f"all {n} components of the pathway (it states no condition of its own)"
    return GoalMeaning(kind, text, destinations)
