"""Security headers on every answer, vendored API docs, packaged assets, the command."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from pathways.cli import main
from pathways.cli.serve import _is_loopback
from pathways.rdf.store import KnowledgeGraph
from pathways.web import Explorer, Settings
from pathways.web.app import SECURITY_HEADERS

# Every kind of answer: a page, a JSON twin, the API, SPARQL, static, docs and errors.
ANSWERS = [
    "/search",
    "/search.json",
    "/api/info",
    "/sparql",
    "/sparql?query=ASK%7B%7D",
    "/static/style.css",
    "/docs",
    "/openapi.json",
    "/credential?iri=https://example.org/not-there",
    "/api/route?to=pilot:no-such-thing",
    "/no/such/page",
]


@pytest.mark.parametrize("path", ANSWERS)
def test_every_answer_carries_the_security_headers(client: TestClient, path: str) -> None:
    answer = client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers.get(name) == value, (path, name)


def test_the_policy_allows_no_inline_script_and_no_framing() -> None:
    # The oracle: CSP Level 3; 'self' only, no 'unsafe-inline' / 'unsafe-eval'.
    policy = dict(
        part.strip().split(" ", 1)
        for part in SECURITY_HEADERS["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in SECURITY_HEADERS["Content-Security-Policy"]
    assert SECURITY_HEADERS["X-Content-Type-Options"] == "nosniff"
    assert SECURITY_HEADERS["Referrer-Policy"] == "no-referrer"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EXTERNAL = re.compile(r"""(?:src|href)=["'](?:https?:)?//""", re.IGNORECASE)


@pytest.mark.parametrize("path", ["/docs", "/search", "/credential?iri=pilot:es-hv-2s"])
def test_pages_have_no_inline_script_and_load_nothing_from_elsewhere(
    client: TestClient, path: str
) -> None:
    html = client.get(path).text
    assert not INLINE_SCRIPT.search(html)
    assert not EXTERNAL.search(html.replace('href="https://w3id.org', ""))


def test_api_docs_are_served_from_the_vendored_swagger_ui(client: TestClient) -> None:
    html = client.get("/docs").text
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        answer = client.get(asset)
        assert answer.status_code == 200, asset
        assert len(answer.content) > 100, asset
    assert "swagger-ui-bundle.js" in html
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/info", "/api/validate", "/api/route", "/api/eligibility", "/api/metrics"} <= set(
        spec["paths"]
    )


def test_templates_and_assets_are_package_data() -> None:
    # hatch puts every file under pathways/ in the wheel (tool.hatch.build.targets.wheel);
    # the app finds them through the package, never through the checkout.
    package = resources.files("pathways.web")
    for name in ("base.html", "search.html", "credential.html", "error.html"):
        assert (package / "templates" / name).is_file(), name
    vendored = package / "static" / "vendor" / "swagger-ui"
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"):
        assert (vendored / name).is_file(), name
    ignored = Path(str(package)).parents[1] / ".gitignore"
    if ignored.is_file():
        assert "static" not in ignored.read_text()


def test_other_commands_do_not_import_the_web_layer() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, pathways.cli; print('fastapi' in sys.modules, 'pathways.web' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_serve_has_help_and_defaults_to_loopback(runner: CliRunner) -> None:
    result = runner.invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.stdout
    assert _is_loopback("127.0.0.1") and _is_loopback("::1") and _is_loopback("localhost")
    assert not _is_loopback("0.0.0.0")


def test_serve_passes_its_options_to_the_explorer(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: dict[str, object] = {}

    def fake_serve(settings: object, host: str, port: int, say: object) -> None:
        seen.update(settings=settings, host=host, port=port)

    monkeypatch.setattr("pathways.web.serve.serve", fake_serve)
    result = runner.invoke(
        main, ["serve", "--host", "0.0.0.0", "--port", "8123", "--row-cap", "7", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "anyone who can reach it" in result.stderr
    settings = seen["settings"]
    assert isinstance(settings, Settings)
    assert seen["host"] == "0.0.0.0" and seen["port"] == 8123
    assert settings.row_cap == 7 and settings.data == (tmp_path,)
    assert settings.freeze_when_warm  # the server's own process: its heap is frozen


@pytest.mark.parametrize("freeze", [True, False])
def test_a_warm_server_freezes_its_heap_when_asked(
    monkeypatch: pytest.MonkeyPatch, pilot_kg: KnowledgeGraph, freeze: bool
) -> None:
    import gc

    from pathways.web import app as app_module

    calls: list[str] = []

    def collect(*args: object) -> int:
        calls.append("collect")
        return 0

    monkeypatch.setattr(gc, "collect", collect)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    explorer = Explorer(Settings(warm=True, freeze_when_warm=freeze), pilot_kg)
    app_module._warm(explorer)
    assert explorer.ready(("search-index", "en"))  # warm first, then frozen
    assert calls == (["collect", "freeze"] if freeze else [])


def test_a_sparql_worker_imports_neither_fastapi_nor_itself_twice() -> None:
    import subprocess
    import sys

    probe = "import sys, pathways.web.query_pool; print('fastapi' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", "-c", probe],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["False"]


def test_a_port_in_use_is_an_input_error(runner: CliRunner) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: cannot listen on 127.0.0.1:{port}: ")
    assert "--port" in result.stderr
