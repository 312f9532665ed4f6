"""The layering of issue 12 is a rule the suite enforces: ``lint-imports`` keeps it.

The oracle is import-linter (pinned in the dev extra), run on the contract in
``pyproject.toml`` (``[tool.importlinter]``): each folder of ``pathways/`` imports only
the layers below it. The second test shows the rule can fail: an upward import planted
in a copy of the package breaks the contract.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.constants import REPO

#: ``lint-imports`` itself, run by this interpreter (the console script may not be on PATH).
LINT = "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache", "--config", str(root / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        check=False,
    )


def test_layers_are_kept() -> None:
    done = _lint(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    shutil.copytree(
        REPO / "pathways", tmp_path / "pathways", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    terms = tmp_path / "pathways" / "rdf" / "terms.py"
    terms.write_text(
        terms.read_text(encoding="utf-8") + "\nimport pathways.routing\n", encoding="utf-8"
    )
    done = _lint(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "pathways.rdf.terms -> pathways.routing" in done.stdout
