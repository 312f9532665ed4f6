"""The disagreements a user met (issue 12), each through the command line.

Every test here failed on the code before ``pathways.catalogue`` (run with the old
package on the path): one name for a funding scheme everywhere, prefixed names in
every IRI option before any data is loaded, one label in every output, one value of
each single-valued fact in every output, and library messages that name parameters,
not flags.

Where the expected value comes from
-----------------------------------
* Scheme and pathway IRIs: the bundled pilot data (``data/funding.ttl``,
  ``data/pathways.ttl``) and its prefixes (``pathways.vocab.PREFIXES``).
* The label rule: RFC 4647 basic filtering as SPARQL 1.1 ``langMatches`` defines it
  (W3C SPARQL 1.1 Query, section 17.4.3.2): ``"en"`` matches ``en`` and ``en-GB``;
  an English reader gets the ``@en`` label before an untagged one.
* One EQF level and one notional workload per credential: EU Council Recommendation
  2022/C 243/02 Annex I, elements 7 and 8, and ELM's application profile
  (european-commission-empl/European-Learning-Model @ 22dcce7b41,
  ``rdf/ap/edc/EDC-generic-full.ttl``: ``elm:EQFLevel`` and ``elm:volumeOfLearning``
  have ``sh:maxCount 1``), copied in ``shared/external/elm/``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from pathways.cli import main
from tests.constants import FIXTURES, PILOT

CATALOGUE = FIXTURES / "catalogue"
LABELS = str(CATALOGUE / "labels.ttl")
FACTS = str(CATALOGUE / "facts.ttl")
BATTERY = "https://example.org/catalogue/battery"
FUNDAE = str(PILOT["scheme-es-fundae"])


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- one name for a funding scheme ------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["funding-es-fundae", FUNDAE, f"<{FUNDAE}>", "pilot:scheme-es-fundae", "scheme-es-fundae"],
)
def test_route_funding_takes_every_name_of_a_scheme(runner: CliRunner, name: str) -> None:
    code, out, err = run(
        runner, "route", "--to", "pilot:es-hv-2s", "--funding", name, "--format", "json"
    )
    assert code == 0, err
    assert json.loads(out)["goal"] == str(PILOT["es-hv-2s"])


@pytest.mark.parametrize("name", ["pilot:scheme-es-fundae", "scheme-es-fundae"])
def test_eligibility_and_fund_take_the_prefixed_name(runner: CliRunner, name: str) -> None:
    code, out, err = run(runner, "eligibility", "--scheme", name, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["scheme"] == FUNDAE
    code, out, err = run(
        runner, "fund", "--scheme", name, "--credential", "pilot:es-hv-2s", "--format", "json"
    )
    assert code == 0, err
    assert FUNDAE in out


def test_an_unknown_scheme_gets_one_message_everywhere(runner: CliRunner) -> None:
    messages = []
    for args in (
        ("eligibility", "--scheme", "nope"),
        ("fund", "--scheme", "nope"),
        ("route", "--to", "pilot:es-hv-2s", "--funding", "nope"),
    ):
        code, out, err = run(runner, *args)
        assert code == 2 and out == "", (args, err)
        messages.append(err.strip().splitlines()[-1])
    assert len(set(messages)) == 1, messages
    assert messages[0].startswith("error: unknown funding scheme 'nope' (known schemes: ")
    assert "funding-es-fundae (pilot:scheme-es-fundae)" in messages[0]


# --- prefixed names in every IRI option, before loading ---------------------------


def test_metrics_pathway_takes_a_prefixed_name(runner: CliRunner) -> None:
    full = run(runner, "metrics", "--pathway", str(PILOT["pathway-fi-eat"]), "--format", "json")
    short = run(runner, "metrics", "--pathway", "pilot:pathway-fi-eat", "--format", "json")
    assert full[0] == 0 and short[0] == 0, (full[2], short[2])
    assert short[1] == full[1]


MISSING = "/no/such/data.ttl"  # loading it would fail: the IRI must fail first

IRI_OPTIONS = [
    ("route", "--to"),
    ("route", "--from"),
    ("route", "--provider"),
    ("route", "--country"),
    ("gap", "--to"),
    ("stack", "--add"),
    ("validate", "--focus"),
    ("export", "--pathway"),
    ("metrics", "--pathway"),
    ("cost", "--credential"),
    ("cost", "--consortium"),
    ("fund", "--credential"),
    ("fund", "--to"),
    ("import", "--occupation"),
    ("import", "--base"),
]


@pytest.mark.parametrize(("command", "option"), IRI_OPTIONS)
def test_a_malformed_iri_is_refused_before_loading(
    runner: CliRunner, command: str, option: str
) -> None:
    before = ["esco"] if command == "import" else []
    required = {
        "route": ["--to", "pilot:es-hv-2s"],
        "gap": [],
        "validate": ["--profile", "eu-standard-elements"],
    }.get(command, [])
    if option == "--to":
        required = []
    args = [command, *before, MISSING, *required, option, "nope:x y"]
    code, out, err = run(runner, *args)
    assert code == 2 and out == "", err
    assert err.startswith(f"error: {option}: "), err
    assert MISSING not in err


def test_an_unknown_prefix_names_the_known_ones(runner: CliRunner) -> None:
    code, _, err = run(runner, "metrics", "--pathway", "nope:pathway-fi-eat")
    assert code == 2
    assert "unknown prefix 'nope'" in err and "pilot" in err


# --- one label rule ---------------------------------------------------------------


def test_route_and_validation_report_show_the_same_label(runner: CliRunner) -> None:
    code, route, err = run(runner, "route", LABELS, "--to", BATTERY)
    assert code == 0, err
    _, report, _ = run(runner, "validate", LABELS, "--profile", "eu-standard-elements")
    code, table, _ = run(
        runner, "validate", LABELS, "--profile", "eu-standard-elements", "--format", "json"
    )
    labels = {r["focus_label"] for r in json.loads(table)["results"] if r["focus"] == BATTERY}
    first_credential = report.split("\n\n", 1)[1].splitlines()[0]  # after what was checked
    headings = [route.splitlines()[0], first_credential, *labels]
    for text in headings:  # (the report quotes the untagged title as a value, rightly)
        assert "Battery diagnosis" in text and "Diagnóstico" not in text, text


def test_the_reader_language_picks_the_label(runner: CliRunner) -> None:
    """In Spanish (langMatches "es" fails on an untagged literal and on "en"), the
    untagged title comes before the English label."""
    from pathways.rdf.labels import best_label

    candidates = [
        ("https://w3id.org/pathways/vocab#title", "Diagnóstico de baterías", None),
        ("http://www.w3.org/2000/01/rdf-schema#label", "Battery diagnosis", "en"),
    ]
    assert best_label(candidates, "en") == "Battery diagnosis"
    assert best_label(candidates, "es") == "Diagnóstico de baterías"


# --- one value per single-valued fact ---------------------------------------------


def test_two_hours_give_the_smallest_in_routes(runner: CliRunner) -> None:
    code, out, err = run(runner, "route", FACTS, "--to", BATTERY, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["total"]["hours"] == 25.0  # of 60.0, 25.0 and 40.0
    assert doc["total"]["cost"] == 750.0  # of 900 and 750 EUR


def test_hours_agree_between_route_and_simulation(runner: CliRunner, tmp_path: Path) -> None:
    from pathways.catalogue.projection import project
    from pathways.economics.money import Money
    from pathways.economics.simulation import funding_market
    from pathways.rdf.resources import data_files
    from pathways.rdf.store import KnowledgeGraph

    extra = tmp_path / "hours.ttl"
    extra.write_text(
        "@prefix pw: <https://w3id.org/pathways/vocab#> .\n"
        "<https://w3id.org/pathways/pilot/es-adas-camara> pw:notionalHours 30.0 , 8.0 .\n",
        encoding="utf-8",
    )
    camera = str(PILOT["es-adas-camara"])
    code, out, err = run(
        runner, "route", *map(str, data_files()), str(extra), "--to", camera, "--format", "json"
    )
    assert code == 0, err
    (step,) = [c for c in json.loads(out)["credentials"] if c["iri"] == camera]
    kg = KnowledgeGraph.open()
    kg.load([*data_files(), extra])
    (offer,) = [
        o for o in funding_market(kg, Money.of("13", "EUR")).offers if o.credential == camera
    ]
    assert step["hours"] == project(kg).nodes[camera]["hours"] == 8.0  # of 16, 30 and 8
    assert offer.payment == Money(Decimal(8) * 13, "EUR")


def test_validation_reports_every_repeated_single_valued_fact(runner: CliRunner) -> None:
    code, out, _ = run(
        runner, "validate", FACTS, "--profile", "eu-standard-elements", "--format", "json"
    )
    assert code == 1
    shapes = {
        r["shape"].rsplit("#", 1)[-1]
        for r in json.loads(out)["results"]
        if r["focus"] == BATTERY and r["component"].endswith("#MaxCountConstraintComponent")
    }
    assert shapes == {
        "MicroCredentialShape-notionalHours",
        "MicroCredentialShape-eqfLevelCount",
        "MicroCredentialRecommendedShape-fee",
    }


# --- library messages speak of parameters, the CLI of flags -----------------------


def test_library_reasons_name_parameters_and_the_cli_names_flags(runner: CliRunner) -> None:
    from pathways.catalogue.projection import project
    from pathways.errors import NoRouteError
    from pathways.rdf.resources import data_files
    from pathways.rdf.store import KnowledgeGraph
    from pathways.routing import Filters, plan_route

    kg = KnowledgeGraph.open()
    kg.load(data_files())
    with pytest.raises(NoRouteError) as err:
        plan_route(project(kg), str(PILOT["es-hv-3s"]), filters=Filters(countries=("FIN",)))
    assert err.value.reasons and not any("--" in r for r in err.value.reasons)
    assert any("countries=FIN" in r for r in err.value.reasons)
    code, _, stderr = run(runner, "route", "--to", "pilot:es-hv-3s", "--country", "FIN")
    assert code == 1 and "--country FIN" in stderr and "countries=" not in stderr


def test_exports_show_the_same_label_and_hours(runner: CliRunner) -> None:
    import csv
    import io

    code, out, err = run(runner, "export", FACTS, "--to", "csv")
    assert code == 0, err
    (row,) = [r for r in csv.DictReader(io.StringIO(out)) if r["iri"] == BATTERY]
    assert float(row["hours"]) == 25.0  # of 60.0, 25.0 and 40.0, as in routes
    code, out, err = run(runner, "export", LABELS, "--to", "ob3")
    assert code == 0, err
    names = [a["name"] for a in json.loads(out) if a["id"] == BATTERY]
    assert names == ["Battery diagnosis"]
