"""Value type constraint components: ``sh:class``, ``sh:datatype``, ``sh:nodeKind``.

>>> from rdflib import RDFS
>>> _datatype_violation(RDFS.Literal, "?v")
'!isLiteral(?v)'
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, XSD, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from pathways.validation.compile.rules import Site, ValueRule
from pathways.validation.plans import Check, Unsupported

if TYPE_CHECKING:
    from pathways.validation.compile.compiler import Compiler

__all__ = ["RULES"]

# Datatypes whose well-formedness rdflib checks (``Literal.ill_typed``), with the cast
# that fails in SPARQL exactly when the lexical form is ill-formed, and a range.
_CASTS: dict[URIRef, tuple[URIRef, str]] = {
    XSD.integer: (XSD.integer, ""),
    XSD.decimal: (XSD.decimal, ""),
    XSD.double: (XSD.double, ""),
    XSD.float: (XSD.float, ""),
    XSD.boolean: (XSD.boolean, ""),
    XSD.dateTime: (XSD.dateTime, ""),
    XSD.date: (XSD.date, ""),
    XSD.nonNegativeInteger: (XSD.integer, ">= 0"),
    XSD.positiveInteger: (XSD.integer, "> 0"),
}
_UNCHECKED = {XSD.string, XSD.anyURI, XSD.normalizedString, XSD.token, RDF.langString, RDF.HTML}

_NODE_KINDS = {
    SH.IRI: "!isIRI({v})",
    SH.BlankNode: "!isBlank({v})",
    SH.Literal: "!isLiteral({v})",
    SH.BlankNodeOrIRI: "isLiteral({v})",
    SH.BlankNodeOrLiteral: "isIRI({v})",
    SH.IRIOrLiteral: "isBlank({v})",
}


def _class(compiler: Compiler, shape: Node, arg: Node, v: str, seen: frozenset[Node]) -> str:
    return f"NOT EXISTS {{ {compiler.instance_of(v, arg)} }}"


def _datatype(compiler: Compiler, shape: Node, arg: Node, v: str, seen: frozenset[Node]) -> str:
    return _datatype_violation(arg, v)


def _node_kind(compiler: Compiler, shape: Node, arg: Node, v: str, seen: frozenset[Node]) -> str:
    if not isinstance(arg, URIRef) or arg not in _NODE_KINDS:
        raise Unsupported(f"an unknown sh:nodeKind {arg}")
    return _NODE_KINDS[arg].replace("{v}", v)


def _lexical_datatype(compiler: Compiler, site: Site, arg: Node) -> list[Check] | None:
    """A datatype SPARQL cannot check the lexical space of: every value is returned
    and the engine decides with rdflib (:attr:`Check.lexical`)."""
    if not _lexical_only(arg):
        return None
    query = f"SELECT DISTINCT ?this ?value WHERE {{ {site.focus} {site.values} }}"
    check = Check(site.shape, SH.DatatypeConstraintComponent, query, site.path)
    return [dataclasses.replace(check, lexical=URIRef(str(arg)))]


def _datatype_violation(datatype: Node, v: str) -> str:
    if not isinstance(datatype, URIRef):
        raise Unsupported("a non-IRI sh:datatype")
    if datatype == RDFS.Literal:
        return f"!isLiteral({v})"
    same = f"isLiteral({v}) && sameTerm(datatype({v}), <{datatype}>)"
    if datatype in _CASTS:
        cast, bound = _CASTS[datatype]
        check = f"STRLEN(STR(<{cast}>(STR({v})))) >= 0"
        if bound:
            check = f"<{cast}>(STR({v})) {bound}"
        return f"!COALESCE({same} && {check}, false)"
    if datatype in _UNCHECKED or not datatype.startswith(str(XSD)):
        return f"!COALESCE({same}, false)"
    raise Unsupported(f"sh:datatype {datatype} (well-formedness not compiled)")


def _lexical_only(datatype: Node) -> bool:
    """An XSD datatype whose well-formedness the engine checks with rdflib, not SPARQL."""
    return (
        isinstance(datatype, URIRef)
        and datatype.startswith(str(XSD))
        and datatype not in _CASTS
        and datatype not in _UNCHECKED
    )


RULES = (
    ValueRule(SH["class"], SH.ClassConstraintComponent, _class),
    ValueRule(SH.datatype, SH.DatatypeConstraintComponent, _datatype, _lexical_datatype),
    ValueRule(SH.nodeKind, SH.NodeKindConstraintComponent, _node_kind),
)
