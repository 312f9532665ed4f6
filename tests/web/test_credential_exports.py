"""The credential page's CTDL and Open Badges 3.0 downloads: the bytes of ``pathways
export --to ctdl|ob3 --pathway IRI`` over the same (pilot) graph, the oracle here."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from pathways.cli import main

PILOT = "https://w3id.org/pathways/pilot/"
UNRELATED = PILOT + "es-hv-2s"  # a Spanish HV credential: no part of the Finnish EAT


@pytest.mark.parametrize(("suffix", "fmt"), [("ctdl.json", "ctdl"), ("ob3.json", "ob3")])
@pytest.mark.parametrize("credential", ["fi-eat", "es-hv-2s"])
def test_a_credential_downloads_as_the_cli_exports_it(
    client: TestClient, runner: CliRunner, suffix: str, fmt: str, credential: str
) -> None:
    iri = PILOT + credential
    answer = client.get(f"/credential.{suffix}", params={"iri": "pilot:" + credential})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/ld+json")
    disposition = f'attachment; filename="{credential}.{suffix}"'
    assert answer.headers["content-disposition"] == disposition
    cli = runner.invoke(main, ["export", "--to", fmt, "--pathway", iri])
    assert cli.exit_code == 0, cli.stderr
    assert answer.content == cli.stdout_bytes
    document = json.loads(answer.content)
    ids = {n["@id"] for n in document["@graph"]} if fmt == "ctdl" else {a["id"] for a in document}
    assert iri in ids
    if credential == "fi-eat":
        assert UNRELATED not in ids
    html = client.get("/credential", params={"iri": iri}).text
    assert f"/credential.{suffix}?iri=" in html


@pytest.mark.parametrize("suffix", ["ctdl.json", "ob3.json"])
def test_exports_of_unknown_credentials_are_404(client: TestClient, suffix: str) -> None:
    answer = client.get(f"/credential.{suffix}", params={"iri": "https://example.org/x"})
    assert answer.status_code == 404
    pathway = client.get(f"/credential.{suffix}", params={"iri": PILOT + "pathway-fi-eat"})
    assert pathway.status_code == 404  # the credential page's downloads are of credentials
