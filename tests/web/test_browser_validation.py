"""A real browser on the validation service page: a broken file gets the parser's
message, a good one the report, whose SARIF download is checked against the SARIF
2.1.0 schema. Screenshots go to tests/web/screenshots/ (not committed). Skipped as
tests/web/test_browser.py is, when chromium or Playwright is missing."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_validation_sarif import check_sarif
from tests.constants import FIXTURES
from tests.web.test_browser import SHOTS, browser, server

__all__ = ["browser", "server"]  # the fixtures, shared with test_browser.py

INVALID = FIXTURES / "validation" / "invalid.ttl"


def test_upload_a_broken_then_a_good_file_and_download_sarif(
    server: str, browser: object, tmp_path: Path
) -> None:
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/validate")
    page.screenshot(path=str(SHOTS / "validate.png"), full_page=True)
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix pw: <https://w3id.org/pathways/vocab#> .\n<urn:x> pw:title .\n")
    page.set_input_files("#file", str(broken))
    page.click("form.validate-form button[value=html]")
    page.wait_for_load_state()
    assert page.locator("p.error").inner_text().startswith("broken.ttl:2: ")
    page.goto(f"{server}/validate")
    page.set_input_files("#file", str(INVALID))
    page.click("form.validate-form button[value=html]")
    page.wait_for_selector("text=Summary by rule")
    assert "FAIL" in page.locator("section[aria-label=Verdict]").inner_text()
    assert page.locator(".credential-results").count() >= 1
    page.screenshot(path=str(SHOTS / "validate-report.png"), full_page=True)
    with page.expect_download() as info:
        page.click("section[aria-label=Verdict] button[value=sarif]")
    saved = tmp_path / "report.sarif"
    info.value.save_as(saved)
    assert info.value.suggested_filename == "invalid-report.sarif"
    log = check_sarif(saved.read_text(encoding="utf-8"))
    assert log["runs"][0]["results"]
    page.select_option("#severity", "violation")
    page.click("section[aria-label=Verdict] button[value=html]")
    page.wait_for_selector("text=Summary by rule")
    assert page.locator(".results-list li.info").count() == 0
    assert page.locator(".results-list li.violation").count() >= 1
    expected = "status of 400"  # the broken file's answer, on purpose
    assert not [p for p in problems if expected not in p], problems
