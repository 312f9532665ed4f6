"""The rdflib view of a knowledge graph, and term conversion between the two libraries.

:attr:`pathways.rdf.store.KnowledgeGraph.graph` is an rdflib :class:`~rdflib.Graph` over
an oxrdflib store whose triples have their literals as written (see
:mod:`pathways.rdf.literals`); :func:`to_rdflib` and :func:`to_oxigraph` convert terms.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import BNode, Node, URIRef
from rdflib.term import Literal as RdfLiteral

from pathways.rdf.literals import AsWritten
from pathways.vocab import XSD_STRING

if TYPE_CHECKING:
    from pathways.rdf.store import KnowledgeGraph

__all__ = ["FastBoolGraph", "as_written_store", "to_oxigraph", "to_rdflib"]


def as_written_store(kg: KnowledgeGraph) -> Any:
    """An oxrdflib store over the knowledge graph's default graph whose triples have
    their literals as written (see the module docstring)."""
    from oxrdflib import OxigraphStore

    class AsWrittenStore(OxigraphStore):
        def triples(self, triple_pattern: Any, context: Any = None) -> Any:
            record = kg.as_written
            if not record:
                return super().triples(triple_pattern, context)
            return self._as_written(record, triple_pattern)

        def _as_written(self, record: AsWritten, pattern: Any) -> Iterator[Any]:
            s, p, o = pattern
            wanted = None
            try:
                subject = None if s is None else to_oxigraph(s)
                predicate = None if p is None else to_oxigraph(p)
                obj = None if o is None else to_oxigraph(o)
            except TypeError:
                return
            if isinstance(obj, ox.Literal):
                wanted = obj
                obj = kg._forms.stored(obj) or obj
            contexts = (Graph(store=self, identifier=DATASET_DEFAULT_GRAPH_ID),)
            try:
                quads = kg.store.quads_for_pattern(subject, predicate, obj, ox.DefaultGraph())
            except (TypeError, ValueError):
                return
            for quad in quads:
                qs, qp = quad.subject, quad.predicate
                found = record.objects(qs, qp, quad.object)
                if len(found) == 1:
                    if wanted is None or found[0] == wanted:
                        yield (to_rdflib(qs), to_rdflib(qp), to_rdflib(found[0])), iter(contexts)
                    continue
                # rdflib may read two of them as one term ("01" and "1"^^xsd:integer)
                terms = {to_rdflib(w): w for w in found if wanted is None or w == wanted}
                for term in terms:
                    yield (to_rdflib(qs), to_rdflib(qp), term), iter(contexts)

        def __len__(self, context: Any = None) -> int:
            return len(kg)

        def query(self, *args: Any, **kwargs: Any) -> Any:
            if kg.as_written:  # Oxigraph would see its own forms: rdflib evaluates it
                raise NotImplementedError("literals as written: rdflib evaluates queries")
            return super().query(*args, **kwargs)

    return AsWrittenStore(store=kg.store)


class FastBoolGraph(Graph):
    """An rdflib Graph whose truth value does not count triples (see __bool__ above)."""

    def __bool__(self) -> bool:
        return True


def to_rdflib(term: Any) -> Node:
    """Convert an Oxigraph term to the equal rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RdfLiteral(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return RdfLiteral(term.value)
        return RdfLiteral(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported Oxigraph term {term!r}")


def to_oxigraph(term: Node) -> Any:
    """Convert an rdflib term to the equal Oxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, RdfLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported rdflib term {term!r}")
