"""The web explorer (``pathways serve``): pages with JSON twins, a JSON API mirroring
the command line, and a SPARQL 1.1 Protocol endpoint, over one read-only graph.

The thin face beside :mod:`pathways.cli`: handlers call the library functions the
commands call and only shape their answers. :func:`create_app` builds the ASGI app.
"""

from pathways.web.app import create_app
from pathways.web.settings import Explorer, Settings

__all__ = ["Explorer", "Settings", "create_app"]
