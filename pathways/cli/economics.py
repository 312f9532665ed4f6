"""The ``cost`` and ``fund`` commands: the true cost of credentials and who pays for it."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from pathways.catalogue.lookup import instance_error
from pathways.cli._choice import Choice
from pathways.cli._common import (
    IRI,
    data_argument,
    format_option,
    handle_errors,
    open_kg,
    output_option,
    store_option,
    write_output,
)
from pathways.economics.charts import cost_curve_svg
from pathways.economics.consortium import ConsortiumScenario, consortium_scenario
from pathways.economics.costs import (
    DEFAULT_COHORT,
    DEFAULT_YEARS,
    Allocation,
    CredentialCost,
    CurvePoint,
    Horizon,
    cost_curve,
    cost_model,
)
from pathways.economics.costs import credential_cost as cost_of
from pathways.economics.documents import (
    EQUITY_HEADER,
    FUND_HEADER,
    cents,
    consortium_json,
    cost_json,
    equity_json,
    equity_rows,
    fund_json,
    fund_rows,
    share,
)
from pathways.economics.equity import EquityRow, FundingTable, equity_view, funding_table
from pathways.economics.funding import learner_group, learner_groups
from pathways.economics.money import parse_threshold
from pathways.errors import UsageError
from pathways.output import csv_writer
from pathways.rdf.iris import shorten

__all__ = ["COMMANDS"]

_FORMAT = format_option(["human", "json", "csv"], "human", "Output format.")
_COST_FORMAT = format_option(
    ["human", "json", "csv", "svg"],
    "human",
    "Output format; svg: the unit cost curve of one --credential as a chart.",
)


def _horizon_options(f: Any) -> Any:
    f = click.option(
        "--cohorts-per-year",
        type=click.IntRange(min=1),
        default=1,
        show_default=True,
        help="Cohorts of each credential a year.",
    )(f)
    f = click.option(
        "--years",
        type=click.IntRange(min=1),
        default=DEFAULT_YEARS,
        show_default=True,
        help="Years.",
    )(f)
    return click.option(
        "--cohort",
        type=click.IntRange(min=1),
        default=DEFAULT_COHORT,
        show_default=True,
        help="Participants per cohort.",
    )(f)


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _cost_human(cost: CredentialCost, curve: Sequence[CurvePoint]) -> str:
    h = cost.horizon
    lines = [
        f"{cost.label}  ({shorten(cost.credential)})",
        f"  horizon: {h.years} year(s) x {h.cohorts_per_year} cohort(s)/year x {h.cohort} "
        f"participants = {h.participants} participants",
        f"  true cost: {cost.total}  per participant: {cost.per_participant}"
        + (f"  (fee {cost.fee})" if cost.fee else "  (no fee)"),
        f"  visible part (teaching hours, room hire): {cost.visible} "
        f"= {_percent(cost.visible_share)} of the true cost",
        f"  one-off (amortised) {cost.one_off}, recurrent {cost.recurrent}; "
        f"fixed {cost.fixed}, per participant {cost.variable}",
        "  by category:",
    ]
    lines += [f"    {money!s:>14}  {label}" for _, label, money in cost.by_category()]
    lines.append("  cost per participant by cohort size:")
    lines += [f"    {p.cohort:>5}  {p.per_participant!s:>14}" for p in curve]
    return "\n".join(lines)


def _percent(value: Decimal | None) -> str:
    return "n/a" if value is None else f"{round(value * 100, 1)}%"


def _consortium_output(scenario: ConsortiumScenario, fmt: str) -> str:
    members = scenario.members
    if fmt == "json":
        return consortium_json(scenario)
    if fmt == "csv":
        return _csv(
            ["provider", "participants", "alone", "consortium", "saving", "currency"],
            [
                (
                    m.provider,
                    m.participants,
                    cents(m.alone),
                    cents(m.shared),
                    cents(m.saving),
                    m.alone.currency,
                )
                for m in members
            ],
        )
    out = [
        f"{scenario.label}: {len(scenario.shared_items)} shared cost items",
        "  true cost per participant, each provider alone vs in the consortium:",
    ]
    for m in members:
        out.append(
            f"    {m.label}: {m.participants} participants, alone {m.alone}, "
            f"shared {m.shared}, saving {m.saving} ({_percent(m.saving_share)})"
        )
    for idle in scenario.idle_members:
        out.append(f"    {shorten(idle)}: offers none of the credentials the items serve")
    out.append(f"  total saving over the horizon: {scenario.saving}")
    return "\n".join(out) + "\n"


@click.command("cost")
@data_argument
@store_option
@click.option(
    "--credential", "credentials", multiple=True, type=IRI, metavar="IRI", help="A credential."
)
@click.option("--all", "all_", is_flag=True, help="Every credential with cost items.")
@click.option(
    "--consortium", type=IRI, metavar="IRI", help="Each member alone versus in this consortium."
)
@_horizon_options
@click.option(
    "--allocation",
    type=Choice(["equal", "hours"]),
    default="equal",
    show_default=True,
    help="How a fixed item shared by several credentials is split.",
)
@_COST_FORMAT
@output_option
@handle_errors
def cost_command(
    data: tuple[Path, ...],
    store: Path | None,
    credentials: tuple[str, ...],
    all_: bool,
    consortium: str | None,
    cohort: int,
    years: int,
    cohorts_per_year: int,
    allocation: str,
    fmt: str,
    output: Path | None,
) -> None:
    """The true cost of credentials per participant, from their pw:CostItem nodes.

    Over a horizon of YEARS with COHORTS-PER-YEAR cohorts of COHORT participants:
    acquisitions amortised over their useful life, annual and per-cohort fixed costs,
    per-participant costs; the visible share (teaching hours, room hire); the unit cost
    curve over cohort sizes 5, 10, 15, 20, 30, 50 and COHORT.

    \b
    Examples:
      pathways cost --credential pilot:es-hv-2s --cohort 12 --years 5
      pathways cost --all --format csv -o costs.csv
      pathways cost --credential pilot:es-hv-2s --format svg -o curve.svg
      pathways cost --consortium pilot:org-consorcio-evaluacion-ve
    """
    if sum((bool(credentials), all_, consortium is not None)) != 1:
        raise UsageError("give --credential IRI, --all or --consortium IRI (one of them)")
    if fmt == "svg" and len(credentials) != 1:
        raise UsageError("--format svg draws one credential", hint="give one --credential IRI")
    horizon = Horizon(cohort, years, cohorts_per_year)
    kg = open_kg(data, store, read_only=True)
    for iri in credentials:  # an IRI not in the graph would otherwise look uncosted
        error = instance_error(
            kg, iri, "pw:CredentialSpecification", "a credential", path="--credential"
        )
        if error is not None:
            raise error
    if consortium is not None:
        scenario = consortium_scenario(kg, consortium, horizon)
        write_output(_consortium_output(scenario, fmt), output)
        return
    model = cost_model(kg)
    chosen = model.credentials if all_ else credentials
    how: Allocation = "hours" if allocation == "hours" else "equal"
    results = [
        (cost_of(model, c, horizon, allocation=how), cost_curve(model, c, horizon, allocation=how))
        for c in chosen
    ]
    if fmt == "json":
        write_output(cost_json(results), output)
    elif fmt == "svg":
        ((cost, curve),) = results
        write_output(cost_curve_svg(cost, curve), output)
    elif fmt == "csv":
        rows = [
            (
                c.credential,
                p.cohort,
                years,
                cohorts_per_year,
                p.participants,
                cents(p.per_participant),
                share(p.visible_share),
                cents(c.fee),
                c.total.currency,
            )
            for c, curve in results
            for p in curve
        ]
        header = [
            "credential",
            "cohort",
            "years",
            "cohorts_per_year",
            "participants",
            "per_participant",
            "visible_share",
            "fee",
            "currency",
        ]
        write_output(_csv(header, rows), output)
    else:
        write_output("\n\n".join(_cost_human(c, k) for c, k in results) + "\n", output)


def _fund_output(table: FundingTable, fmt: str) -> str:
    if fmt == "csv":
        return _csv(FUND_HEADER, fund_rows(table))
    if fmt == "json":
        return fund_json(table)
    out = [f"cost split ({table.basis}); learner = out of pocket"]
    scheme = None
    for r in table.rows:
        if r.scheme != scheme:
            scheme = r.scheme
            out.append(f"\n{r.scheme_label}  ({shorten(r.scheme)})")
        verdict = "eligible  " if r.split.eligible else "INELIGIBLE"
        group = shorten(r.group) if r.group else "any group"
        out.append(
            f"  {verdict} {r.label} ({shorten(r.credential)}) [{group}]: cost {r.split.cost}, "
            f"public {r.split.public}, "
            f"employer {r.split.employer}, learner {r.split.learner}"
        )
    out += [f"note: {n}" for n in table.notes]
    return "\n".join(out) + "\n"


def _equity_output(rows: Sequence[EquityRow], fmt: str) -> str:
    if fmt == "csv":
        return _csv(EQUITY_HEADER, equity_rows(rows))
    if fmt == "json":
        return equity_json(rows)
    out = ["out-of-pocket cost of the route that costs the learner least, per group and scheme"]
    for r in rows:
        flag = "  FLAG: priority group above threshold" if r.flagged else ""
        pocket = str(r.out_of_pocket) if r.out_of_pocket else "n/a"
        out.append(f"  {r.scheme_label} / {shorten(r.group)}: {pocket}{flag}")
        out.append(
            f"      route: {', '.join(shorten(c) for c in r.credentials) or '-'}"
            + (f"; fees {r.fees}, public {r.public}" if r.fees else "")
            + (f" ({r.note})" if r.note else "")
        )
    return "\n".join(out) + "\n"


@click.command("fund")
@data_argument
@store_option
@click.option(
    "--scheme", "schemes", multiple=True, metavar="NAME", help="Scheme IRI, name or profile."
)
@click.option(
    "--learner-group",
    "groups",
    multiple=True,
    metavar="GROUP",
    help="OlderTechnicians, LowQualifiedSmallWorkshop, Unemployed, EmployedLargeFirm.",
)
@click.option(
    "--credential", "credentials", multiple=True, type=IRI, metavar="IRI", help="A credential."
)
@click.option(
    "--cost-basis",
    type=Choice(["fee", "true"]),
    default="fee",
    show_default=True,
    help="Split the fee, or the true cost per participant.",
)
@_horizon_options
@click.option("--equity", is_flag=True, help="Out-of-pocket cost of the route to --to per group.")
@click.option(
    "--to",
    "target",
    type=IRI,
    metavar="IRI",
    help="Equity target: occupation, pathway or credential.",
)
@click.option(
    "--threshold", metavar="AMOUNT", help="Flag priority groups paying more (e.g. '300 EUR')."
)
@_FORMAT
@output_option
@handle_errors
def fund_command(
    data: tuple[Path, ...],
    store: Path | None,
    schemes: tuple[str, ...],
    groups: tuple[str, ...],
    credentials: tuple[str, ...],
    cost_basis: str,
    cohort: int,
    years: int,
    cohorts_per_year: int,
    equity: bool,
    target: str | None,
    threshold: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Eligibility and public, employer and learner shares under funding schemes.

    Eligibility is the validation verdict of the scheme's profile; an ineligible
    credential gets no public money (employer and learner pay in the ratio of the group's
    rule; the learner pays all when the rule gives them no share). With --equity, the
    route to --to that costs each learner group least out of pocket, per scheme.

    \b
    Examples:
      pathways fund --scheme funding-es-fundae --learner-group OlderTechnicians
      pathways fund --scheme funding-es-pes --cost-basis true --format csv
      pathways fund --equity --to pilot:es-cert-adas --threshold '300 EUR'
    """
    kg = open_kg(data, store, read_only=True)
    group_iris = tuple(learner_group(kg, g) for g in groups)
    if equity:
        if target is None:
            raise UsageError("--equity needs --to IRI (an occupation, pathway or credential)")
        rows = equity_view(
            kg,
            target,
            schemes=schemes,
            groups=group_iris,
            threshold=parse_threshold(threshold),
        )
        write_output(_equity_output(rows, fmt), output)
        return
    if target is not None or threshold is not None:
        raise UsageError("--to and --threshold go with --equity")
    table = funding_table(
        kg,
        schemes=schemes,
        groups=group_iris or learner_groups(kg),
        credentials=credentials,
        basis="true" if cost_basis == "true" else "fee",
        horizon=Horizon(cohort, years, cohorts_per_year),
    )
    write_output(_fund_output(table, fmt), output)


COMMANDS = [cost_command, fund_command]
