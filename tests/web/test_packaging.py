"""The explorer's templates, static assets and message catalogues (.po and .mo) ship in
the wheel (hatch includes every file under pathways/, see [tool.hatch.build.targets.wheel]
in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.constants import REPO

WEB = REPO / "pathways" / "web"


@pytest.mark.slow
def test_wheel_contains_the_templates_and_static_assets(tmp_path: Path) -> None:
    build = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir"]
    subprocess.run(
        [*build, str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("pathways-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        p.relative_to(REPO).as_posix()
        for folder in ("templates", "static", "locale")
        for p in (WEB / folder).rglob("*")
        if p.is_file()
    }
    assert expected, "no assets found"
    assert expected <= names, sorted(expected - names)
    # The query page's tabs: examples/*.rq, copied under pathways/_assets/ (force-include).
    queries = {f"pathways/_assets/examples/{p.name}" for p in (REPO / "examples").glob("*.rq")}
    assert queries and queries <= names, sorted(queries - names)
    assert "pathways/web/static/vendor/yasgui/LICENSE" in names
    assert "pathways/web/static/vendor/htmx/LICENSE" in names
    assert "pathways/web/static/vendor/htmx/htmx.min.js" in names
    assert not any(n.startswith("tests/") for n in names)
