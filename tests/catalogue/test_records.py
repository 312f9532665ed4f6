"""The catalogue's records: what the exporters read instead of SPARQL of their own.

Oracle: the Turtle written in each test (what the data states, as written).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pathways.catalogue import records
from pathways.rdf.store import KnowledgeGraph

_DATA = """PREFIX pw: <https://w3id.org/pathways/vocab#>
INSERT DATA {
  <urn:q> a pw:Qualification ; pw:title "Q"@en ; pw:identifier "Q-1", "Q-0" ;
      pw:credit [ pw:creditAmount 15.0 ; pw:creditUnit <urn:ects> ] ;
      pw:hasCondition <urn:all> ; pw:prerequisiteCondition <urn:pre> .
  _:b a pw:MicroCredential ; pw:title "blank" .
  <urn:all> a pw:ComponentCondition ; pw:targetComponent <urn:b>, <urn:a> ;
      pw:hasSubCondition <urn:pre> ; pw:minimumCredits 10 ; pw:maximumNumber 2 .
  <urn:pre> a pw:ComponentCondition ; pw:requiredNumber 1 ; pw:targetComponent <urn:a> .
  <urn:p> a pw:ProgressionPathway ; pw:destination <urn:job> ; pw:pathwayComponent <urn:q> .
  <urn:job> a pw:Occupation .
}"""


@pytest.fixture
def kg() -> Iterator[KnowledgeGraph]:
    graph = KnowledgeGraph.open()
    graph.store.update(_DATA)
    yield graph
    graph.close()


def test_credentials_as_written(kg: KnowledgeGraph) -> None:
    found = {c.id: c for c in records.credentials(kg)}
    q = found["urn:q"]
    assert q.kind == "Qualification"
    assert q.titles == (records.Text("Q", "en"),)
    assert q.identifiers == ("Q-0", "Q-1")
    assert q.credits == (records.Credit("15", "urn:ects"),)  # as Oxigraph stores 15.0
    [blank] = [c for c in found.values() if c.id.startswith("_:")]
    assert blank.kind == "MicroCredential" and blank.titles == (records.Text("blank", None),)


def test_conditions_pathways_and_owners(kg: KnowledgeGraph) -> None:
    conditions = {c.id: c for c in records.conditions(kg)}
    assert conditions["urn:all"].targets == ("urn:a", "urn:b")
    assert conditions["urn:all"].subconditions == ("urn:pre",)
    assert conditions["urn:all"].bounds == (records.Bounds(min_credits="10", max_number="2"),)
    assert conditions["urn:pre"].required_numbers == ("1",)
    [pathway] = records.pathways(kg)
    assert (pathway.destinations, pathway.components) == (("urn:job",), ("urn:q",))
    assert records.conditions_of(kg) == {"urn:q": ("urn:all",)}
    assert records.prerequisite_conditions_of(kg) == {"urn:q": ("urn:pre",)}
    assert records.occupations(kg) == {"urn:job"}
