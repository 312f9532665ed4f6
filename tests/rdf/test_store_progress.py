"""``pathways load`` shows progress within a file on a terminal, is quiet in a pipe,
and ends with a summary: files, triples read and added, triples in the store,
seconds, triples per second (issue 13, "Long work shows progress")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathways.cli import main
from pathways.cli._common import progress_printer
from pathways.rdf.store import KnowledgeGraph
from tests.constants import FIXTURES


def test_progress_within_a_file_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.nt"
    big.write_text(
        "".join(f'<urn:c{i}> <urn:title> "title {i}" .\n' for i in range(60_000)),
        encoding="utf-8",
    )  # 2.3 MB: progress is told every MiB read
    show = progress_printer(enabled=True)
    assert show is not None
    with KnowledgeGraph.open(tmp_path / "kg") as kg:
        kg.load([big], progress=show)
    err = capsys.readouterr().err
    assert re.search(r"\[1/1\] \S*big\.nt  checking +\d+%", err)
    assert err.rstrip().endswith(str(big))  # the file's closing line


def test_quiet_in_a_pipe_and_a_summary_at_the_end(runner: CliRunner, tmp_path: Path) -> None:
    store = tmp_path / "kg"
    result = runner.invoke(main, ["load", str(FIXTURES / "kg"), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "[1/" not in result.stderr and "%" not in result.stderr
    *_, summary, indexed = result.stdout.strip().splitlines()
    assert re.fullmatch(r"search index written for en in \d+\.\d\d s", indexed), indexed
    assert re.fullmatch(
        r"loaded 6 file\(s\), [\d,]+ triples read, [\d,]+ new, into store \S+ in "
        r"\d+\.\d\d s \([\d,]+ triples/s\); the graph now holds [\d,]+ triples",
        summary,
    ), summary
