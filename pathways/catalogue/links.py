"""What a credential links to, as search counts it: NQF levels, occupations, ESCO skills.

:func:`credential_links` gives, for every credential that has any, the values of the
three facets of :mod:`pathways.catalogue.search` that follow a link of the credential
rather than one of its own properties. Each is read by the readers of
:mod:`pathways.catalogue.records` (never by queries of its own):

``nqf_level``
    the levels of national qualifications frameworks it states (``pw:nqfLevel``, QDR
    concepts such as "MECU Level 4"; the EQF level they reference is the
    ``eqf_level`` facet only when the credential states it);
``occupation``
    the occupations it leads to: those it names (``pw:targetOccupation``) and the
    destinations that are occupations of the progression pathways listing it as a
    component (``pw:pathwayComponent``, ``pw:destination``: the pathways a route to
    an occupation goes through, :mod:`pathways.routing.build`);
``skill``
    the (ESCO) skills its learning outcomes align with (``pw:learningOutcome`` /
    ``pw:alignedSkill``: what it teaches on the occupation page).

Blank nodes are left out, as the other facets leave them out: they have no label and
no IRI a link could select.

>>> from pathways.rdf.store import KnowledgeGraph
>>> kg = KnowledgeGraph.open()
>>> kg.store.update('''PREFIX pw: <https://w3id.org/pathways/vocab#> INSERT DATA {
...   <urn:c> a pw:MicroCredential ; pw:targetOccupation <urn:o1> .
...   <urn:o2> a pw:Occupation .
...   <urn:p> pw:pathwayComponent <urn:c> ; pw:destination <urn:o2>, <urn:q> }''')
>>> credential_links(kg)
{'urn:c': {'occupation': ('urn:o1', 'urn:o2')}}
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from pathways.catalogue.records import components_of, destinations_of, links_of, occupations

if TYPE_CHECKING:
    from pathways.rdf.store import KnowledgeGraph

__all__ = ["LINK_FACETS", "credential_links"]

#: The facets :func:`credential_links` reads, in the order search shows them.
LINK_FACETS = ("nqf_level", "occupation", "skill")


def credential_links(kg: KnowledgeGraph) -> dict[str, dict[str, tuple[str, ...]]]:
    """Credential IRI -> facet of :data:`LINK_FACETS` -> its values (sorted IRIs), for
    every subject with a value (callers keep the credentials they index)."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for facet, field in (
        ("nqf_level", "nqf_levels"),
        ("skill", "skills"),
        ("occupation", "occupations"),
    ):
        for subject, values in links_of(kg, field).items():
            found[subject][facet].update(values)
    known = occupations(kg)
    destinations = destinations_of(kg)
    for pathway, members in components_of(kg).items():
        leads = [d for d in destinations.get(pathway, ()) if d in known]
        for member in members if leads else ():
            found[member]["occupation"].update(leads)
    return {
        subject: {
            facet: tuple(sorted(v for v in values if not v.startswith("_:")))
            for facet, values in sorted(facets.items())
            if any(not v.startswith("_:") for v in values)
        }
        for subject, facets in sorted(found.items())
        if not subject.startswith("_:")
    }
