"""Country and language codes as the graph states them, normalised in one place.

The graph states a country as an EU Publications Office country authority IRI
(``country:ESP``, ISO 3166-1 alpha-3 but for a few EU-specific codes) and a language as
a BCP 47 tag (``"es"``, RFC 5646). People type ``ES``, ``esp``, ``country:ESP``, ``spa``
or ``es-ES``; :func:`country_iri` and :func:`language_tag` turn each into the graph's
form, using the ISO 3166 and ISO 639 tables of :mod:`pycountry`, and refuse names
(``Spain``, ``spanish``) with the code to give instead.

>>> country_iri("ES") == country_iri("esp") == country_iri("country:ESP")
True
>>> language_tag("spa"), language_tag("ES-es"), language_tag("pt-BR")
('es', 'es-ES', 'pt-BR')
"""

from __future__ import annotations

import re

from pathways.errors import UsageError
from pathways.rdf.iris import expand_iri
from pathways.vocab import COUNTRY

__all__ = ["country_code", "country_iri", "language_matches", "language_tag"]

_COUNTRY = str(COUNTRY)
_TAG = re.compile(r"^([A-Za-z]{2,3})((?:-[A-Za-z0-9]{1,8})*)$")


def country_iri(text: str) -> str:
    """The country authority IRI of ``text``: an ISO 3166-1 alpha-2 or alpha-3 code, a
    prefixed name (``country:ESP``) or an IRI.

    Raises :class:`~pathways.errors.UsageError` for anything else, naming the code of
    a country name (``Spain``: give ES or ESP).

    >>> country_iri("pt")
    'http://publications.europa.eu/resource/authority/country/PRT'
    >>> country_iri("Spain")
    Traceback (most recent call last):
    ...
    pathways.errors.UsageError: 'Spain' is a country name, not a code (give ES or ESP)
    """
    import pycountry  # 60 ms to import: only when a code is given

    value = text.strip()
    if ":" in value:
        iri = expand_iri(value)
        if iri.startswith(_COUNTRY):
            code = iri[len(_COUNTRY) :]
            return _COUNTRY + code.upper() if code.isalpha() and len(code) == 3 else iri
        return iri
    if value.isalpha() and len(value) in (2, 3):
        code = value.upper()
        found = (
            pycountry.countries.get(alpha_2=code)
            if len(code) == 2
            else pycountry.countries.get(alpha_3=code)
        )
        if found is not None:
            return _COUNTRY + found.alpha_3
    try:
        named = pycountry.countries.lookup(value)
    except LookupError:
        named = None
    if named is not None and value.upper() not in (named.alpha_2, named.alpha_3):
        raise UsageError(
            f"{value!r} is a country name, not a code",
            hint=f"give {named.alpha_2} or {named.alpha_3}",
        )
    raise UsageError(
        f"{value!r} is not an ISO 3166 country code",
        hint="give a two- or three-letter code such as ES or ESP, or a country IRI",
    )


def country_code(iri: str) -> str:
    """The code of a country authority IRI (``ESP``), or the IRI itself.

    >>> country_code("http://publications.europa.eu/resource/authority/country/ESP")
    'ESP'
    """
    return iri[len(_COUNTRY) :] if iri.startswith(_COUNTRY) else iri


def language_tag(text: str) -> str:
    """The BCP 47 tag of ``text`` in its canonical case, the primary language as its
    shortest ISO 639 code (``spa`` -> ``es``, RFC 5646 section 2.2.1).

    Raises :class:`~pathways.errors.UsageError` for a language name (``spanish``:
    give es) or a tag whose language ISO 639 does not know.

    >>> language_tag("spanish")
    Traceback (most recent call last):
    ...
    pathways.errors.UsageError: 'spanish' is a language name, not a BCP 47 tag (give es)
    """
    import pycountry

    value = text.strip()
    match = _TAG.match(value)
    if match:
        primary, rest = match[1].lower(), match[2]
        found = (
            pycountry.languages.get(alpha_2=primary)
            if len(primary) == 2
            else pycountry.languages.get(alpha_3=primary)
        )
        if found is None and len(primary) == 3:
            found = pycountry.languages.get(bibliographic=primary)
        if found is not None:
            code = getattr(found, "alpha_2", None) or primary
            subtags = [_subtag_case(s) for s in rest.split("-")[1:]]
            return "-".join([code, *subtags])
    try:
        named = pycountry.languages.lookup(value)
    except LookupError:
        named = None
    if named is not None:
        code = getattr(named, "alpha_2", None) or named.alpha_3
        raise UsageError(f"{value!r} is a language name, not a BCP 47 tag", hint=f"give {code}")
    raise UsageError(
        f"{value!r} is not a BCP 47 language tag",
        hint="give an ISO 639 code such as es or fi, with a region if needed: es-ES",
    )


def _subtag_case(subtag: str) -> str:
    if len(subtag) == 2 and subtag.isalpha():
        return subtag.upper()  # region
    if len(subtag) == 4 and subtag.isalpha():
        return subtag.title()  # script
    return subtag.lower()


def language_matches(wanted: str, tag: str) -> bool:
    """Whether the language range ``wanted`` matches ``tag`` (RFC 4647 basic filtering:
    ``es`` matches ``es`` and ``es-ES``, not ``est``).

    >>> language_matches("es", "es-ES"), language_matches("es-ES", "es")
    (True, False)
    """
    wanted, tag = wanted.lower(), tag.lower()
    return tag == wanted or tag.startswith(wanted + "-")
