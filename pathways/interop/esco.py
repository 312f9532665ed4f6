"""Import the official ESCO CSV export (plain or gzip) into the pathways ontology.

Files are recognised by their header, whatever their name:

=====================================  ==================================================
file (ESCO v1.1.1 export)              pathways
=====================================  ==================================================
``occupations_*.csv``                  ``pw:Occupation``, ``skos:prefLabel``,
                                       ``skos:altLabel``, ``pw:description``,
                                       ``pw:iscoGroup`` (the four-digit ISCO code)
``skills_*.csv``                       ``pw:Skill``, ``skos:prefLabel``, ``skos:altLabel``,
                                       ``pw:description``
``occupationSkillRelations.csv``       ``pw:essentialSkill`` / ``pw:optionalSkill``
(also with label columns)
``ISCOGroups_*.csv``                   ``skos:Concept`` with ``skos:prefLabel`` and
                                       ``skos:notation``
``broaderRelationsOccPillar.csv``      ``skos:broader``
=====================================  ==================================================

The CSVs are streamed with :mod:`csv` and the triples built as Oxigraph terms (no
rdflib ``Graph.add`` per triple), so the whole of ESCO v1.1.1 (3,000 occupations,
13,900 skills, 124,000 relations) imports in seconds. A selection (``occupations``,
``isco_groups``) keeps the chosen occupations, their relations and the skills they name.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "rel.csv").write_text(
...     "occupationUri,relationType,skillType,skillUri\\n"
...     "http://data.europa.eu/esco/occupation/o1,essential,knowledge,"
...     "http://data.europa.eu/esco/skill/s1\\n")
>>> result = import_esco([folder / "rel.csv"])
>>> [f.severity for f in result.findings]
[]
>>> len(result.graph) > 0
True
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from pathways.errors import InputError, NotFoundError, UsageError, nearest
from pathways.interop.documents import read_bytes
from pathways.interop.progress import report_progress
from pathways.interop.results import ImportBuilder, ImportResult
from pathways.vocab import PW, bind_prefixes

__all__ = ["STANDARD", "import_esco"]

STANDARD = "http://data.europa.eu/esco/model#"

#: Largest decompressed size of a gzip file (the largest ESCO v1.1.1 file is 21 MB).
MAX_GUNZIPPED = 1 << 30

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_PREF = ox.NamedNode(_SKOS + "prefLabel")
_ALT = ox.NamedNode(_SKOS + "altLabel")
_NOTATION = ox.NamedNode(_SKOS + "notation")
_BROADER = ox.NamedNode(_SKOS + "broader")
_CONCEPT = ox.NamedNode(_SKOS + "Concept")
_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
_OCCUPATION = ox.NamedNode(str(PW.Occupation))
_SKILL = ox.NamedNode(str(PW.Skill))
_ISCO = ox.NamedNode(str(PW.iscoGroup))
_DESCRIPTION = ox.NamedNode(str(PW.description))
_RELATIONS = {
    "essential": ox.NamedNode(str(PW.essentialSkill)),
    "optional": ox.NamedNode(str(PW.optionalSkill)),
}

#: Columns that identify each kind of file (all must be present), in processing order.
KINDS: dict[str, tuple[str, ...]] = {
    "occupations": ("conceptUri", "iscoGroup", "preferredLabel"),
    "relations": ("occupationUri", "relationType", "skillUri"),
    "skills": ("conceptUri", "skillType", "preferredLabel"),
    "isco": ("conceptUri", "code", "preferredLabel", "conceptType"),
    "broader": ("conceptUri", "broaderUri"),
}


@dataclass
class _Selection:
    occupations: set[str] = field(default_factory=set)
    isco_groups: tuple[str, ...] = ()
    skills: set[str] = field(default_factory=set)
    active: bool = False
    #: What the files hold, to say what exists when a selection matches nothing:
    #: occupation IRI -> its names (local name, labels); ISCO codes of occupations.
    seen: dict[str, list[str]] = field(default_factory=dict)
    seen_groups: set[str] = field(default_factory=set)
    asked: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.active = bool(self.occupations or self.isco_groups)
        self.asked = frozenset(self.occupations)

    def see(self, occupation: str, label: str = "", isco: str = "") -> None:
        names = self.seen.setdefault(occupation, [occupation.rsplit("/", 1)[-1]])
        if label and label not in names:
            names.append(label)
        if isco:
            self.seen_groups.add(isco)

    def check(self, kinds: Iterable[str]) -> None:
        """Raise :class:`NotFoundError` for a chosen occupation or ISCO group the files
        do not hold (the import would otherwise be silently empty)."""
        problems: list[str] = []
        hints: list[str] = []
        for iri in sorted(self.asked - set(self.seen)):
            close = nearest(iri.rsplit("/", 1)[-1], self.seen, n=3)
            problems.append(f"occupation {iri} is not in the files")
            if close:
                hints.append("nearest occupations: " + ", ".join(close))
        if self.isco_groups and "occupations" not in kinds:
            raise UsageError(
                "selecting by ISCO group needs the occupations file, which was not given",
                hint="add the ESCO occupations_<lang>.csv file",
            )
        for group in self.isco_groups:
            if not any(code.startswith(group) for code in self.seen_groups):
                problems.append(f"no occupation of the files is in ISCO group {group!r}")
                hints.append(_groups_near(group, self.seen_groups))
        if problems:
            if not self.seen:
                hints.append("the files name no occupation at all")
            raise NotFoundError("; ".join(problems), hint="; ".join(hints) or None)


def _groups_near(group: str, codes: set[str]) -> str:
    """The ISCO groups of the files that share the longest prefix with ``group``."""
    for length in range(len(group) - 1, -1, -1):
        shared = sorted({c[: len(group)] for c in codes if c.startswith(group[:length])})
        if shared:
            shown = ", ".join(shared[:12]) + (
                f", ... ({len(shared)} in all)" if len(shared) > 12 else ""
            )
            return (
                f"ISCO groups in the files{' under ' + group[:length] if length else ''}: {shown}"
            )
    return "the files hold no ISCO group"


#: Rows between two progress reports within a file.
_PROGRESS_ROWS = 1000


def _open_text(path: Path) -> io.TextIOBase:
    data = read_bytes(path)
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as archive:
                data = archive.read(MAX_GUNZIPPED + 1)
        except (OSError, EOFError, zlib.error) as err:
            raise InputError(f"broken gzip file: {err}", path=path) from err
        if len(data) > MAX_GUNZIPPED:  # a "zip bomb"; all of ESCO v1.1.1 is 21 MB
            raise InputError(
                f"decompresses to more than {MAX_GUNZIPPED >> 20} MiB",
                path=path,
                hint="decompress it yourself and import the CSV if it is genuine",
            )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError("not UTF-8 text", path=path, hint="save the CSV as UTF-8") from err
    return io.StringIO(text, newline="")


def _kind(header: Sequence[str]) -> str | None:
    names = set(header)
    if "conceptType" in names and "code" in names and "iscoGroup" not in names:
        return "isco" if "broaderUri" not in names else "broader"
    for kind, columns in KINDS.items():
        if set(columns) <= names:
            return kind
    return None


def _rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    handle = _open_text(path)
    total = handle.seek(0, io.SEEK_END)  # characters, for progress within the file
    handle.seek(0)
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("empty CSV file (no header row)", path=path) from None
    except csv.Error as err:
        raise InputError(f"CSV syntax error: {err}", path=path, line=1) from err

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        count = 0
        while True:
            count += 1
            if count % _PROGRESS_ROWS == 0:
                report_progress(path.name, handle.tell(), total)
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                raise InputError(
                    f"CSV syntax error: {err}", path=path, line=reader.line_num
                ) from err
            if not values:
                continue
            if len(values) != len(header):
                yield (
                    reader.line_num,
                    {"__error__": f"{len(values)} fields, expected {len(header)}"},
                )
                continue
            yield reader.line_num, dict(zip(header, values, strict=True))

    return header, rows()


def _iri(value: str) -> ox.NamedNode | None:
    value = value.strip()
    if not value.startswith(("http://", "https://")):
        return None
    try:
        return ox.NamedNode(value)
    except ValueError:
        return None


def _labels(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def import_esco(
    paths: Iterable[str | Path],
    *,
    occupations: Iterable[str] = (),
    isco_groups: Iterable[str] = (),
    language: str = "en",
) -> ImportResult:
    """Import ESCO CSV files (occupations, skills, relations, ISCO groups).

    Parameters
    ----------
    paths
        ESCO CSV files, plain or gzip-compressed, recognised by their header.
    occupations
        Keep only these occupation IRIs (with their relations and skills).
    isco_groups
        Keep only occupations whose ISCO code starts with one of these (``"7231"``).
    language
        The language tag of the labels (the export is one language per file).

    Returns
    -------
    ImportResult
        Its ``graph`` is backed by Oxigraph (fast to serialize and load).

    Raises
    ------
    NotFoundError
        When a chosen occupation, or an ISCO group, is not in the files (with the
        nearest ones that are).
    """
    out = ImportBuilder(STANDARD, "esco")
    selection = _Selection({o.strip() for o in occupations}, tuple(g.strip() for g in isco_groups))
    triples: list[ox.Quad] = []
    files: dict[str, list[tuple[Path, list[str], Iterator[tuple[int, dict[str, str]]], bytes]]] = {}
    for path, (header, rows) in out.each_file([Path(p) for p in paths], _rows):
        kind = _kind(header)
        if kind is None:
            out.source(path, None, imported=False)
            out.find(
                path,
                None,
                "not an ESCO CSV export: the header lacks the columns of every known file "
                "(occupations: conceptUri, iscoGroup, preferredLabel; skills: conceptUri, "
                "skillType, preferredLabel; relations: occupationUri, relationType, skillUri)",
                "error",
                line=1,
            )
            continue
        files.setdefault(kind, []).append((path, header, rows, path.name.encode()))
    for kind in KINDS:
        for path, _header, rows, _ in files.get(kind, []):
            source = ox.NamedNode(str(out.source(path, None)))
            try:
                _read_rows(
                    _ROW_READERS[kind], path, rows, source, triples, out, selection, language
                )
            except InputError as err:
                out.find(path, None, err.message, "error", line=err.line)
    if selection.active:
        selection.check(files)
    store = ox.Store()
    store.bulk_extend(triples)
    graph = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    for s, p, o in out.graph:
        graph.add((s, p, o))
    out.graph = bind_prefixes(graph)
    return out.result()


class _BadField(Exception):
    """A row whose ``field`` is not what the file kind needs: the row is skipped."""

    def __init__(self, field: str, message: str = "not an IRI") -> None:
        super().__init__(message)
        self.field, self.message = field, message


#: ``(row, source, selection, language) -> quads`` of one row of a file kind (none
#: when the selection leaves it out); :class:`_BadField` for a row in error.
_RowReader = Callable[[dict[str, str], ox.NamedNode, _Selection, str], list[ox.Quad]]


def _read_rows(
    read: _RowReader,
    path: Path,
    rows: Iterator[tuple[int, dict[str, str]]],
    source: ox.NamedNode,
    triples: list[ox.Quad],
    out: ImportBuilder,
    selection: _Selection,
    language: str,
) -> None:
    """The one row loop of every ESCO file kind: a row's quads, or a finding for it."""
    for line, row in rows:
        if "__error__" in row:
            out.find(path, f"row {line}", row["__error__"], "error", line=line)
            continue
        try:
            triples.extend(read(row, source, selection, language))
        except _BadField as bad:
            out.find(path, f"row {line}", bad.message, "error", field=bad.field, line=line)


def _required_iri(row: dict[str, str], column: str) -> ox.NamedNode:
    node = _iri(row[column])
    if node is None:
        raise _BadField(column)
    return node


def _concept(
    node: ox.NamedNode, kind: ox.NamedNode, source: ox.NamedNode, row: dict[str, str], lang: str
) -> list[ox.Quad]:
    """An occupation or skill: type, source, preferred and alternative labels."""
    quads = [
        ox.Quad(node, _RDF_TYPE, kind),
        ox.Quad(node, _DERIVED, source),
        ox.Quad(node, _PREF, ox.Literal(row["preferredLabel"].strip(), language=lang)),
    ]
    quads.extend(
        ox.Quad(node, _ALT, ox.Literal(alt, language=lang))
        for alt in _labels(row.get("altLabels", ""))
    )
    return quads


def _description(node: ox.NamedNode, row: dict[str, str], lang: str) -> list[ox.Quad]:
    description = row.get("description", "").strip()
    if not description:
        return []
    return [ox.Quad(node, _DESCRIPTION, ox.Literal(description, language=lang))]


def _occupation(
    row: dict[str, str], source: ox.NamedNode, selection: _Selection, language: str
) -> list[ox.Quad]:
    node = _required_iri(row, "conceptUri")
    isco = row["iscoGroup"].strip()
    selection.see(node.value, row["preferredLabel"].strip(), isco)
    if selection.active and not (
        node.value in selection.occupations
        or any(isco.startswith(g) for g in selection.isco_groups)
    ):
        return []
    if selection.active:
        selection.occupations.add(node.value)
    quads = _concept(node, _OCCUPATION, source, row, language)
    if isco:
        quads.append(ox.Quad(node, _ISCO, ox.Literal(isco)))
    return quads + _description(node, row, language)


def _relation(
    row: dict[str, str], source: ox.NamedNode, selection: _Selection, language: str
) -> list[ox.Quad]:
    occupation = _required_iri(row, "occupationUri")
    skill = _required_iri(row, "skillUri")
    relation = _RELATIONS.get(row["relationType"].strip())
    if relation is None:
        raise _BadField(
            "relationType",
            f"unknown relationType {row['relationType']!r} (expected essential or optional)",
        )
    selection.see(occupation.value, row.get("occupationLabel", "").strip())
    if selection.active and occupation.value not in selection.occupations:
        return []
    if selection.active:
        selection.skills.add(skill.value)
    quads = [ox.Quad(occupation, relation, skill), ox.Quad(skill, _RDF_TYPE, _SKILL)]
    label = row.get("skillLabel", "").strip()
    if label:
        quads.append(ox.Quad(skill, _PREF, ox.Literal(label, language=language)))
    label = row.get("occupationLabel", "").strip()
    if label:
        quads.append(ox.Quad(occupation, _RDF_TYPE, _OCCUPATION))
        quads.append(ox.Quad(occupation, _PREF, ox.Literal(label, language=language)))
    return quads


def _skill(
    row: dict[str, str], source: ox.NamedNode, selection: _Selection, language: str
) -> list[ox.Quad]:
    node = _required_iri(row, "conceptUri")
    if selection.active and node.value not in selection.skills:
        return []
    return _concept(node, _SKILL, source, row, language) + _description(node, row, language)


def _isco(
    row: dict[str, str], source: ox.NamedNode, selection: _Selection, language: str
) -> list[ox.Quad]:
    node = _required_iri(row, "conceptUri")
    label = ox.Literal(row["preferredLabel"].strip(), language=language)
    return [
        ox.Quad(node, _RDF_TYPE, _CONCEPT),
        ox.Quad(node, _NOTATION, ox.Literal(row["code"].strip())),
        ox.Quad(node, _PREF, label),
    ]


def _broader(
    row: dict[str, str], source: ox.NamedNode, selection: _Selection, language: str
) -> list[ox.Quad]:
    narrower = _required_iri(row, "conceptUri")
    broader = _required_iri(row, "broaderUri")
    if selection.active and narrower.value not in selection.occupations:
        return []
    return [ox.Quad(narrower, _BROADER, broader)]


_ROW_READERS: dict[str, _RowReader] = {
    "occupations": _occupation,
    "relations": _relation,
    "skills": _skill,
    "isco": _isco,
    "broader": _broader,
}
