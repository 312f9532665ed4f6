"""``pathways validate`` gives the same results as pyshacl run directly (issue 11).

The oracle is pyshacl 0.40 (RDFLib/pySHACL) on an rdflib graph parsed from the same
files: the data, plus the bundled ontology that ``pathways validate`` always holds.
Results are compared as multisets of (focus, path, value, source shape, component,
severity), read from both SHACL report graphs (the command's ``--format turtle``);
blank nodes compare by structure (a path) or not at all (a shape).

(a) Every EU shapes file of ``shared/external/elm`` (european-commission-empl/
European-Learning-Model @ 22dcce7b414ff13b5e653e1935321c30dc6a6a42, ``rdf/ap/edc/``
and ``rdf/ap/loq/``) over every ELM sample there (``rdf/samples/credential-sample.ttl``
of that commit; ``Credentials/JSON-LD Examples (ELM v3)/Sample-MC-Annex1-unsigned.jsonld``
@ 9d7c5d22002237c3afeb1750b7038e6fe2cdd371). A shapes file that ``owl:imports``
another is given with it (EDC full imports no-cv, accredited imports full).

- The JSON-LD sample names two remote contexts. Nothing is fetched: the test writes
  the document with its ``@context`` replaced by local objects, the EU's
  ``edc-ap-context.jsonld`` (same commit, ``rdf/ap/edc/``) and the W3C VC v1 context
  (the packaged copy of https://www.w3.org/2018/credentials/v1), and both sides read
  that one file.
- The ``\\p{L}`` trap (SOURCES.md): the LOQ shapes' ``sh:pattern`` values use Java
  regex syntax (``\\p{L}``, nested classes ``[%[\\p{L}]]``, ``^(?i)``) that Python's
  ``re`` rejects, so pyshacl raises on them as published. pyshacl is made to read
  them the way a pyshacl user would: its shapes graph gets the patterns rewritten
  into Python syntax (:func:`pathways.validation.profiles.translate_patterns`, the
  rewrite ``pathways validate`` applies too); every other triple is as published.

(b) Every bundled profile (``pathways profiles``) over the pilot data (``data/``).

The EU's own no-cv profile over the EU's own sample credential is the case that
found the bug: Oxigraph stored ``elm:page "1"^^xsd:positiveInteger`` as
``xsd:integer`` and the command reported a violation that pyshacl does not.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyshacl
import pytest
from click.testing import CliRunner
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.cli import main
from pathways.interop.documents import packaged_context
from pathways.validation.profiles import bundled_profiles, translate_patterns
from tests.constants import DATA, EXTERNAL, ONTOLOGY
from tests.validation.test_shapes_examples import profile_files

ELM = EXTERNAL / "elm"

#: Each EU shapes file, with the files it owl:imports (supplied with it).
SHAPE_SETS: dict[str, tuple[str, ...]] = {
    "EDC-generic-no-cv": ("EDC-generic-no-cv.ttl",),
    "EDC-generic-full": ("EDC-generic-full.ttl", "EDC-generic-no-cv.ttl"),
    "EDC-accredited": ("EDC-accredited.ttl", "EDC-generic-full.ttl", "EDC-generic-no-cv.ttl"),
    "LOQ-constraints": ("LOQ-constraints.ttl",),
    "LOQ-constraints-mdr": ("LOQ-constraints-mdr.ttl",),
}
SAMPLES = ("sample-credential.ttl", "sample-microcredential-annex1.jsonld")

needs_elm = pytest.mark.skipif(
    not (ELM / "EDC-generic-no-cv.ttl").is_file(), reason="shared/external/elm is not present"
)

Key = tuple[str, str, str, str, str, str]


def _term(graph: Graph, node: Node | None) -> str:
    """A comparison text for a term: N-Triples form; a blank node by its SHACL path
    structure (or an RDF list of them), else just ``_:``."""
    if node is None:
        return ""
    if isinstance(node, BNode):
        if graph.value(node, RDF.first) is not None:
            return "(" + " ".join(_term(graph, n) for n in Collection(graph, node)) + ")"
        for op in (SH.inversePath, SH.alternativePath, SH.zeroOrMorePath):
            inner = graph.value(node, op)
            if inner is not None:
                return f"{op.n3()}[{_term(graph, inner)}]"
        for op in (SH.oneOrMorePath, SH.zeroOrOnePath):
            inner = graph.value(node, op)
            if inner is not None:
                return f"{op.n3()}[{_term(graph, inner)}]"
        return "_:"
    return node.n3()


def _results(report: Graph) -> Counter[Key]:
    """The top-level results of a SHACL validation report, as a multiset."""
    found: Counter[Key] = Counter()
    for result in report.objects(None, SH.result):
        found[
            (
                _term(report, report.value(result, SH.focusNode)),
                _term(report, report.value(result, SH.resultPath)),
                _term(report, report.value(result, SH.value)),
                _term(report, report.value(result, SH.sourceShape)),
                _term(report, report.value(result, SH.sourceConstraintComponent)),
                _term(report, report.value(result, SH.resultSeverity)),
            )
        ] += 1
    return found


def _ontology() -> Graph:
    graph = Graph()
    for path in sorted(ONTOLOGY.glob("*.ttl")):
        graph.parse(path)
    return graph


def _pyshacl(data_files: list[Path], shapes: Graph) -> tuple[bool, Counter[Key]]:
    data = _ontology()
    for path in data_files:
        data.parse(path, format="json-ld" if path.suffix == ".jsonld" else None)
    conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    assert isinstance(report, Graph)
    return bool(conforms), _results(report)


def _command(args: list[str]) -> tuple[int, Counter[Key]]:
    result = CliRunner().invoke(main, ["validate", *args, "--format", "turtle"])
    assert result.exit_code in (0, 1), result.output
    report = Graph().parse(data=result.stdout, format="turtle")
    return result.exit_code, _results(report)


def _local_jsonld(path: Path, folder: Path) -> Path:
    """The JSON-LD sample with its remote contexts replaced by local context objects."""
    document = json.loads(path.read_text(encoding="utf-8"))
    local = {
        "https://www.w3.org/2018/credentials/v1": packaged_context("vc-v1.json"),
        "http://data.europa.eu/snb/model/context/edc-ap": json.loads(
            (ELM / "edc-ap-context.jsonld").read_text(encoding="utf-8")
        )["@context"],
    }
    contexts = document["@context"]
    document["@context"] = [local[c] for c in contexts]
    out = folder / path.name
    out.write_text(json.dumps(document), encoding="utf-8")
    return out


def _sample(name: str, folder: Path) -> Path:
    path = ELM / name
    return _local_jsonld(path, folder) if path.suffix == ".jsonld" else path


@needs_elm
@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("shape_set", sorted(SHAPE_SETS))
def test_eu_shapes_match_pyshacl(shape_set: str, sample: str, tmp_path: Path) -> None:
    data = _sample(sample, tmp_path)
    files = [ELM / f for f in SHAPE_SETS[shape_set]]
    shapes = Graph()
    for path in files:
        shapes.parse(path)
    translate_patterns(shapes)  # the \p{L} trap: see the module docstring
    conforms, expected = _pyshacl([data], shapes)
    args = [str(data)]
    for path in files:
        args += ["--shapes", str(path)]
    code, got = _command(args)
    assert got == expected
    assert code == (0 if conforms else 1)


@needs_elm
def test_the_eu_sample_conforms_to_the_eu_no_cv_profile() -> None:
    """The case of the issue, spelled out: pyshacl finds the EU's sample credential
    conforms to the EU's no-cv profile, so the command must too (it reported
    ``elm:page`` "1" as not an xsd:positiveInteger)."""
    shapes = Graph().parse(ELM / "EDC-generic-no-cv.ttl")
    conforms, expected = _pyshacl([ELM / "sample-credential.ttl"], shapes)
    assert conforms and not expected
    code, got = _command(
        [str(ELM / "sample-credential.ttl"), "--shapes", str(ELM / "EDC-generic-no-cv.ttl")]
    )
    assert (code, got) == (0, Counter())


PROFILES = sorted(bundled_profiles())


@pytest.mark.parametrize("profile", PROFILES)
def test_bundled_profiles_match_pyshacl_on_the_pilot_data(profile: str) -> None:
    shapes = Graph()
    for path in profile_files(profile):
        shapes.parse(path)
    translate_patterns(shapes)
    conforms, expected = _pyshacl(sorted(DATA.glob("*.ttl")), shapes)
    code, got = _command(["--profile", profile])
    assert got == expected
    assert code == (0 if conforms else 1)


def test_literal_keys_keep_datatype_and_lexical_form() -> None:
    """The comparison itself tells "1"^^xsd:positiveInteger from "1"^^xsd:integer and
    "4.0" from "4" (otherwise the tests above could not fail on this issue)."""
    graph = Graph()
    assert _term(graph, Literal("1", datatype=URIRef(str(SH) + "x"))) != _term(graph, Literal("1"))
    decimal = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
    assert _term(graph, Literal("4.0", datatype=decimal)) != _term(
        graph, Literal("4", datatype=decimal)
    )
