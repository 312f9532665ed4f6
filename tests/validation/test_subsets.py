"""A profile's report taken from a larger validation equals validating against the
profile alone (SHACL 3.4: a shapes graph's results are the union of its shapes').
The oracle is the direct validation against the profile, on the pilot, on a
generated catalogue and with a user's shapes file whose property shapes are blank."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode

from pathways.errors import UsageError
from pathways.rdf.store import KnowledgeGraph
from pathways.validation import shapes_for, validate
from pathways.validation.subsets import profile_results

BENCH = Path(__file__).resolve().parents[2] / "bench"

#: A user's shapes: a blank property shape, and one nested in sh:or.
USER_SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix pw: <https://w3id.org/pathways/vocab#> .
@prefix ex: <https://example.org/shapes/> .
ex:HoursShape a sh:NodeShape ; sh:targetClass pw:MicroCredential ;
    sh:property [ sh:path pw:notionalHours ; sh:minCount 1 ; sh:maxInclusive 20 ] ;
    sh:or ( [ sh:path pw:country ; sh:minCount 2 ] [ sh:path pw:homepage ; sh:minCount 1 ] ) .
"""


def _key(results: object) -> Counter[tuple[str, ...]]:
    return Counter(
        (str(r.focus), "_" if isinstance(r.shape, BNode) else str(r.shape), str(r.path),
         str(r.value), str(r.component), str(r.severity), r.message)
        for r in results  # type: ignore[attr-defined]
    )  # fmt: skip


@pytest.mark.parametrize("profile", ["conditionality", "eu-standard-elements"])
def test_a_profile_inside_the_core_run_is_the_profile_alone(
    pilot_kg: KnowledgeGraph, profile: str
) -> None:
    core = shapes_for((), default_core=True)
    alone = shapes_for((profile,))
    report = validate(pilot_kg, core)
    expected = validate(pilot_kg, alone).results
    assert len(expected) > 0
    assert profile_results(report, core, alone) == expected


def test_on_a_generated_catalogue(tmp_path: Path) -> None:
    data = tmp_path / "catalogue.ttl"
    subprocess.run([sys.executable, str(BENCH / "generate.py"), "300", "-o", str(data)], check=True)
    kg = KnowledgeGraph.open()
    kg.load([data])
    core = shapes_for((), default_core=True)
    alone = shapes_for(("conditionality",))
    expected = validate(kg, alone).results
    assert len(expected) > 100
    assert profile_results(validate(kg, core), core, alone) == expected


def test_blank_property_shapes_belong_to_their_node_shape(
    pilot_kg: KnowledgeGraph, tmp_path: Path
) -> None:
    file = tmp_path / "mine.ttl"
    file.write_text(USER_SHAPES, encoding="utf-8")
    both = shapes_for(("stackability-integrity",), [file])
    mine = shapes_for((), [file])
    expected = validate(pilot_kg, mine).results
    assert len(expected) > 0
    # blank nodes are not the same nodes in two parses: compare their contents
    assert _key(profile_results(validate(pilot_kg, both), both, mine)) == _key(expected)


def test_a_profile_that_was_not_validated_is_refused(pilot_kg: KnowledgeGraph) -> None:
    stack = shapes_for(("stackability-integrity",))
    with pytest.raises(UsageError, match="conditionality"):
        profile_results(validate(pilot_kg, stack), stack, shapes_for(("conditionality",)))
