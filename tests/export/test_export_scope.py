"""CTDL and Open Badges 3.0 exports scoped to one credential or pathway
(``ExportOptions.pathway``, ``pathways export --to ctdl|ob3 --pathway IRI``).

Expected members come from ``tests/fixtures/export/small.ttl``: qual-battery's
conditions (core: ev-2s; choice: unit-a/b/c and the sub-condition; sub: ev-rescue,
ev-s) name seven credentials; ev-1s is reached only through 2S's entry route, which
CTDL does not carry; pathway-battery has eight members.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pathways.cli import main
from pathways.errors import NotFoundError, UsageError
from pathways.export import ExportOptions, export
from pathways.interop.ctdl import import_ctdl
from pathways.rdf.store import KnowledgeGraph
from tests.constants import FIXTURES
from tests.export.test_export_formats import _structure

SMALL = FIXTURES / "export" / "small.ttl"
FX = "https://w3id.org/pathways/fixture/"
QUAL = FX + "qual-battery"
PATHWAY = FX + "pathway-battery"
MEMBERS = {FX + n for n in ("ev-s", "ev-1s", "ev-2s", "unit-a", "unit-b", "unit-c", "ev-rescue")}


@pytest.fixture(scope="module")
def small() -> KnowledgeGraph:
    kg = KnowledgeGraph.open()
    kg.load([SMALL])
    return kg


def _graph(kg: KnowledgeGraph, iri: str | None) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = json.loads(export(kg, "ctdl", ExportOptions(pathway=iri)))[
        "@graph"
    ]
    return nodes


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return {s for k, v in value.items() if k != "@id" for s in _strings(v)}
    if isinstance(value, list):
        return {s for v in value for s in _strings(v)}
    return set()


def _credentials(nodes: list[dict[str, Any]]) -> set[str]:
    kinds = {"ceterms:MicroCredential", "ceterms:Certificate", "ceterms:Credential"}
    return {n["@id"] for n in nodes if n["@type"] in kinds}


def test_ctdl_of_a_qualification_is_it_its_conditions_and_what_they_name(
    small: KnowledgeGraph,
) -> None:
    full, scoped = _graph(small, None), _graph(small, QUAL)
    assert _credentials(scoped) == {QUAL} | MEMBERS - {FX + "ev-1s"}
    assert PATHWAY not in {n["@id"] for n in scoped}  # the pathway is not named by it
    conditions = {n["@id"] for n in scoped if n["@type"] == "ceterms:ComponentCondition"}
    assert {FX + "qual-battery-core", FX + "qual-battery-choice", FX + "qual-battery-sub"} == (
        conditions
    )
    # Each node is as the unscoped document has it, and the document is self-contained:
    # every node of the whole export that a kept node names is kept.
    by_id = {n["@id"]: n for n in full}
    assert all(by_id[n["@id"]] == n for n in scoped)
    kept = {n["@id"] for n in scoped}
    named = {s for n in scoped for s in _strings(n)} & set(by_id)
    assert named <= kept


def test_ctdl_of_a_credential_leaves_out_an_unrelated_credential(small: KnowledgeGraph) -> None:
    scoped = _graph(small, FX + "ev-1s")
    assert _credentials(scoped) == {FX + "ev-1s", FX + "ev-s"}  # ev-1s requires ev-s
    assert FX + "unit-a" not in {n["@id"] for n in scoped}


def test_scoped_ctdl_imports_with_the_conditions_of_the_source(
    small: KnowledgeGraph, tmp_path: Path
) -> None:
    """The check the unscoped round trip makes (no error findings, the same conditions and
    owners), for the one qualification: all of the fixture's conditions are its own."""
    path = tmp_path / "qual.ctdl.json"
    path.write_bytes(export(small, "ctdl", ExportOptions(pathway=QUAL)))
    result = import_ctdl([path])
    assert not [f for f in result.findings if f.severity == "error"]
    before, after = _structure(small.graph), _structure(result.graph)
    assert after["conditions"] == before["conditions"]
    assert after["owners"] == before["owners"]
    assert not after["pathways"]


def test_ctdl_of_a_pathway_has_the_pathway_and_its_members(small: KnowledgeGraph) -> None:
    scoped = _graph(small, PATHWAY)
    assert PATHWAY in {n["@id"] for n in scoped}
    assert _credentials(scoped) == MEMBERS | {QUAL}


def test_ob3_of_a_credential_is_its_achievement(small: KnowledgeGraph) -> None:
    whole = json.loads(export(small, "ob3"))
    scoped = json.loads(export(small, "ob3", ExportOptions(pathway=FX + "ev-s")))
    # The same object as the unscoped array holds (test_ob3_achievements_have_the_required_fields).
    assert scoped == [a for a in whole if a["id"] == FX + "ev-s"]
    assert scoped[0]["creator"] == {"id": FX + "org-campus", "type": ["Profile"]}


def test_ob3_of_a_pathway_is_its_members(small: KnowledgeGraph) -> None:
    scoped = json.loads(export(small, "ob3", ExportOptions(pathway=PATHWAY)))
    assert {a["id"] for a in scoped} == MEMBERS | {QUAL}


@pytest.mark.parametrize("fmt", ["ctdl", "ob3"])
def test_a_scope_that_is_no_credential_or_pathway_is_refused(
    small: KnowledgeGraph, fmt: str
) -> None:
    with pytest.raises(NotFoundError, match="not in the knowledge graph"):
        export(small, fmt, ExportOptions(pathway=FX + "nothing"))
    with pytest.raises(UsageError, match="organisation"):
        export(small, fmt, ExportOptions(pathway=FX + "org-campus"))


@pytest.mark.parametrize("fmt", ["ctdl", "ob3"])
def test_cli_exports_one_credential(runner: CliRunner, small: KnowledgeGraph, fmt: str) -> None:
    result = runner.invoke(main, ["export", str(SMALL), "--to", fmt, "--pathway", QUAL])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == export(small, fmt, ExportOptions(pathway=QUAL))
    unknown = runner.invoke(main, ["export", str(SMALL), "--to", fmt, "--pathway", FX + "x"])
    assert unknown.exit_code == 2 and not unknown.stdout
    assert "not in the knowledge graph" in unknown.stderr and "Traceback" not in unknown.stderr
