"""Shape-based and logical constraint components over referenced shapes: ``sh:node``,
``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone``.

Each is a test on every value node, written with the referenced shapes' conformance
expressions (:meth:`~pathways.validation.compile.compiler.Compiler.conforms`);
``sh:node`` runs the node shape's own checks over the values where it can.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from rdflib.namespace import SH
from rdflib.term import Node

from pathways.validation.compile.rules import Site, ValueRule, members
from pathways.validation.plans import Check

if TYPE_CHECKING:
    from pathways.validation.compile.compiler import Compiler

__all__ = ["RULES"]


def _node(compiler: Compiler, shape: Node, arg: Node, v: str, seen: frozenset[Node]) -> str:
    return f"!({compiler.conforms(arg, v, seen)})"


def _not(compiler: Compiler, shape: Node, arg: Node, v: str, seen: frozenset[Node]) -> str:
    return f"({compiler.conforms(arg, v, seen)})"


def _and(compiler: Compiler, shape: Node, arg: Node, v: str, seen: frozenset[Node]) -> str:
    parts = [compiler.conforms(m, v, seen) for m in members(compiler.sg, arg)]
    return "!(" + (" && ".join(parts) or "true") + ")"


def _or(compiler: Compiler, shape: Node, arg: Node, v: str, seen: frozenset[Node]) -> str:
    parts = [compiler.conforms(m, v, seen) for m in members(compiler.sg, arg)]
    return "!(" + (" || ".join(parts) or "false") + ")"


def _xone(compiler: Compiler, shape: Node, arg: Node, v: str, seen: frozenset[Node]) -> str:
    parts = [compiler.conforms(m, v, seen) for m in members(compiler.sg, arg)]
    return "(" + (" + ".join(f"IF({m}, 1, 0)" for m in parts) or "0") + ") != 1"


def _node_checks(compiler: Compiler, site: Site, target: Node) -> list[Check] | None:
    """sh:node as the node shape's own checks run over the value nodes: a value
    conforms when none of them reports it. Whole-graph queries instead of one
    conformance expression per value, and when the values are the focus nodes
    of a shape that also targets them, the very same queries (run once).

    None when that does not apply (the node shape has a path, nested property
    shapes whose results are about other nodes, or parts that do not compile):
    the caller then writes the conformance test inline.
    """
    parts = compiler.conformance_parts(site.shape, target, site.path, site.focus, site.seen)
    if parts is None:
        return None
    if not parts:
        return []
    query = f"SELECT DISTINCT ?this ?value WHERE {{ {site.focus} {site.values} }}"
    check = Check(site.shape, SH.NodeConstraintComponent, query, site.path)
    return [dataclasses.replace(check, conformance=tuple(parts))]


RULES = (
    ValueRule(SH.node, SH.NodeConstraintComponent, _node, _node_checks),
    ValueRule(SH["not"], SH.NotConstraintComponent, _not),
    ValueRule(SH["and"], SH.AndConstraintComponent, _and),
    ValueRule(SH["or"], SH.OrConstraintComponent, _or),
    ValueRule(SH.xone, SH.XoneConstraintComponent, _xone),
)
