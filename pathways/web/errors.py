"""Domain errors as HTTP answers, with the CLI's message text.

The exit-code contract of the command line maps to statuses thus:

============================  ===========  ====================================
error (exit code)             status       why
============================  ===========  ====================================
``NotFoundError`` (2)         404          an IRI or name not in the graph
other input/usage errors (2)  400          what the client sent is wrong
``NoRouteError`` (1)          422          the request was understood; no route
                                           exists (the body gives the reasons)
anything else (3)             500          a bug: please report it
============================  ===========  ====================================

Validation that finds defects is not an error: ``/api/validate`` answers 200 with
``"conforms": false``, as ``pathways validate`` prints its report and exits 1.
The body is always ``{"error": "<message>", "exit_code": N}`` (plus ``reasons`` for
no route), the message being what ``pathways`` prints after ``error:``.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel

from pathways.errors import NoRouteError, NotFoundError, PathwaysError

__all__ = ["ERROR_RESPONSES", "ErrorBody", "error_body", "error_response", "status_of"]


class ErrorBody(BaseModel):
    """Every error answer (documented in the OpenAPI schema)."""

    error: str
    exit_code: int
    reasons: list[str] | None = None


def _described(text: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": text}


#: The error answers every API route may give, for the OpenAPI document.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _described("usage or input error (the CLI's exit 2)"),
    404: _described("an IRI, name or credential not in the graph"),
    500: _described("internal error (the CLI's exit 3)"),
}


def status_of(err: PathwaysError) -> int:
    """The HTTP status of a domain error (see the table above)."""
    if isinstance(err, NotFoundError) or getattr(err, "kind", None) == "NotFoundError":
        return 404
    if isinstance(err, NoRouteError):
        return 422
    if err.exit_code == 2:
        return 400
    if err.exit_code == 1:
        return 422
    return 500


def error_body(message: str, exit_code: int, **extra: Any) -> dict[str, Any]:
    """The JSON body of every error answer."""
    return {"error": message, "exit_code": exit_code, **extra}


def error_response(err: PathwaysError, status: int | None = None) -> JSONResponse:
    """A JSON error answer for ``err``."""
    extra: dict[str, Any] = {}
    if isinstance(err, NoRouteError):
        extra["reasons"] = list(err.reasons)
    return JSONResponse(
        error_body(str(err), err.exit_code, **extra),
        status_code=status or status_of(err),
    )
