"""Exporters: one module per family of formats, gathered in one registry.

An exporter turns a :class:`~pathways.rdf.store.KnowledgeGraph` into bytes, the same
bytes for the same graph. Modules register themselves with :func:`exporter`; the
``export`` command offers every registered name.

>>> {"turtle", "ntriples", "jsonld", "rdfxml"} <= set(EXPORTERS)
True
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from pathways.errors import UsageError
from pathways.rdf.store import KnowledgeGraph

__all__ = ["EXPORTERS", "ExportOptions", "Exporter", "export", "exporter"]


@dataclass(frozen=True)
class ExportOptions:
    """What every exporter may be asked.

    Attributes
    ----------
    include_ontology : bool
        Also write the bundled ontology's triples (linked-data formats).
    jsonld_context : str
        ``"embedded"`` (inline context object), ``"published"`` (a reference to the
        published context URL) or ``"expanded"`` (no context) for ``jsonld``.
    pathway : str or None
        The IRI of a pw:ProgressionPathway or credential: pictures draw only it and what
        leads to it, ``ctdl`` and ``ob3`` export only it (and what it names);
        ``None`` draws or exports the whole graph.
    """

    include_ontology: bool = False
    jsonld_context: str = "embedded"
    pathway: str | None = None


ExportFunction = Callable[[KnowledgeGraph, ExportOptions], bytes]


@dataclass(frozen=True)
class Exporter:
    """A registered export format."""

    name: str
    function: ExportFunction
    media_type: str
    description: str


EXPORTERS: dict[str, Exporter] = {}

#: Modules that define exporters; imported on first use.
_MODULES = ("linked_data", "ctdl", "openbadges", "network", "pictures", "tables")


def exporter(
    name: str, media_type: str, description: str
) -> Callable[[ExportFunction], ExportFunction]:
    """Register a function as the exporter of format ``name``."""

    def register(function: ExportFunction) -> ExportFunction:
        EXPORTERS[name] = Exporter(name, function, media_type, description)
        return function

    return register


def _load_modules() -> None:
    for module in _MODULES:
        importlib.import_module(f"{__name__}.{module}")


def export(kg: KnowledgeGraph, fmt: str, options: ExportOptions | None = None) -> bytes:
    """Serialize ``kg`` in format ``fmt`` (a name of :data:`EXPORTERS`)."""
    try:
        chosen = EXPORTERS[fmt]
    except KeyError:
        raise UsageError(
            f"unknown export format {fmt!r}", hint="choose one of " + ", ".join(sorted(EXPORTERS))
        ) from None
    return chosen.function(kg, options or ExportOptions())


_load_modules()
