"""pathways: an engine that makes micro-credential pathways checkable and navigable.

The public API is small; see the README for a tour.

>>> from pathways import KnowledgeGraph
>>> kg = KnowledgeGraph.open()
>>> len(kg) > 1000  # the bundled ontology is always there
True
"""

from typing import TYPE_CHECKING, Any

from pathways.errors import (
    InputError,
    NoRouteError,
    NotFoundError,
    PathwaysError,
    QueryError,
    StoreError,
    UnsafeInputError,
    UsageError,
)

if TYPE_CHECKING:
    from pathways.rdf.store import KnowledgeGraph, LoadReport

__version__ = "0.1.0"

__all__ = [
    "InputError",
    "KnowledgeGraph",
    "LoadReport",
    "NoRouteError",
    "NotFoundError",
    "PathwaysError",
    "QueryError",
    "StoreError",
    "UnsafeInputError",
    "UsageError",
    "__version__",
]


def __getattr__(name: str) -> Any:
    """``KnowledgeGraph`` and ``LoadReport`` on first use: importing :mod:`pathways`
    (as ``pathways --help`` does) must not import rdflib and Oxigraph."""
    if name in ("KnowledgeGraph", "LoadReport"):
        from pathways.rdf import store

        return getattr(store, name)
    raise AttributeError(f"module 'pathways' has no attribute {name!r}")
