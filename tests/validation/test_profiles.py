"""Shapes files that cannot pass silently: shape counts, unloaded ``owl:imports``, the
core default, "did you mean" for profiles.

Oracles: the shape count is pyshacl's (0.40.1, ``pyshacl.shapes_graph.ShapesGraph``,
which applies the definition of a shape in SHACL section 2.1) on the same graphs; the
import of the EU's EDC "full" profile is the ``owl:imports`` triple of
``EDC-generic-full.ttl`` (european-commission-empl/European-Learning-Model @
22dcce7b414ff13b5e653e1935321c30dc6a6a42 : ``rdf/ap/edc/``, see
``shared/external/SOURCES.md``), and the ontology IRI ``EDC-generic-no-cv.ttl``
declares for itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph

from pathways.errors import InputError, NotFoundError, UsageError
from pathways.validation import bundled_profiles, shapes_for
from pathways.validation.profiles import CORE_PROFILES, count_shapes, read_shapes_graph
from tests.constants import EXTERNAL, FIXTURES, ONTOLOGY, SHAPES

ELM = EXTERNAL / "elm"
needs_elm = pytest.mark.skipif(
    not (ELM / "EDC-generic-full.ttl").is_file(), reason="shared/external/elm is absent"
)
_EDC_FILES = ["EDC-generic-full.ttl", "EDC-generic-no-cv.ttl", "EDC-accredited.ttl"]


def _pyshacl_count(graph: Graph) -> int:
    from pyshacl.shapes_graph import ShapesGraph

    return len(ShapesGraph(graph).shapes)


@needs_elm
@pytest.mark.parametrize("name", [*_EDC_FILES, "LOQ-constraints.ttl"])
def test_shape_count_agrees_with_pyshacl_on_eu_shapes(name: str) -> None:
    graph = read_shapes_graph([ELM / name])
    assert count_shapes(graph) == _pyshacl_count(graph) > 0


@pytest.mark.parametrize("path", sorted(SHAPES.glob("*.ttl")), ids=lambda p: p.name)
def test_shape_count_agrees_with_pyshacl_on_bundled_files(path: Path) -> None:
    graph = read_shapes_graph([path])
    assert count_shapes(graph) == _pyshacl_count(graph)


def test_a_shapes_file_without_shapes_is_an_input_error(tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text("<urn:x:a> a <urn:x:C> .\n")
    with pytest.raises(InputError, match="defines no SHACL shapes") as err:
        shapes_for(files=[data])
    assert err.value.exit_code == 2 and "data.ttl" in str(err.value)
    # the same file beside a real shapes file is still refused: it was given as shapes
    with pytest.raises(InputError, match=r"data\.ttl"):
        shapes_for(files=[FIXTURES / "validation" / "profiles" / "base.ttl", data])


@needs_elm
def test_unloaded_import_is_a_warning_naming_it_and_how_to_supply_it() -> None:
    full = read_shapes_graph([ELM / "EDC-generic-full.ttl"])
    (imported,) = set(full.objects(None, OWL.imports))  # the reference: the file itself
    shapes = shapes_for(files=[ELM / "EDC-generic-full.ttl"])
    (warning,) = shapes.warnings
    assert f"<{imported}>" in warning and "EDC-generic-full.ttl" in warning
    assert "--shapes" in warning and "not loaded" in warning


@needs_elm
def test_import_supplied_with_shapes_is_no_warning() -> None:
    no_cv = read_shapes_graph([ELM / "EDC-generic-no-cv.ttl"])
    full = read_shapes_graph([ELM / "EDC-generic-full.ttl"])
    assert set(full.objects(None, OWL.imports)) <= set(no_cv.subjects(RDF.type, OWL.Ontology))
    both = shapes_for(files=[ELM / "EDC-generic-full.ttl", ELM / "EDC-generic-no-cv.ttl"])
    assert both.warnings == ()
    assert both.shape_count == _pyshacl_count(both.graph)


def test_no_profile_and_no_file_is_the_core_only_when_asked() -> None:
    with pytest.raises(UsageError):
        shapes_for()
    core = shapes_for(default_core=True)
    assert core.default and set(CORE_PROFILES) <= set(core.profiles)
    assert set(CORE_PROFILES) <= set(bundled_profiles())  # the core names real profiles
    assert not shapes_for(list(CORE_PROFILES)).default
    assert core.shape_count == shapes_for(list(CORE_PROFILES)).shape_count > 0


def test_unknown_profile_suggests_the_closest() -> None:
    with pytest.raises(NotFoundError) as err:
        shapes_for(["conditionalty"])
    assert "did you mean 'conditionality'?" in str(err.value)
    with pytest.raises(NotFoundError) as far:
        shapes_for(["zzz"])
    assert "did you mean" not in str(far.value) and "known profiles" in str(far.value)


def test_importing_the_bundled_ontology_is_no_warning(tmp_path: Path) -> None:
    """The ontology is always loaded with the data, so importing it hides nothing."""
    ontology = read_shapes_graph(sorted(ONTOLOGY.glob("*.ttl")))
    iri = next(iter(ontology.subjects(RDF.type, OWL.Ontology)))
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        f"<urn:x:shapes> a owl:Ontology ; owl:imports <{iri}>, <urn:x:elsewhere> .\n"
        "<urn:x:S> sh:targetNode <urn:x:a> ; sh:class <urn:x:C> .\n"
    )
    (warning,) = shapes_for(files=[shapes]).warnings
    assert "<urn:x:elsewhere>" in warning and str(iri) not in warning
