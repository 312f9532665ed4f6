"""Filter values checked against what the graph states, before any route is sought.

A filter value that matches nothing known used to exclude every credential and end in
"no route" (exit 1), which reads as a fact about the catalogue when it is a typo:
``countries=ES`` where the graph says ``country:ESP``, ``languages=spanish``, a provider
the graph does not name. :func:`checked_filters` normalises each value
(:mod:`pathways.catalogue.codes`) and refuses, with what the graph holds, a value that is
malformed or that no credential states. Messages name the library's parameters
(``countries=ES``); the command line words them as its flags.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import networkx as nx

from pathways.catalogue.codes import country_code, country_iri, language_matches, language_tag
from pathways.errors import NotFoundError, UsageError, nearest
from pathways.rdf.iris import shorten
from pathways.routing.build import Filters

__all__ = ["checked_filters"]

#: How many of the values the graph states an error lists.
_SHOWN = 15


def _stated(g: nx.DiGraph, attribute: str) -> set[str]:
    return {
        str(v)
        for _, data in g.nodes(data=True)
        if data.get("kind") == "credential"
        for v in data.get(attribute) or ()
    }


def checked_filters(g: nx.DiGraph, filters: Filters) -> Filters:
    """``filters`` with countries as country IRIs and languages as BCP 47 tags.

    Raises :class:`~pathways.errors.UsageError` for a malformed value and
    :class:`~pathways.errors.NotFoundError` for a value no credential of ``g`` states.

    >>> g = nx.DiGraph()
    >>> g.add_node("urn:a", kind="credential", languages=("es",), providers=("urn:p",),
    ...            countries=("http://publications.europa.eu/resource/authority/country/ESP",))
    >>> checked_filters(g, Filters(countries=("es",), languages=("spa",))).languages
    ('es',)
    >>> try:
    ...     checked_filters(g, Filters(countries=("FI",)))
    ... except NotFoundError as err:
    ...     print(err)
    countries=FI (FIN) matches no credential in the knowledge graph (the data has: ESP)
    """
    countries = tuple(_checked(g, "countries", filters.countries, country_iri, country_code))
    languages = tuple(_checked(g, "languages", filters.languages, language_tag, str))
    providers = tuple(_checked(g, "providers", filters.providers, str, shorten))
    return Filters(countries, languages, providers, filters.max_eqf, filters.funding)


def _checked(
    g: nx.DiGraph,
    attribute: str,
    values: Iterable[str],
    normalise: Callable[[str], str],
    show: Callable[[str], str],
) -> list[str]:
    out: list[str] = []
    stated: set[str] | None = None
    for value in values:
        if stated is None:
            stated = _stated(g, attribute)
        try:
            wanted = normalise(value)
        except UsageError as err:
            raise UsageError(
                f"{attribute}={value}: {err.message}",
                hint=_with_data(err.hint, stated, show),
            ) from err
        matches = language_matches if attribute == "languages" else str.__eq__
        if not any(matches(wanted, s) for s in stated):
            close = nearest(_local(wanted), {s: [show(s), _local(s)] for s in stated}, n=1)
            guess = f"did you mean {show(close[0])}? " if close else ""
            given = show(wanted) if show(value) == show(wanted) else f"{value} ({show(wanted)})"
            raise NotFoundError(
                f"{attribute}={given} matches no credential in the knowledge graph",
                hint=guess + _with_data(None, stated, show),
            )
        out.append(wanted)
    return out


def _local(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _with_data(hint: str | None, stated: set[str], show: Callable[[str], str]) -> str:
    values = sorted({show(s) for s in stated})
    shown = ", ".join(values[:_SHOWN]) or "nothing"
    if len(values) > _SHOWN:
        shown += f", ... ({len(values)} in all)"
    return (f"{hint}; " if hint else "") + f"the data has: {shown}"
