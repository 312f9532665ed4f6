"""Every shape against its example files: valid ones conform, invalid ones fail as stated.

Each file under ``tests/fixtures/shapes/{valid,invalid}/<profile>/`` is one small case named
after the shape it exercises. Its header states the expectation::

    # expect: profile=eu-standard-elements
    # expect: focus=ex:mc path=pw:title severity=Violation shape=pwsh:MicroCredentialShape-title

``path`` is written as SHACL paths read: ``a/b`` a sequence, ``a|b`` alternatives, ``-`` no
path. ``shape`` names the result's ``sh:sourceShape`` or, for SHACL-SPARQL, its
``sh:sourceConstraint``. Valid files say ``conforms`` and must produce no result at all from
the named node shape. Validation is plain pyshacl over the example plus ``ontology/*.ttl``,
with the profile's shapes and, recursively, the shapes of the profiles it includes.

The helpers here are also used by ``test_shapes_pilot.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyshacl
import pytest
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.plugins.sparql import processor
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from tests.constants import FIXTURES, ONTOLOGY, SHAPES

SH = Namespace("http://www.w3.org/ns/shacl#")
PWSH = Namespace("https://w3id.org/pathways/shapes#")
EXAMPLES = FIXTURES / "shapes"
QNAMES = {
    "ex": "https://example.org/fixture/",
    "pw": "https://w3id.org/pathways/vocab#",
    "pwsh": str(PWSH),
    "pilot": "https://w3id.org/pathways/pilot/",
}


@dataclass(frozen=True)
class Result:
    """One validation result, with its terms written as prefixed names."""

    focus: str
    path: str
    severity: str
    shapes: frozenset[str]
    message: str


@dataclass(frozen=True)
class Expectation:
    """What an example file's header says."""

    profile: str
    conforms: bool
    shape: str
    results: tuple[tuple[str, str, str, str], ...]


def qname(node: Node | None) -> str:
    """Write an IRI with the test prefixes (``ex:``, ``pw:``, ``pwsh:``, ``pilot:``)."""
    text = str(node)
    for prefix, namespace in QNAMES.items():
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text


def path_text(graph: Graph, path: Node | None) -> str:
    """Write a SHACL property path compactly: ``a/b`` sequence, ``a|b`` alternatives."""
    if path is None:
        return "-"
    if isinstance(path, URIRef):
        return qname(path)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(path_text(graph, p) for p in Collection(graph, alternatives))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + path_text(graph, inverse)
    if graph.value(path, RDF.first) is not None:
        return "/".join(path_text(graph, p) for p in Collection(graph, path))
    raise AssertionError(f"unexpected path node {path!r}")


@cache
def _prepared(text: str, base: str | None, namespaces: tuple[tuple[str, Any], ...]) -> Query:
    return translateQuery(parseQuery(text), base, dict(namespaces))


def _query_with_prepared_text(
    self: processor.SPARQLProcessor,
    query: str | Query,
    initBindings: Mapping[str, Any] | None = None,
    initNs: Mapping[str, Any] | None = None,
    base: str | None = None,
    DEBUG: bool = False,
) -> Mapping[str, Any]:
    if isinstance(query, str):
        query = _prepared(query, base, tuple(sorted((initNs or {}).items())))
    return evalQuery(self.graph, query, initBindings, base)


@pytest.fixture(autouse=True, scope="module")
def prepared_sparql() -> Iterator[None]:
    """Parse each SHACL-SPARQL text once per test module instead of once per focus node.

    pyshacl hands rdflib the query text for every focus node and rdflib parses it again each
    time (most of the time on small examples). A prepared rdflib query is meant to be reused
    with other bindings, so this changes speed, not results.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(processor.SPARQLProcessor, "query", _query_with_prepared_text)
        yield


@cache
def ontology_graph() -> Graph:
    """The ontology and vocabularies, parsed once."""
    graph = Graph()
    for path in sorted(ONTOLOGY.glob("*.ttl")):
        graph.parse(path)
    return graph


def profile_files(profile: str) -> list[Path]:
    """The profile's file and, recursively, the files of the profiles it includes."""
    found: list[Path] = []
    pending = [profile]
    while pending:
        name = pending.pop()
        path = SHAPES / f"{name}.ttl"
        if path in found:
            continue
        found.append(path)
        pending.extend(str(o) for o in Graph().parse(path).objects(None, PWSH.includesProfile))
    return found


@cache
def profile_graph(profile: str) -> Graph:
    """The shapes graph of a profile, includes resolved."""
    graph = Graph()
    for path in profile_files(profile):
        graph.parse(path)
    return graph


@cache
def validate_file(path: Path, profile: str) -> tuple[bool, tuple[Result, ...]]:
    """Validate one example file with a profile (once per test session)."""
    conforms, results = validate(Graph().parse(path), profile)
    return conforms, tuple(results)


def validate(data: Graph, profile: str) -> tuple[bool, list[Result]]:
    """Validate ``data`` (the ontology added) with plain pyshacl and the profile's shapes."""
    data_graph = Graph()
    data_graph += ontology_graph()
    data_graph += data
    conforms, report, _ = pyshacl.validate(
        data_graph,
        shacl_graph=profile_graph(profile),
        advanced=True,
        inference="none",
        allow_warnings=True,
    )
    assert isinstance(report, Graph)
    results = []
    for result in report.objects(None, SH.result):  # top level, not sh:detail
        sources = {
            qname(s)
            for s in (
                report.value(result, SH.sourceShape),
                report.value(result, SH.sourceConstraint),
            )
            if isinstance(s, URIRef)
        }
        message = report.value(result, SH.resultMessage)
        results.append(
            Result(
                focus=qname(report.value(result, SH.focusNode)),
                path=path_text(report, report.value(result, SH.resultPath)),
                severity=qname(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                shapes=frozenset(sources),
                message=str(message) if isinstance(message, Literal) else "",
            )
        )
    return bool(conforms), results


def read_expectation(path: Path) -> Expectation:
    """Parse the ``# expect:`` lines of an example file."""
    profile, conforms, shape = "", False, ""
    results = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("# expect:"):
            continue
        words = line.removeprefix("# expect:").split()
        fields = dict(w.split("=", 1) for w in words if "=" in w)
        if "focus" in fields:
            results.append((fields["focus"], fields["path"], fields["severity"], fields["shape"]))
        else:
            profile = fields.get("profile", profile)
            shape = fields.get("shape", shape)
            conforms = conforms or "conforms" in words
    assert profile, f"{path.name}: no '# expect: profile=' line"
    return Expectation(profile, conforms, shape, tuple(results))


def examples(kind: str) -> list[Path]:
    return sorted((EXAMPLES / kind).rglob("*.ttl"))


def example_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("path", examples("invalid"), ids=example_id)
def test_invalid_example_fails_where_stated(path: Path) -> None:
    expectation = read_expectation(path)
    assert expectation.results, f"{path.name} states no expected result"
    conforms, results = validate_file(path, expectation.profile)
    for focus, result_path, severity, shape in expectation.results:
        matching = [
            r
            for r in results
            if r.focus == focus
            and r.path == result_path
            and r.severity == severity
            and shape in r.shapes
        ]
        assert matching, (
            f"expected {severity} at {focus} {result_path} from {shape}; got\n"
            + "\n".join(f"  {r.severity} {r.focus} {r.path} {sorted(r.shapes)}" for r in results)
        )
        assert all(m.message and "{" not in m.message for m in matching), matching
    if any(severity == "Violation" for _, _, severity, _ in expectation.results):
        assert not conforms


@pytest.mark.parametrize("path", examples("valid"), ids=example_id)
def test_valid_example_conforms(path: Path) -> None:
    expectation = read_expectation(path)
    assert expectation.conforms and expectation.shape, f"{path.name}: say 'conforms shape=...'"
    conforms, results = validate_file(path, expectation.profile)
    violations = [r for r in results if r.severity == "Violation"]
    assert conforms and not violations, violations
    own = [
        r
        for r in results
        if any(s == expectation.shape or s.startswith(expectation.shape + "-") for s in r.shapes)
    ]
    assert not own, own


def test_every_shape_has_a_valid_and_an_invalid_example() -> None:
    """Each named node shape has a valid file; each constraint it holds has an invalid one."""
    valid_names = {p.stem.split("-")[0] for p in examples("valid")}
    invalid_names = {p.stem for p in examples("invalid")}
    for path in sorted(SHAPES.glob("*.ttl")):
        graph = Graph().parse(path)
        for shape in graph.subjects(RDF.type, SH.NodeShape):
            if isinstance(shape, BNode):
                continue
            name = qname(shape).removeprefix("pwsh:")
            assert name in valid_names, f"no valid example for {name}"
            parts = [*graph.objects(shape, SH.property), *graph.objects(shape, SH.sparql)]
            own = [qname(p).removeprefix("pwsh:") for p in parts] or [name]
            for part in own:
                assert any(n == part or n.startswith(part + "-") for n in invalid_names), (
                    f"no invalid example for {part}"
                )
