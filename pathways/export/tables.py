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

import pyoxigraph as ox

from pathways.catalogue.facts import labels as labels_of
from pathways.catalogue.facts import notional_hours
from pathways.export import ExportOptions, exporter
from pathways.output import csv_writer
from pathways.rdf.store import KnowledgeGraph
from pathways.vocab import PREFIXES

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

_QUERY = """
SELECT ?c ?type
  (SAMPLE(?t) AS ?title) (GROUP_CONCAT(DISTINCT STR(?country); separator=";") AS ?countries)
  (MIN(?eqf) AS ?level) (SAMPLE(?hours) AS ?h) (SAMPLE(?amount) AS ?credits)
  (SAMPLE(?unit) AS ?credit_unit) (MIN(?fee) AS ?fee_amount) (SAMPLE(?cur) AS ?currency)
  (GROUP_CONCAT(DISTINCT STR(?provider); separator=";") AS ?providers)
  (GROUP_CONCAT(DISTINCT STR(?body); separator=";") AS ?bodies)
WHERE {
  VALUES (?class ?type) { (pw:MicroCredential "micro") (pw:Qualification "qualification")
                          (pw:OtherCredential "other") }
  ?c a ?class .
  OPTIONAL { ?c pw:title ?t FILTER(langMatches(lang(?t), "en") || lang(?t) = "") }
  OPTIONAL { ?c pw:country ?country }
  OPTIONAL { ?c pw:eqfLevel/pw:levelNumber ?eqf }
  OPTIONAL { ?c pw:notionalHours ?hours }
  OPTIONAL { ?c pw:credit ?cv . ?cv pw:creditAmount ?amount OPTIONAL { ?cv pw:creditUnit ?unit } }
  OPTIONAL { ?c pw:fee ?f . ?f pw:amount ?fee OPTIONAL { ?f pw:currency ?cur } }
  OPTIONAL { ?c pw:provider ?provider }
  OPTIONAL { ?c pw:awardingBody ?body }
}
GROUP BY ?c ?type
"""


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

    A credential typed with several classes gets one row per type; several countries,
    providers or awarding bodies are ``;``-joined; the title is the label of the one
    label rule (:mod:`pathways.rdf.labels`); the lowest hours, fee and EQF level win.

    Examples
    --------
    >>> kg = KnowledgeGraph.open()
    >>> kg.store.update('''PREFIX pw: <https://w3id.org/pathways/vocab#>
    ... INSERT DATA { <urn:a> a pw:MicroCredential ; pw:title "A"@en ; pw:notionalHours 25 }''')
    >>> credentials_table(kg)
    [('urn:a', 'A', 'micro', '', '', '25', '', '', '', '', '', '')]
    """
    result = kg.store.query(_QUERY, prefixes=PREFIXES)
    assert isinstance(result, ox.QuerySolutions)
    names = (
        "c", "title", "type", "countries", "level", "h", "credits", "credit_unit",
        "fee_amount", "currency", "providers", "bodies",
    )  # fmt: skip
    # Title and hours by the one label rule and the one reader of hours (the smallest
    # when several), as every other output shows them.
    labels = labels_of(kg)
    hours = notional_hours(kg)
    rows = []
    for solution in result:
        if not isinstance(solution["c"], ox.NamedNode):
            continue
        row = ["" if solution[n] is None else str(solution[n].value) for n in names]
        iri = row[0]
        row[1] = labels.get(iri, row[1])
        row[5] = str(hours[iri]) if iri in hours else ""
        rows.append(tuple(row))
    return sorted(rows)


@exporter("csv", "text/csv", "CSV table of credentials (RFC 4180)")
def credentials_csv(kg: KnowledgeGraph, options: ExportOptions) -> bytes:
    """The credentials table as CSV."""
    return csv_table(CREDENTIAL_COLUMNS, credentials_table(kg))
