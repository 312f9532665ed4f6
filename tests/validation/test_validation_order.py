"""Report order: the rank-and-lexsort ordering agrees with a plain key sort.

The reference below is the obvious implementation (one Python key per result, a
stable sort); :func:`report_order` must give exactly its order for any results cut
into any batches, including equal nodes that are different objects, blank nodes
(which all share a key), numbers written two ways and results with equal keys.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.validation.order import Columns, report_order, sort_results
from pathways.validation.results import ValidationResult, node_key, path_key

_IRIS = [URIRef(f"urn:x:{name}") for name in ("a", "b", "c", "d")]
_BLANKS = [BNode("b1"), BNode("b2")]
_LITERALS = [
    Literal(1),
    Literal("1.0", datatype=XSD.decimal),
    Literal("1", datatype=XSD.decimal),
    Literal("x"),
    Literal("x", datatype=XSD.string),
    Literal("x", lang="en"),
]
_PATHS: list[Any] = [None, _IRIS[0], _IRIS[1], ("^", (_IRIS[2],)), ("/", (_IRIS[0], _IRIS[1]))]
_SEVERITIES = [SH.Violation, SH.Warning, SH.Info]
_COMPONENTS = [SH.MinCountConstraintComponent, SH.ClassConstraintComponent]
_MESSAGES = [(), ("m",), ("a", "b"), ("z",)]


def _copy(node: Any) -> Any:
    """An equal node that is another object (pyshacl's results are such copies)."""
    if isinstance(node, Literal):
        return Literal(str(node), lang=node.language, datatype=node.datatype)
    if isinstance(node, URIRef):
        return URIRef(str(node))
    return node


# Few choices per field, so that results often tie on the leading keys and the later
# keys decide.
_nodes = st.sampled_from([_IRIS[0], _IRIS[1], _BLANKS[0]])
_values = st.one_of(st.sampled_from([None, _IRIS[0], _BLANKS[1]]), st.sampled_from(_LITERALS))
_results = st.builds(
    ValidationResult,
    focus=st.one_of(_nodes, _nodes.map(_copy)),
    path=st.one_of(st.sampled_from(_PATHS[:2]), st.sampled_from(_PATHS)),
    value=st.one_of(_values, _values.map(_copy)),
    severity=st.sampled_from(_SEVERITIES[:2]),
    shape=st.sampled_from(_IRIS[:2]),
    component=st.sampled_from(_COMPONENTS),
    messages=st.sampled_from(_MESSAGES),
    source_constraint=st.none(),
)
_labels = st.dictionaries(st.sampled_from([*_IRIS, *_BLANKS, *_LITERALS]), st.sampled_from("LMN"))


def _reference(results: list[ValidationResult], labels: dict[Node, str]) -> list[ValidationResult]:
    """Group by focus (equal nodes together, groups by description, key, first
    appearance), then sort each group by path, value, severity, shape, component,
    value description and message; stable throughout."""
    first: dict[Node, int] = {}
    for i, r in enumerate(results):
        first.setdefault(r.focus, i)

    def key(r: ValidationResult) -> tuple[Any, ...]:
        value_text = "" if r.value is None else labels.get(r.value, str(r.value))
        return (
            labels.get(r.focus, str(r.focus)),
            node_key(r.focus),
            first[r.focus],
            "" if r.path is None else path_key(r.path),
            node_key(r.value),
            str(r.severity),
            node_key(r.shape),
            str(r.component),
            value_text,
            " / ".join(r.messages),
        )

    return sorted(results, key=key)


@settings(max_examples=500, deadline=None)
@given(
    results=st.lists(_results, max_size=40),
    cuts=st.lists(st.integers(min_value=0, max_value=30), max_size=6),
    labels=_labels,
)
def test_report_order_is_the_reference_order(
    results: list[ValidationResult], cuts: list[int], labels: dict[Node, str]
) -> None:
    bounds = sorted({0, len(results), *(c for c in cuts if c <= len(results))})
    batches = [results[a:b] for a, b in pairwise(bounds)]
    ordered = report_order(Columns(batches), labels)
    expected = _reference(results, labels)
    assert [id(r) for r in ordered] == [id(r) for r in expected]


@given(results=st.lists(_results, max_size=12), labels=_labels)
def test_sort_results_is_a_permutation(
    results: list[ValidationResult], labels: dict[Node, str]
) -> None:
    ordered = sort_results(results, labels)
    assert sorted(map(id, ordered)) == sorted(map(id, results))


def test_columns_list_each_node_and_shape_once() -> None:
    a, b = _IRIS[0], _IRIS[1]
    r = ValidationResult(a, None, b, SH.Violation, a, SH.ClassConstraintComponent)
    columns = Columns([[r, r._replace(value=None)], [], [r._replace(focus=_copy(a))]])
    assert columns.nodes() == {a, b}
    assert columns.shapes() == {a}
    assert len(columns.results) == 3
