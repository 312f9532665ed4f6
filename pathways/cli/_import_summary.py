"""What ``pathways import`` says while it works and when it is done (issue 13).

Progress (on a terminal's stderr only, never in a pipe): the file being read and, for
the files an importer reads row by row, how far into it. The summary (always, on
stderr, so stdout stays the imported graph): files, what was imported by kind
(credentials first), triples written and where, and the seconds taken.
"""

from __future__ import annotations

import sys

import click
from rdflib import RDF, Graph

from pathways.interop import ImportProgress, ImportResult
from pathways.vocab import PW

__all__ = ["import_progress", "import_summary"]

#: What the summary counts, in this order (credentials always, the rest when present).
_KINDS = (
    ("credential(s)", (PW.MicroCredential, PW.Qualification, PW.OtherCredential)),
    ("pathway(s)", (PW.ProgressionPathway,)),
    ("occupation(s)", (PW.Occupation,)),
    ("skill(s)", (PW.Skill,)),
)
_WIDTH = 70


def import_progress(enabled: bool | None = None) -> ImportProgress | None:
    """A progress line on a terminal's stderr (rewritten in place), or None in a pipe."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None

    def show(file: str, done: int, total: int) -> None:
        where = f": {100 * done // total}% read" if total else ""
        click.echo(f"  importing {file}{where}"[:_WIDTH].ljust(_WIDTH) + "\r", err=True, nl=False)

    return show


def clear_progress(progress: ImportProgress | None) -> None:
    """Blank the progress line before anything else is written to stderr."""
    if progress is not None:
        click.echo(" " * _WIDTH + "\r", err=True, nl=False)


def counts(graph: Graph) -> list[tuple[str, int]]:
    """How many resources of each kind ``graph`` holds (credentials always listed)."""
    found = []
    for name, classes in _KINDS:
        subjects = {s for cls in classes for s in graph.subjects(RDF.type, cls)}
        if subjects or name == "credential(s)":
            found.append((name, len(subjects)))
    return found


def import_summary(result: ImportResult, fmt: str, seconds: float, destination: str) -> str:
    """One line: what was imported from how many files, the triples written, where, time.

    >>> from pathways.interop import import_files
    >>> empty = import_files("spreadsheet", [])
    >>> import_summary(empty, "spreadsheet", 0.5, "stdout")
    'imported 0 of 0 file(s) (spreadsheet): 0 credential(s); 0 triples written to stdout \
in 0.50 s'
    """
    read = sum(1 for s in result.sources if s.imported)
    what = ", ".join(f"{n:,} {name}" for name, n in counts(result.graph))
    return (
        f"imported {read} of {len(result.sources)} file(s) ({fmt}): {what}; "
        f"{len(result.graph):,} triples written to {destination} in {seconds:.2f} s"
    )
