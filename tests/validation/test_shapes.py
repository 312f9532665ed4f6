"""The bundled shapes keep the profile contract and are well-formed SHACL.

The validation engine relies on the contract: one file ``shapes/<profile-name>.ttl`` per
profile, holding exactly one ``pwsh:Profile`` node with its name, label, comment and
includes. The shapes themselves must use only real SHACL terms, pass the SHACL-for-SHACL
shapes, document themselves (label, comment and target on every node shape; an actionable
``sh:message`` on every property shape and SPARQL constraint) and write SHACL-SPARQL that
both pyshacl (rdflib) and Oxigraph evaluate alike, also when run once over a whole graph.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pyshacl
import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.plugins.sparql import prepareQuery

from tests.constants import DATA, ONTOLOGY, SHAPES
from tests.validation.test_shapes_examples import (  # noqa: F401 (prepared_sparql is an autouse fixture)
    EXAMPLES,
    PWSH,
    SH,
    ontology_graph,
    prepared_sparql,
    profile_files,
    qname,
    read_expectation,
    validate_file,
)

PW = Namespace("https://w3id.org/pathways/vocab#")
PROFILES = [
    "eu-standard-elements",
    "conditionality",
    "stackability-integrity",
    "funding-es-fundae",
    "funding-es-pes",
    "funding-pt-public",
    "funding-fi-vet",
    "funding-nz-nzqa",
]
VOCABULARY = SHAPES / "profile-vocabulary.ttl"
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def shape_paths() -> list[Path]:
    return sorted(p for p in SHAPES.glob("*.ttl") if p != VOCABULARY)


def pyshacl_asset(name: str) -> Graph:
    """A Turtle file pyshacl ships (the SHACL vocabulary, the SHACL-for-SHACL shapes)."""
    return Graph().parse(Path(pyshacl.__file__).parent / "assets" / name)


@pytest.fixture(scope="module")
def all_shapes() -> Graph:
    graph = Graph()
    for path in sorted(SHAPES.glob("*.ttl")):
        graph.parse(path)
    return graph


def test_there_is_one_file_per_profile() -> None:
    assert [p.stem for p in shape_paths()] == sorted(PROFILES)


@pytest.mark.parametrize("path", shape_paths(), ids=lambda p: p.stem)
def test_profile_node_follows_the_contract(path: Path) -> None:
    graph = Graph().parse(path)
    profiles = list(graph.subjects(RDF.type, PWSH.Profile))
    assert len(profiles) == 1, "exactly one pwsh:Profile node per file"
    profile = profiles[0]
    assert list(graph.objects(profile, PWSH.profileName)) == [Literal(path.stem)]
    for predicate in (RDFS.label, RDFS.comment):
        values = list(graph.objects(profile, predicate))
        assert len(values) == 1 and isinstance(values[0], Literal) and values[0].language == "en"
    for included in graph.objects(profile, PWSH.includesProfile):
        assert (SHAPES / f"{included}.ttl").is_file(), f"includes unknown profile {included}"
    assert path.read_text(encoding="utf-8").startswith(f"# Profile {path.stem}:")


def test_profile_vocabulary_defines_the_profile_terms() -> None:
    graph = Graph().parse(VOCABULARY)
    assert not list(graph.subjects(RDF.type, PWSH.Profile))
    for term in (PWSH.Profile, PWSH.profileName, PWSH.includesProfile):
        assert graph.value(term, RDFS.label) is not None
        assert graph.value(term, RDFS.comment) is not None
    used = {
        t
        for path in shape_paths()
        for triple in Graph().parse(path)
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(str(PWSH)) and "Shape" not in str(t)
    }
    assert used == {PWSH.Profile, PWSH.profileName, PWSH.includesProfile}


def test_includes_form_the_intended_hierarchy() -> None:
    assert profile_files("conditionality") == [
        SHAPES / "conditionality.ttl",
        SHAPES / "eu-standard-elements.ttl",
    ]
    for name in PROFILES:
        if name.startswith("funding-"):
            assert [p.stem for p in profile_files(name)] == [
                name,
                "conditionality",
                "eu-standard-elements",
            ]


def test_every_validation_profile_named_in_the_pilot_data_exists() -> None:
    funding = DATA / "funding.ttl"
    if not funding.is_file():
        pytest.skip("the pilot funding schemes are not written yet")
    named = {str(o) for o in Graph().parse(funding).objects(None, PW.validationProfile)}
    assert named and named <= set(PROFILES)


def test_every_sh_term_is_real_shacl(all_shapes: Graph) -> None:
    vocabulary = pyshacl_asset("shacl.ttl")
    defined = set(vocabulary.subjects())
    used = {
        term
        for triple in all_shapes
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(SH))
    }
    assert used and not used - defined, sorted(used - defined)


@pytest.mark.parametrize("path", shape_paths(), ids=lambda p: p.stem)
def test_shapes_pass_shacl_for_shacl(path: Path) -> None:
    """Each file on its own (an included profile's file is checked as its own case)."""
    conforms, _, text = pyshacl.validate(
        Graph().parse(path), shacl_graph=pyshacl_asset("shacl-shacl.ttl"), inference="none"
    )
    assert conforms, text


def test_every_pw_term_is_in_the_ontology(all_shapes: Graph) -> None:
    defined = set(ontology_graph().subjects())
    used = set()
    for triple in all_shapes:
        used |= {t for t in triple if isinstance(t, URIRef) and str(t).startswith(str(PW))}
    for text in all_shapes.objects(None, SH.select):
        used |= {PW[name] for name in re.findall(r"\bpw:(\w+)", str(text))}
    assert used and not used - defined, sorted(used - defined)


def test_node_shapes_have_label_comment_target_and_names(all_shapes: Graph) -> None:
    node_shapes = [s for s in all_shapes.subjects(RDF.type, SH.NodeShape)]
    assert len(node_shapes) > 20
    for shape in node_shapes:
        assert isinstance(shape, URIRef), "named node shapes only (use inline shapes in sh:node)"
        name = qname(shape)
        assert re.fullmatch(r"pwsh:[A-Z][A-Za-z]+Shape", name), name
        for predicate in (RDFS.label, RDFS.comment):
            values = list(all_shapes.objects(shape, predicate))
            assert len(values) == 1, (name, predicate)
            assert isinstance(values[0], Literal) and values[0].language == "en", (name, predicate)
        assert any(all_shapes.value(shape, t) is not None for t in TARGETS), f"{name}: no target"
        for part in [
            *all_shapes.objects(shape, SH.property),
            *all_shapes.objects(shape, SH.sparql),
        ]:
            assert qname(part).startswith(name + "-"), f"{qname(part)} is not named after {name}"
        if all_shapes.value(shape, SH.sparql) is not None:
            assert all_shapes.value(shape, SH.severity) is not None, (
                f"{name}: SHACL-SPARQL results take the node shape's severity; state it"
            )


def test_property_shapes_and_constraints_have_actionable_messages(all_shapes: Graph) -> None:
    property_shapes = set(all_shapes.subjects(SH.path, None))
    constraints = set(all_shapes.subjects(RDF.type, SH.SPARQLConstraint))
    assert len(property_shapes) > 60 and len(constraints) > 15
    for part in property_shapes | constraints:
        messages = list(all_shapes.objects(part, SH.message))
        assert len(messages) == 1, f"{qname(part)}: one sh:message"
        message = messages[0]
        assert isinstance(message, Literal) and message.language == "en"
        if isinstance(part, URIRef):
            assert all_shapes.value(part, SH.severity) is not None or part in constraints
            assert ": " in str(message) and len(str(message)) > 60, (
                f"{qname(part)}: say what is wrong, then what to add"
            )
            if part not in constraints:
                assert "{" not in str(message), f"{qname(part)}: core messages are not templates"
    for part in constraints:
        assert isinstance(part, URIRef), "name every SPARQL constraint"
        assert all_shapes.value(part, SH.severity) is None, (
            "sh:severity on a SPARQL constraint is ignored by SHACL; put it on the node shape"
        )


def sparql_constraints() -> list[tuple[str, str]]:
    found = []
    for path in shape_paths():
        graph = Graph().parse(path)
        for constraint in graph.subjects(RDF.type, SH.SPARQLConstraint):
            found.append((qname(constraint), str(graph.value(constraint, SH.select))))
    return sorted(found)


def whole_graph_query(select: str) -> str:
    """The constraint as one query over the whole graph: ``$this`` becomes ``?this``."""
    prefixes = "\n".join(
        f"PREFIX {p}: <{n}>"
        for p, n in [
            ("pw", str(PW)),
            ("rdf", str(RDF)),
            ("rdfs", str(RDFS)),
            ("xsd", "http://www.w3.org/2001/XMLSchema#"),
        ]
    )
    return prefixes + "\n" + select.replace("$this", "?this")


@pytest.mark.parametrize(("name", "select"), sparql_constraints(), ids=lambda v: v[:60])
def test_sparql_constraint_is_portable(name: str, select: str, all_shapes: Graph) -> None:
    """Standard SPARQL 1.1, $this bound by the first pattern, projected, no pre-binding traps."""
    constraint = all_shapes.value(predicate=SH.select, object=Literal(select))
    declared = all_shapes.value(constraint, SH.prefixes)
    assert declared is not None and (declared, RDF.type, OWL.Ontology) in all_shapes
    body = select.strip()
    assert re.match(r"SELECT (DISTINCT )?\$this\b", body), f"{name}: project $this first"
    first_pattern = body.split("WHERE {", 1)[1].lstrip()
    assert first_pattern.startswith("$this "), f"{name}: bind $this with the first pattern"
    for keyword in ("VALUES", "MINUS", "SERVICE", "$PATH", "$value"):
        assert keyword not in body, f"{name}: {keyword} breaks SHACL pre-binding"
    prepareQuery(whole_graph_query(select))
    pyoxigraph.Store().query(whole_graph_query(select))


def sparql_examples() -> list[tuple[Path, str]]:
    names = {name for name, _ in sparql_constraints()}
    cases = []
    for path in sorted((EXAMPLES / "invalid").rglob("*.ttl")):
        for _focus, _path, _severity, shape in read_expectation(path).results:
            if shape in names:
                cases.append((path, shape))
    return cases


@pytest.mark.parametrize(
    ("path", "constraint"), sparql_examples(), ids=lambda v: getattr(v, "stem", v)
)
def test_sparql_constraints_agree_in_oxigraph_over_the_whole_graph(
    path: Path, constraint: str, all_shapes: Graph
) -> None:
    """Run once over the whole example in Oxigraph: the same focus nodes and values as pyshacl."""
    select = str(all_shapes.value(PWSH[constraint.removeprefix("pwsh:")], SH.select))
    store = pyoxigraph.Store()
    for file in [*sorted(ONTOLOGY.glob("*.ttl")), path]:
        store.load(path=str(file), format=pyoxigraph.RdfFormat.TURTLE)
    solutions = store.query(whole_graph_query(select))
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    whole = set()
    for row in solutions:
        value = row["value"] if "value" in [v.value for v in solutions.variables] else None
        whole.add((qname(URIRef(row["this"].value)), value.value if value is not None else ""))
    _, results = validate_file(path, read_expectation(path).profile)
    by_focus = set()
    for result in results:
        if constraint in result.shapes:
            by_focus.add(result.focus)
    assert by_focus, f"pyshacl found nothing for {constraint}"
    assert {focus for focus, _ in whole} == by_focus


def test_readme_describes_every_profile() -> None:
    readme = (SHAPES / "README.md").read_text(encoding="utf-8")
    for name in PROFILES:
        assert f"`{name}`" in readme, name
    assert "sh:Violation" in readme and "sh:Warning" in readme and "sh:Info" in readme


def test_blank_shapes_only_inside_other_shapes(all_shapes: Graph) -> None:
    """Inline shapes (sh:node, sh:or, sh:qualifiedValueShape) are blank; nothing else is."""
    holders = (SH.node, SH.qualifiedValueShape, SH.property, SH["not"])
    for shape in all_shapes.subjects(SH.path, None):
        if isinstance(shape, BNode):
            assert any(all_shapes.value(None, h, shape) is not None for h in holders), shape
