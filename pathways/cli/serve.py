"""``pathways serve``: the web explorer over the graph (see :mod:`pathways.web`).

The one import of the web layer from the command line (an ignored import in the
layers contract of pyproject.toml): the command only parses options and starts it.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from pathways.cli._common import data_argument, handle_errors, store_option

__all__ = ["COMMANDS"]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@data_argument
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="TCP port."
)
@click.option(
    "--query-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds a SPARQL query may run before it is stopped.",
)
@click.option(
    "--row-cap",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Most rows (or triples) of a SPARQL answer; a truncated answer says so.",
)
@handle_errors
def serve_command(
    data: tuple[Path, ...],
    store: Path | None,
    host: str,
    port: int,
    query_timeout: float,
    row_cap: int,
) -> None:
    """Serve the web explorer: search, credential pages, a JSON API and /sparql.

    Read-only and offline: the graph (DATA, the store, or the bundled pilot graph
    when neither is given) is opened once and never changed; nothing is fetched.
    Binds to loopback unless --host says otherwise.

    \b
    Examples:
      pathways serve
      pathways serve --store kg.db --port 8080
      pathways serve my-catalogue.ttl --query-timeout 5
    """
    if not _is_loopback(host):
        click.echo(
            f"warning: listening on {host}: anyone who can reach it can read the graph",
            err=True,
        )
    # Imported here, not at the top: every other command would pay for FastAPI's import.
    from pathways.web.serve import serve
    from pathways.web.settings import Settings

    settings = Settings(
        data=tuple(data),
        store=store,
        query_timeout=query_timeout,
        row_cap=row_cap,
        freeze_when_warm=True,
    )
    serve(settings, host, port, say=click.echo)


COMMANDS = [serve_command]
