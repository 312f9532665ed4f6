"""The economics page against ``pathways cost --all``, ``fund`` and ``simulate``."""

from __future__ import annotations

import json
from decimal import Decimal

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
    assert client.get("/economics.json", params={"cohort": "0"}).status_code == 400
