"""Hostile input through the command line: exit 2 naming the file, no traceback, no network.

Regression tests for each crash the fuzz tests found (tiny fixtures in
``tests/fixtures/hostile/`` or generated here), and the attacks of issue 13 (billion
laughs and external entities in RDF/XML, a remote JSON-LD ``@context``, SPARQL
SERVICE/FROM/LOAD) through every command that reads a file, against a loopback HTTP
server that must see no request. Oracle: README "Exit codes" and "Offline and safe
by default" (:data:`pathways.errors.EXIT_CODES`); the XML entity attacks are the
W3C XML 1.0 (fifth edition) section 4.2 entity declarations, internal and external.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.constants import DATA, FIXTURES, REPO
from tests.fuzz.hostile import run_cli
from tests.loopback import CountingServer

HOSTILE = FIXTURES / "hostile"
SMALL = FIXTURES / "kg" / "small.ttl"
TARGET = HOSTILE / "one-target.ttl"


def _stderr_names(result_stderr: str, path: Path) -> bool:
    return path.name in result_stderr and "Traceback" not in result_stderr


# -- regressions ------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".jsonld", ".json"])
def test_info_on_jsonld_nested_5000_levels_exits_2(tmp_path: Path, suffix: str) -> None:
    # Issue 13, verbatim: "a JSON-LD file nested 5,000 levels deep makes
    # `pathways info` exit 3 today".
    path = tmp_path / f"deep{suffix}"
    path.write_text('{"http://e/p": ' * 5000 + "1" + "}" * 5000)
    result = run_cli(["info", str(path)], named=path)
    assert result.exit_code == 2
    assert "nested deeper than 100 levels" in result.stderr


@pytest.mark.parametrize("fmt", ["ctdl", "elm", "eperusteet"])
def test_importers_on_json_nested_5000_levels_exit_2(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 5000 + "]" * 5000)
    result = run_cli(["import", fmt, str(path)], named=path)
    assert result.exit_code == 2
    assert "nested deeper" in result.stderr


def test_holdings_nested_5000_levels_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "me.jsonld"
    path.write_text("[" * 5000 + "]" * 5000)
    result = run_cli(
        ["route", str(DATA), "--holding", str(path), "--to", "pilot:fi-eat"], named=path
    )
    assert result.exit_code == 2


def test_query_nested_3000_deep_exits_2_instead_of_crashing(tmp_path: Path) -> None:
    # Before: pyoxigraph's SPARQL parser overflowed the C stack: SIGSEGV (exit -11).
    # Run in a child process so that a regression cannot take the test run down.
    path = tmp_path / "deep.rq"
    path.write_text("SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000)
    done = subprocess.run(
        [sys.executable, "-m", "pathways", "query", str(path), str(SMALL)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 2, done.stderr
    assert _stderr_names(done.stderr, path)
    assert "deeper than 100 levels" in done.stderr


@pytest.mark.parametrize("method", ["auto", "pyshacl"])
def test_deep_sparql_in_a_shapes_file_exits_2_instead_of_crashing(
    tmp_path: Path, method: str
) -> None:
    # Before: pyshacl hands sh:select to Oxigraph directly, past the store's check:
    # SIGSEGV. In a child process, as above.
    path = tmp_path / "deep-sparql-shapes.ttl"
    query = "SELECT $this WHERE { " + "{ " * 3000 + "$this ?p ?o" + " }" * 3000 + " }"
    path.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://e/S> a sh:NodeShape ; sh:targetClass <http://e/C> ;\n"
        f'    sh:sparql [ sh:select "{query}" ] .\n'
    )
    command = ["validate", str(SMALL), "--shapes", str(path), "--method", method]
    done = subprocess.run(
        [sys.executable, "-m", "pathways", *command],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"error: {path}: the sh:select of a node of <http://e/S>: the query nests brackets "
        "deeper than 100 levels (flatten the nested groups or expressions)\n"
    )


def test_query_file_errors_name_the_file() -> None:
    path = HOSTILE / "service.rq"
    result = run_cli(["query", str(path), str(SMALL)], named=path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}: SPARQL SERVICE")


def test_ntriples_literal_over_16_mib_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "long.nt"
    path.write_text('<http://e/a> <http://e/p> "' + "x" * (17 << 20) + '" .\n')
    result = run_cli(["info", str(path)], named=path)
    assert result.exit_code == 2
    assert "too large to parse" in result.stderr


def test_cyclic_list_in_shapes_exits_2() -> None:
    path = HOSTILE / "cyclic-list-shapes.ttl"
    for method in ("auto", "pyshacl"):
        result = run_cli(["validate", str(SMALL), "--shapes", str(path), "--method", method])
        assert result.exit_code == 2
        assert result.stderr == (
            f"error: {path}: the rdf:List through <http://example.org/loop> loops back on "
            "itself (end the list with rdf:nil; a list cannot contain itself)\n"
        )


def test_unrepresentable_date_in_shapes_warns_in_one_line() -> None:
    # Before: rdflib's "Failed to convert Literal lexical form to value" reached
    # Python's last-resort log handler, which printed its traceback.
    path = HOSTILE / "out-of-range-date-shapes.ttl"
    result = run_cli(["validate", str(SMALL), "--shapes", str(path)])
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "Failed to convert" in line]
    assert warnings and all(line.startswith("warning: rdflib.term: ") for line in warnings)
    assert "99999999999-01-01" in warnings[0]


def test_spreadsheet_bad_language_tag_is_a_finding() -> None:
    # Before: rdflib's Literal raised ValueError("'e n' is not a valid language tag!").
    sheet = HOSTILE / "bad-language-sheet"
    result = run_cli(["import", "spreadsheet", str(sheet)], named=sheet / "credentials.csv")
    assert result.exit_code == 2
    assert (
        "credentials.csv:2: row 2: language: 'e n' is not a language tag (en, fi, pt-BR) [error]"
        in result.stderr
    )


def test_turtle_nested_5000_levels_is_read_and_reported(tmp_path: Path) -> None:
    # Before: rdflib's recursive Turtle parser gave "nested too deeply for the parser";
    # the importers now read Turtle through Oxigraph's parser, which reads every level,
    # and a file with no CTDL in it says so (exit 2, nothing written).
    path = tmp_path / "deep.ttl"
    path.write_text(
        "<http://e/a> <http://e/p> " + "[ <http://e/p> " * 5000 + "1" + " ]" * 5000 + " ."
    )
    result = run_cli(["import", "ctdl", str(path)], named=path)
    assert result.exit_code == 2
    assert f"{path.name}: no CTDL resources found in the file" in result.stderr
    assert "nothing was imported" in result.stderr


def test_corrupt_deflate_stream_in_gzip_csv_is_a_finding() -> None:
    # Before: zlib.error ("invalid code lengths set") escaped gzip.decompress, exit 3.
    # The fixture is gzip.compress of a two-column CSV with byte 10 inverted.
    path = HOSTILE / "corrupt-deflate.csv.gz"
    result = run_cli(["import", "esco", str(path)], named=path)
    assert result.exit_code == 2
    assert "corrupt-deflate.csv.gz: broken gzip file: Error -3" in result.stderr


def test_gzip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gzip

    from pathways.interop import esco

    monkeypatch.setattr(esco, "MAX_GUNZIPPED", 1 << 20)  # 1 MiB instead of 1 GiB
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(b"conceptUri,preferredLabel\n" + b"\0" * (2 << 20)))
    assert path.stat().st_size < 10_000
    result = run_cli(["import", "esco", str(path)], named=path)
    assert result.exit_code == 2
    assert "bomb.csv.gz: decompresses to more than 1 MiB" in result.stderr


def test_shape_that_cannot_be_evaluated_names_the_shapes_file() -> None:
    path = HOSTILE / "bad-sparql-shapes.ttl"
    result = run_cli(["validate", str(TARGET), "--shapes", str(path)], named=path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}: shape <http://example.org/S> cannot be")


def test_sh_path_nested_150_deep_exits_2(tmp_path: Path) -> None:
    # Before: the SHACL compiler's path reader recursed past the limit: RecursionError.
    path = tmp_path / "deep-path-shapes.ttl"
    nested = "( [ sh:zeroOrMorePath " * 150 + "<http://e/p>" + " ] )" * 150
    path.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://e/S> a sh:NodeShape ; sh:targetClass <http://example.org/C> ;\n"
        f"    sh:property [ sh:path {nested} ; sh:minCount 1 ] .\n"
    )
    result = run_cli(["validate", str(TARGET), "--shapes", str(path)], named=path)
    assert result.exit_code == 2


def test_curriculum_with_a_5000_digit_course_id(tmp_path: Path) -> None:
    # Before: the natural sort of node ids called int() on it: ValueError (CPython's
    # 4,300-digit limit), exit 3.
    path = tmp_path / "long-ids.csv"
    big = "9" * 5000
    path.write_text(
        "Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,"
        "Strict-Corequisites,Credit Hours,Institution,Canonical Name\n"
        f"{big},a,A,1,,,,3,,\n1,b,B,2,{big},,,3,,\n"
    )
    result = run_cli(["metrics", str(path), "--format", "csv"], named=path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].startswith("1,")


@pytest.mark.parametrize("tag", ["en", "pt-BR", "e n", "en-abcdefghi", "abcdefghi", "en-", "1a"])
def test_spreadsheet_language_tags_agree_with_oxigraph(tag: str, tmp_path: Path) -> None:
    # Oracle: pyoxigraph's own language-tag check (a peer implementation of the
    # xsd:language / BCP 47 syntax); before, a tag it refused raised ValueError, exit 3.
    import pyoxigraph as ox

    try:
        ox.Literal("x", language=tag)
        accepted = True
    except ValueError:
        accepted = False
    sheet = tmp_path / "sheet"
    sheet.mkdir()
    source = (HOSTILE / "bad-language-sheet" / "credentials.csv").read_text()
    (sheet / "credentials.csv").write_text(source.replace(",e n,", f",{tag},"))
    result = run_cli(["import", "spreadsheet", str(sheet)], named=sheet / "credentials.csv")
    assert (f"language: {tag!r} is not a language tag" in result.stderr) is not accepted
    assert result.exit_code == (0 if accepted else 2)


def test_xlsx_with_a_corrupt_deflate_stream_is_a_finding(tmp_path: Path) -> None:
    # Before: zlib.error escaped openpyxl while it read the sheet, exit 3.
    import struct
    import zipfile

    template = tmp_path / "template.xlsx"
    run_cli(["template", "--format", "xlsx", "-o", str(template)])
    data = bytearray(template.read_bytes())
    with zipfile.ZipFile(template) as archive:
        member = next(i for i in archive.infolist() if i.filename.startswith("xl/worksheets/"))
    name_length, extra_length = struct.unpack_from("<HH", data, member.header_offset + 26)
    start = member.header_offset + 30 + name_length + extra_length
    data[start] = 0xFF  # a deflate block of the reserved type 3
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(bytes(data))
    result = run_cli(["import", "spreadsheet", str(broken)], named=broken)
    assert result.exit_code == 2
    assert "broken.xlsx: " in result.stderr and "invalid block type" in result.stderr


# -- attacks, against a loopback server ---------------------------------------------------


_Counter = CountingServer()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with _Counter as url:
        yield url


_XML_HEAD = '<?xml version="1.0"?>\n'
_RDF_OPEN = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="http://example.org/a"><rdf:value>'
)
_RDF_CLOSE = "</rdf:value></rdf:Description></rdf:RDF>\n"

#: name -> (suffix, text with {url} for the server)
ATTACKS: dict[str, tuple[str, str]] = {
    "billion-laughs": (
        ".rdf",
        _XML_HEAD
        + '<!DOCTYPE r [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        + '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>\n'
        + _RDF_OPEN
        + "&d;"
        + _RDF_CLOSE,
    ),
    "external-entity": (
        ".rdf",
        _XML_HEAD
        + '<!DOCTYPE r [<!ENTITY x SYSTEM "{url}/xxe">]>\n'
        + _RDF_OPEN
        + "&x;"
        + _RDF_CLOSE,
    ),
    "external-dtd": (
        ".rdf",
        _XML_HEAD
        + '<!DOCTYPE r SYSTEM "{url}/dtd"><!-- <!ENTITY -->\n'
        + _RDF_OPEN
        + "x"
        + _RDF_CLOSE,
    ),
    "remote-context": (
        ".jsonld",
        '{{"@context": "{url}/context", "@id": "http://example.org/a", "name": "x"}}',
    ),
    "remote-context-in-list": (
        ".jsonld",
        '{{"@context": [{{"p": "http://e/p"}}, "{url}/context"], "@id": "http://e/a", "p": 1}}',
    ),
    "nested-remote-context": (
        ".jsonld",
        '{{"@id": "http://e/a", "http://e/p": {{"@context": "{url}/context", "q": 1}}}}',
    ),
}

QUERY_ATTACKS = {
    "service": "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "service-silent": "select * {{ service silent <{url}/sparql> {{ ?s ?p ?o }} }}",
    "from": "SELECT * FROM <{url}/graph> WHERE {{ ?s ?p ?o }}",
    "from-named": "SELECT * FROM NAMED <{url}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "load": "LOAD <{url}/data.ttl>",
}


def _commands(path: Path) -> list[list[str]]:
    """Every command that reads ``path``, by its kind."""
    commands = [
        ["info", str(path)],
        ["validate", str(path), "--profile", "eu-standard-elements"],
        ["validate", str(SMALL), "--shapes", str(path)],
        ["route", str(DATA), "--holding", str(path), "--to", "pilot:fi-eat"],
    ]
    suffix = ".json" if path.suffix == ".jsonld" else path.suffix
    importable = path.with_name(path.stem + "-import" + suffix)
    importable.write_bytes(path.read_bytes())
    commands += [["import", fmt, str(importable)] for fmt in ("ctdl", "elm")]
    if suffix == ".json":
        commands.append(["import", "eperusteet", str(importable)])
    return commands


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_files_are_refused_everywhere_offline(
    name: str, server: str, tmp_path: Path
) -> None:
    suffix, template = ATTACKS[name]
    path = tmp_path / f"{name}{suffix}"
    path.write_text(template.format(url=server))
    _Counter.hits.clear()
    for command in _commands(path):
        named = Path(command[2] if command[0] == "import" else path)
        result = run_cli(command, named=named)
        assert result.exit_code == 2, (command, result.stderr)
        if command[1] != "eperusteet":  # not JSON-LD: refused as no ePerusteet structure
            # The refusal names what was refused: an XML entity or DTD (pathways.rdf.
            # safety), a JSON-LD context that is not inline.
            refused = "@context" if suffix == ".jsonld" else "entity"
            assert refused in result.stderr, result.stderr
    assert _Counter.hits == []


@pytest.mark.parametrize("name", sorted(QUERY_ATTACKS))
def test_query_attacks_are_refused_offline(name: str, server: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.rq"
    path.write_text(QUERY_ATTACKS[name].format(url=server))
    _Counter.hits.clear()
    result = run_cli(["query", str(path), str(SMALL)], named=path)
    assert result.exit_code == 2
    assert _Counter.hits == []


def test_the_counter_counts(server: str) -> None:
    """Control: the loopback server does see a request made on purpose."""
    import urllib.request

    _Counter.hits.clear()
    with urllib.request.urlopen(f"{server}/control", timeout=5) as response:
        response.read()
    assert _Counter.hits == ["/control"]
