"""The README's console examples are real output: each ``$ command`` is run and its
output compared with what the README shows.

The commands run in order in one folder (so ``load`` makes the store the next
``query`` reads), holding links to the repository's ``data/``, ``examples/`` and
``docs/`` and copies of the published files the README imports from
``../shared/external``. ``[...]`` on a line of its own stands for any lines, within a
line for any text; times and rates are compared as numbers of any value, and an
identifier cut short as ``46942a57-...`` stands for the whole.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.constants import EXTERNAL, REPO

README = REPO / "README.md"

#: One worker runs them all (make test: pytest -n auto --dist loadgroup), in order.
pytestmark = pytest.mark.xdist_group("readme")

#: Published files the README's examples read, by the folder of ../shared/external.
PUBLISHED = {
    "ctdl": ("heriot-watt-pathway.ttl", "heriot-watt-courses.ttl"),
    "elm": ("sample-credential.ttl", "EDC-generic-full.ttl", "EDC-generic-no-cv.ttl"),
}

#: Examples that cannot be replayed, and why (matched on the command line).
NOT_REPLAYED = {
    "pathways serve": "a server runs until it is stopped (tests/web checks what it serves)",
    "# after editing": "it shows the output after a file was changed by hand",
}

#: Figures that change from run to run: seconds and rates.
_TIMES = re.compile(r"\d[\d,]*(?:\.\d+)?(?= ?(?:s\b|ms\b|triples/s))")


@dataclass(frozen=True)
class Example:
    line: int
    command: str
    expected: tuple[str, ...]

    @property
    def not_replayed(self) -> str | None:
        return next((why for key, why in NOT_REPLAYED.items() if key in self.command), None)

    @property
    def needs_published(self) -> bool:
        return any(name in self.command for names in PUBLISHED.values() for name in names)


def examples(text: str) -> list[Example]:
    """The ``$ command`` lines of the README's console blocks and the lines after each.

    >>> [e.command for e in examples("```console\\n$ a\\nout\\n$ b\\n```\\n")]
    ['a', 'b']
    """
    found: list[Example] = []
    in_block = False
    current: tuple[int, str] | None = None
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```"):
            if in_block and current is not None:
                found.append(Example(current[0], current[1], tuple(lines)))
            in_block, current, lines = line == "```console", None, []
            continue
        if not in_block:
            continue
        if line.startswith("$ "):
            if current is not None:
                found.append(Example(current[0], current[1], tuple(lines)))
            current, lines = (number, line[2:]), []
        else:
            lines.append(line)
    return found


def _pattern(expected: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for line in expected:
        if line.strip() == "[...]":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            pieces = [re.escape(p) for p in _TIMES.sub("0", line).split("[...]")]
            literal = r"[^\n]*".join(pieces)  # "[...]" within a line: the rest of it
            parts.append(literal.replace(r"\-\.\.\.", r"-[0-9a-f-]+") + r"\n")
    return re.compile("".join(parts))


def _normalised(output: str) -> str:
    lines = [_TIMES.sub("0", line.rstrip()) for line in output.splitlines()]
    return "".join(line + "\n" for line in lines)


EXAMPLES = [
    e for e in examples(README.read_text(encoding="utf-8")) if not e.command.startswith("make ")
]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[int, str]:
    """Every example run in order in one folder, its stdout and stderr as written."""
    where = tmp_path_factory.mktemp("readme")
    for name in ("data", "examples", "docs"):
        (where / name).symlink_to(REPO / name)
    for folder, names in PUBLISHED.items():
        for name in names:
            if (EXTERNAL / folder / name).is_file():
                shutil.copy(EXTERNAL / folder / name, where / name)
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",  # stdout and stderr in the order they were written
        "COLUMNS": "200",
    }
    results: dict[int, str] = {}
    for example in EXAMPLES:
        if example.not_replayed:
            continue
        try:
            done = subprocess.run(
                ["bash", "-c", example.command + " 2>&1"],
                cwd=where,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
        except subprocess.TimeoutExpired as err:
            results[example.line] = f"(still running after {err.timeout} s)\n"
        else:
            results[example.line] = done.stdout
    return results


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) > 20


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"line{e.line}")
def test_readme_example_shows_real_output(example: Example, outputs: dict[int, str]) -> None:
    if example.not_replayed:
        pytest.skip(f"not replayed: {example.not_replayed}")
    if example.needs_published and not EXTERNAL.is_dir():
        pytest.skip("../shared/external (published files the example reads) is absent")
    actual = _normalised(outputs[example.line])
    pattern = _pattern(example.expected)
    assert pattern.fullmatch(actual), (
        f"README.md line {example.line}: `{example.command}` printed\n{outputs[example.line]}"
    )
