"""Every command has help with an example and is documented in the README."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from pathways.cli import main
from tests.constants import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = main.list_commands(click.Context(main))


def _command(name: str) -> click.Command:
    command = main.get_command(click.Context(main), name)
    assert command is not None, name
    return command


def test_there_are_commands() -> None:
    assert {"load", "info", "query", "export"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_with_an_example(runner: CliRunner, name: str) -> None:
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout, f"'pathways {name} --help' shows no example"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_the_readme(name: str) -> None:
    assert re.search(rf"pathways {name}\b", README), f"README does not document {name}"


def test_every_option_of_every_command_has_help() -> None:
    for name in COMMANDS:
        for param in _command(name).params:
            if isinstance(param, click.Option):
                assert param.help, f"pathways {name} {param.opts[0]} has no help text"


def test_readme_documents_the_two_setup_commands() -> None:
    assert "make demo" in README and "make test" in README


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (REPO / ".ci" / "run").read_text()
