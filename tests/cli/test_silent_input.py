"""Nothing wrong passes silently (issue 13): each wrong input below gave exit 0, or exit 1
or 3, with an answer that looked right; each is now exit 2 (or a warning where the input
is legal) with a message that says what is wrong and what to do, and no traceback."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pathways.cli import main
from tests.constants import EXTERNAL, FIXTURES

BROKEN = FIXTURES / "interop" / "broken"
SHEET = FIXTURES / "interop" / "spreadsheet-valid"


def _refused(result: Result, *words: str) -> str:
    """The result is exit 2 with a message (no traceback) holding every word."""
    message = result.stderr
    assert result.exit_code == 2, (result.exit_code, result.stdout, message)
    assert "Traceback" not in message and "internal error" not in message
    for word in words:
        assert word in message, message
    return message


# -- -o under an existing file ----------------------------------------------------------

#: Every command that writes files, with the option that names what it writes.
WRITERS = {
    "export": ["export", "--to", "turtle", "-o", "{out}"],
    "validate": ["validate", "--profile", "stackability-integrity", "-o", "{out}"],
    "import": ["import", "spreadsheet", str(SHEET), "-o", "{out}"],
    "template-csv": ["template", "--format", "csv", "-o", "{out}"],
    "template-xlsx": ["template", "--format", "xlsx", "-o", "{out}.xlsx"],
    "simulate-report": ["simulate", "--budget", "20000", "--report", "{out}"],
    "simulate-o": ["simulate", "--budget", "20000", "-o", "{out}"],
    "route": ["route", "--to", "pilot:es-hv-2s", "-o", "{out}"],
    "query": ["query", "ASK { ?s ?p ?o }", "-o", "{out}"],
}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_output_under_a_file_is_a_usage_error(runner: CliRunner, tmp_path: Path, name: str) -> None:
    """Was exit 3 ("internal error: FileExistsError") for export, validate, import,
    template and simulate."""
    (tmp_path / "notes").write_text("a file, not a folder\n")
    out = str(tmp_path / "notes" / "out")
    args = [a.replace("{out}", out) for a in WRITERS[name]]
    _refused(runner.invoke(main, args), "notes is a file", "cannot be written under it")


@pytest.fixture
def umask_027() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def _files(path: Path) -> list[Path]:
    return sorted(p for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file())


@pytest.mark.parametrize("name", sorted(WRITERS))
@pytest.mark.usefixtures("umask_027")
def test_every_written_file_gets_0666_less_the_umask(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    out = tmp_path / "out"
    args = [a.replace("{out}", str(out)) for a in WRITERS[name]]
    result = runner.invoke(main, args)
    assert result.exit_code in (0, 1), result.stderr
    written = _files(out.with_suffix(".xlsx") if name == "template-xlsx" else out)
    assert written
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path


# -- import --keep-going that imported nothing ------------------------------------------


@pytest.mark.parametrize("keep_going", [True, False])
def test_import_that_imports_nothing_writes_nothing(
    runner: CliRunner, tmp_path: Path, keep_going: bool
) -> None:
    """Was a 0-byte output file and exit 0 with --keep-going."""
    out = tmp_path / "out.ttl"
    args = ["import", "esco", str(BROKEN / "esco-wrong-fields.csv"), "-o", str(out)]
    result = runner.invoke(main, [*args, "--keep-going"] if keep_going else args)
    message = _refused(result, "nothing was imported", "2 error(s) in 1 of 1 file(s)")
    assert "esco-wrong-fields.csv" in message and "unknown relationType" in message
    assert not out.exists()


def test_keep_going_still_writes_what_was_imported(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    good = tmp_path / "relations.csv"
    good.write_text(
        "occupationUri,relationType,skillType,skillUri\n"
        "http://data.europa.eu/esco/occupation/o1,essential,knowledge,"
        "http://data.europa.eu/esco/skill/s1\n"
    )
    args = ["import", "esco", str(good), str(BROKEN / "esco-wrong-fields.csv"), "-o", str(out)]
    result = runner.invoke(main, [*args, "--keep-going"])
    assert result.exit_code == 0, result.stderr
    assert "essentialSkill" in out.read_text()


# -- import esco selections that match nothing ------------------------------------------

ESCO = EXTERNAL / "esco"
needs_esco = pytest.mark.skipif(not ESCO.is_dir(), reason="shared/external not present")


@needs_esco
def test_import_esco_isco_group_matching_nothing(runner: CliRunner, tmp_path: Path) -> None:
    """Was empty output and exit 0."""
    out = tmp_path / "esco.ttl"
    args = ["import", "esco", str(ESCO / "automotive-occupations.csv"), "--isco-group", "9999"]
    _refused(runner.invoke(main, [*args, "-o", str(out)]), "ISCO group '9999'", "7231")
    assert not out.exists()


@needs_esco
def test_import_esco_absent_occupation(runner: CliRunner) -> None:
    args = ["import", "esco", str(ESCO / "automotive-occupations.csv")]
    absent = "http://data.europa.eu/esco/occupation/00000000-0000-0000-0000-000000000000"
    _refused(runner.invoke(main, [*args, "--occupation", absent]), absent, "is not in the files")


# -- filter values that match nothing known ---------------------------------------------

BATTERY_TECHNICIAN = "occupation:06bd6285-13ed-4ea7-90cc-e9638a0600a9"


@pytest.mark.parametrize(
    "command", [["route", "--to", "pilot:es-hv-2s"], ["gap", "--to", BATTERY_TECHNICIAN]]
)
@pytest.mark.parametrize(
    ("option", "words"),
    [
        (["--country", "DE"], ["--country DE (DEU) matches no credential", "ESP, FIN, PRT"]),
        (["--country", "Spain"], ["--country Spain", "give ES or ESP"]),
        (["--language", "spanish"], ["--language spanish", "give es", "the data has: en, es"]),
        (["--language", "de"], ["--language de matches no credential"]),
        (["--provider", "pilot:org-hv-campu"], ["did you mean pilot:org-hv-campus?"]),
    ],
)
def test_filter_values_that_match_nothing(
    runner: CliRunner, command: list[str], option: list[str], words: list[str]
) -> None:
    """Was exit 1, "no route" (every credential excluded by the typo)."""
    message = _refused(runner.invoke(main, [*command, *option]), *words)
    assert "countries" not in message and "languages" not in message  # flags, not parameters


@pytest.mark.parametrize("country", ["ES", "es", "ESP", "country:ESP"])
def test_country_alpha2_alpha3_and_prefixed_name_agree(runner: CliRunner, country: str) -> None:
    """Was exit 1 for ES: "excluded by --country ES (it is offered in ESP)"."""
    result = runner.invoke(main, ["route", "--to", "pilot:es-hv-2s", "--country", country])
    assert result.exit_code == 0, result.stderr
    assert "pilot:es-hv-2s" in result.stdout


# -- goals, holdings and --add of the wrong kind ----------------------------------------

OCCUPATION = BATTERY_TECHNICIAN


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["route", "--to", "pilot:org-hv-campus"],
            [
                "--to: pilot:org-hv-campus is an organisation (pw:AwardingBody, pw:Provider)",
                "not a credential, a progression pathway or an occupation",
                "goals are",
            ],
        ),
        (
            ["route", "--to", "pilot:es-hv-2"],
            ["not in the knowledge graph", "did you mean pilot:es-hv-2s?"],
        ),
        (
            ["route", "--to", "pilot:es-hv-2s", "--from", OCCUPATION],
            ["--from: occupation:06bd6285", "is an occupation, not a credential"],
        ),
        (
            ["gap", "--to", OCCUPATION, "--from", "pilot:org-cnc-leon"],
            ["--from", "is an organisation"],
        ),
        (["stack", "--add", OCCUPATION], ["--add: occupation:06bd6285", "is an occupation"]),
        (
            ["stack", "--add", "pilot:pathway-fi-eat"],
            ["is a progression pathway, not a credential"],
        ),
        (["gap", "--to", "pilot:es-hv-2s"], ["is a credential, not an occupation"]),
    ],
)
def test_iris_of_the_wrong_kind(runner: CliRunner, args: list[str], words: list[str]) -> None:
    """Was "not in the knowledge graph" for an organisation as a goal, and an occupation
    given to stack --add was accepted as a held credential (exit 0)."""
    _refused(runner.invoke(main, args), *words)


def test_an_occupation_in_a_holdings_file_is_named_with_its_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    holding = tmp_path / "me.txt"
    holding.write_text(f"pilot:es-hv-1s\n{OCCUPATION}\n")
    result = runner.invoke(main, ["stack", "--holding", str(holding)])
    _refused(result, "me.txt:2: occupation:06bd6285", "is an occupation")


#: An empty holdings file in each format the holdings reader takes.
EMPTY_HOLDINGS = {
    "empty.txt": "",
    "comments.txt": "# nothing held yet\n\n",
    "empty.csv": "",
    "empty.json": "",
    "object.json": "{}",
    "empty.jsonld": "  \n",
    "empty.ttl": "",
    "prefixes.ttl": "@prefix pw: <https://w3id.org/pathways/ontology#> .\n",
    "empty.nt": "",
}


@pytest.mark.parametrize("name", sorted(EMPTY_HOLDINGS))
@pytest.mark.parametrize("command", [["stack"], ["route", "--to", "pilot:es-hv-2s"]])
def test_an_empty_holdings_file_is_refused_the_same_way_in_every_format(
    runner: CliRunner, tmp_path: Path, name: str, command: list[str]
) -> None:
    """Was exit 0 for text files (an empty holding assumed) and a JSON syntax error for
    an empty .json file; the rule now: exit 2, the file names nothing held."""
    holding = tmp_path / name
    holding.write_text(EMPTY_HOLDINGS[name])
    result = runner.invoke(main, [*command, "--holding", str(holding)])
    _refused(result, f"{name}: the holdings file names no credential, prior learning or skill")


# -- SPARQL --------------------------------------------------------------------------


def test_query_with_a_misspelt_term_warns_and_runs(runner: CliRunner) -> None:
    """Was 0 rows and nothing said."""
    result = runner.invoke(main, ["query", "SELECT ?t WHERE { ?c pw:titel ?t }"])
    assert result.exit_code == 0, result.stderr
    assert "(0 rows)" in result.stdout
    assert result.stderr.startswith("warning: pw:titel is not a term of the pathways vocabulary")
    assert "did you mean pw:title?" in result.stderr


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("SELEC ?x WHERE { ?x ?p ?o }", ["found 'SELEC'", "did you mean SELECT?"]),
        ("SELECT ?x WHERE {\n ?x pilt:titel ?o }", ["unknown prefix 'pilt:' at line 2, column 5"]),
    ],
)
def test_query_syntax_errors_say_what_was_expected(
    runner: CliRunner, query: str, words: list[str]
) -> None:
    _refused(runner.invoke(main, ["query", query]), *words)


# -- unknown IRIs, profiles, schemes and formats: did you mean ---------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["route", "--to", "pilot:es-hv-2"], ["did you mean pilot:es-hv-2s?"]),
        (["gap", "--to", "occupation:06bd6285-13ed-4ea7-90cc-e9638a0600a8"], ["did you mean"]),
        (
            ["stack", "--from", "pilot:es-hv-1", "--all"],
            ["--from: pilot:es-hv-1 is not", "did you mean pilot:es-hv-1s?"],
        ),
        (
            ["cost", "--credential", "pilot:es-hv-2"],
            ["--credential: pilot:es-hv-2 is not a credential", "did you mean pilot:es-hv-2s?"],
        ),
        (
            ["fund", "--credential", "pilot:es-hv-2"],
            ["pilot:es-hv-2 is not a credential", "did you mean pilot:es-hv-2s?"],
        ),
        (["fund", "--equity", "--to", "pilot:es-hv-2"], ["did you mean pilot:es-hv-2s?"]),
        (
            ["validate", "--focus", "pilot:es-hv-2"],
            [
                "--focus: pilot:es-hv-2 is not in the knowledge graph",
                "did you mean pilot:es-hv-2s?",
            ],
        ),
        (["metrics", "--pathway", "pilot:pathway-fi-ea"], ["did you mean pilot:pathway-fi-eat?"]),
        (
            ["export", "--to", "mermaid", "--pathway", "pilot:pathway-fi-ea"],
            ["did you mean pilot:pathway-fi-eat?"],
        ),
        (
            ["eligibility", "--scheme", "scheme-fi-vt"],
            ["unknown funding scheme", "did you mean 'funding-fi-vet'?"],
        ),
        (["fund", "--scheme", "funding-fi-vt"], ["did you mean 'funding-fi-vet'?"]),
        (["fund", "--learner-group", "Unemploye"], ["did you mean 'Unemployed'?"]),
        (["validate", "--profile", "conditionalty"], ["did you mean 'conditionality'?"]),
        (["route", "--to", "pilot:es-hv-2s", "--optimize", "hour"], ["did you mean 'hours'?"]),
        (["import", "ctld", "x.ttl"], ["did you mean 'ctdl'?"]),
        (["export", "--to", "turtel"], ["did you mean 'turtle'?"]),
        (
            ["export", "--to", "jsonld", "--jsonld-context", "publshed"],
            ["did you mean 'published'?"],
        ),
        (["cost", "--consortium", "pilot:es-hv-2s"], ["is not a consortium", "known: "]),
    ],
)
def test_unknown_names_get_did_you_mean(
    runner: CliRunner, args: list[str], words: list[str]
) -> None:
    """Was "not in the knowledge graph (check the IRI)", an unnamed scheme list, or (for
    fund --credential) exit 0 with the credential silently left out."""
    _refused(runner.invoke(main, args), *words)


def test_an_import_of_files_without_records_names_them(runner: CliRunner, tmp_path: Path) -> None:
    """The empty template imports nothing: exit 2 naming the files, not an empty graph."""
    template = tmp_path / "sheet"
    assert runner.invoke(main, ["template", "-o", str(template)]).exit_code == 0
    out = tmp_path / "out.ttl"
    result = runner.invoke(main, ["import", "spreadsheet", str(template), "-o", str(out)])
    _refused(result, "nothing was imported", "sheet", "no record to import")
    assert not out.exists()


def test_every_output_option_refuses_a_path_under_a_file() -> None:
    """Every option that names a file or folder to write uses the one checked type."""
    import click

    from pathways.cli._common import OutputPath

    ctx = click.Context(main)
    writers = []
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None
        for param in command.params:
            if param.name in ("output", "report"):
                writers.append(name)
                assert isinstance(param.type, OutputPath), (name, param.name)
    assert {"export", "validate", "import", "template", "simulate", "route"} <= set(writers)
