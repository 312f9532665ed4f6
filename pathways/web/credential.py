"""The facts of one credential for its page and its JSON twin, each from the library
call the command line uses for it.

============================  ==============================================================
part of the page              read by
============================  ==============================================================
label, titles, facets         :func:`pathways.catalogue.search.catalogue_index`
hours, credits, fee, level    :mod:`pathways.catalogue.facts`
Annex I checklist             :data:`pathways.interop.elm.ANNEX_I` (the paths ``import elm``
                              reports), asked of the graph
conditionality legs           :func:`pathways.validation.validate` with the
                              ``conditionality`` profile (``pathways validate --profile``)
eligibility per scheme        :func:`pathways.validation.eligibility.eligibility`
validation results            the core profiles (``pathways validate``)
needs, stacks into, pathways  :func:`pathways.catalogue.projection.project` (the graph
                              ``route``, ``stack`` and ``metrics`` work on)
ESCO skills, occupations      the search entry's ``skill`` and ``occupation`` facets
                              (:func:`pathways.catalogue.links.credential_links`)
true cost, cost curve         :func:`pathways.economics.costs.credential_cost` and
                              ``cost_curve`` over 15 participants and 3 years, as
                              ``pathways cost --credential IRI --format json`` / ``svg``
outcome indicators            :func:`pathways.economics.outcomes.outcome_indicators`
                              (``pathways outcomes``; small cohorts suppressed)
============================  ==============================================================
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import networkx as nx
from rdflib.namespace import SH

from pathways.catalogue import facts
from pathways.catalogue.index_cache import cached_index
from pathways.catalogue.search import CatalogueEntry, CatalogueIndex, catalogue_index
from pathways.economics.charts import cost_curve_svg
from pathways.economics.costs import (
    DEFAULT_COHORT,
    DEFAULT_YEARS,
    Horizon,
    cost_curve,
)
from pathways.economics.costs import credential_cost as cost_of
from pathways.economics.documents import cost_json
from pathways.economics.report import indicators_json
from pathways.errors import NotFoundError
from pathways.interop.elm import ANNEX_I
from pathways.rdf.iris import shorten
from pathways.validation import ValidationReport, ValidationResult, shapes_for, validate
from pathways.validation.subsets import profile_results
from pathways.vocab import PWSH
from pathways.web.facts import cost_model_of, eligibility_of, outcome_table, projection
from pathways.web.i18n import N_
from pathways.web.settings import Explorer

__all__ = [
    "LEGS",
    "catalogue_for",
    "conditionality_violations",
    "cost_chart",
    "credential_entry",
    "credential_view",
    "eligibility_rows",
    "entries_by_iri",
    "legs_of",
    "outcomes_of",
    "page_facts",
    "true_cost",
    "validation_report",
    "warm_page",
]

#: The three legs of pathway conditionality: (number, name, node shape in conditionality.ttl).
LEGS: tuple[tuple[int, str, str], ...] = (
    (1, N_("validated assessment"), str(PWSH.ValidatedAssessmentShape)),
    (2, N_("published structured metadata"), str(PWSH.PublishedMetadataShape)),
    (3, N_("stackable into a recognised pathway"), str(PWSH.RecognisedPathwayShape)),
)


def validation_report(ex: Explorer, profiles: tuple[str, ...]) -> ValidationReport:
    """The served graph validated against ``profiles`` (the core ones when empty), once;
    a profile among the core ones is taken from the core run
    (:func:`pathways.validation.subsets.profile_results`), not validated again."""

    def run() -> ValidationReport:
        shapes = shapes_for(profiles, (), default_core=True)
        core = shapes_for((), (), default_core=True)
        if profiles and set(shapes.profiles) <= set(core.profiles):
            whole = validation_report(ex, ())
            results = profile_results(whole, core, shapes)
            return dataclasses.replace(whole, results=results, profiles=shapes.profiles)
        return validate(ex.kg, shapes)

    return ex.cached(("validate", profiles), run)


def _by_anchor(ex: Explorer, profiles: tuple[str, ...]) -> dict[str, list[ValidationResult]]:
    """The results of :func:`validation_report` per credential (its anchor), once."""

    def group() -> dict[str, list[ValidationResult]]:
        report = validation_report(ex, profiles)
        found: dict[str, list[ValidationResult]] = {}
        for r in report.results:
            found.setdefault(report.anchor(r), []).append(r)
        return found

    return ex.cached(("validate-by-anchor", profiles), group)


def _results(ex: Explorer, iri: str) -> list[dict[str, Any]]:
    return [
        {
            "severity": r.severity_name,
            "message": r.message,
            "shape": str(r.shape),
            "path": None if r.path is None else str(r.path),
        }
        for r in _by_anchor(ex, ()).get(iri, [])
    ]


def _annex(ex: Explorer, iri: str) -> list[dict[str, Any]]:
    rows = []
    for number, element, path, on_award in ANNEX_I:
        sparql_path = path.n3()
        entry: dict[str, Any] = {"element": number, "name": element, "path": shorten_path(path)}
        if on_award:
            entry["status"] = "on each award"
        else:
            present = ex.call(ex.kg.ask, f"ASK {{ <{iri}> {sparql_path} ?value }}")
            entry["status"] = "present" if present else "missing"
            if not present:
                entry["add"] = "add " + shorten_path(path).replace("|", " or ")
        rows.append(entry)
    return rows


def shorten_path(path: Any) -> str:
    """A property path with prefixed names (``pw:assessment/pw:assessmentType``)."""
    text = str(path.n3())
    for iri in sorted(set(_iris(text)), key=len, reverse=True):
        text = text.replace(f"<{iri}>", shorten(iri))
    return text


def _iris(text: str) -> list[str]:
    out, start = [], text.find("<")
    while start != -1:
        end = text.find(">", start)
        out.append(text[start + 1 : end])
        start = text.find("<", end)
    return out


def conditionality_violations(ex: Explorer) -> dict[str, list[ValidationResult]]:
    """The violations of the ``conditionality`` profile per credential (computed once)."""

    def grouped() -> dict[str, list[ValidationResult]]:
        return {
            iri: violations
            for iri, results in _by_anchor(ex, ("conditionality",)).items()
            if (violations := [r for r in results if r.severity == SH.Violation])
        }

    return ex.cached(("conditionality-violations",), grouped)


def legs_of(mine: list[ValidationResult]) -> list[dict[str, Any]]:
    """The three legs, met or with the messages of the violations (``mine``) that fail it."""
    legs = []
    for number, name, shape in LEGS:
        failed = sorted(
            {r.message for r in mine if str(r.shape).startswith(shape)}
            | {r.message for r in mine if f"conditionality leg {number})" in r.message}
        )
        legs.append({"leg": number, "name": name, "met": not failed, "failed": failed})
    return legs


def _label(g: nx.DiGraph, node: str) -> str:
    return str(g.nodes[node].get("label", node)) if node in g else node


def _condition(g: nx.DiGraph, condition: str) -> dict[str, Any]:
    data = g.nodes[condition]
    targets = [
        {"iri": t, "label": _label(g, t)}
        for t in g.successors(condition)
        if g.edges[condition, t]["kind"] == "target"
    ]
    return {
        "label": _label(g, condition),
        "required": data.get("required"),
        "of": sum(1 for _ in g.successors(condition)),
        "min_hours": data.get("min_hours"),
        "min_credits": data.get("min_credits"),
        "targets": targets,
    }


def _needs(g: nx.DiGraph, iri: str) -> list[dict[str, Any]]:
    needs: list[dict[str, Any]] = []
    for target in g.successors(iri):
        kind = g.edges[iri, target]["kind"]
        if kind in ("prerequisite", "corequisite", "precedes"):
            needs.append({"kind": kind, "iri": target, "label": _label(g, target)})
        elif kind == "entry":
            parts = [
                {"iri": t, "label": _label(g, t), "kind": g.edges[target, t]["kind"]}
                for t in g.successors(target)
            ]
            needs.append(
                {"kind": "entry route", "iri": target, "label": _label(g, target), "parts": parts}
            )
        elif kind in ("condition", "prerequisite-condition"):
            needs.append({"kind": kind, **_condition(g, target)})
    return sorted(needs, key=lambda n: (n["kind"], n["label"]))


def _stacks_into(g: nx.DiGraph, iri: str) -> list[dict[str, Any]]:
    into: list[dict[str, Any]] = []
    for source in g.predecessors(iri):
        kind = g.edges[source, iri]["kind"]
        if kind in ("prerequisite", "corequisite", "requires"):
            owners = [source] if kind != "requires" else list(g.predecessors(source))
            for owner in owners:
                into.append({"kind": f"{kind} of", "iri": owner, "label": _label(g, owner)})
        elif kind == "target":
            for owner in g.predecessors(source):
                condition = _condition(g, source)
                into.append(
                    {
                        "kind": f"counts towards {condition['required']} of {condition['of']}",
                        "iri": owner,
                        "label": _label(g, owner),
                    }
                )
    return sorted(into, key=lambda n: (n["label"], n["kind"]))


def catalogue_for(ex: Explorer, lang: str = "en") -> CatalogueIndex:
    """The search index with labels in ``lang``, built once per language (read from
    the store when ``pathways load`` wrote it: :mod:`pathways.catalogue.index_cache`)."""

    def read() -> CatalogueIndex:
        return cached_index(ex.kg, lang) or catalogue_index(ex.kg, lang)

    return ex.cached(("index", lang), read)


def entries_by_iri(ex: Explorer, lang: str = "en") -> dict[str, CatalogueEntry]:
    """The search entries per credential IRI, once per language."""
    return ex.cached(("entries", lang), lambda: {e.iri: e for e in catalogue_for(ex, lang).entries})


def credential_entry(ex: Explorer, iri: str, lang: str = "en") -> CatalogueEntry:
    """The search entry of the credential ``iri``; :class:`NotFoundError` if none."""
    entry = entries_by_iri(ex, lang).get(iri)
    if entry is None:
        raise NotFoundError(
            f"{iri} is not a credential of the knowledge graph",
            hint="search for it on /search; prefixed names such as pilot:es-hv-2s work too",
        )
    return entry


def page_facts(ex: Explorer) -> dict[str, dict[str, Any]]:
    """Hours, EQF levels, credits and fees of every credential (:mod:`pathways.catalogue.
    facts`), read once."""
    return {
        "hours": ex.cached(("hours",), lambda: facts.notional_hours(ex.kg)),
        "eqf": ex.cached(("eqf",), lambda: facts.eqf_levels(ex.kg)),
        "credits": ex.cached(("credits",), lambda: facts.credits(ex.kg)),
        "fees": ex.cached(("fees",), lambda: facts.fees(ex.kg)),
    }


def eligibility_rows(ex: Explorer, scheme: str) -> dict[str, Any]:
    """The rows of ``pathways eligibility --scheme`` per credential, once."""

    def rows() -> dict[str, Any]:
        report = eligibility_of(ex, scheme)
        return {str(r.credential): r for r in report.rows}

    return ex.cached(("eligibility-rows", scheme), rows)


def warm_page(ex: Explorer) -> None:
    """Read what every credential page reads (the facts, eligibility per scheme, the
    cost model, the outcome table) so that the first page does not wait for them."""
    page_facts(ex)
    g = projection(ex)
    for scheme in sorted(g.graph.get("funding_schemes", {})):
        eligibility_rows(ex, scheme)
    cost_model_of(ex)
    outcome_table(ex)
    _by_anchor(ex, ())


def credential_view(ex: Explorer, iri: str, lang: str = "en") -> dict[str, Any]:
    """Everything the credential page shows, as JSON-ready values; the credential's
    label and its facet values' labels in ``lang`` (the rest, for now, in English)."""
    index = catalogue_for(ex, lang)
    entry = credential_entry(ex, iri, lang)
    g = projection(ex)
    known = page_facts(ex)
    hours = known["hours"].get(iri)
    levels = known["eqf"].get(iri)
    credits = known["credits"].get(iri)
    fee = known["fees"].get(iri)
    schemes = []
    for scheme in sorted(g.graph.get("funding_schemes", {})):
        report = eligibility_of(ex, scheme)
        row = eligibility_rows(ex, scheme).get(iri)
        schemes.append(
            {
                "scheme": scheme,
                "label": report.scheme_label,
                "profile": report.profile,
                "applies": row is not None,
                "eligible": row.eligible if row else None,
                "failed_conditions": list(row.failed) if row else [],
            }
        )

    def labelled(facet: str) -> list[dict[str, str]]:
        return sorted(
            (
                {"iri": i, "label": index.labels.get(i, shorten(i))}
                for i in entry.facets.get(facet, ())
            ),
            key=lambda item: item["label"],
        )

    pathways = sorted(
        (
            {"iri": p, "label": _label(g, p)}
            for p in (g.predecessors(iri) if iri in g else ())
            if g.edges[p, iri]["kind"] == "component"
        ),
        key=lambda p: p["label"],
    )
    return {
        "iri": iri,
        "lang": lang,
        "label": entry.label,
        "titles": [{"text": t, "lang": lang} for t, lang in entry.titles],
        "descriptions": [{"text": t, "lang": lang} for t, lang in entry.descriptions],
        "facets": {
            k: [{"value": v, "label": index.labels.get(v, v)} for v in vs]
            for k, vs in entry.facets.items()
            # the hours range is for search (the page gives the hours themselves); skills
            # and occupations have sections of their own
            if k not in ("hours", "skill", "occupation")
        },
        "facts": {
            "notional_hours": None if hours is None else float(hours),
            "ects_credits": None if credits is None else float(credits),
            "eqf_level": levels,
            "fee": None if fee is None else {"amount": float(fee.amount), "currency": fee.currency},
        },
        "annex_i": _annex(ex, iri),
        "conditionality": legs_of(conditionality_violations(ex).get(iri, [])),
        "eligibility": schemes,
        "validation": _results(ex, iri),
        "needs": _needs(g, iri) if iri in g else [],
        "stacks_into": _stacks_into(g, iri) if iri in g else [],
        "pathways": pathways,
        "skills": labelled("skill"),
        "occupations": labelled("occupation"),
        "cost": true_cost(ex, iri),
        "outcomes": outcomes_of(ex, iri),
    }


def true_cost(ex: Explorer, iri: str) -> dict[str, Any] | None:
    """The credential's true cost over the default horizon, as ``pathways cost
    --credential IRI --format json`` gives it (None: it has no cost items)."""
    model = cost_model_of(ex)
    if iri not in model.credentials:
        return None
    horizon = Horizon(DEFAULT_COHORT, DEFAULT_YEARS)

    def compute() -> dict[str, Any]:
        results = [(cost_of(model, iri, horizon), cost_curve(model, iri, horizon))]
        (document,) = json.loads(cost_json(results))
        return {"cohort": horizon.cohort, "years": horizon.years, **document}

    return ex.cached(("true-cost", iri), compute)


def cost_chart(ex: Explorer, iri: str) -> bytes:
    """The unit cost curve of the credential's page, the bytes of ``pathways cost
    --credential IRI --format svg``; :class:`NotFoundError` without cost items."""
    model = cost_model_of(ex)
    if iri not in model.credentials:
        raise NotFoundError(f"{iri} has no cost items", hint="see pathways cost --all")
    horizon = Horizon(DEFAULT_COHORT, DEFAULT_YEARS)

    def draw() -> bytes:
        return cost_curve_svg(cost_of(model, iri, horizon), cost_curve(model, iri, horizon))

    return ex.cached(("cost-chart", iri), draw)  # one per credential with cost items


def outcomes_of(ex: Explorer, iri: str) -> dict[str, Any] | None:
    """The credential's row of ``pathways outcomes --format json`` (cohorts under the
    minimum size suppressed) with that minimum; None without outcome records."""
    table = outcome_table(ex)
    row = table.for_credential(iri)
    if row is None:
        return None
    return {"minimum_cohort": table.min_cohort, **indicators_json(row)}
