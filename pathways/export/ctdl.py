"""CTDL (Credential Engine) JSON-LD: credentials, pathways and their component conditions.

The document uses the published CTDL context (``@context`` is :data:`CTDL_CONTEXT`,
which :func:`pathways.interop.ctdl.import_ctdl` replaces by its local copy) and holds
an ``@graph`` of:

* credentials as ``ceterms:MicroCredential`` / ``ceterms:Certificate`` (our
  qualifications) / ``ceterms:Credential`` with ``ceterms:name`` (language map),
  description, ``ceterms:ctid`` (``ce-`` + a UUID5 of our IRI: stable), codedNotation,
  ``ceterms:creditValue`` (``QuantitativeValue``; ECTS and hours as CTDL credit units,
  other units as our concept IRI), ``ceterms:estimatedDuration`` (notional hours),
  ``ceterms:inLanguage``, ``ceterms:ownedBy`` / ``offeredBy``, ``ceterms:occupationType``
  (``CredentialAlignmentObject`` whose ``targetNode`` is the ESCO occupation) and
  ``ceterms:prerequisite`` (a ``ConditionProfile`` listing ``targetCredential``);
* one ``ceterms:CredentialComponent`` per credential in a pathway or condition
  (``proxyFor`` the credential), a ``ceterms:JobComponent`` per destination occupation;
* ``ceterms:ComponentCondition`` on the component of the credential it belongs to,
  with ``targetComponent``, ``requiredNumber`` (absent = all), nested ``hasCondition``
  and credit bounds as ``ceterms:Constraint`` (Sum of ``schema:value`` compared with
  ``compare:GTEQ`` for a minimum, ``compare:LTEQ`` for a maximum, ``compare:EQ`` when
  both are equal; hours as clock-hour credit), a maximum number of components as a
  ``compare:LTEQ`` constraint on the ``array:CountDistinct`` of ``targetComponent``;
* a credential's prerequisite conditions (``pw:prerequisiteCondition``: it is taken,
  and its conditions are met first) on a component with work of its own, which is how
  CTDL tells them from stacking conditions (see :mod:`pathways.interop.ctdl`): a
  ``ceterms:CourseComponent`` for a course (``pw:OtherCredential``), a
  ``ceterms:BasicComponent`` with the credential's credit value otherwise;
* ``ceterms:Pathway`` with ``hasDestinationComponent`` and ``hasPart``.

What CTDL does not carry, and so does not come back through ``import_ctdl``: entry
routes and recognition of prior learning, co-requisites, EQF/NQF levels, fees,
learning outcomes, assessments, quality assurance, country; a condition's minimum
hours (exported as a credit minimum in clock hours, read back as
``pw:minimumCredits`` in ``pw:Hour``); conditions of a pathway itself (CTDL hangs
conditions on components: they come back on the destination occupation); pathway
members not reachable from the destination through conditions. The ``ctid`` comes
back as an extra ``pw:identifier``.

With :attr:`ExportOptions.pathway` (a credential or pathway IRI) the ``@graph`` holds
that node and, recursively, every node of the whole document it names (components,
conditions, their target components and credentials, prerequisite credentials) and
the component of every credential kept (which holds its conditions): the document is
self-contained. Organisations and occupations are named by IRI, as unscoped.

>>> from pathways.rdf.store import KnowledgeGraph
>>> json.loads(ctdl(KnowledgeGraph.open(), ExportOptions()))["@graph"]
[]
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from pathways.catalogue import records
from pathways.catalogue.facts import ECTS_UNIT, notional_hours
from pathways.export import ExportOptions, exporter
from pathways.export.network import canonical_copy, scope_kind
from pathways.rdf.store import KnowledgeGraph
from pathways.vocab import PW

__all__ = ["CTDL_CONTEXT", "ctdl", "ctid"]

#: The published CTDL JSON-LD context.
CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"

_CLASS = {"MicroCredential": "MicroCredential", "Qualification": "Certificate"}
_HOUR = str(PW.Hour)
_UNITS = {
    ECTS_UNIT: "https://purl.org/ctdl/vocabs/creditUnit/ECTS",
    _HOUR: "https://purl.org/ctdl/vocabs/creditUnit/ClockHour",
}
_SUM = "https://purl.org/ctdl/vocabs/array/Sum"
_COMPARE = "https://purl.org/ctdl/vocabs/compare/"
_COUNT = "https://purl.org/ctdl/vocabs/array/CountDistinct"
_SCHEMA_VALUE = "https://schema.org/value"


def ctid(iri: str) -> str:
    """The CTDL identifier of one of our resources: stable, derived from its IRI.

    >>> ctid("https://w3id.org/pathways/pilot/es-hv-2s")
    'ce-9549c256-6f4f-5546-955b-5dc474b5f2ca'
    """
    return "ce-" + str(uuid.uuid5(uuid.NAMESPACE_URL, iri))


def _component_id(iri: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, iri + "#ctdl-component"))


class _Writer:
    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        self.nodes: dict[str, dict[str, Any]] = {}
        self.components: dict[str, dict[str, Any]] = {}
        #: Credentials that are taken after their prerequisite conditions are met.
        self.prerequisite_conditions = records.prerequisite_conditions_of(kg)
        self.occupations = records.occupations(kg)

    def component(self, iri: str, occupation: bool = False) -> str:
        if iri not in self.components:
            node: dict[str, Any] = {"@id": _component_id(iri), "@type": self.kind(iri, occupation)}
            node["ceterms:ctid"] = ctid(iri + "#ctdl-component")
            node["ceterms:proxyFor"] = iri
            title = self.nodes.get(iri, {}).get("ceterms:name")
            if title:
                node["ceterms:name"] = title
            if node[
                "@type"
            ] == "ceterms:BasicComponent" and "ceterms:creditValue" in self.nodes.get(iri, {}):
                node["ceterms:creditValue"] = self.nodes[iri]["ceterms:creditValue"]
            self.components[iri] = node
        return str(self.components[iri]["@id"])

    def kind(self, iri: str, occupation: bool) -> str:
        """The component class: work of its own when the credential has prerequisite
        conditions (a course, or a basic component with credit), else a credential."""
        if occupation:
            return "ceterms:JobComponent"
        if iri not in self.prerequisite_conditions:
            return "ceterms:CredentialComponent"
        if self.nodes.get(iri, {}).get("@type") == "ceterms:Credential":
            return "ceterms:CourseComponent"
        return "ceterms:BasicComponent"

    def credentials(self) -> None:
        hours = notional_hours(self.kg)  # the smallest when several
        for credential in records.credentials(self.kg):
            iri = credential.id
            if iri.startswith("_:"):
                continue  # CTDL resources need IRIs
            node: dict[str, Any] = {
                "@id": iri,
                "@type": "ceterms:" + _CLASS.get(credential.kind, "Credential"),
                "ceterms:ctid": ctid(iri),
            }
            if credential.titles:
                node["ceterms:name"] = _text_map(credential.titles)
            if credential.descriptions:
                node["ceterms:description"] = _text_map(credential.descriptions)
            for key, values in (
                ("ceterms:codedNotation", credential.identifiers),
                ("ceterms:subjectWebpage", credential.homepages),
                ("ceterms:inLanguage", credential.languages),
                ("ceterms:ownedBy", credential.awarding_bodies),
                ("ceterms:offeredBy", credential.providers),
            ):
                if values:
                    node[key] = _one_or_list(sorted(values))
            if iri in hours:
                node["ceterms:estimatedDuration"] = {
                    "@type": "ceterms:DurationProfile",
                    "ceterms:exactDuration": f"PT{hours[iri]}H",
                }
            for credit in credential.credits:
                value: dict[str, Any] = {"@type": "schema:QuantitativeValue"}
                value["schema:value"] = credit.amount
                if credit.unit is not None:
                    value["ceterms:creditUnitType"] = _UNITS.get(credit.unit, credit.unit)
                node.setdefault("ceterms:creditValue", []).append(value)
            if credential.occupations:
                node["ceterms:occupationType"] = [
                    {
                        "@type": "ceterms:CredentialAlignmentObject",
                        "ceterms:targetNode": occupation,
                        "ceterms:framework": "http://data.europa.eu/esco/occupation",
                        "ceterms:frameworkName": {"en": "ESCO occupations"},
                    }
                    for occupation in credential.occupations
                ]
            if credential.prerequisites:
                node["ceterms:prerequisite"] = {
                    "@type": "ceterms:ConditionProfile",
                    "ceterms:targetCredential": sorted(credential.prerequisites),
                }
            self.nodes[iri] = node

    def conditions(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for condition in records.conditions(self.kg):
            key = condition.id
            node: dict[str, Any] = {"@id": key, "@type": "ceterms:ComponentCondition"}
            if condition.descriptions:
                node["ceterms:description"] = _text_map(condition.descriptions)
            parts = [self.component(t) for t in condition.targets]
            if parts:
                node["ceterms:targetComponent"] = sorted(parts)
            if condition.subconditions:
                node["ceterms:hasCondition"] = sorted(condition.subconditions)
            if condition.required_numbers:
                node["ceterms:requiredNumber"] = condition.required_numbers[-1]
            rules = [rule for bounds in condition.bounds for rule in _constraints(bounds)]
            if rules:
                node["ceterms:hasConstraint"] = rules
            out.append(node)
        held = {k: list(v) for k, v in records.conditions_of(self.kg).items()}
        for owner, values in self.prerequisite_conditions.items():
            held.setdefault(owner, []).extend(values)
        for owner, ids in held.items():
            if owner in self.nodes or owner in self.occupations:
                self.component(owner, occupation=owner in self.occupations)
                self.components[owner]["ceterms:hasCondition"] = sorted(ids)
        return out

    def pathways(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for pathway in records.pathways(self.kg):
            key = pathway.id
            node: dict[str, Any] = {
                "@id": key,
                "@type": "ceterms:Pathway",
                "ceterms:ctid": ctid(key),
            }
            if pathway.titles:
                node["ceterms:name"] = _text_map(pathway.titles)
            if pathway.descriptions:
                node["ceterms:description"] = _text_map(pathway.descriptions)
            for iri in pathway.destinations[:1]:
                component = self.component(iri, occupation=iri in self.occupations)
                node["ceterms:hasDestinationComponent"] = component
                if iri in self.occupations and pathway.conditions:
                    held = self.components[iri].setdefault("ceterms:hasCondition", [])
                    held += list(pathway.conditions)
                    self.components[iri]["ceterms:hasCondition"] = sorted(set(held))
            parts = {self.component(m) for m in pathway.components}
            if parts:
                node["ceterms:hasPart"] = sorted(parts)
            out.append(node)
        return out


def _constraints(bounds: records.Bounds) -> list[dict[str, Any]]:
    """A condition's credit, hour and count bounds as CTDL constraints."""
    rules: list[dict[str, Any]] = []
    if bounds.min_credits is not None or bounds.max_credits is not None:
        rules += _sum_bounds(bounds.min_credits, bounds.max_credits, bounds.credit_unit)
    elif bounds.min_hours is not None or bounds.max_hours is not None:
        rules += _sum_bounds(bounds.min_hours, bounds.max_hours, _HOUR)
    if bounds.max_number is not None:
        rules.append(
            {
                "@type": "ceterms:Constraint",
                "ceterms:leftSource": "https://purl.org/ctdl/terms/targetComponent",
                "ceterms:leftAction": _COUNT,
                "ceterms:comparator": _COMPARE + "LTEQ",
                "ceterms:rightSource": {"@value": bounds.max_number, "@type": "xsd:integer"},
            }
        )
    return rules


def _sum_bounds(low: str | None, high: str | None, unit: str | None) -> list[dict[str, Any]]:
    """Constraints on the sum of the components' credit: at least, at most, exactly."""

    def rule(comparator: str, amount: str) -> dict[str, Any]:
        return {
            "@type": "ceterms:Constraint",
            "ceterms:leftSource": _SCHEMA_VALUE,
            "ceterms:leftAction": _SUM,
            "ceterms:comparator": _COMPARE + comparator,
            "ceterms:rightSource": {"@value": amount, "@type": "xsd:decimal"},
        }

    if low is not None and high is not None and float(low) == float(high):
        rules = [rule("EQ", low)]
    else:
        rules = [rule(c, v) for c, v in (("GTEQ", low), ("LTEQ", high)) if v is not None]
    if unit is not None:
        rules.append(
            {
                "@type": "ceterms:Constraint",
                "ceterms:leftSource": "https://purl.org/ctdl/terms/creditUnitType",
                "ceterms:comparator": _COMPARE + "EQ",
                "ceterms:rightSource": _UNITS.get(unit, unit),
            }
        )
    return rules


def _text_map(literals: tuple[records.Text, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for literal in sorted(literals, key=lambda t: (t.language or "", t.value)):
        found.setdefault(literal.language or "en", literal.value)
    return found


def _one_or_list(values: list[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else values


def _strings(value: Any) -> list[str]:
    """Every string in a node's values (where the ``@id`` of other nodes appear)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k != "@id" for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _scoped(graph: list[dict[str, Any]], start: str) -> list[dict[str, Any]]:
    """The nodes of ``graph`` that ``start`` names, recursively, with the component of
    each credential kept (its conditions hang there), in ``graph``'s order."""
    by_id = {str(node["@id"]): node for node in graph}
    kept: set[str] = set()
    frontier = [start]
    while frontier:
        key = frontier.pop()
        if key in kept or key not in by_id:
            continue
        kept.add(key)
        frontier.append(_component_id(key))
        frontier.extend(_strings(by_id[key]))
    return [node for node in graph if node["@id"] in kept]


@exporter("ctdl", "application/ld+json", "CTDL JSON-LD (Credential Engine) with conditions")
def ctdl(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    """CTDL JSON-LD of the graph's credentials, conditions and pathways (see above), or
    of the one credential or pathway :attr:`ExportOptions.pathway` names and what it needs.

    Raises
    ------
    NotFoundError, UsageError
        ``options.pathway`` is not a credential or pathway of the graph.
    """
    copy = canonical_copy(kg)
    if options.pathway is not None:
        scope_kind(copy, options.pathway)
    writer = _Writer(copy)
    writer.credentials()
    conditions = writer.conditions()
    pathways = writer.pathways()
    graph = [*writer.nodes.values(), *writer.components.values(), *conditions, *pathways]
    graph.sort(key=lambda node: str(node["@id"]))
    if options.pathway is not None:
        graph = _scoped(graph, options.pathway)
    document = {"@context": CTDL_CONTEXT, "@graph": graph}
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()
