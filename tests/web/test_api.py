"""``/api/...`` answers what the command line answers: its ``--format json`` output is
the oracle, and errors carry its message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph, URIRef

from pathways.cli import main

PILOT_CASES = [
    ("/api/info", {}, ["info", "--format", "json"]),
    (
        "/api/eligibility",
        {"scheme": "funding-es-fundae"},
        ["eligibility", "--scheme", "funding-es-fundae", "--format", "json"],
    ),
    ("/api/metrics", {}, ["metrics", "--format", "json"]),
    (
        "/api/metrics",
        {"pathway": "pilot:pathway-fi-eat"},
        ["metrics", "--pathway", "pilot:pathway-fi-eat", "--format", "json"],
    ),
    (
        "/api/route",
        {"to": "pilot:es-cert-tecnico-baterias", "from": "pilot:es-hv-1s", "term_hours": "120"},
        [
            "route",
            "--to",
            "pilot:es-cert-tecnico-baterias",
            "--from",
            "pilot:es-hv-1s",
            "--term-hours",
            "120",
            "--format",
            "json",
        ],
    ),
    (
        "/api/route",
        {"to": "pilot:es-hv-2s", "optimize": "hours", "alternatives": "2", "country": "ESP"},
        [
            "route",
            "--to",
            "pilot:es-hv-2s",
            "--optimize",
            "hours",
            "--alternatives",
            "2",
            "--country",
            "ESP",
            "--format",
            "json",
        ],
    ),
    (  # true costs and the outcome measure, with the horizon and the expiry date
        "/api/route",
        {
            "to": "pilot:es-cert-adas",
            "optimize": "outcome",
            "cost_basis": "true",
            "cohort": "12",
            "years": "2",
            "on": "2026-06-01",
        },
        [
            "route",
            "--to",
            "pilot:es-cert-adas",
            "--optimize",
            "outcome",
            "--cost-basis",
            "true",
            "--cohort",
            "12",
            "--years",
            "2",
            "--on",
            "2026-06-01",
            "--format",
            "json",
        ],
    ),
    (
        "/api/route",
        {"to": "pilot:es-cert-tecnico-baterias", "cost_basis": "true"},
        [
            "route",
            "--to",
            "pilot:es-cert-tecnico-baterias",
            "--cost-basis",
            "true",
            "--format",
            "json",
        ],
    ),
]


@pytest.mark.parametrize(("path", "params", "argv"), PILOT_CASES, ids=lambda x: str(x)[:40])
def test_the_api_answers_what_the_cli_prints(
    client: TestClient, runner: CliRunner, path: str, params: dict[str, str], argv: list[str]
) -> None:
    answer = client.get(path, params=params)
    cli = runner.invoke(main, argv)
    assert cli.exit_code == 0, cli.stderr
    assert answer.status_code == 200, answer.text
    assert answer.json() == json.loads(cli.stdout)


def test_validating_the_served_graph_is_the_cli_report(
    client: TestClient, runner: CliRunner
) -> None:
    answer = client.get("/api/validate", params={"profile": "conditionality"})
    cli = runner.invoke(main, ["validate", "--profile", "conditionality", "--format", "json"])
    assert cli.exit_code == 1  # the pilot has defective courses, on purpose
    assert answer.status_code == 200
    assert answer.json() == json.loads(cli.stdout)
    assert answer.json()["conforms"] is False


@pytest.mark.parametrize(
    ("path", "params", "argv", "status"),
    [
        ("/api/route", {"to": "pilot:nothing"}, ["route", "--to", "pilot:nothing"], 404),
        ("/api/eligibility", {"scheme": "nothing"}, ["eligibility", "--scheme", "nothing"], 400),
        ("/api/metrics", {"pathway": "not an iri"}, ["metrics", "--pathway", "not an iri"], 400),
    ],
    ids=["unknown-goal", "unknown-scheme", "bad-iri"],
)  # fmt: skip
def test_errors_carry_the_cli_message(
    client: TestClient,
    runner: CliRunner,
    path: str,
    params: dict[str, str],
    argv: list[str],
    status: int,
) -> None:
    answer = client.get(path, params=params)
    cli = runner.invoke(main, argv)
    assert cli.exit_code == 2
    assert answer.status_code == status
    body = answer.json()
    assert body["exit_code"] == 2
    message = body["error"].replace("to: ", "--to: ").replace("pathway: ", "--pathway: ")
    assert f"error: {message}" in cli.stderr or f"error: {body['error']}" in cli.stderr


def test_no_route_is_422_with_the_reasons(client: TestClient, runner: CliRunner) -> None:
    params = {"to": "pilot:es-cert-tecnico-baterias", "max_eqf": "2"}
    answer = client.get("/api/route", params=params)
    cli = runner.invoke(main, ["route", "--to", "pilot:es-cert-tecnico-baterias", "--max-eqf", "2"])
    assert cli.exit_code == 1
    assert answer.status_code == 422
    body = answer.json()
    assert body["exit_code"] == 1 and body["reasons"]
    for reason in body["reasons"]:  # the CLI says them in its flags' words
        assert reason.replace("max_eqf=", "--max-eqf ")[:30] in cli.stderr


# -- uploads ---------------------------------------------------------------------------


def _one_credential() -> Graph:
    graph = Graph()
    graph.parse(
        data="""@prefix pw: <https://w3id.org/pathways/vocab#> .
        <https://example.org/c> a pw:MicroCredential ; pw:title "A course"@en .""",
        format="turtle",
    )
    return graph


@pytest.mark.parametrize(
    ("suffix", "rdflib_format"),
    [
        (".ttl", "turtle"),
        (".nt", "nt"),
        (".nq", "nquads"),
        (".trig", "trig"),
        (".jsonld", "json-ld"),
        (".json", "json-ld"),
        (".rdf", "xml"),
        (".owl", "xml"),
        (".xml", "xml"),
    ],
)
def test_every_format_the_cli_reads_can_be_uploaded(
    client: TestClient, runner: CliRunner, tmp_path: Path, suffix: str, rdflib_format: str
) -> None:
    graph = _one_credential()
    if rdflib_format in ("nquads", "trig"):  # dataset formats: the triples in a named graph
        dataset = Dataset()
        named = dataset.graph(URIRef("https://example.org/g"))
        for triple in graph:
            named.add(triple)
        data = dataset.serialize(format=rdflib_format, encoding="utf-8")
    else:
        data = graph.serialize(format=rdflib_format, encoding="utf-8")
    path = tmp_path / f"upload{suffix}"
    path.write_bytes(data)
    answer = client.post("/api/validate", files={"file": (path.name, data)})
    cli = runner.invoke(main, ["validate", str(path), "--format", "json"])
    assert answer.status_code == 200, answer.text
    assert cli.exit_code == 1  # a bare credential misses most standard elements
    web, expected = answer.json(), json.loads(cli.stdout)
    assert web["conforms"] is False and web["summary"] == expected["summary"]
    assert web["results"] == expected["results"]


def test_a_broken_upload_is_400_with_the_parser_message(
    client: TestClient, runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix pw: <https://w3id.org/pathways/vocab#> .\n<urn:x> pw:title .\n")
    answer = client.post("/api/validate", files={"file": ("broken.ttl", path.read_bytes())})
    cli = runner.invoke(main, ["validate", str(path)])
    assert answer.status_code == 400 and cli.exit_code == 2
    message = answer.json()["error"]
    assert message.startswith("broken.ttl:2: ")
    assert cli.stderr == f"error: {path!s}{message.removeprefix('broken.ttl')}\n"


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("bomb.rdf", b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>', "entit"),
        ("remote.jsonld", b'{"@context": "http://127.0.0.1:9/c.jsonld", "@id": "x:y"}', "context"),
        ("notes.txt", b"hello", "unknown RDF format"),
    ],
    ids=["xml-entities", "remote-context", "unknown-suffix"],
)  # fmt: skip
def test_hostile_uploads_are_refused_as_the_cli_refuses_them(
    client: TestClient, name: str, data: bytes, words: str
) -> None:
    answer = client.post("/api/validate", files={"file": (name, data)})
    assert answer.status_code == 400
    assert words in answer.json()["error"]
    assert answer.json()["error"].startswith(name)


def test_an_upload_over_the_cap_is_413(small_cap_client: TestClient) -> None:
    answer = small_cap_client.post("/api/validate", files={"file": ("big.ttl", b"#" * 1001)})
    assert answer.status_code == 413
    assert "1,000 bytes" in answer.json()["error"]
    fits = small_cap_client.post("/api/validate", files={"file": ("small.ttl", b"# empty\n")})
    assert fits.status_code == 200 and fits.json()["conforms"] is True


def test_an_upload_never_joins_the_served_graph(client: TestClient) -> None:
    before = client.get("/api/info").json()["triples"]
    data = _one_credential().serialize(format="turtle", encoding="utf-8")
    client.post("/api/validate", files={"file": ("x.ttl", data)})
    assert client.get("/api/info").json()["triples"] == before
    ask = client.get("/sparql", params={"query": "ASK { <https://example.org/c> ?p ?o }"})
    assert ask.json()["boolean"] is False


def test_a_malformed_multipart_body_is_a_400_in_the_error_form(client: TestClient) -> None:
    # Found by schemathesis: Starlette's own refusal came as {"detail": ...}.
    answer = client.post(
        "/api/validate",
        content=b"--b\r\nFalse--b--\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert answer.status_code == 400
    assert set(answer.json()) == {"error", "exit_code"} and answer.json()["exit_code"] == 2
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and missing.json()["error"] == "Not Found"


def test_the_route_api_takes_the_true_cost_basis_and_the_outcome_measure(
    client: TestClient,
) -> None:
    fee = client.get("/api/route", params={"to": "pilot:es-cert-adas"}).json()
    true = client.get(
        "/api/route", params={"to": "pilot:es-cert-adas", "cost_basis": "true", "cohort": "12"}
    ).json()
    assert any("cohort 12" in n for n in true["notes"]), true["notes"]
    assert not any("cost basis" in n for n in fee["notes"])
    assert true["total"]["cost"] != fee["total"]["cost"]
    outcome = client.get("/api/route", params={"to": "pilot:es-cert-adas", "optimize": "outcome"})
    assert outcome.status_code == 200 and outcome.json()["optimize"] == "outcome"
    bad = client.get("/api/route", params={"to": "pilot:es-cert-adas", "cost_basis": "list"})
    assert bad.status_code == 422
