"""``pathways route``, ``pathways gap`` and ``pathways stack``: navigating pathways."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import NoReturn

import click
import networkx as nx

from pathways.catalogue.projection import project
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
from pathways.cli._routing_options import (
    filter_options,
    filters,
    holding_options,
    holdings,
    in_flags,
)
from pathways.economics.costs import DEFAULT_COHORT, DEFAULT_YEARS, Horizon
from pathways.economics.money import Money, format_money
from pathways.economics.route_weights import COST_BASES, economic_weights
from pathways.errors import NoRouteError, UsageError
from pathways.rdf.store import KnowledgeGraph
from pathways.routing import MEASURES, plan_route
from pathways.routing.audit import stack_audit
from pathways.routing.gaps import skill_gap
from pathways.routing.render import (
    RouteContext,
    no_route_json,
    to_dot,
    to_human,
    to_json,
    to_mermaid,
)
from pathways.routing.render_gap import gap_to_human, gap_to_json
from pathways.routing.render_stack import stack_to_human, stack_to_json
from pathways.routing.requests import GOALS, Wanted, check_kind, route_context

__all__ = ["COMMANDS"]

_RENDER = {"human": to_human, "json": to_json, "dot": to_dot, "mermaid": to_mermaid}


def _check(kg: KnowledgeGraph, g: nx.DiGraph, iri: str, wanted: Wanted, where: str) -> None:
    check_kind(kg, g, iri, wanted, where)


@click.command("route")
@data_argument
@store_option
@holding_options
@click.option(
    "--to",
    "goal",
    required=True,
    type=IRI,
    metavar="IRI",
    help="Goal: a credential, progression pathway or occupation.",
)
@click.option(
    "--optimize",
    type=Choice(MEASURES),
    default="cost",
    show_default=True,
    help="What the route minimises: cost (fees, or true cost with --cost-basis true), "
    "notional hours, ECTS-equivalent credits, the number of credentials, or outcome "
    "(cost per expected employed completer, from the outcome records).",
)
@click.option(
    "--cost-basis",
    type=Choice(COST_BASES),
    default="fee",
    show_default=True,
    help="Cost of a credential: its published fee, or its true cost per participant "
    "from its cost items (see 'pathways cost').",
)
@click.option(
    "--cohort",
    type=click.IntRange(min=1),
    default=DEFAULT_COHORT,
    show_default=True,
    help="With --cost-basis true: participants per cohort.",
)
@click.option(
    "--years",
    type=click.IntRange(min=1),
    default=DEFAULT_YEARS,
    show_default=True,
    help="With --cost-basis true: years over which one-off costs are spread.",
)
@click.option(
    "--alternatives",
    type=click.IntRange(1, 50),
    default=1,
    show_default=True,
    help="How many best distinct routes (none containing an earlier one).",
)
@click.option(
    "--term-hours",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Maximum notional hours per term in the schedule.",
)
@filter_options
@format_option(
    sorted(_RENDER), "human", "human text, json, or the route as a Graphviz dot or Mermaid diagram."
)
@output_option
@handle_errors
def route_command(
    data: tuple[Path, ...],
    store: Path | None,
    holding: Path | None,
    given: tuple[str, ...],
    on: dt.datetime | None,
    goal: str,
    optimize: str,
    cost_basis: str,
    cohort: int,
    years: int,
    alternatives: int,
    term_hours: float | None,
    country: tuple[str, ...],
    language: tuple[str, ...],
    provider: tuple[str, ...],
    max_eqf: int | None,
    funding: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """The optimal set of credentials to reach a goal, scheduled in terms.

    Honours every condition (prerequisites, any one entry route, N of M, hour and
    credit minimums), counts a shared prerequisite once, skips what is held or
    recognised, and is exact (integer programming). Exit 1 with the reasons when no
    route exists.

    \b
    Examples:
      pathways route --to pilot:es-hv-2s --from pilot:es-hv-1s --optimize hours
      pathways route data/ --holding me.txt --to pilot:fi-eat \\
          --alternatives 3 --term-hours 150 --format json
      pathways route --to pilot:es-cert-adas --cost-basis true --optimize outcome
    """
    kg = open_kg(data, store, read_only=True)
    g = project(kg)
    _check(kg, g, goal, GOALS, "--to")
    held = holdings(kg, g, holding, given, on)
    g, notes = economic_weights(kg, g, optimize, cost_basis, Horizon(cohort, years))
    try:
        plan = plan_route(
            g,
            goal,
            held,
            optimize,
            alternatives,
            filters(g, country, language, provider, max_eqf, funding),
            term_hours,
        )
    except NoRouteError as err:
        _no_route(err, g, goal, optimize, route_context(g, goal, (), alternatives), fmt, output)
    plan = dataclasses.replace(
        plan,
        notes=tuple(in_flags(n) for n in (*held.notes, *plan.notes, *notes)),
        excluded={k: in_flags(v) for k, v in plan.excluded.items()},
    )
    named = (*plan.uncoverable, *plan.recognised)
    write_output(_RENDER[fmt](plan, route_context(g, goal, named, alternatives)), output)


def _no_route(
    err: NoRouteError,
    g: nx.DiGraph,
    goal: str,
    optimize: str,
    context: RouteContext,
    fmt: str,
    output: Path | None,
) -> NoReturn:
    """Say why there is no route (stderr; and the JSON document with --format json),
    then exit 1 as every "no route" does."""
    reasons = tuple(in_flags(r) for r in err.reasons)
    for reason in reasons:
        click.echo(f"  because: {reason}", err=True)
    if fmt == "json":
        label = str(g.nodes[goal].get("label", goal)) if goal in g else goal
        doc = no_route_json(goal, label, optimize, in_flags(err.message), reasons, context)
        write_output(doc, output)
    raise NoRouteError(in_flags(err.message), reasons=err.reasons) from err


@click.command("gap")
@data_argument
@store_option
@holding_options
@click.option(
    "--to",
    "occupation",
    required=True,
    type=IRI,
    metavar="OCCUPATION",
    help="The occupation (ESCO IRI or prefixed name).",
)
@click.option(
    "--optimize",
    type=Choice(MEASURES),
    default="cost",
    show_default=True,
    help="What the cover minimises (each credential counted with what it needs first).",
)
@filter_options
@format_option(["human", "json"], "human", "Output format: human text or json.")
@output_option
@handle_errors
def gap_command(
    data: tuple[Path, ...],
    store: Path | None,
    holding: Path | None,
    given: tuple[str, ...],
    on: dt.datetime | None,
    occupation: str,
    optimize: str,
    country: tuple[str, ...],
    language: tuple[str, ...],
    provider: tuple[str, ...],
    max_eqf: int | None,
    funding: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Skills of an occupation the learner lacks, and the cheapest credentials to cover them.

    The cover includes what each credential needs first (prerequisites, an entry
    route). Exact up to 3,000 candidate credentials, greedy above with its bound stated.

    \b
    Example:
      pathways gap --holding me.txt --to occupation:06bd6285-13ed-4ea7-90cc-e9638a0600a9
      pathways gap --from pilot:es-hv-1s --to occupation:06bd6285-13ed-4ea7-90cc-e9638a0600a9 \\
          --country ESP --format json
    """
    kg = open_kg(data, store, read_only=True)
    g = project(kg)
    iri = occupation
    _check(kg, g, iri, (("occupation",), "gap --to takes an ESCO occupation"), "--to")
    held = holdings(kg, g, holding, given, on)
    report = skill_gap(
        g, iri, held, optimize, filters(g, country, language, provider, max_eqf, funding)
    )

    if fmt == "json":
        write_output(gap_to_json(g, report, held), output)
    else:
        write_output(gap_to_human(g, report, held, _money_text), output)


def _money_text(value: float, currency: str) -> str:
    """An amount by the one money formatter (:func:`pathways.economics.money.format_money`).

    >>> _money_text(305.0, "EUR")
    '305.00 EUR'
    """
    return format_money(Money.of(repr(float(value)), currency))


@click.command("stack")
@data_argument
@store_option
@holding_options
@click.option(
    "--add",
    "extra",
    multiple=True,
    type=IRI,
    metavar="IRI",
    help="What-if: count this credential as held too (repeatable).",
)
@click.option(
    "--all", "include_all", is_flag=True, help="Also list larger credentials not started."
)
@format_option(["human", "json"], "human", "Output format: human text or json.")
@output_option
@handle_errors
def stack_command(
    data: tuple[Path, ...],
    store: Path | None,
    holding: Path | None,
    given: tuple[str, ...],
    on: dt.datetime | None,
    extra: tuple[str, ...],
    include_all: bool,
    fmt: str,
    output: Path | None,
) -> None:
    """Progress towards larger credentials and pathways, like a degree audit.

    \b
    Examples:
      pathways stack --holding me.txt
      pathways stack --holding me.txt --add pilot:fi-eat-sahkoajoneuvot --format json
    """
    if holding is None and not given and not extra:
        raise UsageError("nothing held", hint="give --holding FILE, --from IRI or --add IRI")
    kg = open_kg(data, store, read_only=True)
    g = project(kg)
    held = holdings(kg, g, holding, given, on)
    added = list(extra)
    for iri in added:
        _check(kg, g, iri, (("credential",), "--add counts a credential as held"), "--add")
    report = stack_audit(g, held, added, include_unstarted=include_all)
    if fmt == "json":
        write_output(stack_to_json(report, held, added), output)
    else:
        write_output(stack_to_human(g, report, held), output)


COMMANDS: list[click.Command] = [route_command, gap_command, stack_command]
