"""The economics page against ``pathways cost --all``, ``fund`` and ``simulate``."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from pathways.cli import main


def cli_json(*args: str) -> object:
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_cost_per_credential_is_cost_all(client: TestClient) -> None:
    cli = cli_json("cost", "--all", "--cohort", "15", "--years", "3")
    assert isinstance(cli, list)
    page = client.get("/economics.json").json()
    got = {c["credential"]: c for c in page["costs"]}
    assert set(got) == {c["credential"] for c in cli}
    for c in cli:
        row = got[c["credential"]]
        assert row["per_participant"] == f"{c['per_participant']} {c['currency']}"
        share = c["visible_share"]
        assert row["visible_share"] == (None if share == "" else float(share))


def test_funding_split_sums_the_rows_of_fund(client: TestClient) -> None:
    cli = cli_json("fund", "--cost-basis", "true", "--cohort", "15", "--years", "3")
    assert isinstance(cli, dict)
    page = client.get("/economics.json").json()["funding"]
    for entry in page["by_scheme_and_group"]:
        rows = [
            r
            for r in cli["rows"]
            if r["scheme"] == entry["scheme"]
            and (r["learner_group"] or None) == entry["learner_group"]
        ]
        assert len(rows) == entry["credentials"]
        public = sum(Decimal(r["public"]) for r in rows)
        assert entry["public"].replace(",", "").split()[0] == f"{public:.2f}"
        assert entry["eligible"] == sum(r["eligible"] == "true" for r in rows)


def test_the_simulation_is_simulate_json(client: TestClient) -> None:
    cli = cli_json("simulate", "--budget", "250000")
    page = client.get("/economics.json").json()
    assert page["simulation"] == cli
    html = client.get("/economics").text
    assert "share to dead-end credentials" in html and "<meter" in html


def test_bad_amounts_are_400(client: TestClient) -> None:
    assert client.get("/economics.json", params={"budget": "lots"}).status_code == 400
    assert client.get("/economics.json", params={"budget": "1e400"}).status_code == 400
    assert client.get("/economics/simulation.svg", params={"budget": "1e400"}).status_code == 400


def test_the_page_reads_amounts_as_simulate_does(client: TestClient) -> None:
    # "250000 EUR" and "250_000" are what `pathways simulate --budget` takes too
    default = client.get("/economics.json").json()["simulation"]
    for budget in ("250000 EUR", "250_000"):
        assert (
            client.get("/economics.json", params={"budget": budget}).json()["simulation"] == default
        )
    assert client.get("/economics.json", params={"cohort": "0"}).status_code == 400


def test_the_chart_is_the_one_simulate_report_writes(client: TestClient, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["simulate", "--budget", "120000", "--seed", "3", "--report", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    answer = client.get("/economics/simulation.svg", params={"budget": "120000", "seed": "3"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/svg+xml"
    assert answer.content == (tmp_path / "simulation.svg").read_bytes()
    html = client.get("/economics", params={"budget": "120000", "seed": "3"}).text
    assert 'src="/economics/simulation.svg?budget=120000&amp;hourly_rate=13&amp;seed=3"' in html
    assert client.get("/economics/simulation.svg", params={"budget": "x" * 40}).status_code == 400


def test_each_learner_group_as_simulate_reports_it(client: TestClient) -> None:
    cli = cli_json("simulate", "--budget", "250000")
    html = client.get("/economics").text
    assert "Effect on each learner group" in html
    for allocation in cli["allocations"]:  # type: ignore[index]
        for group in allocation["groups"]:
            assert f"<td>{group['funded']} / {group['applicants']}</td>" in html
            assert f"<td>{group['spent']}</td>" in html
