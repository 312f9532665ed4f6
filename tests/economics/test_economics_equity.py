"""Equity view: the route that costs each learner group least out of pocket."""

from __future__ import annotations

import json

import pytest

from pathways.cli import main
from pathways.economics.equity import equity_view
from pathways.economics.funding import FundingScheme
from pathways.economics.money import Money
from pathways.errors import NotFoundError
from pathways.rdf.store import KnowledgeGraph
from pathways.vocab import PW
from tests.constants import FIXTURES

SMALL = FIXTURES / "economics" / "costs" / "small.ttl"
EX = "https://example.org/econ/"


@pytest.fixture(scope="module")
def small_kg() -> KnowledgeGraph:
    kg = KnowledgeGraph.open()
    kg.load([SMALL])
    return kg


def _verdicts(scheme: FundingScheme) -> dict[str, bool]:
    return {EX + "a": True, EX + "b": False}


def test_route_minimises_out_of_pocket(small_kg: KnowledgeGraph) -> None:
    rows = equity_view(
        small_kg,
        EX + "q",
        schemes=["scheme-h"],
        threshold=Money.of("150", "EUR"),
        verdicts=_verdicts,
    )
    by = {r.group: r for r in rows}
    # unemployed (rule for every group): a costs 250 out of pocket, b (ineligible) 200
    unemployed = by[str(PW.Unemployed)]
    assert unemployed.credentials == (EX + "b",)
    assert unemployed.out_of_pocket == Money.of("200", "EUR") and unemployed.flagged
    # large firms use the same rule but are not a priority group: never flagged
    large = by[str(PW.EmployedLargeFirm)]
    assert large.out_of_pocket == Money.of("200", "EUR") and not large.flagged
    # older technicians: the employer pays the rest, nothing out of pocket
    assert by[str(PW.OlderTechnicians)].out_of_pocket == Money.of("0", "EUR")


def test_unknown_target(small_kg: KnowledgeGraph) -> None:
    with pytest.raises(NotFoundError):
        equity_view(small_kg, EX + "nothing", verdicts=_verdicts)


def test_cli_equity(runner) -> None:  # type: ignore[no-untyped-def]
    args = [
        "fund",
        str(SMALL),
        "--equity",
        "--to",
        EX + "q",
        "--scheme",
        "scheme-h",
        "--learner-group",
        "Unemployed",
        "--threshold",
        "100 EUR",
    ]
    result = runner.invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 1 and rows[0]["flagged"] == "true"
    assert runner.invoke(main, ["fund", str(SMALL), "--equity"]).exit_code == 2
    bad = runner.invoke(main, [*args[:-1], "lots"])
    assert bad.exit_code == 2
