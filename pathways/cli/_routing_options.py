"""Options and their checks shared by ``route`` and ``gap`` (and ``stack``'s holdings).

The library speaks of its own parameters (``countries=FIN``), the command line of
flags (``--country FIN``): :func:`in_flags` translates a library message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import networkx as nx

from pathways.cli._common import IRI, IRI_OR_CODE
from pathways.errors import PathwaysError
from pathways.rdf.store import KnowledgeGraph
from pathways.routing import Filters
from pathways.routing.filters import checked_filters
from pathways.routing.holdings import Award, Holdings, read_holdings
from pathways.routing.requests import checked_holdings

__all__ = ["filter_options", "filters", "holding_options", "holdings", "in_flags"]

#: The library's parameters (Filters fields, plan_route's term_hours) and their flags.
_FLAGS = {
    "countries": "--country",
    "languages": "--language",
    "providers": "--provider",
    "max_eqf": "--max-eqf",
    "term_hours": "--term-hours",
}
_PARAMETER = re.compile(r"\b(" + "|".join(_FLAGS) + r")(=|:)")


def in_flags(text: str) -> str:
    """A library message in the words of the command line: ``countries=FIN`` becomes
    ``--country FIN`` (the library speaks of its own parameters, the CLI of flags).

    >>> in_flags("excluded by countries=FIN (it is offered in ESP)")
    'excluded by --country FIN (it is offered in ESP)'
    """
    return _PARAMETER.sub(lambda m: _FLAGS[m[1]] + (" " if m[2] == "=" else ":"), text)


def holdings(
    kg: KnowledgeGraph,
    g: nx.DiGraph,
    holding: Path | None,
    given: Sequence[str],
    on: dt.datetime | None,
) -> Holdings:
    awards: list[Award] = list(read_holdings(holding)) if holding is not None else []
    awards.extend(Award(iri, "--from") for iri in given)
    return checked_holdings(kg, g, awards, on.date() if on else None)


def holding_options(f: Any) -> Any:
    f = click.option(
        "--on",
        type=click.DateTime(["%Y-%m-%d"]),
        default=None,
        help="Reference date for expiry of awards (default: today).",
    )(f)
    f = click.option(
        "--from",
        "given",
        multiple=True,
        type=IRI,
        metavar="IRI",
        help="A credential already held (repeatable; IRI or prefixed name).",
    )(f)
    return click.option(
        "--holding",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Holdings: RDF (pw:IssuedCredential, pw:hasPriorLearning, pw:holdsSkill) "
        "or text with one IRI a line.",
    )(f)


def filter_options(f: Any) -> Any:
    f = click.option(
        "--country",
        multiple=True,
        type=IRI_OR_CODE,
        help="Only credentials offered in this country (ISO 3166 code ES or ESP, or a "
        "country IRI or prefixed name).",
    )(f)
    f = click.option(
        "--language",
        multiple=True,
        help="Only credentials taught in this language (BCP 47 / ISO 639 code, e.g. es; "
        "es also matches es-ES).",
    )(f)
    f = click.option(
        "--provider",
        multiple=True,
        type=IRI,
        metavar="IRI",
        help="Only credentials of this provider (IRI or prefixed name).",
    )(f)
    f = click.option(
        "--max-eqf",
        type=click.IntRange(1, 8),
        default=None,
        help="Only credentials at this EQF level or below.",
    )(f)
    return click.option(
        "--funding",
        default=None,
        metavar="SCHEME",
        help="Only credentials eligible under this funding scheme "
        "(IRI or profile name; its hours and EQF ranges).",
    )(f)


def filters(
    g: nx.DiGraph,
    country: Sequence[str],
    language: Sequence[str],
    provider: Sequence[str],
    max_eqf: int | None,
    funding: str | None,
) -> Filters:
    """The filters, checked against the graph (exit 2 for a value that matches nothing)."""
    filters = Filters(tuple(country), tuple(language), tuple(provider), max_eqf, funding)
    try:
        return checked_filters(g, filters)
    except PathwaysError as err:
        hint = in_flags(err.hint) if err.hint else None
        raise type(err)(in_flags(err.message), hint=hint) from err
