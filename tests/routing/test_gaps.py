"""Skill-gap set cover: exact against brute force, greedy within its stated bound."""

from __future__ import annotations

import itertools
import math

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.routing.gaps import skill_gap


@st.composite
def catalogues(draw: st.DrawFn) -> tuple[nx.DiGraph, dict[str, tuple[float, set[str]]]]:
    g = nx.DiGraph()
    g.add_node("occ", kind="occupation", label="occ")
    skills = [f"s{i}" for i in range(draw(st.integers(1, 5)))]
    for s in skills:
        g.add_node(s, kind="skill", label=s)
        g.add_edge("occ", s, kind="essential")
    creds: dict[str, tuple[float, set[str]]] = {}
    for i in range(draw(st.integers(1, 7))):
        key = f"c{i}"
        cost = float(draw(st.integers(1, 20)))
        taught = set(draw(st.lists(st.sampled_from(skills), max_size=3, unique=True)))
        creds[key] = (cost, taught)
        g.add_node(
            key,
            kind="credential",
            label=key,
            cost=cost,
            hours=None,
            credits=None,
            countries=(),
            languages=(),
            providers=(),
            eqf=None,
        )
        for s in taught:
            g.add_edge(key, s, kind="teaches")
    return g, creds


def brute_cover(creds: dict[str, tuple[float, set[str]]], need: set[str]) -> float:
    best = math.inf
    for size in range(len(creds) + 1):
        for combo in itertools.combinations(creds, size):
            if need <= set().union(*(creds[c][1] for c in combo)):
                best = min(best, sum(creds[c][0] for c in combo))
    return best


@settings(max_examples=60, deadline=None)
@given(catalogues())
def test_exact_cover_is_optimal(case: tuple[nx.DiGraph, dict[str, tuple[float, set[str]]]]) -> None:
    g, creds = case
    report = skill_gap(g, "occ")
    taught = set().union(*(t for _, t in creds.values()))
    need = {s for s in report.missing_essential if s in taught}
    assert set(report.uncoverable) == set(report.missing_essential) - taught
    assert need <= set().union(*(creds[c][1] for c in report.credentials))
    assert report.method == "exact"
    assert abs(report.weight - brute_cover(creds, need)) < 1e-9


@settings(max_examples=60, deadline=None)
@given(catalogues())
def test_greedy_within_bound(case: tuple[nx.DiGraph, dict[str, tuple[float, set[str]]]]) -> None:
    g, creds = case
    report = skill_gap(g, "occ", exact_limit=0)
    taught = set().union(*(t for _, t in creds.values()))
    need = {s for s in report.missing_essential if s in taught}
    assert need <= set().union(*(creds[c][1] for c in report.credentials))
    assert report.method == "greedy"
    m = len(need)
    harmonic = sum(1 / k for k in range(1, m + 1))
    assert report.weight <= harmonic * brute_cover(creds, need) + 1e-9


def test_greedy_cover_meets_a_prerequisite_condition() -> None:
    """A course whose condition must be met first (pw:prerequisiteCondition) costs its
    cheapest targets too; the greedy cover is still a valid route."""
    g = nx.DiGraph()
    g.add_node("occ", kind="occupation", label="occ")
    g.add_node("s", kind="skill", label="s")
    g.add_edge("occ", "s", kind="essential")
    for key, cost in (("course", 5.0), ("intro1", 2.0), ("intro2", 9.0)):
        g.add_node(key, kind="credential", label=key, cost=cost, hours=None, credits=None,
                   countries=(), languages=(), providers=(), eqf=None)  # fmt: skip
    g.add_edge("course", "s", kind="teaches")
    g.add_node("pre", kind="condition", label="pre", required=1, min_hours=None,
               min_credits=None, max_required=None, max_hours=None, max_credits=None)  # fmt: skip
    g.add_edge("course", "pre", kind="prerequisite-condition")
    g.add_edge("pre", "intro1", kind="target")
    g.add_edge("pre", "intro2", kind="target")
    exact = skill_gap(g, "occ")
    greedy = skill_gap(g, "occ", exact_limit=0)
    assert exact.credentials == greedy.credentials == ("course", "intro1")
    assert exact.weight == greedy.weight == 7.0
