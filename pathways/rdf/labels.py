"""The one rule that chooses a node's label, for every output.

Every label the tool shows -- in route plans, validation reports, funding tables,
exports -- is chosen by this rule, in Python (:func:`best_label`) and in SPARQL
(:func:`best_label_query`, run by Oxigraph in one scan of the label properties).

The rule
--------
Among the literal values of the label properties of a node:

1. **Language** first, as RFC 4647 basic filtering (SPARQL ``langMatches``) matches
   tags to the reader's language ``lang`` (default ``en``):

   0. a tag in the reader's language (``en``, ``en-GB`` for ``en``);
   1. no language tag (a plain or typed literal);
   2. a tag in English (when the reader's language is another);
   3. any other tag.

2. **Property** next, most specific first: ``pw:title`` (EU standard element 2, the
   title), ``pw:name`` (an organisation's name), ``skos:prefLabel`` (SKOS's preferred
   label), ``rdfs:label`` (any label).
3. **Text** last: the smallest by Unicode code point, so that the choice never depends
   on the order data was loaded in.

A node with none of them is shown by its prefixed name (:func:`pathways.rdf.iris.shorten`).

Language comes before property because a reader who cannot read a label gains nothing
from its being the title: SKOS gives at most one ``skos:prefLabel`` per language tag
(SKOS Reference, integrity condition S14) and RDF 1.1 treats the tag as part of the
literal, so the language is what distinguishes a node's labels for a reader.

>>> best_label([(str(RDFS.label), "Battery", "en"), (str(PW.title), "Batería", None)])
'Battery'
>>> best_label([(str(RDFS.label), "Battery", "en"), (str(PW.title), "Batería", "es")], "es")
'Batería'
>>> best_label([(str(RDFS.label), "B", "en"), (str(PW.title), "A", "en-GB")])
'A'
>>> best_label([]) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib.namespace import RDFS, SKOS

from pathways.errors import UsageError
from pathways.vocab import PW

__all__ = [
    "LABEL_PROPERTIES",
    "best_label",
    "best_label_query",
    "label_from_key",
    "label_key",
    "language_rank",
]

#: The label properties, most specific first (step 2 of the rule).
LABEL_PROPERTIES: tuple[str, ...] = (
    str(PW.title),
    str(PW.name),
    str(SKOS.prefLabel),
    str(RDFS.label),
)

_PROPERTY_RANK = {p: i for i, p in enumerate(LABEL_PROPERTIES)}
_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def _matches(tag: str, wanted: str) -> bool:
    """RFC 4647 basic filtering, as SPARQL 1.1 ``langMatches`` (17.4.3.2)."""
    tag, wanted = tag.lower(), wanted.lower()
    return tag == wanted or tag.startswith(wanted + "-")


def language_rank(language: str | None, lang: str = "en") -> int:
    """Step 1 of the rule: 0 reader's language, 1 untagged, 2 English, 3 other.

    >>> [language_rank(t, "es") for t in ("es-ES", None, "en", "fi")]
    [0, 1, 2, 3]
    >>> language_rank("EN-gb")
    0
    """
    if not language:
        return 1
    if _matches(language, lang):
        return 0
    return 2 if _matches(language, "en") else 3


def label_key(prop: str, text: str, language: str | None, lang: str = "en") -> str:
    """The sort key of a candidate label: two rank digits, then the text.

    The same string :func:`best_label_query` computes in SPARQL, so the smallest key
    is the best label in Python and in Oxigraph alike.

    >>> label_key(str(PW.title), "Batería", None)
    '10Batería'
    """
    return f"{language_rank(language, lang)}{_PROPERTY_RANK[prop]}{text}"


def label_from_key(key: str) -> str:
    """The label in a key of :func:`label_key` (or a ``?best`` of the query).

    >>> label_from_key("10Batería")
    'Batería'
    """
    return key[2:]


def best_label(candidates: Iterable[tuple[str, str, str | None]], lang: str = "en") -> str | None:
    """The best of ``(property IRI, text, language tag)`` candidates, or None.

    Candidates whose property is not one of :data:`LABEL_PROPERTIES` are ignored.
    """
    keys = [label_key(p, t, tag, lang) for p, t, tag in candidates if p in _PROPERTY_RANK]
    return label_from_key(min(keys)) if keys else None


def _checked(lang: str) -> str:
    if not _TAG.match(lang):
        raise UsageError(f"not a BCP 47 language tag: {lang!r}", hint="for example en or es")
    return lang


def best_label_query(lang: str = "en", *, node: str | None = None) -> str:
    """A SPARQL SELECT of each IRI's smallest :func:`label_key` as ``?best``.

    Without ``node``, rows of ``?s ?best`` for every IRI, in one scan (a VALUES join
    per batch of IRIs was measured quadratic, 27 s for 10k credentials). With
    ``node``, a SPARQL term such as ``<urn:x>``, one row of ``?best`` for that node
    (unbound when it has no label). Read the label with :func:`label_from_key`.

    >>> "langMatches" in best_label_query("es")
    True
    >>> best_label_query(node="<urn:x>").startswith("SELECT (MIN(")
    True
    """
    lang = _checked(lang)
    values = " ".join(f'(<{p}> "{rank}")' for p, rank in _PROPERTY_RANK.items())
    language = (
        f'IF(langMatches(LANG(?l), "{lang}"), "0", IF(LANG(?l) = "", "1", '
        'IF(langMatches(LANG(?l), "en"), "2", "3")))'
    )
    best = f"(MIN(CONCAT({language}, ?rank, STR(?l))) AS ?best)"
    if node is not None:
        return (
            f"SELECT {best} WHERE {{ VALUES (?p ?rank) {{ {values} }} {node} ?p ?l "
            "FILTER(isLiteral(?l)) }"
        )
    return (
        f"SELECT ?s {best} WHERE {{ VALUES (?p ?rank) {{ {values} }} ?s ?p ?l "
        "FILTER(isIRI(?s) && isLiteral(?l)) } GROUP BY ?s"
    )
