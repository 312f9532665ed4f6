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

>>> from pathways.rdf.store import KnowledgeGraph
>>> json.loads(ctdl(KnowledgeGraph.open(), ExportOptions()))["@graph"]
[]
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from typing import Any

import pyoxigraph as ox

from pathways.catalogue.facts import notional_hours
from pathways.export import ExportOptions, exporter
from pathways.export.network import canonical_copy
from pathways.rdf.store import KnowledgeGraph

__all__ = ["CTDL_CONTEXT", "ctdl", "ctid"]

#: The published CTDL JSON-LD context.
CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"

_CLASS = {"MicroCredential": "MicroCredential", "Qualification": "Certificate"}
_ECTS = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
_UNITS = {
    _ECTS: "https://purl.org/ctdl/vocabs/creditUnit/ECTS",
    "https://w3id.org/pathways/vocab#Hour": "https://purl.org/ctdl/vocabs/creditUnit/ClockHour",
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


def _id(term: Any) -> str:
    return "_:" + term.value if type(term).__name__ == "BlankNode" else str(term.value)


def _language_map(rows: list[dict[str, Any]], key: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for row in rows:
        literal = row[key]
        found.setdefault(literal.language or "en", str(literal.value))
    return dict(sorted(found.items()))


class _Writer:
    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        self.nodes: dict[str, dict[str, Any]] = {}
        self.components: dict[str, dict[str, Any]] = {}
        #: Credentials that are taken after their prerequisite conditions are met.
        self.taken = {_id(s) for (s,) in self.rows("?s pw:prerequisiteCondition ?c", "s")}

    def rows(self, where: str, *names: str) -> list[tuple[Any, ...]]:
        head = " ".join("?" + n for n in names)
        result = self.kg.store.query(
            f"SELECT {head} WHERE {{ {where} }}",
            prefixes={"pw": "https://w3id.org/pathways/vocab#"},
        )
        assert isinstance(result, ox.QuerySolutions)
        return sorted(
            (tuple(s[n] for n in names) for s in result),
            key=lambda row: tuple("" if t is None else str(t) for t in row),
        )

    def multi(self, where: str) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = defaultdict(list)
        for s, v in self.rows(where, "s", "v"):
            found[_id(s)].append(v)
        return found

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
        if iri not in self.taken:
            return "ceterms:CredentialComponent"
        if self.nodes.get(iri, {}).get("@type") == "ceterms:Credential":
            return "ceterms:CourseComponent"
        return "ceterms:BasicComponent"

    def credentials(self) -> None:
        types = {
            _id(c): t.value.rsplit("#", 1)[1]
            for c, t in self.rows(
                "VALUES ?t { pw:MicroCredential pw:Qualification pw:OtherCredential } ?c a ?t",
                "c",
                "t",
            )
        }
        titles = self.multi("?s pw:title ?v")
        descriptions = self.multi("?s pw:description ?v")
        for iri, kind in sorted(types.items()):
            node: dict[str, Any] = {
                "@id": iri,
                "@type": "ceterms:" + _CLASS.get(kind, "Credential"),
            }
            if iri.startswith("_:"):
                continue  # CTDL resources need IRIs
            node["ceterms:ctid"] = ctid(iri)
            if titles.get(iri):
                node["ceterms:name"] = _text_map(titles[iri])
            if descriptions.get(iri):
                node["ceterms:description"] = _text_map(descriptions[iri])
            self.nodes[iri] = node
        simple = {
            "ceterms:codedNotation": ("?s pw:identifier ?v", str),
            "ceterms:subjectWebpage": ("?s pw:homepage ?v", str),
            "ceterms:inLanguage": ("?s pw:language ?v", str),
            "ceterms:ownedBy": ("?s pw:awardingBody ?v", str),
            "ceterms:offeredBy": ("?s pw:provider ?v", str),
        }
        for key, (where, _) in simple.items():
            for iri, values in self.multi(where).items():
                if iri in self.nodes:
                    self.nodes[iri][key] = _one_or_list(sorted(str(v.value) for v in values))
        for iri, amount in notional_hours(self.kg).items():  # the smallest when several
            if iri in self.nodes:
                hours = str(amount)
                self.nodes[iri]["ceterms:estimatedDuration"] = {
                    "@type": "ceterms:DurationProfile",
                    "ceterms:exactDuration": f"PT{hours}H",
                }
        for c, amount, unit in self.rows(
            "?c pw:credit ?v . ?v pw:creditAmount ?a OPTIONAL { ?v pw:creditUnit ?u }",
            "c",
            "a",
            "u",
        ):
            if _id(c) in self.nodes:
                value: dict[str, Any] = {"@type": "schema:QuantitativeValue"}
                value["schema:value"] = str(amount.value)
                if unit is not None:
                    value["ceterms:creditUnitType"] = _UNITS.get(unit.value, unit.value)
                self.nodes[_id(c)].setdefault("ceterms:creditValue", []).append(value)
        for iri, values in self.multi("?s pw:targetOccupation ?v").items():
            if iri in self.nodes:
                self.nodes[iri]["ceterms:occupationType"] = [
                    {
                        "@type": "ceterms:CredentialAlignmentObject",
                        "ceterms:targetNode": str(v.value),
                        "ceterms:framework": "http://data.europa.eu/esco/occupation",
                        "ceterms:frameworkName": {"en": "ESCO occupations"},
                    }
                    for v in sorted(values, key=str)
                ]
        for iri, values in self.multi("?s pw:prerequisite ?v").items():
            if iri in self.nodes:
                self.nodes[iri]["ceterms:prerequisite"] = {
                    "@type": "ceterms:ConditionProfile",
                    "ceterms:targetCredential": sorted(str(v.value) for v in values),
                }

    def conditions(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        targets = self.multi("?s pw:targetComponent ?v")
        subs = self.multi("?s pw:hasSubCondition ?v")
        required = {_id(c): str(n.value) for c, n in self.rows("?c pw:requiredNumber ?n", "c", "n")}
        bounds = self.bounds()
        descriptions = self.multi("?s pw:description ?v")
        for (condition,) in self.rows("?c a pw:ComponentCondition", "c"):
            key = _id(condition)
            node: dict[str, Any] = {"@id": key, "@type": "ceterms:ComponentCondition"}
            if descriptions.get(key):
                node["ceterms:description"] = _text_map(descriptions[key])
            parts = [self.component(_id(t)) for t in targets.get(key, [])]
            if parts:
                node["ceterms:targetComponent"] = sorted(parts)
            if subs.get(key):
                node["ceterms:hasCondition"] = sorted(_id(s) for s in subs[key])
            if key in required:
                node["ceterms:requiredNumber"] = required[key]
            if key in bounds:
                node["ceterms:hasConstraint"] = bounds[key]
            out.append(node)
        occupations = {_id(o) for (o,) in self.rows("?o a pw:Occupation", "o")}
        held = self.multi("?s pw:hasCondition ?v")
        for owner, values in self.multi("?s pw:prerequisiteCondition ?v").items():
            held.setdefault(owner, []).extend(values)
        for owner, values in held.items():
            if owner in self.nodes or owner in occupations:
                self.component(owner, occupation=owner in occupations)
                self.components[owner]["ceterms:hasCondition"] = sorted(_id(v) for v in values)
        return out

    def bounds(self) -> dict[str, list[dict[str, Any]]]:
        """Each condition's credit, hour and count bounds as CTDL constraints."""
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        credits = self.rows(
            "?c a pw:ComponentCondition OPTIONAL { ?c pw:minimumCredits ?lo } "
            "OPTIONAL { ?c pw:maximumCredits ?hi } OPTIONAL { ?c pw:creditUnit ?u } "
            "OPTIONAL { ?c pw:minimumHours ?hlo } OPTIONAL { ?c pw:maximumHours ?hhi } "
            "OPTIONAL { ?c pw:maximumNumber ?n }",
            *("c", "lo", "hi", "u", "hlo", "hhi", "n"),
        )
        for c, lo, hi, unit, hours_lo, hours_hi, most in credits:
            rules = found[_id(c)]
            if lo is not None or hi is not None:
                rules += _sum_bounds(lo, hi, None if unit is None else unit.value)
            elif hours_lo is not None or hours_hi is not None:
                rules += _sum_bounds(hours_lo, hours_hi, "https://w3id.org/pathways/vocab#Hour")
            if most is not None:
                rules.append(
                    {
                        "@type": "ceterms:Constraint",
                        "ceterms:leftSource": "https://purl.org/ctdl/terms/targetComponent",
                        "ceterms:leftAction": _COUNT,
                        "ceterms:comparator": _COMPARE + "LTEQ",
                        "ceterms:rightSource": {"@value": str(most.value), "@type": "xsd:integer"},
                    }
                )
        return {key: rules for key, rules in found.items() if rules}

    def pathways(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        titles = self.multi("?s pw:title ?v")
        descriptions = self.multi("?s pw:description ?v")
        destinations = self.multi("?s pw:destination ?v")
        members = self.multi("?s pw:pathwayComponent ?v")
        occupations = {_id(o) for (o,) in self.rows("?o a pw:Occupation", "o")}
        conditions = self.multi("?s pw:hasCondition ?v")
        for (pathway,) in self.rows("?p a pw:ProgressionPathway", "p"):
            key = _id(pathway)
            node: dict[str, Any] = {
                "@id": key,
                "@type": "ceterms:Pathway",
                "ceterms:ctid": ctid(key),
            }
            if titles.get(key):
                node["ceterms:name"] = _text_map(titles[key])
            if descriptions.get(key):
                node["ceterms:description"] = _text_map(descriptions[key])
            for destination in destinations.get(key, [])[:1]:
                iri = _id(destination)
                component = self.component(iri, occupation=iri in occupations)
                node["ceterms:hasDestinationComponent"] = component
                if iri in occupations and conditions.get(key):
                    held = self.components[iri].setdefault("ceterms:hasCondition", [])
                    held += [_id(c) for c in conditions[key]]
                    self.components[iri]["ceterms:hasCondition"] = sorted(set(held))
            parts = {self.component(_id(m)) for m in members.get(key, [])}
            if parts:
                node["ceterms:hasPart"] = sorted(parts)
            out.append(node)
        return out


def _sum_bounds(low: Any, high: Any, unit: str | None) -> list[dict[str, Any]]:
    """Constraints on the sum of the components' credit: at least, at most, exactly."""

    def rule(comparator: str, amount: Any) -> dict[str, Any]:
        return {
            "@type": "ceterms:Constraint",
            "ceterms:leftSource": _SCHEMA_VALUE,
            "ceterms:leftAction": _SUM,
            "ceterms:comparator": _COMPARE + comparator,
            "ceterms:rightSource": {"@value": str(amount.value), "@type": "xsd:decimal"},
        }

    if low is not None and high is not None and float(low.value) == float(high.value):
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


def _text_map(literals: list[Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for literal in sorted(literals, key=lambda t: (t.language or "", t.value)):
        found.setdefault(literal.language or "en", literal.value)
    return found


def _one_or_list(values: list[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else values


@exporter("ctdl", "application/ld+json", "CTDL JSON-LD (Credential Engine) with conditions")
def ctdl(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    """CTDL JSON-LD of the graph's credentials, conditions and pathways (see above)."""
    writer = _Writer(canonical_copy(kg))
    writer.credentials()
    conditions = writer.conditions()
    pathways = writer.pathways()
    graph = [*writer.nodes.values(), *writer.components.values(), *conditions, *pathways]
    graph.sort(key=lambda node: str(node["@id"]))
    document = {"@context": CTDL_CONTEXT, "@graph": graph}
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()
