"""Running the explorer: prepare the graph, build the app, serve it with uvicorn.

:func:`serve` is what ``pathways serve`` calls; it opens the graph before the server
listens (so "ready" means ready) and starts the SPARQL workers alongside.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

from pathways.errors import UsageError
from pathways.web.app import create_app
from pathways.web.settings import Explorer, Settings

__all__ = ["prepare", "serve"]


def prepare(settings: Settings) -> Explorer:
    """The served graph, opened as every reading command opens it: DATA given with
    ``--store`` is layered over the store, which serving never changes."""
    return Explorer(settings)


def _check_port(host: str, port: int) -> None:
    """A clear input error, before any work, when the address cannot be listened on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as err:
            raise UsageError(
                f"cannot listen on {host}:{port}: {err.strerror or err}",
                hint="is another server using the port? choose another with --port",
            ) from err


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8000,
    say: Callable[[str], None] = print,
) -> None:
    """Serve ``settings`` on ``host:port`` until interrupted."""
    import uvicorn

    started = time.perf_counter()
    _check_port(host, port)
    explorer = prepare(settings)
    app = create_app(explorer=explorer)
    where = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    original = server.startup

    async def startup(sockets: object = None) -> None:
        await original(sockets)  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
        say(
            f"pathways explorer: {len(explorer.kg):,} triples, ready in {seconds:.1f} s at "
            f"{where} (search: {where}search, SPARQL: {where}sparql/ui, API: {where}docs); "
            "Ctrl-C stops it"
        )

    server.startup = startup  # type: ignore[method-assign]
    server.run()
