"""The YASGUI query page: vendored assets with their licence, the examples as tabs,
and every example answered by /sparql."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.constants import REPO
from tests.web.test_pages import parse

VENDOR = REPO / "pathways" / "web" / "static" / "vendor" / "yasgui"


def test_yasgui_is_vendored_with_its_licence() -> None:
    for name in ("yasgui.min.js", "yasgui.min.css", "LICENSE", "NOTICE", "VERSION.txt"):
        assert (VENDOR / name).is_file(), name
    assert "MIT License" in (VENDOR / "LICENSE").read_text(encoding="utf-8")


def test_the_page_loads_only_script_files_of_this_server(client: TestClient) -> None:
    response = client.get("/sparql/ui")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = parse(response.text)
    scripts = [v for k, v in page.attributes if k == "src"]
    assert scripts == ["/static/vendor/yasgui/yasgui.min.js", "/static/sparql-ui.js"]
    assert "<script>" not in response.text  # no inline script (CSP)
    for src in scripts:
        assert client.get(src).status_code == 200


def test_every_example_query_is_a_tab_and_runs(client: TestClient) -> None:
    examples = sorted(p.stem for p in (REPO / "examples").glob("*.rq"))
    data = client.get("/sparql/ui.json").json()
    assert [q["name"] for q in data["queries"]] == examples
    for q in data["queries"]:
        assert "\nPREFIX pw: <https://w3id.org/pathways/vocab#>\n" in q["query"]
        answer = client.get(
            "/sparql",
            params={"query": q["query"]},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"]["bindings"], q["name"]


def test_without_javascript_the_examples_are_forms(client: TestClient) -> None:
    html = client.get("/sparql/ui").text
    assert html.count('<form method="get" action="/sparql"') == len(
        list((REPO / "examples").glob("*.rq"))
    )


def test_only_styles_are_relaxed_on_the_query_page(client: TestClient) -> None:
    policy = client.get("/sparql/ui").headers["content-security-policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy and "unsafe-eval" not in policy
    assert "'unsafe-inline'" not in client.get("/route").headers["content-security-policy"]
