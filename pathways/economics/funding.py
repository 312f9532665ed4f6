"""Funding schemes and who pays: public, employer and learner shares of a cost.

A ``pw:FundingScheme`` has ``pw:FundingRule`` nodes, one per learner group (a rule
without ``pw:learnerGroup`` applies to every group without its own rule), each with
``pw:publicShare``, ``pw:employerShare`` and ``pw:learnerShare`` (fractions summing to 1)
and optionally ``pw:capPerLearner``. Per-hour schemes state ``pw:hourlyRate``; per-enrolment
and voucher schemes ``pw:paymentPerLearner``.

The split of a cost ``C`` (:func:`funding_split`)
-------------------------------------------------
1. **Eligible, with a rule for the group**: the public contribution is
   ``min(C x publicShare, capPerLearner, hourlyRate x hours, paymentPerLearner)`` over the
   limits the scheme states (a per-hour scheme with unknown hours pays nothing).
2. **Ineligible, or no rule for the group**: the public contribution is 0.
3. The rest ``C - public`` is split between employer and learner in the ratio
   ``employerShare : learnerShare`` of the rule; when the rule gives both 0 (or there is no
   rule) the learner pays it all: with no training budget, the rest is out of pocket.

So ``public + employer + learner = C`` exactly, and the learner's part is the
out-of-pocket cost. Mixing currencies (a NZD cap on a EUR fee) raises
:class:`~pathways.economics.money.CurrencyMismatch`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rdflib.term import Node

from pathways.catalogue.schemes import scheme_named as catalogue_scheme_named
from pathways.economics.money import Money, money_from_row, to_decimal
from pathways.errors import InputError, UsageError, nearest
from pathways.rdf.store import KnowledgeGraph
from pathways.vocab import PW

__all__ = [
    "PRIORITY_GROUPS",
    "FundingRule",
    "FundingScheme",
    "Split",
    "funding_schemes",
    "funding_split",
    "learner_group",
    "learner_groups",
    "scheme_named",
]

PRIORITY_GROUPS = (str(PW.OlderTechnicians), str(PW.LowQualifiedSmallWorkshop), str(PW.Unemployed))


@dataclass(frozen=True)
class FundingRule:
    """The shares and cap a scheme applies to one learner group (``None``: every group)."""

    iri: str
    group: str | None
    public: Decimal
    employer: Decimal
    learner: Decimal
    cap: Money | None = None

    def __post_init__(self) -> None:
        shares = (self.public, self.employer, self.learner)
        total = sum(shares, Decimal(0))
        if any(s < 0 or s > 1 for s in shares) or abs(total - 1) > Decimal("1e-9"):
            raise InputError(
                f"funding rule {self.iri} has shares {self.public}, {self.employer}, "
                f"{self.learner}",
                hint="give public, employer and learner shares between 0 and 1 that sum to 1",
            )


@dataclass(frozen=True)
class FundingScheme:
    """A ``pw:FundingScheme`` with its rules and payment limits."""

    iri: str
    label: str
    profile: str | None
    model: str | None
    rules: tuple[FundingRule, ...]
    hourly_rate: Money | None = None
    payment_per_learner: Money | None = None

    def rule_for(self, group: str | None) -> FundingRule | None:
        """The group's own rule, else the scheme's rule for every group, else ``None``.

        Examples
        --------
        >>> default = FundingRule("urn:r", None, Decimal(1), Decimal(0), Decimal(0))
        >>> scheme = FundingScheme("urn:s", "s", None, None, (default,))
        >>> scheme.rule_for(str(PW.Unemployed)).iri
        'urn:r'
        """
        own = [r for r in self.rules if r.group is not None and r.group == group]
        if own:
            return own[0]
        general = [r for r in self.rules if r.group is None]
        return general[0] if general else None


@dataclass(frozen=True)
class Split:
    """Who pays a cost: public, employer and learner (out of pocket); they sum to ``cost``."""

    cost: Money
    public: Money
    employer: Money
    learner: Money
    eligible: bool
    rule: str | None
    limited_by: str | None

    @property
    def out_of_pocket(self) -> Money:
        """What the learner pays."""
        return self.learner


def funding_split(
    scheme: FundingScheme,
    cost: Money,
    group: str | None,
    *,
    eligible: bool = True,
    hours: Decimal | None = None,
) -> Split:
    """Split ``cost`` (per learner) between public funds, employer and learner.

    Parameters
    ----------
    scheme
        The funding scheme (see :func:`funding_schemes`).
    cost
        The cost to split: a fee or a true cost per participant.
    group
        The learner group IRI (``None``: only a rule for every group applies).
    eligible
        The validation verdict; ineligible means no public money.
    hours
        Notional hours, for per-hour schemes.

    Examples
    --------
    >>> rule = FundingRule("urn:r", None, Decimal("0.8"), Decimal("0.2"), Decimal(0),
    ...                    Money.of("500", "EUR"))
    >>> scheme = FundingScheme("urn:s", "s", None, None, (rule,), Money.of("13", "EUR"))
    >>> split = funding_split(scheme, Money.of("890", "EUR"), None, hours=Decimal(60))
    >>> [str(m) for m in (split.public, split.employer, split.learner)], split.limited_by
    (['500.00 EUR', '390.00 EUR', '0.00 EUR'], 'cap per learner')
    >>> split = funding_split(scheme, Money.of("890", "EUR"), None, hours=Decimal(30))
    >>> str(split.public), split.limited_by
    ('390.00 EUR', 'hourly rate x hours')
    >>> str(funding_split(scheme, Money.of("890", "EUR"), None, eligible=False).employer)
    '890.00 EUR'
    """
    if cost.amount < 0:
        raise UsageError(f"cannot split a negative cost {cost}")
    rule = scheme.rule_for(group)
    zero = Money.zero(cost.currency)
    public = zero
    limited_by: str | None = None
    if eligible and rule is not None:
        public = cost * rule.public
        limits: list[tuple[str, Money]] = []
        if rule.cap is not None:
            limits.append(("cap per learner", rule.cap))
        if scheme.hourly_rate is not None:
            limits.append(("hourly rate x hours", scheme.hourly_rate * (hours or Decimal(0))))
        if scheme.payment_per_learner is not None:
            limits.append(("payment per learner", scheme.payment_per_learner))
        for name, limit in limits:
            if limit < public:
                public, limited_by = limit, name
    rest = cost - public
    weights = (rule.employer, rule.learner) if rule is not None else (Decimal(0), Decimal(1))
    if sum(weights) == 0:
        weights = (Decimal(0), Decimal(1))
    employer = rest * weights[0] / sum(weights)
    return Split(
        cost=cost,
        public=public,
        employer=employer,
        learner=rest - employer,
        eligible=eligible,
        rule=rule.iri if rule is not None else None,
        limited_by=limited_by,
    )


def _money(kg: KnowledgeGraph, subject: Node, predicate: str) -> Money | None:
    rows = kg.select(
        f"""SELECT ?amount ?currency WHERE {{ ?s pw:{predicate} ?m
              OPTIONAL {{ ?m pw:amount ?amount }} OPTIONAL {{ ?m pw:currency ?currency }} }}""",
        s=subject,
    )
    if len(rows) > 1:
        raise InputError(f"{subject} has {len(rows)} values of pw:{predicate}; expected one")
    return money_from_row(rows[0]) if rows else None


def funding_schemes(kg: KnowledgeGraph) -> tuple[FundingScheme, ...]:
    """Every ``pw:FundingScheme`` of ``kg`` with its rules, sorted by IRI.

    Examples
    --------
    >>> funding_schemes(KnowledgeGraph.open())
    ()
    """
    schemes = []
    for row in kg.select(
        """SELECT ?s (SAMPLE(?p) AS ?profile) (SAMPLE(?fm) AS ?model) WHERE {
             ?s a pw:FundingScheme
             OPTIONAL { ?s pw:validationProfile ?p } OPTIONAL { ?s pw:fundingModel ?fm } }
           GROUP BY ?s ORDER BY ?s"""
    ):
        node = row["s"]
        rules = []
        for r in kg.select(
            """SELECT ?r ?g ?pub ?emp ?lrn WHERE { ?s pw:fundingRule ?r
                 OPTIONAL { ?r pw:learnerGroup ?g } OPTIONAL { ?r pw:publicShare ?pub }
                 OPTIONAL { ?r pw:employerShare ?emp } OPTIONAL { ?r pw:learnerShare ?lrn } }
               ORDER BY ?r""",
            s=node,
        ):
            missing = [k for k in ("pub", "emp", "lrn") if k not in r]
            if missing:
                raise InputError(
                    f"funding rule {r['r']} lacks a share",
                    hint="give pw:publicShare, pw:employerShare and pw:learnerShare",
                )
            rules.append(
                FundingRule(
                    str(r["r"]),
                    str(r["g"]) if "g" in r else None,
                    to_decimal(r["pub"], what="pw:publicShare"),
                    to_decimal(r["emp"], what="pw:employerShare"),
                    to_decimal(r["lrn"], what="pw:learnerShare"),
                    _money(kg, r["r"], "capPerLearner"),
                )
            )
        schemes.append(
            FundingScheme(
                iri=str(node),
                label=kg.label(node),
                profile=str(row["profile"]) if "profile" in row else None,
                model=str(row["model"]).rsplit("#", 1)[-1] if "model" in row else None,
                rules=tuple(rules),
                hourly_rate=_money(kg, node, "hourlyRate"),
                payment_per_learner=_money(kg, node, "paymentPerLearner"),
            )
        )
    return tuple(schemes)


def learner_groups(kg: KnowledgeGraph) -> tuple[str, ...]:
    """The learner groups of ``pw:LearnerGroupScheme``, priority groups first.

    Examples
    --------
    >>> [g.rsplit("#", 1)[-1] for g in learner_groups(KnowledgeGraph.open())]
    ['OlderTechnicians', 'LowQualifiedSmallWorkshop', 'Unemployed', 'EmployedLargeFirm']
    """
    rows = kg.select("SELECT ?g WHERE { ?g skos:inScheme pw:LearnerGroupScheme }")
    found = {str(r["g"]) for r in rows}
    order = {g: i for i, g in enumerate(PRIORITY_GROUPS)}
    return tuple(sorted(found, key=lambda g: (order.get(g, len(order)), g)))


def learner_group(kg: KnowledgeGraph, name: str) -> str:
    """The learner group IRI named by ``name`` (IRI or local name, any case).

    Examples
    --------
    >>> learner_group(KnowledgeGraph.open(), "unemployed")
    'https://w3id.org/pathways/vocab#Unemployed'
    """
    groups = learner_groups(kg)
    wanted = name.strip()
    if wanted.startswith("pw:"):  # a prefixed name of the vocabulary
        wanted = wanted[3:]
    for group in groups:
        if wanted == group or wanted.lower() == group.rsplit("#", 1)[-1].lower():
            return group
    names = [g.rsplit("#", 1)[-1] for g in groups]
    close = nearest(wanted, names)
    guess = f"did you mean {close[0]!r}? " if close else ""
    raise UsageError(
        f"unknown learner group {name!r}", hint=f"{guess}use one of: {', '.join(names)}"
    )


def scheme_named(schemes: tuple[FundingScheme, ...], name: str) -> FundingScheme:
    """The scheme ``name`` names, by :func:`pathways.catalogue.schemes.scheme_named`
    (profile name, IRI, prefixed or local name; one "known schemes" message).

    Examples
    --------
    >>> scheme_named((FundingScheme("urn:x/s1", "s", "funding-x", None, ()),), "funding-x").iri
    'urn:x/s1'
    """
    by_iri = {scheme.iri: scheme for scheme in schemes}
    return by_iri[catalogue_scheme_named({s.iri: s.profile for s in schemes}, name)]
