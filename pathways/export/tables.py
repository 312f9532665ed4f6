"""CSV tables (RFC 4180: comma-separated, CRLF line ends, quoted where needed).

:func:`csv_table` writes any header and rows; :func:`credentials_table` is the credential
catalogue, and the ``csv`` exporter writes it. Validation and route results can be
written with :func:`csv_table` from their own rows.

>>> csv_table(["a", "b"], [["1", "x,y"]])
b'a,b\\r\\n1,"x,y"\\r\\n'
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from pathways.catalogue import records
from pathways.catalogue.facts import ECTS_UNIT, credits, eqf_levels, fees, notional_hours
from pathways.catalogue.facts import labels as labels_of
from pathways.export import ExportOptions, exporter
from pathways.output import csv_writer
from pathways.rdf.store import KnowledgeGraph

__all__ = ["CREDENTIAL_COLUMNS", "credentials_table", "csv_table"]

CREDENTIAL_COLUMNS = (
    "iri",
    "title",
    "type",
    "country",
    "eqf",
    "hours",
    "credits",
    "credit_unit",
    "fee",
    "currency",
    "provider",
    "awarding_body",
)

_TYPES = {"MicroCredential": "micro", "Qualification": "qualification", "OtherCredential": "other"}


def _number(value: Decimal) -> str:
    """A decimal without trailing zeros, to four places (``60.0`` -> ``60``)."""
    return f"{value.quantize(Decimal('0.0001')).normalize():f}"


def csv_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """RFC 4180 CSV bytes of ``header`` and ``rows`` (``None`` as an empty cell)."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue().encode("utf-8")


def credentials_table(kg: KnowledgeGraph) -> list[tuple[str, ...]]:
    """One row per credential (columns :data:`CREDENTIAL_COLUMNS`), sorted by IRI.

    Every fact is read by its one reader, so the table shows what every other command
    shows: the title by the one label rule (:mod:`pathways.rdf.labels`); hours, credits,
    fee and EQF level by the multi-value rule of :mod:`pathways.catalogue.facts` (the
    smallest when several; credits in ECTS-equivalent credits, so ``credit_unit`` is the
    ECTS credit when there are any); the rest from :func:`pathways.catalogue.records.
    credentials`. A credential typed with several classes gets one row per type; several
    countries, providers or awarding bodies are ``;``-joined.

    Examples
    --------
    >>> kg = KnowledgeGraph.open()
    >>> kg.store.update('''PREFIX pw: <https://w3id.org/pathways/vocab#>
    ... INSERT DATA { <urn:a> a pw:MicroCredential ; pw:title "A"@en ;
    ...   pw:notionalHours 25, 40 ; pw:fee [ pw:amount 90 ; pw:currency "EUR" ] }''')
    >>> credentials_table(kg)
    [('urn:a', 'A', 'micro', '', '', '25', '', '', '90', 'EUR', '', '')]
    """
    labels, hours, ects = labels_of(kg), notional_hours(kg), credits(kg)
    fee, levels = fees(kg), eqf_levels(kg)
    rows = []
    for credential in records.credentials(kg):
        iri = credential.id
        if iri.startswith("_:"):
            continue
        cells = (
            labels.get(iri, ""),
            ";".join(credential.countries),
            str(levels[iri]) if iri in levels else "",
            _number(hours[iri]) if iri in hours else "",
            _number(ects[iri]) if iri in ects else "",
            ECTS_UNIT if iri in ects else "",
            _number(fee[iri].amount) if iri in fee else "",
            (fee[iri].currency or "") if iri in fee else "",
            ";".join(credential.providers),
            ";".join(credential.awarding_bodies),
        )
        for kind in credential.kinds:
            rows.append((iri, cells[0], _TYPES[kind], *cells[1:]))
    return sorted(rows)


@exporter("csv", "text/csv", "CSV table of credentials (RFC 4180)")
def credentials_csv(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    """The credentials table as CSV."""
    return csv_table(CREDENTIAL_COLUMNS, credentials_table(kg))
