"""Content negotiation: which format an ``Accept`` header (or ``?format=``) asks for.

>>> preferred("text/csv;q=0.5, application/sparql-results+json", TABLE_TYPES)
'json'
>>> preferred("*/*", GRAPH_TYPES)
'turtle'
>>> preferred("image/png", TABLE_TYPES) is None
True
>>> wants_json("text/html,application/xhtml+xml;q=0.9"), wants_json("application/json")
(False, True)
"""

from __future__ import annotations

__all__ = ["GRAPH_TYPES", "TABLE_TYPES", "parse_accept", "preferred", "wants_json"]

#: Media types of SELECT/ASK results, in the order of preference when all are equal.
TABLE_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: Media types of CONSTRUCT/DESCRIBE results.
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``(media type, q)`` pairs, best first (stable for equal q)."""
    if not header:
        return [("*/*", 1.0)]
    found: list[tuple[str, float]] = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        found.append((pieces[0].lower(), q))
    return sorted(found, key=lambda item: -item[1])


def preferred(header: str | None, types: dict[str, str]) -> str | None:
    """The format name of the best acceptable media type among ``types``, or None."""
    default = next(iter(types.values()))
    for media, q in parse_accept(header):
        if q <= 0:
            continue
        if media in types:
            return types[media]
        if media == "*/*":
            return default
        major = media.split("/")[0] + "/*"
        for candidate, name in types.items():
            if media == major and candidate.startswith(major[:-1]):
                return name
    return None


def wants_json(header: str | None) -> bool:
    """True when the client prefers JSON to HTML (Datasette's JSON twins)."""
    for media, q in parse_accept(header):
        if q <= 0:
            continue
        if media in ("application/json", "application/ld+json"):
            return True
        if media in ("text/html", "application/xhtml+xml", "*/*", "text/*"):
            return False
    return False
