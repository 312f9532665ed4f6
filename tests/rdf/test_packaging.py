"""The bundled Turtle is found from a built wheel and from this (editable) checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pathways.rdf.resources import asset_dir, data_files, ontology_files, shape_files
from tests.constants import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("pathways-*.whl")
    return built


def test_checkout_finds_every_asset_folder() -> None:
    assert asset_dir("ontology") == REPO / "ontology"
    assert [p.name for p in ontology_files()] == sorted(
        p.name for p in (REPO / "ontology").glob("*.ttl")
    )
    assert data_files(), "the pilot knowledge graph is bundled"
    assert shape_files(), "the shapes are bundled"


@pytest.mark.slow
def test_wheel_contains_the_turtle(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind in ("ontology", "shapes", "data"):
        expected = {
            f"pathways/_assets/{kind}/{p.relative_to(REPO / kind).as_posix()}"
            for p in (REPO / kind).rglob("*.ttl")
        }
        assert expected and expected <= names, kind
    assert "pathways/py.typed" in names


@pytest.mark.slow
def test_installed_wheel_reads_its_own_assets(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    probe = (
        "import pathways.rdf.resources as r, pathways;"
        "print(pathways.__file__);"
        "print(r.asset_dir('ontology'));"
        "print(len(r.ontology_files()), len(r.shape_files()), len(r.data_files()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
    module, folder, counts = done.stdout.splitlines()
    assert module.startswith(str(target))
    assert folder == str(target / "pathways" / "_assets" / "ontology")
    assert all(int(n) > 0 for n in counts.split())
