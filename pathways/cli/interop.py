"""Commands ``import`` and ``template``: bring CTDL, ELM, ESCO, ePerusteet and
spreadsheet data into the pathways ontology."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from pathways.cli._choice import Choice
from pathways.cli._common import IRI, OutputPath, format_option, handle_errors, write_output
from pathways.cli._import_summary import clear_progress, import_progress, import_summary
from pathways.errors import InputError, UsageError
from pathways.interop import IMPORTERS, ImportResult, import_files
from pathways.interop.template import write_template
from pathways.interop.writing import OUTPUT_FORMATS, load_into, serialize
from pathways.rdf.store import KnowledgeGraph

__all__ = ["COMMANDS"]


def _contexts(pairs: tuple[str, ...]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for pair in pairs:
        url, sep, file = pair.rpartition("=")
        if not sep or not url or not file:
            raise UsageError(f"--context {pair!r} is not URL=FILE")
        found[url] = Path(file)
    return found


def _report(result: ImportResult, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([f.as_dict() for f in result.findings], indent=2), err=True)
        return
    for finding in result.findings:
        click.echo(str(finding), err=True)


@click.command("import")
@click.argument("fmt", metavar="FORMAT", type=Choice(sorted(IMPORTERS)))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=OutputPath(dir_okay=False),
    default=None,
    help="Write the imported graph to FILE (written only if the import succeeds).",
)
@click.option(
    "--store",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Load the imported graph into this persistent store (atomically).",
)
@click.option(
    "--to",
    "out_format",
    type=Choice(sorted(OUTPUT_FORMATS)),
    default="turtle",
    show_default=True,
    help="Output syntax.",
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Write what could be imported even when some files or rows failed.",
)
@click.option(
    "--findings-format",
    type=Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How findings are printed on stderr.",
)
@click.option(
    "--context",
    "contexts",
    multiple=True,
    metavar="URL=FILE",
    help="CTDL/ELM: a local copy of a JSON-LD context pathways does not ship.",
)
@click.option(
    "--occupation",
    "occupations",
    multiple=True,
    type=IRI,
    metavar="IRI",
    help="ESCO: import only this occupation (repeatable).",
)
@click.option(
    "--isco-group",
    "isco_groups",
    multiple=True,
    metavar="CODE",
    help="ESCO: import only occupations in this ISCO group, e.g. 7231 (repeatable).",
)
@click.option(
    "--base",
    default=None,
    type=IRI,
    metavar="IRI",
    help="Spreadsheet: namespace for ids that are not IRIs (IRI or prefix, e.g. pilot:).",
)
@handle_errors
def import_command(
    fmt: str,
    files: tuple[Path, ...],
    output: Path | None,
    store: Path | None,
    out_format: str,
    keep_going: bool,
    findings_format: str,
    contexts: tuple[str, ...],
    occupations: tuple[str, ...],
    isco_groups: tuple[str, ...],
    base: str | None,
) -> None:
    """Import FILES in FORMAT (ctdl, elm, esco, eperusteet, spreadsheet) into the ontology.

    Findings (defects in the files, mapping losses) go to stderr. When a file or row
    cannot be imported the command exits 2 and writes nothing, unless --keep-going is
    given, in which case the rest is written and the exit code is 0. When nothing at
    all could be imported, the command exits 2 and writes nothing, --keep-going or not.

    \b
    Examples:
      pathways import ctdl heriot-watt-pathway.ttl heriot-watt-courses.ttl -o hw.ttl
      pathways import esco occupations_en.csv skills_en.csv.gz \\
          occupationSkillRelations.csv.gz --isco-group 7231 -o esco.ttl
      pathways import spreadsheet template/ --store kg/
    """
    options: dict[str, object] = {}
    if contexts:
        if fmt not in ("ctdl", "elm"):
            raise UsageError("--context applies to ctdl and elm only")
        options["contexts"] = _contexts(contexts)
    if occupations or isco_groups:
        if fmt != "esco":
            raise UsageError("--occupation and --isco-group apply to esco only")
        options.update(occupations=occupations, isco_groups=isco_groups)
    if base is not None:
        if fmt != "spreadsheet":
            raise UsageError("--base applies to spreadsheet only")
        options["base"] = base
    if output is not None and store is not None:
        raise UsageError("give -o FILE or --store DIR, not both")
    started = time.perf_counter()
    progress = import_progress()
    result = import_files(fmt, files, progress=progress, **options)
    clear_progress(progress)
    _report(result, findings_format)
    if result.imported_nothing:
        failed = sorted({f.file for f in result.errors})
        if failed:
            raise InputError(
                f"nothing was imported: {len(result.errors)} error(s) in {len(failed)} of "
                f"{len(files)} file(s) ({', '.join(failed)}); nothing was written",
                hint="the findings above say why, file by file; --keep-going cannot help here",
            )
        names = ", ".join(f.name for f in files[:5]) + (", ..." if len(files) > 5 else "")
        raise InputError(
            f"nothing was imported: {names} hold(s) no record to import; nothing was written",
            hint=f"check that they are {fmt} files with content",
        )
    if result.has_errors and not keep_going:
        raise InputError(
            f"{len(result.errors)} error(s) in the input; nothing was written",
            hint="fix them, or use --keep-going to write what could be imported",
        )
    if store is not None:
        with KnowledgeGraph.open(store) as kg:
            report = load_into(kg, result.graph)
        seconds = time.perf_counter() - started
        where = f"store {store} ({report.triples_added:,} new)"
        click.echo(import_summary(result, fmt, seconds, where), err=True)
        return
    write_output(serialize(result.graph, out_format), output)
    seconds = time.perf_counter() - started
    where = str(output) if output is not None else "stdout"
    click.echo(import_summary(result, fmt, seconds, where), err=True)


@click.command("template")
@format_option(["csv", "xlsx"], "csv", "CSV files (one per table) or one xlsx workbook.")
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
    required=True,
    help="Folder for the CSV files, or the .xlsx file to write.",
)
@handle_errors
def template_command(fmt: str, output: Path) -> None:
    """Write the empty spreadsheet template for entering credentials in bulk.

    The tables (credentials, outcomes, assessments, conditions) and their columns are
    documented in docs/spreadsheet-template.md; fill them in and run
    'pathways import spreadsheet'.

    \b
    Examples:
      pathways template --format csv -o my-credentials/
      pathways template --format xlsx -o my-credentials.xlsx
    """
    if fmt == "xlsx" and output.suffix.lower() != ".xlsx":
        raise UsageError("the xlsx template needs a file name ending in .xlsx")
    if fmt == "csv" and output.exists() and not output.is_dir():
        raise UsageError("the csv template needs a folder", hint="give a folder with -o")
    for path in write_template(fmt, output):
        click.echo(f"wrote {path}", err=True)


COMMANDS: list[click.Command] = [import_command, template_command]
