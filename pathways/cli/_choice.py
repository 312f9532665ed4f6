"""A :class:`click.Choice` that suggests the closest choice for a typo."""

from __future__ import annotations

import difflib
from typing import Any

import click

__all__ = ["Choice", "did_you_mean"]


def did_you_mean(value: str, choices: list[str]) -> str:
    """``" (did you mean 'json'?)"`` for a close choice, else ``""``.

    >>> did_you_mean("jsn", ["human", "json", "csv"])
    " (did you mean 'json'?)"
    >>> did_you_mean("xyz", ["human", "json"])
    ''
    """
    close = difflib.get_close_matches(value, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class Choice(click.Choice[str]):
    """Like :class:`click.Choice`, and its error names the closest choice."""

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        message = super().get_invalid_choice_message(value, ctx)
        return message + did_you_mean(str(value), [str(c) for c in self.choices])
