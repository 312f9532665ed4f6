"""The search index of the pages: the catalogue's own facets
(:func:`pathways.catalogue.search.catalogue_index`) plus two that validation decides,
added with :func:`pathways.catalogue.search.with_facet`:

``conditionality``
    for each micro-credential (what the ``conditionality`` profile targets), "all three
    legs met" or each leg failed, from the same report as the credential page;
``eligible``
    the funding schemes under which the micro-credential is eligible, from
    :func:`pathways.validation.eligibility.eligibility` as ``pathways eligibility``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from pathways.catalogue.search import CatalogueIndex, with_facet
from pathways.economics import charts
from pathways.routing import solver
from pathways.vocab import PW
from pathways.web.credential import (
    LEGS,
    catalogue_for,
    conditionality_violations,
    legs_of,
    validation_report,
    warm_page,
)
from pathways.web.facts import eligibility_of, projection
from pathways.web.settings import Explorer

__all__ = ["ALL_LEGS", "VALIDATED", "search_index", "search_index_now", "warm"]

#: The ``conditionality`` value of a micro-credential that meets all three legs.
ALL_LEGS = "all-legs-met"

#: The facets that validation decides (the catalogue's own index has the others).
VALIDATED = ("conditionality", "eligible")


def _build(ex: Explorer, lang: str) -> CatalogueIndex:
    index = catalogue_for(ex, lang)
    micro = {e.iri for e in index.entries if str(PW.MicroCredential) in e.facets.get("type", ())}
    violations = conditionality_violations(ex)
    legs: dict[str, list[str]] = {}
    for iri in micro:
        verdicts = legs_of(violations.get(iri, []))
        failed = [f"leg-{leg['leg']}-failed" for leg in verdicts if not leg["met"]]
        legs[iri] = failed or [ALL_LEGS]
    labels = {ALL_LEGS: "all three legs met"}
    labels |= {f"leg-{n}-failed": f"leg {n} failed: {name}" for n, name, _ in LEGS}
    index = with_facet(index, "conditionality", legs, labels)
    g = projection(ex)
    eligible: dict[str, list[str]] = defaultdict(list)
    schemes = {}
    for scheme in sorted(g.graph.get("funding_schemes", {})):
        result = eligibility_of(ex, scheme)
        schemes[scheme] = result.scheme_label
        for row in result.rows:
            if row.eligible:
                eligible[str(row.credential)].append(scheme)
    return with_facet(index, "eligible", eligible, schemes)


def search_index(ex: Explorer, lang: str = "en") -> CatalogueIndex:
    """The index the search page answers from, built once per language."""
    return ex.cached(("search-index", lang), lambda: _build(ex, lang))


def search_index_now(
    ex: Explorer, lang: str, selected: Mapping[str, Sequence[str]]
) -> tuple[CatalogueIndex, tuple[str, ...]]:
    """The index to answer a search from at once, and the facets still being computed.

    While a server warms up (``Settings.warm``), the facets that validation decides
    (:data:`VALIDATED`) take the whole catalogue's validation, seconds on a large
    graph: a search that selects none of them is answered from the catalogue's own
    index, and says which facets are still pending; one that selects them waits.
    Without warming (tests, ``warm=False``) every search waits for the full index.
    """
    if not ex.settings.warm or any(selected.get(name) for name in VALIDATED):
        return search_index(ex, lang), ()
    full = ex.cached_or_none(("search-index", lang), lambda: _build(ex, lang))
    if full is not None:
        return full, ()
    return catalogue_for(ex, lang), VALIDATED


def warm(ex: Explorer) -> None:
    """Fill the caches the pages read, quickest first: the catalogue's index (search
    answers from it at once), the projection, the validation against the core profiles
    (the credential page and the validated facets), eligibility and the full index."""
    catalogue_for(ex, "en")
    projection(ex)
    solver.prepare()  # the first route does not import scipy,
    charts.prepare()  # nor the first chart matplotlib (off the start's critical path)
    validation_report(ex, ())
    warm_page(ex)
    search_index(ex, "en")
