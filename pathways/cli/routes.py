"""``pathways route``, ``pathways gap`` and ``pathways stack``: navigating pathways."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click
import networkx as nx

from pathways.catalogue.projection import project
from pathways.cli._choice import Choice
from pathways.cli._common import (
    IRI,
    IRI_OR_CODE,
    data_argument,
    format_option,
    handle_errors,
    open_kg,
    output_option,
    store_option,
    write_output,
)
from pathways.economics.costs import Horizon, cost_model
from pathways.economics.money import Money, format_money
from pathways.economics.outcomes import outcome_indicators
from pathways.economics.route_weights import (
    expected_employment_rates,
    with_outcome_weights,
    with_true_costs,
)
from pathways.errors import NoRouteError, PathwaysError, UsageError
from pathways.rdf.iris import shorten
from pathways.rdf.store import KnowledgeGraph
from pathways.routing import MEASURES, Filters, plan_route
from pathways.routing.audit import ConditionProgress, stack_audit
from pathways.routing.documents import gap_currencies, gap_json, stack_json
from pathways.routing.filters import checked_filters
from pathways.routing.gaps import skill_gap
from pathways.routing.holdings import Award, Holdings, read_holdings
from pathways.routing.render import (
    RouteContext,
    no_route_json,
    to_dot,
    to_human,
    to_json,
    to_mermaid,
)
from pathways.routing.requests import GOALS, Wanted, check_kind, checked_holdings, route_context

__all__ = ["COMMANDS"]

_RENDER = {"human": to_human, "json": to_json, "dot": to_dot, "mermaid": to_mermaid}

#: The library's parameters (Filters fields, plan_route's term_hours) and their flags.
_FLAGS = {
    "countries": "--country",
    "languages": "--language",
    "providers": "--provider",
    "max_eqf": "--max-eqf",
    "term_hours": "--term-hours",
}
_PARAMETER = re.compile(r"\b(" + "|".join(_FLAGS) + r")(=|:)")


def _in_flags(text: str) -> str:
    """A library message in the words of the command line: ``countries=FIN`` becomes
    ``--country FIN`` (the library speaks of its own parameters, the CLI of flags).

    >>> _in_flags("excluded by countries=FIN (it is offered in ESP)")
    'excluded by --country FIN (it is offered in ESP)'
    """
    return _PARAMETER.sub(lambda m: _FLAGS[m[1]] + (" " if m[2] == "=" else ":"), text)


def _check(kg: KnowledgeGraph, g: nx.DiGraph, iri: str, wanted: Wanted, where: str) -> None:
    check_kind(kg, g, iri, wanted, where)


def _holdings(
    kg: KnowledgeGraph,
    g: nx.DiGraph,
    holding: Path | None,
    given: Sequence[str],
    on: dt.datetime | None,
) -> Holdings:
    awards: list[Award] = list(read_holdings(holding)) if holding is not None else []
    awards.extend(Award(iri, "--from") for iri in given)
    return checked_holdings(kg, g, awards, on.date() if on else None)


def _holding_options(f: Any) -> Any:
    f = click.option(
        "--on",
        type=click.DateTime(["%Y-%m-%d"]),
        default=None,
        help="Reference date for expiry of awards (default: today).",
    )(f)
    f = click.option(
        "--from",
        "given",
        multiple=True,
        type=IRI,
        metavar="IRI",
        help="A credential already held (repeatable; IRI or prefixed name).",
    )(f)
    return click.option(
        "--holding",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Holdings: RDF (pw:IssuedCredential, pw:hasPriorLearning, pw:holdsSkill) "
        "or text with one IRI a line.",
    )(f)


def _filter_options(f: Any) -> Any:
    f = click.option(
        "--country",
        multiple=True,
        type=IRI_OR_CODE,
        help="Only credentials offered in this country (ISO 3166 code ES or ESP, or a "
        "country IRI or prefixed name).",
    )(f)
    f = click.option(
        "--language",
        multiple=True,
        help="Only credentials taught in this language (BCP 47 / ISO 639 code, e.g. es; "
        "es also matches es-ES).",
    )(f)
    f = click.option(
        "--provider",
        multiple=True,
        type=IRI,
        metavar="IRI",
        help="Only credentials of this provider (IRI or prefixed name).",
    )(f)
    f = click.option(
        "--max-eqf",
        type=click.IntRange(1, 8),
        default=None,
        help="Only credentials at this EQF level or below.",
    )(f)
    return click.option(
        "--funding",
        default=None,
        metavar="SCHEME",
        help="Only credentials eligible under this funding scheme "
        "(IRI or profile name; its hours and EQF ranges).",
    )(f)


def _filters(
    g: nx.DiGraph,
    country: Sequence[str],
    language: Sequence[str],
    provider: Sequence[str],
    max_eqf: int | None,
    funding: str | None,
) -> Filters:
    """The filters, checked against the graph (exit 2 for a value that matches nothing)."""
    filters = Filters(tuple(country), tuple(language), tuple(provider), max_eqf, funding)
    try:
        return checked_filters(g, filters)
    except PathwaysError as err:
        hint = _in_flags(err.hint) if err.hint else None
        raise type(err)(_in_flags(err.message), hint=hint) from err


@click.command("route")
@data_argument
@store_option
@_holding_options
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
    type=Choice(["fee", "true"]),
    default="fee",
    show_default=True,
    help="Cost of a credential: its published fee, or its true cost per participant "
    "from its cost items (see 'pathways cost').",
)
@click.option(
    "--cohort",
    type=click.IntRange(min=1),
    default=15,
    show_default=True,
    help="With --cost-basis true: participants per cohort.",
)
@click.option(
    "--years",
    type=click.IntRange(min=1),
    default=3,
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
@_filter_options
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
    held = _holdings(kg, g, holding, given, on)
    g, notes = _economic_weights(kg, g, optimize, cost_basis, Horizon(cohort, years))
    try:
        plan = plan_route(
            g,
            goal,
            held,
            optimize,
            alternatives,
            _filters(g, country, language, provider, max_eqf, funding),
            term_hours,
        )
    except NoRouteError as err:
        _no_route(err, g, goal, optimize, route_context(g, goal, (), alternatives), fmt, output)
    plan = dataclasses.replace(
        plan,
        notes=tuple(_in_flags(n) for n in (*held.notes, *plan.notes, *notes)),
        excluded={k: _in_flags(v) for k, v in plan.excluded.items()},
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
    reasons = tuple(_in_flags(r) for r in err.reasons)
    for reason in reasons:
        click.echo(f"  because: {reason}", err=True)
    if fmt == "json":
        label = str(g.nodes[goal].get("label", goal)) if goal in g else goal
        doc = no_route_json(goal, label, optimize, _in_flags(err.message), reasons, context)
        write_output(doc, output)
    raise NoRouteError(_in_flags(err.message), reasons=err.reasons) from err


def _economic_weights(
    kg: KnowledgeGraph, g: nx.DiGraph, optimize: str, cost_basis: str, horizon: Horizon
) -> tuple[nx.DiGraph, tuple[str, ...]]:
    """Put true costs and outcome weights on the projected graph when asked."""
    notes: tuple[str, ...] = ()
    if cost_basis == "true":
        g, notes = with_true_costs(g, cost_model(kg), horizon)
    if optimize == "outcome":
        rates, pooled = expected_employment_rates(outcome_indicators(kg))
        g, more = with_outcome_weights(g, rates, pooled)
        notes += more
    return g, notes


@click.command("gap")
@data_argument
@store_option
@_holding_options
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
@_filter_options
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
    held = _holdings(kg, g, holding, given, on)
    report = skill_gap(
        g, iri, held, optimize, _filters(g, country, language, provider, max_eqf, funding)
    )

    def lab(n: str) -> str:
        return str(g.nodes[n].get("label", n)) if n in g else n

    currencies = gap_currencies(g, report)
    if fmt == "json":
        write_output(gap_json(g, report, held), output)
        return
    lines = [f"Gap to {lab(iri)} ({shorten(iri)})"]
    lines.append(f"  missing essential skills: {len(report.missing_essential)}")
    lines.extend(f"    - {lab(s)}" for s in report.missing_essential)
    lines.append(f"  missing optional skills: {len(report.missing_optional)}")
    lines.append(f"  credentials to cover the essential gap ({report.method}, {report.bound}):")
    lines.extend(f"    - {lab(c)} ({shorten(c)})" for c in report.credentials)
    lines.append(f"  total {optimize}: {_measure_text(optimize, report.weight, currencies)}")
    lines.extend(f"  uncoverable: {lab(s)}" for s in report.uncoverable)
    lines.extend(f"  ! {shorten(i)} does not count: {r}" for i, r in held.expired)
    write_output("\n".join(lines) + "\n", output)


def _measure_text(optimize: str, value: float, currencies: Sequence[str]) -> str:
    """A total in its unit: money with its currency (by the one money formatter),
    hours, credits or credentials.

    >>> _measure_text("cost", 305.0, ["EUR"]), _measure_text("hours", 72.0, [])
    ('305.00 EUR', '72 h')
    """
    if optimize in ("cost", "outcome"):
        if len(currencies) == 1:
            return format_money(Money.of(repr(float(value)), currencies[0]))
        if currencies:
            return f"{value:.2f} (fees in several currencies: {', '.join(currencies)})"
        return f"{value:.2f} (no fee states a currency)"
    unit = {"hours": "h", "credits": "ECTS-equivalent credits", "steps": "credential(s)"}
    return f"{value:g} {unit.get(optimize, '')}".rstrip()


def _condition_lines(
    c: ConditionProgress,
    depth: int,
    name: Callable[[str], str] = shorten,
    open_name: Callable[[str], str] = shorten,
) -> list[str]:
    """A condition's progress; what is still open is named so that it can be asked
    for next (``open_name``: label and prefixed name)."""
    pad = "  " * depth
    extra = f", at most {c.max_required}" if c.max_required is not None else ""
    for have, low, high, unit in (
        (c.hours, c.min_hours, c.max_hours, "h"),
        (c.credits, c.min_credits, c.max_credits, "credits"),
    ):
        if low is not None and high is not None:
            span = f"exactly {low:g}" if abs(low - high) < 1e-9 else f"{low:g}-{high:g}"
        elif high is not None:
            span = f"at most {high:g}"
        elif low is not None:
            span = f"{low:g}"
        else:
            continue
        extra += f", {have:g}/{span} {unit}"
    label = shorten(c.label) if c.label == c.key else c.label
    lines = [f"{pad}- {label}: {c.status} ({c.counted} of {c.required}{extra})"]
    if c.earned:
        lines.append(f"{pad}    done: " + "; ".join(name(i) for i in c.earned))
    if c.missing and c.status != "satisfied":
        lines.append(f"{pad}    open: " + "; ".join(open_name(i) for i in c.missing))
    for s in c.subconditions:
        lines.extend(_condition_lines(s, depth + 1, name, open_name))
    return lines


@click.command("stack")
@data_argument
@store_option
@_holding_options
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
    held = _holdings(kg, g, holding, given, on)
    added = list(extra)
    for iri in added:
        _check(kg, g, iri, (("credential",), "--add counts a credential as held"), "--add")
    report = stack_audit(g, held, added, include_unstarted=include_all)
    if fmt == "json":
        write_output(stack_json(report, added, held), output)
        return

    def label(i: str) -> str:
        return str(g.nodes[i].get("label", i)) if i in g else shorten(i)

    def named(i: str) -> str:
        return f"{label(i)} ({shorten(i)})" if i in g and label(i) != i else shorten(i)

    lines = []
    for r in report:
        what = " (prerequisite conditions)" if r.prerequisites else ""
        lines.append(f"{r.label} ({shorten(r.iri)}): {r.status}{what}")
        for c in r.conditions:
            lines.extend(_condition_lines(c, 1, label, named))
    if not report:
        lines.append("no larger credential is started (use --all to list them all)")
    lines.extend(f"! {shorten(i)} does not count: {r}" for i, r in held.expired)
    lines.extend(f"note: {n}" for n in held.notes)
    write_output("\n".join(lines) + "\n", output)


COMMANDS: list[click.Command] = [route_command, gap_command, stack_command]
