"""Full-text search over the credentials of a knowledge graph, with facet counts.

:func:`catalogue_index` reads every credential (an instance of a subclass of
``pw:CredentialSpecification``) once: its label (by the one label rule), the texts of
its ``pw:title`` and ``pw:description`` in every language, and the values of the
facets :data:`FACETS`. :func:`search` then answers a text query (every word must
occur, matched without case or accents) and facet selections (any selected value of
a facet, every facet selected) with a page of hits and, per facet, the count of each
value among the hits, as Datasette shows facets.

>>> from pathways.rdf.store import KnowledgeGraph
>>> result = search(catalogue_index(KnowledgeGraph.open()), "battery")
>>> result.total, [f.name for f in result.facets][:4]
(0, ['country', 'eqf_level', 'nqf_level', 'type'])
>>> fold("Sähköajoneuvot ÉLECTRIQUE")
'sahkoajoneuvot electrique'
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pathways.catalogue.facts import labels as all_labels
from pathways.catalogue.facts import notional_hours
from pathways.catalogue.links import LINK_FACETS, credential_links
from pathways.rdf.sparql_tsv import cell_key, cell_language, cell_value
from pathways.rdf.store import KnowledgeGraph

__all__ = [
    "FACETS",
    "HOURS",
    "CatalogueEntry",
    "CatalogueIndex",
    "Facet",
    "FacetValue",
    "SearchResult",
    "catalogue_index",
    "fold",
    "hours_range",
    "search",
    "with_facet",
]

#: Facet name -> the property (path) whose values it counts (``hours`` counts the
#: notional hours of :func:`pathways.catalogue.facts.notional_hours` in :data:`HOURS`;
#: ``nqf_level``, ``occupation`` and ``skill`` are read by
#: :func:`pathways.catalogue.links.credential_links`, which says what they follow).
FACETS: dict[str, str] = {
    "country": "pw:country",
    "eqf_level": "pw:eqfLevel",
    "nqf_level": "pw:nqfLevel",
    "type": "a",
    "provider": "pw:provider",
    "awarding_body": "pw:awardingBody",
    "occupation": "pw:targetOccupation | ^pw:pathwayComponent/pw:destination",
    "skill": "pw:learningOutcome/pw:alignedSkill",
    "language": "pw:language",
    "hours": "pw:notionalHours",
}

#: Ranges of notional hours: (value, label, lowest hours, below this many hours).
HOURS: tuple[tuple[str, str, Decimal, Decimal | None], ...] = (
    ("hours-0-10", "under 10 h", Decimal(0), Decimal(10)),
    ("hours-10-30", "10 to 29 h", Decimal(10), Decimal(30)),
    ("hours-30-60", "30 to 59 h", Decimal(30), Decimal(60)),
    ("hours-60-120", "60 to 119 h", Decimal(60), Decimal(120)),
    ("hours-120-", "120 h or more", Decimal(120), None),
)


def hours_range(hours: Decimal) -> str:
    """The :data:`HOURS` value of ``hours``.

    >>> hours_range(Decimal("9.5")), hours_range(Decimal(120))
    ('hours-0-10', 'hours-120-')
    """
    for value, _, low, high in HOURS:
        if hours >= low and (high is None or hours < high):
            return value
    return HOURS[0][0]  # negative hours: a defect validation reports


def fold(text: str) -> str:
    """Text for matching: lower case, accents removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@dataclass(frozen=True)
class CatalogueEntry:
    """One credential as search sees it."""

    iri: str
    label: str
    titles: tuple[tuple[str, str], ...]  # (text, language tag or "")
    descriptions: tuple[tuple[str, str], ...]
    facets: Mapping[str, tuple[str, ...]]
    haystack: str  # folded titles and descriptions

    def as_json(self) -> dict[str, object]:
        """The entry in a search answer."""
        return {
            "iri": self.iri,
            "label": self.label,
            "titles": [{"text": t, "lang": lang} for t, lang in self.titles],
            "facets": {k: list(v) for k, v in self.facets.items()},
        }


@dataclass(frozen=True)
class CatalogueIndex:
    """Every credential, sorted by label, and the labels of facet values."""

    entries: tuple[CatalogueEntry, ...]
    labels: Mapping[str, str]
    #: The facets of the entries, in the order they are shown.
    facet_names: tuple[str, ...] = tuple(FACETS)

    @property
    def languages(self) -> tuple[str, ...]:
        """The language tags of the titles and descriptions, sorted."""
        return tuple(
            sorted({lang for e in self.entries for _, lang in e.titles + e.descriptions if lang})
        )


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: how many hits have it, and whether it is selected."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    """A facet and its values, most frequent first."""

    name: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, the total, and the facets over all hits."""

    text: str
    selected: Mapping[str, tuple[str, ...]]
    total: int
    page: int
    page_size: int
    hits: tuple[CatalogueEntry, ...]
    facets: tuple[Facet, ...]

    @property
    def pages(self) -> int:
        """How many pages the hits fill (at least 1)."""
        return max(1, -(-self.total // self.page_size))

    def as_json(self) -> dict[str, object]:
        """The JSON twin of the search page."""
        return {
            "q": self.text,
            "selected": {k: list(v) for k, v in self.selected.items()},
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "page_size": self.page_size,
            "hits": [h.as_json() for h in self.hits],
            "facets": {
                f.name: [
                    {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                    for v in f.values
                ]
                for f in self.facets
            },
        }


def with_facet(
    index: CatalogueIndex,
    name: str,
    values: Mapping[str, Sequence[str]],
    labels: Mapping[str, str],
) -> CatalogueIndex:
    """``index`` with one more facet: ``values`` maps entry IRIs to their values (facts
    that other layers compute, such as validation verdicts), ``labels`` names them.

    >>> index = CatalogueIndex((CatalogueEntry("urn:a", "A", (), (), {}, "a"),), {})
    >>> more = with_facet(index, "verdict", {"urn:a": ["ok"]}, {"ok": "passes"})
    >>> [(v.label, v.count) for v in search(more, "", {"verdict": ["ok"]}).facets[-1].values]
    [('passes', 1)]
    """
    entries = tuple(
        CatalogueEntry(
            e.iri,
            e.label,
            e.titles,
            e.descriptions,
            {**e.facets, name: tuple(sorted(values.get(e.iri, ())))},
            e.haystack,
        )
        for e in index.entries
    )
    return CatalogueIndex(entries, {**index.labels, **labels}, (*index.facet_names, name))


def catalogue_index(kg: KnowledgeGraph, lang: str = "en") -> CatalogueIndex:
    """Read what search needs of every credential, in a few queries.

    The credential classes (``pw:CredentialSpecification`` and its subclasses) are read
    first and named in each query's ``VALUES`` (the same credentials as
    ``a/rdfs:subClassOf*``, which Oxigraph evaluates per credential: four times
    slower on 10k credentials), and rows are read as TSV cells (without an rdflib term
    per cell: most of the time on a large catalogue).
    """
    names = all_labels(kg, lang)
    classes = " ".join(
        c
        for (c,) in kg.select_cells(
            "SELECT DISTINCT ?k WHERE { ?k rdfs:subClassOf* pw:CredentialSpecification "
            "FILTER(isIRI(?k)) }"
        )[1]
        if c
    )
    typed = f"VALUES ?k {{ {classes} }} ?c a ?k FILTER(isIRI(?c))"
    credentials = [
        cell_key(c) for (c,) in kg.select_cells(f"SELECT DISTINCT ?c WHERE {{ {typed} }}")[1] if c
    ]
    texts: dict[str, dict[str, set[tuple[str, str]]]] = defaultdict(lambda: defaultdict(set))
    for c, p, t in kg.select_cells(
        f"""SELECT DISTINCT ?c ?p ?t WHERE {{ VALUES ?p {{ pw:title pw:description }}
             ?c ?p ?t FILTER(isLiteral(?t)) {typed} }}"""
    )[1]:
        if c and p and t:
            texts[cell_key(c)][cell_key(p).rsplit("#", 1)[-1]].add(
                (cell_value(t), cell_language(t) or "")
            )
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for iri, hours in notional_hours(kg).items():
        values[iri]["hours"].add(hours_range(hours))
    for iri, links in credential_links(kg).items():
        for facet, linked in links.items():
            values[iri][facet].update(linked)
    for facet, prop in FACETS.items():
        if facet == "hours" or facet in LINK_FACETS:
            continue
        if facet == "language":  # BCP 47 tags as literals (xsd:language)
            where = f"{typed} ?c {prop} ?t BIND(LCASE(STR(?t)) AS ?v)"
        elif facet == "type":
            where = f"VALUES ?v {{ {classes} }} ?c a ?v FILTER(isIRI(?c))"
        else:
            where = f"{typed} ?c {prop} ?v FILTER(isIRI(?v))"
        for c, v in kg.select_cells(f"SELECT DISTINCT ?c ?v WHERE {{ {where} }}")[1]:
            if c and v:
                values[cell_key(c)][facet].add(cell_value(v))
    entries = []
    for iri in credentials:
        titles = tuple(sorted(texts[iri]["title"], key=lambda t: (t[1], t[0])))
        descriptions = tuple(sorted(texts[iri]["description"], key=lambda t: (t[1], t[0])))
        label = names.get(iri, iri)
        haystack = fold(" ".join([label, *(t for t, _ in titles + descriptions)]))
        entries.append(
            CatalogueEntry(
                iri=iri,
                label=label,
                titles=titles,
                descriptions=descriptions,
                facets={f: tuple(sorted(values[iri][f])) for f in FACETS},
                haystack=haystack,
            )
        )
    entries.sort(key=lambda e: (fold(e.label), e.iri))
    wanted = {v for e in entries for vs in e.facets.values() for v in vs}
    ranges = {value: label for value, label, _, _ in HOURS}
    return CatalogueIndex(
        tuple(entries), {v: ranges.get(v) or names.get(v, v) for v in sorted(wanted)}
    )


_RANGE_ORDER = {value: i for i, (value, _, _, _) in enumerate(HOURS)}


def _order(facet: str) -> Callable[[tuple[str, int]], tuple[int, str]]:
    """Facet values most frequent first; hour ranges from short to long."""
    if facet == "hours":
        return lambda kv: (_RANGE_ORDER.get(kv[0], len(HOURS)), kv[0])
    return lambda kv: (-kv[1], kv[0])


def search(
    index: CatalogueIndex,
    text: str = "",
    selected: Mapping[str, Sequence[str]] | None = None,
    *,
    page: int = 1,
    page_size: int = 20,
) -> SearchResult:
    """The hits for ``text`` among the credentials with the ``selected`` facet values.

    Facet names not among the index's ``facet_names`` are ignored; ``page`` counts
    from 1 and is
    clamped to the pages there are.
    """
    names = index.facet_names
    chosen = {f: tuple(v) for f, v in (selected or {}).items() if f in names and v}
    words = fold(text).split()
    hits = [
        e
        for e in index.entries
        if all(w in e.haystack for w in words)
        and all(set(e.facets.get(f, ())) & set(vs) for f, vs in chosen.items())
    ]
    facets = []
    for name in names:
        counts: Counter[str] = Counter(v for e in hits for v in e.facets.get(name, ()))
        for v in chosen.get(name, ()):
            counts.setdefault(v, 0)
        facets.append(
            Facet(
                name,
                tuple(
                    FacetValue(v, index.labels.get(v, v), n, v in chosen.get(name, ()))
                    for v, n in sorted(counts.items(), key=_order(name))
                ),
            )
        )
    page_size = max(1, page_size)
    pages = max(1, -(-len(hits) // page_size))
    page = min(max(1, page), pages)
    start = (page - 1) * page_size
    return SearchResult(
        text=text,
        selected=chosen,
        total=len(hits),
        page=page,
        page_size=page_size,
        hits=tuple(hits[start : start + page_size]),
        facets=tuple(facets),
    )
