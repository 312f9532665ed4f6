"""A load interrupted at any moment leaves the store exactly as it was; a reader during
a load sees the old content or the new; a second writer is refused (issue 13).

Real processes (``python -m pathways load``) on a generated file of 60k triples,
stopped at named points by the test-only hook ``PATHWAYS_TEST_PAUSE_AT``
(:func:`pathways.rdf.generations.test_pause`: the loader stops itself with SIGSTOP
there) and then sent SIGINT, SIGTERM or SIGKILL: during parsing (phase 1, half of the
file read), during Oxigraph's bulk load into the new generation (half of the file
written), and at the commit (the new generation complete and durable, the pointer not
yet switched). The oracle is the store's content before the load: the triple count and
the SHA-256 of its sorted N-Quads.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pathways.rdf.store import KnowledgeGraph
from tests.constants import FIXTURES, REPO

pytestmark = pytest.mark.slow  # real processes on a large file: about 30-60 s in all

SMALL = FIXTURES / "kg" / "small.ttl"
TRIPLES = 60_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """N-Triples of 60k triples: IRIs, blank nodes, language-tagged and typed literals."""
    path = tmp_path_factory.mktemp("big") / "big.nt"
    pw = "https://w3id.org/pathways/vocab#"
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    with path.open("w", encoding="utf-8") as out:
        for i in range(TRIPLES):
            c = f"<https://example.org/big/c{i // 4}>"
            kind = i % 4
            if kind == 0:
                out.write(f"{c} <{pw}fee> _:b{i} .\n")
            elif kind == 1:
                out.write(f'_:b{i - 1} <{pw}currency> "EUR" .\n')
            elif kind == 2:
                out.write(f'{c} <{pw}title> "credential {i}"@en .\n')
            else:
                out.write(f'{c} <{pw}notionalHours> "{i % 97}"^^{integer} .\n')
    return path


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the ontology and one small file: the content to keep."""
    store = tmp_path_factory.mktemp("base") / "kg"
    with KnowledgeGraph.open(store) as kg:
        kg.load([SMALL])
    return store


def content(store: Path) -> tuple[int, str]:
    """The store's triples and the SHA-256 of its sorted N-Quads."""
    with KnowledgeGraph.open(store, read_only=True) as kg:
        lines = sorted(str(q) for q in kg.store.quads_for_pattern(None, None, None, None))
        return len(kg), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def pathways(*args: str, pause: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PATHWAYS_TEST_PAUSE_AT", None)
    if pause is not None:
        env["PATHWAYS_TEST_PAUSE_AT"] = pause
    return subprocess.Popen(
        [sys.executable, "-m", "pathways", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(*args: str) -> subprocess.CompletedProcess[str]:
    process = pathways(*args)
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def wait_for_pause(process: subprocess.Popen[str], point: str) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        if line.strip() == f"pathways-test: paused at {point}":
            return
    process.wait(timeout=60)
    pytest.fail(f"the load never reached {point!r} (exit {process.returncode})")


@pytest.mark.parametrize(
    ("point", "sig"),
    [
        ("parse", signal.SIGINT),
        ("parse", signal.SIGKILL),
        ("write", signal.SIGTERM),
        ("write", signal.SIGKILL),
        ("commit", signal.SIGINT),
        ("commit", signal.SIGTERM),
        ("commit", signal.SIGKILL),
    ],
)
def test_an_interrupted_load_leaves_the_store_as_it_was(
    big: Path, base: Path, tmp_path: Path, point: str, sig: signal.Signals
) -> None:
    store = tmp_path / "kg"
    shutil.copytree(base, store)
    before = content(store)
    process = pathways("load", str(big), "--store", str(store), pause=point)
    wait_for_pause(process, point)
    os.kill(process.pid, sig)
    os.kill(process.pid, signal.SIGCONT)
    _, err = process.communicate(timeout=60)
    if sig == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == 128 + sig
        assert "interrupted: the store is unchanged" in err
        assert "Traceback" not in err
    assert content(store) == before
    # the next load works (and removes what the interrupted one left)
    again = run("load", str(FIXTURES / "kg" / "small.nt"), "--store", str(store))
    assert again.returncode == 0, again.stderr
    assert content(store)[0] > before[0]
    assert len([p for p in store.iterdir() if p.name.startswith("gen-")]) == 1


def test_a_reader_during_a_load_sees_the_old_content_then_the_new(
    big: Path, base: Path, tmp_path: Path
) -> None:
    store = tmp_path / "kg"
    shutil.copytree(base, store)
    old = content(store)
    process = pathways("load", str(big), "--store", str(store), pause="commit")
    wait_for_pause(process, "commit")
    try:
        # the new generation is complete on disk: readers still see the old one
        info = run("info", "--store", str(store), "--format", "json")
        assert info.returncode == 0, info.stderr
        assert f'"triples": {old[0]}' in info.stdout
        assert content(store) == old
        second = run("load", str(SMALL), "--store", str(store))
        assert second.returncode == 2
        assert "another load is running on this store" in second.stderr
    finally:
        os.kill(process.pid, signal.SIGCONT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "triples/s" in out
    new = content(store)
    assert new[0] == old[0] + TRIPLES
    info = run("info", "--store", str(store), "--format", "json")
    assert f'"triples": {new[0]}' in info.stdout
    # loading the same file again adds nothing, blank nodes included
    again = run("load", str(big), "--store", str(store))
    assert "already loaded, unchanged" in again.stdout
    assert content(store) == new
