"""Where the bundled Turtle lives: ``ontology/``, ``shapes/`` and ``data/``; and the
example SPARQL queries of ``examples/`` (the web explorer's query page opens them).

In a built wheel the folders are inside the package, under
``pathways/_assets/`` (hatchling ``force-include``). An editable install or a plain
checkout never gets that copy, so the folders are then read from the top of the
checkout, next to the package. :func:`asset_dir` hides the difference.

>>> asset_dir("ontology").joinpath("pathways.ttl").is_file()
True
>>> [p.name for p in ontology_files()][:2]
['alignments.ttl', 'levels.ttl']
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pathways.errors import PathwaysError

__all__ = ["AssetKind", "asset_dir", "data_files", "ontology_files", "shape_files"]

AssetKind = Literal["ontology", "shapes", "data", "examples"]

_RDF_SUFFIXES = (".ttl", ".trig", ".nt", ".nq", ".jsonld", ".rdf", ".owl")


@cache
def asset_dir(kind: AssetKind) -> Path:
    """Return the folder of bundled files of one kind (wheel first, then checkout)."""
    packaged = Path(str(resources.files("pathways"))) / "_assets" / kind
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / kind
    if checkout.is_dir():
        return checkout
    raise PathwaysError(
        f"the bundled {kind}/ folder is missing from this installation",
        hint="reinstall pathways (pip install --force-reinstall pathways)",
    )


def _rdf_files(kind: AssetKind) -> list[Path]:
    return sorted(p for p in asset_dir(kind).rglob("*") if p.suffix in _RDF_SUFFIXES)


def ontology_files() -> list[Path]:
    """The ontology's Turtle files, sorted by name."""
    return _rdf_files("ontology")


def shape_files() -> list[Path]:
    """The bundled SHACL shape files, sorted by path."""
    return _rdf_files("shapes")


def data_files() -> list[Path]:
    """The bundled pilot knowledge graph's files, sorted by path."""
    return _rdf_files("data")
