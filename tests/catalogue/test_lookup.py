"""What a user's IRI is, and the nearest one when it is nothing known (issue 13)."""

from __future__ import annotations

import networkx as nx
import pytest

from pathways.catalogue.lookup import instance_error, kind_error, nearest_nodes
from pathways.catalogue.projection import project
from pathways.errors import NotFoundError, UsageError, nearest
from pathways.rdf.store import KnowledgeGraph
from tests.constants import PILOT

GOALS = ("credential", "pathway", "occupation")


@pytest.fixture(scope="module")
def g(pilot_kg: KnowledgeGraph) -> nx.DiGraph:
    return project(pilot_kg)


def test_nearest_finds_by_name_or_label_case_insensitively() -> None:
    assert nearest("TITEL", ["title", "type"]) == ["title"]
    candidates = {"urn:x/a1": ["a1", "High voltage"], "urn:x/b2": ["b2", "Battery"]}
    assert nearest("battery", candidates) == ["urn:x/b2"]
    assert nearest("zzz", candidates) == []


def test_a_node_of_the_right_kind_is_no_error(pilot_kg: KnowledgeGraph, g: nx.DiGraph) -> None:
    assert kind_error(pilot_kg, g, str(PILOT["es-hv-2s"]), GOALS, "goals") is None


def test_an_organisation_is_named_by_its_types(pilot_kg: KnowledgeGraph, g: nx.DiGraph) -> None:
    error = kind_error(pilot_kg, g, str(PILOT["org-hv-campus"]), GOALS, "goals are ...")
    assert isinstance(error, UsageError)
    assert str(error) == (
        "pilot:org-hv-campus is an organisation (pw:AwardingBody, pw:Provider), not a "
        "credential, a progression pathway or an occupation (goals are ...)"
    )


def test_a_node_of_another_kind_is_named_without_the_store(g: nx.DiGraph) -> None:
    error = kind_error(None, g, str(PILOT["pathway-fi-eat"]), ("credential",), "held")
    assert isinstance(error, UsageError) and "is a progression pathway" in str(error)


def test_an_unknown_iri_gets_the_nearest_of_the_right_kind(g: nx.DiGraph) -> None:
    assert nearest_nodes(g, str(PILOT["es-hv-2"]), ["credential"]) == [str(PILOT["es-hv-2s"])]
    error = kind_error(None, g, str(PILOT["es-hv-2"]), GOALS, "goals")
    assert isinstance(error, NotFoundError) and "did you mean pilot:es-hv-2s?" in str(error)


def test_instance_error_by_class(pilot_kg: KnowledgeGraph) -> None:
    cls = "pw:CredentialSpecification"
    assert instance_error(pilot_kg, str(PILOT["es-hv-2s"]), cls, "a credential") is None
    error = instance_error(pilot_kg, str(PILOT["org-hv-campus"]), cls, "a credential")
    assert isinstance(error, NotFoundError) and "is not a credential" in str(error)
