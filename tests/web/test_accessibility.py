"""No serious or critical accessibility violations on the explorer's main pages, as
axe-core (vendored under tests/web/vendor/axe-core, tests only) reports them in a real
headless Chromium.

The oracle is axe-core's own rule set (WCAG 2.x A/AA and best practices, as axe-core
4.14 ships them); a violation whose ``impact`` is "serious" or "critical" fails the test,
and every violation found (of any impact) is printed with its rule id and targets.

Skipped, with the reason, as :mod:`tests.web.test_browser` is (chromium or Playwright
missing), whose server and browser fixtures it uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.test_browser import browser, server  # noqa: F401 (fixtures)

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PILOT = "https://w3id.org/pathways/pilot/"
OCCUPATION = "http://data.europa.eu/esco/occupation/06bd6285-13ed-4ea7-90cc-e9638a0600a9"

# (name, path, selector to wait for, third-party containers to exclude)
PAGES: list[tuple[str, str, str, list[str]]] = [
    ("search", "/search", ".total", []),
    ("search-facet", "/search?country=FI&q=s%C3%A4hk%C3%B6", ".total", []),
    ("credential", f"/credential?iri={PILOT}es-ce-hev", "h1", []),
    ("pathway", f"/pathway?iri={PILOT}pathway-es-ev-maintenance", "figure.diagram svg", []),
    ("occupation", f"/occupation?iri={OCCUPATION}", "h1", []),
    (
        "route",
        f"/route?to={PILOT}es-ce-hev&from={PILOT}es-ce-hev-m1&optimize=hours&term_hours=200",
        "table.route",
        [],
    ),
    ("validate", "/validate", "form", []),
    # The interface in another language (tests/web/test_i18n.py): longer words, lang tags.
    ("search-fi", "/search?lang=fi&q=s%C3%A4hk%C3%B6", ".total", []),
    ("credential-es", f"/credential?iri={PILOT}es-ce-hev&lang=es", "h1", []),
    ("validate-pt", "/validate?lang=pt", "form", []),
    ("analytics", "/analytics?sort=blocking_factor", "table.metrics", []),
    ("economics", "/economics", "h1", []),
    # #yasgui is the vendored YASGUI editor (third-party markup: its tab list's ARIA roles,
    # CodeMirror's unlabelled textarea and scroller, its tab and syntax colours); it cannot
    # be fixed in our templates, so only that container is excluded. The page's own
    # example-query forms below it are checked.
    ("sparql-ui", "/sparql/ui", ".yasgui .tabsList .tab", ["#yasgui"]),
]

BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def context(browser: object) -> Iterator[Any]:  # noqa: F811
    # bypass_csp=True for this test only: the pages send script-src 'self', and Playwright
    # injects axe as an inline <script> (add_script_tag reads the file into the tag), which
    # that policy rightly blocks. The served policy itself is unchanged and is checked by
    # the other browser tests, which run without this option.
    ctx = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    yield ctx
    ctx.close()


def axe_violations(page: Any, exclude: list[str]) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    context_arg: dict[str, Any] = {"exclude": [[s] for s in exclude]} if exclude else {}
    result = page.evaluate(
        "([ctx]) => axe.run(Object.keys(ctx).length ? ctx : document)"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5), count: v.nodes.length})))",
        [context_arg],
    )
    return list(result)


@pytest.mark.parametrize(("name", "path", "ready", "exclude"), PAGES, ids=[p[0] for p in PAGES])
def test_no_serious_accessibility_violations(
    server: str,  # noqa: F811
    context: Any,
    name: str,
    path: str,
    ready: str,
    exclude: list[str],
) -> None:
    page = context.new_page()
    try:
        page.goto(f"{server}{path}")
        page.wait_for_selector(ready, timeout=30_000)
        violations = axe_violations(page, exclude)
    finally:
        page.close()
    for v in violations:
        print(f"{name}: {v['impact']} {v['id']} ({v['count']}): {v['help']} {v['targets']}")
    serious = [v for v in violations if v["impact"] in BLOCKING]
    assert not serious, serious


def test_the_docs_page_is_not_checked() -> None:
    pytest.skip(
        "/docs is Swagger UI's own page (vendored third-party UI, nothing of ours on it "
        "but the container); its accessibility is Swagger UI's, not fixed here"
    )
