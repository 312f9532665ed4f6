"""The SPARQL query page ``/sparql/ui``: YASGUI (vendored from npm, see
``static/vendor/yasgui/NOTICE``) pointed at this server's ``/sparql``, one tab for each
example query of ``examples/*.rq``; its JSON twin ``/sparql/ui.json`` lists those queries.

The page loads the vendored script and ``static/sparql-ui.js``, which starts YASGUI
(the Content-Security-Policy allows no inline script). Each example is given with the
``PREFIX`` lines of the prefixes it uses (the command line's defaults, which
``pathways query`` and ``/sparql`` also accept undeclared), so that a tab is a
complete query an editor can check. This page alone allows inline styles (YASGUI
sets style attributes); its scripts are still files of this server. Without
JavaScript the page offers the examples as plain forms that GET ``/sparql``.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from pathways.rdf.resources import asset_dir
from pathways.vocab import PREFIXES
from pathways.web.negotiation import wants_json
from pathways.web.views import render

__all__ = ["example_queries", "router", "with_prefixes"]

router = APIRouter(include_in_schema=False)

_USED = re.compile(r"(?<![\w<:/#.-])([A-Za-z][\w-]*):(?=[\w-]|\s)")
_DECLARED = re.compile(r"^\s*PREFIX\s+([\w-]*):", re.IGNORECASE | re.MULTILINE)


def with_prefixes(query: str) -> str:
    """``query`` with a ``PREFIX`` line (after its leading comment) for each default
    prefix it uses and does not declare.

    >>> print(with_prefixes("SELECT ?c WHERE { ?c a pw:MicroCredential }"))
    PREFIX pw: <https://w3id.org/pathways/vocab#>
    SELECT ?c WHERE { ?c a pw:MicroCredential }
    """
    body = re.sub(r"#[^\n]*", "", re.sub(r"<[^>\s]*>|\"[^\"\n]*\"", "", query))
    declared = set(_DECLARED.findall(query))
    used = [p for p in dict.fromkeys(_USED.findall(body)) if p in PREFIXES and p not in declared]
    if not used:
        return query
    text = query.splitlines(keepends=True)
    head = 0  # the leading comment stays on top, as the file has it
    while head < len(text) and text[head].lstrip().startswith("#"):
        head += 1
    prefixes = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in sorted(used))
    return "".join(text[:head]) + prefixes + "".join(text[head:])


def example_queries() -> list[dict[str, Any]]:
    """The bundled example queries: name, description (their leading comment), text."""
    queries = []
    for path in sorted(asset_dir("examples").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comment = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comment.append(line.lstrip("# ").rstrip())
        queries.append(
            {
                "name": path.stem,
                "description": " ".join(c for c in comment if c),
                "query": with_prefixes(text.strip() + "\n"),
            }
        )
    return queries


@router.get("/sparql/ui")
@router.get("/sparql/ui.json")
def sparql_ui(request: Request) -> Response:
    """YASGUI on ``/sparql``, preloaded with the example queries."""
    data = {"endpoint": "/sparql", "queries": example_queries()}
    # /sparql... answers SPARQL clients, not pages (pages.wants_html): decide here.
    html = not request.url.path.endswith(".json") and not wants_json(request.headers.get("accept"))
    response = render(request, "sparql_ui.html", data, html=html)
    if html:
        response.headers["Content-Security-Policy"] = page_policy()
    return response


def page_policy() -> str:
    """The explorer's policy with inline *styles* allowed: YASGUI (CodeMirror, its
    tables) sizes elements with style attributes. Scripts stay this origin's files only."""
    from pathways.web.app import SECURITY_HEADERS  # the app imports this module

    policy = SECURITY_HEADERS["Content-Security-Policy"]
    return policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
