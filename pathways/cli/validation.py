"""``pathways validate``, ``pathways profiles`` and ``pathways eligibility``."""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

import click
from rdflib import URIRef

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
from pathways.errors import InputError, NotFoundError
from pathways.output import csv_writer
from pathways.rdf.iris import shorten
from pathways.rdf.locations import located_files
from pathways.rdf.parsing import input_files
from pathways.validation import ValidationReport, bundled_profiles, shapes_for, validate
from pathways.validation.eligibility import EligibilityReport, eligibility
from pathways.validation.profiles import CORE_PROFILES
from pathways.validation.render import FORMATS, LEVELS, ReportContext, render, summary

__all__ = ["COMMANDS"]


class _ValidateCommand(click.Command):
    """``validate``: its help ends with the bundled profiles (read when help is asked)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        profiles = sorted(bundled_profiles().values(), key=lambda p: p.name)
        with formatter.section("Profiles (--profile NAME; * checked by default)"):
            formatter.write_dl(
                [
                    (
                        p.name + (" *" if p.name in CORE_PROFILES else ""),
                        p.label + (f" (includes {', '.join(p.includes)})" if p.includes else ""),
                    )
                    for p in profiles
                ]
            )


@click.command("validate", cls=_ValidateCommand)
@data_argument
@store_option
@click.option(
    "--profile",
    "profiles",
    multiple=True,
    metavar="NAME",
    help="A bundled profile (repeatable; listed below). Default, with no --shapes "
    "either: the core profiles, marked *.",
)
@click.option(
    "--shapes",
    "shapes_files",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="A SHACL shapes file (repeatable).",
)
@format_option(FORMATS, "human", "Report format.")
@click.option(
    "--fail-on",
    type=Choice(list(LEVELS)),
    default="violation",
    show_default=True,
    help="Lowest severity that makes the exit code 1 (SHACL itself fails on any result).",
)
@click.option(
    "--severity",
    "show",
    type=Choice(list(LEVELS)),
    default="info",
    show_default=True,
    help="Lowest severity listed in the report; the counts always cover every result "
    "(turtle always lists every result).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Human report: list at most N credentials, most severe first (the counts and "
    "the summary by rule still cover all).",
)
@click.option(
    "--focus",
    "focus",
    multiple=True,
    type=IRI,
    metavar="IRI",
    help="Only validate this focus node (repeatable).",
)
@click.option(
    "--method",
    type=Choice(["auto", "compiled", "pyshacl"]),
    default="auto",
    show_default=True,
    help="Engine: compiled SPARQL with pyshacl fallback, or one of them only.",
)
@click.option("--explain", is_flag=True, help="Print on stderr which engine checked each shape.")
@output_option
@handle_errors
def validate_command(
    data: tuple[Path, ...],
    store: Path | None,
    profiles: tuple[str, ...],
    shapes_files: tuple[Path, ...],
    fmt: str,
    fail_on: str,
    show: str,
    limit: int | None,
    focus: tuple[str, ...],
    method: str,
    explain: bool,
    output: Path | None,
) -> None:
    """Validate DATA (default: the bundled pilot graph) against SHACL profiles or shapes.

    With neither --profile nor --shapes, the core of the mission is checked: pathway
    conditionality and stackability integrity (the profiles marked * below); the
    report's header says what was checked. A --shapes file that defines no shape is
    an input error; an owl:imports of a shapes file that was not loaded is a warning
    (pathways does not fetch imports: give the imported file with --shapes too).

    Exit 0 when nothing at or above --fail-on is found, 1 otherwise, 2 for usage or
    input errors (an unparseable shapes file too), 3 for internal errors. SHACL's own
    verdict (conforms only with no result at all) is in the report as well.

    \b
    Examples:
      pathways validate my-credentials.ttl
      pathways validate --profile eu-standard-elements --severity violation
      pathways validate big-catalogue.ttl --limit 20
      pathways validate my-credentials.ttl --profile conditionality --format json -o report.json
      pathways validate data.ttl --shapes my-shapes.ttl --fail-on warning
    """
    started = time.perf_counter()
    # Before loading: a bad shapes file fails fast.
    shapes = shapes_for(profiles, shapes_files, default_core=True)
    for warning in shapes.warnings:
        click.echo(f"warning: {warning}", err=True)
    nodes = [URIRef(f) for f in focus]
    kg = open_kg(data, store)
    for node in nodes:  # an IRI not in the data would otherwise "conform" silently
        if not kg.ask("ASK { { ?node ?p ?o } UNION { ?s ?p ?node } }", node=node):
            error = instance_error(kg, str(node), None, "a resource", path="--focus")
            raise error or NotFoundError(f"--focus {node} is not in the knowledge graph")
    on_terminal = _stderr_is_terminal()
    try:
        report = validate(
            kg,
            shapes,
            focus=nodes,
            method=method,  # type: ignore[arg-type]
            progress=_progress_line if on_terminal else None,
        )
    except InputError as err:  # a shape that cannot be evaluated: name its file if we can
        if err.path is None and not profiles and len(shapes_files) == 1:
            err.path = str(shapes_files[0])
        raise
    if explain:
        for shape, engine, reason in report.plan:
            click.echo(f"{engine:9} {shape}  ({reason})", err=True)
    sources = None
    if fmt == "sarif" and data and store is None:  # SARIF points at the files' lines
        sources = located_files(input_files(data), Path.cwd())
    context = ReportContext(shapes=shapes, fail_on=fail_on, show=show, limit=limit, sources=sources)
    if on_terminal:
        click.echo(f"  writing the {fmt} report...".ljust(60) + "\r", err=True, nl=False)
    write_output(render(report, fmt, context), output)
    if on_terminal:
        seconds = time.perf_counter() - started
        click.echo(_done_line(report, context, seconds, output), err=True)
    if report.at_or_above(LEVELS[fail_on]):
        sys.exit(1)


def _progress_line(stage: str, done: int, total: int) -> None:
    """The validation's progress on one terminal line (only drawn on a TTY)."""
    if total and (done == total or done % max(1, total // 100) == 0):
        text = f"  validating: {done}/{total} {stage} ({100 * done // total}%)"
        click.echo(text.ljust(60) + "\r", err=True, nl=False)


def _stderr_is_terminal() -> bool:
    """Progress and the closing line are for people: only on a terminal, never in a pipe."""
    return sys.stderr.isatty()


def _done_line(
    report: ValidationReport, context: ReportContext, seconds: float, output: Path | None
) -> str:
    """What was done, in one line: what was checked, the results, the verdict, where."""
    counts = summary(report, context.fail_on)
    shapes = context.shapes.shape_count if context.shapes else 0
    where = f"; report in {output}" if output is not None else ""
    return (
        f"validated {counts['credentials_checked']} credentials against {shapes} shapes "
        f"in {seconds:.1f} s: {counts['results']} results ({counts['violations']} violations, "
        f"{counts['warnings']} warnings, {counts['infos']} infos); "
        f"{counts['credentials_failing']} credentials fail at --fail-on {context.fail_on}"
        f"{where}"
    ).ljust(60)


@click.command("profiles")
@format_option(["human", "json"], "human", "Output format: one line a profile, or json.")
@handle_errors
def profiles_command(fmt: str) -> None:
    """List the bundled validation profiles, one a line.

    \b
    Example:
      pathways profiles
    """
    profiles = sorted(bundled_profiles().values(), key=lambda p: p.name)
    if fmt == "json":
        rows = [
            {"name": p.name, "label": p.label, "comment": p.comment, "includes": list(p.includes)}
            for p in profiles
        ]
        write_output(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", None)
        return
    width = max((len(p.name) for p in profiles), default=0)
    lines = []
    for p in profiles:
        extra = f" (includes {', '.join(p.includes)})" if p.includes else ""
        lines.append(f"{p.name.ljust(width)}  {p.label}{extra}")
    write_output("\n".join(lines) + "\n", None)


@click.command("eligibility")
@data_argument
@store_option
@click.option(
    "--scheme",
    required=True,
    metavar="NAME",
    help="Funding scheme: its IRI, local name or profile name.",
)
@format_option(
    ["human", "json", "csv"],
    "human",
    "Output format: human text, json, or csv for a funder's spreadsheet.",
)
@output_option
@handle_errors
def eligibility_command(
    data: tuple[Path, ...], store: Path | None, scheme: str, fmt: str, output: Path | None
) -> None:
    """List every micro-credential with its eligibility under a funding scheme.

    The scheme's pw:validationProfile names the rules; a credential with any
    violation of them is not eligible, and the failed conditions are listed.

    \b
    Examples:
      pathways eligibility --scheme funding-es-fundae
      pathways eligibility --scheme https://w3id.org/pathways/pilot/scheme-fundae --format csv
    """
    kg = open_kg(data, store)
    write_output(_render_eligibility(eligibility(kg, scheme), fmt), output)


def _render_eligibility(report: EligibilityReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(["credential", "label", "eligible", "failed_conditions"])
        for r in report.rows:
            writer.writerow(
                [str(r.credential), r.label, "yes" if r.eligible else "no", " | ".join(r.failed)]
            )
        return out.getvalue()
    lines = [f"{report.scheme_label} (profile {report.profile})", ""]
    for r in report.rows:
        name = f"{r.label} ({shorten(str(r.credential))})"
        lines.append(f"{'ELIGIBLE    ' if r.eligible else 'NOT ELIGIBLE'}  {name}")
        lines.extend(f"    - {reason}" for reason in r.failed)
    lines.append("")
    lines.append(f"{report.eligible_count} of {len(report.rows)} micro-credentials eligible.")
    return "\n".join(lines) + "\n"


COMMANDS: list[click.Command] = [validate_command, profiles_command, eligibility_command]
