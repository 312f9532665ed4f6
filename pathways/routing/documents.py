"""The JSON documents of ``pathways gap`` and ``pathways stack``, written once for the
command line and the JSON API (``/api/gap``, ``/api/stack``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import networkx as nx

from pathways.routing.audit import ConditionProgress, CredentialProgress
from pathways.routing.gaps import GapReport
from pathways.routing.holdings import Holdings

__all__ = ["condition_json", "gap_currencies", "gap_json", "stack_json"]


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def gap_currencies(g: nx.DiGraph, report: GapReport) -> list[str]:
    """The currencies of the fees of the covering credentials."""
    return sorted(
        {
            str(g.nodes[c]["currency"])
            for c in report.credentials
            if c in g and g.nodes[c].get("currency")
        }
    )


def gap_json(g: nx.DiGraph, report: GapReport, held: Holdings) -> str:
    """``pathways gap --format json``."""

    def lab(n: str) -> str:
        return str(g.nodes[n].get("label", n)) if n in g else n

    currencies = gap_currencies(g, report)
    return _dump(
        {
            "occupation": report.occupation,
            "missing_essential": [{"iri": s, "label": lab(s)} for s in report.missing_essential],
            "missing_optional": [{"iri": s, "label": lab(s)} for s in report.missing_optional],
            "credentials": [{"iri": c, "label": lab(c)} for c in report.credentials],
            "optimize": report.optimize,
            "total": report.weight,
            "currency": currencies[0] if len(currencies) == 1 else None,
            "method": report.method,
            "bound": report.bound,
            "uncoverable": [{"iri": s, "label": lab(s)} for s in report.uncoverable],
            "expired": [{"iri": i, "reason": r} for i, r in held.expired],
        }
    )


def condition_json(c: ConditionProgress) -> dict[str, Any]:
    """A condition's progress (``stack``), its subconditions nested."""
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
        "subconditions": [condition_json(s) for s in c.subconditions],
    }


def stack_json(report: Sequence[CredentialProgress], added: Sequence[str], held: Holdings) -> str:
    """``pathways stack --format json``."""
    return _dump(
        {
            "what_if": list(added),
            "expired": [{"iri": i, "reason": r} for i, r in held.expired],
            "credentials": [
                {
                    "iri": r.iri,
                    "label": r.label,
                    "status": r.status,
                    "prerequisites": r.prerequisites,
                    "conditions": [condition_json(c) for c in r.conditions],
                }
                for r in report
            ],
        }
    )
