"""Every importer reads its files through one read-and-record loop
(:meth:`pathways.interop.results.ImportBuilder.each_file`), so a file it cannot read
is reported the same way whatever the format: an unimported source, and one error
finding with the reader's message and hint; the other files still import.

Before the loop was shared, the ESCO and ePerusteet importers dropped the hint and
the spreadsheet importer recorded no source for the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from pathways.interop import IMPORTERS, import_files

_GOOD = {
    "ctdl": (
        "p.ttl",
        "@prefix ceterms: <https://purl.org/ctdl/terms/> .\n"
        '<http://ex.org/a> a ceterms:MicroCredential ; ceterms:name "A"@en .\n',
    ),
    "elm": (
        "q.ttl",
        "@prefix elm: <http://data.europa.eu/snb/model/elm/> .\n"
        "@prefix dc: <http://purl.org/dc/terms/> .\n"
        '<urn:q> a elm:Qualification ; dc:title "Q"@en .\n',
    ),
    "eperusteet": ("b.json", '[{"nimi": {"fi": "Merkki"}}]'),
    "esco": (
        "rel.csv",
        "occupationUri,relationType,skillType,skillUri\n"
        "http://data.europa.eu/esco/occupation/o1,essential,knowledge,"
        "http://data.europa.eu/esco/skill/s1\n",
    ),
    "spreadsheet": ("credentials.csv", "id,type,title\nc1,MicroCredential,A\n"),
}


@pytest.mark.parametrize("fmt", sorted(IMPORTERS))
def test_a_missing_file_is_reported_the_same_way_by_every_importer(
    fmt: str, tmp_path: Path
) -> None:
    name, text = _GOOD[fmt]
    good = tmp_path / name
    good.write_text(text, encoding="utf-8")
    missing = tmp_path / ("absent" + good.suffix)
    result = import_files(fmt, [missing, good])
    errors = [f for f in result.findings if f.file == missing.name]
    assert [(f.severity, f.message, f.node) for f in errors] == [
        ("error", "no such file (check the path)", None)
    ]
    sources = {s.file: s.imported for s in result.sources}
    assert sources[missing.name] is False
    assert sources[good.name] is True
    # The missing file takes nothing away: the graph is what the good file alone gives.
    assert isomorphic(result.graph, import_files(fmt, [good]).graph)
