"""Graph-wide SHACL-SPARQL constraints evaluated by a graph algorithm.

Some constraints are reachability questions over the whole graph. Run once per focus
node, as SHACL prescribes, each one walks the transitive closure again; run as one
query, Oxigraph still walks it once per row. For the constraints listed here the
compiler attaches a native evaluator that answers the same question with one graph
algorithm over the same triples. A constraint is recognised only by its exact query
text (whitespace aside) and its ``pw:`` prefix: any change to the text falls back to
the generic compiled query, and tests compare both with pyshacl.

- ``pwsh:PrerequisiteCycleShape-cycle``: the prerequisite ``?value`` of ``$this`` leads
  back to it (``?value pw:prerequisite* $this``) exactly when the link lies inside a
  strongly connected component of the prerequisite graph (or is a self-loop).

>>> sorted(NATIVE_RULES)
['prerequisite-cycle']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx
from rdflib.term import Node

from pathways.rdf.store import KnowledgeGraph, to_rdflib
from pathways.vocab import PW

__all__ = ["NATIVE_RULES", "native_rule"]

_PREREQUISITE_CYCLE = """
SELECT DISTINCT $this ?value ?path
WHERE {
    $this pw:prerequisite ?value .
    FILTER EXISTS {
        ?value pw:prerequisite* $this .
    }
    BIND (pw:prerequisite AS ?path)
}
"""

Row = dict[str, Node]
Evaluator = Callable[[KnowledgeGraph, str], list[Row]]


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _prerequisite_cycles(kg: KnowledgeGraph, focus: str) -> list[Row]:
    graph: Any = nx.DiGraph()
    edges = [
        (row["s"], row["o"])
        for row in kg.raw_query(f"SELECT ?s ?o WHERE {{ ?s <{PW.prerequisite}> ?o }}")
    ]
    graph.add_edges_from(edges)
    component: dict[Any, int] = {}
    for index, members in enumerate(nx.strongly_connected_components(graph)):
        for member in members:
            component[member] = index
    cyclic = [(s, o) for s, o in edges if s == o or component[s] == component[o]]
    if not cyclic:
        return []
    targets = {row["this"] for row in kg.raw_query(f"SELECT DISTINCT ?this WHERE {{ {focus} }}")}
    return [
        {"this": to_rdflib(s), "value": to_rdflib(o), "path": PW.prerequisite}
        for s, o in sorted(cyclic, key=str)
        if s in targets
    ]


NATIVE_RULES: dict[str, tuple[str, Evaluator]] = {
    "prerequisite-cycle": (_normalised(_PREREQUISITE_CYCLE), _prerequisite_cycles),
}


def native_rule(select: str, prefixes: dict[str, str]) -> str | None:
    """The name of the native rule for this ``sh:select`` text, or None.

    >>> native_rule(_PREREQUISITE_CYCLE, {"pw": str(PW)})
    'prerequisite-cycle'
    >>> native_rule(_PREREQUISITE_CYCLE.replace("*", "+"), {"pw": str(PW)}) is None
    True
    """
    if prefixes.get("pw") != str(PW):
        return None
    text = _normalised(select)
    return next((name for name, (key, _run) in NATIVE_RULES.items() if key == text), None)
