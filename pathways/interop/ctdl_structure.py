"""The structural defects of CTDL pathways a registry publisher is told about:
components the destination does not reach, a destination two pathways disagree on,
and cycles through conditions or ``precedes``. Each is a finding on its node.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
from rdflib import RDF, Graph
from rdflib.term import Node

from pathways.interop.ctdl_classes import (
    ASN,
    CEASN,
    COMPONENTS,
    LEARNING,
    MICRO,
    OTHER,
    QUALIFICATION,
    ctdl_types,
)
from pathways.vocab import CTDL

__all__ = ["reachable", "structure_findings"]

#: ``(node, message)``: record a warning about ``node``.
Find = Callable[[object, str], None]


def structure_findings(src: Graph, ambiguous: set[Node], find: Find) -> None:
    """The structural defects a registry publisher is told about, each on its node.

    Components that the destination does not reach (through conditions, their
    targets, ``ceasn:hasChild`` or ``precededBy``), and cycles through conditions
    or ``precedes`` (a component that would have to be completed before itself).
    """
    reached: set[Node] = set()
    for pathway in src.subjects(RDF.type, CTDL.Pathway):
        for destination in src.objects(pathway, CTDL.hasDestinationComponent):
            reached |= reachable(src, destination)
            reached |= _reachable_forward(src, destination)
    if any(True for _ in src.subjects(RDF.type, CTDL.Pathway)):
        for node in sorted(
            {n for n in src.subjects(RDF.type, None) if ctdl_types(src, n) & COMPONENTS},
            key=str,
        ):
            claimed = [
                p
                for prop in ("isDestinationComponentFor", "isDestinationComponentOf")
                for p in src.objects(node, CTDL[prop])
            ]
            if claimed and node not in reached:
                stated = ", ".join(
                    str(d) for p in claimed for d in src.objects(p, CTDL.hasDestinationComponent)
                )
                find(
                    node,
                    f"says it is the destination of {', '.join(map(str, claimed))}, whose "
                    f"ceterms:hasDestinationComponent is {stated or 'not stated'}: make the "
                    "two agree (one destination per pathway)",
                )
            elif node not in reached and node not in ambiguous:
                find(
                    node,
                    "component is not connected to any pathway's destination: no condition "
                    "of the destination leads to it; make it a ceterms:targetComponent of a "
                    "condition on the way, or remove it from the pathway",
                )
    _cycles(src, find)


def _reachable_forward(src: Graph, start: Node) -> set[Node]:
    """Components that lead to ``start`` by ``precedes`` (earlier steps)."""
    seen: set[Node] = set()
    stack = [start]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(src.subjects(CTDL.precedes, node))
        stack.extend(reachable(src, node) - seen)
    return seen


def _cycles(src: Graph, find: Find) -> None:
    graph: nx.DiGraph = nx.DiGraph()
    for owner, condition in src.subject_objects(CTDL.hasCondition):
        graph.add_edge(owner, condition)
    for condition, target in src.subject_objects(CTDL.targetComponent):
        graph.add_edge(condition, target)
    for a, b in src.subject_objects(CTDL.precedes):
        if (a, RDF.type, ASN.ProgressionLevel) not in src:
            graph.add_edge(b, a)  # b needs a first
    for b, a in src.subject_objects(CTDL.precededBy):
        graph.add_edge(b, a)
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        members = sorted(
            (
                n
                for n in component
                if ctdl_types(src, n) & (COMPONENTS | LEARNING | MICRO | QUALIFICATION | OTHER)
            ),
            key=str,
        )
        if not members:
            continue
        find(
            members[0],
            "cycle through conditions or precedes: "
            + " -> ".join(str(m) for m in members)
            + " would each have to be completed before the other; remove one link",
        )


def reachable(src: Graph, start: Node) -> set[Node]:
    """Components reached from ``start`` through conditions, targets, children and
    ``precededBy``."""
    seen: set[Node] = set()
    stack = [start]
    links = (CTDL.hasCondition, CTDL.targetComponent, CEASN.hasChild, CTDL.precededBy)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for link in links:
            stack.extend(src.objects(node, link))
    return {
        n
        for n in seen
        if ctdl_types(src, n) & (COMPONENTS | LEARNING | QUALIFICATION | MICRO | OTHER)
    }
