"""Screenshots of the web explorer's main pages for the README (``make screenshots``).

Serves the bundled pilot graph on a free loopback port (in this process), opens each
page in Debian's chromium with Playwright, waits until it has settled, and writes
``docs/screenshots/<name>.png`` at 1280 x 900 (the visible part of the page, so the
images stay small). Exits 1 if a page logs a console error (a CSP violation is one).

Usage::

    .venv/bin/python docs/screenshots.py
"""

from __future__ import annotations

import shutil
import socket
import sys
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from pathways.rdf.resources import data_files
from pathways.rdf.store import KnowledgeGraph
from pathways.web import Explorer, Settings, create_app

OUT = Path(__file__).resolve().parent / "screenshots"
OCCUPATION = "http://data.europa.eu/esco/occupation/06bd6285-13ed-4ea7-90cc-e9638a0600a9"
FI = "http://publications.europa.eu/resource/authority/country/FIN"

#: (file name, path, a selector to scroll to or None)
PAGES = [
    ("search", f"/search?country={FI}", None),
    ("credential", "/credential?iri=pilot:es-hv-2s", None),
    ("credential-cost", "/credential?iri=pilot:es-hv-2s", "#cost"),
    ("pathway", "/pathway?iri=pilot:pathway-fi-eat", None),
    (
        "route",
        "/route?to=pilot:es-cert-tecnico-baterias&from=pilot:es-hv-1s&term_hours=120",
        "section.result",
    ),
    ("occupation", f"/occupation?iri={OCCUPATION}", None),
    ("validate", "/validate", None),
    ("search-fi", "/search?lang=fi", None),
]


def main() -> int:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    kg = KnowledgeGraph.open()
    kg.load(data_files())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(explorer=Explorer(Settings(warm=False), kg))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    OUT.mkdir(exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        for name, path, selector in PAGES:
            page.goto(f"http://127.0.0.1:{port}{path}")
            page.wait_for_load_state("networkidle")
            if selector:
                page.locator(selector).first.scroll_into_view_if_needed()
            page.screenshot(path=str(OUT / f"{name}.png"))
            print(f"{OUT / name}.png")
        browser.close()
    server.should_exit = True
    for problem in problems:
        print("console error:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
