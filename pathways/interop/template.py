"""The spreadsheet template for curriculum designers: tables, columns and allowed values.

One table a file (CSV: ``credentials.csv``, ``outcomes.csv``, ``assessments.csv``,
``conditions.csv``) or one sheet a table (xlsx). ``docs/spreadsheet-template.md``
documents every column; :func:`write_template` writes the empty template.

>>> [t.name for t in TABLES]
['credentials', 'outcomes', 'assessments', 'conditions']
>>> TABLES[0].required
('id', 'type', 'title')
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from pathways.catalogue.facts import ECTS_UNIT
from pathways.errors import UsageError
from pathways.output import BlockedPathError, blocking_file, csv_writer, write_atomically
from pathways.vocab import PW

__all__ = ["CHOICES", "TABLES", "Column", "Table", "write_template"]


@dataclass(frozen=True)
class Column:
    """One column: its name, whether it is required, and what it holds."""

    name: str
    required: bool
    help: str


@dataclass(frozen=True)
class Table:
    """One table of the template (a CSV file or an xlsx sheet)."""

    name: str
    columns: tuple[Column, ...]

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the required columns."""
        return tuple(c.name for c in self.columns if c.required)

    @property
    def names(self) -> tuple[str, ...]:
        """Names of all columns, in template order."""
        return tuple(c.name for c in self.columns)


#: Allowed values of the coded columns -> pathways concepts.
CHOICES = {
    "type": {"micro": PW.MicroCredential, "qualification": PW.Qualification,
             "other": PW.OtherCredential},
    "credit_unit": {"ects": URIRef(ECTS_UNIT),
                    "ecvet": URIRef("http://data.europa.eu/snb/education-credit/60b314e826"),
                    "osaamispiste": PW.Osaamispiste, "hour": PW.Hour,
                    "teaching-unit": PW.TeachingUnit},
    "participation_form": {"online": PW.Online, "onsite": PW.Onsite, "blended": PW.Blended,
                           "work-based": PW.WorkBased},
    "quality_assurance": {"external-accreditation": PW.ExternalAccreditation,
                          "national-standard": PW.NationalStandard, "eqavet": PW.EQAVETAligned,
                          "iso9001": PW.ISO9001, "manufacturer": PW.ManufacturerApproval},
    "assessment_type": {"written-exam": PW.WrittenExam, "practical": PW.PracticalDemonstration,
                        "oral": PW.OralExam, "portfolio": PW.Portfolio,
                        "workplace-observation": PW.WorkplaceObservation,
                        "attendance": PW.AttendanceOnly, "self-declaration": PW.SelfDeclaration},
    "supervision": {"unsupervised": PW.UnsupervisedNoIdentityVerification,
                    "supervised": PW.SupervisedNoIdentityVerification,
                    "supervised-online-id": PW.SupervisedOnlineIdentityVerified,
                    "supervised-onsite-id": PW.SupervisedOnsiteIdentityVerified},
    "stackability": {"stand-alone": PW.StandAlone, "stackable": PW.Stackable},
}  # fmt: skip

C = Column
TABLES: tuple[Table, ...] = (
    Table("credentials", (
        C("id", True, "local name or full IRI of the credential (unique)"),
        C("type", True, "micro | qualification | other"),
        C("title", True, "title (EU element 2)"),
        C("language", False, "language of title and texts, e.g. es, pt, fi (default en)"),
        C("description", False, "free text"),
        C("country", False, "two-letter code of the issuer's country: ES, PT, FI, ... (element 3)"),
        C("awarding_body", False, "local name or IRI of the awarding body (element 4)"),
        C("provider", False, "local name or IRI of the training provider"),
        C("eqf_level", False, "EQF level 1-8 (element 8)"),
        C("hours", False, "notional workload in hours (element 7)"),
        C("credit_amount", False, "credit amount, e.g. 2 or 2.5"),
        C("credit_unit", False, "ects | ecvet | osaamispiste | hour | teaching-unit"),
        C("participation_form", False, "online | onsite | blended | work-based (element 10)"),
        C("quality_assurance", False, "external-accreditation | national-standard | eqavet | "
          "iso9001 | manufacturer (element 11)"),
        C("stackability", False, "stand-alone | stackable"),
        C("prerequisites", False, "ids of credentials required first, separated by ;"),
    )),
    Table("outcomes", (
        C("credential_id", True, "id of a credential of the credentials table"),
        C("outcome_id", True, "local name or IRI of the learning outcome (unique)"),
        C("description", True, "the outcome statement (element 6)"),
        C("esco_skills", False, "ESCO skill IRIs, separated by ;"),
    )),
    Table("assessments", (
        C("credential_id", True, "id of a credential of the credentials table"),
        C("assessment_type", True, "written-exam | practical | oral | portfolio | "
          "workplace-observation | attendance | self-declaration (element 9)"),
        C("supervision", False, "unsupervised | supervised | supervised-online-id | "
          "supervised-onsite-id"),
        C("quality_assured", False, "yes | no"),
    )),
    Table("conditions", (
        C("credential_id", True, "id of the larger credential the condition belongs to"),
        C("condition_id", True, "a name for the condition, unique within the credential"),
        C("parent_condition", False, "condition_id of the enclosing condition (nesting)"),
        C("targets", False, "ids of the component credentials, separated by ;"),
        C("required_number", False, "how many targets and nested conditions (empty: all)"),
        C("minimum_credits", False, "least sum of credits over the targets counted"),
        C("credit_unit", False, "unit of minimum_credits (see credentials.credit_unit)"),
        C("minimum_hours", False, "least sum of notional hours over the targets counted"),
    )),
)  # fmt: skip
del C


def write_template(fmt: str, destination: Path) -> list[Path]:
    """Write the empty template: CSV files into a folder, or one xlsx workbook.

    Files are written atomically (a temporary file renamed into place).
    """
    if fmt == "csv":
        blocker = blocking_file(destination)
        if blocker is not None:
            raise BlockedPathError(destination, blocker)
        destination.mkdir(parents=True, exist_ok=True)
        written = []
        for table in TABLES:
            buffer = io.StringIO()
            csv_writer(buffer).writerow(table.names)
            target = destination / f"{table.name}.csv"
            write_atomically(target, buffer.getvalue().encode("utf-8"))
            written.append(target)
        return written
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.comments import Comment

        workbook = Workbook()
        if workbook.active is not None:
            workbook.remove(workbook.active)
        for table in TABLES:
            sheet = workbook.create_sheet(table.name)
            sheet.append(list(table.names))
            for cell, column in zip(sheet[1], table.columns, strict=True):
                cell.comment = Comment(
                    ("required: " if column.required else "") + column.help, "pathways"
                )
        binary = io.BytesIO()
        workbook.save(binary)
        write_atomically(destination, binary.getvalue())
        return [destination]
    raise UsageError(f"unknown template format {fmt!r}", hint="use csv or xlsx")
