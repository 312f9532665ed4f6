"""Read curricula and degree plans in the Curricular Analytics CSV format.

The format is the one CurricularAnalytics.jl reads and writes (``read_csv`` /
``write_csv`` in its ``src/DataHandler.jl``) and in which thousands of curricula are
published::

    Curriculum,Automotive EV technician
    Institution,CIFP Example
    Degree Type,AAS
    System Type,semester
    CIP,47.0604
    Courses
    Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,Strict-Corequisites,...
    1,HV awareness,HV,100,,,,1,,
    2,HV instructed person,HV,110,1,,,2,,

(the course header continues ``Credit Hours,Institution,Canonical Name``).
Requisite lists are course IDs separated by ``;`` (or ``,`` or ``:``, which
CurricularAnalytics.jl's reader also accepts; it accepts ``.`` too, but its IDs are
integers, and here an ID such as ``3.1`` stays one ID). A degree plan adds a
``Degree Plan,<name>`` line after the curriculum line and a ``Term`` column, and may
list ``Additional Courses`` in a second table; ``Course Learning Outcomes`` and
``Curriculum Learning Outcomes`` tables end the courses. Lines starting with ``#`` are
comments. The reader is lenient where real files vary (a byte-order mark, Windows line
ends or cp1252 text, blank lines, quoted fields, extra trailing columns, header case and
spacing, unknown metadata lines, a file starting directly at the course header) and
strict where a guess would change the graph: a missing column, an empty or duplicate
course ID, a requisite naming no course, a non-numeric credit or term is an
:class:`~pathways.errors.InputError` naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from pathways.errors import InputError
from pathways.interop.documents import read_bytes

__all__ = [
    "COURSE_HEADER",
    "Course",
    "Curriculum",
    "curriculum_graph",
    "parse_curriculum",
    "read_curriculum",
]

#: The course table header CurricularAnalytics.jl writes.
COURSE_HEADER = (
    "Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,"
    "Strict-Corequisites,Credit Hours,Institution,Canonical Name"
)

#: Column key (lower case, no spaces, hyphens or underscores) -> Course field.
_COLUMNS = {
    "courseid": "id",
    "coursename": "name",
    "prefix": "prefix",
    "number": "number",
    "prerequisites": "prerequisites",
    "corequisites": "corequisites",
    "strictcorequisites": "strict_corequisites",
    "credithours": "credit_hours",
    "institution": "institution",
    "canonicalname": "canonical_name",
    "term": "term",
}
_REQUIRED = ("Course ID", "Course Name", "Prerequisites", "Credit Hours")
_METADATA = {
    "curriculum": "name",
    "degreeplan": "degree_plan",
    "institution": "institution",
    "degreetype": "degree_type",
    "systemtype": "system_type",
    "cip": "cip",
}
_ENDS = {"courselearningoutcomes", "curriculumlearningoutcomes"}
_SEPARATORS = re.compile(r"[;,:]")
_REQUISITE_COLUMNS = (
    ("prerequisites", "Prerequisites", "prerequisite"),
    ("corequisites", "Corequisites", "corequisite"),
    ("strict_corequisites", "Strict-Corequisites", "strict-corequisite"),
)


@dataclass(frozen=True)
class Course:
    """One course row. ``line`` is where it starts in the file."""

    id: str
    name: str
    prefix: str = ""
    number: str = ""
    prerequisites: tuple[str, ...] = ()
    corequisites: tuple[str, ...] = ()
    strict_corequisites: tuple[str, ...] = ()
    credit_hours: float | None = None
    institution: str = ""
    canonical_name: str = ""
    term: int | None = None
    line: int = 0


@dataclass(frozen=True)
class Curriculum:
    """A curriculum (or a degree plan when ``degree_plan`` is set) and its courses."""

    name: str
    courses: tuple[Course, ...]
    institution: str = ""
    degree_type: str = ""
    system_type: str = "semester"
    cip: str = ""
    degree_plan: str = ""

    @property
    def is_quarter_system(self) -> bool:
        """True on a quarter system (CurricularAnalytics.jl scales complexity by 2/3)."""
        return self.system_type.strip().lower() == "quarter"


def _key(cell: str) -> str:
    return "".join(ch for ch in cell.lower() if ch not in " -_\t")


def _decode(raw: bytes, source: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("not UTF-8 or Windows-1252 text", path=source, hint="save it as UTF-8 CSV")


def read_curriculum(path: str | Path) -> Curriculum:
    """Read a Curricular Analytics CSV file (see :func:`parse_curriculum`)."""
    raw = read_bytes(Path(path))
    return parse_curriculum(_decode(raw, str(path)), source=str(path))


def _rows(text: str, source: str) -> list[tuple[int, list[str]]]:
    """Non-blank, non-comment rows with the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            cells = [cell.strip() for cell in row]
            if any(cells) and not cells[0].startswith("#"):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as err:
        raise InputError(f"malformed CSV: {err}", path=source, line=start) from err
    return rows


def parse_curriculum(text: str, *, source: str = "<csv>") -> Curriculum:
    """Parse the text of a Curricular Analytics CSV file.

    Examples
    --------
    >>> text = f'''Curriculum,EV basics
    ... Courses
    ... {COURSE_HEADER}
    ... 1,HV awareness,HV,100,,,,1,,
    ... 2,HV instructed person,HV,110,1,,,2,,
    ... '''
    >>> c = parse_curriculum(text)
    >>> c.name, [(k.id, k.prerequisites, k.credit_hours) for k in c.courses]
    ('EV basics', [('1', (), 1.0), ('2', ('1',), 2.0)])
    >>> parse_curriculum(text.replace(",1,,,2", ",7,,,2"), source="ev.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pathways.errors.InputError: ev.csv:5: column Prerequisites: requisite '7' names no course...
    """
    rows = _rows(text, source)
    metadata: dict[str, str] = {}
    index = 0
    while index < len(rows) and _key(rows[index][1][0]) != "courseid":
        line, cells = rows[index]
        key = _key(cells[0])
        if key == "courses":
            index += 1
            break
        if key in _METADATA:
            metadata[_METADATA[key]] = cells[1] if len(cells) > 1 else ""
        elif index == 0:
            raise InputError(
                "not a Curricular Analytics CSV: expected 'Curriculum,<name>' or the course header",
                path=source,
                line=line,
            )
        index += 1
    courses: list[Course] = []
    while index < len(rows):
        line, cells = rows[index]
        if _key(cells[0]) in _ENDS:
            break
        if _key(cells[0]) == "additionalcourses":
            index += 1
            continue
        columns = _header(cells, line, source)
        index += 1
        while index < len(rows) and _key(rows[index][1][0]) not in (_ENDS | {"additionalcourses"}):
            courses.append(_course(*rows[index], columns, source))
            index += 1
    if not courses:
        raise InputError("no courses found", path=source, hint="add the course table")
    _check_requisites(courses, source)
    return Curriculum(
        name=metadata.get("name", ""),
        courses=tuple(courses),
        institution=metadata.get("institution", ""),
        degree_type=metadata.get("degree_type", ""),
        system_type=metadata.get("system_type") or "semester",
        cip=metadata.get("cip", ""),
        degree_plan=metadata.get("degree_plan", ""),
    )


def _header(cells: list[str], line: int, source: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, cell in enumerate(cells):
        field = _COLUMNS.get(_key(cell))
        if field is not None and field not in columns:
            columns[field] = position
    missing = [name for name in _REQUIRED if _COLUMNS[_key(name)] not in columns]
    if missing:
        raise InputError(
            "course header lacks column " + ", ".join(missing),
            path=source,
            line=line,
            hint=f"the header is {COURSE_HEADER}",
        )
    return columns


def _number(text: str, column: str, line: int, source: str) -> float | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(
            f"column {column}: {text!r} is not a number", path=source, line=line
        ) from None


def _course(line: int, cells: list[str], columns: dict[str, int], source: str) -> Course:
    def cell(field: str) -> str:
        position = columns.get(field)
        return cells[position] if position is not None and position < len(cells) else ""

    if not cell("id"):
        raise InputError("column Course ID: empty", path=source, line=line)
    term = _number(cell("term"), "Term", line, source)
    if term is not None and not term.is_integer():
        raise InputError(f"column Term: {term} is not a whole number", path=source, line=line)

    def requisites(field: str) -> tuple[str, ...]:
        parts = _SEPARATORS.split(cell(field))
        return tuple(part.strip() for part in parts if part.strip())

    return Course(
        id=cell("id"),
        name=cell("name"),
        prefix=cell("prefix"),
        number=cell("number"),
        prerequisites=requisites("prerequisites"),
        corequisites=requisites("corequisites"),
        strict_corequisites=requisites("strict_corequisites"),
        credit_hours=_number(cell("credit_hours"), "Credit Hours", line, source),
        institution=cell("institution"),
        canonical_name=cell("canonical_name"),
        term=None if term is None else int(term),
        line=line,
    )


def _check_requisites(courses: list[Course], source: str) -> None:
    seen: dict[str, int] = {}
    for course in courses:
        if course.id in seen:
            raise InputError(
                f"column Course ID: duplicate ID {course.id!r} (first on line {seen[course.id]})",
                path=source,
                line=course.line,
            )
        seen[course.id] = course.line
    for course in courses:
        for field, column, _ in _REQUISITE_COLUMNS:
            for requisite in getattr(course, field):
                if requisite not in seen:
                    raise InputError(
                        f"column {column}: requisite {requisite!r} names no course in this file",
                        path=source,
                        line=course.line,
                        hint="use a Course ID of this file",
                    )


def curriculum_graph(curriculum: Curriculum) -> nx.DiGraph:
    """The requisite graph of a curriculum: edge ``r -> c`` when ``r`` is a requisite of ``c``.

    Co-requisites and strict co-requisites are edges too, as in CurricularAnalytics.jl.
    Nodes are course IDs with ``label`` (the course name), ``prefix``, ``number``,
    ``credit_hours`` and ``term``; edges have ``kind`` ("prerequisite", "corequisite"
    or "strict-corequisite"; when a pair is listed in several columns the last, as in
    CurricularAnalytics.jl, whose reader adds prerequisites, co-requisites, then strict
    co-requisites to one requisite per pair, so a strict one prevails); the graph keeps
    the curriculum's metadata in ``g.graph``.

    >>> c = Curriculum("x", (Course("1", "A"), Course("2", "B", corequisites=("1",))))
    >>> list(curriculum_graph(c).edges(data="kind"))
    [('1', '2', 'corequisite')]
    """
    g = nx.DiGraph(
        name=curriculum.name,
        institution=curriculum.institution,
        system_type=curriculum.system_type,
        degree_plan=curriculum.degree_plan,
    )
    for course in curriculum.courses:
        g.add_node(
            course.id,
            label=course.name or course.id,
            prefix=course.prefix,
            number=course.number,
            credit_hours=course.credit_hours,
            term=course.term,
        )
    for course in curriculum.courses:
        for field, _, kind in _REQUISITE_COLUMNS:
            for requisite in getattr(course, field):
                g.add_edge(requisite, course.id, kind=kind)
    return g
