"""The catalogue as records: credentials, conditions and pathways as frozen dataclasses.

The exporters read the graph here, through typed readers, instead of writing their
own SPARQL: :func:`credentials`, :func:`conditions`, :func:`pathways`,
:func:`conditions_of`, :func:`prerequisite_conditions_of`, :func:`occupations`, and one
linking field of every credential at a time, :func:`links_of` (what search counts).
Every query goes through the store's safety checks (:meth:`KnowledgeGraph.raw_query`).
Numeric facts with a multi-value rule (hours, ECTS-equivalent credits, fee, EQF
level) are not here: :mod:`pathways.catalogue.facts` reads them, once; labels by the
one rule come from :func:`pathways.catalogue.facts.labels`.

A record keeps what the data states: identifiers are IRIs (a blank node as ``_:id``),
literals their lexical form as the store holds it, and every multi-valued field holds all the
values in one order (by their N-Triples form), so that outputs are reproducible.

>>> from pathways.rdf.store import KnowledgeGraph
>>> kg = KnowledgeGraph.open()
>>> kg.store.update('''PREFIX pw: <https://w3id.org/pathways/vocab#> INSERT DATA {
...   <urn:c> a pw:MicroCredential ; pw:title "Welding"@en, "Soldadura"@es ;
...     pw:hasCondition <urn:d> .
...   <urn:d> a pw:ComponentCondition ; pw:requiredNumber 1 ; pw:targetComponent <urn:a> }''')
>>> [(c.id, c.kind, [t.value for t in c.titles]) for c in credentials(kg)]
[('urn:c', 'MicroCredential', ['Soldadura', 'Welding'])]
>>> [(d.id, d.targets, d.required_numbers) for d in conditions(kg)]
[('urn:d', ('urn:a',), ('1',))]
>>> conditions_of(kg)
{'urn:c': ('urn:d',)}
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

if TYPE_CHECKING:  # the store imports this package for its label rule
    from pathways.rdf.store import KnowledgeGraph

__all__ = [
    "LINKS",
    "Bounds",
    "Condition",
    "Credential",
    "Credit",
    "Pathway",
    "Text",
    "components_of",
    "conditions",
    "conditions_of",
    "credentials",
    "destinations_of",
    "links_of",
    "occupations",
    "pathways",
    "prerequisite_conditions_of",
]

_CREDENTIAL_CLASSES = "pw:MicroCredential pw:Qualification pw:OtherCredential"


@dataclass(frozen=True)
class Text:
    """A text: its lexical form and language tag (None: untagged)."""

    value: str
    language: str | None


@dataclass(frozen=True)
class Credit:
    """One ``pw:credit``: the amount's lexical form and the unit's IRI."""

    amount: str
    unit: str | None


@dataclass(frozen=True)
class Credential:
    """A credential (``pw:MicroCredential``, ``pw:Qualification``, ``pw:OtherCredential``).

    ``kind`` is the class's local name (of several, the last by IRI).
    """

    id: str
    kind: str
    titles: tuple[Text, ...] = ()
    #: Every credential class it has (local names, by IRI; ``kind`` is the last).
    kinds: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    descriptions: tuple[Text, ...] = ()
    identifiers: tuple[str, ...] = ()
    homepages: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    awarding_bodies: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    credits: tuple[Credit, ...] = ()
    occupations: tuple[str, ...] = ()
    prerequisites: tuple[str, ...] = ()
    #: ESCO skills its learning outcomes align with (``pw:learningOutcome/pw:alignedSkill``).
    skills: tuple[str, ...] = ()
    #: The English ``skos:prefLabel`` of each of its assessments' types.
    assessment_types: tuple[str, ...] = ()
    #: Levels of national qualifications frameworks (``pw:nqfLevel``, QDR concepts).
    nqf_levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bounds:
    """A condition's stated bounds (lexical forms; None where absent)."""

    min_credits: str | None = None
    max_credits: str | None = None
    credit_unit: str | None = None
    min_hours: str | None = None
    max_hours: str | None = None
    max_number: str | None = None


@dataclass(frozen=True)
class Condition:
    """A ``pw:ComponentCondition``: its targets, nested conditions and bounds.

    ``bounds`` has one entry per combination of the stated bounds (one, unless the
    data states a bound twice, which validation reports).
    """

    id: str
    descriptions: tuple[Text, ...] = ()
    targets: tuple[str, ...] = ()
    subconditions: tuple[str, ...] = ()
    required_numbers: tuple[str, ...] = ()
    bounds: tuple[Bounds, ...] = ()


@dataclass(frozen=True)
class Pathway:
    """A ``pw:ProgressionPathway``: destinations, members and conditions."""

    id: str
    titles: tuple[Text, ...] = ()
    descriptions: tuple[Text, ...] = ()
    destinations: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()


def _id(term: Any) -> str:
    return "_:" + term.value if isinstance(term, ox.BlankNode) else str(term.value)


def _text(term: Any) -> Text:
    return Text(str(term.value), getattr(term, "language", None) or None)


def _rows(kg: KnowledgeGraph, where: str, *names: str) -> list[tuple[Any, ...]]:
    """Rows of Oxigraph terms, ordered by their N-Triples forms."""
    head = " ".join("?" + n for n in names)
    result = kg.raw_query(f"SELECT {head} WHERE {{ {where} }}")
    assert isinstance(result, ox.QuerySolutions)
    return sorted(
        (tuple(s[n] for n in names) for s in result),
        key=lambda row: tuple("" if t is None else str(t) for t in row),
    )


def _values(kg: KnowledgeGraph, where: str) -> dict[str, list[Any]]:
    """``?s`` -> its ``?v`` terms, in order."""
    found: dict[str, list[Any]] = defaultdict(list)
    for s, v in _rows(kg, where, "s", "v"):
        found[_id(s)].append(v)
    return found


def _ids(kg: KnowledgeGraph, where: str) -> dict[str, tuple[str, ...]]:
    return {key: tuple(_id(v) for v in vs) for key, vs in _values(kg, where).items()}


def _lexical(kg: KnowledgeGraph, where: str) -> dict[str, tuple[str, ...]]:
    return {key: tuple(str(v.value) for v in vs) for key, vs in _values(kg, where).items()}


def _texts(kg: KnowledgeGraph, predicate: str) -> dict[str, tuple[Text, ...]]:
    where = f"?s {predicate} ?v"
    return {key: tuple(map(_text, vs)) for key, vs in _values(kg, where).items()}


def _lexical_or_none(term: Any) -> str | None:
    return None if term is None else str(term.value)


#: The multi-valued fields of :class:`Credential` read with one path each.
_FIELDS = {
    "identifiers": "pw:identifier",
    "homepages": "pw:homepage",
    "languages": "pw:language",
    "countries": "pw:country",
    "awarding_bodies": "pw:awardingBody",
    "providers": "pw:provider",
    "occupations": "pw:targetOccupation",
    "prerequisites": "pw:prerequisite",
    "skills": "pw:learningOutcome ?o . ?o pw:alignedSkill",
    "nqf_levels": "pw:nqfLevel",
}

#: The fields of :data:`_FIELDS` whose values are nodes (IRIs), not literals.
LINKS = (
    "countries",
    "awarding_bodies",
    "providers",
    "occupations",
    "prerequisites",
    "skills",
    "nqf_levels",
)


def links_of(kg: KnowledgeGraph, field: str) -> dict[str, tuple[str, ...]]:
    """One linking field of :class:`Credential` (one of :data:`LINKS`) for every subject
    that states it, as :func:`credentials` reads it, without reading the rest: the
    linked nodes' ids (a blank node as ``_:id``), in order.

    >>> from pathways.rdf.store import KnowledgeGraph
    >>> kg = KnowledgeGraph.open()
    >>> kg.store.update('''PREFIX pw: <https://w3id.org/pathways/vocab#> INSERT DATA {
    ...   <urn:c> pw:learningOutcome [ pw:alignedSkill <urn:s2>, <urn:s1> ] }''')
    >>> links_of(kg, "skills")
    {'urn:c': ('urn:s1', 'urn:s2')}
    """
    if field not in LINKS:
        raise ValueError(f"not a linking field of a credential: {field!r}")
    return _ids(kg, f"?s {_FIELDS[field]} ?v")


def credentials(kg: KnowledgeGraph) -> list[Credential]:
    """Every credential, by id, with what the data states of it."""
    kinds: dict[str, list[str]] = defaultdict(list)
    for c, t in _rows(kg, f"VALUES ?t {{ {_CREDENTIAL_CLASSES} }} ?c a ?t", "c", "t"):
        kinds[_id(c)].append(t.value.rsplit("#", 1)[1])
    titles, descriptions = _texts(kg, "pw:title"), _texts(kg, "pw:description")
    lexical = {field: _lexical(kg, f"?s {path} ?v") for field, path in _FIELDS.items()}
    where = "?c pw:credit ?v . ?v pw:creditAmount ?a OPTIONAL { ?v pw:creditUnit ?u }"
    credit_values: dict[str, list[Credit]] = defaultdict(list)
    for c, amount, unit in _rows(kg, where, "c", "a", "u"):
        credit_values[_id(c)].append(Credit(str(amount.value), _lexical_or_none(unit)))
    where = (
        "?s pw:assessment ?a . ?a pw:assessmentType ?t . ?t skos:prefLabel ?v "
        'FILTER(lang(?v) = "en")'
    )
    assessments = _lexical(kg, where)
    return [
        Credential(
            key,
            classes[-1],
            kinds=tuple(classes),
            titles=titles.get(key, ()),
            descriptions=descriptions.get(key, ()),
            credits=tuple(credit_values.get(key, ())),
            assessment_types=assessments.get(key, ()),
            **{field: values.get(key, ()) for field, values in lexical.items()},
        )
        for key, classes in sorted(kinds.items())
    ]


def conditions(kg: KnowledgeGraph) -> list[Condition]:
    """Every ``pw:ComponentCondition``, in order of its id's N-Triples form."""
    targets = _ids(kg, "?s pw:targetComponent ?v")
    subs = _ids(kg, "?s pw:hasSubCondition ?v")
    required = _lexical(kg, "?s pw:requiredNumber ?v")
    descriptions = _texts(kg, "pw:description")
    bounds: dict[str, list[Bounds]] = defaultdict(list)
    rows = _rows(
        kg,
        "?c a pw:ComponentCondition OPTIONAL { ?c pw:minimumCredits ?lo } "
        "OPTIONAL { ?c pw:maximumCredits ?hi } OPTIONAL { ?c pw:creditUnit ?u } "
        "OPTIONAL { ?c pw:minimumHours ?hlo } OPTIONAL { ?c pw:maximumHours ?hhi } "
        "OPTIONAL { ?c pw:maximumNumber ?n }",
        *("c", "lo", "hi", "u", "hlo", "hhi", "n"),
    )
    for c, *values in rows:
        bounds[_id(c)].append(Bounds(*map(_lexical_or_none, values)))
    return [
        Condition(
            key,
            descriptions=descriptions.get(key, ()),
            targets=targets.get(key, ()),
            subconditions=subs.get(key, ()),
            required_numbers=required.get(key, ()),
            bounds=tuple(bounds.get(key, ())),
        )
        for key in (_id(c) for (c,) in _rows(kg, "?c a pw:ComponentCondition", "c"))
    ]


def pathways(kg: KnowledgeGraph) -> list[Pathway]:
    """Every ``pw:ProgressionPathway``, in order of its id's N-Triples form."""
    titles, descriptions = _texts(kg, "pw:title"), _texts(kg, "pw:description")
    destinations, members = destinations_of(kg), components_of(kg)
    held = conditions_of(kg)
    return [
        Pathway(
            key,
            titles=titles.get(key, ()),
            descriptions=descriptions.get(key, ()),
            destinations=destinations.get(key, ()),
            components=members.get(key, ()),
            conditions=held.get(key, ()),
        )
        for key in (_id(p) for (p,) in _rows(kg, "?p a pw:ProgressionPathway", "p"))
    ]


def conditions_of(kg: KnowledgeGraph) -> dict[str, tuple[str, ...]]:
    """``pw:hasCondition`` of every subject (credential, occupation, pathway)."""
    return _ids(kg, "?s pw:hasCondition ?v")


def prerequisite_conditions_of(kg: KnowledgeGraph) -> dict[str, tuple[str, ...]]:
    """``pw:prerequisiteCondition`` of every credential that has one (it is taken, and
    its conditions are met first)."""
    return _ids(kg, "?s pw:prerequisiteCondition ?v")


def destinations_of(kg: KnowledgeGraph) -> dict[str, tuple[str, ...]]:
    """``pw:destination`` of every pathway (an occupation or a credential)."""
    return _ids(kg, "?s pw:destination ?v")


def components_of(kg: KnowledgeGraph) -> dict[str, tuple[str, ...]]:
    """``pw:pathwayComponent`` of every pathway: the credentials listed on it."""
    return _ids(kg, "?s pw:pathwayComponent ?v")


def occupations(kg: KnowledgeGraph) -> frozenset[str]:
    """Every ``pw:Occupation``."""
    return frozenset(_id(o) for (o,) in _rows(kg, "?o a pw:Occupation", "o"))
