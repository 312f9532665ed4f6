"""Knowledge-graph commands: ``load``, ``info``, ``query`` and ``export``."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click

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
from pathways.rdf.sparql import QueryOutcome, render_table, run_query
from pathways.rdf.sparql_results import serialize
from pathways.rdf.store import KnowledgeGraph
from pathways.rdf.summary import summarize

__all__ = ["COMMANDS"]


@click.command("load")
@click.argument("data", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@handle_errors
def load_command(data: tuple[Path, ...], store: Path | None) -> None:
    """Load RDF files or folders, checking every file; into a store with --store.

    Without --store the files are parsed and checked in memory only (a dry run that
    reports what a load would add). Loading is atomic: if any file fails, nothing is
    loaded. Formats by suffix: .ttl .nt .nq .trig .jsonld .json .rdf .owl .xml.

    \b
    Examples:
      pathways load data/ --store kg.db
      pathways load catalogue.ttl extra.jsonld
    """
    created = store is not None and (not store.exists() or not any(store.iterdir()))
    kg = KnowledgeGraph.open(store)
    try:
        report = kg.load(data, progress=progress_printer())
    except BaseException:
        kg.close()
        if created and store is not None:  # leave no half-made store behind
            del kg
            shutil.rmtree(store, ignore_errors=True)
        raise
    with kg:
        where = f"store {store}" if store else "memory (dry run: use --store DIR to keep it)"
        click.echo(
            f"loaded {len(report.files)} file(s), {report.triples_read:,} triples read, "
            f"{report.triples_added:,} new, into {where} in {report.seconds:.2f} s; "
            f"the graph now holds {report.triples_after:,} triples"
        )


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
    short = kg.graph.namespace_manager.normalizeUri
    lines = [
        f"triples        {summary.triples:>9,}  ({summary.ontology_triples:,} ontology, "
        f"{summary.triples - summary.ontology_triples:,} data)",
        f"credentials    {summary.credentials:>9,}",
        "",
        "instances per class",
    ]
    from rdflib import URIRef

    for iri, n in sorted(summary.classes.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {short(URIRef(iri)):<36} {n:>7,}")
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
    ["table", "csv", "tsv", "json", "turtle", "ntriples"],
    "table",
    "table/csv/tsv/json for SELECT and ASK; turtle/ntriples for CONSTRUCT/DESCRIBE.",
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
        raise UsageError(f"a {outcome.form} query returns a table: use table, csv, tsv or json")
    if fmt == "table":
        return render_table(kg, outcome).encode("utf-8")
    return serialize(outcome, fmt)  # json, csv, tsv: the W3C forms (as /sparql gives them)


@click.command("export")
@data_argument
@store_option
@click.option(
    "--to",
    "fmt",
    type=click.Choice(sorted(EXPORTERS)),
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
    help="dot/svg/mermaid: draw only this pathway or credential and what leads to it.",
)
@click.option(
    "--jsonld-context",
    type=click.Choice(["embedded", "published", "expanded"]),
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
      pathways export --to svg --pathway pilot:pathway-fi-eat -o fi-eat.svg
      pathways export --store kg.db --to graphml -o network.graphml
    """
    kg = open_kg(data, store, read_only=True)
    options = ExportOptions(
        include_ontology=include_ontology, jsonld_context=jsonld_context, pathway=pathway
    )
    write_output(export(kg, fmt, options), output)


COMMANDS = [load_command, info_command, query_command, export_command]
