"""Routes, gaps and audits on the bundled pilot data, against the hand-checked facts of
data/README.md ("Hand-checkable facts")."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from pathways.catalogue.projection import project
from pathways.cli import main
from pathways.rdf.store import KnowledgeGraph
from pathways.routing import Filters, plan_route
from pathways.routing.audit import stack_audit
from pathways.routing.holdings import Holdings
from tests.constants import PILOT, REPO


@pytest.fixture(scope="module")
def g(pilot_kg: KnowledgeGraph) -> nx.DiGraph:
    return project(pilot_kg)


def taken(plan_steps: tuple) -> set[str]:  # type: ignore[type-arg]
    return {s.iri.removeprefix(str(PILOT)) for s in plan_steps if not s.stacked}


def test_2s_from_1s_standard_route(g: nx.DiGraph) -> None:
    held = Holdings(credentials=frozenset({str(PILOT["es-hv-1s"])}))
    plan = plan_route(g, str(PILOT["es-hv-2s"]), held, "hours")
    assert taken(plan.best.steps) == {"es-hv-2s", "es-hv-rescate"}  # the co-requisite
    assert (plan.best.totals["hours"], plan.best.totals["cost"]) == (66.0, 1010.0)
    terms = {s.iri: s.term for s in plan.best.steps}
    assert terms[str(PILOT["es-hv-2s"])] == terms[str(PILOT["es-hv-rescate"])]


def test_2s_from_nothing_and_by_recognition(g: nx.DiGraph) -> None:
    plan = plan_route(g, str(PILOT["es-hv-2s"]), Holdings(), "cost")
    assert taken(plan.best.steps) == {"es-hv-1s", "es-hv-2s", "es-hv-rescate"}
    assert (plan.best.totals["hours"], plan.best.totals["cost"]) == (72.0, 1150.0)
    rpl = Holdings(prior_learning=frozenset({str(PILOT["pl-vehicle-electrics"])}))
    plan = plan_route(g, str(PILOT["es-hv-2s"]), rpl, "hours")
    assert taken(plan.best.steps) == {"es-hv-2s", "es-hv-rescate"}
    assert plan.best.totals["hours"] == 18.0


def test_finnish_choose_two_of_seven_with_credit_minimum(g: nx.DiGraph) -> None:
    plan = plan_route(g, str(PILOT["fi-eat"]), Holdings(), "credits")
    assert plan.best.totals["credits"] == pytest.approx(160.0)
    assert plan.best.totals["steps"] == 4


def test_portuguese_and_spanish_minimums(g: nx.DiGraph) -> None:
    assert plan_route(g, str(PILOT["pt-525089"]), optimize="hours").best.totals["hours"] == 325
    assert plan_route(g, str(PILOT["es-ce-hev"]), optimize="hours").best.totals["hours"] == 650
    adas = plan_route(g, str(PILOT["es-cert-adas"]), optimize="cost").best.totals
    assert (adas["hours"], adas["cost"]) == (44.0, 910.0)


def test_battery_certificate_recognition_saves_48_hours(g: nx.DiGraph) -> None:
    # README: 174 h of components, 126 h by recognition; the route adds what 2S needs
    # itself (1S on the standard route, the co-requisite rescue course, 6 h each).
    goal = str(PILOT["es-cert-tecnico-baterias"])
    plain = plan_route(g, goal, optimize="hours").best.totals["hours"]
    rpl = Holdings(prior_learning=frozenset({str(PILOT["pl-vehicle-electrics"])}))
    assert (plain, plan_route(g, goal, rpl, "hours").best.totals["hours"]) == (186.0, 132.0)


def test_country_filter_blocks_the_spanish_ladder(g: nx.DiGraph) -> None:
    from pathways.errors import NoRouteError

    with pytest.raises(NoRouteError) as err:
        plan_route(g, str(PILOT["es-hv-3s"]), filters=Filters(countries=("FIN",)))
    assert any("countries=FIN" in r for r in err.value.reasons)


def test_audit_of_finnish_qualification(g: nx.DiGraph) -> None:
    held = Holdings(credentials=frozenset({str(PILOT["fi-eat-ha-vianmaaritys"])}))
    [fi] = [r for r in stack_audit(g, held) if r.iri == str(PILOT["fi-eat"])]
    assert fi.status == "partial"


def test_an_expired_safety_card_renewed_by_its_refresher_counts(tmp_path: Path) -> None:
    """SFS 6002 is valid five years; a valid award of its refresher renews it."""
    learner = tmp_path / "learner.ttl"
    learner.write_text(
        (REPO / "examples" / "learner.ttl").read_text()
        + "\nex:aino-kertaus a pw:IssuedCredential ;\n"
        "    pw:awardOf pilot:fi-sfs6002-kertaus ;\n"
        "    pw:awardedTo ex:aino ;\n"
        '    pw:dateOfIssuing "2025-02-03"^^xsd:date .\n'
    )
    runner = CliRunner()
    plain = runner.invoke(
        main, ["stack", "--holding", str(REPO / "examples" / "learner.ttl"), "--on", "2026-11-28"]
    )
    assert "pilot:fi-sfs6002 does not count" in plain.stdout
    renewed = runner.invoke(main, ["stack", "--holding", str(learner), "--on", "2026-11-28"])
    assert renewed.exit_code == 0, renewed.stderr
    assert "does not count" not in renewed.stdout
    assert "renewed by https://w3id.org/pathways/pilot/fi-sfs6002-kertaus" in renewed.stdout
    assert "(2 of 3)" in renewed.stdout
