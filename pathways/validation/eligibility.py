"""Funding eligibility: which micro-credentials a funding scheme may pay for.

A ``pw:FundingScheme`` names its rules with ``pw:validationProfile``; a
micro-credential is eligible when validating against that profile finds no
violation about it (warnings and infos are reported but do not disqualify).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import SH

from pathways.catalogue.schemes import scheme_named
from pathways.errors import UsageError
from pathways.rdf.store import KnowledgeGraph
from pathways.validation.engine import Method, validate
from pathways.validation.profiles import shapes_for
from pathways.validation.results import ValidationReport, ValidationResult

__all__ = ["EligibilityReport", "EligibilityRow", "eligibility", "funding_scheme"]


@dataclass(frozen=True)
class EligibilityRow:
    """One micro-credential: eligible or not, and the failed conditions."""

    credential: URIRef
    label: str
    eligible: bool
    failed: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class EligibilityReport:
    """The eligibility of every micro-credential under one scheme."""

    scheme: URIRef
    scheme_label: str
    profile: str
    rows: tuple[EligibilityRow, ...]
    validation: ValidationReport

    @property
    def eligible_count(self) -> int:
        """How many micro-credentials are eligible."""
        return sum(1 for row in self.rows if row.eligible)

    def as_json(self) -> dict[str, object]:
        """The documented JSON form (``pathways eligibility --format json``,
        ``/api/eligibility``)."""
        return {
            "scheme": str(self.scheme),
            "scheme_label": self.scheme_label,
            "profile": self.profile,
            "eligible": self.eligible_count,
            "credentials": [
                {
                    "credential": str(r.credential),
                    "label": r.label,
                    "eligible": r.eligible,
                    "failed_conditions": list(r.failed),
                    "warnings": list(r.warnings),
                }
                for r in self.rows
            ],
        }


def funding_scheme(kg: KnowledgeGraph, name: str) -> tuple[URIRef, str]:
    """The scheme ``name`` names and its profile (by :func:`~pathways.catalogue.scheme_named`)."""
    rows = kg.select(
        """SELECT ?s (SAMPLE(?p) AS ?profile) WHERE { ?s a pw:FundingScheme
             OPTIONAL { ?s pw:validationProfile ?p } } GROUP BY ?s"""
    )
    profiles = {str(r["s"]): str(r["profile"]) if "profile" in r else None for r in rows}
    scheme = URIRef(scheme_named(profiles, name))
    profile = profiles[str(scheme)]
    if profile is None:
        raise UsageError(
            f"funding scheme {kg.label(scheme)} has no pw:validationProfile",
            hint="add pw:validationProfile with a profile name (see 'pathways profiles')",
        )
    return scheme, profile


def eligibility(
    kg: KnowledgeGraph, scheme_name: str, *, method: Method = "auto"
) -> EligibilityReport:
    """Check every micro-credential against a funding scheme's validation profile."""
    scheme, profile = funding_scheme(kg, scheme_name)
    report = validate(kg, shapes_for([profile]), method=method)
    by_credential: dict[str, list[ValidationResult]] = defaultdict(list)
    for result in report.results:
        by_credential[report.anchor(result)].append(result)
    credentials = kg.select(
        "SELECT DISTINCT ?c WHERE { ?c a/rdfs:subClassOf* pw:MicroCredential } ORDER BY ?c"
    )
    rows = []
    for row in credentials:
        credential = row["c"]
        if not isinstance(credential, URIRef):
            continue
        found = by_credential.get(str(credential), [])
        failed = sorted({r.message for r in found if r.severity == SH.Violation})
        warned = sorted({r.message for r in found if r.severity != SH.Violation})
        rows.append(
            EligibilityRow(
                credential=credential,
                label=kg.label(credential),
                eligible=not failed,
                failed=tuple(failed),
                warnings=tuple(warned),
            )
        )
    return EligibilityReport(
        scheme=scheme,
        scheme_label=kg.label(scheme),
        profile=profile,
        rows=tuple(rows),
        validation=report,
    )
