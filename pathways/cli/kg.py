"""Knowledge-graph commands: ``load``, ``info``, ``query`` and ``export``."""

from __future__ import annotations

import json
import shutil
import signal
import sys
import time
from pathlib import Path

import click

from pathways.catalogue.index_cache import index_generation
from pathways.cli._choice import Choice
from pathways.cli._common import (
    IRI,
    data_argument,
    format_option,
    handle_errors,
    open_kg,
    output_option,
    progress_printer,
    store_option,
    write_output,
)
from pathways.errors import InputError, UsageError
from pathways.export import EXPORTERS, ExportOptions, export
from pathways.rdf import generations
from pathways.rdf.sparql import QueryOutcome, render_table, run_query
from pathways.rdf.sparql_results import serialize
from pathways.rdf.store import KnowledgeGraph
from pathways.rdf.summary import summarize

__all__ = ["COMMANDS"]


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so a load stops the same way."""


def _terminate(_signum: int, _frame: object) -> None:
    raise _Terminated


@click.command("load")
@click.argument("data", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--store",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Persistent store folder to load into (created if new).",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0,
    show_default=True,
    metavar="SECONDS",
    help="If another load is running on the store, wait this long for it (0: refuse).",
)
@handle_errors
def load_command(data: tuple[Path, ...], store: Path | None, wait: float) -> None:
    """Load RDF files or folders, checking every file; into a store with --store.

    Without --store the files are parsed and checked in memory only (a dry run that
    reports what a load would add). Loading is atomic: if any file fails, or the
    load is interrupted (Ctrl-C, SIGTERM, even SIGKILL), the store is left exactly as
    it was; readers see the old content until the load commits. One load at a time:
    a second one is refused (exit 2) unless --wait gives it time. Formats by suffix:
    .ttl .nt .nq .trig .jsonld .json .rdf .owl .xml.

    \b
    A file's bytes are loaded once (the store keeps a copy and the SHA-256 of each
    file it loaded):
    - the same bytes again (under any path) are skipped: "already loaded, unchanged";
    - a file changed since it was loaded from the same path replaces what it gave
      (the store is rebuilt from its other files, so nothing duplicates).

    \b
    Examples:
      pathways load data/ --store kg.db
      pathways load catalogue.ttl extra.jsonld
    """
    created = store is not None and generations.layout(store) == "new"
    previous = signal.signal(signal.SIGTERM, _terminate)
    kg: KnowledgeGraph | None = None
    try:
        kg = KnowledgeGraph.open(store, wait=wait)
        report = kg.load(data, progress=progress_printer())
    except KeyboardInterrupt as err:
        code = 143 if isinstance(err, _Terminated) else 130
        committed = kg is not None and kg.commits > 0
        _close_new_store(kg, store if created and not committed else None)
        click.echo(
            "interrupted after the load was committed: the store holds the new content"
            if committed
            else "interrupted: the store is unchanged",
            err=True,
        )
        sys.exit(code)
    except BaseException:
        _close_new_store(kg, store if created else None)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
    with kg:
        for note in report.notes:
            click.echo(note)
        where = f"store {store}" if store else "memory (dry run: use --store DIR to keep it)"
        loaded = len(report.files) if report.loaded is None else report.loaded
        if loaded == 0 and not report.rebuilt:
            click.echo(
                f"nothing new to load: {len(report.files)} file(s) already in {where}, "
                f"unchanged; the graph holds {report.triples_after:,} triples"
            )
            _index(kg)  # a missing or stale index (made by other code) is written again
            return
        rebuilt = f" (and {report.rebuilt} kept, to rebuild the store)" if report.rebuilt else ""
        click.echo(
            f"loaded {loaded} file(s){rebuilt}, {report.triples_read:,} triples read, "
            f"{report.triples_added:,} new, into {where} in {report.seconds:.2f} s "
            f"({report.rate:,.0f} triples/s); the graph now holds {report.triples_after:,} triples"
        )
        _index(kg)


def _index(kg: KnowledgeGraph) -> None:
    """Write the search index of the generation just committed (``pathways serve
    --store`` reads it instead of computing it); the load itself is already done."""
    started = time.perf_counter()
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        langs = index_generation(kg)
    except KeyboardInterrupt:
        click.echo(
            "interrupted while writing the search index: the store holds the new content; "
            "a server computes the index itself",
            err=True,
        )
        sys.exit(130)
    finally:
        signal.signal(signal.SIGTERM, previous)
    if langs:
        click.echo(
            f"search index written for {', '.join(langs)} in {time.perf_counter() - started:.2f} s"
        )


def _close_new_store(kg: KnowledgeGraph | None, remove: Path | None) -> None:
    """Close a store after a failed load; remove its folder if this load created it
    (leave no half-made store behind)."""
    if kg is not None:
        kg.close()
    del kg
    if remove is not None:
        shutil.rmtree(remove, ignore_errors=True)


@click.command("info")
@data_argument
@store_option
@format_option(["text", "json"], "text", "Output format.")
@handle_errors
def info_command(data: tuple[Path, ...], store: Path | None, fmt: str) -> None:
    """Summarise a knowledge graph: triples, instances per class, levels, countries.

    \b
    Examples:
      pathways info
      pathways info data/ --format json
      pathways info --store kg.db
    """
    kg = open_kg(data, store, read_only=True)
    summary = summarize(kg)
    if fmt == "json":
        write_output(json.dumps(summary.as_json(), indent=2, sort_keys=False) + "\n", None)
        return
    lines = [
        f"triples        {summary.triples:>9,}  ({summary.ontology_triples:,} ontology, "
        f"{summary.triples - summary.ontology_triples:,} data)",
        f"credentials    {summary.credentials:>9,}",
        "",
        "instances per class",
    ]
    # shorten, not kg.graph's namespace manager: building the rdflib view of the
    # store costs more than the rest of the command on the pilot graph (issue 13)
    from pathways.rdf.iris import shorten

    for iri, n in sorted(summary.classes.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {shorten(iri):<36} {n:>7,}")
    if summary.levels:
        lines += ["", "credentials per EQF level"]
        for iri, n in summary.levels.items():
            lines.append(f"  {summary.labels.get(iri, iri):<36} {n:>7,}")
    if summary.countries:
        lines += ["", "credentials per country"]
        for iri, n in summary.countries.items():
            lines.append(f"  {summary.labels.get(iri, iri):<36} {n:>7,}")
    click.echo("\n".join(lines))


@click.command("query")
@click.argument("query")
@data_argument
@store_option
@format_option(
    ["table", "csv", "tsv", "json", "xml", "turtle", "ntriples"],
    "table",
    "table/csv/tsv/json/xml for SELECT and ASK (json, xml, csv and tsv: the W3C SPARQL "
    "results formats); turtle/ntriples for CONSTRUCT/DESCRIBE.",
)
@output_option
@handle_errors
def query_command(
    query: str, data: tuple[Path, ...], store: Path | None, fmt: str, output: Path | None
) -> None:
    """Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the graph.

    QUERY is the query text, or the path of a .rq/.sparql file, or - for standard
    input. The prefixes pw, pwsh, pilot, eqf, qdr, skos, rdfs, owl, xsd, sh and more
    are predeclared. Queries are read-only and offline: SERVICE, FROM and LOAD are
    refused.

    \b
    Examples:
      pathways query "SELECT ?c ?t WHERE { ?c a pw:MicroCredential ; pw:title ?t } LIMIT 5"
      pathways query queries/levels.rq --format csv > levels.csv
      pathways query "CONSTRUCT { ?c pw:title ?t } WHERE { ?c pw:title ?t }" --format turtle
    """
    text, source = _query_text(query)
    kg = open_kg(data, store, read_only=True)
    try:
        outcome = run_query(kg, text)
    except InputError as err:  # syntax, unsafe (SERVICE ...) or too deep
        if source is not None and err.path is None:
            err.path = str(source)  # name the query file in the message
        raise
    write_output(_render(kg, outcome, fmt), output)


def _query_text(query: str) -> tuple[str, Path | None]:
    """The query text, and the file it came from (None for text given inline)."""
    if query == "-":
        return sys.stdin.read(), None
    candidate = Path(query)
    if candidate.suffix.lower() in (".rq", ".sparql") or (
        "\n" not in query and len(query) < 4096 and candidate.is_file()
    ):
        try:
            return candidate.read_text(encoding="utf-8"), candidate
        except FileNotFoundError as err:
            raise InputError("no such query file", path=candidate) from err
        except UnicodeDecodeError as err:
            raise InputError(
                "the query file is not UTF-8 text", path=candidate, hint="save it as UTF-8"
            ) from err
        except OSError as err:
            raise InputError(f"cannot read the query file: {err.strerror}", path=candidate) from err
    return query, None


def _render(kg: KnowledgeGraph, outcome: QueryOutcome, fmt: str) -> bytes:
    if outcome.triples is not None:
        if fmt not in ("turtle", "ntriples"):
            raise UsageError(
                f"a {outcome.form} query returns triples: use --format turtle or ntriples"
            )
        return serialize(outcome, fmt)
    if fmt in ("turtle", "ntriples"):
        raise UsageError(
            f"a {outcome.form} query returns a table: use table, csv, tsv, json or xml"
        )
    if fmt == "table":
        return render_table(kg, outcome).encode("utf-8")
    return serialize(outcome, fmt)  # json, xml, csv, tsv: the W3C forms (as /sparql gives them)


@click.command("export")
@data_argument
@store_option
@click.option(
    "--to",
    "fmt",
    type=Choice(sorted(EXPORTERS)),
    default="turtle",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--include-ontology/--no-ontology",
    default=False,
    show_default=True,
    help="Also write the bundled ontology's triples (linked-data formats).",
)
@click.option(
    "--pathway",
    default=None,
    type=IRI,
    metavar="IRI",
    help="dot/svg/mermaid: draw only this pathway or credential and what leads to it; "
    "ctdl/ob3: export only it (and, for ctdl, the nodes it names).",
)
@click.option(
    "--jsonld-context",
    type=Choice(["embedded", "published", "expanded"]),
    default="embedded",
    show_default=True,
    help="jsonld: inline context, a reference to the published context, or expanded.",
)
@output_option
@handle_errors
def export_command(
    data: tuple[Path, ...],
    store: Path | None,
    fmt: str,
    include_ontology: bool,
    pathway: str | None,
    jsonld_context: str,
    output: Path | None,
) -> None:
    """Export the graph in any registered format; same graph, same bytes.

    Linked data (turtle, ntriples, jsonld, rdfxml), CTDL JSON-LD and Open Badges 3.0
    achievements, network formats for researchers (graphml, gexf, nodelink), pathway
    diagrams (dot, svg via Graphviz, mermaid) and a CSV table of credentials.

    \b
    Examples:
      pathways export --to turtle > pilot.ttl
      pathways export data/ --to jsonld -o pilot.jsonld
      pathways export --to ctdl -o pilot-ctdl.json
      pathways export --to ob3 --pathway pilot:es-hv-2s -o es-hv-2s.ob3.json
      pathways export --to svg --pathway pilot:pathway-fi-eat -o fi-eat.svg
      pathways export --store kg.db --to graphml -o network.graphml
    """
    kg = open_kg(data, store, read_only=True)
    options = ExportOptions(
        include_ontology=include_ontology, jsonld_context=jsonld_context, pathway=pathway
    )
    write_output(export(kg, fmt, options), output)


COMMANDS = [load_command, info_command, query_command, export_command]
