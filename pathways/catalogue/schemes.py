"""The one way a funding scheme is named: :func:`scheme_named`.

Wherever a scheme is asked for (``eligibility --scheme``, ``fund --scheme``,
``route --funding``, the library functions behind them), it may be given by

* its validation profile's name (``funding-es-fundae``),
* its full IRI, in ``<...>`` or not (``https://w3id.org/pathways/pilot/scheme-es-fundae``),
* its prefixed name (``pilot:scheme-es-fundae``), or
* its local name (``scheme-es-fundae``),

and an unknown name gets the same message everywhere, listing the known schemes.

>>> schemes = {"https://w3id.org/pathways/pilot/scheme-es-fundae": "funding-es-fundae"}
>>> [scheme_named(schemes, n) == next(iter(schemes)) for n in (
...     "funding-es-fundae", "pilot:scheme-es-fundae", "scheme-es-fundae",
...     "<https://w3id.org/pathways/pilot/scheme-es-fundae>")]
[True, True, True, True]
>>> scheme_named(schemes, "fundae")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pathways.errors.UsageError: unknown funding scheme 'fundae' (known schemes: funding-es-fundae ...)
"""

from __future__ import annotations

from collections.abc import Mapping

from pathways.errors import InputError, UsageError, nearest
from pathways.rdf.iris import expand_iri, shorten

__all__ = ["known_schemes", "scheme_named"]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def known_schemes(schemes: Mapping[str, str | None]) -> str:
    """The "known schemes" list of every unknown-scheme message.

    >>> known_schemes({"https://w3id.org/pathways/pilot/s": "funding-x", "urn:y": None})
    'funding-x (pilot:s), <urn:y>'
    """
    shown = []
    for iri, profile in sorted(schemes.items(), key=lambda kv: (kv[1] or kv[0], kv[0])):
        shown.append(f"{profile} ({shorten(iri)})" if profile else shorten(iri))
    return ", ".join(shown) or "none"


def scheme_named(schemes: Mapping[str, str | None], name: str) -> str:
    """The IRI of the scheme ``name`` names, among ``schemes`` (IRI -> profile name).

    Raises :class:`~pathways.errors.UsageError` when no scheme, or more than one,
    answers to ``name``.
    """
    wanted = name.strip()
    try:
        iri: str | None = expand_iri(wanted)
    except InputError:
        iri = None
    matches = sorted(
        s
        for s, profile in schemes.items()
        if s == iri or wanted in (s, _local(s)) or (profile is not None and wanted == profile)
    )
    if len(matches) == 1:
        return matches[0]
    if not matches:
        names = {s: [_local(s), *([p] if p else [])] for s, p in schemes.items()}
        close = nearest(wanted, names)
        guess = f"did you mean {schemes[close[0]] or _local(close[0])!r}? " if close else ""
        raise UsageError(
            f"unknown funding scheme {name!r}",
            hint=f"{guess}known schemes: {known_schemes(schemes)}",
        )
    raise UsageError(
        f"{name!r} names {len(matches)} funding schemes",
        hint="give the scheme's IRI: " + ", ".join(matches),
    )
