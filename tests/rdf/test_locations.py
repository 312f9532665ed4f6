"""Where files write their subjects (:mod:`pathways.rdf.locations`).

Two oracles: the line numbers of the documents as the tests write them (each expected
line is the line the test put the subject on), and Oxigraph, whose parser says which
IRIs are subjects of a document (the located IRIs must be exactly those, resolved the
same way).
"""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.rdf import locations, safety
from pathways.rdf.locations import Source, locate, resolve_iri, subject_positions
from pathways.rdf.parsing import FORMATS

BASE = "file:///data/doc"


def _line_of(text: str, needle: str) -> int:
    """The 1-based line of the only line of ``text`` that starts with ``needle``."""
    (line,) = [i for i, row in enumerate(text.splitlines(), 1) if row.lstrip().startswith(needle)]
    return line


def _oxigraph_subjects(text: str, suffix: str, base: str = BASE) -> set[str]:
    quads = ox.parse(text.encode("utf-8"), format=FORMATS[suffix], base_iri=base)
    return {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}


def _positions(text: str, suffix: str, base: str = BASE) -> dict[str, tuple[int, int]]:
    return subject_positions(text.encode("utf-8"), "doc" + suffix, base)


TURTLE = '''\
@prefix ex: <https://example.org/> .
PREFIX pw: <https://w3id.org/pathways/vocab#>
# ex:decoy a pw:MicroCredential . <https://example.org/decoy2> is a comment too
ex:first pw:title "ex:decoy3 pw:title 'x' . <https://example.org/decoy4> pw:p 1 ." ;
    pw:note """a long string
ex:decoy5 a pw:MicroCredential .
<https://example.org/decoy6> pw:p "q" .
""" .
    ex:second a pw:MicroCredential ; pw:related [ pw:p ex:notSubject ] ,
        ( ex:inList ) .
@base <https://example.org/base/> .
<relative> pw:p <other> .
<#frag> pw:p 'it\\'s' .
ex:esc\\.aped pw:p 1.5e3, .5, -2 .
<https://example.org/first> pw:p "again, not the first time" .
_:b pw:p ex:third .
[ pw:p ex:fourth ] pw:q ex:fifth .
'''


def test_turtle_subjects_skip_literals_comments_and_objects() -> None:
    found = _positions(TURTLE, ".ttl")
    assert set(found) == _oxigraph_subjects(TURTLE, ".ttl")
    assert found["https://example.org/first"] == (_line_of(TURTLE, "ex:first"), 1)
    assert found["https://example.org/second"] == (_line_of(TURTLE, "ex:second"), 5)
    assert found["https://example.org/base/relative"] == (_line_of(TURTLE, "<relative>"), 1)
    assert found["https://example.org/base/#frag"][0] == _line_of(TURTLE, "<#frag>")
    assert found["https://example.org/esc.aped"][0] == _line_of(TURTLE, "ex:esc")
    assert not {iri for iri in found if "decoy" in iri}


def test_an_iri_in_a_string_and_a_comment_before_the_real_subject() -> None:
    text = (
        "@prefix ex: <https://example.org/> .\n"
        'ex:other ex:says "ex:target ex:p 1 ." .\n'
        "# ex:target ex:p 2 .\n"
        "ex:target ex:p 3 .\n"
    )
    assert _positions(text, ".ttl")["https://example.org/target"] == (4, 1)


def test_trig_graph_names_are_not_subjects() -> None:
    text = (
        "@prefix ex: <https://example.org/> .\n"
        "ex:g1 {\n"
        "  ex:a ex:p ex:b .\n"
        "  ex:c ex:p ex:d }\n"
        "GRAPH ex:g2 { ex:e ex:p ex:f }\n"
        "{ ex:h ex:p ex:i }\n"
    )
    found = _positions(text, ".trig")
    assert (
        set(found)
        == _oxigraph_subjects(text, ".trig")
        == {f"https://example.org/{x}" for x in "aceh"}
    )
    assert found["https://example.org/c"] == (4, 3)
    assert found["https://example.org/e"] == (5, 15)


def test_n_triples_and_n_quads() -> None:
    text = (
        '<urn:x:a> <urn:x:p> "<urn:x:decoy> <urn:x:p> <urn:x:o> ." .\n'
        "_:b <urn:x:p> <urn:x:a> .\n"
        "\t<urn:x:c> <urn:x:p> <urn:x:a> <urn:x:g> .\n"
    )
    assert _positions(text, ".nq") == {"urn:x:a": (1, 1), "urn:x:c": (3, 2)}
    assert set(_positions(text.replace(" <urn:x:g>", ""), ".nt")) == {"urn:x:a", "urn:x:c"}


def test_columns_count_code_points_and_lines_every_line_ending() -> None:
    text = '<urn:x:é> <urn:x:p> "ü" . <urn:x:b> <urn:x:p> 1 .\r\n\r<urn:x:c> <urn:x:p> 2 .'
    assert _positions(text, ".nt") == {"urn:x:é": (1, 1), "urn:x:b": (1, 27), "urn:x:c": (3, 1)}


RDFXML = """\
<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:pw="https://w3id.org/pathways/vocab#"
         xml:base="https://example.org/x/">
  <pw:MicroCredential rdf:about="one">
    <pw:title>rdf:about="https://example.org/decoy"</pw:title>
    <pw:prerequisite>
      <pw:MicroCredential rdf:about="https://example.org/nested"/>
    </pw:prerequisite>
    <pw:note rdf:parseType="Literal"><pw:Thing rdf:about="https://example.org/lit"/></pw:note>
    <pw:part rdf:parseType="Resource"><pw:title>t</pw:title></pw:part>
    <pw:link rdf:resource="https://example.org/object"/>
  </pw:MicroCredential>
  <!-- <rdf:Description rdf:about="https://example.org/comment"/> -->
  <rdf:Description rdf:ID="two" xml:base="https://example.org/y/"><pw:p>1</pw:p></rdf:Description>
  <rdf:Description rdf:about="one"><pw:p>2</pw:p></rdf:Description>
</rdf:RDF>
"""


def test_rdfxml_node_elements_with_xml_base() -> None:
    found = _positions(RDFXML, ".rdf")
    assert set(found) == _oxigraph_subjects(RDFXML, ".rdf")
    assert found == {
        "https://example.org/x/one": (_line_of(RDFXML, '<pw:MicroCredential rdf:about="one"'), 3),
        "https://example.org/nested": (_line_of(RDFXML, '<pw:MicroCredential rdf:about="https'), 7),
        "https://example.org/y/#two": (_line_of(RDFXML, '<rdf:Description rdf:ID="two"'), 3),
    }


ENTITIES = """\
<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY ex "https://example.org/expanded/">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:pw="https://w3id.org/pathways/vocab#">
  <rdf:Description rdf:about="&ex;one"><pw:p>1</pw:p></rdf:Description>
  <rdf:Description rdf:about="https://example.org/plain"><pw:p>1</pw:p></rdf:Description>
</rdf:RDF>
"""


def test_rdfxml_with_entity_declarations_has_no_locations() -> None:
    assert _positions(ENTITIES, ".rdf") == {}


def test_the_xml_parser_refuses_entities_even_past_check_xml(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second net: with :func:`safety.check_xml` taken away, the expat parser of
    :func:`safety.xml_parser` still refuses the declaration instead of expanding it."""
    monkeypatch.setattr(safety, "check_xml", lambda data, path: None)
    found = _positions(ENTITIES, ".rdf")
    assert not any("expanded" in iri for iri in found)
    assert found == {}


JSONLD = """\
{
  "@context": {
    "ex": "https://example.org/",
    "pw": "https://w3id.org/pathways/vocab#",
    "id": "@id",
    "@base": "https://example.org/base/"
  },
  "@graph": [
    {
      "@id": "ex:one",
      "pw:title": "\\"@id\\": \\"ex:decoy\\"",
      "pw:prerequisite": {"@id": "ex:reference"},
      "pw:part": {
        "id": "ex:nested", "@type": "pw:Thing"
      }
    },
    {"@type": "pw:Thing", "@id": "relative", "pw:p": {"@value": 1}},
    {"@id": "_:blank", "pw:p": 2},
    {"@id": "https://example.org/absolute", "pw:p": [{"@list": [{"@id": "ex:inlist", "pw:p": 1}]}]}
  ]
}
"""


def test_jsonld_ids_of_node_objects() -> None:
    found = _positions(JSONLD, ".jsonld")
    assert set(found) == _oxigraph_subjects(JSONLD, ".jsonld")
    assert found["https://example.org/one"] == (_line_of(JSONLD, '"@id": "ex:one"'), 7)
    assert found["https://example.org/nested"] == (_line_of(JSONLD, '"id": "ex:nested"'), 9)
    assert found["https://example.org/base/relative"][0] == _line_of(JSONLD, '{"@type"')
    assert "https://example.org/reference" not in found  # a reference, not a subject


def test_jsonld_nested_and_null_contexts() -> None:
    text = """[
  {"@context": {"ex": "https://example.org/a/"}, "@id": "ex:one", "ex:p": {
    "@context": {"ex": "https://example.org/b/"}, "@id": "ex:two", "ex:p": 1}},
  {"@context": {"ex": "https://example.org/c/", "@base": "https://example.org/base/"},
   "@id": "three", "ex:p": {"@context": null, "@id": "four", "https://example.org/p": 1}}
]"""
    found = _positions(text, ".jsonld")
    assert (
        set(found)
        == _oxigraph_subjects(text, ".jsonld")
        == {
            "https://example.org/a/one",
            "https://example.org/b/two",
            "https://example.org/base/three",
            "file:///data/four",  # null: the document's own base again
        }
    )
    assert found["https://example.org/b/two"] == (3, 51)


def test_jsonld_scoped_contexts_leave_only_full_iris() -> None:
    text = """{
  "@context": {"ex": "https://example.org/", "p": {"@id": "ex:p", "@context": {}}},
  "@graph": [
    {"@id": "ex:compact", "p": 1},
    {"@id": "https://example.org/full", "p": 1}
  ]
}"""
    assert _positions(text, ".jsonld") == {"https://example.org/full": (5, 6)}


def test_jsonld_remote_contexts_and_broken_json_have_no_locations() -> None:
    remote = '{"@context": "https://example.org/ctx", "@id": "https://example.org/a", "p": 1}'
    assert _positions(remote, ".jsonld") == {}
    assert _positions('{"@id": "https://example.org/a", ', ".jsonld") == {}


def test_unknown_formats_and_unreadable_files_have_no_locations() -> None:
    assert subject_positions(b"<urn:x:a> <urn:x:p> 1 .", "x.csv", BASE) == {}
    assert subject_positions(b"\xff\xfe<urn:x:a>", "x.ttl", BASE) == {}
    # Broken Turtle: what comes before the break stands, nothing raises.
    assert subject_positions(b"<urn:x:a> <urn:x:p> 1 .\n\x01 <urn:x:b>", "x.ttl", BASE) == {
        "urn:x:a": (1, 1)
    }


def test_the_first_file_that_writes_a_subject_wins(tmp_path: Path) -> None:
    a = tmp_path / "a.nt"
    b = tmp_path / "b.ttl"
    a.write_text("<urn:x:a> <urn:x:p> <urn:x:b> .\n", encoding="utf-8")
    b.write_text("\n<urn:x:b> <urn:x:p> 1 .\n<urn:x:a> <urn:x:p> 2 .\n", encoding="utf-8")
    found = locate([Source.read(a, "a.nt"), Source.read(b, "b.ttl")])
    assert found["urn:x:a"] == locations.Location("a.nt", 1, 1)
    assert found["urn:x:b"] == locations.Location("b.ttl", 2, 1)


@pytest.mark.parametrize(
    "reference",
    ["g", "./g", "g/", "/g", "//g/x", "?y", "g?y", "#s", "g#s", "", ".", "./", "..", "../g",
     "../..", "../../../g", "/./g", "/../g", "g.", ".g", "g..", "..g", "./../g", "g/./h",
     "g/../h", "g;x=1/./y", "g;x=1/../y", "g?y/./x", "g#s/../x", "urn:other"],
)  # fmt: skip
@pytest.mark.parametrize("base", ["http://a/b/c/d;p?q", "file:///data/x.ttl", "urn:x:y/z"])
def test_relative_iris_resolve_as_oxigraph_resolves(reference: str, base: str) -> None:
    """RFC 3986 section 5.4's examples (and a few bases), Oxigraph the oracle."""
    (quad,) = ox.parse(f"<{reference}> <urn:p> 1 .".encode(), ox.RdfFormat.TURTLE, base_iri=base)
    assert resolve_iri(reference, base) == quad.subject.value


_LOCAL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=12)
_FILLER = st.sampled_from(
    ["", "   ", "# ex:decoy ex:p 1 .", '#"""', "<https://example.org/o> ex:p 'ex:decoy' .", "\t"]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            _LOCAL,
            st.sampled_from(["pname", "iri", "relative"]),
            st.lists(_FILLER, max_size=3),
            st.integers(min_value=0, max_value=6),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_located_lines_are_the_lines_written(
    subjects: list[tuple[str, str, list[str], int]],
) -> None:
    """Random subjects on random lines (filler lines, comments and literals that name
    other IRIs between them): each located line is the line the subject was written on."""
    rows = ["@prefix ex: <https://example.org/s/> .", "@base <https://example.org/s/> ."]
    expected = {"https://example.org/o": (0, 0)}  # the filler's subject, if any: ignored
    for local, form, filler, indent in subjects:
        rows.extend(filler)
        written = {"pname": f"ex:{local}", "iri": f"<https://example.org/s/{local}>"}.get(
            form, f"<{local}>"
        )
        if local[0] == "-" and form == "pname":  # not a Turtle local name: write it in full
            written = f"<https://example.org/s/{local}>"
        rows.append(" " * indent + f'{written} ex:p "{local}" ;')
        expected.setdefault(f"https://example.org/s/{local}", (len(rows), indent + 1))
        rows.append(f"  ex:q <{local}x> .")
    text = "\n".join(rows) + "\n"
    found = _positions(text, ".ttl")
    found.setdefault("https://example.org/o", (0, 0))
    found["https://example.org/o"] = (0, 0)
    assert found == expected
    assert set(_positions(text, ".ttl")) == _oxigraph_subjects(text, ".ttl")


@pytest.mark.parametrize(
    "junk",
    [b" " * 300_000 + b"\x01", b"# x\n" * 300_000, b'"""' + b'""a' * 300_000, b"<" + b"a" * 10**6],
    ids=["spaces", "comments", "unclosed long string", "unclosed IRI"],
)
def test_hostile_turtle_is_scanned_in_linear_time(junk: bytes) -> None:
    """A scan that searched ahead after a failed token took minutes on these (it was
    quadratic); in linear time each takes well under a second."""
    started = time.perf_counter()
    found = subject_positions(b"<urn:x:a> <urn:x:p> 1 .\n" + junk, "x.ttl", BASE)
    assert found == {"urn:x:a": (1, 1)}
    assert time.perf_counter() - started < 10
