"""Whole-graph evaluation (MINUS rewrites, subqueries, qualified shapes, native graph
rules) gives exactly pyshacl's results on a generated catalogue with injected defects."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from pathways.rdf.store import KnowledgeGraph
from pathways.validation import bundled_profiles, shapes_for, validate
from pathways.validation.compile import compile_shapes
from pathways.validation.graph_rules import native_rule
from pathways.validation.sparql_constraints import negations_as_minus
from pathways.vocab import PW
from tests.constants import REPO

# Defects and structures the generator does not make: prerequisite cycles (three
# credentials and a self-loop), conditions with unreachable hour and credit minimums
# through sub-conditions, a target counted twice, and a qualification recognised by a
# named NQF authority, so that some credentials do reach a recognised pathway.
INJECTED = """
@prefix pw: <https://w3id.org/pathways/vocab#> .
@prefix gen: <https://w3id.org/pathways/generated/> .
@prefix eqf: <http://data.europa.eu/snb/eqf/> .

gen:mc3 pw:prerequisite gen:mc11 .
gen:mc11 pw:prerequisite gen:mc7 .
gen:mc7 pw:prerequisite gen:mc3 .
gen:mc20 pw:prerequisite gen:mc20 .

gen:authority a pw:NQFAuthority ; pw:name "Test authority" .
gen:q0 pw:recognisedBy gen:authority .
gen:q1 pw:hasCondition gen:q1-extra .
gen:q1-extra a pw:ComponentCondition ;
    pw:minimumHours 100000 ;
    pw:minimumCredits 900 ;
    pw:creditUnit <http://data.europa.eu/snb/education-credit/6fcec5c5af> ;
    pw:targetComponent gen:mc8 ;
    pw:hasSubCondition gen:q1-sub .
gen:q1-sub a pw:ComponentCondition ;
    pw:requiredNumber 5 ;
    pw:targetComponent gen:mc8 , gen:mc9 , gen:q0 .
gen:pathway a pw:ProgressionPathway ;
    pw:destination gen:q1 ;
    pw:pathwayComponent gen:q1 ;
    pw:recognisedBy gen:authority .
"""


def _generated(n: int) -> Iterator[str]:
    spec = importlib.util.spec_from_file_location("generate", REPO / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield from module.catalogue(n)


def _catalogue_kg(folder: Path, n: int) -> KnowledgeGraph:
    (folder / "catalogue.ttl").write_text("".join(_generated(n)), encoding="utf-8")
    (folder / "injected.ttl").write_text(INJECTED, encoding="utf-8")
    kg = KnowledgeGraph.open()
    kg.load([folder])
    return kg


@pytest.fixture(scope="module")
def generated_kg(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    return _catalogue_kg(tmp_path_factory.mktemp("generated"), 48)


def _full(results: object) -> set[tuple[object, ...]]:
    return {(*r.key(), r.messages) for r in results}  # type: ignore[attr-defined]


@pytest.mark.parametrize("profile", ["stackability-integrity", "conditionality", "funding-es-pes"])
def test_generated_catalogue_compiled_equals_pyshacl(
    profile: str, generated_kg: KnowledgeGraph
) -> None:
    shapes = shapes_for([profile])
    compiled = validate(generated_kg, shapes, method="compiled")
    reference = validate(generated_kg, shapes, method="pyshacl")
    assert _full(compiled.results) == _full(reference.results)
    assert compiled.results  # the injected defects are found


@pytest.mark.slow
def test_50_credentials_all_profiles_compiled_equals_pyshacl(tmp_path: Path) -> None:
    # Every bundled profile at once on a generated catalogue, pyshacl as the oracle.
    # pyshacl's time grows with the focus nodes (3.5 min at 100 credentials, the
    # longest test of the suite); 50 keep every kind of node the generator writes.
    kg = _catalogue_kg(tmp_path, 50)
    shapes = shapes_for(sorted(bundled_profiles()))
    compiled = validate(kg, shapes, method="compiled")
    reference = validate(kg, shapes, method="pyshacl")
    assert _full(compiled.results) == _full(reference.results)


def test_injected_defects_are_reported(generated_kg: KnowledgeGraph) -> None:
    report = validate(generated_kg, shapes_for(["stackability-integrity"]), method="compiled")
    found = {(str(r.shape).rsplit("#")[-1], str(r.focus).rsplit("/")[-1]) for r in report.results}
    for expected in [
        ("PrerequisiteCycleShape", "mc3"),
        ("PrerequisiteCycleShape", "mc7"),
        ("PrerequisiteCycleShape", "mc11"),
        ("PrerequisiteCycleShape", "mc20"),
        ("ComponentConditionShape", "q1-extra"),
        ("ComponentConditionShape", "q1-sub"),
    ]:
        assert expected in found


def test_recognised_pathway_reached_through_conditions(generated_kg: KnowledgeGraph) -> None:
    report = validate(generated_kg, shapes_for(["conditionality"]), method="compiled")
    unrecognised = {
        str(r.focus).rsplit("/")[-1]
        for r in report.results
        if str(r.shape).endswith("RecognisedPathwayShape")
    }
    # q0 is recognised; q1 reaches the recognised pathway through its extra condition
    assert not {"mc0", "mc7", "mc8", "mc9"} & unrecognised
    assert "mc16" in unrecognised


def test_every_bundled_shape_compiles() -> None:
    shapes = shapes_for(["funding-es-pes", "funding-fi-vet", "stackability-integrity"])
    assert [p.reason for p in compile_shapes(shapes.graph) if not p.compiled] == []


def test_reachability_negation_becomes_minus() -> None:
    query = "SELECT ?this WHERE { ?this a ?c . FILTER NOT EXISTS { ?this <x:p>+ ?end . } }"
    assert "MINUS" in negations_as_minus(query) and "FILTER" not in negations_as_minus(query)


@pytest.mark.parametrize(
    "query",
    [
        # ?c is shared with the rest of the query: the filter depends on more than ?this
        "SELECT ?this WHERE { ?this a ?c . FILTER NOT EXISTS { ?this <x:p>+ ?c } }",
        # ?this only inside a FILTER: a solution of the block need not bind it
        "SELECT ?this WHERE { ?this a <x:C> . "
        "FILTER NOT EXISTS { ?a <x:p>+ ?b FILTER(?b = ?this) } }",
        # no transitive path: nothing to gain, left alone
        "SELECT ?this WHERE { ?this a <x:C> . FILTER NOT EXISTS { ?this <x:p> ?b } }",
        # nested deeper than the WHERE group
        "SELECT ?this WHERE { ?this a <x:C> . OPTIONAL { FILTER NOT EXISTS { ?this <x:p>+ ?b } } }",
    ],
)
def test_dependent_negations_stay_filters(query: str) -> None:
    assert negations_as_minus(query) == query


def test_native_rule_needs_the_exact_text(generated_kg: KnowledgeGraph) -> None:
    shapes = shapes_for(["stackability-integrity"])
    checks = [c for p in compile_shapes(shapes.graph) for c in p.checks if c.native]
    assert [c.native for c in checks] == ["prerequisite-cycle"]
    assert (
        native_rule("SELECT $this WHERE { $this pw:prerequisite+ $this }", {"pw": str(PW)}) is None
    )
    assert native_rule(" ".join(_cycle_text(shapes.graph).split()), {"pw": "x:"}) is None


def _cycle_text(graph: Graph) -> str:
    from rdflib.namespace import SH

    from pathways.vocab import PWSH

    return str(graph.value(PWSH["PrerequisiteCycleShape-cycle"], SH.select))


def test_changed_cycle_text_runs_the_generic_query(generated_kg: KnowledgeGraph) -> None:
    """A constraint whose text differs from the known one gets no native evaluator."""
    from rdflib import Literal
    from rdflib.namespace import SH

    from pathways.vocab import PWSH

    shapes = shapes_for(["stackability-integrity"])
    graph = Graph()
    for triple in shapes.graph:
        graph.add(triple)
    node = PWSH["PrerequisiteCycleShape-cycle"]
    text = _cycle_text(graph).replace("FILTER EXISTS {", "FILTER EXISTS { # changed\n")
    graph.set((node, SH.select, Literal(text)))
    assert not [c for p in compile_shapes(graph) for c in p.checks if c.native]
    native = validate(generated_kg, shapes, method="compiled")
    generic = validate(generated_kg, graph, method="compiled")
    assert _full(native.results) == _full(generic.results)
