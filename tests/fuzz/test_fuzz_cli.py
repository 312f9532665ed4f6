"""Every reader and importer, fuzzed through the real command line (issue 13).

Each property feeds mutated real files (the bundled data, examples and fixtures, and
the published reference files of ``/work/shared/external``, see its SOURCES.md) or
generated extremes to one command and asserts the contract of README "Exit codes"
(:data:`pathways.errors.EXIT_CODES`): exit 0, 1 or 2, never an escaped exception or
a traceback, a message naming the file on exit 2, within the hypothesis deadline and
the address-space cap of :func:`tests.fuzz.hostile.run_cli`. External seeds are
skipped, with a reason, when the shared data is absent.

``HYPOTHESIS_PROFILE=thorough`` runs many more cases (and the larger seed files).
"""

from __future__ import annotations

import gzip
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.constants import EXTERNAL, FIXTURES, REPO
from tests.fuzz.hostile import (
    DEPTHS,
    EXTREME_VALUES,
    FUZZ,
    RDF_SEEDS,
    external,
    extreme_rdf,
    mutated,
    run_cli,
    seeds,
    write,
)

NO_EXTERNAL = pytest.mark.skipif(
    not EXTERNAL.is_dir(), reason=f"shared reference data not found at {EXTERNAL}"
)
SMALL_DATA = FIXTURES / "kg" / "small.ttl"


@contextmanager
def folder() -> Iterator[Path]:
    """A fresh temporary folder per hypothesis example (tmp_path is per test)."""
    with tempfile.TemporaryDirectory(prefix="pathways-fuzz-") as name:
        yield Path(name)


def _seed_and_mutation(files: list[Path]) -> st.SearchStrategy[tuple[Path, bytes]]:
    return st.sampled_from(files).flatmap(
        lambda seed: st.tuples(st.just(seed), mutated(seed.read_bytes()))
    )


def _suffixed(suffixes: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(suffixes)


# -- RDF readers (Oxigraph): info, validate, validate --shapes -------------------------


@FUZZ
@given(
    case=_seed_and_mutation(RDF_SEEDS),
    wrong_suffix=st.none() | _suffixed([".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"]),
)
def test_info_survives_mutated_rdf(case: tuple[Path, bytes], wrong_suffix: str | None) -> None:
    seed, data = case
    with folder() as tmp:
        path = write(tmp, "mutant" + (wrong_suffix or seed.suffix), data)
        run_cli(["info", str(path)], named=path)


@FUZZ
@given(case=extreme_rdf())
def test_info_survives_extremes(case: tuple[str, bytes]) -> None:
    suffix, data = case
    with folder() as tmp:
        path = write(tmp, "extreme" + suffix, data)
        run_cli(["info", str(path)], named=path)


VALIDATION_SEEDS = [
    *seeds("examples/*.ttl", "tests/fixtures/validation/*.ttl", "tests/fixtures/kg/small.*"),
]


@FUZZ
@given(
    case=_seed_and_mutation(VALIDATION_SEEDS)
    | extreme_rdf().map(lambda e: (Path("x" + e[0]), e[1]))
)
def test_validate_survives_hostile_data(case: tuple[Path, bytes]) -> None:
    seed, data = case
    with folder() as tmp:
        path = write(tmp, "data" + seed.suffix, data)
        run_cli(["validate", str(path), "--profile", "eu-standard-elements"], named=path)


SHAPES_SEEDS = [
    *seeds("shapes/*.ttl", "tests/fixtures/shapes/**/*.ttl", "tests/fixtures/validation/*.ttl"),
    *external("shacl-test-suite/core/*/*.ttl"),
]
_SHACL = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix e: <http://example.org/> .\n"


@st.composite
def extreme_shapes(draw: st.DrawFn) -> bytes:
    """Shapes that nest, loop or carry values no implementation can represent."""
    depth = draw(DEPTHS)
    kind = draw(st.sampled_from(["not", "node", "in", "path", "value", "sparql"]))
    head = _SHACL + "e:S a sh:NodeShape ; sh:targetClass e:C ; "
    if kind == "not":
        body = "sh:not [ " * depth + "sh:datatype e:x" + " ]" * depth
    elif kind == "node":
        body = "sh:node e:S ; sh:property [ sh:path e:p ; sh:node e:S ]"
    elif kind == "in":
        body = "sh:property [ sh:path e:p ; sh:in e:l ] .\n" + (
            "e:l <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> 1 ; "
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> e:l"
        )
    elif kind == "path":
        body = "sh:property [ sh:path " + "( [ sh:zeroOrMorePath " * depth + "e:p"
        body += " ] )" * depth + " ; sh:minCount 1 ]"
    elif kind == "sparql":  # pyshacl gives these to Oxigraph itself
        query = draw(extreme_query()).decode().replace("?s", "$this").replace('"', "'")
        body = f'sh:sparql [ sh:select """{query}""" ]'
    else:
        datatype, value = draw(st.sampled_from(EXTREME_VALUES))
        xsd = "http://www.w3.org/2001/XMLSchema#"
        body = f'sh:property [ sh:path e:p ; sh:maxInclusive "{value}"^^<{xsd}{datatype}> ]'
    return (head + body + " .\n").encode()


@FUZZ
@given(case=_seed_and_mutation(SHAPES_SEEDS) | extreme_shapes().map(lambda d: (Path("x.ttl"), d)))
def test_validate_survives_hostile_shapes(case: tuple[Path, bytes]) -> None:
    seed, data = case
    with folder() as tmp:
        path = write(tmp, "shapes" + seed.suffix, data)
        run_cli(["validate", str(SMALL_DATA), "--shapes", str(path)], named=path)


# -- importers --------------------------------------------------------------------------

CTDL_SEEDS = [
    *seeds("tests/fixtures/interop/ctdl-minimal.ttl", "tests/fixtures/interop/broken/*.jsonld"),
    *external("ctdl/*.ttl", "ctdl/*.json", "ctdl/*.jsonld"),
]
ELM_SEEDS = [*external("elm/sample-*", "elm/EDC-accredited.ttl")]


@FUZZ
@given(
    fmt=st.sampled_from(["ctdl", "elm"]),
    case=_seed_and_mutation(CTDL_SEEDS + ELM_SEEDS)
    | extreme_rdf().map(lambda e: (Path("x" + e[0].replace(".nt", ".ttl")), e[1])),
)
def test_import_ctdl_and_elm_survive(fmt: str, case: tuple[Path, bytes]) -> None:
    seed, data = case
    suffix = ".json" if seed.suffix in (".json", ".jsonld") else seed.suffix
    with folder() as tmp:
        path = write(tmp, "source" + suffix, data)
        run_cli(["import", fmt, str(path)], named=path)


EPERUSTEET_SEEDS = [
    *seeds("tests/fixtures/interop/broken/eperusteet-*.json"),
    *external("eperusteet/*.json"),
]


@FUZZ
@given(
    case=_seed_and_mutation(EPERUSTEET_SEEDS)
    | DEPTHS.map(
        lambda d: (Path("x.json"), b'{"osat": ' + b'[{"osat": ' * d + b"1" + b"}]" * d + b"}")
    )
)
def test_import_eperusteet_survives(case: tuple[Path, bytes]) -> None:
    _seed, data = case
    with folder() as tmp:
        path = write(tmp, "peruste.json", data)
        run_cli(["import", "eperusteet", str(path)], named=path)


@st.composite
def extreme_csv(draw: st.DrawFn, header: bytes) -> bytes:
    """A CSV under ``header`` whose one row holds an extreme field."""
    columns = header.count(b",") + 1
    field = draw(
        st.sampled_from(
            [
                b"x" * 200_000,  # over csv.field_size_limit()
                b"\x00",
                b'"unterminated',
                b"1e400",
                b"nan",
                b"-0",
                b"9" * 5000,
                b",".join([b"x"] * 10_000),  # ten thousand columns
                "\u202e\ud7ff".encode(),
            ]
        )
    )
    row = b",".join([field] * columns)
    return header + b"\n" + row + b"\n"


ESCO = ["automotive-occupations.csv", "automotive-skills.csv", "automotive-occupation-skills.csv"]


@NO_EXTERNAL
@FUZZ
@given(which=st.integers(0, 2), how=st.sampled_from(["mutate", "extreme", "gzip"]), data=st.data())
def test_import_esco_survives(which: int, how: str, data: st.DataObject) -> None:
    originals = [EXTERNAL / "esco" / name for name in ESCO]
    content = originals[which].read_bytes()
    name = ESCO[which]
    if how == "mutate":
        hostile = data.draw(mutated(content))
    elif how == "extreme":
        hostile = data.draw(extreme_csv(content.split(b"\n", 1)[0]))
    else:  # the gzip form ESCO publishes, mutated
        hostile, name = data.draw(mutated(gzip.compress(content, mtime=0))), name + ".gz"
    with folder() as tmp:
        paths = [Path(shutil.copy(p, tmp / p.name)) for p in originals]
        paths[which].unlink()
        paths[which] = write(tmp, name, hostile)
        run_cli(["import", "esco", *map(str, paths)], named=paths)


SHEET = FIXTURES / "interop" / "spreadsheet-valid"


@FUZZ
@given(
    name=st.sampled_from(sorted(p.name for p in SHEET.glob("*.csv"))),
    how=st.sampled_from(["mutate", "extreme"]),
    data=st.data(),
)
def test_import_spreadsheet_csv_survives(name: str, how: str, data: st.DataObject) -> None:
    content = (SHEET / name).read_bytes()
    if how == "mutate":
        hostile = data.draw(mutated(content))
    else:
        hostile = data.draw(extreme_csv(content.split(b"\n", 1)[0].rstrip(b"\r")))
    with folder() as tmp:
        sheet = Path(shutil.copytree(SHEET, tmp / "sheet"))
        write(sheet, name, hostile)
        run_cli(["import", "spreadsheet", str(sheet)], named=sorted(sheet.glob("*.csv")))


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The empty xlsx template, written by 'pathways template'."""
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    run_cli(["template", "--format", "xlsx", "-o", str(path)])
    return path.read_bytes()


@FUZZ
@given(data=st.data())
def test_import_spreadsheet_xlsx_survives(workbook: bytes, data: st.DataObject) -> None:
    hostile = data.draw(mutated(workbook))
    with folder() as tmp:
        path = write(tmp, "credentials.xlsx", hostile)
        run_cli(["import", "spreadsheet", str(path)], named=path)


CURRICULUM_SEEDS = seeds(
    "examples/*.csv", "tests/fixtures/analytics/*.csv", "tests/fixtures/analytics/broken/*.csv"
)


@FUZZ
@given(
    case=_seed_and_mutation(CURRICULUM_SEEDS),
    how=st.sampled_from(["mutate", "extreme"]),
    data=st.data(),
)
def test_metrics_curricular_analytics_csv_survives(
    case: tuple[Path, bytes], how: str, data: st.DataObject
) -> None:
    seed, hostile = case
    if how == "extreme":
        lines = seed.read_bytes().splitlines()
        header = next((line for line in lines if line.startswith(b"Course ID")), lines[0])
        head = b"\n".join(lines[: lines.index(header)]) + b"\n" if header in lines else b""
        hostile = head + data.draw(extreme_csv(header))
    with folder() as tmp:
        path = write(tmp, "curriculum.csv", hostile)
        run_cli(["metrics", str(path)], named=path)


# -- holdings, queries -------------------------------------------------------------------

HOLDING_SEEDS = seeds(
    "examples/learner.ttl", "examples/technician.txt", "tests/fixtures/routes/holdings-*"
)
LADDER = FIXTURES / "routes" / "ladder.ttl"


@FUZZ
@given(
    case=_seed_and_mutation(HOLDING_SEEDS) | extreme_rdf().map(lambda e: (Path("x" + e[0]), e[1]))
)
def test_route_holdings_survive(case: tuple[Path, bytes]) -> None:
    seed, data = case
    with folder() as tmp:
        path = write(tmp, "holdings" + seed.suffix, data)
        run_cli(
            ["route", str(REPO / "data"), "--holding", str(path), "--to", "pilot:fi-eat"],
            named=path,
        )


@st.composite
def extreme_query(draw: st.DrawFn) -> bytes:
    """SPARQL that nests deeply, reaches out, or carries unrepresentable numbers."""
    depth = draw(DEPTHS)
    kind = draw(st.sampled_from(["group", "expr", "path", "remote", "number", "long"]))
    if kind == "group":
        text = "SELECT * WHERE " + "{ " * depth + "?s ?p ?o" + " }" * depth
    elif kind == "expr":
        text = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * depth + "1" + ")" * depth + ") }"
    elif kind == "path":
        text = "SELECT * WHERE { ?s " + "(" * depth + "<http://e/p>" + ")*" * depth + " ?o }"
    elif kind == "remote":
        text = draw(
            st.sampled_from(
                [
                    "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
                    "select * { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
                    "SELECT * FROM <http://127.0.0.1:9/g> { ?s ?p ?o }",
                    "SELECT * FROM NAMED <http://127.0.0.1:9/g> { GRAPH ?g { ?s ?p ?o } }",
                    "LOAD <http://127.0.0.1:9/data.ttl>",
                    "SELECT * {\n#x\nSERVICE\n<http://127.0.0.1:9/> { ?s ?p ?o } }",
                ]
            )
        )
    elif kind == "number":
        text = "SELECT * { BIND(" + "9" * draw(st.integers(20, 20000)) + " * 1e308 AS ?x) }"
    else:
        text = "SELECT * { ?s ?p '" + "x" * draw(st.integers(1, 1 << 20)) + "' }"
    return text.encode()


QUERY_SEEDS = seeds("examples/*.rq")


@FUZZ
@given(case=_seed_and_mutation(QUERY_SEEDS) | extreme_query().map(lambda q: (Path("x.rq"), q)))
def test_query_file_survives(case: tuple[Path, bytes]) -> None:
    _seed, data = case
    with folder() as tmp:
        path = write(tmp, "query.rq", data)
        run_cli(["query", str(path), str(SMALL_DATA)], named=path)
