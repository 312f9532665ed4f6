"""The pathway and analytics pages and their JSON twins, over the pilot graph; the
diagram drawn as ``export --to svg`` draws it, served inert even for hostile labels."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pathways.analytics import to_json as metrics_json
from pathways.analytics.report import graph_metrics
from pathways.rdf.store import KnowledgeGraph
from pathways.web import Settings
from pathways.web.diagram_svg import sanitised_svg
from tests.web.conftest import _client
from tests.web.test_pages import parse

EV = "https://w3id.org/pathways/pilot/pathway-es-ev-maintenance"
needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz 'dot' is not installed"
)

#: A pathway whose credential labels and IRIs a hostile publisher wrote.
HOSTILE_PATHWAY = """\
@prefix pw: <https://w3id.org/pathways/vocab#> .
<https://example.org/p> a pw:ProgressionPathway ;
    pw:title "Evil <script>alert(1)</script> pathway"@en ;
    pw:hasCondition <https://example.org/p-cond> .
<https://example.org/p-cond> a pw:ComponentCondition ;
    pw:targetComponent <https://example.org/a> , <javascript:alert(5)> .
<https://example.org/a> a pw:MicroCredential ;
    pw:title "<script>alert(2)</script><a href=\\"javascript:alert(3)\\">x</a>"@en ;
    pw:prerequisite <javascript:alert(5)> .
<javascript:alert(5)> a pw:MicroCredential ;
    pw:title "]]><svg onload=alert(4)><foreignObject>y</foreignObject>"@en .
"""


@pytest.fixture(scope="module")
def hostile_pathway_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("hostile-pathway") / "p.ttl"
    path.write_text(HOSTILE_PATHWAY, encoding="utf-8")
    yield from _client(Settings(query_workers=2, data=(path,), query_timeout=3.0, warm=False))


def test_pathway_json_is_the_metrics_of_pathways_metrics(
    client: TestClient, pilot_kg: KnowledgeGraph
) -> None:
    # Oracle: the command line's composition (pathways metrics --pathway IRI --format json).
    report = graph_metrics(pilot_kg, EV)
    cli = json.loads(metrics_json(report.metrics, report.findings, report.labels))
    page = client.get("/pathway.json", params={"iri": EV, "sort": "label", "order": "asc"}).json()
    assert page["totals"] == cli["totals"]
    assert {n["iri"]: n["complexity"] for n in page["nodes"]} == {
        n["iri"]: n["complexity"] for n in cli["nodes"]
    }
    labels = [n["label"].casefold() for n in page["nodes"]]
    assert labels == sorted(labels)
    by_accept = client.get(
        "/pathway",
        params={"iri": EV, "sort": "label", "order": "asc"},
        headers={"Accept": "application/json"},
    )
    assert by_accept.json() == page


def test_findings_are_marked_on_the_credentials_they_name(client: TestClient) -> None:
    page = client.get("/pathway.json", params={"iri": EV}).json()
    findings = page["findings"]
    articulation = {n for d in findings["destinations"] for n in d["articulation"]}
    marked = {n["iri"] for n in page["nodes"] if "articulation" in n["findings"]}
    assert marked == articulation & {n["iri"] for n in page["nodes"]}
    assert marked, "the pilot's EV pathway has an articulation credential"
    html = client.get("/pathway", params={"iri": EV}).text
    assert html.count('<tr id="c-') == len(page["nodes"])
    assert html.count('class="articulation"') == len(marked)


def test_pathway_page_shows_the_diagram_as_an_image_and_the_metrics(client: TestClient) -> None:
    response = client.get("/pathway", params={"iri": "pilot:pathway-es-ev-maintenance"})
    assert response.status_code == 200
    page = parse(response.text)
    assert any(link.startswith("/pathway.svg?iri=https%3A%2F%2F") for link in page.links)
    assert "script" not in page.tags  # this page needs no script at all
    assert "Blocking factor" in response.text
    assert any(link.startswith("/route?to=") for link in page.links)


def test_metrics_sort_by_a_column_without_javascript(client: TestClient) -> None:
    down = client.get("/analytics.json", params={"sort": "blocking_factor"}).json()
    values = [n["blocking_factor"] for n in down["nodes"]]
    assert values == sorted(values, reverse=True)
    up = client.get("/analytics.json", params={"sort": "blocking_factor", "order": "asc"}).json()
    assert [n["blocking_factor"] for n in up["nodes"]] == sorted(values)
    html = client.get("/analytics", params={"sort": "blocking_factor"}).text
    assert "sort=blocking_factor&amp;order=asc" in html  # the header link reverses it


def test_an_unknown_sort_column_is_a_400_with_the_choices(client: TestClient) -> None:
    response = client.get("/analytics.json", params={"sort": "fee"})
    assert response.status_code == 400
    assert "complexity" in response.json()["error"]


def test_a_credential_is_not_a_pathway(client: TestClient) -> None:
    response = client.get("/pathway.json", params={"iri": "pilot:es-hv-2s"})
    assert response.status_code == 400
    assert "pathway" in response.json()["error"]


def test_the_pathway_list_links_every_pathway(client: TestClient) -> None:
    data = client.get("/pathway.json").json()
    assert EV in {p["iri"] for p in data["pathways"]}
    assert len(data["pathways"]) == 7


@needs_dot
def test_the_svg_is_the_export_diagram_sanitised(client: TestClient) -> None:
    response = client.get("/pathway.svg", params={"iri": EV})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    root = ET.fromstring(response.content)
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "EQF level 2" in texts and "EQF level 4" in texts  # levels as columns


@needs_dot
def test_a_hostile_label_draws_as_text_in_the_svg(hostile_pathway_client: TestClient) -> None:
    response = hostile_pathway_client.get("/pathway.svg", params={"iri": "https://example.org/p"})
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    names = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert not names & {"script", "a", "foreignObject", "image", "use", "iframe"}
    attributes = [(k, v) for el in root.iter() for k, v in el.attrib.items()]
    assert not [k for k, _ in attributes if k.startswith("on") or "href" in k or k == "style"]
    assert not [v for _, v in attributes if "javascript:" in v.lower()]
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "<script>" in texts  # the label is shown, as text


def test_a_hostile_pathway_page_is_inert(hostile_pathway_client: TestClient) -> None:
    response = hostile_pathway_client.get("/pathway", params={"iri": "https://example.org/p"})
    assert response.status_code == 200
    page = parse(response.text)
    assert "script" not in page.tags
    assert not [link for link in page.links if link.lower().startswith("javascript:")]


def test_the_sanitiser_drops_what_graphviz_never_draws() -> None:
    dirty = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b"<script>alert(1)</script><foreignObject><p>x</p></foreignObject>"
        b'<g onclick="alert(2)" style="x"><a xlink:href="javascript:alert(3)" target="_top">'
        b'<path fill="url(javascript:alert(4))" d="M0,0"/></a></g>'
        b'<image xlink:href="https://example.org/x.png"/></svg>'
    )
    clean = sanitised_svg(dirty).decode()
    for word in ("script", "foreignObject", "onclick", "style", "href", "javascript", "image"):
        assert word not in clean
    assert 'd="M0,0"' in clean


def test_findings_outline_their_nodes(tmp_path: Path) -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><g class="node"><title>n1</title>'
        b'<polygon stroke="black" points="0,0 1,1"/></g></svg>'
    )
    out = ET.fromstring(sanitised_svg(svg, {"n1": "dead-end"}))
    polygon = next(out.iter("{http://www.w3.org/2000/svg}polygon"))
    assert polygon.get("stroke") == "#b00020" and polygon.get("stroke-width") == "3"


@needs_dot
def test_the_page_inlines_the_diagram_with_metrics_on_hover_and_click(client: TestClient) -> None:
    html = client.get("/pathway", params={"iri": EV}).text
    start, end = html.index("<svg"), html.index("</svg>") + len("</svg>")
    root = ET.fromstring(html[start:end])
    links = [a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")]
    rows = set(re.findall(r'<tr id="(c-[0-9a-f]{12})"', html))
    assert links and {link[1:] for link in links if link} == rows  # every credential, linked
    titles = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert any("blocking factor 6" in t and "articulation" in t for t in titles)


@needs_dot
def test_the_inlined_hostile_diagram_has_only_its_own_links(
    hostile_pathway_client: TestClient,
) -> None:
    html = hostile_pathway_client.get("/pathway", params={"iri": "https://example.org/p"}).text
    root = ET.fromstring(html[html.index("<svg") : html.index("</svg>") + len("</svg>")])
    names = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert not names & {"script", "foreignObject", "image", "use", "iframe"}
    attributes = [(k, v) for el in root.iter() for k, v in el.attrib.items()]
    assert not [k for k, _ in attributes if k.startswith("on") or k == "style"]
    rows = {f"#{a}" for a in re.findall(r'<tr id="([^"]+)"', html)}
    assert {v for k, v in attributes if "href" in k} <= rows  # only its own links
    assert not [v for _, v in attributes if "javascript:" in v.lower()]


def test_without_graphviz_the_page_still_answers(
    pilot_settings: Settings, pilot_kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathways.web import Explorer

    monkeypatch.setattr(shutil, "which", lambda name: None)  # render_svg asks shutil.which
    for fresh in _client(pilot_settings, Explorer(pilot_settings, pilot_kg)):  # no cached SVG
        page = fresh.get("/pathway", params={"iri": EV})
        assert page.status_code == 200
        assert "needs Graphviz" in page.text and "Blocking factor" in page.text
        svg = fresh.get("/pathway.svg", params={"iri": EV})
        assert svg.status_code == 400 and "Graphviz" in svg.text
