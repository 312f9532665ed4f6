"""What a route request names, checked before any route is sought; what a renderer
may say beside a plan. The command line and the web explorer both ask through these.

A goal must be a credential, a progression pathway or an occupation; a holding a
credential, prior learning or a skill (a skill the graph does not know is accepted:
ESCO has more skills than any catalogue teaches). Anything else is an input error
saying what the IRI is, or the nearest IRI of the right kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from pathways.catalogue.lookup import kind_error
from pathways.routing.goals import goal_meaning
from pathways.routing.holdings import Award, Holdings, resolve_holdings
from pathways.routing.render import RouteContext

if TYPE_CHECKING:
    import networkx as nx

    from pathways.rdf.store import KnowledgeGraph

__all__ = ["GOALS", "HELD", "Wanted", "check_kind", "checked_holdings", "route_context"]

#: The kinds of node an IRI must name, and how the error says so.
Wanted = tuple[tuple[str, ...], str]

GOALS: Wanted = (
    ("credential", "pathway", "occupation"),
    "goals are credentials, pathways or occupations",
)
HELD: Wanted = (
    ("credential", "prior-learning", "skill"),
    "holdings are credentials, prior learning or skills",
)


def check_kind(
    kg: KnowledgeGraph | None,
    g: nx.DiGraph,
    iri: str,
    wanted: Wanted,
    where: str,
    line: int | None = None,
) -> None:
    """Raise an input error when ``iri`` is not a node of the wanted kinds (saying what
    it is, or the nearest IRI of those kinds); ``where`` names the parameter or file."""
    error = kind_error(kg, g, iri, wanted[0], wanted[1], path=where, line=line)
    if error is not None:
        raise error


def checked_holdings(
    kg: KnowledgeGraph | None,
    g: nx.DiGraph,
    awards: Iterable[Award],
    on: dt.date | None = None,
) -> Holdings:
    """The holdings of ``awards``, each checked to be of a kind one can hold."""
    awards = list(awards)
    for award in awards:
        if award.iri in g or "/skill/" not in award.iri:  # unknown skills are accepted
            check_kind(kg, g, award.iri, HELD, award.path, award.line)
    return resolve_holdings(awards, g, on)


def route_context(g: nx.DiGraph, goal: str, named: Sequence[str], requested: int) -> RouteContext:
    """Labels of the nodes a plan names by IRI, what the goal means, how many routes
    were asked for."""
    meaning = goal_meaning(g, goal)
    nodes = (*named, *meaning.destinations)
    labels = {n: str(g.nodes[n].get("label", n)) for n in nodes if n in g}
    return RouteContext(labels, meaning, requested)
