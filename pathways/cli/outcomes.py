"""Commands ``outcomes`` (indicators from cohort records) and ``simulate`` (funding rules)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import click

from pathways.cli._choice import Choice
from pathways.cli._common import (
    OutputPath,
    data_argument,
    format_option,
    handle_errors,
    open_kg,
    output_option,
    store_option,
    write_output,
)
from pathways.economics.money import parse_amount
from pathways.economics.outcomes import DEFAULT_MIN_COHORT, outcome_indicators
from pathways.economics.report import (
    outcomes_csv,
    outcomes_human,
    outcomes_json,
    simulation_charts,
    simulation_human,
    simulation_json,
    simulation_markdown,
)
from pathways.economics.simulation import DEFAULT_HOURLY_RATE, RULES, allocate, funding_market
from pathways.errors import UsageError
from pathways.output import write_folder

__all__ = ["COMMANDS", "outcomes_command", "simulate_command"]

_min_cohort = click.option(
    "--min-cohort",
    type=click.IntRange(min=1),
    default=DEFAULT_MIN_COHORT,
    show_default=True,
    help="Cohorts with fewer learners are suppressed (excluded from every figure).",
)


@click.command("outcomes")
@data_argument
@store_option
@format_option(["human", "json", "csv"], "human", "Output format.")
@_min_cohort
@click.option(
    "--confidence", default="0.95", show_default=True, help="Level of the Wilson intervals."
)
@output_option
@handle_errors
def outcomes_command(
    data: tuple[Path, ...],
    store: Path | None,
    fmt: str,
    min_cohort: int,
    confidence: str,
    output: Path | None,
) -> None:
    """Outcome indicators per credential and pathway from cohort outcome records.

    Completion, employment at 6 and 12 months (among completers), progression to a
    further credential, each with a Wilson confidence interval, and wage change (the
    completer-weighted mean of cohort medians, with their range). Cohorts under
    --min-cohort learners are suppressed and excluded from every total.

    \b
    Examples:
      pathways outcomes
      pathways outcomes --format csv --min-cohort 20 -o indicators.csv
    """
    kg = open_kg(data, store)
    table = outcome_indicators(kg, min_cohort=min_cohort, confidence=confidence)
    render = {"human": outcomes_human, "json": outcomes_json, "csv": outcomes_csv}[fmt]
    write_output(render(table), output)


def _write_report(folder: Path, files: dict[str, bytes]) -> None:
    """Write all files (:func:`pathways.output.write_folder`), or none."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--report {folder} is a file", hint="give a folder")
    write_folder(folder, files)


@click.command("simulate")
@data_argument
@store_option
@click.option("--budget", required=True, help="The budget, e.g. 250000 or '250000 EUR'.")
@click.option("--currency", default="EUR", show_default=True, help="Currency of --budget.")
@click.option(
    "--rule",
    type=Choice(RULES),
    default="conditional",
    show_default=True,
    help="The rule of the headline (both rules are always compared).",
)
@click.option(
    "--hourly-rate",
    default=DEFAULT_HOURLY_RATE,
    show_default=True,
    help="Payment per participant hour, in the budget's currency.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the applicant order.")
@_min_cohort
@format_option(["human", "json"], "human", "Output format.")
@click.option(
    "--report",
    "report",
    type=OutputPath(),
    default=None,
    help="Write report.md, simulation.png and simulation.svg to this folder.",
)
@output_option
@handle_errors
def simulate_command(
    data: tuple[Path, ...],
    store: Path | None,
    budget: str,
    currency: str,
    rule: str,
    hourly_rate: str,
    seed: int,
    min_cohort: int,
    fmt: str,
    report: Path | None,
    output: Path | None,
) -> None:
    """Allocate one budget by enrolment and under pathway conditionality, and compare.

    Demand comes from the published outcome records, payments are notional hours x
    --hourly-rate, applicants are served in a seeded random order. The comparison:
    share of the money to credentials that stack into nothing recognised, expected
    learners on a recognised pathway, expected employment per 1,000 spent, and the
    effect on each learner group. Deterministic for a seed.

    \b
    Examples:
      pathways simulate --budget 250000
      pathways simulate --budget '400000 EUR' --rule per-enrolment --seed 7 --report out/
    """
    money = parse_amount(budget, currency, "--budget")
    rate = parse_amount(hourly_rate, money.currency, "--hourly-rate")
    if rate.amount == Decimal(0):
        raise UsageError("--hourly-rate must be positive")
    kg = open_kg(data, store)
    market = funding_market(kg, rate, min_cohort=min_cohort)
    allocations = [allocate(market, money, r, seed=seed) for r in RULES]
    if report is not None:
        files = {"report.md": simulation_markdown(market, allocations, rule).encode("utf-8")}
        files.update(simulation_charts(allocations))
        _write_report(report, files)
        click.echo(f"report written to {report}/report.md", err=True)
    if fmt == "json":
        write_output(simulation_json(market, allocations), output)
    else:
        write_output(simulation_human(market, allocations, rule), output)


COMMANDS = [outcomes_command, simulate_command]
