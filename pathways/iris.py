"""IRIs given by people: prefixed names (``pilot:es-hv-2s``) or full IRIs, checked.

>>> expand_iri("pilot:es-hv-2s")
'https://w3id.org/pathways/pilot/es-hv-2s'
>>> expand_iri("<https://example.org/x>")
'https://example.org/x'
>>> expand_iri("es hv")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pathways.errors.InputError: not an IRI: 'es hv' (give a full IRI such as ...)
"""

from __future__ import annotations

import re

from pathways.errors import InputError
from pathways.vocab import PREFIXES

__all__ = ["expand_iri"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_FORBIDDEN = re.compile(r'[\s<>"{}|^`\\]')


def expand_iri(text: str) -> str:
    """Expand a prefixed name with the project's prefixes; check a full IRI's syntax."""
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        value = PREFIXES[prefix] + local
    if not _SCHEME.match(value) or _FORBIDDEN.search(value):
        raise InputError(
            f"not an IRI: {text!r}",
            hint="give a full IRI such as https://w3id.org/pathways/pilot/es-hv-2s "
            "or a prefixed name such as pilot:es-hv-2s",
        )
    return value
