"""The report as a standard SHACL ``sh:ValidationReport`` in Turtle (every result,
whatever the severity listed elsewhere)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from rdflib import BNode, URIRef
from rdflib.term import Node

from pathways.rdf.iris import shorten
from pathways.rdf.terms import ground_term, quoted
from pathways.validation.results import PathExpr, ValidationReport
from pathways.vocab import PREFIXES

__all__ = ["to_turtle"]


def to_turtle(report: ValidationReport) -> str:
    """A standard SHACL ``sh:ValidationReport`` in Turtle, results in report order.

    Written directly rather than through rdflib's serializer, which sorts and
    nests a whole graph in Python (155 s for the 210k results of 10k credentials;
    this writer takes 4.4-4.9 s). Blank focus nodes, values and shapes get ids
    derived from their descriptions, so the same report gives the same bytes.
    """
    conforms = "true" if report.conforms else "false"
    out = [f"[] a sh:ValidationReport ;\n    sh:conforms {conforms}"]
    written: dict[object, str] = {}  # terms, paths and messages repeat: each written once

    def once(key: Any, write: Callable[[Any], str]) -> str:
        found = written.get(key)
        if found is None:
            found = written[key] = write(key)
        return found

    def term(node: Node) -> str:
        return once(node, lambda n: _ttl(_stable(n, report)))

    def path(expr: PathExpr) -> str:
        return once(expr, _ttl_path)

    def message(text: str) -> str:
        return once(text, quoted)

    blocks = []
    for r in report.results:
        lines = [
            "a sh:ValidationResult",
            f"sh:focusNode {term(r.focus)}",
            *(f"sh:resultMessage {message(m)}" for m in r.messages),
        ]
        if r.path is not None:
            lines.append(f"sh:resultPath {path(r.path)}")
        lines.append(f"sh:resultSeverity {term(r.severity)}")
        lines.append(f"sh:sourceConstraintComponent {term(r.component)}")
        lines.append(f"sh:sourceShape {term(r.shape)}")
        if r.value is not None:
            lines.append(f"sh:value {term(r.value)}")
        blocks.append("[ " + " ;\n            ".join(lines) + " ]")
    if blocks:
        out[-1] += " ;\n    sh:result " + ",\n        ".join(blocks)
    out[-1] += " ."
    body = "\n".join(out) + "\n"
    # Every term follows a space (a datatype follows ^^): declare the prefixes used.
    used = sorted(p for p in PREFIXES if f" {p}:" in body or f"^^{p}:" in body)
    return "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in used) + "\n" + body


def _ttl(node: Node) -> str:
    """A term in Turtle: a prefixed name where one fits, else <iri>, a literal or _:id."""
    return ground_term(node, _ttl_iri) or f"_:{node}"


def _ttl_iri(iri: str) -> str:
    text = shorten(iri)
    return text if not text.startswith("<") else "<" + _iri_escape(iri) + ">"


_IRI_UNSAFE = re.compile(r'[<>"{}|^`\\\x00-\x20]')


def _iri_escape(iri: str) -> str:
    if not _IRI_UNSAFE.search(iri):
        return iri
    return "".join(f"\\u{ord(c):04X}" if c in '<>"{}|^`\\' or ord(c) <= 0x20 else c for c in iri)


def _ttl_path(path: PathExpr) -> str:
    """A SHACL path in Turtle: the IRI, or nested blank nodes and lists."""
    if isinstance(path, URIRef):
        return _ttl(path)
    operator, operand = path
    if operator == "/":
        return "( " + " ".join(_ttl_path(p) for p in operand) + " )"
    if operator == "|":
        return "[ sh:alternativePath ( " + " ".join(_ttl_path(p) for p in operand) + " ) ]"
    predicate = {"^": "sh:inversePath", "*": "sh:zeroOrMorePath", "+": "sh:oneOrMorePath"}.get(
        operator, "sh:zeroOrOnePath"
    )
    return f"[ {predicate} {_ttl_path(operand[0])} ]"


def _stable(node: Node, report: ValidationReport) -> Node:
    # Blank nodes get ids derived from their description, so output is reproducible.
    if isinstance(node, BNode):
        return BNode(f"n{_digest(report.describe(node))}")
    return node


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
