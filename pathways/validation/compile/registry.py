"""The one dispatcher over SHACL constraint components: parameter -> rule.

Whole-graph compilation (:meth:`Compiler.shape_checks`) and inline conformance
(:meth:`Compiler.conforms`) both look a shape's parameters up here, so a new
component is one rule in the module of its concern, listed below.

>>> from rdflib.namespace import SH
>>> RULES[SH.minCount].components
(rdflib.term.URIRef('http://www.w3.org/ns/shacl#MinCountConstraintComponent'),)
>>> SH.DatatypeConstraintComponent in COMPILED_COMPONENTS
True
"""

from __future__ import annotations

from rdflib import URIRef

from pathways.validation.compile import cardinality, logical, other, property_pairs, value_type
from pathways.validation.compile import values as value_tests
from pathways.validation.compile.rules import Rule, ValueRule

__all__ = ["COMPILED_COMPONENTS", "RULES"]

#: Every rule by its parameter (``sh:class``, ``sh:minCount``, ...).
RULES: dict[URIRef, Rule] = {
    rule.parameter: rule
    for rule in (
        *value_type.RULES,
        *value_tests.RULES,
        *logical.RULES,
        *cardinality.RULES,
        *property_pairs.RULES,
        *other.RULES,
    )
}


def _components(rule: Rule) -> tuple[URIRef, ...]:
    return (rule.component,) if isinstance(rule, ValueRule) else rule.components


#: Constraint components the compiler translates to SPARQL.
COMPILED_COMPONENTS: frozenset[URIRef] = frozenset(
    component for rule in RULES.values() for component in _components(rule)
)
