"""Outcome indicators: cohort follow-up records turned into rates with confidence intervals.

A ``pw:OutcomeRecord`` describes one cohort of one credential (learners, completers,
completers employed in the field at 6 and 12 months, their median wage change in percent,
completers who progressed to a further credential). :func:`outcome_indicators` turns the
records into indicators per credential and per progression pathway.

Definitions
-----------
- completion rate = completers / learners;
- employment rate at 6 and 12 months, and progression rate = employed (progressed) /
  completers, over the cohorts that report the figure;
- every rate has a Wilson score interval (:func:`wilson_interval`), 95 % by default;
- wage gain: medians of different cohorts cannot be combined into the median of the
  union, so the indicator is the **completer-weighted mean of the cohort medians**, always
  shown with the range (lowest and highest cohort median) it comes from;
- a pathway pools the cohorts of its ``pw:pathwayComponent`` credentials and of its
  destination when that is a credential: its figures count **enrolments**, so a learner
  who took two of its credentials counts twice.

Small cohorts
-------------
A cohort with fewer than ``min_cohort`` learners (default 10) is suppressed: it is left
out of **every** figure, the totals of credentials and pathways included, and only the
number of suppressed cohorts is published ("2 suppressed cohorts excluded"). Because no
published number depends on a suppressed cohort's figures, no combination of published
numbers (a total minus a part included) can reveal them;
``tests/economics/test_economics_outcomes.py`` checks this property on random records.

>>> wilson_interval(0, 10)
(Decimal('0.0000'), Decimal('0.2775'))
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from math import sqrt
from statistics import NormalDist

from rdflib import URIRef

from pathways.economics.money import Money, to_decimal
from pathways.errors import InputError, UsageError
from pathways.rdf.store import KnowledgeGraph

__all__ = [
    "DEFAULT_MIN_COHORT",
    "CohortRecord",
    "Indicators",
    "OutcomeTable",
    "Proportion",
    "expected_outcome_per_euro",
    "indicators_for",
    "outcome_indicators",
    "read_cohorts",
    "wilson_interval",
]

DEFAULT_MIN_COHORT = 10
_PLACES = Decimal("0.0001")


def _round(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(_PLACES, rounding=ROUND_HALF_UP)


def wilson_interval(
    successes: int, trials: int, confidence: Decimal | str = "0.95"
) -> tuple[Decimal, Decimal]:
    """The Wilson score interval of a proportion, rounded to four decimals.

    Parameters
    ----------
    successes, trials
        The counts (``0 <= successes <= trials``, ``trials > 0``).
    confidence
        The confidence level, strictly between 0 and 1.

    Examples
    --------
    >>> wilson_interval(44, 48)
    (Decimal('0.8045'), Decimal('0.9671'))
    >>> wilson_interval(10, 10)
    (Decimal('0.7225'), Decimal('1.0000'))
    """
    level = to_decimal(confidence, what="confidence level")
    if not Decimal(0) < level < Decimal(1):
        raise UsageError(f"confidence level {level} is not between 0 and 1", hint="e.g. 0.95")
    if trials <= 0 or not 0 <= successes <= trials:
        raise UsageError(f"cannot estimate a proportion of {successes} out of {trials}")
    z = NormalDist().inv_cdf(1 - (1 - float(level)) / 2)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    margin = z * sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return _round(max(0.0, centre - margin)), _round(min(1.0, centre + margin))


@dataclass(frozen=True)
class Proportion:
    """A count of successes among trials, with its rate and confidence interval."""

    successes: int
    trials: int
    low: Decimal
    high: Decimal

    @property
    def rate(self) -> Decimal:
        """``successes / trials``, exact (not rounded)."""
        return Decimal(self.successes) / Decimal(self.trials)

    @classmethod
    def of(cls, successes: int, trials: int, confidence: Decimal | str = "0.95") -> Proportion:
        """Build a proportion and its Wilson interval.

        >>> Proportion.of(3, 4).rate
        Decimal('0.75')
        """
        low, high = wilson_interval(successes, trials, confidence)
        return cls(successes, trials, low, high)


@dataclass(frozen=True)
class CohortRecord:
    """One ``pw:OutcomeRecord``: the follow-up figures of one cohort of one credential."""

    record: str
    credential: str
    year: int
    provider: str | None
    group: str | None
    learners: int
    completers: int
    employed_6: int | None = None
    employed_12: int | None = None
    wage_change: Decimal | None = None
    progressed: int | None = None

    def is_suppressed(self, min_cohort: int) -> bool:
        """True when the cohort is too small to publish.

        >>> CohortRecord("r", "c", 2024, None, None, 9, 9).is_suppressed(10)
        True
        """
        return self.learners < min_cohort


_FIELDS = ("employedAt6Months", "employedAt12Months", "progressedToFurther")


def read_cohorts(kg: KnowledgeGraph) -> tuple[CohortRecord, ...]:
    """Read every ``pw:OutcomeRecord`` of the graph, sorted by record IRI.

    Raises :class:`~pathways.errors.InputError` naming the record when a count is
    missing, repeated, negative or larger than the count it is part of.

    >>> read_cohorts(KnowledgeGraph.open())
    ()
    """
    rows = kg.select(
        """SELECT ?r ?p ?o WHERE { ?r a pw:OutcomeRecord ; ?p ?o
             FILTER(?p IN (pw:outcomeOf, pw:cohortYear, pw:provider, pw:learnerGroup,
               pw:learners, pw:completers, pw:employedAt6Months, pw:employedAt12Months,
               pw:medianWageChange, pw:progressedToFurther)) } ORDER BY ?r ?p ?o"""
    )
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        name = str(row["p"]).rsplit("#", 1)[-1]
        values[str(row["r"])][name].append(str(row["o"]))
    return tuple(_record(iri, fields) for iri, fields in sorted(values.items()))


def _one(iri: str, fields: dict[str, list[str]], name: str, required: bool) -> str | None:
    found = fields.get(name, [])
    if len(found) > 1:
        raise InputError(f"outcome record {iri} has {len(found)} values of pw:{name}")
    if not found:
        if required:
            raise InputError(
                f"outcome record {iri} has no pw:{name}",
                hint="every outcome record needs pw:outcomeOf, pw:cohortYear, pw:learners "
                "and pw:completers",
            )
        return None
    return found[0]


def _count(iri: str, fields: dict[str, list[str]], name: str, required: bool) -> int | None:
    text = _one(iri, fields, name, required)
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError as err:
        raise InputError(f"outcome record {iri}: pw:{name} {text!r} is not a whole number") from err
    if value < 0:
        raise InputError(f"outcome record {iri}: pw:{name} is negative ({value})")
    return value


def _record(iri: str, fields: dict[str, list[str]]) -> CohortRecord:
    year_text = _one(iri, fields, "cohortYear", True) or ""
    try:
        year = int(year_text[:4] if year_text[:1] != "-" else year_text)
    except ValueError as err:
        raise InputError(
            f"outcome record {iri}: pw:cohortYear {year_text!r} is not a year"
        ) from err
    learners = _count(iri, fields, "learners", True) or 0
    completers = _count(iri, fields, "completers", True) or 0
    if completers > learners:
        raise InputError(f"outcome record {iri}: {completers} completers but {learners} learners")
    employed_6, employed_12, progressed = (_count(iri, fields, f, False) for f in _FIELDS)
    for name, value in zip(_FIELDS, (employed_6, employed_12, progressed), strict=True):
        if value is not None and value > completers:
            raise InputError(
                f"outcome record {iri}: pw:{name} is {value}, more than the {completers} "
                "completers",
                hint="employment and progression count completers only",
            )
    wage = _one(iri, fields, "medianWageChange", False)
    return CohortRecord(
        record=iri,
        credential=_one(iri, fields, "outcomeOf", True) or "",
        year=year,
        provider=_one(iri, fields, "provider", False),
        group=_one(iri, fields, "learnerGroup", False),
        learners=learners,
        completers=completers,
        employed_6=employed_6,
        employed_12=employed_12,
        wage_change=to_decimal(wage, what=f"pw:medianWageChange of {iri}") if wage else None,
        progressed=progressed,
    )


@dataclass(frozen=True)
class Indicators:
    """The published indicators of one credential or pathway.

    All figures come from the ``cohorts`` published cohorts only; ``suppressed``
    cohorts are counted, never used. Without a published cohort every figure is None.
    """

    subject: str
    kind: str
    label: str
    cohorts: int
    suppressed: int
    learners: int
    completers: int
    completion: Proportion | None
    employment_6: Proportion | None
    employment_12: Proportion | None
    progression: Proportion | None
    wage_change: Decimal | None
    wage_range: tuple[Decimal, Decimal] | None

    @property
    def expected_employment(self) -> Decimal | None:
        """Completers employed at 12 months per enrolled learner (completion x employment)."""
        if self.completion is None or self.employment_12 is None:
            return None
        return self.completion.rate * self.employment_12.rate


def _proportion(
    cohorts: Sequence[CohortRecord], attribute: str, confidence: Decimal | str
) -> Proportion | None:
    reporting = [c for c in cohorts if getattr(c, attribute) is not None]
    trials = sum(c.completers for c in reporting)
    if trials == 0:
        return None
    return Proportion.of(sum(getattr(c, attribute) for c in reporting), trials, confidence)


def indicators_for(
    subject: str,
    kind: str,
    label: str,
    cohorts: Iterable[CohortRecord],
    *,
    min_cohort: int = DEFAULT_MIN_COHORT,
    confidence: Decimal | str = "0.95",
) -> Indicators:
    """Indicators over some cohorts, suppressed cohorts left out of every figure.

    >>> a = CohortRecord("r1", "c", 2023, None, None, 20, 10, 5, 8, Decimal("4"), 2)
    >>> b = CohortRecord("r2", "c", 2024, None, None, 30, 30, 15, 20, Decimal("6"), 3)
    >>> tiny = CohortRecord("r3", "c", 2024, None, None, 5, 5, 5, 5, Decimal("50"), 5)
    >>> i = indicators_for("c", "credential", "C", [a, b, tiny])
    >>> i.learners, i.suppressed, i.completion.rate, i.employment_12.rate, i.wage_change
    (50, 1, Decimal('0.8'), Decimal('0.7'), Decimal('5.5'))
    """
    if min_cohort < 1:
        raise UsageError(f"minimum cohort size {min_cohort} must be at least 1")
    chosen = list(cohorts)
    published = [c for c in chosen if not c.is_suppressed(min_cohort)]
    learners = sum(c.learners for c in published)
    completers = sum(c.completers for c in published)
    wages = [c for c in published if c.wage_change is not None and c.completers > 0]
    weight = sum(c.completers for c in wages)
    wage = (
        sum((c.wage_change * c.completers for c in wages if c.wage_change is not None), Decimal(0))
        / weight
        if weight
        else None
    )
    medians = [c.wage_change for c in wages if c.wage_change is not None]
    return Indicators(
        subject=subject,
        kind=kind,
        label=label,
        cohorts=len(published),
        suppressed=len(chosen) - len(published),
        learners=learners,
        completers=completers,
        completion=Proportion.of(completers, learners, confidence) if learners else None,
        employment_6=_proportion(published, "employed_6", confidence),
        employment_12=_proportion(published, "employed_12", confidence),
        progression=_proportion(published, "progressed", confidence),
        wage_change=wage,
        wage_range=(min(medians), max(medians)) if medians else None,
    )


@dataclass(frozen=True)
class OutcomeTable:
    """Indicators per credential and per pathway, and how they were computed."""

    credentials: tuple[Indicators, ...]
    pathways: tuple[Indicators, ...]
    min_cohort: int
    confidence: Decimal
    suppressed: int

    def for_credential(self, credential: str) -> Indicators | None:
        """The indicators of one credential (None without outcome records)."""
        for row in self.credentials:
            if row.subject == credential:
                return row
        return None


def outcome_indicators(
    kg: KnowledgeGraph,
    *,
    min_cohort: int = DEFAULT_MIN_COHORT,
    confidence: Decimal | str = "0.95",
) -> OutcomeTable:
    """Indicators of every credential with outcome records and of every pathway.

    Pathways pool the cohorts of their components and destination credential (see the
    module notes); a pathway without any such cohort is listed with no figures.

    >>> outcome_indicators(KnowledgeGraph.open()).credentials
    ()
    """
    level = to_decimal(confidence, what="confidence level")
    cohorts = read_cohorts(kg)
    by_credential: dict[str, list[CohortRecord]] = defaultdict(list)
    for cohort in cohorts:
        by_credential[cohort.credential].append(cohort)
    credentials = tuple(
        indicators_for(
            c,
            "credential",
            kg.label(URIRef(c)),
            by_credential[c],
            min_cohort=min_cohort,
            confidence=level,
        )
        for c in sorted(by_credential)
    )
    members: dict[str, set[str]] = defaultdict(set)
    for row in kg.select(
        """SELECT ?p ?c WHERE { ?p a pw:ProgressionPathway .
             { ?p pw:pathwayComponent ?c } UNION
             { ?p pw:destination ?c . ?c a/rdfs:subClassOf* pw:CredentialSpecification } }"""
    ):
        members[str(row["p"])].add(str(row["c"]))
    for row in kg.select("SELECT ?p WHERE { ?p a pw:ProgressionPathway }"):
        members.setdefault(str(row["p"]), set())
    pathways = tuple(
        indicators_for(
            p,
            "pathway",
            kg.label(URIRef(p)),
            [c for m in sorted(members[p]) for c in by_credential.get(m, [])],
            min_cohort=min_cohort,
            confidence=level,
        )
        for p in sorted(members)
    )
    return OutcomeTable(
        credentials=credentials,
        pathways=pathways,
        min_cohort=min_cohort,
        confidence=level,
        suppressed=sum(1 for c in cohorts if c.is_suppressed(min_cohort)),
    )


def expected_outcome_per_euro(indicators: Indicators | None, price: Money) -> Decimal | None:
    """Expected completers employed at 12 months per unit of money spent on one enrolment.

    ``completion rate x employment rate at 12 months / price``; None when the
    indicators are missing or suppressed, or the price is not positive. The routing
    measure ``outcome`` would minimise its inverse (money per expected employed learner).

    >>> a = CohortRecord("r1", "c", 2023, None, None, 20, 10, 5, 8, Decimal("4"), 2)
    >>> i = indicators_for("c", "credential", "C", [a])
    >>> expected_outcome_per_euro(i, Money.of("400", "EUR"))
    Decimal('0.001')
    """
    expected = indicators.expected_employment if indicators is not None else None
    if expected is None or price.amount <= 0:
        return None
    return expected / price.amount
