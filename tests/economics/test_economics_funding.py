"""Funding shares: hand-computed splits, properties, CLI."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.cli import main
from pathways.economics.equity import funding_table
from pathways.economics.funding import (
    FundingRule,
    FundingScheme,
    funding_schemes,
    funding_split,
    scheme_named,
)
from pathways.economics.money import CurrencyMismatch, Money
from pathways.errors import InputError, UsageError
from pathways.rdf.store import KnowledgeGraph
from pathways.vocab import PW
from tests.constants import FIXTURES

SMALL = FIXTURES / "economics" / "costs" / "small.ttl"
EX = "https://example.org/econ/"
OLDER, UNEMPLOYED = str(PW.OlderTechnicians), str(PW.Unemployed)


@pytest.fixture(scope="module")
def small_kg() -> KnowledgeGraph:
    kg = KnowledgeGraph.open()
    kg.load([SMALL])
    return kg


def _verdicts(scheme: FundingScheme) -> dict[str, bool]:
    return {EX + "a": True, EX + "b": False}


def test_hand_computed_splits(small_kg: KnowledgeGraph) -> None:
    hourly = scheme_named(funding_schemes(small_kg), "funding-es-fundae")
    fee, hours = Money.of("500", "EUR"), Decimal(30)
    # older: min(500 x 0.8 = 400, cap 300, 13 x 30 = 390) = 300; rest 200 to the employer
    older = funding_split(hourly, fee, OLDER, hours=hours)
    assert (older.public, older.employer, older.learner) == (
        Money.of("300", "EUR"),
        Money.of("200", "EUR"),
        Money.of("0", "EUR"),
    )
    assert older.limited_by == "cap per learner"
    # unemployed falls back to the rule for every group: public 250, learner 250
    other = funding_split(hourly, fee, UNEMPLOYED, hours=hours)
    assert other.public == Money.of("250", "EUR") and other.learner == Money.of("250", "EUR")
    # ineligible: no public money; rest in the rule's employer:learner ratio (0.2 : 0)
    none = funding_split(hourly, fee, OLDER, eligible=False)
    assert none.public.amount == 0 and none.employer == fee
    # a per-hour scheme with unknown hours pays nothing
    assert funding_split(hourly, fee, OLDER).public.amount == 0


def test_currency_mismatch_is_an_error(small_kg: KnowledgeGraph) -> None:
    nz = scheme_named(funding_schemes(small_kg), "funding-nz-nzqa")
    with pytest.raises(CurrencyMismatch):
        funding_split(nz, Money.of("500", "EUR"), None)
    with pytest.raises(CurrencyMismatch):
        funding_table(small_kg, schemes=["funding-nz-nzqa"], verdicts=_verdicts)
    table = funding_table(small_kg, verdicts=_verdicts)
    assert any("skipped" in n for n in table.notes)


def test_bad_rules_and_names(small_kg: KnowledgeGraph) -> None:
    with pytest.raises(InputError):
        FundingRule("urn:r", None, Decimal("0.5"), Decimal("0.6"), Decimal(0))
    with pytest.raises(UsageError):
        scheme_named(funding_schemes(small_kg), "nope")


def test_funding_table_true_basis(small_kg: KnowledgeGraph) -> None:
    table = funding_table(
        small_kg, schemes=["scheme-h"], groups=[UNEMPLOYED], basis="true", verdicts=_verdicts
    )
    by = {r.credential: r.split for r in table.rows}
    # true cost of b at the default horizon (15 x 3): 3000 / 45 + 10
    assert by[EX + "b"].cost.quantized() == Money.of("76.67", "EUR")
    assert by[EX + "b"].learner == by[EX + "b"].cost


_shares = st.tuples(st.integers(0, 100), st.integers(0, 100)).filter(lambda t: sum(t) <= 100)


@given(
    _shares,
    st.integers(0, 10_000_00),
    st.one_of(st.none(), st.integers(0, 5000)),
    st.one_of(st.none(), st.integers(0, 50)),
    st.integers(0, 200),
    st.booleans(),
)
def test_shares_sum_to_the_cost(shares, cents, cap, rate, hours, eligible) -> None:  # type: ignore[no-untyped-def]
    pub, emp = shares
    rule = FundingRule(
        "urn:r",
        None,
        Decimal(pub) / 100,
        Decimal(emp) / 100,
        Decimal(100 - pub - emp) / 100,
        None if cap is None else Money.of(cap, "EUR"),
    )
    scheme = FundingScheme(
        "urn:s", "s", None, None, (rule,), None if rate is None else Money.of(rate, "EUR")
    )
    cost = Money(Decimal(cents) / 100, "EUR")
    split = funding_split(scheme, cost, None, eligible=eligible, hours=Decimal(hours))
    assert split.public + split.employer + split.learner == cost
    for part in (split.public, split.employer, split.learner):
        assert part.amount >= 0
    assert split.public <= cost * rule.public
    if cap is not None:
        assert split.public <= rule.cap  # type: ignore[operator]
    if not eligible:
        assert split.public.amount == 0


def test_cli_fund(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    args = ["fund", str(SMALL), "--scheme", "scheme-h", "--learner-group", "OlderTechnicians"]
    result = runner.invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    assert [r["credential"] for r in rows] == [EX + "a", EX + "b"]
    assert all(
        Decimal(r["public"]) + Decimal(r["employer"]) + Decimal(r["learner"]) == Decimal(r["cost"])
        for r in rows
    )
    csv_out = runner.invoke(main, [*args, "--format", "csv"]).stdout
    assert csv_out.splitlines()[0].startswith("scheme,credential,learner_group,eligible")
    out = tmp_path / "f.csv"
    bad = runner.invoke(main, ["fund", str(SMALL), "--scheme", "nope", "-o", str(out)])
    assert bad.exit_code == 2 and "unknown funding scheme" in bad.stderr and not out.exists()
    group = runner.invoke(main, ["fund", str(SMALL), "--learner-group", "pensioners"])
    assert group.exit_code == 2 and "unknown learner group" in group.stderr
    nz = runner.invoke(main, ["fund", str(SMALL), "--scheme", "funding-nz-nzqa"])
    assert nz.exit_code in (0, 2)  # 2 only if the NZ profile found a credential eligible
    assert runner.invoke(main, ["fund", str(SMALL), "--threshold", "5"]).exit_code == 2
