"""The validation service page, ``/validate``: the command line is the oracle (``pathways
validate FILE --format F`` for the report and its downloads, its stderr for refusals),
and the SARIF downloads are checked against the SARIF 2.1.0 JSON schema."""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from pathways.cli import main
from pathways.rdf.store import KnowledgeGraph
from pathways.web import Explorer, Settings
from pathways.web.validation_service import DOWNLOADS, SYNTAXES
from tests.cli.test_hostile_input import ATTACKS
from tests.cli.test_validation_sarif import check_sarif
from tests.constants import FIXTURES
from tests.web.conftest import _client

INVALID = FIXTURES / "validation" / "invalid.ttl"
BASE = FIXTURES / "validation" / "profiles" / "base.ttl"


def _post(client: TestClient, path: Path, **fields: Any) -> Any:
    return client.post("/validate", files={"file": (path.name, path.read_bytes())}, data=fields)


def _cli(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(main, ["validate", *args])


def test_the_form_offers_every_format_and_the_core_profiles(client: TestClient) -> None:
    page = client.get("/validate")
    assert page.status_code == 200 and 'href="/validate"' in page.text  # the nav link
    checked = re.findall(r'name="profile" value="([^"]+)" checked', page.text)
    assert checked == ["conditionality", "stackability-integrity"]  # the CLI's default
    for suffix in SYNTAXES:
        assert f'value="{suffix}"' in page.text
    options = client.get("/validate.json").json()
    assert options["upload_cap"] == 200_000
    assert set(options["downloads"]) == {"json", "csv", "turtle", "sarif"}
    assert set(options["suffixes"]) >= {".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"}


def test_the_report_is_the_cli_report_grouped_by_credential(
    client: TestClient, runner: CliRunner
) -> None:
    page = _post(client, INVALID, format="html")
    cli = json.loads(_cli(runner, str(INVALID), "--format", "json").stdout)
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert f"{cli['summary']['results']} results: {cli['summary']['violations']} violations" in text
    assert "FAIL" in text and "does not conform" in text
    sections = re.findall(r'<section class="card credential-results">', page.text)
    assert len(sections) == len({r["about"] for r in cli["results"]})
    for result in cli["results"]:
        assert result["message"] in text
    assert "Summary by rule" in text


def test_the_severity_filter_is_a_form_field(client: TestClient, runner: CliRunner) -> None:
    data = FIXTURES / "kg" / "small.ttl"
    every = _post(client, data, format="html", severity="info")
    violations = _post(client, data, format="html", severity="violation")
    cli = json.loads(_cli(runner, str(data), "--format", "json").stdout)["summary"]
    assert cli["warnings"] + cli["infos"] > 0 and cli["violations"] > 0  # the test can fail
    assert every.text.count("<strong>Info</strong>") == cli["infos"]
    assert every.text.count("<strong>Warning</strong>") == cli["warnings"]
    assert violations.text.count("<strong>Violation</strong>") == cli["violations"]
    assert "<strong>Info</strong>" not in violations.text
    assert "<strong>Warning</strong>" not in violations.text


@pytest.mark.parametrize("fmt", sorted(DOWNLOADS))
def test_downloads_are_the_cli_report_bytes(
    client: TestClient, runner: CliRunner, fmt: str
) -> None:
    answer = _post(client, INVALID, format=fmt, profile="conditionality")
    cli = _cli(runner, str(INVALID), "--profile", "conditionality", "--format", fmt)
    assert answer.status_code == 200 and cli.exit_code == 1
    assert answer.headers["content-type"] == DOWNLOADS[fmt][0]
    assert f'filename="invalid-report.{DOWNLOADS[fmt][1]}"' in answer.headers["content-disposition"]
    if fmt != "sarif":
        assert answer.content == cli.stdout_bytes  # CSV's CRLF too
    else:  # the CLI names the file by its path: see the next test
        check_sarif(answer.text)


def _sarif_of(log: str) -> dict[str, Any]:
    """A SARIF log without ``originalUriBaseIds`` (the CLI's working directory)."""
    parsed = check_sarif(log)
    parsed["runs"][0].pop("originalUriBaseIds", None)
    return parsed


@pytest.mark.parametrize("data", [INVALID, FIXTURES / "validation" / "invalid.jsonld"])
def test_the_sarif_download_is_the_cli_sarif_with_the_same_lines(
    client: TestClient, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, data: Path
) -> None:
    """``pathways validate NAME --format sarif`` run in the file's folder: the same log,
    physical locations and all, but for where ``%SRCROOT%`` was (the web does not say)."""
    answer = _post(client, data, format="sarif", shapes_text=BASE.read_text(encoding="utf-8"))
    monkeypatch.chdir(data.parent)
    cli = _cli(runner, data.name, "--shapes", str(BASE), "--format", "sarif")
    assert answer.status_code == 200 and cli.exit_code == 1, answer.text[-300:]
    web = check_sarif(answer.text)
    assert "originalUriBaseIds" not in web["runs"][0]
    assert json.loads(cli.stdout)["runs"][0]["originalUriBaseIds"]["%SRCROOT%"] == {
        "uri": data.parent.resolve().as_uri() + "/"
    }
    assert _sarif_of(answer.text) == _sarif_of(cli.stdout)
    lines = {
        r["properties"]["focus"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in web["runs"][0]["results"]
    }
    assert lines  # the test can fail: every result of this file has its line
    assert web["runs"][0]["artifacts"][0]["location"]["uri"] == data.name


def test_uploaded_shapes_and_the_download_form_posting_the_data_again(
    client: TestClient, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "file": (INVALID.name, INVALID.read_bytes()),
        "shapes": (BASE.name, BASE.read_bytes()),
    }
    page = client.post("/validate", files=files, data={"severity": "warning"})
    assert page.status_code == 200 and "base.ttl" in page.text
    # The report page's form carries the data back: post it as a browser would.
    fields = _hidden_form(page.text)
    fields["format"] = "sarif"
    fields["severity"] = "warning"
    again = client.post("/validate", data=fields, files={"file": ("", b"")})
    monkeypatch.chdir(INVALID.parent)  # the CLI names the file as the upload does
    cli = _cli(runner, INVALID.name, "--shapes", str(BASE), "--format", "sarif", "--severity",
               "warning")  # fmt: skip
    assert again.status_code == 200, again.text
    assert (
        json.loads(again.text)["runs"][0]["results"] == json.loads(cli.stdout)["runs"][0]["results"]
    )


def _hidden_form(page: str) -> dict[str, Any]:
    """The fields of the report page's form that posts the data again."""
    form = page[page.index('<form class="search"') :]
    form = form[: form.index("</form>")]
    fields: dict[str, Any] = {}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form):
        fields.setdefault(name, []).append(html.unescape(value))
    for name, value in re.findall(r'<textarea name="(\w+)" hidden>(.*?)</textarea>', form, re.S):
        fields[name] = html.unescape(value)
    return fields


def test_posting_again_keeps_the_format_of_the_file(client: TestClient, runner: CliRunner) -> None:
    data = FIXTURES / "kg" / "small.jsonld"
    fields = _hidden_form(_post(client, data).text)
    assert fields["name"] == ["small.jsonld"]
    again = client.post("/validate", data={**fields, "format": "json"}, files={"file": ("", b"")})
    cli = _cli(runner, str(data), "--format", "json")
    assert again.status_code == 200, again.text[-300:]
    assert again.json() == json.loads(cli.stdout)


def test_pasted_data_with_a_chosen_format(client: TestClient, runner: CliRunner) -> None:
    text = INVALID.read_text(encoding="utf-8")
    answer = client.post(
        "/validate",
        data={"text": text, "syntax": ".ttl", "format": "json"},
        files={"file": ("", b"")},
    )
    cli = json.loads(_cli(runner, str(INVALID), "--format", "json").stdout)
    assert answer.status_code == 200
    assert answer.json()["results"] == cli["results"]
    nt = client.post(  # the same bytes read as N-Triples: a syntax error of that parser
        "/validate",
        data={"text": text, "syntax": ".nt"},
        files={"file": ("", b"")},
    )
    assert nt.status_code == 400 and "pasted.nt:" in nt.text


def test_a_parser_error_is_a_400_page_with_the_cli_message(
    client: TestClient, runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix pw: <https://w3id.org/pathways/vocab#> .\n<urn:x> pw:title .\n")
    page = _post(client, path)
    cli = _cli(runner, str(path))
    assert page.status_code == 400 and cli.exit_code == 2
    message = html.unescape(re.search(r'<p class="error">(.*?)</p>', page.text, re.S)[1])  # type: ignore[index]
    assert message.startswith("broken.ttl:2: ")
    assert cli.stderr == f"error: {path!s}{message.removeprefix('broken.ttl')}\n"
    nothing = client.post("/validate", data={"text": " "}, files={"file": ("", b"")})
    assert nothing.status_code == 400 and "nothing to validate" in nothing.text


_DEEP = '{"http://e/p": ' * 5000 + "1" + "}" * 5000


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("billion-laughs.rdf", ATTACKS["billion-laughs"][1]),
        ("remote-context.jsonld", ATTACKS["remote-context"][1].format(url="http://127.0.0.1:9")),
        ("deep.jsonld", _DEEP),
    ],
    ids=["billion-laughs", "remote-context", "deep-nesting"],
)
def test_hostile_uploads_get_a_4xx_with_the_cli_message(
    client: TestClient, runner: CliRunner, tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page = _post(client, path)
    cli = _cli(runner, str(path))
    assert 400 <= page.status_code < 500 and cli.exit_code == 2
    message = html.unescape(re.search(r'<p class="error">(.*?)</p>', page.text, re.S)[1])  # type: ignore[index]
    assert cli.stderr == f"error: {path!s}{message.removeprefix(name)}\n"


@pytest.fixture(scope="module")
def roomy_client(pilot_kg: KnowledgeGraph) -> Iterator[TestClient]:
    settings = Settings(upload_cap=3_000_000, query_workers=1, warm=False)
    yield from _client(settings, Explorer(settings, pilot_kg))


@pytest.fixture
def small_cap_client(pilot_kg: KnowledgeGraph) -> Iterator[TestClient]:
    settings = Settings(upload_cap=1000, query_workers=1, warm=False)
    yield from _client(settings, Explorer(settings, pilot_kg))


def test_over_the_cap_is_a_413_page(small_cap_client: TestClient) -> None:
    big = small_cap_client.post("/validate", files={"file": ("big.ttl", b"#" * 1001)})
    assert big.status_code == 413 and "larger than the cap of 1,000 bytes" in big.text
    pasted = small_cap_client.post(
        "/validate", data={"text": "#" * 1001}, files={"file": ("", b"")}
    )
    assert pasted.status_code == 413
    body = small_cap_client.post("/validate", files={"file": ("big.ttl", b"#" * 5000)})
    assert body.status_code == 413  # the body itself is over twice the cap: not parsed
    fits = small_cap_client.post("/validate", files={"file": ("small.ttl", b"# empty\n")})
    assert fits.status_code == 200 and "PASS" in fits.text


def _new_files(since: float) -> list[Path]:
    found = []
    for top in {Path(tempfile.gettempdir()), Path("/dev/shm")}:
        if not top.is_dir():
            continue
        for entry in top.iterdir():
            if entry.name.startswith("pathways-upload-"):
                found.append(entry)
            try:
                if entry.is_file() and entry.stat().st_mtime >= since:
                    found.append(entry)
            except OSError:
                continue
    return found


@pytest.mark.parametrize("path", ["/validate", "/api/validate"])
def test_an_upload_is_never_stored(
    roomy_client: TestClient, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    marker = f"urn:marker:{os.getpid()}-{time.time_ns()}"
    # Over 1 MiB, where Starlette's own parser would spool the file to disk.
    line = f"<{marker}> a <https://w3id.org/pathways/vocab#MicroCredential> .\n"
    data = (line + "#" * 80 + "\n") * 9000
    assert len(data) > 1024 * 1024
    spooled: list[Any] = []
    real = tempfile.TemporaryFile

    def spy(*args: Any, **kwargs: Any) -> Any:
        spooled.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryFile", spy)
    before = roomy_client.get("/api/info").json()["triples"]
    since = time.time() - 1
    page = roomy_client.post(path, files={"file": ("big.ttl", data.encode())})
    assert page.status_code == 200, page.text[-500:]
    assert spooled == []  # nothing rolled over to a temporary file on disk
    leftovers = [p for p in _new_files(since) if p.name.startswith("pathways-upload-")
                 or marker.encode() in p.read_bytes()[:4_000_000]]  # fmt: skip
    assert leftovers == []
    assert roomy_client.get("/api/info").json()["triples"] == before
    ask = roomy_client.get("/sparql", params={"query": f"ASK {{ <{marker}> ?p ?o }}"})
    assert ask.json()["boolean"] is False


def test_accept_json_answers_the_json_report(client: TestClient, runner: CliRunner) -> None:
    answer = client.post(
        "/validate",
        files={"file": (INVALID.name, INVALID.read_bytes())},
        headers={"Accept": "application/json"},
    )
    cli = _cli(runner, str(INVALID), "--format", "json")
    assert answer.status_code == 200 and answer.json() == json.loads(cli.stdout)


def test_the_page_lists_the_most_severe_credentials_first_up_to_its_limit(
    client: TestClient, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathways.web import validation_service

    data = FIXTURES / "kg" / "small.ttl"
    cli = json.loads(_cli(runner, str(data), "--format", "json").stdout)
    anchors = {r["about"] for r in cli["results"]}
    assert len(anchors) > 1
    monkeypatch.setattr(validation_service, "PAGE_LIMIT", 1)
    page = _post(client, data)
    assert page.text.count('<section class="card credential-results">') == 1
    assert f"and {len(anchors) - 1} more with results, not listed here" in page.text
    worst = [r for r in cli["results"] if r["severity"] == "Violation"]
    listed = page.text[page.text.index("credential-results") :]
    assert "<strong>Violation</strong>" in listed.split("</section>")[0] and worst
