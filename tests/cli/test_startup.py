"""Start-up (issue 13): ``pathways --help`` imports no RDF, graph or numeric library,
and the lazy group's table of commands is the commands' own.

The oracle of "what was imported" is CPython's own ``-X importtime`` record, taken
from a subprocess that runs the real entry point (``python -m pathways``).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

import pathways.cli
from pathways.cli import COMMAND_TABLE, main
from tests.constants import REPO

HEAVY = ("rdflib", "networkx", "numpy", "scipy", "pyoxigraph", "pyshacl", "matplotlib")


def _imported(*args: str) -> set[str]:
    """Top-level packages that ``python -X importtime -m pathways ARGS`` imports."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pathways", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "pathways" in names, "no -X importtime record"
    return names


@pytest.mark.parametrize("args", [["--help"], ["--version"]])
def test_help_and_version_import_no_heavy_library(args: list[str]) -> None:
    heavy = sorted(set(HEAVY) & _imported(*args))
    assert heavy == [], f"pathways {' '.join(args)} imports {heavy}"


def test_help_imports_no_command_module() -> None:
    modules = set()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pathways", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=True,
    )
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            modules.add(line.rsplit("|", 1)[1].strip())
    commands = {f"pathways.cli.{entry.module}" for entry in COMMAND_TABLE.values()}
    assert modules & commands == set()


def test_info_on_the_pilot_graph_imports_no_networkx_or_numpy() -> None:
    heavy = set(HEAVY) & _imported("info")
    assert heavy.isdisjoint({"networkx", "numpy", "scipy", "matplotlib", "pyshacl"}), heavy


def _modules_commands() -> dict[str, tuple[str, click.Command]]:
    found: dict[str, tuple[str, click.Command]] = {}
    for info in pkgutil.iter_modules(pathways.cli.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"pathways.cli.{info.name}")
        for command in getattr(module, "COMMANDS", []):
            assert command.name is not None
            found[command.name] = (info.name, command)
    return found


def test_the_table_names_every_command_and_its_module() -> None:
    found = _modules_commands()
    assert sorted(COMMAND_TABLE) == sorted(found)
    for name, (module, _) in found.items():
        assert COMMAND_TABLE[name].module == module, name


def test_the_tables_short_help_is_each_commands_own() -> None:
    for name, (_, command) in _modules_commands().items():
        assert COMMAND_TABLE[name].short_help == command.get_short_help_str(limit=10_000), name
        for limit in (30, 45, 60):
            short = click.Command(None, help=COMMAND_TABLE[name].short_help)
            assert short.get_short_help_str(limit) == command.get_short_help_str(limit), name


def test_group_help_is_what_an_eager_group_would_print(runner: CliRunner) -> None:
    eager = click.Group(
        "pathways",
        help=main.help,
        epilog=main.epilog,
        params=main.params,
        context_settings=main.context_settings,
    )
    for _, command in _modules_commands().values():
        eager.add_command(command)
    lazy = runner.invoke(main, ["--help"], prog_name="pathways")
    assert lazy.exit_code == 0
    assert lazy.stdout == runner.invoke(eager, ["--help"], prog_name="pathways").stdout


def test_a_command_runs_through_the_lazy_group(runner: CliRunner) -> None:
    result = runner.invoke(main, ["profiles", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert main.get_command(click.Context(main), "no-such-command") is None
