"""Test constants: paths and IRIs, in one plain module."""

from __future__ import annotations

from pathlib import Path

from rdflib import Namespace

REPO = Path(__file__).resolve().parents[1]
#: The shared reference data (CI puts ``shared/`` beside the clone).
SHARED = REPO.parent / "shared"
EXTERNAL = SHARED / "external"
DATA = REPO / "data"
SHAPES = REPO / "shapes"
ONTOLOGY = REPO / "ontology"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

PILOT = Namespace("https://w3id.org/pathways/pilot/")
GEN = Namespace("https://w3id.org/pathways/generated/")
