"""HTML pages, each with a JSON twin from the same view function (Datasette's rule).

``/search`` and ``/credential?iri=IRI`` answer HTML; the same path with ``.json``
(``/search.json``) or an ``Accept: application/json`` header answers the very dict the
template was given. Templates only present: every value comes from the view, which
comes from library calls (:mod:`pathways.catalogue.search`,
:mod:`pathways.web.credential`). Jinja autoescapes everything; a data IRI becomes a
link only when it is ``http``/``https`` (:func:`http_link`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from jinja2.runtime import Context

from pathways.catalogue.search import search
from pathways.errors import PathwaysError, UsageError
from pathways.export import EXPORTERS, ExportOptions, export
from pathways.rdf.iris import expand_iri
from pathways.rdf.sparql import run_query
from pathways.rdf.sparql_results import MEDIA_TYPES, serialize
from pathways.web.credential import (
    catalogue_for,
    cost_chart,
    credential_entry,
    credential_view,
    entries_by_iri,
)
from pathways.web.errors import status_of
from pathways.web.facets import VALIDATED, search_index_now
from pathways.web.i18n import (
    N_,
    LocalizedTemplates,
    chosen_language,
    is_language_tag,
    negotiate,
)
from pathways.web.negotiation import wants_json
from pathways.web.settings import Explorer, explorer_of

__all__ = ["error_page", "http_link", "router", "wants_html"]

router = APIRouter(include_in_schema=False)

#: Values a facet lists before the rest fold into "N more" (the skill facet has ~70).
FACET_SHOWN = 10
#: Values a page lists of one facet at most (10k credentials have 2,236 skills); the
#: JSON twin has them all.
FACET_LISTED = 100

FACET_TITLES = {
    "country": N_("Country"),
    "eqf_level": N_("EQF level"),
    "nqf_level": N_("NQF level"),
    "type": N_("Credential type"),
    "provider": N_("Provider"),
    "awarding_body": N_("Awarding body"),
    "occupation": N_("Occupation"),
    "skill": N_("ESCO skill"),
    "language": N_("Language of instruction"),
    "hours": N_("Notional hours"),
    "conditionality": N_("Pathway conditionality"),
    "eligible": N_("Eligible for funding under"),
}


def http_link(iri: object) -> bool:
    """True for an absolute ``http``/``https`` IRI, the only links data may make.

    >>> http_link("https://w3id.org/x"), http_link("javascript:alert(1)"), http_link("//x")
    (True, False, False)
    """
    try:
        parts = urlsplit(str(iri))
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def url_with(
    path: str,
    params: Sequence[tuple[str, str]],
    *,
    toggle: tuple[str, str] | None = None,
    keep_page: bool = False,
    **set_: Any,
) -> str:
    """``path`` with the query ``params``, one facet value toggled and some set; the
    ``page`` is dropped unless ``keep_page`` (the language switch keeps it).

    >>> url_with("/search", [("q", "x"), ("page", "2")], keep_page=True, lang="fi")
    '/search?q=x&page=2&lang=fi'
    """
    kept = [(k, v) for k, v in params if k not in set_ and (keep_page or k != "page")]
    if toggle is not None:
        kept = [kv for kv in kept if kv != toggle] if toggle in kept else [*kept, toggle]
    kept += [(k, str(v)) for k, v in set_.items() if v not in (None, "")]
    return path + ("?" + urlencode(kept) if kept else "")


@pass_context
def _url_with_lang(
    context: Context, path: str, params: Sequence[tuple[str, str]], **options: Any
) -> str:
    """:func:`url_with` in templates: a link carries the page's own ``?lang=`` (the
    language switch's choice) unless it sets ``lang`` itself or ``params`` have it."""
    request = context.get("request")
    lang = chosen_language(request) if isinstance(request, Request) else None
    if lang and "lang" not in options and all(k != "lang" for k, _ in params):
        options["lang"] = lang
    return url_with(path, params, **options)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pathways.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.filters["http_link"] = http_link
    env.globals["url_with"] = _url_with_lang
    env.globals["facet_titles"] = FACET_TITLES
    env.globals["facet_shown"] = FACET_SHOWN
    env.globals["facet_listed"] = FACET_LISTED
    return env


templates = LocalizedTemplates(_environment())


def wants_html(request: Request) -> bool:
    """True when the request is for a page (not an API call, not a JSON twin)."""
    path = request.url.path
    if path.startswith(("/api", "/sparql", "/openapi")) or path.endswith(".json"):
        return False
    return not wants_json(request.headers.get("accept"))


def _page(
    request: Request, template: str, view: Callable[[], dict[str, Any]], **extra: Any
) -> Response:
    data = view()
    vary = {"Vary": "Accept, Accept-Language"}
    if not wants_html(request):
        return JSONResponse(data, headers=vary)
    return templates.TemplateResponse(request, template, {"data": data, **extra}, headers=vary)


def error_page(request: Request, err: PathwaysError) -> HTMLResponse:
    """A page saying what went wrong, with the CLI's message."""
    response = templates.TemplateResponse(
        request, "error.html", {"message": str(err)}, status_code=status_of(err)
    )
    assert isinstance(response, HTMLResponse)
    return response


#: Longest search text taken.
MAX_QUERY = 1000


def reader_language(request: Request, languages: Sequence[str]) -> str:
    """The reader's language among the data's ``languages``, by the one negotiation of
    the interface language (:func:`pathways.web.i18n.negotiate`: ``?lang=``, else
    ``Accept-Language`` by q-value; a malformed ``?lang=`` is a 400), else English.
    Labels follow the one label rule of :mod:`pathways.rdf.labels` in that language;
    a language the data lacks reads as English (one index per language the data has)."""
    asked = request.query_params.get("lang")
    if asked and not is_language_tag(asked):
        raise UsageError(f"not a BCP 47 language tag: {asked!r}", hint="for example en or es")
    return negotiate(asked, request.headers.get("accept-language"), languages)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/search", status_code=303)


@router.get("/search")
@router.get("/search.json")
def search_page(request: Request, q: str = "", page: int = 1) -> Response:
    if len(q) > MAX_QUERY:  # each word is looked for in every entry: bound the work
        raise UsageError(
            f"the search text is longer than {MAX_QUERY:,} characters", hint="use fewer words"
        )
    ex = explorer_of(request)
    lang = reader_language(request, catalogue_for(ex).languages)
    names = (*catalogue_for(ex, lang).facet_names, *VALIDATED)
    selected = {f: request.query_params.getlist(f) for f in names}
    keep = (*names, "q", "lang")
    params = [(k, v) for k, v in request.query_params.multi_items() if k in keep]

    def view() -> dict[str, Any]:
        index, pending = search_index_now(ex, lang, selected)
        chosen = {f: v for f, v in selected.items() if f in index.facet_names}
        result = search(index, q, chosen, page=page, page_size=ex.settings.page_size)
        return {
            **result.as_json(),
            "lang": lang,
            "languages": list(index.languages),
            "pending_facets": list(pending),
        }

    return _page(request, "search.html", view, params=params)


def _credential_iri(ex: Explorer, iri: str) -> str:
    """``iri`` as the data has it (any scheme: links from search carry the credential's
    own IRI), else a full IRI or prefixed name as the CLI takes them."""
    return iri if iri in entries_by_iri(ex) else expand_iri(iri, path="iri")


@router.get("/credential")
@router.get("/credential.json")
def credential_page(request: Request, iri: str) -> Response:
    ex = explorer_of(request)
    lang = reader_language(request, catalogue_for(ex).languages)
    return _page(
        request, "credential.html", lambda: credential_view(ex, _credential_iri(ex, iri), lang)
    )


@router.get("/credential/cost.svg")
def credential_cost_chart(request: Request, iri: str) -> Response:
    """The credential's unit cost curve: the bytes of ``pathways cost --credential IRI
    --format svg`` (15 participants a cohort, 3 years)."""
    ex = explorer_of(request)
    full = _credential_iri(ex, iri)
    credential_entry(ex, full)
    return Response(ex.call(cost_chart, ex, full), media_type="image/svg+xml")


#: Downloads of a credential: suffix -> format of :func:`pathways.rdf.sparql_results.serialize`.
DOWNLOADS = {"ttl": "turtle", "nt": "ntriples", "jsonld": "jsonld"}

#: Exports of a credential: suffix -> exporter of :data:`pathways.export.EXPORTERS`, scoped
#: to the credential (:attr:`pathways.export.ExportOptions.pathway`).
EXPORTS = {"ctdl.json": "ctdl", "ob3.json": "ob3"}


@router.get("/credential.{suffix}")
def credential_download(request: Request, suffix: str, iri: str) -> Response:
    """The credential's description (SPARQL DESCRIBE, as ``pathways query "DESCRIBE
    <IRI>" --format turtle`` gives it) as Turtle, N-Triples or JSON-LD; or its CTDL or
    Open Badges 3.0 export (as ``pathways export --to ctdl|ob3 --pathway IRI`` gives it)."""
    if suffix not in DOWNLOADS and suffix not in EXPORTS:
        listed = ", ".join("." + s for s in [*DOWNLOADS, *EXPORTS])
        return Response(f"no such download: use {listed}\n", status_code=404)
    ex = explorer_of(request)
    full = _credential_iri(ex, iri)
    credential_entry(ex, full)  # a 404 as the page gives it, for anything else
    if suffix in EXPORTS:
        chosen = EXPORTERS[EXPORTS[suffix]]
        body = ex.call(export, ex.kg, chosen.name, ExportOptions(pathway=full))
        media_type = chosen.media_type
    else:
        outcome = ex.call(run_query, ex.kg, f"DESCRIBE <{full}>")
        body = serialize(outcome, DOWNLOADS[suffix])
        media_type = MEDIA_TYPES[DOWNLOADS[suffix]]
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", full.rstrip("/").rsplit("/", 1)[-1]) or "credential"
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}.{suffix}"'},
    )
