"""Import the spreadsheet template (CSV files or one xlsx workbook) into the ontology.

Every row is checked: required columns present and filled, coded values among the
allowed ones (:data:`~pathways.interop.template.CHOICES`), numbers that are numbers,
ids that refer to rows that exist. All problems are collected as error findings naming
the file (and sheet), the row and the column; a caller then writes nothing.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "credentials.csv").write_text("id,type,title,hours\\nev1,micro,EV basics,x\\n")
>>> [str(f) for f in import_spreadsheet([folder]).errors]
["credentials.csv:2: row 2: hours: 'x' is not a number [error]"]
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import RDF, XSD, BNode, Literal, URIRef
from rdflib.term import Node

from pathways.interop.documents import input_paths, read_bytes
from pathways.interop.results import ImportBuilder, ImportResult
from pathways.interop.template import CHOICES, TABLES, Table
from pathways.vocab import COUNTRY, EQF, PW

__all__ = ["DEFAULT_BASE", "STANDARD", "import_spreadsheet"]

#: The lexical space of xsd:language (XML Schema 1.1 Part 2, section 3.4.3), which
#: rdflib and Oxigraph both enforce on language tags (Oxigraph's limit of 8 characters
#: per subtag included).
_LANGUAGE_TAG = re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*")

STANDARD = "https://w3id.org/pathways/spreadsheet-template"
#: Namespace for ids that are not full IRIs.
DEFAULT_BASE = "https://w3id.org/pathways/local/"
_COUNTRIES = {
    "ES": "ESP", "PT": "PRT", "FI": "FIN", "NZ": "NZL", "DE": "DEU", "GB": "GBR",
    "UK": "GBR", "IE": "IRL", "FR": "FRA", "IT": "ITA", "BE": "BEL", "NL": "NLD",
}  # fmt: skip
_BY_NAME = {t.name: t for t in TABLES}

Row = tuple[str, int, dict[str, str]]  # (where: "file" or "file[sheet]", row number, values)


def _csv_rows(
    path: Path, data: bytes, out: ImportBuilder
) -> Iterator[tuple[int, dict[str, str]]] | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        out.find(path, None, "not UTF-8 text (save the CSV as UTF-8)", "error")
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error as err:
        out.find(path, None, f"CSV syntax error: {err}", "error", line=reader.line_num)
        return None
    return _records(path.name, records, out)


def _records(
    where: str, records: list[list[str]], out: ImportBuilder
) -> Iterator[tuple[int, dict[str, str]]] | None:
    if not records:
        out.find(where, None, "empty table (no header row)", "error", line=1)
        return None
    header = [h.strip() for h in records[0]]
    table = _BY_NAME[Path(where.split("[")[-1].rstrip("]")).stem]
    missing = [c for c in table.required if c not in header]
    if missing:
        out.find(
            where,
            "row 1",
            f"missing required column(s): {', '.join(missing)}",
            "error",
            field=", ".join(missing),
            line=1,
        )
        return None
    unknown = [h for h in header if h and h not in table.names]
    for name in unknown:
        out.find(
            where,
            "row 1",
            f"unknown column (expected: {', '.join(table.names)})",
            "error",
            field=name,
            line=1,
        )
    if unknown:
        return None

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for number, values in enumerate(records[1:], start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
                out.find(
                    where,
                    f"row {number}",
                    f"{len(values)} values for {len(header)} columns",
                    "error",
                    line=number,
                )
                continue
            padded = [*values, *[""] * (len(header) - len(values))]
            yield number, {h: v.strip() for h, v in zip(header, padded, strict=False) if h}

    return rows()


class _Sheet:
    """Reads the four tables and builds the graph, collecting every error."""

    def __init__(self, out: ImportBuilder, base: str) -> None:
        self.out, self.base = out, base
        self.rows: dict[str, list[Row]] = {t.name: [] for t in TABLES}
        self.credentials: dict[str, URIRef] = {}

    def iri(self, value: str) -> URIRef:
        return (
            URIRef(value)
            if value.startswith(("http://", "https://", "urn:"))
            else URIRef(self.base + value)
        )

    def error(self, where: str, row: int, column: str | None, message: str) -> None:
        self.out.find(where, f"row {row}", message, "error", field=column, line=row)

    def choice(self, where: str, row: int, column: str, value: str) -> Node | None:
        options = CHOICES[column if column in CHOICES else "credit_unit"]
        mapped = options.get(value.lower())
        if mapped is None:
            self.error(where, row, column, f"{value!r} is not one of {' | '.join(options)}")
        return mapped

    def number(self, where: str, row: int, column: str, value: str) -> Decimal | None:
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            self.error(where, row, column, f"{value!r} is not a number")
            return None
        if not number.is_finite() or number < 0:
            self.error(where, row, column, f"{value!r} must be zero or more")
            return None
        return number

    def build(self, sources: dict[str, URIRef]) -> None:
        for where, row, values in self.rows["credentials"]:
            ident = values.get("id", "")
            if ident in self.credentials:
                self.error(where, row, "id", f"{ident!r} is used by an earlier row")
            elif ident:
                self.credentials[ident] = self.iri(ident)
        for where, row, values in self.rows["credentials"]:
            self.credential(where, row, values, sources[where])
        for where, row, values in self.rows["outcomes"]:
            self.outcome(where, row, values)
        for where, row, values in self.rows["assessments"]:
            self.assessment(where, row, values)
        self.conditions()

    def required(self, where: str, row: int, values: dict[str, str], table: Table) -> bool:
        empty = [c for c in table.required if not values.get(c)]
        for column in empty:
            self.error(where, row, column, "required value is empty")
        return not empty

    def ref(self, where: str, row: int, column: str, ident: str) -> URIRef | None:
        if ident not in self.credentials:
            self.error(where, row, column, f"{ident!r} is not an id of the credentials table")
            return None
        return self.credentials[ident]

    def credential(self, where: str, row: int, v: dict[str, str], source: URIRef) -> None:
        if not self.required(where, row, v, _BY_NAME["credentials"]):
            return
        out, node = self.out, self.iri(v["id"])
        cls = self.choice(where, row, "type", v["type"])
        if cls is not None:
            out.add(node, RDF.type, cls)
        out.derived(node, source)
        lang = v.get("language") or "en"
        if not _LANGUAGE_TAG.fullmatch(lang):
            self.error(where, row, "language", f"{lang!r} is not a language tag (en, fi, pt-BR)")
            return
        out.add(node, PW.title, Literal(v["title"], lang=lang))
        if v.get("language"):
            out.add(node, PW.language, Literal(lang, datatype=XSD.language))
        if v.get("description"):
            out.add(node, PW.description, Literal(v["description"], lang=lang))
        if v.get("country"):
            code = _COUNTRIES.get(v["country"].upper())
            if code is None:
                self.error(where, row, "country", f"{v['country']!r} is not a known country code")
            else:
                out.add(node, PW.country, COUNTRY[code])
        for column, prop in (("awarding_body", PW.awardingBody), ("provider", PW.provider)):
            if v.get(column):
                org = self.iri(v[column])
                out.add(node, prop, org)
                out.add(
                    org, RDF.type, PW.AwardingBody if column == "awarding_body" else PW.Provider
                )
        if v.get("eqf_level"):
            if v["eqf_level"] in {str(i) for i in range(1, 9)}:
                out.add(node, PW.eqfLevel, EQF[v["eqf_level"]])
            else:
                self.error(where, row, "eqf_level", f"{v['eqf_level']!r} is not a level 1-8")
        if v.get("hours"):
            hours = self.number(where, row, "hours", v["hours"])
            if hours is not None:
                out.add(node, PW.notionalHours, Literal(hours, datatype=XSD.decimal))
        if v.get("credit_amount") or v.get("credit_unit"):
            self.credit(where, row, node, v)
        for column, prop in (("participation_form", PW.participationForm),
                             ("stackability", PW.stackability)):  # fmt: skip
            if v.get(column):
                value = self.choice(where, row, column, v[column])
                if value is not None:
                    out.add(node, prop, value)
        if v.get("quality_assurance"):
            qa_type = self.choice(where, row, "quality_assurance", v["quality_assurance"])
            if qa_type is not None:
                qa = BNode()
                out.add(node, PW.qualityAssurance, qa)
                out.add(qa, RDF.type, PW.QualityAssurance)
                out.add(qa, PW.qualityAssuranceType, qa_type)
        for ident in _split(v.get("prerequisites", "")):
            target = self.ref(where, row, "prerequisites", ident)
            if target is not None:
                out.add(node, PW.prerequisite, target)

    def credit(self, where: str, row: int, node: URIRef, v: dict[str, str]) -> None:
        if not (v.get("credit_amount") and v.get("credit_unit")):
            missing = "credit_unit" if v.get("credit_amount") else "credit_amount"
            self.error(where, row, missing, "credit_amount and credit_unit go together")
            return
        amount = self.number(where, row, "credit_amount", v["credit_amount"])
        unit = self.choice(where, row, "credit_unit", v["credit_unit"])
        if amount is None or unit is None:
            return
        credit = BNode()
        self.out.add(node, PW.credit, credit)
        self.out.add(credit, RDF.type, PW.CreditValue)
        self.out.add(credit, PW.creditAmount, Literal(amount, datatype=XSD.decimal))
        self.out.add(credit, PW.creditUnit, unit)

    def outcome(self, where: str, row: int, v: dict[str, str]) -> None:
        if not self.required(where, row, v, _BY_NAME["outcomes"]):
            return
        credential = self.ref(where, row, "credential_id", v["credential_id"])
        if credential is None:
            return
        node = self.iri(v["outcome_id"])
        self.out.add(credential, PW.learningOutcome, node)
        self.out.add(node, RDF.type, PW.LearningOutcome)
        self.out.add(node, PW.description, Literal(v["description"]))
        for skill in _split(v.get("esco_skills", "")):
            if not skill.startswith("http://data.europa.eu/esco/skill/"):
                self.error(where, row, "esco_skills", f"{skill!r} is not an ESCO skill IRI")
                continue
            self.out.add(node, PW.alignedSkill, URIRef(skill))
            self.out.add(URIRef(skill), RDF.type, PW.Skill)

    def assessment(self, where: str, row: int, v: dict[str, str]) -> None:
        if not self.required(where, row, v, _BY_NAME["assessments"]):
            return
        credential = self.ref(where, row, "credential_id", v["credential_id"])
        kind = self.choice(where, row, "assessment_type", v["assessment_type"])
        if credential is None or kind is None:
            return
        node = BNode()
        self.out.add(credential, PW.assessment, node)
        self.out.add(node, RDF.type, PW.Assessment)
        self.out.add(node, PW.assessmentType, kind)
        if v.get("supervision"):
            level = self.choice(where, row, "supervision", v["supervision"])
            if level is not None:
                self.out.add(node, PW.supervision, level)
        if v.get("quality_assured"):
            flag = v["quality_assured"].lower()
            if flag not in ("yes", "no"):
                self.error(
                    where, row, "quality_assured", f"{v['quality_assured']!r} is not yes or no"
                )
            else:
                self.out.add(node, PW.isQualityAssured, Literal(flag == "yes"))

    def conditions(self) -> None:
        made: dict[tuple[str, str], URIRef] = {}
        for where, row, v in self.rows["conditions"]:
            if not self.required(where, row, v, _BY_NAME["conditions"]):
                continue
            owner = self.ref(where, row, "credential_id", v["credential_id"])
            if owner is None:
                continue
            key = (v["credential_id"], v["condition_id"])
            if key in made:
                self.error(where, row, "condition_id", f"{v['condition_id']!r} is used twice")
                continue
            node = URIRef(f"{owner}#condition-{v['condition_id']}")
            made[key] = node
            out = self.out
            out.add(node, RDF.type, PW.ComponentCondition)
            for ident in _split(v.get("targets", "")):
                target = self.ref(where, row, "targets", ident)
                if target is not None:
                    out.add(node, PW.targetComponent, target)
            for column, prop in (("required_number", PW.requiredNumber),
                                 ("minimum_credits", PW.minimumCredits),
                                 ("minimum_hours", PW.minimumHours)):  # fmt: skip
                if not v.get(column):
                    continue
                number = self.number(where, row, column, v[column])
                if number is None:
                    continue
                if column == "required_number":
                    if number != number.to_integral():
                        self.error(where, row, column, f"{v[column]!r} is not a whole number")
                        continue
                    out.add(node, prop, Literal(int(number), datatype=XSD.nonNegativeInteger))
                else:
                    out.add(node, prop, Literal(number, datatype=XSD.decimal))
            if v.get("credit_unit"):
                unit = self.choice(where, row, "credit_unit", v["credit_unit"])
                if unit is not None:
                    out.add(node, PW.creditUnit, unit)
            elif v.get("minimum_credits"):
                self.error(where, row, "credit_unit", "minimum_credits needs a credit_unit")
        for where, row, v in self.rows["conditions"]:
            key = (v.get("credential_id", ""), v.get("condition_id", ""))
            if key not in made:
                continue
            parent = v.get("parent_condition")
            owner = self.credentials[key[0]]
            if not parent:
                self.out.add(owner, PW.hasCondition, made[key])
            elif (key[0], parent) in made:
                self.out.add(made[(key[0], parent)], PW.hasSubCondition, made[key])
            else:
                self.error(
                    where, row, "parent_condition", f"{parent!r} is not a condition of {key[0]!r}"
                )


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def import_spreadsheet(paths: Iterable[str | Path], *, base: str = DEFAULT_BASE) -> ImportResult:
    """Import the template: CSV files (or a folder of them) or an xlsx workbook.

    Parameters
    ----------
    paths
        ``credentials.csv``, ``outcomes.csv``, ``assessments.csv``, ``conditions.csv`` (any
        subset; files are recognised by name), a folder holding them, or ``.xlsx`` files
        with one sheet per table and no other sheets.
    base
        Namespace for ids that are not full IRIs.
    """
    out = ImportBuilder(STANDARD, "spreadsheet")
    sheet = _Sheet(out, base)
    sources: dict[str, URIRef] = {}
    for path, data in out.each_file(input_paths(paths, (".csv", ".xlsx")), read_bytes):
        if path.suffix.lower() == ".xlsx":
            tables = _xlsx_tables(path, data, out)
        elif path.stem in _BY_NAME and path.suffix.lower() == ".csv":
            rows = _csv_rows(path, data, out)
            tables = [(path.name, rows)] if rows is not None else []
        else:
            out.find(
                path,
                None,
                "not a template file: expected credentials.csv, outcomes.csv, "
                "assessments.csv, conditions.csv or an .xlsx workbook",
                "error",
            )
            continue
        source = out.source(path, data)
        for where, rows in tables:
            sources[where] = source
            table = Path(where.split("[")[-1].rstrip("]")).stem
            sheet.rows[table].extend((where, number, values) for number, values in rows)
    sheet.build(sources)
    return out.result()


def _xlsx_tables(
    path: Path, data: bytes, out: ImportBuilder
) -> list[tuple[str, Iterator[tuple[int, dict[str, str]]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _UNREADABLE_XLSX as err:
        out.find(path, None, f"not a readable xlsx workbook: {err}", "error")
        return []
    extra = [name for name in workbook.sheetnames if name not in _BY_NAME]
    if extra:
        out.find(
            path,
            None,
            f"unexpected sheet(s) {', '.join(extra)} (the template has only {', '.join(_BY_NAME)})",
            "error",
            field=", ".join(extra),
        )
        return []
    tables = []
    for name in workbook.sheetnames:
        try:  # read-only workbooks inflate and parse each sheet as it is read
            records = [
                ["" if cell is None else _cell_text(cell) for cell in row]
                for row in workbook[name].iter_rows(values_only=True)
            ]
        except _UNREADABLE_XLSX as err:
            out.find(path, None, f"sheet {name} is not readable: {err}", "error")
            return []
        rows = _records(f"{path.name}[{name}]", records, out)
        if rows is not None:
            tables.append((f"{path.name}[{name}]", rows))
    return tables


#: What a damaged xlsx file raises from zipfile, zlib, openpyxl and its XML parser.
_UNREADABLE_XLSX = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    OSError,
    SyntaxError,  # ElementTree.ParseError and lxml.etree.XMLSyntaxError
)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
