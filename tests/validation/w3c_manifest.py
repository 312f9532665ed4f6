"""Reading the W3C SHACL test suite manifests (used by tests/validation/test_w3c_suite.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.namespace import SH

from pathways.validation.results import ValidationResult, results_from_report_graph

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")


@dataclass(frozen=True)
class SuiteCase:
    """One sht:Validate entry: data and shapes files and the expected report."""

    name: str
    data: Path
    shapes: Path
    conforms: bool | None
    expected: tuple[ValidationResult, ...]
    failure_expected: bool


def _file(node: URIRef) -> Path:
    return Path(str(node).removeprefix("file://"))


def suite_cases(manifest: Path) -> list[SuiteCase]:
    """Every sht:Validate case reachable from a manifest file, sorted by name."""
    graph = Graph().parse(manifest, publicID=manifest.resolve().as_uri())
    cases: list[SuiteCase] = []
    for root in graph.subjects(RDF.type, MF.Manifest):
        for include in graph.objects(root, MF.include):
            path = _file(URIRef(str(include)))
            cases.extend(suite_cases(path) if path.name == "manifest.ttl" else _cases_in(path))
    cases.extend(_cases_in(manifest))
    return sorted(cases, key=lambda c: c.name)


def _cases_in(path: Path) -> list[SuiteCase]:
    graph = Graph().parse(path, publicID=path.resolve().as_uri())
    out = []
    for case in graph.subjects(RDF.type, SHT.Validate):
        action = graph.value(case, MF.action)
        result = graph.value(case, MF.result)
        data = _file(graph.value(action, SHT.dataGraph))  # type: ignore[arg-type]
        shapes = _file(graph.value(action, SHT.shapesGraph))  # type: ignore[arg-type]
        failure = result == SHT.Failure
        expected: list[ValidationResult] = []
        conforms = None
        if not failure and result is not None:
            conforms = bool(graph.value(result, SH.conforms).toPython())  # type: ignore[union-attr]
            expected = results_from_report_graph(graph, result)
        # "core/node/class-001": the suite (core or sparql), the folder, the file
        rel = path.relative_to(path.parents[2])
        out.append(
            SuiteCase(
                rel.with_suffix("").as_posix(), data, shapes, conforms, tuple(expected), failure
            )
        )
    return out
