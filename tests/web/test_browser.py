"""A real browser (Debian's chromium, driven by Playwright) searches with a facet and
opens a credential; screenshots go to tests/web/screenshots/ (not committed).

Skipped, with the reason, when chromium or Playwright is not installed (``make
system-deps`` installs chromium when it runs as root; Playwright is in the dev extra).
"""

from __future__ import annotations

import shutil
import socket
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from pathways.rdf.store import KnowledgeGraph
from pathways.web import Explorer, Settings, create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).parent / "screenshots"

playwright_sync = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed (make system-deps)", allow_module_level=True)


def thread_stacks() -> str:
    """The stack of every thread of this process (the server runs in one of them)."""
    names = {t.ident: t.name for t in threading.enumerate()}
    return "\n".join(
        f"--- {names.get(ident, ident)}\n" + "".join(traceback.format_stack(frame))
        for ident, frame in sys._current_frames().items()
    )


@pytest.fixture(scope="module")
def server(pilot_kg: KnowledgeGraph) -> Iterator[str]:
    """The explorer on a free loopback port, in a thread of this process."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(query_workers=2, query_timeout=5, warm=True)
    app = create_app(explorer=Explorer(settings, pilot_kg))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(600):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_sync.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def test_search_with_a_facet_then_open_a_credential(server: str, browser: object) -> None:
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/search")
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)
    total = page.locator(".total").inner_text()
    page.locator('section[data-facet="country"] a', has_text="Finland").click()
    page.wait_for_url("**country=*")
    narrowed = page.locator(".total").inner_text()
    assert narrowed != total and "credential" in narrowed
    assert page.locator('section[data-facet="country"] li.selected').count() == 1
    page.fill("#q", "sähkö")
    page.click("form.search button")
    page.wait_for_url("**q=*")
    assert "country=" in page.url, "the facet was kept in the URL"
    page.screenshot(path=str(SHOTS / "search-facet.png"), full_page=True)
    first = page.locator(".hit-title").first
    title = first.inner_text()
    first.click()
    page.wait_for_url("**/credential?iri=*")
    assert page.locator("h1").inner_text() == title
    assert page.locator("text=Pathway conditionality").count() == 1
    assert page.locator(".checks li").count() >= 3 + 16
    page.screenshot(path=str(SHOTS / "credential.png"), full_page=True)
    assert not problems, problems  # a CSP violation is a console error


def test_the_api_docs_run_under_the_policy(server: str, browser: object) -> None:
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/docs")
    page.wait_for_selector("#swagger-ui .opblock", timeout=30_000)
    assert "/api/route" in page.locator("#swagger-ui").inner_text()
    page.screenshot(path=str(SHOTS / "docs.png"))
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_the_credential_page_draws_its_cost_chart(server: str, browser: object) -> None:
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    try:
        page.goto(f"{server}/credential?iri=pilot:es-hv-2s")
    except playwright_sync.TimeoutError:  # say where the server's threads are
        pytest.fail("the page did not load; the threads of this process:\n" + thread_stacks())
    chart = page.locator("#cost figure.chart img")
    chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('#cost img'); return i && i.complete; }"
    )
    assert chart.evaluate("i => i.naturalWidth") > 0, "the cost chart loaded"
    assert "Completion" in page.locator("#outcomes").inner_text()
    page.locator("#cost").screenshot(path=str(SHOTS / "credential-cost.png"))
    assert not problems, problems


def test_facets_and_pages_update_the_results_in_place(server: str, browser: object) -> None:
    # htmx swaps the #search region: the document (and a marker set on it) survives a
    # facet click, the URL still holds the state, and nothing breaks the CSP.
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"{m.text} {m.location}") if m.type == "error" else None,
    )
    page.goto(f"{server}/search")
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.stillHere = true; }")
    before = page.locator("p.total").inner_text()
    page.locator('section[data-facet="country"] a', has_text="Finland").click()
    page.wait_for_url("**country=*")
    page.wait_for_function(f"() => document.querySelector('p.total').innerText !== {before!r}")
    assert page.evaluate("() => window.stillHere === true"), "a partial update, not a reload"
    assert page.locator('section[data-facet="country"] li.selected').count() == 1
    page.fill("#q", "sähkö")
    page.click("form.search button")
    page.wait_for_url("**q=*")
    assert "country=" in page.url and page.evaluate("() => window.stillHere === true")
    page.go_back()
    page.wait_for_function("() => !location.search.includes('q=')")
    assert "country=" in page.url
    page.screenshot(path=str(SHOTS / "search-htmx.png"), full_page=True)
    assert not problems, problems


def test_search_works_without_javascript(server: str, browser: object) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server}/search")
    page.locator('section[data-facet="country"] a', has_text="Finland").click()
    page.wait_for_url("**country=*")
    assert page.locator('section[data-facet="country"] li.selected').count() == 1
    context.close()
