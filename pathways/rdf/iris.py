"""IRIs given by and shown to people: prefixed names (``pilot:es-hv-2s``) or full IRIs.

The one place that expands prefixed names typed on the command line or in holdings
files, and shortens IRIs for human output, with the prefixes of
:data:`pathways.vocab.PREFIXES`.

>>> expand_iri("pilot:es-hv-2s")
'https://w3id.org/pathways/pilot/es-hv-2s'
>>> expand_iri("<https://example.org/x>")
'https://example.org/x'
>>> expand_iri("es hv")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pathways.errors.InputError: <argument>: not an IRI or prefixed name: 'es hv' (...)
>>> shorten("https://w3id.org/pathways/pilot/es-hv-2s")
'pilot:es-hv-2s'
>>> shorten("http://data.europa.eu/esco/occupation/06bd6285-13ed-4ea7-90cc-e9638a0600a9")
'occupation:06bd6285-13ed-4ea7-90cc-e9638a0600a9'
>>> shorten("https://example.org/a/b")
'<https://example.org/a/b>'
"""

from __future__ import annotations

import re

from pathways.errors import InputError
from pathways.vocab import PREFIXES

__all__ = ["expand_iri", "shorten"]

_FORBIDDEN = re.compile(r'[\s<>"{}|^`\\]')
# A Turtle local name we are willing to print (conservative: no '/', no trailing '.').
_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def expand_iri(text: str, *, path: str = "<argument>", line: int | None = None) -> str:
    """An IRI from ``<iri>``, a full IRI or a prefixed name with a known prefix.

    Errors name where the text came from (``path``, ``line``): an option, a file.

    >>> expand_iri("nope:x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pathways.errors.InputError: <argument>: unknown prefix 'nope' in 'nope:x' (use a full IRI ...)
    """
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        if _FORBIDDEN.search(local):
            raise InputError(f"not a prefixed name: {text!r}", path=path, line=line)
        return PREFIXES[prefix] + local
    if not sep or _FORBIDDEN.search(value):
        raise InputError(
            f"not an IRI or prefixed name: {text!r}",
            path=path,
            line=line,
            hint="give a full IRI such as https://w3id.org/pathways/pilot/es-hv-2s "
            "or a prefixed name such as pilot:es-hv-2s",
        )
    if local.startswith("//") or prefix in ("urn", "mailto", "tag"):
        return value
    raise InputError(
        f"unknown prefix {prefix!r} in {text!r}",
        path=path,
        line=line,
        hint="use a full IRI or one of the prefixes " + ", ".join(PREFIXES),
    )


def shorten(iri: str) -> str:
    """A prefixed name for ``iri`` when one of our prefixes fits, else ``<iri>``."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if _LOCAL.match(local):
                return f"{prefix}:{local}"
    return f"<{iri}>"
