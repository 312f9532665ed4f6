"""What an import returns: the graph in our ontology, findings and the sources read.

Every importer builds an :class:`ImportResult` through an :class:`ImportBuilder`, which
also records provenance: each imported resource gets ``prov:wasDerivedFrom`` a source
record (one per file) that names the file and the standard it follows::

    <iri> prov:wasDerivedFrom <urn:pathways:source:ctdl:1f3a...> .
    <urn:pathways:source:ctdl:1f3a...> a prov:Entity ;
        prov:atLocation "heriot-watt-pathway.ttl" ;
        dcterms:conformsTo <https://purl.org/ctdl/terms/> .

The source IRI is derived from the standard and the file's bytes, so the same input
always gives the same output.

>>> finding = Finding("x.ttl", "http://example.org/c1", "target listed twice", "warning")
>>> str(finding)
'x.ttl: http://example.org/c1: target listed twice [warning]'
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

from pathways.errors import InputError
from pathways.interop.progress import report_progress
from pathways.vocab import bind_prefixes

_T = TypeVar("_T")

__all__ = [
    "DCTERMS",
    "PROV",
    "Finding",
    "ImportBuilder",
    "ImportResult",
    "Severity",
    "Source",
]

PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")

Severity = Literal["error", "warning", "info"]
"""``error``: a file or record was not imported; ``warning``: imported with a loss or a
defect worth fixing at the source; ``info``: a mapping decision worth knowing."""

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, order=True)
class Finding:
    """One thing an importer noticed: where (file, node or row, field) and what."""

    file: str
    node: str | None
    message: str
    severity: Severity = "warning"
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "")
        if self.node:
            where += f": {self.node}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message} [{self.severity}]"

    def as_dict(self) -> dict[str, str | int | None]:
        """A JSON-ready mapping (for ``--findings-format json``)."""
        return {
            "file": self.file,
            "line": self.line,
            "node": self.node,
            "field": self.field,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass(frozen=True)
class Source:
    """One file read by an import, the standard it follows and whether it was usable."""

    file: str
    standard: str
    iri: str
    imported: bool = True


@dataclass(frozen=True)
class ImportResult:
    """The outcome of an import: ``graph`` in the pathways ontology, ``findings`` and
    ``sources``. ``has_errors`` is true when a file or record could not be imported."""

    graph: Graph
    findings: tuple[Finding, ...]
    sources: tuple[Source, ...]

    @property
    def has_errors(self) -> bool:
        """True when at least one finding is an error."""
        return any(f.severity == "error" for f in self.findings)

    @property
    def imported_nothing(self) -> bool:
        """True when the graph holds nothing but the provenance records of the sources
        (every file failed, or every record in them did)."""
        sources = {s.iri for s in self.sources}
        return all(str(s) in sources for s, _p, _o in self.graph)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The error findings only."""
        return tuple(f for f in self.findings if f.severity == "error")


def _finding_key(f: Finding) -> tuple[object, ...]:
    return (
        f.file,
        f.line or 0,
        _SEVERITY_ORDER[f.severity],
        f.node or "",
        f.field or "",
        f.message,
    )


@dataclass
class ImportBuilder:
    """Accumulates triples, findings and sources while an importer runs."""

    standard: str
    name: str = "source"
    graph: Graph = field(default_factory=Graph)
    findings: list[Finding] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def __post_init__(self) -> None:
        bind_prefixes(self.graph).bind("prov", PROV)

    def source(self, path: Path, data: bytes | None = None, *, imported: bool = True) -> URIRef:
        """Register a file (and report it started); return the IRI of its provenance record."""
        report_progress(path.name, 0, 0)
        digest = hashlib.sha256(data if data is not None else path.name.encode()).hexdigest()
        iri = URIRef(f"urn:pathways:source:{self.name}:{digest[:16]}")
        self.sources.append(Source(path.name, self.standard, str(iri), imported))
        if imported:
            self.graph.add((iri, RDF.type, PROV.Entity))
            self.graph.add((iri, PROV.atLocation, RdfLiteral(path.name)))
            self.graph.add((iri, DCTERMS.conformsTo, URIRef(self.standard)))
        return iri

    def each_file(
        self, paths: Iterable[Path], read: Callable[[Path], _T]
    ) -> Iterator[tuple[Path, _T]]:
        """The one read-and-record loop of the importers: each file with what ``read``
        made of it (its bytes, a parsed document, rows).

        A file ``read`` refuses with an :class:`~pathways.errors.InputError` (missing,
        unreadable, not the encoding or syntax expected, too large) is recorded, not
        raised: an unimported source and an error finding with the error's line and
        hint. The other files still import.
        """
        for path in paths:
            try:
                value = read(path)
            except InputError as err:
                self.source(path, None, imported=False)
                hint = f" ({err.hint})" if err.hint else ""
                self.find(path, None, err.message + hint, "error", line=err.line)
                continue
            yield path, value

    def derived(self, node: Node, source: URIRef) -> None:
        """Record that ``node`` was imported from ``source``."""
        self.graph.add((node, PROV.wasDerivedFrom, source))

    def add(self, s: Node, p: Node, o: Node) -> None:
        """Add one triple to the result."""
        self.graph.add((s, p, o))

    def find(
        self,
        file: str | Path,
        node: object,
        message: str,
        severity: Severity = "warning",
        *,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        """Record a finding (``node`` may be an rdflib term, a row label or None)."""
        name = file.name if isinstance(file, Path) else file
        self.findings.append(
            Finding(name, None if node is None else str(node), message, severity, field, line)
        )

    def result(self) -> ImportResult:
        """Freeze into an :class:`ImportResult` with findings in a stable order."""
        unique = sorted(set(self.findings), key=_finding_key)
        return ImportResult(self.graph, tuple(unique), tuple(self.sources))
