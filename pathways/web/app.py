"""The web explorer's ASGI application: pages, their JSON twins, the API and /sparql.

:func:`create_app` builds it over one :class:`~pathways.web.settings.Explorer`. Every
response carries the security headers of :data:`SECURITY_HEADERS` (a Content Security
Policy that allows no inline script and nothing from another origin); the interactive
API documentation at ``/docs`` is FastAPI's Swagger UI served from the copy vendored in
``pathways/web/static/vendor/swagger-ui`` (no CDN), started by a script file rather
than FastAPI's inline one.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pathways import __version__
from pathways.errors import PathwaysError
from pathways.web import (
    api,
    api_more,
    economics_pages,
    facets,
    pages,
    pathway_pages,
    planner,
    sparql_endpoint,
    sparql_ui,
    validation_service,
)
from pathways.web.errors import error_body, error_response
from pathways.web.query_pool import QueryPool
from pathways.web.settings import Explorer, Settings

__all__ = ["SECURITY_HEADERS", "create_app"]

#: Sent with every response.
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every response, errors too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.raw = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.raw if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(
    settings: Settings | None = None,
    *,
    explorer: Explorer | None = None,
    query_pool: QueryPool | None = None,
) -> FastAPI:
    """The application serving ``settings`` (or an explorer already opened).

    The SPARQL workers start when the application starts (its lifespan) unless a
    ``query_pool`` is given, which the caller starts and closes.
    """
    explorer = explorer or Explorer(settings or Settings())
    settings = explorer.settings
    own_pool = query_pool is None
    pool = query_pool or QueryPool(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if own_pool:
            pool.start()
        if settings.warm:
            threading.Thread(target=_warm, args=(explorer,), daemon=True).start()
        try:
            yield
        finally:
            if own_pool:
                pool.close()

    app = FastAPI(
        title="pathways web explorer",
        version=__version__,
        description="Micro-credential pathways: search, credentials, SPARQL and the "
        "JSON API of the pathways command line, over one read-only knowledge graph.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.explorer = explorer
    app.state.settings = settings
    app.state.query_pool = pool
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(packages=[("pathways.web", "static")]), name="static")
    app.include_router(api.router)
    app.include_router(api_more.router)
    app.include_router(sparql_ui.router)  # before /sparql's own routes
    app.include_router(sparql_endpoint.router)
    app.include_router(pages.router)
    for module in (pathway_pages, planner, economics_pages, validation_service):
        app.include_router(module.router)

    @app.exception_handler(PathwaysError)
    async def domain_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PathwaysError)
        if pages.wants_html(request):
            return pages.error_page(request, exc)
        return error_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: Exception) -> Response:
        # Starlette's own refusals (no such path, a method not allowed, a malformed
        # multipart body) in the one error form of the explorer.
        assert isinstance(exc, StarletteHTTPException)
        code = 3 if exc.status_code >= 500 else 2
        return JSONResponse(
            error_body(str(exc.detail), code), status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
            for e in exc.errors()
        )
        return JSONResponse(
            error_body(f"invalid request: {problems}", 2, detail=_plain(exc.errors())),
            status_code=422,
        )

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(_DOCS_PAGE)

    return app


def _warm(explorer: Explorer) -> None:
    try:
        facets.warm(explorer)
    except Exception:  # a page that needs the fact will raise the error itself
        return
    if explorer.settings.freeze_when_warm:
        gc.collect()  # the warm-up's garbage first: frozen objects are never freed
        gc.freeze()


def _plain(errors: Any) -> Any:
    """Validation errors as JSON (their ``ctx`` may hold exceptions)."""
    return [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in errors]


_DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>pathways web explorer: API documentation</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body>
</html>
"""
