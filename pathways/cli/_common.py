"""What every command shares: data arguments, ``--store``, output files, error handling.

Commands live in one module per concern in :mod:`pathways.cli`; each module
exposes ``COMMANDS``, a list of click commands that :mod:`pathways.cli` gathers.
Commands parse options, call library functions, print, and exit; errors become
messages on stderr and the exit codes of :data:`pathways.errors.EXIT_CODES`.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from pathways.cli._choice import Choice
from pathways.errors import InputError, PathwaysError, UsageError
from pathways.output import BlockedPathError, blocking_file, write_atomically
from pathways.rdf import safety
from pathways.rdf.iris import expand_iri
from pathways.rdf.store import KnowledgeGraph, LoadStep, Progress

__all__ = [
    "IRI",
    "IRI_OR_CODE",
    "IriOrCodeType",
    "IriType",
    "OutputPath",
    "data_argument",
    "fail",
    "format_option",
    "handle_errors",
    "open_kg",
    "output_option",
    "progress_printer",
    "store_option",
    "write_output",
]

F = TypeVar("F", bound=Callable[..., Any])


class IriType(click.ParamType[str, Any]):
    """A click parameter type for every IRI option: ``<iri>``, a full IRI or a prefixed
    name, expanded by :func:`pathways.rdf.iris.expand_iri` while click parses the command
    line, so a malformed IRI is refused (exit 2) before any data is loaded.

    >>> IRI.convert("pilot:pathway-fi-eat", None, None)
    'https://w3id.org/pathways/pilot/pathway-fi-eat'
    """

    name = "iri"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        option = max(param.opts, key=len) if param is not None and param.opts else "<argument>"
        try:
            return expand_iri(str(value), path=option)
        except InputError as err:
            raise _OptionError(err, ctx) from err


class _OptionError(click.UsageError):
    """A domain error met while click parses an option, shown as every command
    shows errors (``error: --to: ...``, exit 2) rather than as click's usage text."""

    exit_code = 2  # an input error, as every malformed IRI is

    def __init__(self, error: PathwaysError, ctx: click.Context | None) -> None:
        super().__init__(str(error), ctx)

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


class IriOrCodeType(IriType):
    """An IRI option that also takes a plain code (``ESP``): text without a colon is
    returned as it is, anything else is expanded as :class:`IriType` does.

    >>> IRI_OR_CODE.convert("ESP", None, None), IRI_OR_CODE.convert("country:FIN", None, None)
    ('ESP', 'http://publications.europa.eu/resource/authority/country/FIN')
    """

    name = "iri-or-code"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        return text if ":" not in text else super().convert(text, param, ctx)


#: The one parameter type of IRI options (see :class:`IriType`).
IRI = IriType()
#: IRI options that also take a code, such as ``--country ESP``.
IRI_OR_CODE = IriOrCodeType()


class OutputPath(click.Path):
    """A path the command writes (``-o``, ``--report``): refused at once (exit 2) when
    a file stands where one of its folders would be (``-o notes.txt/out.csv``), before
    any data is loaded; see :func:`pathways.output.blocking_file`."""

    def __init__(self, *, file_okay: bool = True, dir_okay: bool = True) -> None:
        super().__init__(path_type=Path, file_okay=file_okay, dir_okay=dir_okay)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = Path(os.fsdecode(super().convert(value, param, ctx)))
        blocker = blocking_file(path)
        if blocker is not None:
            option = max(param.opts, key=len) if param is not None and param.opts else "output"
            self.fail(
                f"{blocker} is a file, so {path} cannot be written under it; "
                f"give {option} a path inside a folder",
                param,
                ctx,
            )
        return path


def data_argument(f: F) -> F:
    """``[DATA]...``: files or folders to load; the bundled pilot graph when none and no store."""
    return click.argument(
        "data",
        nargs=-1,
        type=click.Path(path_type=Path),
        metavar="[DATA]...",
    )(f)


def format_option(choices: Sequence[str], default: str, help: str) -> Callable[[F], F]:
    """``--format``: the output format of a command (parameter ``fmt``); a typo gets a
    suggestion."""
    return click.option(
        "--format",
        "fmt",
        type=Choice(list(choices)),
        default=default,
        show_default=True,
        help=help,
    )


def store_option(f: F) -> F:
    """``--store DIR``: a persistent Oxigraph store to read (DATA is layered over it)."""
    return click.option(
        "--store",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Persistent store folder (created by 'pathways load --store DIR'); read only: "
        "DATA given as well is added to a private copy, never to the store.",
    )(f)


def output_option(f: F) -> F:
    """``-o FILE``: write to a file (atomically) instead of stdout."""
    return click.option(
        "-o",
        "--output",
        type=OutputPath(dir_okay=False),
        default=None,
        help="Write to FILE instead of standard output (written only if the command succeeds).",
    )(f)


def fail(error: PathwaysError) -> None:
    """Print an error the way every command does and exit with its code."""
    click.echo(f"error: {error}", err=True)
    sys.exit(error.exit_code)


class _OneLineWarnings(logging.Handler):
    """Library warnings (rdflib's "Failed to convert Literal ...", a misspelt ``pw:``
    term in a query) as one line on stderr.

    Without a handler Python's last-resort handler prints them with a traceback.
    """

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage().splitlines()[0] if record.getMessage() else ""
            if record.exc_info and record.exc_info[1] is not None:
                message += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
            ours = record.name.split(".")[0] == "pathways"  # our own words need no source
            click.echo(
                f"warning: {message}" if ours else f"warning: {record.name}: {message}", err=True
            )
        except Exception:  # a broken log record must never stop a command
            self.handleError(record)


def _route_library_warnings() -> None:
    for name in ("rdflib", "pyshacl", "owlrl", "pathways"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, _OneLineWarnings) for h in logger.handlers):
            logger.addHandler(_OneLineWarnings(logging.WARNING))


def handle_errors(f: F) -> F:
    """Map domain errors to messages and exit codes; anything else is exit 3.

    No traceback is printed unless ``PATHWAYS_DEBUG=1``. The whole command runs under
    :func:`pathways.rdf.safety.offline`.
    """

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _route_library_warnings()
        try:
            with safety.offline():
                return f(*args, **kwargs)
        except PathwaysError as err:
            if os.environ.get("PATHWAYS_DEBUG"):
                traceback.print_exc()
            fail(err)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BlockedPathError as err:  # the options check this first; a safety net
            fail(UsageError(str(err), hint="write to a path in a folder"))
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as err:  # the contract: an internal error is exit 3, no traceback
            if os.environ.get("PATHWAYS_DEBUG"):
                traceback.print_exc()
            click.echo(
                f"internal error: {type(err).__name__}: {err} "
                "(please report it; set PATHWAYS_DEBUG=1 for the traceback)",
                err=True,
            )
            sys.exit(3)

    return cast(F, wrapper)


def progress_printer(enabled: bool | None = None) -> Progress | None:
    """A load's progress on a terminal's stderr (within each file, then one line per
    file), or None in a pipe."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return None
    shown = [0.0]

    def show(step: LoadStep) -> None:
        now = time.monotonic()
        head = f"  [{step.index}/{step.files}] {step.file}"
        if step.phase == "done":
            click.echo(f"\r{head}".ljust(72), err=True)
            return
        if now - shown[0] < 0.2:
            return
        shown[0] = now
        share = step.done * 100 // step.total if step.total else 100
        click.echo(f"\r{head}  {step.phase} {share:3d}%".ljust(72), err=True, nl=False)

    return show


def open_kg(
    data: Sequence[Path],
    store: Path | None = None,
    *,
    default_data: bool = True,
    read_only: bool = True,
) -> KnowledgeGraph:
    """Open the knowledge graph a command works on, for reading.

    With ``--store``, the store read-only; with DATA as well, a private in-memory copy
    of the store with DATA loaded into it: the store itself is never changed (only
    ``pathways load`` writes to it). Without ``--store``, an in-memory graph with DATA,
    or the bundled pilot graph when DATA is empty and ``default_data`` is true.
    ``read_only`` is kept for callers; every command but ``load`` reads.
    """
    del read_only
    return KnowledgeGraph.for_reading(
        data, store, default_data=default_data, progress=progress_printer()
    )


def write_output(content: str | bytes, output: Path | None) -> None:
    """Write machine output to ``output`` atomically, or to stdout."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_atomically(output, data)
