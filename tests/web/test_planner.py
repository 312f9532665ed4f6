"""The route planner (with what-if) and the occupation page, against the command line's
answers on the pilot graph (``pathways route``, ``stack --add`` and ``gap``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from fastapi.testclient import TestClient

from pathways.cli import main
from tests.web.test_pages import parse

HV1 = "https://w3id.org/pathways/pilot/es-hv-1s"
HV2 = "https://w3id.org/pathways/pilot/es-hv-2s"
OCCUPATION = "http://data.europa.eu/esco/occupation/06bd6285-13ed-4ea7-90cc-e9638a0600a9"


def cli_json(*args: str) -> Any:
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_the_route_is_the_one_pathways_route_finds(client: TestClient) -> None:
    # Oracle: pathways route --to pilot:es-hv-2s --from pilot:es-hv-1s --optimize hours
    cli = cli_json(
        "route",
        "--to",
        "pilot:es-hv-2s",
        "--from",
        "pilot:es-hv-1s",
        "--optimize",
        "hours",
        "--alternatives",
        "2",
    )
    params = {"to": "pilot:es-hv-2s", "from": HV1, "optimize": "hours", "alternatives": "2"}
    page = client.get("/route.json", params=params).json()
    route = page["route"]
    for key in ("found", "credentials", "total", "schedule", "alternatives", "held"):
        assert route[key] == cli[key], key
    html = client.get("/route", params=params).text
    assert "Best route, by term" in html
    for step in route["credentials"]:
        assert step["label"] in html.replace("&#39;", "'")


def test_no_route_shows_the_reasons(client: TestClient) -> None:
    page = client.get("/route.json", params={"to": HV2, "max_eqf": "1"}).json()
    assert page["route"]["found"] is False
    assert any("EQF 4" in r for r in page["route"]["reasons"])
    html = client.get("/route", params={"to": HV2, "max_eqf": "1"}).text
    assert "No route to" in html and "because:" in html


def test_the_filters_of_the_cli_are_offered_and_checked(client: TestClient) -> None:
    html = client.get("/route").text
    names = {v for k, v in parse(html).attributes if k == "name"}
    assert {
        "to",
        "from",
        "optimize",
        "alternatives",
        "term_hours",
        "country",
        "language",
        "provider",
        "max_eqf",
        "funding",
        "add",
        "holding",
        "cost_basis",
        "cohort",
        "years",
        "on",
    } <= names
    menu = html.split('id="optimize"', 1)[1].split("</select>", 1)[0]
    assert 'value="outcome"' in menu and "cost per expected employed completer" in menu
    assert '<datalist id="goals">' in html
    bad = client.get("/route.json", params={"to": HV2, "country": "Atlantis"})
    assert bad.status_code in (400, 404)
    assert client.get("/route.json", params={"to": HV2, "optimize": "fun"}).status_code == 400


def test_term_hours_split_the_route_into_terms(client: TestClient) -> None:
    params = {"to": HV2, "term_hours": "10"}
    route = client.get("/route.json", params=params).json()["route"]
    cli = cli_json("route", "--to", HV2, "--term-hours", "10")
    assert route["schedule"] == cli["schedule"]
    assert len(route["schedule"]) > 1


def test_what_if_add_is_the_progress_of_stack_add(client: TestClient) -> None:
    # Oracle: pathways stack --from pilot:es-hv-1s --add pilot:es-hv-2s --format json
    cli = cli_json("stack", "--from", HV1, "--add", HV2)
    page = client.get("/route.json", params={"from": HV1, "add": HV2}).json()
    got = [(r["iri"], r["status"]) for r in page["progress"]]
    assert got == [(r["iri"], r["status"]) for r in cli["credentials"]]
    assert [a["iri"] for a in page["added"]] == [HV2]


def test_what_if_remove_takes_a_holding_away(client: TestClient) -> None:
    both = client.get("/route.json", params={"from": [HV1, HV2]}).json()
    without = client.get("/route.json", params={"from": [HV1, HV2], "remove": HV2}).json()
    assert [h["iri"] for h in both["held"]] == [HV1, HV2]
    assert [h["iri"] for h in without["held"]] == [HV1]
    html = client.get("/route", params={"from": [HV1, HV2], "remove": HV2}).text
    assert "undo" in html


def test_a_holdings_file_is_read_as_route_holding_reads_it(client: TestClient) -> None:
    text = f"# my awards\n{HV1}\n"
    response = client.post(
        "/route.json",
        data={"to": "pilot:es-hv-2s", "optimize": "hours"},
        files={"holding": ("me.txt", text.encode(), "text/plain")},
    )
    assert response.status_code == 200
    page = response.json()
    assert [h["iri"] for h in page["held"]] == [HV1]
    assert page["route"]["held"] == [HV1]
    assert ("from", HV1) in [tuple(p) for p in page["query"]]  # the links keep the holdings


def test_a_broken_holdings_file_gets_the_readers_message(client: TestClient) -> None:
    response = client.post(
        "/route.json", files={"holding": ("me.txt", b"not an iri at all\n", "text/plain")}
    )
    assert response.status_code == 400
    assert "me.txt" in response.text and "/dev/shm" not in response.text


def test_the_occupation_page_is_the_gap_of_pathways_gap(client: TestClient) -> None:
    # Oracle: pathways gap --to OCCUPATION --format json (nothing held).
    cli = cli_json("gap", "--to", OCCUPATION)
    page = client.get("/occupation.json", params={"iri": OCCUPATION}).json()
    assert {s["iri"] for s in page["essential"]} == {s["iri"] for s in cli["missing_essential"]}
    assert [c["iri"] for c in page["cover"]["credentials"]] == [
        c["iri"] for c in cli["credentials"]
    ]
    assert [s["iri"] for s in page["uncoverable"]] == [s["iri"] for s in cli["uncoverable"]]
    uncovered = {s["iri"] for s in page["essential"] if not s["credentials"]}
    assert uncovered <= {s["iri"] for s in page["uncoverable"]}
    html = client.get("/occupation", params={"iri": OCCUPATION}).text
    assert any(link.startswith("/route?to=") for link in parse(html).links)


def test_the_occupation_page_refuses_a_credential(client: TestClient) -> None:
    response = client.get("/occupation", params={"iri": HV2})
    assert response.status_code == 400
    assert "occupation" in response.text


def test_hostile_labels_are_inert_in_the_planner(hostile_client: TestClient) -> None:
    # HOSTILE_TTL (conftest): a credential titled <script>..., with the IRI javascript:...
    held = {"from": "javascript:alert(1)"}
    for path in ("/route", "/occupation", "/pathway", "/analytics"):
        response = hostile_client.get(path, params=held if path == "/route" else {})
        assert response.status_code == 200, (path, response.text[:200])
        page = parse(response.text)
        assert "script" not in page.tags, path
        assert not [v for v in page.links if v.lower().startswith("javascript:")], path
    html = hostile_client.get("/route", params=held).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_true_costs_and_the_outcome_measure_are_the_cli_route(client: TestClient) -> None:
    # Oracle: pathways route --to pilot:es-cert-adas --optimize outcome --cost-basis true
    #   --cohort 12 --years 2 --on 2026-06-01 --format json
    cli = cli_json(
        "route", "--to", "pilot:es-cert-adas", "--optimize", "outcome", "--cost-basis", "true",
        "--cohort", "12", "--years", "2", "--on", "2026-06-01",
    )  # fmt: skip
    params = {
        "to": "pilot:es-cert-adas",
        "optimize": "outcome",
        "cost_basis": "true",
        "cohort": "12",
        "years": "2",
        "on": "2026-06-01",
    }
    page = client.get("/route.json", params=params).json()
    for key in ("found", "optimize", "credentials", "total", "schedule", "notes"):
        assert page["route"][key] == cli[key], key
    assert ("cohort", "12") in [tuple(p) for p in page["query"]]  # the links keep the horizon
    fee = client.get("/route.json", params={"to": "pilot:es-cert-adas"}).json()
    assert ("cohort", "15") not in [tuple(p) for p in fee["query"]]  # only with true costs
    assert client.get("/route.json", params={**params, "cohort": "0"}).status_code == 400
    assert client.get("/route.json", params={**params, "on": "someday"}).status_code == 400


def test_an_uploaded_holdings_file_keeps_its_expiry_dates(
    client: TestClient, tmp_path: Path
) -> None:
    ttl = b"""@prefix pw: <https://w3id.org/pathways/vocab#> .
@prefix pilot: <https://w3id.org/pathways/pilot/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
pilot:award-1 a pw:IssuedCredential ; pw:awardOf pilot:es-hv-1s ;
    pw:dateOfIssuing "2025-01-10"^^xsd:date ; pw:validUntil "2025-12-31"^^xsd:date .
"""
    # Oracle: pathways route --to pilot:es-hv-2s --holding me.ttl --on DATE
    upload = {"holding": ("me.ttl", ttl, "text/turtle")}
    valid = client.post("/route.json", data={"to": HV2, "on": "2025-06-01"}, files=upload).json()
    assert [h["iri"] for h in valid["held"]] == [HV1] and valid["expired"] == []
    lapsed = client.post("/route.json", data={"to": HV2, "on": "2026-06-01"}, files=upload).json()
    assert lapsed["held"] == [] and [e["iri"] for e in lapsed["expired"]] == [HV1]
    assert ("from", HV1) not in [tuple(p) for p in lapsed["query"]]
    (tmp_path / "me.ttl").write_bytes(ttl)
    cli = cli_json(
        "route", "--to", HV2, "--holding", str(tmp_path / "me.ttl"), "--on", "2026-06-01"
    )
    assert lapsed["route"]["credentials"] == cli["credentials"]
    assert lapsed["route"]["expired"] == cli["expired"]
