"""Country and language codes: the oracles are ISO 3166-1 (alpha-2 and alpha-3 name the
same country), the EU country authority (its IRIs end in the alpha-3 code), ISO 639 and
RFC 5646 section 2.2.1 (a language is tagged by its shortest ISO 639 code)."""

from __future__ import annotations

import pytest

from pathways.catalogue.codes import country_iri, language_matches, language_tag
from pathways.errors import UsageError

AUTHORITY = "http://publications.europa.eu/resource/authority/country/"


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("ES", "ESP"),
        ("es", "ESP"),
        ("ESP", "ESP"),
        ("FI", "FIN"),
        ("fin", "FIN"),
        ("PT", "PRT"),
        ("NZ", "NZL"),
        ("country:ESP", "ESP"),
        ("country:esp", "ESP"),
        (AUTHORITY + "PRT", "PRT"),
    ],
)
def test_country_codes_and_iris_name_one_country(given: str, code: str) -> None:
    assert country_iri(given) == AUTHORITY + code


@pytest.mark.parametrize(
    ("given", "words"),
    [("Spain", "give ES or ESP"), ("XX", "not an ISO 3166"), ("E", "not an ISO 3166")],
)
def test_country_names_and_unknown_codes_are_refused(given: str, words: str) -> None:
    with pytest.raises(UsageError) as caught:
        country_iri(given)
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ("given", "tag"),
    [
        ("es", "es"),
        ("ES", "es"),
        ("spa", "es"),  # ISO 639-3 / 639-2T: the two-letter code is the tag
        ("ger", "de"),  # ISO 639-2B
        ("fin", "fi"),
        ("es-es", "es-ES"),
        ("pt-br", "pt-BR"),
        ("sr-latn", "sr-Latn"),
        ("fil", "fil"),  # no two-letter code: the three-letter one is the tag
    ],
)
def test_language_codes_become_bcp47_tags(given: str, tag: str) -> None:
    assert language_tag(given) == tag


@pytest.mark.parametrize(
    ("given", "words"),
    [("spanish", "give es"), ("Finnish", "give fi"), ("zz", "not a BCP 47"), ("e", "BCP 47")],
)
def test_language_names_and_unknown_codes_are_refused(given: str, words: str) -> None:
    with pytest.raises(UsageError) as caught:
        language_tag(given)
    assert words in str(caught.value)


def test_language_ranges_match_as_rfc4647_basic_filtering() -> None:
    assert language_matches("es", "es-ES") and language_matches("ES", "es")
    assert not language_matches("es-ES", "es") and not language_matches("es", "est")
