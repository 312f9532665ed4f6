"""The one reader of each numeric fact of a credential: hours, credits, fee, EQF level.

Routes, curricular analytics, cost models, funding splits and the funding simulation
all read these facts here, so that a credential has the same hours (and credits, fee
and level) in every output.

The multi-value rule
--------------------
The ontology gives a credential one notional workload (EU standard element 7), one
EQF level (element 8) and one published fee; ELM's own application profile says the
same of ``elm:volumeOfLearning`` and ``elm:EQFLevel`` (``sh:maxCount 1``). A second
value is a data defect, which validation reports (``pwsh:MicroCredentialShape-
notionalHours``, ``-eqfLevelCount`` and ``pwsh:MicroCredentialRecommendedShape-fee``
in the ``eu-standard-elements`` profile). Until it is mended, **every reader takes the
smallest value**: the lowest hours, the fewest (ECTS-equivalent) credits, the lowest
fee and the lowest EQF level. An RDF graph has no order, so "the first" or "the last"
would depend on how the data happened to be loaded; the smallest does not.

Credits may legitimately be stated in several units (ELM allows several
``elm:creditPoint``): each is normalised to ECTS-equivalent credits and the smallest
is taken by the same rule. A value that is not a number is skipped (validation
reports it); a credential with no usable value is absent from the mapping.

Each reader returns ``{subject IRI (or "_:id"): value}`` for every subject that
states the fact, credentials and entry routes alike; callers pick the nodes they need.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from pathways.rdf.labels import best_label_query, label_from_key
from pathways.rdf.sparql_tsv import cell_key, cell_value

if TYPE_CHECKING:  # the store imports this package for its label rule
    from pathways.rdf.store import KnowledgeGraph

__all__ = [
    "ECTS_HOURS",
    "ECTS_UNIT",
    "Fee",
    "credits",
    "eqf_levels",
    "fees",
    "hours_per_unit",
    "labels",
    "notional_hours",
    "smallest",
]

#: Notional hours of one ECTS credit used to compare credits in other units (25-30 h).
ECTS_HOURS = Decimal(27)
#: The ECTS credit (EU credit-system concept): the unit :func:`credits` normalises to.
ECTS_UNIT = "http://data.europa.eu/snb/education-credit/6fcec5c5af"


@dataclass(frozen=True, order=True)
class Fee:
    """A published fee: its amount and ISO 4217 currency (None when not stated)."""

    amount: Decimal
    currency: str | None


def _decimal(cell: str | None) -> Decimal | None:
    if cell is None:
        return None
    try:
        value = Decimal(cell_value(cell).strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def smallest(found: dict[str, Decimal], key: str, value: Decimal | None) -> None:
    """Apply the multi-value rule: keep ``value`` for ``key`` if it is the smallest yet.

    >>> seen: dict[str, Decimal] = {}
    >>> for v in (Decimal(40), Decimal(25), Decimal(60)):
    ...     smallest(seen, "urn:c", v)
    >>> seen
    {'urn:c': Decimal('25')}
    """
    if value is not None and (key not in found or value < found[key]):
        found[key] = value


def _rows(kg: KnowledgeGraph, names: str, where: str) -> list[tuple[str | None, ...]]:
    return kg.select_cells(f"SELECT {names} WHERE {{ {where} }}")[1]


def labels(kg: KnowledgeGraph, lang: str = "en") -> dict[str, str]:
    """The label of every IRI that has one, by the one rule of :mod:`pathways.rdf.labels`,
    in one Oxigraph scan (what ``kg.label`` gives one node at a time).

    >>> from pathways.rdf.store import KnowledgeGraph
    >>> labels(KnowledgeGraph.open())["http://data.europa.eu/snb/eqf/4"]
    'EQF level 4'
    """
    rows = kg.select_cells(best_label_query(lang))[1]
    return {cell_key(s): label_from_key(cell_value(b)) for s, b in rows if s and b}


def notional_hours(kg: KnowledgeGraph) -> dict[str, Decimal]:
    """``pw:notionalHours`` of every subject that states it (the smallest when several).

    >>> from pathways.rdf.store import KnowledgeGraph
    >>> kg = KnowledgeGraph.open()
    >>> kg.store.update('''PREFIX pw: <https://w3id.org/pathways/vocab#>
    ...   INSERT DATA { <urn:c> pw:notionalHours 60.0, 25 }''')
    >>> notional_hours(kg)
    {'urn:c': Decimal('25')}
    """
    found: dict[str, Decimal] = {}
    for c, h in _rows(kg, "?c ?h", "?c pw:notionalHours ?h"):
        assert c is not None
        smallest(found, cell_key(c), _decimal(h))
    return found


def hours_per_unit(kg: KnowledgeGraph) -> dict[str, Decimal]:
    """``pw:hoursPerUnit`` of every credit unit (the smallest when several)."""
    found: dict[str, Decimal] = {}
    for u, h in _rows(kg, "?u ?h", "?u pw:hoursPerUnit ?h"):
        assert u is not None
        smallest(found, cell_key(u), _decimal(h))
    return found


def credits(kg: KnowledgeGraph, units: dict[str, Decimal] | None = None) -> dict[str, Decimal]:
    """``pw:credit`` of every subject in ECTS-equivalent credits (the smallest when several).

    An amount in a unit with ``pw:hoursPerUnit`` h counts ``amount x h / 27`` (1
    osaamispiste = 1 ECTS, 1 hour = 1/27); a unit without one is taken as ECTS.
    """
    per_unit = hours_per_unit(kg) if units is None else units
    found: dict[str, Decimal] = {}
    where = "?c pw:credit ?v . ?v pw:creditAmount ?a OPTIONAL { ?v pw:creditUnit ?u }"
    for c, a, u in _rows(kg, "?c ?a ?u", where):
        assert c is not None
        amount = _decimal(a)
        if amount is None:
            continue
        hours = per_unit.get(cell_key(u)) if u is not None else None
        smallest(found, cell_key(c), amount if hours is None else amount * hours / ECTS_HOURS)
    return found


def fees(kg: KnowledgeGraph) -> dict[str, Fee]:
    """``pw:fee`` of every subject that states an amount (the smallest when several).

    Fees in different currencies are ordered by amount, then currency, so the rule
    stays deterministic; an amount without a currency has currency None.

    >>> from pathways.rdf.store import KnowledgeGraph
    >>> kg = KnowledgeGraph.open()
    >>> kg.store.update('''PREFIX pw: <https://w3id.org/pathways/vocab#> INSERT DATA {
    ...   <urn:c> pw:fee [ pw:amount 90.0 ; pw:currency "EUR" ],
    ...                  [ pw:amount 75 ; pw:currency "EUR" ] }''')
    >>> fees(kg)
    {'urn:c': Fee(amount=Decimal('75'), currency='EUR')}
    """
    found: dict[str, Fee] = {}
    where = "?c pw:fee ?f . ?f pw:amount ?a OPTIONAL { ?f pw:currency ?cur }"
    for c, a, cur in _rows(kg, "?c ?a ?cur", where):
        assert c is not None
        amount = _decimal(a)
        if amount is None:
            continue
        fee = Fee(amount, cell_value(cur).strip() if cur is not None else None)
        key = cell_key(c)
        if key not in found or (fee.amount, fee.currency or "\uffff") < (
            found[key].amount,
            found[key].currency or "\uffff",
        ):
            found[key] = fee
    return found


def eqf_levels(kg: KnowledgeGraph) -> dict[str, int]:
    """The EQF level number of every subject (the lowest when several).

    From ``pw:eqfLevel``, or, for a subject without one, the EQF level its
    ``pw:nqfLevel`` references (``pw:referencedEQFLevel``).
    """
    found: dict[str, Decimal] = {}
    where = """{ ?c pw:eqfLevel ?l . ?l pw:levelNumber ?n }
        UNION { ?c pw:nqfLevel ?q . ?q pw:referencedEQFLevel ?l . ?l pw:levelNumber ?n
                FILTER NOT EXISTS { ?c pw:eqfLevel ?any } }"""
    for c, n in _rows(kg, "?c ?n", where):
        assert c is not None
        smallest(found, cell_key(c), _decimal(n))
    return {key: int(level) for key, level in found.items()}
