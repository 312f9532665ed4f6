"""SPARQL-based constraint components (SHACL 6) compiled to whole-graph checks.

A constraint component declares parameters (``sh:parameter [ sh:path ex:lang ]``) and
validators; a shape that has a value for every mandatory parameter uses it, once per
combination of parameter values. The validator is the component's
``sh:nodeValidator`` (node shapes) or ``sh:propertyValidator`` (property shapes),
else its ``sh:validator`` (SHACL 6.2.3); a shape with none that fits ignores the
component, as SHACL says. Parameters are pre-bound by substitution, named by the
local name of their ``sh:path``:

- an ASK validator asks about each value node: the check returns the (focus, value)
  pairs for which ``FILTER NOT EXISTS { <the ASK pattern> }`` holds, ``$this`` and
  ``$value`` bound by the focus and value patterns;
- a SELECT validator is a SHACL-SPARQL query like a ``sh:sparql`` constraint
  (:func:`~pathways.validation.sparql_constraints.select_check`).

Messages are the validator's ``sh:message`` texts with the parameters filled in
(``{$lang}``), then the bindings of each row; without one, pyshacl's generic text.

Oracles: the W3C suite's sparql/component cases (tests/validation/test_w3c_suite.py).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.validation.plans import Check, Unsupported, sparql_path, sparql_term
from pathways.validation.results import PathExpr
from pathways.validation.sparql_constraints import (
    check_pre_binding,
    prefixes_of,
    select_check,
    substitute,
    top_group,
)

__all__ = ["GENERIC_MESSAGE", "Component", "component_checks", "constraint_components"]

#: The message of a component's results when neither validator nor shape has one
#: (pyshacl's text for SPARQL-based constraint components).
GENERIC_MESSAGE = "Parameterised SHACL Query generated constraint validation reports."


@dataclass(frozen=True)
class Component:
    """A SPARQL-based constraint component: its parameters (path, optional) and validators."""

    node: URIRef
    parameters: tuple[tuple[URIRef, bool], ...]
    validator: Node | None
    node_validator: Node | None
    property_validator: Node | None

    @property
    def paths(self) -> frozenset[URIRef]:
        """The parameters' paths (the predicates that make a shape use the component)."""
        return frozenset(path for path, _optional in self.parameters)


def constraint_components(sg: Graph) -> list[Component]:
    """The SHACL instances of ``sh:ConstraintComponent`` in the shapes graph (its
    ``rdf:type`` or a subclass of it: W3C suite sparql/component/validator-001).
    Raises :class:`Unsupported` for a malformed declaration."""
    classes: set[Node] = {SH.ConstraintComponent}
    todo: list[Node] = [SH.ConstraintComponent]
    while todo:  # rdfs:subClassOf* in the shapes graph
        for sub in sg.subjects(RDFS.subClassOf, todo.pop()):
            if sub not in classes:
                classes.add(sub)
                todo.append(sub)
    found = []
    nodes = {c for cls in classes for c in sg.subjects(RDF.type, cls)}
    for node in sorted(nodes, key=str):
        if not isinstance(node, URIRef):
            raise Unsupported("a constraint component that is a blank node")
        parameters = []
        for parameter in sg.objects(node, SH.parameter):
            path = sg.value(parameter, SH.path)
            if not isinstance(path, URIRef):
                raise Unsupported(f"a parameter of {node} without an IRI sh:path")
            optional = sg.value(parameter, SH.optional)
            parameters.append((path, optional == Literal(True)))
        found.append(
            Component(
                node,
                tuple(sorted(parameters)),
                _one(sg, node, SH.validator),
                _one(sg, node, SH.nodeValidator),
                _one(sg, node, SH.propertyValidator),
            )
        )
    return found


def _one(sg: Graph, node: Node, predicate: URIRef) -> Node | None:
    values = list(sg.objects(node, predicate))
    if len(values) > 1:
        raise Unsupported(f"a constraint component with two {predicate} values")
    return values[0] if values else None


def component_checks(
    sg: Graph,
    components: Sequence[Component],
    shape: Node,
    path: PathExpr | None,
    focus: str,
    vp: str,
) -> list[Check]:
    """The checks of every constraint component ``shape`` uses (one per combination
    of its parameter values)."""
    checks = []
    for component in components:
        values = {p: sorted(sg.objects(shape, p), key=str) for p, _opt in component.parameters}
        if any(not values[p] for p, optional in component.parameters if not optional):
            continue  # the shape does not use this component
        if path is None:
            validator = component.node_validator or component.validator
        else:
            validator = component.property_validator or component.validator
        if validator is None:
            continue  # SHACL: a component without a suitable validator is ignored
        present = [p for p, _opt in component.parameters if values[p]]
        for combination in itertools.product(*(values[p] for p in present)):
            bound = {_local_name(p): v for p, v in zip(present, combination, strict=True)}
            checks.append(_validator_check(sg, component, validator, bound, shape, path, focus, vp))
    return checks


def _local_name(iri: URIRef) -> str:
    name = re.split(r"[#/:]", str(iri))[-1]
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise Unsupported(f"a parameter whose local name is not a SPARQL variable ({iri})")
    return name


def _validator_check(
    sg: Graph,
    component: Component,
    validator: Node,
    bound: dict[str, Node],
    shape: Node,
    path: PathExpr | None,
    focus: str,
    vp: str,
) -> Check:
    terms = {name: sparql_term(value) for name, value in bound.items()}
    declared = prefixes_of(sg, validator)
    messages = tuple(
        Literal(_filled(str(m), bound), lang=m.language)
        for m in sorted(sg.objects(validator, SH.message), key=str)
        if isinstance(m, Literal)
    ) or (Literal(GENERIC_MESSAGE),)
    select, ask = sg.value(validator, SH.select), sg.value(validator, SH.ask)
    if select is not None and ask is None:
        return select_check(
            str(select),
            declared,
            shape,
            component.node,
            path,
            focus,
            bindings=terms,
            messages=messages,
        )
    if ask is None or select is not None:
        raise Unsupported(f"a validator of {component.node} without one sh:ask or sh:select")
    text = str(ask)
    check_pre_binding(text, {"this", "value", *bound})
    if re.search(r"\$(shapesGraph|currentShape)\b|\?failure\b", text):
        raise Unsupported("an ASK validator using $shapesGraph, $currentShape or ?failure")
    if path is not None:
        text = re.sub(r"\$PATH\b", sparql_path(path), text)
    body = top_group(text)
    if body is None or not re.match(r"\s*ASK\s*(WHERE\s*)?$", text[: body[0]], re.IGNORECASE):
        raise Unsupported("an ASK validator that is not ASK { ... }")
    pattern = substitute(text[body[0] + 1 : body[1] - 1], terms)
    pattern = re.sub(r"\$(this|value)\b", r"?\1", pattern)
    prefixes = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in declared)
    query = (
        f"{prefixes}SELECT DISTINCT ?this ?value WHERE {{ {focus} {vp} "
        f"FILTER NOT EXISTS {{ {pattern} }} }}"
    )
    return Check(
        shape, component.node, query, path, extra_messages=messages, focus=focus, sparql_rows=True
    )


def _filled(template: str, bound: dict[str, Node]) -> str:
    """A message template with the parameters filled in (``{$lang}``, ``{?lang}``)."""
    for name, value in bound.items():
        template = template.replace("{$" + name + "}", str(value))
        template = template.replace("{?" + name + "}", str(value))
    return template
