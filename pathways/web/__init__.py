"""The web explorer (``pathways serve``): pages with JSON twins, a JSON API mirroring
the command line, and a SPARQL 1.1 Protocol endpoint, over one read-only graph.

The thin face beside :mod:`pathways.cli`: handlers call the library functions the
commands call and only shape their answers. :func:`create_app` builds the ASGI app.
The names are imported on first use, so that a SPARQL worker process
(``python -m pathways.web.query_pool``) does not import FastAPI.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathways.web.app import create_app
    from pathways.web.settings import Explorer, Settings

__all__ = ["Explorer", "Settings", "create_app"]

_HOMES = {"create_app": "pathways.web.app", "Explorer": "pathways.web.settings"}
_HOMES["Settings"] = "pathways.web.settings"


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'pathways.web' has no attribute {name!r}")
