"""The validation engine: compiled SPARQL and pyshacl give the same results."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from pathways.errors import InputError, NotFoundError, UsageError
from pathways.rdf.resources import ontology_files
from pathways.rdf.store import KnowledgeGraph
from pathways.validation import bundled_profiles, shapes_for, validate
from pathways.validation.answers import Subclasses
from pathways.validation.compile import compile_shapes
from pathways.validation.patterns import UnsupportedPattern, python_pattern
from pathways.validation.render import render
from pathways.validation.results import ValidationReport, results_from_report_graph
from tests.constants import EXTERNAL, FIXTURES

HERE = FIXTURES / "validation"
PROFILES = HERE / "profiles"
EX = "https://example.org/test/"


def _kg(*files: Path) -> KnowledgeGraph:
    kg = KnowledgeGraph.open()
    kg.load(list(files))
    return kg


def _full(results: object) -> Counter[tuple[object, ...]]:
    """Results with their messages as a multiset: SHACL reports one result per
    constraint and evaluation, so equal-looking results must agree in number too."""
    return Counter((*r.key(), r.messages) for r in results)  # type: ignore[attr-defined]


def _compiled_like_pyshacl(tmp_path: Path, shapes_text: str, data_text: str) -> ValidationReport:
    """Validate with every shape compiled, assert pyshacl finds the same, return it."""
    (tmp_path / "shapes.ttl").write_text(shapes_text, encoding="utf-8")
    (tmp_path / "data.ttl").write_text(data_text, encoding="utf-8")
    kg = _kg(tmp_path / "data.ttl")
    shapes = shapes_for(files=[tmp_path / "shapes.ttl"])
    compiled = validate(kg, shapes, method="compiled")
    reference = validate(kg, shapes, method="pyshacl")
    assert _full(compiled.results) == _full(reference.results)
    return compiled


def test_profile_includes_are_resolved() -> None:
    shapes = shapes_for(["test-extended"], folder=PROFILES)
    assert shapes.profiles == ("test-extended", "test-base")


def test_unknown_profile_names_the_known_ones() -> None:
    with pytest.raises(NotFoundError, match="test-base"):
        shapes_for(["nope"], folder=PROFILES)


def test_nothing_to_validate_against_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        shapes_for()


def test_broken_shapes_file_names_file_and_line() -> None:
    with pytest.raises(InputError) as err:
        shapes_for(files=[HERE / "broken-shapes.ttl"])
    assert err.value.path is not None and err.value.path.endswith("broken-shapes.ttl")
    assert err.value.line == 5


@pytest.mark.parametrize(
    ("focus", "path", "component"),
    [
        (EX + "untitled", "pw:title", SH.MinCountConstraintComponent),
        (EX + "untitled", "pw:prerequisite", SH.ClassConstraintComponent),
        (EX + "untitled", None, SH.SPARQLConstraintComponent),
        (EX + "hours", "pw:notionalHours", SH.MaxCountConstraintComponent),
        (EX + "hours", "pw:notionalHours", SH.DatatypeConstraintComponent),
        (EX + "hours", "pw:notionalHours", SH.MinExclusiveConstraintComponent),
    ],
)
def test_invalid_example_reports_focus_and_path(
    focus: str, path: str | None, component: URIRef
) -> None:
    report = validate(_kg(HERE / "invalid.ttl"), shapes_for(["test-extended"], folder=PROFILES))
    expected = (
        None if path is None else URIRef(path.replace("pw:", "https://w3id.org/pathways/vocab#"))
    )
    assert any(
        str(r.focus) == focus and r.path == expected and r.component == component
        for r in report.results
    )


def test_valid_example_conforms() -> None:
    report = validate(_kg(HERE / "valid.ttl"), shapes_for(["test-extended"], folder=PROFILES))
    assert report.conforms
    assert len(report.checked) == 2


@pytest.mark.parametrize("data", ["valid.ttl", "invalid.ttl"])
def test_compiled_equals_pyshacl_inside_engine(data: str) -> None:
    kg = _kg(HERE / data)
    shapes = shapes_for(["test-extended"], folder=PROFILES)
    compiled = validate(kg, shapes, method="compiled")
    reference = validate(kg, shapes, method="pyshacl")
    assert _full(compiled.results) == _full(reference.results)
    assert all(row[1] == "compiled" for row in compiled.plan)


_LEXICAL_AND_LANG_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/test/> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
  sh:property [ sh:path ex:period ; sh:datatype xsd:duration ] ,
              [ sh:path ex:year ; sh:datatype xsd:gYear ] ,
              [ sh:path ex:title ; sh:uniqueLang true ] ,
              [ sh:path ex:note ; sh:uniqueLang false ] .
"""

_LEXICAL_AND_LANG_DATA = """
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/test/> .
ex:good a ex:C ; ex:period "P1Y6M"^^xsd:duration ; ex:year "2024"^^xsd:gYear ;
  ex:title "a"@en, "b"@fi ; ex:note "x"@en, "y"@en .
ex:bad a ex:C ; ex:period "one year"^^xsd:duration, "P2Y", ex:iri ;
  ex:year "20x4"^^xsd:gYear, "2024"^^xsd:gYearMonth ;
  ex:title "a"@en, "b"@EN, "c"@fi, "d"@fi, "e" .
"""


def test_lexical_datatypes_and_unique_lang_compile_like_pyshacl(tmp_path: Path) -> None:
    """sh:datatype for types SPARQL cannot parse (rdflib decides) and sh:uniqueLang
    run compiled and give pyshacl's results. rdflib has no parser for xsd:gYear, so
    neither engine rejects "20x4"^^xsd:gYear."""
    compiled = _compiled_like_pyshacl(tmp_path, _LEXICAL_AND_LANG_SHAPES, _LEXICAL_AND_LANG_DATA)
    found = {(str(r.focus), str(r.component).split("#")[1], str(r.value)) for r in compiled.results}
    assert found == {
        (EX + "bad", "DatatypeConstraintComponent", "one year"),
        (EX + "bad", "DatatypeConstraintComponent", "P2Y"),
        (EX + "bad", "DatatypeConstraintComponent", EX + "iri"),
        (EX + "bad", "DatatypeConstraintComponent", "2024"),
        (EX + "bad", "UniqueLangConstraintComponent", "None"),
    }


_SHARED_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/test/> .
ex:Title a sh:PropertyShape ; sh:path ex:title ; sh:minCount 1 ; sh:maxCount 1 ;
  sh:message "Give one title." .
ex:A a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:Title ;
  sh:property [ sh:path ex:kind ; sh:class ex:K1, ex:K2 ; sh:message "Wrong kind." ] ,
              [ sh:path ex:code ; sh:minCount 1 ] .
ex:B a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:Title ;
  sh:node ex:Coded .
ex:Coded a sh:NodeShape ; sh:property [ sh:path ex:code ; sh:minCount 1 ; sh:severity sh:Info ] .
ex:Q a sh:NodeShape ; sh:targetClass ex:C ;
  sh:property [ sh:path ex:part ; sh:qualifiedValueShape [ sh:class ex:K1 ] ;
                sh:qualifiedMinCount 2 ; sh:qualifiedMaxCount 2 ; sh:message "Two K1 parts." ] .
"""

_SHARED_DATA = """
@prefix ex: <https://example.org/test/> .
ex:a a ex:C ; ex:kind ex:other ; ex:part ex:k, ex:other .
ex:b a ex:C ; ex:title "b", "bee" ; ex:code "1" ; ex:kind ex:k ; ex:part ex:k, ex:k2, ex:k3 .
ex:k a ex:K1 . ex:k2 a ex:K1 . ex:k3 a ex:K1 .
"""


def test_shared_shapes_merged_checks_and_memoised_node(tmp_path: Path) -> None:
    """A property shape shared by two node shapes, two sh:class on one path with one
    message, checks merged into one query, sh:node and qualified counts answered by
    the node shape's own checks: the same results as pyshacl, as many times. Oracle:
    pyshacl.validate on the same files (the counts below are its report's), and the
    W3C suite's rule that a shape reached twice reports twice and each sh:class
    value is a constraint of its own (core/validation-reports/shared,
    core/node/class-003 at w3c/data-shapes ff9edb9c)."""
    compiled = _compiled_like_pyshacl(tmp_path, _SHARED_SHAPES, _SHARED_DATA)
    graph = Graph().parse(tmp_path / "data.ttl")
    for file in ontology_files():
        graph.parse(file)
    shapes = Graph().parse(tmp_path / "shapes.ttl")
    _conforms, report_graph, _text = pyshacl.validate(graph, shacl_graph=shapes)
    peer = Counter(r.key() for r in results_from_report_graph(report_graph))
    assert Counter(r.key() for r in compiled.results) == peer
    found = sorted(
        (str(r.focus)[len(EX) :], str(r.component).split("#")[1][: -len("ConstraintComponent")])
        for r in compiled.results
    )
    assert found == [
        ("a", "Class"),  # ex:other is neither a K1 nor a K2: two results
        ("a", "Class"),
        ("a", "MinCount"),  # ex:Title, reached from ex:A and from ex:B
        ("a", "MinCount"),
        ("a", "MinCount"),  # ex:code of ex:A
        ("a", "Node"),
        ("a", "QualifiedMinCount"),
        ("b", "Class"),
        ("b", "MaxCount"),  # ex:Title, reached from ex:A and from ex:B
        ("b", "MaxCount"),
        ("b", "QualifiedMaxCount"),
    ]


_RESTATED_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/test/> .
ex:One a sh:NodeShape ; sh:targetClass ex:C ;
  sh:property [ sh:path ( ex:assessment ex:type ) ; sh:minCount 1 ; sh:message "One: type." ] ,
              [ sh:path ex:code ; sh:maxCount 1 ; sh:message "One: code." ] .
ex:Two a sh:NodeShape ; sh:targetClass ex:C ;
  sh:property [ sh:path ( ex:assessment ex:type ) ; sh:minCount 1 ; sh:severity sh:Warning ;
                sh:message "Two: type." ] ,
              [ sh:path ex:code ; sh:maxCount 1 ; sh:severity sh:Info ; sh:message "Two: code." ] .
"""

_RESTATED_DATA = """
@prefix ex: <https://example.org/test/> .
ex:a a ex:C ; ex:code "1", "2" .
ex:b a ex:C ; ex:assessment [ ex:type ex:exam ] ; ex:code "1" .
ex:c a ex:C ; ex:assessment [ ex:other 1 ] .
"""


def test_the_same_rule_in_two_shapes_is_one_flag(tmp_path: Path) -> None:
    """Profiles restate rules: each distinct test is one flag column of the merged
    query, and every shape still gets its own results, severities and messages."""
    compiled = _compiled_like_pyshacl(tmp_path, _RESTATED_SHAPES, _RESTATED_DATA)
    found = sorted((str(r.focus)[len(EX) :], r.severity_name, r.message) for r in compiled.results)
    assert found == [
        ("a", "Info", "Two: code."),
        ("a", "Violation", "One: code."),
        ("a", "Violation", "One: type."),
        ("a", "Warning", "Two: type."),
        ("c", "Violation", "One: type."),
        ("c", "Warning", "Two: type."),
    ]
    kg = _kg(tmp_path / "data.ttl")
    plans = compile_shapes(shapes_for(files=[tmp_path / "shapes.ttl"]).graph, (), Subclasses(kg))
    checks = [check for plan in plans for check in plan.checks]
    assert len(checks) == 4 and len({check.query for check in checks}) == 1
    assert checks[0].query.count("IF(") == 2  # two distinct tests, four checks


def test_compiled_equals_plain_pyshacl_validate() -> None:
    """Against pyshacl.validate on an in-memory rdflib graph, the way users run it."""
    shapes = shapes_for(["test-extended"], folder=PROFILES)
    graph = Graph().parse(HERE / "invalid.ttl")
    for file in ontology_files():
        graph.parse(file)
    _conforms, report_graph, _text = pyshacl.validate(graph, shacl_graph=shapes.graph)
    expected = Counter(r.key() for r in results_from_report_graph(report_graph))
    got = Counter(r.key() for r in validate(_kg(HERE / "invalid.ttl"), shapes).results)
    assert got == expected


def test_focus_limits_the_results() -> None:
    report = validate(
        _kg(HERE / "invalid.ttl"),
        shapes_for(["test-extended"], folder=PROFILES),
        focus=[URIRef(EX + "hours")],
    )
    assert {str(r.focus) for r in report.results} == {EX + "hours"}


def test_same_input_same_bytes() -> None:
    shapes = shapes_for(["test-extended"], folder=PROFILES)
    outputs = {
        fmt: render(validate(_kg(HERE / "invalid.ttl"), shapes), fmt)
        for fmt in ("human", "json", "csv", "turtle", "table")
    }
    again = {
        fmt: render(validate(_kg(HERE / "invalid.ttl"), shapes), fmt)
        for fmt in ("human", "json", "csv", "turtle", "table")
    }
    assert outputs == again
    assert "_:" not in outputs["human"]


def test_turtle_report_round_trips() -> None:
    report = validate(_kg(HERE / "invalid.ttl"), shapes_for(["test-extended"], folder=PROFILES))
    graph = Graph().parse(data=render(report, "turtle"), format="turtle")
    assert {r.key() for r in results_from_report_graph(graph)} == {r.key() for r in report.results}


def test_turtle_report_keeps_awkward_terms() -> None:
    """Quotes, backslashes, newlines, language tags, datatypes, IRIs that cannot be
    prefixed names, blank nodes and every kind of path survive the Turtle writer."""
    from rdflib import BNode, Literal
    from rdflib.namespace import XSD

    from pathways.validation.results import ValidationResult

    p, q = URIRef(EX + "p"), URIRef("https://w3id.org/pathways/vocab#title")
    paths = [
        None,
        q,
        ("^", (p,)),
        ("/", (p, ("*", (q,)))),
        ("|", (p, ("+", (q,)), ("?", (p,)))),
    ]
    values = [
        Literal('say "hi"\\ \n now', lang="en-GB"),
        Literal("4.50", datatype=XSD.decimal),
        Literal("x", datatype=URIRef(EX + "odd type")),
        URIRef(EX + "a b{c}"),
        URIRef("urn:isbn:0-1"),
        BNode("b1"),
        None,
    ]
    results = tuple(
        ValidationResult(
            URIRef(EX + f"focus/{i}"),
            path,
            value,
            SH.Warning,
            URIRef(EX + "Shape"),
            SH.ClassConstraintComponent,
            (f'message {i} with "quotes" and \\ and\na newline',),
        )
        for i, (path, value) in enumerate((p, v) for p in paths for v in values)
    )
    report = ValidationReport(results=results, labels={BNode("b1"): "the pw:x of ex:y"})
    graph = Graph().parse(data=render(report, "turtle"), format="turtle")
    back = results_from_report_graph(graph)
    assert {(*r.key(), r.messages) for r in back} == {(*r.key(), r.messages) for r in results}


def test_java_style_patterns_are_translated() -> None:
    assert re.search(python_pattern(r"^[\p{Lu}][\p{L}\s]*$"), "Ålesund maintenance")
    assert not re.search(python_pattern(r"^[\p{Lu}][\p{L}\s]*$"), "ålesund")
    assert python_pattern(r"^(?i)ab") == "(?i)^ab"
    with pytest.raises(UnsupportedPattern):
        python_pattern(r"[a&&[^b]]")


def test_translated_pattern_validates_in_both_engines() -> None:
    kg = _kg(HERE / "invalid.ttl")
    shapes = shapes_for(files=[HERE / "java-pattern-shapes.ttl"])
    assert shapes.translated_patterns == (
        "[property shape on https://w3id.org/pathways/vocab#title of <urn:x:NameShape>]",
    )
    compiled = validate(kg, shapes, method="compiled")
    reference = validate(kg, shapes, method="pyshacl")
    assert _full(compiled.results) == _full(reference.results)


ELM = EXTERNAL / "elm"


@pytest.mark.skipif(not ELM.is_dir(), reason="shared external data not present")
@pytest.mark.parametrize(
    "shapes_file",
    ["EDC-generic-full.ttl", "EDC-generic-no-cv.ttl", "EDC-accredited.ttl", "LOQ-constraints.ttl"],
)
def test_elm_profiles_agree_with_pyshacl(shapes_file: str) -> None:
    sample = ELM / "sample-credential.ttl"
    shapes = shapes_for(files=[ELM / shapes_file])
    report = validate(_kg(sample), shapes)
    graph = Graph().parse(sample)
    for file in ontology_files():
        graph.parse(file)
    _conforms, report_graph, _ = pyshacl.validate(graph, shacl_graph=shapes.graph)
    expected = Counter(r.key() for r in results_from_report_graph(report_graph))
    got = Counter(r.key() for r in report.results)
    assert got == expected  # results as multisets; literals as written: no difference left


@pytest.mark.skipif(not ELM.is_dir(), reason="shared external data not present")
def test_loq_patterns_need_translation() -> None:
    shapes = shapes_for(files=[ELM / "LOQ-constraints.ttl"])
    # Of LOQ-constraints.ttl's six sh:pattern values, one starts "^(?i)": a Java inline
    # flag after "^", which Python's re refuses; its shape is a blank node.
    assert shapes.translated_patterns == ("[a shape]",)


@pytest.mark.slow
@pytest.mark.parametrize("profile", sorted(bundled_profiles()))
def test_bundled_profiles_same_results_both_engines(profile: str, pilot_kg: KnowledgeGraph) -> None:
    shapes = shapes_for([profile])
    outcomes: list[Counter[tuple[object, ...]]] = []
    for method in ("auto", "pyshacl"):
        try:
            outcomes.append(_full(validate(pilot_kg, shapes, method=method).results))
        except InputError as err:  # a broken shape must fail the same way in both
            outcomes.append(Counter({("error", str(err).split(":")[0]): 1}))
    assert outcomes[0] == outcomes[1]


def test_compiled_profiles_do_not_load_pyshacl() -> None:
    """With every shape compiled and carrying its own messages (the bundled profiles),
    validation neither imports nor sets up pyshacl: at 1k credentials that was a third
    of the time. Run in a fresh interpreter, where nothing else imported it. The one
    exception is a shape reading literals Oxigraph stores with another datatype (the
    pilot's ``pw:requiredNumber "3"^^xsd:nonNegativeInteger`` is stored as
    xsd:integer): pyshacl checks it as written (issue 11)."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from pathways.rdf.resources import data_files\n"
        "from pathways.rdf.store import KnowledgeGraph\n"
        "from pathways.validation import bundled_profiles, shapes_for, validate\n"
        "kg = KnowledgeGraph.open()\n"
        "kg.load(data_files())\n"
        "report = validate(kg, shapes_for(sorted(bundled_profiles())))\n"
        "assert report.results and all(r.messages for r in report.results)\n"
        "other = [p for p in report.plan if p[1] != 'compiled']\n"
        "assert all('literals Oxigraph stores in another form' in p[2] for p in other), other\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'pyshacl')\n"
        "print([] if other else loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.strip() == "[]", done.stdout


_CHAIN_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/test/> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
  sh:property [ sh:path ex:p ;
    sh:property [ sh:path ex:q ;
      sh:property [ sh:path ex:r ; sh:class ex:K ] ,
                  [ sh:path ex:s ; sh:minCount 2 ] ] ] .
"""

_CHAIN_DATA = """
@prefix ex: <https://example.org/test/> .
ex:a1 a ex:C ; ex:p ex:m, ex:m2 .
ex:a2 a ex:C ; ex:p ex:m .
ex:m ex:q ex:n1 . ex:m2 ex:q ex:n1, ex:n2 .
ex:n1 ex:r ex:x ; ex:s 1, 2 .
ex:n2 ex:r ex:x .
"""


def test_nested_values_reached_along_several_chains(tmp_path: Path) -> None:
    """SHACL validates a nested shape once per chain of focus nodes that reaches a value:
    ex:n1 is reached along (a1, m), (a1, m2) and (a2, m), so its sh:class result is
    reported three times; ex:n2 once. Oracle: pyshacl.validate on the same files
    (multisets), as in the W3C suite's core/property/property-001 (one level deep)."""
    compiled = _compiled_like_pyshacl(tmp_path, _CHAIN_SHAPES, _CHAIN_DATA)
    graph = Graph().parse(tmp_path / "data.ttl")
    for file in ontology_files():
        graph.parse(file)
    shapes = Graph().parse(tmp_path / "shapes.ttl")
    _conforms, report_graph, _text = pyshacl.validate(graph, shacl_graph=shapes)
    peer = Counter(r.key() for r in results_from_report_graph(report_graph))
    assert Counter(r.key() for r in compiled.results) == peer
    found = Counter(
        (str(r.focus)[len(EX) :], str(r.component).split("#")[1]) for r in compiled.results
    )
    assert found == {
        ("n1", "ClassConstraintComponent"): 3,
        ("n2", "ClassConstraintComponent"): 1,
        ("n2", "MinCountConstraintComponent"): 1,
    }
