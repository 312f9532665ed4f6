"""The ``pathways`` command: one click group gathering the commands of every concern.

Each module of :mod:`pathways.cli` (except private ones) exposes ``COMMANDS``. The
group is lazy: :data:`COMMAND_TABLE` names each command's module and short help, so
``pathways --help`` and ``pathways --version`` import neither rdflib, NetworkX nor
NumPy, and ``pathways info`` imports only the module of ``info``. Adding a command
means adding its row here; ``tests/cli/test_startup.py`` checks the table against
every module's ``COMMANDS`` and each row's short help against the command's own.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

import click

from pathways import __version__

__all__ = ["COMMAND_TABLE", "LazyGroup", "main"]

EPILOG = """\b
Exit codes: 0 success or conforms, 1 does not conform or no route,
2 usage or input error, 3 internal error.

\b
Example:
  pathways info
  pathways query "SELECT ?c ?t WHERE { ?c a pw:MicroCredential ; pw:title ?t } LIMIT 5"
"""


class CommandEntry(NamedTuple):
    """Where a command lives (a module of :mod:`pathways.cli`) and its short help."""

    module: str
    short_help: str


#: Every command: its module in :mod:`pathways.cli` and its short help (the first
#: sentence of its docstring, as ``command.get_short_help_str`` gives it).
COMMAND_TABLE: dict[str, CommandEntry] = {
    "cost": CommandEntry(
        "economics", "The true cost of credentials per participant, from their pw:CostItem nodes."
    ),
    "eligibility": CommandEntry(
        "validation", "List every micro-credential with its eligibility under a funding scheme."
    ),
    "export": CommandEntry(
        "kg", "Export the graph in any registered format; same graph, same bytes."
    ),
    "fund": CommandEntry(
        "economics",
        "Eligibility and public, employer and learner shares under funding schemes.",
    ),
    "gap": CommandEntry(
        "routes",
        "Skills of an occupation the learner lacks, and the cheapest credentials to cover them.",
    ),
    "import": CommandEntry(
        "interop",
        "Import FILES in FORMAT (ctdl, elm, esco, eperusteet, spreadsheet) into the ontology.",
    ),
    "info": CommandEntry(
        "kg", "Summarise a knowledge graph: triples, instances per class, levels, countries."
    ),
    "load": CommandEntry(
        "kg", "Load RDF files or folders, checking every file; into a store with --store."
    ),
    "metrics": CommandEntry(
        "metrics", "Curricular analytics: blocking and delay factors, centrality, complexity."
    ),
    "outcomes": CommandEntry(
        "outcomes", "Outcome indicators per credential and pathway from cohort outcome records."
    ),
    "profiles": CommandEntry("validation", "List the bundled validation profiles, one a line."),
    "query": CommandEntry(
        "kg", "Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the graph."
    ),
    "route": CommandEntry(
        "routes", "The optimal set of credentials to reach a goal, scheduled in terms."
    ),
    "serve": CommandEntry(
        "serve", "Serve the web explorer: search, credential pages, a JSON API and /sparql."
    ),
    "simulate": CommandEntry(
        "outcomes",
        "Allocate one budget by enrolment and under pathway conditionality, and compare.",
    ),
    "stack": CommandEntry(
        "routes", "Progress towards larger credentials and pathways, like a degree audit."
    ),
    "template": CommandEntry(
        "interop", "Write the empty spreadsheet template for entering credentials in bulk."
    ),
    "validate": CommandEntry(
        "validation",
        "Validate DATA (default: the bundled pilot graph) against SHACL profiles or shapes.",
    ),
}


def _short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` as click cuts a command's short help."""
    return click.Command(None, help=text).get_short_help_str(limit)


class LazyGroup(click.Group):
    """A click group that imports a command's module only when that command runs (or
    its own help is asked for); the group's help lists the table's short help."""

    def __init__(self, *args: object, table: dict[str, CommandEntry], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.table = table

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.table, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.table:
            module = importlib.import_module(f"{__name__}.{self.table[cmd_name].module}")
            for command in getattr(module, "COMMANDS", []):
                self.add_command(command)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            if name in self.commands:
                text = self.commands[name].get_short_help_str(limit)
            else:
                text = _short(self.table[name].short_help, limit)
            rows.append((name, text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    table=COMMAND_TABLE,
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="pathways")
def main() -> None:
    """pathways: make micro-credential pathways checkable and navigable.

    Every command reads DATA (RDF files or folders; the bundled pilot knowledge
    graph when none is given) or a persistent store (--store DIR).
    """
