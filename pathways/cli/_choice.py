"""A :class:`click.Choice` that suggests the closest choice for a typo."""

from __future__ import annotations

from typing import Any

import click

from pathways.errors import did_you_mean

__all__ = ["Choice", "did_you_mean"]


class Choice(click.Choice[str]):
    """Like :class:`click.Choice`, and its error names the closest choice."""

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        message = super().get_invalid_choice_message(value, ctx)
        return message + did_you_mean(str(value), [str(c) for c in self.choices])
