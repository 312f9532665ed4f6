"""The ``metrics`` command: curricular analytics of pathways or of a curriculum CSV."""

from __future__ import annotations

from pathlib import Path

import click

from pathways.analytics import (
    requisite_findings,
    requisite_metrics,
    to_csv,
    to_human,
    to_json,
)
from pathways.analytics.report import graph_metrics, node_labels, refuse_cycles
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
from pathways.errors import UsageError
from pathways.interop.curricular_analytics import curriculum_graph, read_curriculum

__all__ = ["COMMANDS"]


@click.command("metrics")
@data_argument
@store_option
@click.option(
    "--pathway",
    type=IRI,
    metavar="IRI",
    help="Only this pw:ProgressionPathway and what it requires (IRI or prefixed name).",
)
@format_option(
    ["human", "json", "csv"], "human", "Output format (csv: one row per node, no findings)."
)
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=25,
    show_default=True,
    help="Rows of the human table, by decreasing complexity (0: all).",
)
@output_option
@handle_errors
def metrics_command(
    data: tuple[Path, ...],
    store: Path | None,
    pathway: str | None,
    fmt: str,
    top: int,
    output: Path | None,
) -> None:
    """Curricular analytics: blocking and delay factors, centrality, complexity.

    Per credential (or course), in total and each metric's maximum, as defined and
    computed by Heileman et al. (2018) and CurricularAnalytics.jl (centrality: the
    summed lengths of the source-to-sink paths through a node; every requisite kind
    is an edge). Plus findings: requisite cycles, strict co-requisites no term order
    can meet (as CurricularAnalytics.jl's is_valid), orphans, dead ends (credentials
    that stack into no qualification or pathway), the number of routes to each
    qualification and pathway, the credentials every route must pass, and EQF level
    inversions. DATA is RDF (the bundled pilot graph when none) or one Curricular
    Analytics CSV curriculum (dead ends and routes do not apply there). A requisite
    cycle is an input error (exit 2) naming every cycle.

    \b
    Examples:
      pathways metrics
      pathways metrics --pathway https://w3id.org/pathways/pilot/hv-pathway --format json
      pathways metrics curriculum.csv --format csv -o metrics.csv
    """
    tables = [p for p in data if p.suffix.lower() == ".csv"]
    if tables:
        if len(data) != 1 or store is not None or pathway is not None:
            raise UsageError(
                "a Curricular Analytics CSV is read alone",
                hint="give one .csv file, without RDF files, --store or --pathway",
            )
        curriculum = read_curriculum(tables[0])
        g = curriculum_graph(curriculum)
        findings = requisite_findings(g)
        refuse_cycles(findings, tables[0])
        metrics = requisite_metrics(g, quarter_system=curriculum.is_quarter_system)
        labels = node_labels(g)
        title = f"curriculum {curriculum.name or tables[0].name}: {len(g)} courses"
    else:
        report = graph_metrics(open_kg(data, store, read_only=True), pathway)
        metrics, findings, labels, title = (
            report.metrics,
            report.findings,
            report.labels,
            report.title,
        )
    if fmt == "json":
        text = to_json(metrics, findings, labels)
    elif fmt == "csv":
        text = to_csv(metrics)
    else:
        text = to_human(metrics, findings, labels, title=title, top=top)
    write_output(text, output)


COMMANDS = [metrics_command]
