"""A real browser opens a pathway page, plans a route (with a what-if) and runs a query
in YASGUI; screenshots go to tests/web/screenshots/ (not committed).

Skipped, with the reason, as :mod:`tests.web.test_browser` is (chromium or Playwright
missing), whose server and browser fixtures it uses.
"""

from __future__ import annotations

from tests.web.test_browser import SHOTS, browser, server  # noqa: F401 (fixtures)

EV = "https://w3id.org/pathways/pilot/pathway-es-ev-maintenance"


def _page(chromium: object) -> tuple[object, list[str]]:
    SHOTS.mkdir(exist_ok=True)
    page = chromium.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return page, problems


def test_open_a_pathway_page(server: str, browser: object) -> None:  # noqa: F811
    page, problems = _page(browser)
    page.goto(f"{server}/pathway")  # type: ignore[attr-defined]
    page.locator("a", has_text="hybrid and electric vehicle maintenance").first.click()  # type: ignore[attr-defined]
    page.wait_for_url("**/pathway?iri=*")  # type: ignore[attr-defined]
    drawing = page.locator("figure.diagram svg")  # type: ignore[attr-defined]
    assert drawing.bounding_box()["width"] > 300
    node = drawing.locator("g.node a").first
    assert "blocking factor" in node.locator("xpath=..").locator("title").text_content()
    node.click()
    page.wait_for_url("**#c-*")  # type: ignore[attr-defined]
    assert page.locator("table.metrics tr:target").count() == 1  # type: ignore[attr-defined]
    assert page.locator("table.metrics tbody tr").count() >= 5  # type: ignore[attr-defined]
    page.locator("table.metrics th a", has_text="Blocking factor").click()  # type: ignore[attr-defined]
    page.wait_for_url("**sort=blocking_factor*")  # type: ignore[attr-defined]
    page.screenshot(path=str(SHOTS / "pathway.png"), full_page=True)  # type: ignore[attr-defined]
    assert not problems, problems


def test_plan_a_route_then_what_if(server: str, browser: object) -> None:  # noqa: F811
    page, problems = _page(browser)
    page.goto(f"{server}/route")  # type: ignore[attr-defined]
    page.fill("#to", "https://w3id.org/pathways/pilot/es-ce-hev")  # type: ignore[attr-defined]
    page.select_option("#from", ["https://w3id.org/pathways/pilot/es-ce-hev-m1"])  # type: ignore[attr-defined]
    page.select_option("#optimize", "hours")  # type: ignore[attr-defined]
    page.fill("#term_hours", "200")  # type: ignore[attr-defined]
    page.click("form.planner button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url("**to=*")  # type: ignore[attr-defined]
    route = page.locator("table.route").first  # type: ignore[attr-defined]
    assert "Total" in route.locator("tfoot").inner_text()
    assert "1 of 6" in page.locator(".progress").inner_text()  # type: ignore[attr-defined]
    page.screenshot(path=str(SHOTS / "route.png"), full_page=True)  # type: ignore[attr-defined]
    page.locator("a.whatif", has_text="what if I add it?").first.click()  # type: ignore[attr-defined]
    page.wait_for_url("**add=*")  # type: ignore[attr-defined]
    assert page.locator(".badge", has_text="what-if").count() == 1  # type: ignore[attr-defined]
    assert "2 of 6" in page.locator(".progress").inner_text()  # type: ignore[attr-defined]
    page.screenshot(path=str(SHOTS / "route-whatif.png"), full_page=True)  # type: ignore[attr-defined]
    assert not problems, problems


def test_run_a_query_in_yasgui(server: str, browser: object) -> None:  # noqa: F811
    page, problems = _page(browser)
    page.goto(f"{server}/sparql/ui")  # type: ignore[attr-defined]
    page.wait_for_selector(".yasgui .tabsList .tab", timeout=30_000)  # type: ignore[attr-defined]
    tabs = page.locator(".yasgui .tabsList .tab").all_inner_texts()  # type: ignore[attr-defined]
    assert any("credentials-by-country" in t for t in tabs), tabs
    assert any("hv-ladder" in t for t in tabs), tabs
    page.locator(".tabPanel.active .yasqe_queryButton").click()  # type: ignore[attr-defined]
    page.wait_for_selector(".tabPanel.active .yasr .dataTable tbody tr", timeout=30_000)  # type: ignore[attr-defined]
    rows = page.locator(".tabPanel.active .yasr .dataTable tbody tr").count()  # type: ignore[attr-defined]
    assert rows >= 1
    page.screenshot(path=str(SHOTS / "yasgui.png"), full_page=True)  # type: ignore[attr-defined]
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_screenshots_of_the_other_pages(server: str, browser: object) -> None:  # noqa: F811
    page, problems = _page(browser)
    occupation = "http://data.europa.eu/esco/occupation/06bd6285-13ed-4ea7-90cc-e9638a0600a9"
    for name, path in (
        ("occupation", f"/occupation?iri={occupation}"),
        ("analytics", "/analytics?sort=blocking_factor"),
        ("economics", "/economics"),
    ):
        page.goto(f"{server}{path}")  # type: ignore[attr-defined]
        assert page.locator("h1").count() == 1  # type: ignore[attr-defined]
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
    assert not problems, problems
