"""Writing an import's graph: deterministic Turtle or N-Triples, or into a store.

Blank nodes get canonical labels and triples are sorted before Oxigraph serializes
them, so the same input always gives the same bytes (as :mod:`pathways.export` does).

>>> from rdflib import Graph, URIRef, Literal
>>> g = Graph()
>>> _ = g.add((URIRef("http://ex.org/b"), URIRef("http://ex.org/p"), Literal("x")))
>>> print(serialize(g, "ntriples").decode().strip())
<http://ex.org/b> <http://ex.org/p> "x" .
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Graph

from pathways.errors import UsageError
from pathways.rdf.store import KnowledgeGraph, LoadReport, to_oxigraph
from pathways.vocab import PREFIXES

__all__ = ["OUTPUT_FORMATS", "load_into", "oxigraph_triples", "serialize"]

OUTPUT_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}
# "esco:" (http://data.europa.eu/esco/) would write ESCO IRIs as esco:skill\/...; full IRIs
# read better.
_PREFIXES = {
    **{p: ns for p, ns in PREFIXES.items() if p != "esco"},
    "prov": "http://www.w3.org/ns/prov#",
}


def _sorted_ntriples(data: bytes) -> bytes:
    lines = sorted(set(data.splitlines()))
    return b"\n".join(line for line in lines if line) + b"\n"


def oxigraph_triples(graph: Graph) -> list[ox.Triple]:
    """The graph's triples as Oxigraph terms, blank nodes canonical, sorted.

    Sorting is done on canonical N-Triples lines (bytes, in C) rather than on Python
    strings of terms, which keeps the whole of ESCO (330,000 triples) fast.
    """
    store = graph.store
    inner: Any = getattr(store, "_store", None) if isinstance(store, OxigraphStore) else None
    if isinstance(inner, ox.Store):  # an Oxigraph-backed import (ESCO): no rdflib round trip
        quads: Any = inner.quads_for_pattern(None, None, None, ox.DefaultGraph())
    else:
        quads = [
            ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.DefaultGraph())
            for s, p, o in graph
        ]
    dataset = ox.Dataset(quads)
    if any(
        isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in dataset
    ):
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    data = ox.serialize(dataset, format=ox.RdfFormat.N_QUADS) or b""
    ordered = _sorted_ntriples(data)
    return [q.triple for q in ox.parse(ordered, format=ox.RdfFormat.N_TRIPLES)]


def _used_prefixes(ntriples: bytes) -> dict[str, str]:
    return {p: ns for p, ns in _PREFIXES.items() if b"<" + ns.encode() in ntriples}


def serialize(graph: Graph, fmt: str = "turtle") -> bytes:
    """Serialize deterministically as ``turtle`` (with the project prefixes) or ``ntriples``."""
    if fmt not in OUTPUT_FORMATS:
        raise UsageError(f"unknown output format {fmt!r}", hint="use turtle or ntriples")
    triples = oxigraph_triples(graph)
    rdf_format = OUTPUT_FORMATS[fmt]
    if rdf_format == ox.RdfFormat.N_TRIPLES:
        data = ox.serialize(triples, format=rdf_format)
    else:
        index = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        data = ox.serialize(triples, format=rdf_format, prefixes=_used_prefixes(index))
    assert data is not None
    return data if not data or data.endswith(b"\n") else data + b"\n"


def load_into(kg: KnowledgeGraph, graph: Graph) -> LoadReport:
    """Load an import's graph into a knowledge graph atomically (via a temporary file)."""
    fd, name = tempfile.mkstemp(suffix=".nt", prefix="pathways-import-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(serialize(graph, "ntriples"))
        return kg.load([Path(name)])
    finally:
        Path(name).unlink(missing_ok=True)
