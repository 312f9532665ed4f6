"""One CSV dialect and one atomic writer for every file the tool writes.

The dialect is RFC 4180 section 2 (records end with CRLF; a field holding a comma,
quote or line break is quoted, quotes doubled), which is also the line ending of the
W3C SPARQL 1.1 Query Results CSV format (section 2 of that note); the oracle that
reads the files back is Python's own ``csv`` module.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathways.cli import main
from pathways.interop.template import TABLES
from pathways.output import csv_text, write_atomically, write_folder

CSV_COMMANDS = [
    ["metrics", "--format", "csv"],
    ["validate", "--profile", "eu-standard-elements", "--format", "csv"],
    ["eligibility", "--scheme", "funding-es-fundae", "--format", "csv"],
    ["fund", "--scheme", "funding-es-fundae", "--format", "csv"],
    ["outcomes", "--format", "csv"],
    ["export", "--to", "csv"],
    ["query", "SELECT ?l WHERE { eqf:4 skos:prefLabel ?l }", "--format", "csv"],
]


def _is_rfc4180(data: bytes) -> bool:
    text = data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return (
        text.endswith("\r\n")
        and "\n" not in text.replace("\r\n", "")  # (no field of these outputs breaks a line)
        and len({len(r) for r in rows}) == 1
        and len(rows) >= 2
    )


@pytest.mark.parametrize("args", CSV_COMMANDS, ids=lambda a: a[0])
def test_every_csv_output_is_rfc_4180(runner: CliRunner, tmp_path: Path, args: list[str]) -> None:
    target = tmp_path / "out.csv"
    result = runner.invoke(main, [*args, "-o", str(target)])
    assert result.exit_code in (0, 1), result.stderr  # 1: does not conform, still written
    assert _is_rfc4180(target.read_bytes())


def test_the_template_is_rfc_4180_with_the_usual_permissions(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "template"
    result = runner.invoke(main, ["template", "--format", "csv", "-o", str(folder)])
    assert result.exit_code == 0, result.stderr
    umask = os.umask(0)
    os.umask(umask)
    files = sorted(folder.glob("*.csv"))
    # One file per table of the template (pathways.interop.template.TABLES).
    assert [f.stem for f in files] == sorted(t.name for t in TABLES)
    for file in files:
        header = file.read_bytes()
        assert header.endswith(b"\r\n") and header.count(b"\r\n") == 1
        assert stat.S_IMODE(file.stat().st_mode) == 0o666 & ~umask  # not mkstemp's 0600


def test_csv_text_quotes_as_rfc_4180_says() -> None:
    text = csv_text([["a", "b"], ['say "hi"', "x, y"], [None, 1]])
    assert text == 'a,b\r\n"say ""hi""","x, y"\r\n,1\r\n'
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["a", "b"],
        ['say "hi"', "x, y"],
        ["", "1"],
    ]


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    write_atomically(target, "old\r\n")
    with pytest.raises(TypeError):
        write_atomically(target, 42)  # type: ignore[arg-type]
    assert target.read_bytes() == b"old\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]  # no temporary left


def test_a_folder_is_written_whole(tmp_path: Path) -> None:
    folder = tmp_path / "report"
    write_folder(folder, {"a.md": "A\n", "b.csv": b"x\r\n"})
    assert sorted(p.name for p in folder.iterdir()) == ["a.md", "b.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no staging folder left
