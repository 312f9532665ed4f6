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
from functools import partial

from pathways.catalogue.projection import project
from pathways.catalogue.search import CatalogueIndex, with_facet
from pathways.validation.eligibility import eligibility
from pathways.vocab import PW
from pathways.web.credential import (
    LEGS,
    catalogue_for,
    conditionality_violations,
    legs_of,
    validation_report,
)
from pathways.web.settings import Explorer

__all__ = ["ALL_LEGS", "search_index", "warm"]

#: The ``conditionality`` value of a micro-credential that meets all three legs.
ALL_LEGS = "all-legs-met"


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
    g = ex.cached(("projection",), lambda: project(ex.kg))
    eligible: dict[str, list[str]] = defaultdict(list)
    schemes = {}
    for scheme in sorted(g.graph.get("funding_schemes", {})):
        result = ex.cached(("eligibility", scheme), partial(eligibility, ex.kg, scheme))
        schemes[scheme] = result.scheme_label
        for row in result.rows:
            if row.eligible:
                eligible[str(row.credential)].append(scheme)
    return with_facet(index, "eligible", eligible, schemes)


def search_index(ex: Explorer, lang: str = "en") -> CatalogueIndex:
    """The index the search page answers from, built once per language."""
    return ex.cached(("search-index", lang), lambda: _build(ex, lang))


def warm(ex: Explorer) -> None:
    """Fill the caches the pages read (validation against the conditionality and core
    profiles, eligibility per scheme, the search index: seconds on a large graph)."""
    search_index(ex, "en")
    validation_report(ex, ())
