"""The ``pathways`` command: one click group gathering the commands of every concern.

Each module of :mod:`pathways.cli` (except private ones) exposes ``COMMANDS``;
they are discovered in name order, so adding a concern needs no edit here.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

from pathways import __version__
from pathways import cli as _commands_pkg

__all__ = ["main"]

EPILOG = """\b
Exit codes: 0 success or conforms, 1 does not conform or no route,
2 usage or input error, 3 internal error.

\b
Example:
  pathways info
  pathways query "SELECT ?c ?t WHERE { ?c a pw:MicroCredential ; pw:title ?t } LIMIT 5"
"""


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pathways")
def main() -> None:
    """pathways: make micro-credential pathways checkable and navigable.

    Every command reads DATA (RDF files or folders; the bundled pilot knowledge
    graph when none is given) or a persistent store (--store DIR).
    """


def _register() -> None:
    for info in sorted(pkgutil.iter_modules(_commands_pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{_commands_pkg.__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", []):
            main.add_command(command)


_register()
