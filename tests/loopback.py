"""A loopback HTTP server that records every request it gets, for the tests that
prove pathways fetches nothing: point data at it, run the command, expect no hits."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


class CountingServer:
    """``with CountingServer() as url``: serves on 127.0.0.1 until the block ends;
    :attr:`hits` lists the path of every GET and POST, answered with an empty JSON-LD
    context (so a fetch, if one happened, would succeed and go unnoticed but here)."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self._httpd: ThreadingHTTPServer | None = None

    def __enter__(self) -> str:
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                body = b'{"@context": {}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/ld+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
