"""Cost model: hand-computed figures, properties, consortium, CLI."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.cli import main
from pathways.economics.consortium import consortium_scenario
from pathways.economics.costs import (
    CostItem,
    CostModel,
    Horizon,
    cost_curve,
    cost_model,
    credential_cost,
    route_cost,
    unit_cost,
)
from pathways.economics.money import CurrencyMismatch, Money
from pathways.errors import InputError, NotFoundError
from pathways.rdf.store import KnowledgeGraph
from tests.constants import FIXTURES

SMALL = FIXTURES / "economics" / "costs" / "small.ttl"
EX = "https://example.org/econ/"
H = Horizon(cohort=10, years=3)


@pytest.fixture(scope="module")
def small_kg() -> KnowledgeGraph:
    kg = KnowledgeGraph.open()
    kg.load([SMALL])
    return kg


def test_money_refuses_mixing_and_floats() -> None:
    with pytest.raises(CurrencyMismatch):
        Money.of("1", "EUR") + Money.of("1", "NZD")
    with pytest.raises(InputError):
        Money.of(1.5, "EUR")
    assert CurrencyMismatch("x").exit_code == 2


def test_hand_computed_cost_of_a(small_kg: KnowledgeGraph) -> None:
    # van 6000 x 3/3 / 2 = 3000; teaching 1000 x 3 = 3000; design 3000; kit 10 x 30 = 300;
    # licence 500 x 3 = 1500: total 10800 over 30 participants = 360 each
    cost = credential_cost(small_kg, EX + "a", H)
    assert cost.total == Money.of("10800", "EUR")
    assert cost.per_participant == Money.of("360", "EUR")
    assert cost.visible == Money.of("3000", "EUR")
    assert cost.one_off == Money.of("6000", "EUR")
    assert cost.recurrent == Money.of("4800", "EUR")
    assert cost.variable == Money.of("300", "EUR")
    assert cost.fee == Money.of("500", "EUR")
    assert cost.visible_share is not None
    assert round(cost.visible_share, 6) == Decimal("0.277778")  # 3000 / 10800


def test_allocation_by_hours(small_kg: KnowledgeGraph) -> None:
    # van share of a by hours: 30 / (30 + 10) = 0.75 -> 4500; total 12300 -> 410
    assert unit_cost(small_kg, EX + "a", H, allocation="hours") == Money.of("410", "EUR")
    # b: van 6000 x 0.25 = 1500 + kit 300 = 1800 -> 60
    assert unit_cost(small_kg, EX + "b", H, allocation="hours") == Money.of("60", "EUR")
    # shared fixed items are fully allocated: the parts add up to the item
    equal = cost_model(small_kg)
    assert unit_cost(equal, EX + "b", H) == Money.of("110", "EUR")


def test_curve_and_route(small_kg: KnowledgeGraph) -> None:
    curve = cost_curve(small_kg, EX + "b", H, (5, 30))
    # b: fixed 3000 over 3N participants plus 10 per participant
    assert [(p.cohort, p.per_participant.amount) for p in curve] == [
        (5, Decimal(210)),
        (10, Decimal(110)),
        (30, Decimal("43.33333333333333333333333333")),
    ]
    assert route_cost(small_kg, [EX + "a", EX + "b"], H) == Money.of("470", "EUR")


def test_consortium_hand_computed(small_kg: KnowledgeGraph) -> None:
    scenario = consortium_scenario(small_kg, EX + "cons", H)
    by = {m.provider: m for m in scenario.members}
    assert by[EX + "p1"].alone == Money.of("460", "EUR")
    assert by[EX + "p1"].shared == Money.of("360", "EUR")
    assert by[EX + "p2"].alone == Money.of("210", "EUR")
    assert by[EX + "p2"].saving == Money.of("100", "EUR")
    assert scenario.saving == Money.of("6000", "EUR")
    with pytest.raises(NotFoundError):
        consortium_scenario(small_kg, EX + "p1", H)


@pytest.mark.parametrize(
    ("name", "error"),
    [("mixed-currency.ttl", CurrencyMismatch), ("incomplete-item.ttl", InputError)],
)
def test_invalid_fixtures(name: str, error: type[Exception]) -> None:
    kg = KnowledgeGraph.open()
    kg.load([FIXTURES / "economics" / "costs" / name])
    with pytest.raises(error):
        credential_cost(kg, EX + "m", H)


def test_unknown_credential(small_kg: KnowledgeGraph) -> None:
    with pytest.raises(NotFoundError):
        credential_cost(small_kg, EX + "nothing", H)


_items = st.lists(
    st.tuples(
        st.sampled_from(["one-off", "annual", "per-cohort"]),
        st.sampled_from(["fixed", "per-participant"]),
        st.integers(0, 100_000),
        st.one_of(st.none(), st.integers(1, 10)),
        st.sets(st.sampled_from(["urn:a", "urn:b", "urn:c"]), min_size=1),
    ),
    min_size=1,
    max_size=8,
)


def _model(specs: list[tuple[str, str, int, int | None, set[str]]]) -> CostModel:
    items = tuple(
        CostItem(
            f"urn:i{k}",
            "i",
            tuple(sorted(c)),
            None,
            "urn:k",
            "k",
            k % 2 == 0,
            r,
            b,
            Money.of(a, "EUR"),
            None if life is None else Decimal(life),
        )
        for k, (r, b, a, life, c) in enumerate(specs)
    )
    return CostModel(items, {"urn:a": Decimal(10), "urn:b": Decimal(25)}, {}, {})


@given(_items, st.integers(1, 60), st.integers(1, 60), st.integers(1, 6))
def test_costs_non_negative_and_falling(specs, small, extra, years) -> None:  # type: ignore[no-untyped-def]
    model = _model(specs)
    for credential in model.credentials:
        low = unit_cost(model, credential, Horizon(small, years))
        high = unit_cost(model, credential, Horizon(small + extra, years))
        assert low.amount >= 0
        assert high <= low  # fixed costs spread over more participants
        cost = credential_cost(model, credential, Horizon(small, years))
        assert cost.fixed + cost.variable == cost.total
        assert cost.visible <= cost.total


@given(_items, st.sampled_from(["equal", "hours"]))
def test_shared_items_fully_allocated(specs, allocation) -> None:  # type: ignore[no-untyped-def]
    model = _model(specs)
    horizon = Horizon(7, 2)
    parts = sum(
        (
            credential_cost(model, c, horizon, allocation=allocation).fixed.amount
            for c in model.credentials
        ),
        Decimal(0),
    )
    whole = sum((i.charge(horizon).amount for i in model.items if i.basis == "fixed"), Decimal(0))
    assert abs(parts - whole) < Decimal("1e-20")


def test_cli_cost_formats(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    args = ["cost", str(SMALL), "--credential", EX + "a", "--cohort", "10", "--years", "3"]
    human = runner.invoke(main, args)
    assert human.exit_code == 0, human.stderr
    assert "360.00 EUR" in human.stdout
    data = json.loads(runner.invoke(main, [*args, "--format", "json"]).stdout)
    assert data[0]["per_participant"] == "360.00"
    assert data[0]["visible_share"] == "0.2778"
    rows = runner.invoke(main, [*args, "--format", "csv"]).stdout.splitlines()
    assert rows[0].startswith("credential,cohort")
    assert f"{EX}a,10,3,1,30,360.00,0.2778,500.00,EUR" in rows
    out = tmp_path / "c.json"
    assert runner.invoke(main, [*args, "--format", "json", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text()) == data
    first = runner.invoke(main, ["cost", str(SMALL), "--all", "--format", "csv"]).stdout
    assert first == runner.invoke(main, ["cost", str(SMALL), "--all", "--format", "csv"]).stdout


def test_cli_cost_errors(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "never.json"
    bad = runner.invoke(main, ["cost", str(SMALL), "--credential", EX + "zz", "-o", str(out)])
    assert bad.exit_code == 2 and not out.exists()
    assert "zz> is not a credential of the knowledge graph" in bad.stderr  # issue 13
    mixed = FIXTURES / "economics" / "costs" / "mixed-currency.ttl"
    result = runner.invoke(main, ["cost", str(mixed), "--all"])
    assert result.exit_code == 2 and "different currencies" in result.stderr
    assert runner.invoke(main, ["cost", str(SMALL)]).exit_code == 2
    assert runner.invoke(main, ["cost", str(SMALL), "--all", "--cohort", "0"]).exit_code == 2
    consortium = runner.invoke(
        main, ["cost", str(SMALL), "--consortium", EX + "cons", "--cohort", "10", "--format", "csv"]
    )
    assert f"{EX}p1,30,460.00,360.00,100.00,EUR" in consortium.stdout


def test_pilot_costs(pilot_kg) -> None:  # type: ignore[no-untyped-def]
    cost = credential_cost(pilot_kg, "https://w3id.org/pathways/pilot/es-hv-2s", Horizon(15, 3))
    assert cost.fee is not None and cost.per_participant > cost.fee
    assert Decimal("0.2") < (cost.visible_share or 0) < Decimal("0.5")
    assert len(cost.by_category()) == 9
