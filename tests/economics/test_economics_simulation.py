"""The funding simulation: hand-computed allocations, budget properties, pilot figures, CLI."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.cli import main
from pathways.economics.money import CurrencyMismatch, Money
from pathways.economics.simulation import RULES, Market, Offer, allocate, funding_market
from pathways.errors import UsageError
from pathways.rdf.store import KnowledgeGraph
from tests.constants import PILOT

EUR = "EUR"
D = Decimal


def _offer(
    name: str,
    payment: str,
    eligible: bool,
    dead: bool,
    demand: int,
    rates: tuple[str, str, str],
    destination: bool = False,
) -> Offer:
    return Offer(
        credential=f"urn:{name}",
        label=name,
        payment=Money.of(payment, EUR),
        conditional_eligible=eligible,
        dead_end=dead,
        destination=destination,
        demand=((None, demand),),
        rates=(("*", tuple(D(r) for r in rates)),),  # type: ignore[arg-type]
    )


SMALL = Market(
    offers=(
        _offer("a", "100", True, False, 3, ("0.5", "0.4", "0.5")),
        _offer("b", "30", False, True, 2, ("1", "0.5", "0")),
    ),
    excluded=(),
    groups=(None,),
    hourly_rate=Money.of("10", EUR),
    suppressed_cohorts=0,
)


def test_allocation_hand_computed_when_the_budget_covers_everyone() -> None:
    per = allocate(SMALL, Money.of("1000", EUR), "per-enrolment", seed=3)
    assert per.spent == Money.of("360", EUR)  # 3 x 100 + 2 x 30
    assert per.dead_end_spent == Money.of("60", EUR)
    assert per.dead_end_share == D(60) / D(360)
    assert per.employed == D("2.2")  # 3 x 0.4 + 2 x 0.5
    assert per.on_pathway == D("1.5")  # 3 x 0.5, none from the dead end
    assert per.reaching_destination == D("0.75")  # 1.5 x progression 0.5
    assert per.funded == (("urn:a", 3), ("urn:b", 2))
    cond = allocate(SMALL, Money.of("1000", EUR), "conditional", seed=3)
    assert cond.spent == Money.of("300", EUR) and cond.dead_end_spent == Money.zero(EUR)
    assert cond.funded == (("urn:a", 3),) and cond.employed == D("1.2")
    assert cond.unspent == Money.of("700", EUR)
    assert cond.employed_per_1000 == D(4)


def test_allocation_skips_who_does_not_fit_and_funds_cheaper_later() -> None:
    result = allocate(SMALL, Money.of("130", EUR), "per-enrolment", seed=0)
    # whatever the order: one A (100) and one B (30) fit exactly, or B+B then no A (60)
    assert result.spent <= Money.of("130", EUR)
    assert result.spent in (Money.of("130", EUR), Money.of("60", EUR), Money.of("100", EUR))


def test_bad_rule_budget_and_currency() -> None:
    with pytest.raises(UsageError):
        allocate(SMALL, Money.of("10", EUR), "lottery")
    with pytest.raises(UsageError):
        allocate(SMALL, Money.of("-1", EUR), "conditional")
    with pytest.raises(CurrencyMismatch):
        allocate(SMALL, Money.of("10", "NZD"), "conditional")


@st.composite
def markets(draw: st.DrawFn) -> Market:
    offers = []
    for k in range(draw(st.integers(1, 5))):
        offers.append(
            Offer(
                credential=f"urn:c{k}",
                label=f"c{k}",
                payment=Money.of(draw(st.integers(1, 500)), EUR),
                conditional_eligible=draw(st.booleans()),
                dead_end=draw(st.booleans()),
                destination=draw(st.booleans()),
                demand=tuple((g, draw(st.integers(0, 8))) for g in ("g1", "g2")),
                rates=(("*", (D("0.9"), D("0.5"), D("0.3"))),),
            )
        )
    return Market(tuple(offers), (), ("g1", "g2"), Money.of("1", EUR), 0)


@settings(max_examples=120, deadline=None)
@given(markets(), st.integers(0, 3000), st.sampled_from(RULES), st.integers(0, 99))
def test_allocations_respect_budget_and_add_up(
    market: Market, budget: int, rule: str, seed: int
) -> None:
    money = Money.of(budget, EUR)
    result = allocate(market, money, rule, seed=seed)
    payments = {o.credential: o.payment for o in market.offers}
    assert result.spent <= money and result.unspent >= Money.zero(EUR)
    assert result.spent == sum((payments[c] * n for c, n in result.funded), Money.zero(EUR))
    assert sum((g.spent for g in result.groups), Money.zero(EUR)) == result.spent
    assert sum(g.funded for g in result.groups) == result.funded_learners
    assert Money.zero(EUR) <= result.dead_end_spent <= result.spent
    assert result.applicants == sum(n for o in market.offers for _, n in o.demand)
    if rule == "conditional":
        eligible = {o.credential for o in market.offers if o.conditional_eligible}
        assert {c for c, _ in result.funded} <= eligible and result.dead_end_spent <= result.spent
    # whoever was left out could not have been paid for with what remained
    cheapest_unfunded = [
        o.payment
        for o in market.offers
        if (rule == "per-enrolment" or o.conditional_eligible)
        and dict(result.funded).get(o.credential, 0) < sum(n for _, n in o.demand)
    ]
    assert all(p > result.unspent for p in cheapest_unfunded)
    assert allocate(market, money, rule, seed=seed) == result


@pytest.fixture(scope="module")
def pilot_market(pilot_kg: KnowledgeGraph) -> Market:
    return funding_market(pilot_kg, Money.of("13", EUR))


def test_pilot_market(pilot_market: Market) -> None:
    offers = {o.credential: o for o in pilot_market.offers}
    assert pilot_market.suppressed_cohorts == 4
    assert str(PILOT["es-hv-3s"]) not in offers  # its only cohort is suppressed
    two_s = offers[str(PILOT["es-hv-2s"])]
    assert two_s.payment == Money.of("780", EUR)  # 60 h x 13
    # 48 + 62 learners without a group over 3 cohort years, rounded: 37
    assert dict(two_s.demand)[None] == 37
    for name in ("es-curso-ve-introduccion", "es-taller-baterias-express", "pt-curso-adas-rapido"):
        assert (
            offers[str(PILOT[name])].dead_end and not offers[str(PILOT[name])].conditional_eligible
        )
    assert offers[str(PILOT["es-ce-hev"])].destination


def test_pilot_conditionality_moves_money_off_dead_ends(pilot_market: Market) -> None:
    budget = Money.of("250000", EUR)
    per, cond = (allocate(pilot_market, budget, rule, seed=0) for rule in RULES)
    assert per.dead_end_share > 0 and cond.dead_end_share == 0
    assert cond.on_pathway > per.on_pathway
    assert allocate(pilot_market, budget, "conditional", seed=0) == cond
    assert allocate(pilot_market, budget, "conditional", seed=1) != cond


def test_cli_json_and_report(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "report"
    first = runner.invoke(
        main, ["simulate", "--budget", "250000 EUR", "--format", "json", "--report", str(out)]
    )
    assert first.exit_code == 0, first.stderr
    document = json.loads(first.stdout)
    assert [a["rule"] for a in document["allocations"]] == list(RULES)
    assert sorted(p.name for p in out.iterdir()) == [
        "report.md",
        "simulation.png",
        "simulation.svg",
    ]
    assert "stack into nothing recognised" in (out / "report.md").read_text()
    svg = (out / "simulation.svg").read_bytes()
    assert b"<svg" in svg and b"dc:date" not in svg
    second = runner.invoke(
        main, ["simulate", "--budget", "250000", "--format", "json", "--report", str(out)]
    )
    assert second.stdout == first.stdout and (out / "simulation.svg").read_bytes() == svg
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    "args",
    [
        ["--budget", "lots"],
        ["--budget", "-5"],
        ["--budget", "100", "--rule", "lottery"],
        ["--budget", "100", "--hourly-rate", "0"],
        ["--budget", "1 2 3"],
        ["--budget", "1e400"],  # once an internal error: too large to round to cents
        ["--budget", "100", "--hourly-rate", "1e30"],
    ],
)
def test_cli_bad_input(runner: CliRunner, args: list[str], tmp_path: Path) -> None:
    result = runner.invoke(main, ["simulate", *args, "-o", str(tmp_path / "x.txt")])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert not (tmp_path / "x.txt").exists()


def test_cli_report_onto_a_file_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("keep")
    result = runner.invoke(main, ["simulate", "--budget", "1000", "--report", str(target)])
    assert result.exit_code == 2 and target.read_text() == "keep"
