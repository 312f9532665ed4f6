"""SHACL shapes compiled to SPARQL queries that check a whole graph at once.

pyshacl evaluates every constraint focus node by focus node. Here each constraint
of a shape becomes one SELECT query over the whole data graph that returns exactly
the violating (focus node, value node) pairs, so Oxigraph (or any SPARQL 1.1 store)
does the work in one pass. The engine turns rows into results with pyshacl's own
messages, so both paths report the same thing.

One rule per constraint component, in the module of its concern (value type,
values, logical, cardinality, property pairs, other), and one table of them,
:mod:`~pathways.validation.compile.registry`, that whole-graph and inline
compilation both dispatch through (:mod:`~pathways.validation.compile.compiler`).

What compiles (see :data:`COMPILED_COMPONENTS`): targets (class with subclasses,
node, subjects-of, objects-of, implicit class targets); every SHACL path; the value
type, string, range, language, ``sh:in``, ``sh:hasValue``, ``sh:uniqueLang``, cardinality, property
pair, qualified value shape and ``sh:closed`` constraints; ``sh:node``, ``sh:not``,
``sh:and``, ``sh:or`` and ``sh:xone`` over shapes that compile to a conformance test; nested
``sh:property``; SHACL-SPARQL ``sh:sparql`` SELECT constraints (``$this`` bound
by the target pattern injected into the query body, or substituted per focus node
where only pre-binding binds it); and SPARQL-based constraint components
(:mod:`pathways.validation.components`). Anything else raises
:class:`Unsupported` and the engine hands that shape to pyshacl.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
... <x:S> a sh:NodeShape ; sh:targetClass <x:C> ;
...   sh:property [ sh:path <x:p> ; sh:minCount 1 ] .''', format="turtle")
>>> [plan.compiled for plan in compile_shapes(g)]
[True]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rdflib import BNode, Graph, URIRef

from pathways.validation.compile.compiler import Compiler
from pathways.validation.compile.merge import merge_checks
from pathways.validation.compile.registry import COMPILED_COMPONENTS
from pathways.validation.compile.targets import targeted_shapes
from pathways.validation.plans import Check, ShapePlan, Unsupported, deactivated, sparql_term

__all__ = [
    "COMPILED_COMPONENTS",
    "Check",
    "ShapePlan",
    "Unsupported",
    "compile_shapes",
    "merge_checks",
    "sparql_term",
]


def compile_shapes(
    sg: Graph,
    focus: tuple[URIRef, ...] = (),
    subclasses: Callable[[URIRef], Sequence[URIRef]] | None = None,
) -> list[ShapePlan]:
    """Plan every shape of ``sg`` that has targets: compiled checks or a reason not to.

    ``focus`` limits checks to those focus nodes (``--focus``). ``subclasses`` gives
    the classes below a class in the data graph (``rdfs:subClassOf+``); with it an
    instance test is written over those few classes (``?x a C``, a UNION for more)
    instead of the path ``?x a/rdfs:subClassOf* C``, which Oxigraph evaluates about
    three times slower. The queries then hold for that data's class hierarchy.
    """
    compiler = Compiler(sg, focus, subclasses)
    plans: list[ShapePlan] = []
    for shape in sorted(targeted_shapes(sg), key=lambda n: (isinstance(n, BNode), str(n))):
        try:
            if deactivated(sg, shape):
                continue
            compiler.delegated = []
            checks = tuple(compiler.top_level(shape))
            plans.append(ShapePlan(shape, checks, delegated=tuple(compiler.delegated)))
        except Unsupported as err:
            plans.append(ShapePlan(shape, (), str(err)))
    return merge_checks(plans)
