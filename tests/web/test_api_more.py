"""``/api/gap``, ``stack``, ``cost``, ``fund``, ``outcomes``, ``simulate`` and ``export``
answer what the command line answers: its ``--format json`` output (for export, its
bytes) for the same request is the oracle, and errors carry its message."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from pathways.cli import main
from pathways.export import EXPORTERS

OCCUPATION = "occupation:06bd6285-13ed-4ea7-90cc-e9638a0600a9"

#: (path, query parameters, the same request on the command line)
CASES: list[tuple[str, list[tuple[str, str]], list[str]]] = [
    ("/api/gap", [("to", OCCUPATION), ("from", "pilot:es-hv-1s")],
     ["gap", "--to", OCCUPATION, "--from", "pilot:es-hv-1s"]),
    ("/api/gap", [("to", OCCUPATION), ("from", "pilot:es-hv-1s"), ("country", "ESP"),
                  ("optimize", "hours")],
     ["gap", "--to", OCCUPATION, "--from", "pilot:es-hv-1s", "--country", "ESP",
      "--optimize", "hours"]),
    ("/api/stack", [("from", "pilot:es-hv-1s")], ["stack", "--from", "pilot:es-hv-1s"]),
    ("/api/stack", [("from", "pilot:es-hv-1s"), ("add", "pilot:es-hv-2s"), ("all", "true")],
     ["stack", "--from", "pilot:es-hv-1s", "--add", "pilot:es-hv-2s", "--all"]),
    ("/api/cost", [("credential", "pilot:es-hv-2s"), ("cohort", "12"), ("years", "5")],
     ["cost", "--credential", "pilot:es-hv-2s", "--cohort", "12", "--years", "5"]),
    ("/api/cost", [("all", "true"), ("allocation", "hours")],
     ["cost", "--all", "--allocation", "hours"]),
    ("/api/cost", [("consortium", "pilot:org-consorcio-evaluacion-ve")],
     ["cost", "--consortium", "pilot:org-consorcio-evaluacion-ve"]),
    ("/api/fund", [("scheme", "funding-es-fundae"), ("learner_group", "OlderTechnicians")],
     ["fund", "--scheme", "funding-es-fundae", "--learner-group", "OlderTechnicians"]),
    ("/api/fund", [("scheme", "funding-es-pes"), ("cost_basis", "true")],
     ["fund", "--scheme", "funding-es-pes", "--cost-basis", "true"]),
    ("/api/fund", [("equity", "true"), ("to", "pilot:es-cert-adas"), ("threshold", "300 EUR")],
     ["fund", "--equity", "--to", "pilot:es-cert-adas", "--threshold", "300 EUR"]),
    ("/api/outcomes", [], ["outcomes"]),
    ("/api/outcomes", [("min_cohort", "20"), ("confidence", "0.9")],
     ["outcomes", "--min-cohort", "20", "--confidence", "0.9"]),
    ("/api/simulate", [("budget", "250000")], ["simulate", "--budget", "250000"]),
    ("/api/simulate", [("budget", "400000 EUR"), ("rule", "per-enrolment"), ("seed", "7")],
     ["simulate", "--budget", "400000 EUR", "--rule", "per-enrolment", "--seed", "7"]),
]  # fmt: skip


@pytest.mark.parametrize(("path", "params", "argv"), CASES, ids=lambda x: str(x)[:50])
def test_the_api_answers_what_the_cli_prints(
    client: TestClient, runner: CliRunner, path: str, params: list[tuple[str, str]], argv: list[str]
) -> None:
    answer = client.get(path, params=params)
    cli = runner.invoke(main, [*argv, "--format", "json"])
    assert cli.exit_code == 0, cli.stderr
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == json.loads(cli.stdout)
    assert answer.content == cli.stdout_bytes


#: Formats that need no program besides Python (svg needs Graphviz's dot).
EXPORTS = [f for f in sorted(EXPORTERS) if f != "svg"]


@pytest.mark.parametrize("fmt", EXPORTS)
def test_export_is_the_cli_bytes_with_the_media_type(
    client: TestClient, runner: CliRunner, fmt: str
) -> None:
    answer = client.get("/api/export", params={"to": fmt})
    cli = runner.invoke(main, ["export", "--to", fmt])
    assert cli.exit_code == 0, cli.stderr
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"].split(";")[0] == EXPORTERS[fmt].media_type
    assert answer.content == cli.stdout_bytes


def test_export_options_are_the_cli_options(client: TestClient, runner: CliRunner) -> None:
    answer = client.get(
        "/api/export",
        params={"to": "mermaid", "pathway": "pilot:pathway-fi-eat"},
    )
    cli = runner.invoke(main, ["export", "--to", "mermaid", "--pathway", "pilot:pathway-fi-eat"])
    assert answer.status_code == 200 and answer.content == cli.stdout_bytes
    linked = client.get("/api/export", params={"to": "jsonld", "jsonld_context": "expanded"})
    cli = runner.invoke(main, ["export", "--to", "jsonld", "--jsonld-context", "expanded"])
    assert linked.content == cli.stdout_bytes


def _flagged(message: str) -> str:
    """An API message in the CLI's words: parameter names as flags."""
    for name in ("to", "from", "add", "credential", "consortium", "pathway"):
        message = message.replace(f"{name}: ", f"--{name}: ")
    return message


@pytest.mark.parametrize(
    ("path", "params", "argv", "status"),
    [
        ("/api/gap", {"to": "pilot:es-hv-1s"}, ["gap", "--to", "pilot:es-hv-1s"], 400),
        ("/api/gap", {"to": "pilot:nothing"}, ["gap", "--to", "pilot:nothing"], 404),
        ("/api/stack", {}, ["stack"], 400),
        ("/api/stack", {"from": "pilot:nothing"}, ["stack", "--from", "pilot:nothing"], 404),
        ("/api/cost", {}, ["cost"], 400),
        ("/api/cost", {"credential": "pilot:nothing"}, ["cost", "--credential", "pilot:nothing"],
         404),
        ("/api/fund", {"equity": "true"}, ["fund", "--equity"], 400),
        ("/api/fund", {"scheme": "nothing"}, ["fund", "--scheme", "nothing"], 400),
        ("/api/simulate", {"budget": "lots"}, ["simulate", "--budget", "lots"], 400),
        ("/api/simulate", {"budget": "-5"}, ["simulate", "--budget", "-5"], 400),
        ("/api/export", {"to": "nothing"}, None, 400),
    ],
    ids=lambda x: str(x)[:40],
)  # fmt: skip
def test_errors_carry_the_cli_message(
    client: TestClient,
    runner: CliRunner,
    path: str,
    params: dict[str, str],
    argv: list[str] | None,
    status: int,
) -> None:
    answer = client.get(path, params=params)
    body: dict[str, Any] = answer.json()
    assert answer.status_code == status, body
    assert body["exit_code"] == 2
    if argv is None:  # click refuses the choice itself: the library's message
        assert body["error"].startswith("unknown export format 'nothing' (choose one of csv,")
        return
    cli = runner.invoke(main, argv)
    assert cli.exit_code == 2
    message = body["error"]
    if path == "/api/stack" and not params:  # the hint names the API's parameters
        message = message.split(" (")[0]
    assert f"error: {_flagged(message)}" in cli.stderr or f"error: {message}" in cli.stderr, (
        message,
        cli.stderr,
    )


#: A holdings file with issue and expiry dates: es-hv-1s lapsed at the end of 2025.
HOLDINGS_TTL = b"""@prefix pw: <https://w3id.org/pathways/vocab#> .
@prefix pilot: <https://w3id.org/pathways/pilot/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
pilot:me a pw:Learner .
pilot:award-1 a pw:IssuedCredential ; pw:awardOf pilot:es-hv-1s ; pw:awardedTo pilot:me ;
    pw:dateOfIssuing "2025-01-10"^^xsd:date ; pw:validUntil "2025-12-31"^^xsd:date .
pilot:award-2 a pw:IssuedCredential ; pw:awardOf pilot:es-hv-2s ; pw:awardedTo pilot:me ;
    pw:dateOfIssuing "2026-02-01"^^xsd:date .
"""


@pytest.mark.parametrize(
    ("path", "params", "argv"),
    [
        ("/api/stack", [("on", "2026-06-01")], ["stack", "--on", "2026-06-01"]),
        (
            "/api/stack",
            [("on", "2025-06-01"), ("all", "true")],
            ["stack", "--on", "2025-06-01", "--all"],
        ),
        (
            "/api/gap",
            [("to", OCCUPATION), ("on", "2026-06-01")],
            ["gap", "--to", OCCUPATION, "--on", "2026-06-01"],
        ),
        (
            "/api/route",
            [("to", "pilot:es-cert-tecnico-baterias"), ("on", "2025-06-01")],
            ["route", "--to", "pilot:es-cert-tecnico-baterias", "--on", "2025-06-01"],
        ),
    ],
    ids=lambda x: str(x)[:40],
)
def test_a_posted_holdings_file_is_the_cli_holding(
    client: TestClient, runner: CliRunner, tmp_path: Any, path: str, params: Any, argv: list[str]
) -> None:
    # Oracle: the command line reading the same file with --holding (its path replaced by
    # the uploaded file's name, which is what the web names).
    file = tmp_path / "me.ttl"
    file.write_bytes(HOLDINGS_TTL)
    cli = runner.invoke(main, [*argv, "--holding", str(file), "--format", "json"])
    assert cli.exit_code == 0, cli.stderr
    answer = client.post(path, params=params, files={"holding": ("me.ttl", HOLDINGS_TTL)})
    assert answer.status_code == 200, answer.text
    assert answer.json() == json.loads(cli.stdout.replace(str(file), "me.ttl"))


def test_an_expired_award_in_a_posted_file_does_not_count(client: TestClient) -> None:
    before = client.post(
        "/api/stack", params={"on": "2025-06-01"}, files={"holding": ("me.ttl", HOLDINGS_TTL)}
    ).json()
    after = client.post(
        "/api/stack", params={"on": "2026-06-01"}, files={"holding": ("me.ttl", HOLDINGS_TTL)}
    ).json()
    assert before["expired"] == []
    assert after["expired"] == [
        {
            "iri": "https://w3id.org/pathways/pilot/es-hv-1s",
            "reason": "expired on 2025-12-31: renewal needed",
        }
    ]


def test_a_broken_or_oversized_holdings_upload_is_refused(
    client: TestClient, small_cap_client: TestClient
) -> None:
    broken = client.post("/api/stack", files={"holding": ("me.ttl", b"@prefix broken")})
    assert broken.status_code == 400 and "me.ttl" in broken.json()["error"]
    assert "/dev/shm" not in broken.text and "/tmp" not in broken.text
    empty = client.post("/api/gap", params={"to": OCCUPATION}, files={"other": ("x.txt", b"x")})
    assert empty.status_code == 400 and "holding" in empty.json()["error"]
    big = small_cap_client.post(
        "/api/stack", files={"holding": ("me.txt", b"pilot:es-hv-1s\n" * 5000)}
    )
    assert big.status_code == 413 and big.json()["exit_code"] == 2
