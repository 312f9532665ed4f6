"""Renderers for outcome indicators and the funding simulation: text, JSON, CSV, charts.

Outputs are deterministic: rows sorted, rates rounded to four decimals, money to cents,
SVG charts with a fixed hash salt and no date (PNG files without a timestamp either).

>>> group_name(None)
'not recorded'
>>> group_name("https://w3id.org/pathways/vocab#OlderTechnicians")
'older technicians'
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pathways.economics.money import Money, format_money
from pathways.economics.outcomes import Indicators, OutcomeTable, Proportion
from pathways.economics.simulation import Allocation, Market
from pathways.output import csv_writer
from pathways.rdf.iris import shorten

__all__ = [
    "group_name",
    "indicators_json",
    "outcomes_csv",
    "outcomes_human",
    "outcomes_json",
    "simulation_charts",
    "simulation_human",
    "simulation_json",
    "simulation_markdown",
]

_RATE = Decimal("0.0001")
_ONE = Decimal("0.1")


def group_name(group: str | None) -> str:
    """A learner group IRI as words."""
    if group is None:
        return "not recorded"
    local = re.split(r"[#/]", group)[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


def _q(value: Decimal | None, places: Decimal = _RATE) -> str:
    return "" if value is None else str(value.quantize(places, rounding=ROUND_HALF_UP))


def _proportion(p: Proportion | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "successes": p.successes,
        "trials": p.trials,
        "rate": float(_q(p.rate)),
        "low": float(p.low),
        "high": float(p.high),
    }


def indicators_json(i: Indicators) -> dict[str, Any]:
    """One row of ``pathways outcomes --format json`` (a credential or a pathway)."""
    return {
        "subject": i.subject,
        "kind": i.kind,
        "label": i.label,
        "published_cohorts": i.cohorts,
        "suppressed_cohorts": i.suppressed,
        "learners": i.learners if i.cohorts else None,
        "completers": i.completers if i.cohorts else None,
        "completion": _proportion(i.completion),
        "employment_6_months": _proportion(i.employment_6),
        "employment_12_months": _proportion(i.employment_12),
        "progression": _proportion(i.progression),
        "wage_change_percent": float(_q(i.wage_change, _ONE))
        if i.wage_change is not None
        else None,
        "wage_change_range": [float(v) for v in i.wage_range] if i.wage_range else None,
    }


def outcomes_json(table: OutcomeTable) -> str:
    """The indicators as JSON (one object, rows sorted by IRI)."""
    document = {
        "minimum_cohort": table.min_cohort,
        "confidence": float(table.confidence),
        "suppressed_cohorts": table.suppressed,
        "method": "suppressed cohorts are excluded from every figure; wage change is the "
        "completer-weighted mean of cohort medians; pathways pool the enrolments of their "
        "component and destination credentials",
        "credentials": [indicators_json(i) for i in table.credentials],
        "pathways": [indicators_json(i) for i in table.pathways],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


_MEASURES = ("completion", "employment_6", "employment_12", "progression")


def outcomes_csv(table: OutcomeTable) -> str:
    """The indicators as CSV, one row per credential and pathway; suppressed cells empty."""
    out = io.StringIO()
    writer = csv_writer(out)
    header = ["kind", "subject", "label", "published_cohorts", "suppressed_cohorts", "learners"]
    for m in _MEASURES:
        header += [f"{m}_rate", f"{m}_low", f"{m}_high"]
    writer.writerow([*header, "wage_change_percent", "wage_change_min", "wage_change_max"])
    for i in (*table.credentials, *table.pathways):
        row: list[object] = [i.kind, i.subject, i.label, i.cohorts, i.suppressed]
        row.append(i.learners if i.cohorts else "")
        for m in _MEASURES:
            p: Proportion | None = getattr(i, m)
            row += [_q(p.rate), p.low, p.high] if p else ["", "", ""]
        low, high = i.wage_range if i.wage_range else (None, None)
        row += [_q(i.wage_change, _ONE), low if low is not None else "", high or ""]
        writer.writerow(row)
    return out.getvalue()


def _pct(p: Proportion | None) -> str:
    if p is None:
        return "-"
    return f"{p.rate * 100:.0f}% [{p.low * 100:.0f}-{p.high * 100:.0f}]"


def outcomes_human(table: OutcomeTable) -> str:
    """A readable table of the indicators."""
    lines = [
        f"Outcome indicators ({table.confidence * 100:.0f}% Wilson intervals; cohorts under "
        f"{table.min_cohort} learners suppressed: {table.suppressed}, excluded from every figure)",
    ]
    for title, rows in (("Credentials", table.credentials), ("Pathways", table.pathways)):
        # the prefixed name first: what the next command (cost, route --to) is given
        width = max((len(shorten(i.subject)) for i in rows), default=0)
        lines += [
            "",
            f"{title}:",
            f"  {'':{width}} {'':38} {'learners':>8}  {'completion':<15}"
            f"{'employed 12 m':<15}{'progression':<15}wage change",
        ]
        for i in rows:
            label = (i.label[:36] + "..") if len(i.label) > 38 else i.label
            name = f"{shorten(i.subject):<{width}} {label:38}"
            note = f"  ({i.suppressed} suppressed cohort(s) excluded)" if i.suppressed else ""
            if not i.cohorts:
                lines.append(f"  {name} {'suppressed' if i.suppressed else 'no data':>8}{note}")
                continue
            wage = "-"
            if i.wage_change is not None and i.wage_range is not None:
                wage = f"{i.wage_change:+.1f}% (cohorts {i.wage_range[0]}..{i.wage_range[1]})"
            lines.append(
                f"  {name} {i.learners:>8}  {_pct(i.completion):<15}"
                f"{_pct(i.employment_12):<15}{_pct(i.progression):<15}{wage}{note}"
            )
    return "\n".join(lines) + "\n"


def _allocation(a: Allocation) -> dict[str, Any]:
    return {
        "rule": a.rule,
        "spent": format_money(a.spent),
        "unspent": format_money(a.unspent),
        "dead_end_spent": format_money(a.dead_end_spent),
        "dead_end_share": float(_q(a.dead_end_share)),
        "applicants": a.applicants,
        "funded_learners": a.funded_learners,
        "expected_completers": float(_q(a.completers, _ONE)),
        "expected_on_recognised_pathway": float(_q(a.on_pathway, _ONE)),
        "expected_reaching_recognised_destination": float(_q(a.reaching_destination, _ONE)),
        "expected_employed_12_months": float(_q(a.employed, _ONE)),
        "employed_per_1000": float(_q(a.employed_per_1000)),
        "funded": {c: n for c, n in a.funded},
        "groups": [
            {
                "group": g.group,
                "applicants": g.applicants,
                "funded": g.funded,
                "spent": format_money(g.spent),
                "expected_employed": float(_q(g.employed, _ONE)),
                "expected_on_recognised_pathway": float(_q(g.on_pathway, _ONE)),
            }
            for g in a.groups
        ],
    }


def simulation_json(market: Market, allocations: Sequence[Allocation]) -> str:
    """Both allocations and the market they came from, as JSON."""
    document = {
        "budget": format_money(allocations[0].budget),
        "seed": allocations[0].seed,
        "hourly_rate": format_money(market.hourly_rate),
        "suppressed_cohorts_excluded": market.suppressed_cohorts,
        "offers": [
            {
                "credential": o.credential,
                "payment": format_money(o.payment),
                "conditional_eligible": o.conditional_eligible,
                "dead_end": o.dead_end,
                "destination": o.destination,
                "applicants": sum(n for _, n in o.demand),
            }
            for o in market.offers
        ],
        "excluded": [{"credential": c, "reason": r} for c, r in market.excluded],
        "allocations": [_allocation(a) for a in allocations],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _money(m: Money) -> str:
    return format_money(m, grouping=True)


def _comparison_rows(allocations: Sequence[Allocation]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [("", *(a.rule for a in allocations))]
    rows.append(("money spent", *(_money(a.spent) for a in allocations)))
    rows.append(("left unspent", *(_money(a.unspent) for a in allocations)))
    rows.append(
        ("share to dead-end credentials", *(f"{a.dead_end_share * 100:.1f}%" for a in allocations))
    )
    rows.append(("learners funded", *(str(a.funded_learners) for a in allocations)))
    rows.append(
        (
            "expected completers on a recognised pathway",
            *(f"{a.on_pathway:.0f}" for a in allocations),
        )
    )
    rows.append(
        (
            "expected reaching a recognised destination",
            *(f"{a.reaching_destination:.0f}" for a in allocations),
        )
    )
    rows.append(("expected employed at 12 months", *(f"{a.employed:.0f}" for a in allocations)))
    rows.append(("employed per 1,000 spent", *(f"{a.employed_per_1000:.2f}" for a in allocations)))
    return rows


def simulation_human(market: Market, allocations: Sequence[Allocation], headline: str) -> str:
    """The comparison as text, the chosen rule first in the headline."""
    chosen = next(a for a in allocations if a.rule == headline)
    lines = [
        f"Funding simulation: budget {_money(chosen.budget)}, seed {chosen.seed}, "
        f"{_money(market.hourly_rate)} per participant hour",
        f"Headline ({headline}): {chosen.dead_end_share * 100:.1f}% of the money to credentials "
        f"that stack into nothing recognised; {chosen.on_pathway:.0f} expected completers on "
        f"a recognised pathway; {chosen.employed_per_1000:.2f} expected employed per 1,000 "
        f"{chosen.budget.currency}.",
        "",
    ]
    rows = _comparison_rows(allocations)
    width = max(len(r[0]) for r in rows)
    lines += [f"  {r[0]:<{width}}  " + "  ".join(f"{c:>16}" for c in r[1:]) for r in rows]
    lines += ["", "By learner group (funded / applicants, expected employed):"]
    for index, group in enumerate(allocations[0].groups):
        cells = [
            f"{a.groups[index].funded}/{a.groups[index].applicants}, {a.groups[index].employed:.0f}"
            for a in allocations
        ]
        lines.append(
            f"  {group_name(group.group):<{width}}  " + "  ".join(f"{c:>16}" for c in cells)
        )
    if market.suppressed_cohorts:
        lines.append(
            f"\n{market.suppressed_cohorts} small cohort(s) excluded from demand and rates."
        )
    return "\n".join(lines) + "\n"


def simulation_markdown(market: Market, allocations: Sequence[Allocation], headline: str) -> str:
    """The one-page report: what was simulated, the answer, the table, the chart."""
    chosen = next(a for a in allocations if a.rule == headline)
    other = next(a for a in allocations if a.rule != headline)
    rows = _comparison_rows(allocations)
    table = ["| " + " | ".join(r) + " |" for r in rows]
    table.insert(1, "|" + "---|" * len(rows[0]))
    heads = " | ".join(f"{a.rule}: funded / applicants" for a in allocations)
    groups = [f"| learner group | {heads} |", "|---|" + "---|" * len(allocations)]
    for index, group in enumerate(allocations[0].groups):
        cells = " | ".join(
            f"{a.groups[index].funded} / {a.groups[index].applicants}" for a in allocations
        )
        groups.append(f"| {group_name(group.group)} | {cells} |")
    return "\n".join(
        [
            "# Funding micro-credentials: by enrolment or by pathway?",
            "",
            f"The same budget of **{_money(chosen.budget)}** was allocated to the learners "
            f"who apply "
            f"for {len(market.offers)} credentials in one year (demand from published cohort "
            f"records; {market.suppressed_cohorts} cohorts under the publication threshold left "
            f"out), paying {_money(market.hourly_rate)} per participant hour, in the same seeded "
            f"order of applicants (seed {chosen.seed}).",
            "",
            f"- **{chosen.rule}**: {chosen.dead_end_share * 100:.1f}% of the money goes to "
            f"credentials that stack into nothing recognised ({other.rule}: "
            f"{other.dead_end_share * 100:.1f}%).",
            f"- Expected completers on a recognised pathway: {chosen.on_pathway:.0f} "
            f"({other.rule}: {other.on_pathway:.0f}); reaching a recognised qualification or "
            f"next step: {chosen.reaching_destination:.0f} ({other.reaching_destination:.0f}).",
            f"- Expected employed at 12 months per 1,000 {chosen.budget.currency}: "
            f"{chosen.employed_per_1000:.2f} ({other.employed_per_1000:.2f}).",
            "",
            *table,
            "",
            *groups,
            "",
            "![Where the money goes and what it buys](simulation.png)",
            "",
            "Method: per-enrolment funds any applicant while money remains; conditional funds "
            "only credentials passing the three legs of pathway conditionality (validated "
            "assessment, published metadata, stackability into a recognised pathway). Expected "
            "figures apply each credential's published completion, employment and progression "
            "rates; they are expectations, not counts. See `pathways simulate --help`.",
            "",
        ]
    )


def simulation_charts(allocations: Sequence[Allocation]) -> dict[str, bytes]:
    """The report's figure as ``{"simulation.png": ..., "simulation.svg": ...}``."""
    import matplotlib
    from matplotlib.figure import Figure

    rules = [a.rule for a in allocations]
    with matplotlib.rc_context({"svg.hashsalt": "pathways", "font.size": 9}):
        # A Figure of its own, not pyplot (not thread-safe; the explorer draws this in
        # a request thread).
        fig = Figure(figsize=(13, 4.6))
        money, outcomes, groups = fig.subplots(1, 3)
        dead = [float(a.dead_end_spent.amount) / 1000 for a in allocations]
        stacking = [float((a.spent - a.dead_end_spent).amount) / 1000 for a in allocations]
        unspent = [float(a.unspent.amount) / 1000 for a in allocations]
        money.barh(rules, stacking, color="#2b8cbe", label="stacks into a recognised pathway")
        money.barh(rules, dead, left=stacking, color="#e34a33", label="stacks into nothing")
        left = [s + d for s, d in zip(stacking, dead, strict=True)]
        money.barh(rules, unspent, left=left, color="#d9d9d9", label="unspent")
        money.set_title("Where the money goes")
        money.set_xlabel(f"thousand {allocations[0].budget.currency}")
        for y, a in enumerate(allocations):
            money.text(
                left[y] / 2,
                y,
                f"{a.dead_end_share * 100:.1f}% to dead ends",
                ha="center",
                va="center",
                color="white",
                fontweight="bold",
            )
        money.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=7, ncol=2)
        measures = ("funded", "on recognised\npathway", "employed\nat 12 months")
        width = 0.8 / len(allocations)
        for k, a in enumerate(allocations):
            values = [a.funded_learners, float(a.on_pathway), float(a.employed)]
            xs = [x + k * width for x in range(len(measures))]
            outcomes.bar(xs, values, width=width, label=a.rule)
        outcomes.set_xticks([x + width / 2 for x in range(len(measures))], measures)
        outcomes.set_title("Learners (expected)")
        outcomes.legend(fontsize=8)
        names = [group_name(g.group) for g in allocations[0].groups]
        for k, a in enumerate(allocations):
            shares = [100 * g.funded / g.applicants if g.applicants else 0 for g in a.groups]
            groups.barh(
                [y + k * width for y in range(len(names))], shares, height=width, label=a.rule
            )
        groups.set_yticks([y + width / 2 for y in range(len(names))], names)
        groups.set_xlabel("% of applicants funded")
        groups.set_title("Effect on each learner group")
        groups.legend(fontsize=8)
        fig.tight_layout()
        files: dict[str, bytes] = {}
        for name, fmt, metadata in (
            ("simulation.png", "png", {"Software": None}),
            ("simulation.svg", "svg", {"Date": None, "Creator": None}),
        ):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=110, metadata=metadata)
            files[name] = buffer.getvalue()
    return files
