"""Render requisite metrics and findings as JSON, CSV or a human-readable report.

Output is deterministic: nodes in :func:`~pathways.analytics.metrics.node_sort_key`
order (JSON and CSV) or by decreasing complexity, then that order (human). Path counts
are exact integers and may exceed the 4,300 digits Python converts to text by default;
rendering lifts that guard while it runs (the numbers come from the graph's structure,
their conversion is quadratic in their digits only).
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from pathways.analytics.findings import Findings
from pathways.analytics.metrics import NodeMetrics, RequisiteMetrics, node_sort_key
from pathways.output import csv_writer
from pathways.rdf.iris import shorten

__all__ = ["CSV_COLUMNS", "to_csv", "to_human", "to_json"]

Node = Hashable

#: Columns of :func:`to_csv`, one row per node.
CSV_COLUMNS = (
    "iri",
    "label",
    "blocking_factor",
    "delay_factor",
    "centrality",
    "complexity",
)

_LISTED = 20  # items of each finding a human report lists
_MAXIMA_LISTED = 3  # nodes listed for each metric's maximum


@contextmanager
def _long_integers() -> Iterator[None]:
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(previous)


def _node_json(m: NodeMetrics) -> dict[str, Any]:
    return {
        "iri": str(m.node),
        "label": m.label,
        "blocking_factor": m.blocking_factor,
        "delay_factor": m.delay_factor,
        "centrality": m.centrality,
        "complexity": m.complexity,
    }


def _findings_json(findings: Findings, label: Callable[[Node], str]) -> dict[str, Any]:
    return {
        "cycles": [[str(v) for v in cycle] for cycle in findings.cycles],
        "unsatisfiable": [[str(v) for v in group] for group in findings.unsatisfiable],
        "orphans": [str(v) for v in findings.orphans],
        "dead_ends": None if findings.dead_ends is None else [str(v) for v in findings.dead_ends],
        "destinations": [
            {
                "iri": str(d.node),
                "label": label(d.node),
                "routes": d.routes,
                "articulation": [str(v) for v in d.articulation],
            }
            for d in findings.destinations
        ],
        "level_inversions": [
            {
                "before": str(i.before),
                "after": str(i.after),
                "before_level": i.before_level,
                "after_level": i.after_level,
            }
            for i in findings.level_inversions
        ],
    }


def _labeller(labels: Mapping[Node, str]) -> Callable[[Node], str]:
    return lambda node: labels.get(node) or str(node)


def to_json(
    metrics: RequisiteMetrics,
    findings: Findings | None = None,
    labels: Mapping[Node, str] | None = None,
) -> str:
    """JSON text: ``{"nodes": [...], "totals": {...}, "maxima": {...}, "findings": {...}}``.

    ``totals`` holds the sum of each metric, the number of nodes and the credit hours
    (``null`` unless nodes carry ``credit_hours``); ``maxima`` each metric's largest
    value and the nodes reaching it (``null`` for an empty graph).

    >>> import networkx as nx
    >>> from pathways.analytics.metrics import requisite_metrics
    >>> print(to_json(requisite_metrics(nx.DiGraph([("a", "b")]))), end="")  # doctest: +ELLIPSIS
    {
      "nodes": [
        {
          "iri": "a",
          "label": "a",
          "blocking_factor": 1,
    ...
      "totals": {
        "nodes": 2,
        "credit_hours": null,
        "blocking_factor": 1,
        "delay_factor": 4,
        "centrality": 0,
        "complexity": 5
      },
      "maxima": {
        "blocking_factor": {
          "value": 1,
          "nodes": [
            "a"
          ]
        },
    ...
    }
    """
    document: dict[str, Any] = {
        "nodes": [_node_json(m) for m in metrics.nodes],
        "totals": {
            "nodes": len(metrics.nodes),
            "credit_hours": metrics.credit_hours,
            "blocking_factor": metrics.totals.blocking_factor,
            "delay_factor": metrics.totals.delay_factor,
            "centrality": metrics.totals.centrality,
            "complexity": metrics.totals.complexity,
        },
        "maxima": {
            name: None
            if maximum is None
            else {"value": maximum.value, "nodes": [str(v) for v in maximum.nodes]}
            for name, maximum in metrics.maxima.items()
        },
    }
    if findings is not None:
        document["findings"] = _findings_json(findings, _labeller(labels or {}))
    with _long_integers():
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def to_csv(metrics: RequisiteMetrics) -> str:
    """CSV text (RFC 4180: CRLF), a header then one row per node (totals are the column sums).

    >>> import networkx as nx
    >>> from pathways.analytics.metrics import requisite_metrics
    >>> print(*to_csv(requisite_metrics(nx.DiGraph([("a", "b")]))).splitlines(), sep=chr(10))
    iri,label,blocking_factor,delay_factor,centrality,complexity
    a,a,1,2,0,3
    b,b,0,2,0,2
    """
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(CSV_COLUMNS)
    with _long_integers():
        for m in metrics.nodes:
            writer.writerow(
                [
                    str(m.node),
                    m.label,
                    m.blocking_factor,
                    m.delay_factor,
                    m.centrality,
                    m.complexity,
                ]
            )
    return buffer.getvalue()


def _short(number: int | float) -> str:
    """A number in at most about 12 characters (exact below a trillion).

    >>> _short(12), _short(2**200)
    ('12', '1.60e60')
    """
    if isinstance(number, float) or abs(number) < 10**12:
        return str(number)
    digits = len(str(abs(number)))
    head = str(abs(number) // 10 ** (digits - 3))
    return f"{head[0]}.{head[1:]}e{digits - 1}"


def to_human(
    metrics: RequisiteMetrics,
    findings: Findings | None = None,
    labels: Mapping[Node, str] | None = None,
    *,
    title: str = "",
    top: int = 0,
) -> str:
    """A report: a table by decreasing complexity, the totals and the findings.

    ``top`` limits the table to that many rows (0: all).
    """
    label = _labeller(labels or {})
    ranked = sorted(metrics.nodes, key=lambda m: (-m.complexity, node_sort_key(m.node)))
    shown = ranked[:top] if top else ranked
    lines = [title] if title else []
    header = f"{'complexity':>10} {'blocking':>8} {'delay':>5} {'centrality':>12}  node"
    lines += [header, "-" * len(header)]
    with _long_integers():
        for m in shown:
            shown_node = _display(m.node)
            name = shown_node if m.label == str(m.node) else f"{shown_node}  {m.label}"
            lines.append(
                f"{_short(m.complexity):>10} {m.blocking_factor:>8} {m.delay_factor:>5} "
                f"{_short(m.centrality):>12}  {name}"
            )
        if len(shown) < len(ranked):
            lines.append(f"... {len(ranked) - len(shown)} more (--top 0 shows all)")
        t = metrics.totals
        lines += [
            "",
            f"totals over {len(ranked)} nodes: complexity {_short(t.complexity)}, "
            f"blocking factor {t.blocking_factor}, delay factor {t.delay_factor}, "
            f"centrality {_short(t.centrality)}"
            + ("" if metrics.credit_hours is None else f", {metrics.credit_hours} credit hours"),
        ]
        lines += _maxima_lines(metrics, label)
        if findings is not None:
            lines += _findings_lines(findings, label)
    return "\n".join(lines) + "\n"


def _maxima_lines(metrics: RequisiteMetrics, label: Callable[[Node], str]) -> list[str]:
    names = {
        "complexity": "complexity",
        "blocking_factor": "blocking factor",
        "delay_factor": "delay factor",
        "centrality": "centrality",
    }
    lines = ["", "maxima:"]
    for name, title in names.items():
        maximum = metrics.maxima.get(name)
        if maximum is None:
            continue
        count = len(maximum.nodes)
        shown = _named(maximum.nodes[:_MAXIMA_LISTED], label)
        more = f", ... {count - _MAXIMA_LISTED} more" if count > _MAXIMA_LISTED else ""
        lines.append(
            f"  {title} {_short(maximum.value)} ({count} node{'s' * (count != 1)}): {shown}{more}"
        )
    return lines if len(lines) > 2 else []


def _display(node: Node) -> str:
    """A prefixed name for an IRI node; a course ID as it is."""
    text = str(node)
    return shorten(text) if text.startswith(("http://", "https://")) else text


def _named(nodes: tuple[Node, ...], label: Callable[[Node], str]) -> str:
    shown = [
        _display(v) if label(v) == str(v) else f"{_display(v)} ({label(v)})"
        for v in nodes[:_LISTED]
    ]
    more = f", ... {len(nodes) - _LISTED} more" if len(nodes) > _LISTED else ""
    return ", ".join(shown) + more if shown else "none"


def _findings_lines(findings: Findings, label: Callable[[Node], str]) -> list[str]:
    lines = ["", "findings:"]
    for cycle in findings.cycles:
        lines.append(f"  requisite cycle: {_named(cycle, label)}")
    for group in findings.unsatisfiable:
        lines.append(f"  unsatisfiable requisites (strict co-requisites): {_named(group, label)}")
    lines.append(f"  orphans ({len(findings.orphans)}): {_named(findings.orphans, label)}")
    if findings.dead_ends is None:
        lines.append("  dead ends: not applicable (no recognised destinations in this input)")
    else:
        lines.append(
            f"  dead ends ({len(findings.dead_ends)}): {_named(findings.dead_ends, label)}"
        )
    for d in findings.destinations[:_LISTED]:
        routes = "uncountable (cycle)" if d.routes is None else _short(d.routes)
        must = _named(d.articulation, label) if d.articulation else "none"
        lines.append(f"  destination {_named((d.node,), label)}: {routes} routes; all pass {must}")
    if len(findings.destinations) > _LISTED:
        lines.append(
            f"  ... {len(findings.destinations) - _LISTED} more destinations (see --format json)"
        )
    inversions = findings.level_inversions
    lines.append(f"  level inversions ({len(inversions)}):")
    lines += [
        f"    {_named((i.before,), label)} level {i.before_level} is required before "
        f"{_named((i.after,), label)} level {i.after_level}"
        for i in inversions[:_LISTED]
    ]
    if len(inversions) > _LISTED:
        lines.append(f"    ... {len(inversions) - _LISTED} more (see --format json)")
    return lines
