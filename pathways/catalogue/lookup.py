"""What an IRI given by a user is, and what was meant when it is nothing known.

A goal, a holding or a ``--pathway`` IRI must be a node of the right kind of the
projected graph (:mod:`pathways.catalogue.projection`). :func:`kind_error` says what is
wrong when it is not: "pilot:org-hv-campus is an organisation (pw:Provider,
pw:AwardingBody), not a credential, progression pathway or occupation", or, for an IRI
the graph does not hold, the nearest IRI among nodes of the right kind by local name
and label (:func:`pathways.errors.nearest`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pathways.errors import NotFoundError, PathwaysError, UsageError, nearest
from pathways.rdf.iris import shorten

if TYPE_CHECKING:  # rdflib, the store and NetworkX load only when a graph is asked
    import networkx as nx

    from pathways.rdf.store import KnowledgeGraph

__all__ = ["KINDS", "instance_error", "kind_error", "nearest_nodes", "one_of"]

#: Node kinds of the projection, as a sentence names them.
KINDS: dict[str, str] = {
    "credential": "a credential",
    "pathway": "a progression pathway",
    "occupation": "an occupation",
    "skill": "a skill",
    "prior-learning": "prior learning",
    "condition": "a component condition",
    "entry-route": "an entry route",
}


def one_of(kinds: Sequence[str]) -> str:
    """``a credential, a progression pathway or an occupation``.

    >>> one_of(["credential", "pathway"])
    'a credential or a progression pathway'
    """
    words = [KINDS.get(k, k) for k in kinds]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _local(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def nearest_nodes(g: nx.DiGraph, iri: str, kinds: Sequence[str], n: int = 1) -> list[str]:
    """The nodes of ``kinds`` nearest to ``iri`` by local name or label.

    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_node("urn:x/es-hv-2s", kind="credential", label="HV 2S")
    >>> nearest_nodes(g, "urn:x/es-hv-2", ["credential"])
    ['urn:x/es-hv-2s']
    """
    names = {
        node: [_local(node), str(data.get("label", ""))]
        for node, data in g.nodes(data=True)
        if data.get("kind") in kinds and not str(node).startswith("_:")
    }
    return nearest(_local(iri), names, n=n)


def _rdf_types(kg: KnowledgeGraph, iri: str) -> tuple[list[str], bool]:
    """The prefixed names of the types of ``iri`` and whether it is an organisation."""
    from rdflib import URIRef

    rows = kg.select(
        """SELECT ?t ?org WHERE { ?x a ?t .
             BIND(EXISTS { ?t rdfs:subClassOf* pw:Organisation } AS ?org) }""",
        x=URIRef(iri),
    )
    types = sorted({shorten(str(r["t"])) for r in rows if isinstance(r.get("t"), URIRef)})
    return types, any(str(r.get("org")).lower() == "true" for r in rows)


def kind_error(
    kg: KnowledgeGraph | None,
    g: nx.DiGraph,
    iri: str,
    kinds: Sequence[str],
    role: str,
    *,
    path: str | None = None,
    line: int | None = None,
) -> PathwaysError | None:
    """None when ``iri`` is a node of one of ``kinds`` in ``g``; else the error to raise.

    ``role`` says in a few words what the IRI should be (``"goals are credentials,
    progression pathways or occupations"``). With ``kg``, an IRI outside the projection
    is named by its RDF types (an organisation, a concept of a scheme, ...).
    """
    kind = g.nodes[iri].get("kind") if iri in g else None
    if kind in kinds:
        return None
    wanted = one_of(kinds)
    what = KINDS.get(str(kind), str(kind)) if kind is not None else None
    if what is None and kg is not None:
        types, organisation = _rdf_types(kg, iri)
        if types:
            listed = ", ".join(types)
            what = f"an organisation ({listed})" if organisation else f"a {listed}"
    if what is not None:
        return UsageError(
            f"{shorten(iri)} is {what}, not {wanted}", path=path, line=line, hint=role
        )
    close = nearest_nodes(g, iri, kinds)
    hint = f"did you mean {shorten(close[0])}? {role}" if close else f"check the IRI; {role}"
    return NotFoundError(
        f"{shorten(iri)} is not in the knowledge graph", path=path, line=line, hint=hint
    )


def instance_error(
    kg: KnowledgeGraph, iri: str, cls: str | None, what: str, *, path: str | None = None
) -> PathwaysError | None:
    """None when ``iri`` is an instance of ``cls`` (a prefixed class name such as
    ``pw:CredentialSpecification``, subclasses included; None: any typed resource);
    else a :class:`~pathways.errors.NotFoundError` naming the nearest instance by local
    name, for code that has the knowledge graph but not its projection.
    """
    within = f"?t rdfs:subClassOf* {cls} ." if cls is not None else ""
    rows = kg.select(f"SELECT DISTINCT ?x WHERE {{ ?x a ?t . {within} FILTER(isIRI(?x)) }}")
    known = {str(r["x"]) for r in rows if "x" in r}
    if iri in known:
        return None
    close = nearest(_local(iri), {k: [_local(k)] for k in known})
    listed = ", ".join(shorten(k) for k in sorted(known)[:8]) or "none"
    hint = f"did you mean {shorten(close[0])}?" if close else f"known: {listed}"
    where = f"{what} of the knowledge graph" if cls is not None else "in the knowledge graph"
    return NotFoundError(f"{shorten(iri)} is not {where}", path=path, hint=hint)
