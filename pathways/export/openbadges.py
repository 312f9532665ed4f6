"""Open Badges 3.0 ``Achievement`` JSON, and its re-import (:func:`read_ob3`).

The export is a JSON array with one ``Achievement`` per credential (each with the OB3
``@context``, so every element is a self-contained JSON-LD document):

* ``id`` our IRI, ``type`` ``["Achievement"]``, ``achievementType`` "MicroCredential"
  (pw:MicroCredential), "Certificate" (pw:Qualification) or "Achievement";
* ``name`` and ``description`` in English (OB3 has no language maps), ``humanCode``
  (pw:identifier), ``inLanguage`` (the first language), ``creator`` (awarding body);
* ``criteria.narrative``: generated from hours, level and assessment types;
* ``alignment``: one per ESCO skill taught (via outcomes' pw:alignedSkill;
  ``targetType`` "ceasn:Competency", framework "ESCO"), per target occupation
  (framework "ESCO occupations") and the EQF level (framework "EQF", ``targetCode``
  the level number);
* ``creditsAvailable``: **ECTS-equivalent** credits (amount x hours per unit / 27).

With :attr:`ExportOptions.pathway` the array holds the Achievement of that credential
alone, or, for a pathway, those of its destination and member credentials.

Re-import keeps: type, English title and description, identifier, first language,
awarding body, EQF level, target occupations, skills (as one learning outcome holding
all aligned skills), credit (in ECTS). Lost: other languages, notional hours, fees,
prerequisites, conditions, entry routes, outcome texts, the original credit unit.

>>> from pathways.rdf.store import KnowledgeGraph
>>> json.loads(ob3(KnowledgeGraph.open(), ExportOptions()))
[]
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef

from pathways.catalogue import records
from pathways.catalogue.facts import ECTS_UNIT, credits, eqf_levels, notional_hours
from pathways.catalogue.facts import labels as labels_of
from pathways.errors import InputError
from pathways.export import ExportOptions, exporter
from pathways.export.network import scope_kind
from pathways.rdf.labels import language_rank
from pathways.rdf.store import KnowledgeGraph
from pathways.vocab import PW

__all__ = ["OB3_CONTEXT", "ob3", "read_ob3"]

#: The ``@context`` of an OB3 Achievement (a copy of the OB one ships in ``contexts/``).
OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
_EQF = "http://data.europa.eu/snb/eqf/"
_TYPES = {"MicroCredential": "MicroCredential", "Qualification": "Certificate"}
_CLASSES = {"MicroCredential": PW.MicroCredential, "Certificate": PW.Qualification}


def _english(literals: tuple[records.Text, ...]) -> str | None:
    """The literal an English reader gets first, by the language step of the one label
    rule (:func:`pathways.rdf.labels.language_rank`), then text."""
    ranked = sorted(literals, key=lambda t: (language_rank(t.language or None), t.value))
    return str(ranked[0].value) if ranked else None


def _achievement(kg: KnowledgeGraph, iri: str, kind: str, facts: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@context": OB3_CONTEXT,
        "id": iri,
        "type": ["Achievement"],
        "achievementType": _TYPES.get(kind, "Achievement"),
        "name": facts.get("title") or iri,
        "description": facts.get("description") or facts.get("title") or iri,
    }
    narrative = []
    if facts.get("hours") is not None:
        narrative.append(f"{facts['hours']:g} hours of notional learning")
    if facts.get("eqf") is not None:
        narrative.append(f"EQF level {facts['eqf']}")
    if facts.get("assessments"):
        narrative.append("assessed by " + ", ".join(sorted(facts["assessments"])))
    node["criteria"] = {"narrative": ("; ".join(narrative) or "see the description") + "."}
    alignment = [
        {
            "type": ["Alignment"],
            "targetUrl": skill,
            "targetName": name,
            "targetFramework": "ESCO",
            "targetType": "ceasn:Competency",
        }
        for skill, name in sorted(facts.get("skills", {}).items())
    ]
    alignment += [
        {
            "type": ["Alignment"],
            "targetUrl": occupation,
            "targetName": name,
            "targetFramework": "ESCO occupations",
        }
        for occupation, name in sorted(facts.get("occupations", {}).items())
    ]
    if facts.get("eqf") is not None:
        alignment.append(
            {
                "type": ["Alignment"],
                "targetUrl": f"{_EQF}{facts['eqf']}",
                "targetName": f"EQF level {facts['eqf']}",
                "targetFramework": "EQF",
                "targetCode": str(facts["eqf"]),
            }
        )
    if alignment:
        node["alignment"] = alignment
    if facts.get("credits") is not None:
        node["creditsAvailable"] = round(float(facts["credits"]), 4)
    for key in ("humanCode", "inLanguage"):
        if facts.get(key):
            node[key] = facts[key]
    if facts.get("creator"):
        node["creator"] = {"id": facts["creator"], "type": ["Profile"]}
    return node


def _facts(kg: KnowledgeGraph) -> dict[str, dict[str, Any]]:
    facts: dict[str, dict[str, Any]] = defaultdict(dict)
    # The one reader of each fact, with its multi-value rule (pathways.catalogue.facts).
    for c, hours in notional_hours(kg).items():
        facts[c]["hours"] = float(hours)
    for c, level in eqf_levels(kg).items():
        facts[c]["eqf"] = level
    for c, amount in credits(kg).items():
        facts[c]["credits"] = float(amount)
    labels = labels_of(kg)
    found = [c for c in records.credentials(kg) if not c.id.startswith("_:")]
    for credential in found:
        fact = facts[credential.id]
        if credential.skills:
            fact["skills"] = {s: labels.get(s, s) for s in credential.skills}
        if credential.occupations:
            fact["occupations"] = {o: labels.get(o, o) for o in credential.occupations}
        if credential.assessment_types:
            fact["assessments"] = set(credential.assessment_types)
        for key, values in (
            ("humanCode", credential.identifiers),
            ("inLanguage", credential.languages),
            ("creator", credential.awarding_bodies),
        ):
            if values:
                fact[key] = values[0]
        fact["kind"] = credential.kind
        fact["title"] = labels.get(credential.id)  # the one label rule, as every output
        fact["description"] = _english(credential.descriptions)
    return {c.id: facts[c.id] for c in found}


@exporter("ob3", "application/ld+json", "Open Badges 3.0 Achievements, one per credential")
def ob3(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    """A JSON array of OB3 ``Achievement`` objects, sorted by IRI (see above).

    Raises
    ------
    NotFoundError, UsageError
        ``options.pathway`` is not a credential or pathway of the graph.
    """
    found = _facts(kg)
    if options.pathway is not None:
        wanted = _scope(kg, options.pathway)
        found = {iri: facts for iri, facts in found.items() if iri in wanted}
    achievements = [
        _achievement(kg, iri, str(facts["kind"]), facts) for iri, facts in found.items()
    ]
    return (json.dumps(achievements, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _scope(kg: KnowledgeGraph, iri: str) -> set[str]:
    """The credentials an export scoped to ``iri`` shows: the credential, or a pathway's
    destinations and members (:func:`pathways.catalogue.records.pathways`)."""
    if scope_kind(kg, iri) == "credential":
        return {iri}
    pathway = next(p for p in records.pathways(kg) if p.id == iri)
    return {*pathway.destinations, *pathway.components}


def read_ob3(data: bytes | str, source: str = "<ob3>") -> Graph:
    """Read OB3 ``Achievement`` JSON (one object or an array) into our ontology.

    Parameters
    ----------
    data : bytes or str
        The JSON text.
    source : str
        A name for messages (a file name).

    Raises
    ------
    InputError
        Malformed JSON, or an achievement without an ``id``.

    Examples
    --------
    >>> g = read_ob3('{"id": "urn:a", "type": ["Achievement"], "name": "A",'
    ...              ' "achievementType": "MicroCredential", "creditsAvailable": 2}')
    >>> sorted(str(o) for o in g.objects(URIRef("urn:a"), RDF.type))
    ['https://w3id.org/pathways/vocab#MicroCredential']
    """
    try:
        document = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        line = getattr(err, "lineno", None)
        raise InputError(f"malformed JSON: {err}", path=source, line=line) from err
    items = document if isinstance(document, list) else [document]
    graph = Graph()
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise InputError(f"achievement {index + 1} has no 'id'", path=source)
        _read_achievement(graph, item)
    return graph


def _read_achievement(graph: Graph, item: dict[str, Any]) -> None:
    node = URIRef(item["id"])
    graph.add((node, RDF.type, _CLASSES.get(str(item.get("achievementType")), PW.OtherCredential)))
    if isinstance(item.get("name"), str):
        graph.add((node, PW.title, Literal(item["name"], lang="en")))
    description = item.get("description")
    if isinstance(description, str) and description != item.get("name"):
        graph.add((node, PW.description, Literal(description, lang="en")))
    if isinstance(item.get("humanCode"), str):
        graph.add((node, PW.identifier, Literal(item["humanCode"])))
    if isinstance(item.get("inLanguage"), str):
        graph.add((node, PW.language, Literal(item["inLanguage"], datatype=XSD.language)))
    creator = item.get("creator")
    if isinstance(creator, dict) and isinstance(creator.get("id"), str):
        graph.add((node, PW.awardingBody, URIRef(creator["id"])))
    credits = item.get("creditsAvailable")
    if isinstance(credits, int | float):
        value = BNode()
        graph.add((node, PW.credit, value))
        graph.add((value, RDF.type, PW.CreditValue))
        graph.add((value, PW.creditAmount, Literal(f"{credits:g}", datatype=XSD.decimal)))
        graph.add((value, PW.creditUnit, URIRef(ECTS_UNIT)))
    skills = []
    for alignment in item.get("alignment") or []:
        url = alignment.get("targetUrl") if isinstance(alignment, dict) else None
        if not isinstance(url, str):
            continue
        framework = alignment.get("targetFramework")
        if framework == "EQF":
            graph.add((node, PW.eqfLevel, URIRef(url)))
        elif framework == "ESCO occupations":
            graph.add((node, PW.targetOccupation, URIRef(url)))
        elif alignment.get("targetType") == "ceasn:Competency":
            skills.append(URIRef(url))
    if skills:
        outcome = BNode()
        graph.add((node, PW.learningOutcome, outcome))
        graph.add((outcome, RDF.type, PW.LearningOutcome))
        for skill in skills:
            graph.add((outcome, PW.alignedSkill, skill))
