"""Spreadsheet template: a valid workbook imports; every broken row is reported."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from rdflib import RDF, URIRef

from pathways.interop import import_spreadsheet
from pathways.interop.spreadsheet import DEFAULT_BASE
from pathways.interop.template import TABLES, write_template
from pathways.vocab import PW
from tests.constants import FIXTURES

SHEETS = FIXTURES / "interop"


def test_valid_csv_folder() -> None:
    result = import_spreadsheet([SHEETS / "spreadsheet-valid"])
    assert result.findings == ()
    g = result.graph
    two_s, one_s, tech = (URIRef(DEFAULT_BASE + n) for n in ("hv-2s", "hv-1s", "ev-tech"))
    assert (two_s, PW.prerequisite, one_s) in g
    assert (tech, RDF.type, PW.Qualification) in g
    conditions = list(g.objects(tech, PW.hasCondition))
    assert len(conditions) == 2
    hours = next(c for c in conditions if g.value(c, PW.minimumHours) is not None)
    assert int(str(g.value(hours, PW.requiredNumber))) == 1
    assessment = g.value(two_s, PW.assessment)
    assert g.value(assessment, PW.assessmentType) == PW.PracticalDemonstration


def test_bad_values_reported_per_row_and_column() -> None:
    result = import_spreadsheet([SHEETS / "broken" / "sheet-bad-values"])
    where = {(f.line, f.field) for f in result.errors}
    assert (2, "eqf_level") in where
    assert (2, "hours") in where
    assert (2, "credit_unit") in where  # credit_amount without a unit
    assert (2, "prerequisites") in where  # refers to no row
    assert (3, "type") in where  # "badge" is not a type
    assert (4, "id") in where and (4, "title") in where  # required but empty


def test_missing_column_and_extra_sheet() -> None:
    result = import_spreadsheet([SHEETS / "broken" / "sheet-missing-column"])
    assert result.errors[0].field == "type" and result.errors[0].line == 1
    result = import_spreadsheet([SHEETS / "broken" / "extra-sheet.xlsx"])
    assert result.errors[0].field == "notes"


def test_template_round_trip_xlsx(tmp_path: Path) -> None:
    (book,) = write_template("xlsx", tmp_path / "t.xlsx")
    from openpyxl import load_workbook

    workbook = load_workbook(book)
    assert workbook.sheetnames == [t.name for t in TABLES]
    sheet = workbook["credentials"]
    sheet.append(["ev1", "micro", "EV basics", "es", "", "ES", "", "", 4, 25])
    workbook.save(book)
    result = import_spreadsheet([book])
    assert not result.has_errors
    node = next(iter(result.graph.subjects(RDF.type, PW.MicroCredential)))
    assert float(str(result.graph.value(node, PW.notionalHours))) == 25


def test_template_csv_headers(tmp_path: Path) -> None:
    files = write_template("csv", tmp_path)
    for table, path in zip(TABLES, files, strict=True):
        with path.open() as handle:
            assert tuple(next(csv.reader(handle))) == table.names


def test_workbook_with_numbers_as_floats(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "credentials"
    sheet.append(["id", "type", "title", "eqf_level"])
    sheet.append(["a", "micro", "A", 4.0])
    workbook.save(tmp_path / "w.xlsx")
    assert not import_spreadsheet([tmp_path / "w.xlsx"]).has_errors
