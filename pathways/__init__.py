"""pathways: an engine that makes micro-credential pathways checkable and navigable.

The public API is small; see the README for a tour.

>>> from pathways import KnowledgeGraph
>>> kg = KnowledgeGraph.open()
>>> len(kg) > 1000  # the bundled ontology is always there
True
"""

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
