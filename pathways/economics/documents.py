"""The JSON documents of ``pathways cost`` and ``pathways fund`` (and the rows their CSV
shares), written once for the command line and the JSON API (``/api/cost``,
``/api/fund``). Amounts are decimal strings in their currency's minor unit ("" for
none), shares rounded to 4 places.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from pathways.economics.consortium import ConsortiumScenario
from pathways.economics.costs import CredentialCost, CurvePoint
from pathways.economics.equity import EquityRow, FundingTable
from pathways.economics.money import Money

__all__ = [
    "EQUITY_HEADER",
    "FUND_HEADER",
    "cents",
    "consortium_json",
    "cost_json",
    "equity_json",
    "equity_rows",
    "fund_json",
    "fund_rows",
    "share",
]


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def cents(money: Money | None) -> str:
    """An amount as the JSON and CSV reports write it.

    >>> cents(Money.of("12.5", "EUR")), cents(None)
    ('12.50', '')
    """
    return "" if money is None else str(money.quantized().amount)


def share(value: Decimal | None) -> str:
    return "" if value is None else str(round(value, 4))


def _cost(cost: CredentialCost, curve: Sequence[CurvePoint]) -> dict[str, Any]:
    return {
        "credential": cost.credential,
        "label": cost.label,
        "currency": cost.total.currency,
        "total": cents(cost.total),
        "per_participant": cents(cost.per_participant),
        "fee": cents(cost.fee),
        "visible": cents(cost.visible),
        "visible_share": share(cost.visible_share),
        "one_off": cents(cost.one_off),
        "recurrent": cents(cost.recurrent),
        "fixed": cents(cost.fixed),
        "per_participant_items": cents(cost.variable),
        "items": [
            {
                "item": line.item,
                "category": line.category,
                "visible": line.visible,
                "recurrence": line.recurrence,
                "basis": line.basis,
                "share": share(line.share),
                "total": cents(line.total),
            }
            for line in cost.lines
        ],
        "curve": [
            {
                "cohort": p.cohort,
                "participants": p.participants,
                "per_participant": cents(p.per_participant),
            }
            for p in curve
        ],
    }


def cost_json(results: Sequence[tuple[CredentialCost, Sequence[CurvePoint]]]) -> str:
    """``pathways cost --format json``: one entry a credential, with its cost curve."""
    return _dump([_cost(c, k) for c, k in results])


def consortium_json(scenario: ConsortiumScenario) -> str:
    """``pathways cost --consortium IRI --format json``."""
    return _dump(
        {
            "consortium": scenario.consortium,
            "label": scenario.label,
            "shared_items": list(scenario.shared_items),
            "saving": cents(scenario.saving),
            "members": [
                {
                    "provider": m.provider,
                    "label": m.label,
                    "credentials": list(m.credentials),
                    "participants": m.participants,
                    "alone_per_participant": cents(m.alone),
                    "consortium_per_participant": cents(m.shared),
                    "saving_per_participant": cents(m.saving),
                    "saving_share": share(m.saving_share),
                }
                for m in scenario.members
            ],
            "idle_members": list(scenario.idle_members),
        }
    )


FUND_HEADER = (
    "scheme",
    "credential",
    "learner_group",
    "eligible",
    "cost",
    "public",
    "employer",
    "learner",
    "currency",
    "limited_by",
)


def fund_rows(table: FundingTable) -> list[tuple[str, ...]]:
    """The rows of ``pathways fund`` (CSV and JSON), columns :data:`FUND_HEADER`."""
    return [
        (
            r.scheme,
            r.credential,
            r.group or "",
            str(r.split.eligible).lower(),
            cents(r.split.cost),
            cents(r.split.public),
            cents(r.split.employer),
            cents(r.split.learner),
            r.split.cost.currency,
            r.split.limited_by or "",
        )
        for r in table.rows
    ]


def fund_json(table: FundingTable) -> str:
    """``pathways fund --format json``."""
    return _dump(
        {
            "cost_basis": table.basis,
            "rows": [dict(zip(FUND_HEADER, r, strict=True)) for r in fund_rows(table)],
            "notes": list(table.notes),
        }
    )


EQUITY_HEADER = (
    "scheme",
    "learner_group",
    "route",
    "fees",
    "public",
    "out_of_pocket",
    "flagged",
    "note",
)


def equity_rows(rows: Sequence[EquityRow]) -> list[tuple[str, ...]]:
    """The rows of ``pathways fund --equity`` (CSV and JSON), columns :data:`EQUITY_HEADER`."""
    return [
        (
            r.scheme,
            r.group,
            " ".join(r.credentials),
            cents(r.fees),
            cents(r.public),
            cents(r.out_of_pocket),
            str(r.flagged).lower(),
            r.note or "",
        )
        for r in rows
    ]


def equity_json(rows: Sequence[EquityRow]) -> str:
    """``pathways fund --equity --format json`` (ASCII-escaped, as it always was)."""
    return (
        json.dumps([dict(zip(EQUITY_HEADER, r, strict=True)) for r in equity_rows(rows)], indent=2)
        + "\n"
    )
