"""The W3C SHACL test suite (core and SHACL-SPARQL), run through ``pathways validate``.

Oracle: the expected ``sh:ValidationReport`` of each case in the W3C data-shapes
test suite (w3c/data-shapes @ ff9edb9c85375498b49391fb65ef3ff6525ebe08,
``data-shapes-test-suite/tests/core`` and ``.../sparql``, copied to
``shared/external/shacl-test-suite``), and pyshacl (the peer tool) on the same files.

Each case runs ``pathways validate DATA --shapes SHAPES --format turtle`` in-process
with click's CliRunner -- the command, the Oxigraph store (which always holds the
ontology too) and the engine -- and the Turtle report it prints is parsed back. A case
passes when ``sh:conforms`` agrees and the *multiset* of results agrees on focus node,
path, value, severity, source shape and component (messages are not compared, as the
suite allows; blank nodes match any blank node, complex paths are compared by their
structure). A case whose expected result is ``sht:Failure`` passes when the command
refuses the input (exit 2); for pyshacl, when it raises or returns its
``ValidationFailure``.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, Literal
from rdflib.namespace import SH

from pathways.cli import main
from pathways.validation.results import ValidationResult, results_from_report_graph
from tests.constants import EXTERNAL
from tests.validation.w3c_manifest import SuiteCase, suite_cases

SUITE = EXTERNAL / "shacl-test-suite"
MANIFESTS = (SUITE / "core" / "manifest.ttl", SUITE / "sparql" / "manifest.ttl")

#: Cases ``pathways validate`` fails, and why. The test asserts exactly these fail.
EXPECTED_FAILURES = {
    "sparql/pre-binding/shapesGraph-001": (
        "$shapesGraph needs the shapes graph as a named graph of the data's SPARQL "
        "dataset; the store holds the data only (pyshacl does not support it either)"
    ),
}

#: Cases pyshacl 0.40.1 (the peer tool) fails, and why. The test asserts exactly these fail.
PYSHACL_FAILURES = {
    "core/property/uniqueLang-002": (
        'pyshacl reads sh:uniqueLang "1"^^xsd:boolean as true; the case says only the '
        "value true activates the constraint"
    ),
    "sparql/pre-binding/shapesGraph-001": "pyshacl does not support $shapesGraph",
}

_VALIDATOR = (
    "pyshacl on the Oxigraph store passes parameters as Oxigraph substitutions, which "
    "must be projected variables; a validator's query does not project them"
)
_SUBSTITUTION = (
    "pyshacl on the Oxigraph store pre-binds $this as an Oxigraph substitution, which "
    "does not reach a nested group or BIND as SHACL's pre-binding does: no result"
)

#: Cases ``pathways validate --method pyshacl`` (pyshacl's shape validation over the
#: Oxigraph store, the engine's fallback) fails, and why; the default method passes them.
PYSHACL_METHOD_FAILURES = {
    "core/property/uniqueLang-002": PYSHACL_FAILURES["core/property/uniqueLang-002"],
    "sparql/component/optional-001": _VALIDATOR,
    "sparql/component/propertyValidator-select-001": _VALIDATOR,
    "sparql/component/validator-001": _VALIDATOR,
    "sparql/node/prefixes-001": (
        "pyshacl on the Oxigraph store does not declare the prefixes of ontologies "
        "reached through owl:imports: Oxigraph rejects test:Value"
    ),
    "sparql/pre-binding/pre-binding-003": _SUBSTITUTION,
    "sparql/pre-binding/pre-binding-004": _SUBSTITUTION,
    "sparql/pre-binding/pre-binding-005": _SUBSTITUTION,
    "sparql/pre-binding/shapesGraph-001": PYSHACL_FAILURES["sparql/pre-binding/shapesGraph-001"],
}

#: Cases pyshacl passes and we may not (none: every case pyshacl passes, we pass).
OWNED_ELSEWHERE: set[str] = set()

CASES = [case for m in MANIFESTS if m.is_file() for case in suite_cases(m)]
IDS = [case.name for case in CASES]
BY_NAME = {case.name: case for case in CASES}


@dataclass(frozen=True)
class Outcome:
    """What a validator made of a case: refused it, or its conformance and results."""

    refused: bool
    conforms: bool | None = None
    results: tuple[ValidationResult, ...] = ()

    def agrees_with(self, case: SuiteCase) -> bool:
        """Whether this outcome is the one the case expects (results as multisets)."""
        if case.failure_expected or self.refused:
            return case.failure_expected and self.refused
        return self.conforms == case.conforms and _multiset(self.results) == _multiset(
            case.expected
        )


def _multiset(results: tuple[ValidationResult, ...]) -> Counter[tuple[str, ...]]:
    return Counter(r.key() for r in results)


def _report(graph: Graph) -> Outcome:
    (report,) = graph.subjects(RDF.type, SH.ValidationReport)
    conforms = graph.value(report, SH.conforms)
    assert isinstance(conforms, Literal), "the report lacks sh:conforms"
    results = results_from_report_graph(graph, report)
    return Outcome(False, bool(conforms.toPython()), tuple(results))


def ours(case: SuiteCase, method: str = "auto") -> Outcome:
    """``pathways validate`` on the case, through the CLI in this process."""
    args = ["validate", str(case.data), "--shapes", str(case.shapes), "--format", "turtle"]
    result = CliRunner().invoke(main, [*args, "--method", method])
    if result.exit_code == 2:  # the command refused the input (a usage or input error)
        return Outcome(True)
    assert result.exit_code in (0, 1), result.output or repr(result.exception)
    return _report(Graph().parse(data=result.stdout, format="turtle"))


@functools.cache
def peer(name: str) -> Outcome:
    """pyshacl's own ``validate`` on the case's files (no inference), read the same way."""
    import pyshacl

    case = BY_NAME[name]
    try:
        data = Graph().parse(case.data, publicID=case.data.resolve().as_uri())
        shapes = Graph().parse(case.shapes, publicID=case.shapes.resolve().as_uri())
        _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    except Exception:  # pyshacl's ReportableRuntimeError, ShapeLoadError and friends
        return Outcome(True)
    if not isinstance(report, Graph):  # pyshacl returns its ValidationFailure
        return Outcome(True)
    return _report(report)


@pytest.mark.skipif(not CASES, reason="the shared W3C suite is not present")
def test_suite_is_read() -> None:
    assert sum(c.name.startswith("core/") for c in CASES) == 98
    assert sum(c.name.startswith("sparql/") for c in CASES) == 22


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case(case: SuiteCase) -> None:
    passed = ours(case).agrees_with(case)
    if case.name in EXPECTED_FAILURES:
        assert not passed, f"now passes, remove it from EXPECTED_FAILURES: {case.name}"
    else:
        assert passed


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case_with_pyshacl_method(case: SuiteCase) -> None:
    """The fallback engine alone: what it cannot do is what the compiler must."""
    passed = ours(case, "pyshacl").agrees_with(case)
    if case.name in PYSHACL_METHOD_FAILURES:
        assert not passed, f"now passes, remove it from PYSHACL_METHOD_FAILURES: {case.name}"
    else:
        assert passed


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_peer_case(case: SuiteCase) -> None:
    """pyshacl's outcome is recorded, so a pyshacl upgrade that changes it is noticed."""
    passed = peer(case.name).agrees_with(case)
    if case.name in PYSHACL_FAILURES:
        assert not passed, f"pyshacl now passes, remove it from PYSHACL_FAILURES: {case.name}"
    else:
        assert passed


def test_we_pass_whatever_pyshacl_passes() -> None:
    """Every case we fail is one pyshacl fails too, or one another branch owns."""
    assert set(EXPECTED_FAILURES) - set(PYSHACL_FAILURES) <= OWNED_ELSEWHERE
    assert all(reason for reason in [*EXPECTED_FAILURES.values(), *PYSHACL_FAILURES.values()])
