"""Outcome indicators: Wilson intervals, rates, suppression, reading records, the command."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.cli import main
from pathways.economics.money import Money
from pathways.economics.outcomes import (
    CohortRecord,
    Indicators,
    expected_outcome_per_euro,
    indicators_for,
    outcome_indicators,
    read_cohorts,
    wilson_interval,
)
from pathways.errors import InputError, UsageError
from pathways.rdf.store import KnowledgeGraph
from tests.constants import FIXTURES, PILOT

HERE = FIXTURES / "economics" / "outcomes"
EX = "https://example.org/oc/"


def _kg(name: str) -> KnowledgeGraph:
    kg = KnowledgeGraph.open()
    kg.load([HERE / name])
    return kg


# --- Wilson score interval, hand-computed -------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "trials", "confidence", "expected"),
    [
        # p = 0: centre = margin = z^2/(2n) / (1 + z^2/n) ... upper = z^2/(n + z^2) = 0.2775
        (0, 10, "0.95", ("0.0000", "0.2775")),
        (10, 10, "0.95", ("0.7225", "1.0000")),
        # p = 0.5, n = 100, z = 1.95996: centre 0.5, margin 1.95996*sqrt(0.0025+0.000096)/1.0384
        (50, 100, "0.95", ("0.4038", "0.5962")),
        # 90 %: z = 1.64485, margin 1.64485*sqrt(0.0025+0.0000676)/1.02706 = 0.08115
        (50, 100, "0.90", ("0.4188", "0.5812")),
        (44, 48, "0.95", ("0.8045", "0.9671")),
    ],
)
def test_wilson_interval_hand_computed(
    successes: int, trials: int, confidence: str, expected: tuple[str, str]
) -> None:
    assert wilson_interval(successes, trials, confidence) == tuple(Decimal(e) for e in expected)


@pytest.mark.parametrize(
    ("s", "n", "c"), [(1, 0, "0.95"), (5, 4, "0.95"), (1, 4, "1"), (1, 4, "0")]
)
def test_wilson_interval_refuses_nonsense(s: int, n: int, c: str) -> None:
    with pytest.raises(UsageError):
        wilson_interval(s, n, c)


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_contains_the_rate(case: tuple[int, int]) -> None:
    s, n = case
    low, high = wilson_interval(s, n)
    rate = Decimal(s) / n
    assert Decimal(0) <= low <= rate.quantize(Decimal("0.0001")) + Decimal("0.0001")
    assert rate - Decimal("0.0001") <= high <= Decimal(1)


# --- rates and wage on the fixture ----------------------------------------------------------


def test_indicators_hand_computed() -> None:
    table = outcome_indicators(_kg("cohorts.ttl"))
    a = table.for_credential(EX + "a")
    assert a is not None and a.completion and a.employment_12 and a.employment_6
    assert (a.learners, a.completers, a.cohorts, a.suppressed) == (50, 40, 2, 0)
    assert a.completion.rate == Decimal("0.8")
    assert a.employment_12.rate == Decimal("0.75")
    assert a.employment_6.rate == Decimal("0.5")
    assert a.progression is not None and a.progression.rate == Decimal("0.25")
    # completer-weighted mean of cohort medians: (5 x 16 + 10 x 24) / 40 = 8
    assert a.wage_change == Decimal(8)
    assert a.wage_range == (Decimal(5), Decimal(10))
    assert a.expected_employment == Decimal("0.6")
    assert expected_outcome_per_euro(a, Money.of("300", "EUR")) == Decimal("0.002")


def test_small_cohort_is_suppressed_everywhere() -> None:
    table = outcome_indicators(_kg("cohorts.ttl"))
    b = table.for_credential(EX + "b")
    assert b is not None and b.cohorts == 0 and b.suppressed == 1 and b.completion is None
    (pathway,) = table.pathways
    assert pathway.learners == 50 and pathway.suppressed == 1  # B's 7 learners left out
    assert table.suppressed == 1
    # lowering the threshold publishes it
    b7 = outcome_indicators(_kg("cohorts.ttl"), min_cohort=7).for_credential(EX + "b")
    assert b7 is not None and b7.learners == 7


def test_expected_outcome_per_euro_without_figures() -> None:
    assert expected_outcome_per_euro(None, Money.of("10", "EUR")) is None
    tiny = indicators_for("c", "credential", "C", [CohortRecord("r", "c", 2024, None, None, 5, 5)])
    assert expected_outcome_per_euro(tiny, Money.of("10", "EUR")) is None


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("bad-completers.ttl", "12 completers but 10 learners"),
        ("bad-employed.ttl", "more than the 8 completers"),
        ("missing-learners.ttl", "has no pw:learners"),
    ],
)
def test_invalid_records_are_input_errors(name: str, words: str) -> None:
    with pytest.raises(InputError, match=words) as err:
        read_cohorts(_kg(name))
    assert f"{EX}bad" in str(err.value)


# --- suppression never leaks -------------------------------------------------------------

MIN = 10


@st.composite
def cohort(draw: st.DrawFn, index: int) -> CohortRecord:
    learners = draw(st.integers(0, 60))
    completers = draw(st.integers(0, learners))
    return CohortRecord(
        record=f"r{index}",
        credential=f"c{draw(st.integers(0, 3))}",
        year=draw(st.integers(2020, 2024)),
        provider=None,
        group=None,
        learners=learners,
        completers=completers,
        employed_6=draw(st.none() | st.integers(0, completers)),
        employed_12=draw(st.none() | st.integers(0, completers)),
        wage_change=draw(st.none() | st.decimals(-5, 20, places=1)),
        progressed=draw(st.none() | st.integers(0, completers)),
    )


def _published(cohorts: list[CohortRecord]) -> list[Indicators]:
    """Every number a table would publish: per credential and for pathways of them."""
    groups = {
        **{f"c{k}": [c for c in cohorts if c.credential == f"c{k}"] for k in range(4)},
        "p01": [c for c in cohorts if c.credential in ("c0", "c1")],
        "p-all": cohorts,
    }
    return [indicators_for(s, "x", s, rows, min_cohort=MIN) for s, rows in groups.items()]


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 8).flatmap(lambda n: st.tuples(*(cohort(i) for i in range(n)))),
    st.data(),
)
def test_suppressed_cohorts_cannot_be_derived(
    cohorts: tuple[CohortRecord, ...], data: st.DataObject
) -> None:
    """Change every small cohort's figures (still small): no published number changes.

    So no total minus a part, nor any other combination of published numbers, can
    reveal a suppressed cohort.
    """
    original = list(cohorts)
    changed = []
    for c in original:
        if c.is_suppressed(MIN):
            learners = data.draw(st.integers(0, MIN - 1))
            completers = data.draw(st.integers(0, learners))
            c = replace(
                c,
                learners=learners,
                completers=completers,
                employed_12=completers,
                employed_6=None,
                progressed=0,
                wage_change=Decimal(99),
            )
        changed.append(c)
    assert _published(original) == _published(changed)
    for row in _published(original):
        assert row.learners == sum(
            c.learners
            for c in original
            if c.learners >= MIN and c in _members(row.subject, original)
        )


def _members(subject: str, cohorts: list[CohortRecord]) -> list[CohortRecord]:
    if subject == "p-all":
        return cohorts
    if subject == "p01":
        return [c for c in cohorts if c.credential in ("c0", "c1")]
    return [c for c in cohorts if c.credential == subject]


# --- pilot data ------------------------------------------------------------------------------


def test_pilot_small_cohorts_never_published(pilot_kg: KnowledgeGraph) -> None:
    table = outcome_indicators(pilot_kg)
    assert table.suppressed == 4
    for name in ("es-hv-3s", "es-bat-modulos", "fi-eat-sahkoajoneuvot", "fi-latauslaite-kurssi"):
        row = table.for_credential(str(PILOT[name]))
        assert row is not None and row.cohorts == 0 and row.completion is None
    two_s = table.for_credential(str(PILOT["es-hv-2s"]))
    assert two_s is not None and two_s.learners == 48 + 62 + 24 + 15


# --- command ---------------------------------------------------------------------------------


def test_cli_formats(runner: CliRunner) -> None:
    path = str(HERE / "cohorts.ttl")
    human = runner.invoke(main, ["outcomes", path])
    assert human.exit_code == 0, human.stderr
    assert "Credential A" in human.stdout and "suppressed" in human.stdout
    as_json = runner.invoke(main, ["outcomes", path, "--format", "json"])
    document = json.loads(as_json.stdout)
    row = next(r for r in document["credentials"] if r["subject"] == EX + "b")
    assert row["learners"] is None and row["completion"] is None
    as_csv = runner.invoke(main, ["outcomes", path, "--format", "csv"])
    lines = as_csv.stdout.splitlines()
    assert lines[0].startswith("kind,subject,label") and len(lines) == 4
    assert "7" not in lines[2].split(",")[5:]  # B's small cohort: no figure at all
    again = runner.invoke(main, ["outcomes", path, "--format", "csv"])
    assert again.stdout == as_csv.stdout


def test_cli_output_file_and_errors(runner: CliRunner, tmp_path: object) -> None:
    from pathlib import Path

    target = Path(str(tmp_path)) / "out.json"
    ok = runner.invoke(
        main, ["outcomes", str(HERE / "cohorts.ttl"), "--format", "json", "-o", str(target)]
    )
    assert ok.exit_code == 0 and ok.stdout == "" and json.loads(target.read_text())
    bad_target = Path(str(tmp_path)) / "bad.json"
    bad = runner.invoke(main, ["outcomes", str(HERE / "bad-completers.ttl"), "-o", str(bad_target)])
    assert bad.exit_code == 2 and "12 completers" in bad.stderr and "Traceback" not in bad.stderr
    assert not bad_target.exists()
    broken = runner.invoke(main, ["outcomes", str(HERE / "broken.ttl")])
    assert broken.exit_code == 2 and "broken.ttl" in broken.stderr
    confidence = runner.invoke(main, ["outcomes", str(HERE / "cohorts.ttl"), "--confidence", "2"])
    assert confidence.exit_code == 2 and "confidence" in confidence.stderr
    minimum = runner.invoke(main, ["outcomes", str(HERE / "cohorts.ttl"), "--min-cohort", "0"])
    assert minimum.exit_code == 2
