"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from pathways.rdf.store import KnowledgeGraph


@pytest.fixture
def runner() -> CliRunner:
    """A click runner that keeps stderr apart from stdout."""
    return CliRunner()


@pytest.fixture
def empty_kg() -> Iterator[KnowledgeGraph]:
    """An in-memory knowledge graph holding only the ontology."""
    kg = KnowledgeGraph.open()
    yield kg
    kg.close()


@pytest.fixture(scope="session")
def pilot_kg() -> KnowledgeGraph:
    """The bundled pilot knowledge graph, loaded once (read-only use, please)."""
    from pathways.rdf.resources import data_files

    kg = KnowledgeGraph.open()
    kg.load(data_files())
    return kg
