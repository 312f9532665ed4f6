"""The one projection of the RDF knowledge graph onto NetworkX.

This is the only code that walks RDF to build graphs. :func:`project` runs a handful
of bulk SPARQL SELECTs in Oxigraph (never one query per node) and returns a
:class:`networkx.DiGraph` that is an AND/OR stacking graph; :func:`requisite_graph`
derives from it the plain credential DAG used by curricular analytics.

Node keys are IRI strings; blank nodes are ``"_:" + id``. Every node has ``kind``
and ``label`` (by the one rule of :mod:`pathways.rdf.labels`, else the IRI).

Node kinds and their attributes
-------------------------------
``credential`` (a pw:CredentialSpecification or anything used as one)
    ``type`` ("micro" | "qualification" | "other"), ``hours`` (float | None, the
    notional hours of pw:notionalHours), ``credits`` (float | None, the pw:credit
    amount normalised to **ECTS-equivalent** credits: amount x pw:hoursPerUnit of its
    unit / 27, so 1 osaamispiste = 1 ECTS and 1 hour = 1/27), ``cost`` (float | None,
    the pw:fee amount), ``currency`` (str | None), ``eqf`` (int | None, the EQF level
    number, or the EQF level an NQF level references); hours, credits, fee and level
    are read by :mod:`pathways.catalogue.facts` (the smallest when several),
    ``countries``, ``languages``, ``providers`` (sorted tuples of str: country IRIs,
    BCP 47 tags, provider IRIs), ``validity`` (str | None, the pw:validityPeriod
    duration), ``declared`` (bool: False when only referenced, never described).
``condition`` (pw:ComponentCondition)
    ``required`` (int: pw:requiredNumber, or the number of its targets and
    sub-conditions when absent), ``all`` (bool: pw:requiredNumber was absent),
    ``max_required`` (int | None: pw:maximumNumber), ``min_hours``, ``max_hours``,
    ``min_credits`` and ``max_credits`` (float | None; credits normalised like
    ``credits`` above; ``credit_unit`` keeps the condition's unit IRI).
``entry-route`` (pw:EntryRoute)
    ``hours`` (float | None: the workload of that route).
``prior-learning`` (pw:PriorLearning), ``skill`` (pw:Skill / ESCO skill),
``occupation`` (pw:Occupation)
    no further attributes.
``pathway`` (pw:ProgressionPathway)
    ``destinations`` (sorted tuple of IRIs).

Edge kinds (attribute ``kind``; edges point from what requires to what is required)
-----------------------------------------------------------------------------------
======================  ======================================  ======================
kind                    from -> to                              logic
======================  ======================================  ======================
``prerequisite``        credential -> credential                all of them
``corequisite``         credential -> credential                all (same term ok)
``entry``               credential -> entry-route               any one of them
``requires``            entry-route -> credential               all of them
``recognises``          entry-route -> prior-learning           all of them
``recognition``         credential -> prior-learning            any one earns it (RPL)
``condition``           credential or pathway -> condition      all of them (stacked:
                                                                awarded, not taken)
``prerequisite-condition``  credential -> condition             all of them (the
                                                                credential is taken too)
``target``              condition -> credential                 counts 1 towards N
``subcondition``        condition -> condition                  counts 1 towards N
``component``           pathway -> credential                   listed (informative)
``destination``         pathway -> occupation or credential     where it leads
``precedes``            credential -> credential                soft (recommended)
``renewed-by``          credential -> credential                the refresher award
``teaches``             credential -> skill                     via outcomes' pw:alignedSkill
``essential``           occupation -> skill                     pw:essentialSkill
``optional``            occupation -> skill                     pw:optionalSkill
======================  ======================================  ======================

Every edge also has ``logic`` ("all" | "any" | "count" | "info") as in the table.
``g.graph["funding_schemes"]`` maps scheme IRIs to their numeric eligibility rules
(``label``, ``profile``, ``min_hours``, ``max_hours``, ``min_eqf``, ``max_eqf``,
``countries``).

>>> from pathways.rdf.store import KnowledgeGraph
>>> kg = KnowledgeGraph.open()
>>> g = project(kg)
>>> g.number_of_nodes(), g.graph["funding_schemes"]
(0, {})
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import networkx as nx

from pathways.catalogue.facts import (
    ECTS_HOURS,
    credits,
    eqf_levels,
    fees,
    hours_per_unit,
    notional_hours,
)
from pathways.catalogue.facts import labels as labels_of
from pathways.rdf.sparql_tsv import cell_key, cell_value
from pathways.rdf.store import KnowledgeGraph

__all__ = ["EDGE_LOGIC", "NODE_KINDS", "credentials", "project", "requisite_graph"]

NODE_KINDS = (
    "credential",
    "condition",
    "entry-route",
    "prior-learning",
    "occupation",
    "skill",
    "pathway",
)

#: Edge kind -> how its targets combine.
EDGE_LOGIC: dict[str, str] = {
    "prerequisite": "all",
    "corequisite": "all",
    "entry": "any",
    "requires": "all",
    "recognises": "all",
    "recognition": "any",
    "condition": "all",
    "prerequisite-condition": "all",
    "target": "count",
    "subcondition": "count",
    "component": "info",
    "destination": "info",
    "precedes": "info",
    "renewed-by": "info",
    "teaches": "info",
    "essential": "info",
    "optional": "info",
}

_ECTS_HOURS = float(ECTS_HOURS)
_TYPE_RANK = {"qualification": 0, "micro": 1, "other": 2}

# Edges read with one query each: (query body, from kind, to kind, edge kind).
_EDGE_QUERIES: tuple[tuple[str, str, str, str], ...] = (
    ("?a pw:prerequisite ?b", "credential", "credential", "prerequisite"),
    ("?a pw:corequisite ?b", "credential", "credential", "corequisite"),
    ("?a pw:entryRoute ?b", "credential", "entry-route", "entry"),
    ("?a pw:requiresCredential ?b", "entry-route", "credential", "requires"),
    ("?a pw:recognisesPriorLearning ?b", "entry-route", "prior-learning", "recognises"),
    ("?a pw:awardableByRecognition ?b", "credential", "prior-learning", "recognition"),
    ("?a pw:hasSubCondition ?b", "condition", "condition", "subcondition"),
    ("?a pw:targetComponent ?b", "condition", "credential", "target"),
    ("?a pw:pathwayComponent ?b", "pathway", "credential", "component"),
    ("?a pw:precedes ?b", "credential", "credential", "precedes"),
    ("?a pw:renewedBy ?b", "credential", "credential", "renewed-by"),
    ("?a pw:essentialSkill ?b", "occupation", "skill", "essential"),
    ("?a pw:optionalSkill ?b", "occupation", "skill", "optional"),
    ("?a pw:learningOutcome ?o . ?o pw:alignedSkill ?b", "credential", "skill", "teaches"),
)


def _rows(kg: KnowledgeGraph, where: str, names: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """Rows of TSV cells (None when unbound) for a SELECT over ``names``: plain
    strings are several times cheaper than Python objects per term, which is what
    the projection of 100k credentials spends its time on."""
    head = " ".join("?" + n for n in names)
    return kg.select_cells(f"SELECT {head} WHERE {{ {where} }}")[1]


def _number(cell: str | None) -> float | None:
    if cell is None:
        return None
    try:
        return float(cell_value(cell))
    except ValueError:
        return None


def _node(g: nx.DiGraph, key: str, kind: str) -> None:
    if key not in g:
        g.add_node(key, kind=kind, label=key)
        if kind == "credential":
            g.nodes[key].update(
                type="other",
                hours=None,
                credits=None,
                cost=None,
                currency=None,
                eqf=None,
                countries=(),
                languages=(),
                providers=(),
                validity=None,
                declared=False,
            )
        elif kind == "condition":
            g.nodes[key].update(
                required=0,
                all=True,
                max_required=None,
                min_hours=None,
                max_hours=None,
                min_credits=None,
                max_credits=None,
                credit_unit=None,
            )
        elif kind == "entry-route":
            g.nodes[key]["hours"] = None
        elif kind == "pathway":
            g.nodes[key]["destinations"] = ()


def project(kg: KnowledgeGraph) -> nx.DiGraph:
    """Project the knowledge graph onto the AND/OR stacking graph described above.

    Parameters
    ----------
    kg : KnowledgeGraph
        The loaded knowledge graph.

    Returns
    -------
    networkx.DiGraph
        Nodes keyed by IRI string with ``kind`` and ``label``; edges with ``kind`` and
        ``logic`` (see the module documentation).

    Examples
    --------
    >>> from pathways.rdf.store import KnowledgeGraph
    >>> kg = KnowledgeGraph.open()
    >>> kg.store.update('''PREFIX pw: <https://w3id.org/pathways/vocab#>
    ... INSERT DATA { <urn:b> a pw:MicroCredential ; pw:prerequisite <urn:a> ;
    ...   pw:notionalHours 25.0 ; pw:title "B"@en . }''')
    >>> g = project(kg)
    >>> g.nodes["urn:b"]["hours"], g.nodes["urn:b"]["label"], g.nodes["urn:a"]["declared"]
    (25.0, 'B', False)
    >>> g.edges["urn:b", "urn:a"]["kind"]
    'prerequisite'
    """
    g = nx.DiGraph()
    _add_typed_nodes(kg, g)
    for where, kind_a, kind_b, edge_kind in _EDGE_QUERIES:
        for a, b in _rows(kg, where, ("a", "b")):
            ka, kb = cell_key(a), cell_key(b)
            _node(g, ka, kind_a)
            _node(g, kb, kind_b)
            if not g.has_edge(ka, kb):
                g.add_edge(ka, kb, kind=edge_kind, logic=EDGE_LOGIC[edge_kind])
    conditions = (
        ("hasCondition", "condition"),
        ("prerequisiteCondition", "prerequisite-condition"),
    )
    for prop, kind in conditions:
        for a, b in _rows(kg, f"?a pw:{prop} ?b", ("a", "b")):
            ka, kb = cell_key(a), cell_key(b)
            if ka not in g:
                _node(g, ka, "credential")
            _node(g, kb, "condition")
            g.add_edge(ka, kb, kind=kind, logic="all")
    _add_destinations(kg, g)
    _add_credential_attributes(kg, g)
    _add_condition_attributes(kg, g)
    labels = labels_of(kg)
    _add_labels(g, labels)
    g.graph["funding_schemes"] = _funding_schemes(kg, labels)
    return g


def _add_typed_nodes(kg: KnowledgeGraph, g: nx.DiGraph) -> None:
    classes = {
        "MicroCredential": ("credential", "micro"),
        "Qualification": ("credential", "qualification"),
        "OtherCredential": ("credential", "other"),
        "CredentialSpecification": ("credential", "other"),
        "ComponentCondition": ("condition", None),
        "EntryRoute": ("entry-route", None),
        "PriorLearning": ("prior-learning", None),
        "Occupation": ("occupation", None),
        "Skill": ("skill", None),
        "ProgressionPathway": ("pathway", None),
    }
    values = " ".join(f"pw:{c}" for c in classes)
    for node, cls in _rows(kg, f"VALUES ?t {{ {values} }} ?n a ?t", ("n", "t")):
        kind, ctype = classes[cell_key(cls).rsplit("#", 1)[1]]
        key = cell_key(node)
        _node(g, key, kind)
        if ctype is not None and g.nodes[key]["kind"] == "credential":
            data = g.nodes[key]
            data["declared"] = True
            if _TYPE_RANK[ctype] < _TYPE_RANK[data["type"]]:
                data["type"] = ctype


def _add_destinations(kg: KnowledgeGraph, g: nx.DiGraph) -> None:
    found: dict[str, list[str]] = defaultdict(list)
    for a, b in _rows(kg, "?a pw:destination ?b", ("a", "b")):
        ka, kb = cell_key(a), cell_key(b)
        _node(g, ka, "pathway")
        _node(g, kb, "occupation" if kb not in g else g.nodes[kb]["kind"])
        g.add_edge(ka, kb, kind="destination", logic="info")
        found[ka].append(kb)
    for key, dests in found.items():
        g.nodes[key]["destinations"] = tuple(sorted(dests))


def _add_credential_attributes(kg: KnowledgeGraph, g: nx.DiGraph) -> None:
    nodes = g.nodes

    def credential(key: str) -> dict[str, Any] | None:
        if key in g and nodes[key]["kind"] in ("credential", "entry-route"):
            return nodes[key]  # type: ignore[no-any-return]
        return None

    # The one reader of each fact, with its multi-value rule (pathways.catalogue.facts).
    for key, hours in notional_hours(kg).items():
        data = credential(key)
        if data is not None:
            data["hours"] = float(hours)
    per_unit = hours_per_unit(kg)
    g.graph["hours_per_unit"] = {u: float(h) for u, h in per_unit.items()}
    for key, amount in credits(kg, per_unit).items():
        data = credential(key)
        if data is not None and data["kind"] == "credential":
            data["credits"] = float(amount)
    for key, fee in fees(kg).items():
        data = credential(key)
        if data is not None and data["kind"] == "credential":
            data["cost"] = float(fee.amount)
            data["currency"] = fee.currency
    for key, level in eqf_levels(kg).items():
        data = credential(key)
        if data is not None and data["kind"] == "credential":
            data["eqf"] = level
    for prop, attr in (("country", "countries"), ("language", "languages")):
        _set_tuple(kg, g, f"?c pw:{prop} ?v", attr)
    _set_tuple(kg, g, "?c pw:provider ?v", "providers")
    for c, v in _rows(kg, "?c pw:validityPeriod ?v", ("c", "v")):
        data = credential(cell_key(c))
        if data is not None and data["kind"] == "credential":
            data["validity"] = cell_value(v)


def _normalised_credits(amount: float, hours_per_unit: float | None) -> float:
    """Credits in ECTS-equivalent units (an unknown unit is taken as ECTS)."""
    if hours_per_unit is None:
        return amount
    return amount * hours_per_unit / _ECTS_HOURS


def _set_tuple(kg: KnowledgeGraph, g: nx.DiGraph, where: str, attr: str) -> None:
    found: dict[str, set[str]] = defaultdict(set)
    for c, v in _rows(kg, where, ("c", "v")):
        key = cell_key(c)
        if key in g and g.nodes[key]["kind"] == "credential":
            found[key].add(cell_value(v))
    for key, values in found.items():
        g.nodes[key][attr] = tuple(sorted(values))


def _add_condition_attributes(kg: KnowledgeGraph, g: nx.DiGraph) -> None:
    required: dict[str, int] = {}
    for c, n in _rows(kg, "?c pw:requiredNumber ?n", ("c", "n")):
        value = _number(n)
        if value is not None:
            required[cell_key(c)] = int(value)
    units: dict[str, float | None] = g.graph.get("hours_per_unit", {})
    where = """?c a pw:ComponentCondition .
        OPTIONAL { ?c pw:minimumHours ?h } OPTIONAL { ?c pw:minimumCredits ?m }
        OPTIONAL { ?c pw:creditUnit ?u } OPTIONAL { ?c pw:maximumNumber ?xn }
        OPTIONAL { ?c pw:maximumHours ?xh } OPTIONAL { ?c pw:maximumCredits ?xm }"""
    names = ("c", "h", "m", "u", "xn", "xh", "xm")
    extras = {cell_key(row[0]): row[1:] for row in _rows(kg, where, names)}
    for key, data in g.nodes(data=True):
        if data["kind"] != "condition":
            continue
        children = sum(
            1 for _, _, k in g.out_edges(key, data="kind") if k in ("target", "subcondition")
        )
        data["all"] = key not in required
        data["required"] = required.get(key, children)
        h, m, u, xn, xh, xm = extras.get(key, (None,) * 6)
        data["min_hours"] = _number(h)
        data["max_hours"] = _number(xh)
        most = _number(xn)
        data["max_required"] = int(most) if most is not None else None
        unit = cell_key(u) if u is not None else None
        per_unit = units.get(unit) if unit is not None else None
        for attr, cell in (("min_credits", m), ("max_credits", xm)):
            amount = _number(cell)
            if amount is not None:
                data["credit_unit"] = unit
                data[attr] = _normalised_credits(amount, per_unit)


def _add_labels(g: nx.DiGraph, labels: dict[str, str]) -> None:
    for key, data in g.nodes(data=True):
        text = labels.get(key)
        if text is not None:
            data["label"] = text


def _funding_schemes(kg: KnowledgeGraph, labels: dict[str, str]) -> dict[str, dict[str, Any]]:
    schemes: dict[str, dict[str, Any]] = {}
    where = """?s a pw:FundingScheme .
        OPTIONAL { ?s pw:validationProfile ?profile } OPTIONAL { ?s pw:minHours ?minh }
        OPTIONAL { ?s pw:maxHours ?maxh } OPTIONAL { ?s pw:minEqfLevel ?mine }
        OPTIONAL { ?s pw:maxEqfLevel ?maxe } OPTIONAL { ?s pw:country ?country }"""
    names = ("s", "profile", "minh", "maxh", "mine", "maxe", "country")
    for s, profile, minh, maxh, mine, maxe, country in _rows(kg, where, names):
        entry = schemes.setdefault(
            cell_key(s),
            {
                "label": labels.get(cell_key(s), cell_key(s)),
                "profile": None,
                "min_hours": None,
                "max_hours": None,
                "min_eqf": None,
                "max_eqf": None,
                "countries": (),
            },
        )
        if profile is not None:
            entry["profile"] = cell_value(profile)
        for name, term in (
            ("min_hours", minh),
            ("max_hours", maxh),
            ("min_eqf", mine),
            ("max_eqf", maxe),
        ):
            if term is not None:
                entry[name] = _number(term)
        if country is not None and cell_value(country) not in entry["countries"]:
            entry["countries"] = tuple(sorted((*entry["countries"], cell_value(country))))
    return dict(sorted(schemes.items()))


def credentials(g: nx.DiGraph) -> list[str]:
    """The credential nodes of a projected graph, sorted.

    >>> g = nx.DiGraph()
    >>> g.add_node("urn:b", kind="credential"); g.add_node("urn:c", kind="condition")
    >>> credentials(g)
    ['urn:b']
    """
    return sorted(n for n, k in g.nodes(data="kind") if k == "credential")


_REQUISITE_RANK = {"prerequisite": 0, "corequisite": 1, "entry": 2, "component": 3}


def _condition_targets(g: nx.DiGraph, condition: str, seen: set[str]) -> Iterator[str]:
    if condition in seen:
        return
    seen.add(condition)
    for _, child, kind in g.out_edges(condition, data="kind"):
        if kind == "target":
            yield child
        elif kind == "subcondition":
            yield from _condition_targets(g, child, seen)


def requisite_graph(g: nx.DiGraph) -> nx.DiGraph:
    """The plain requisite graph over credentials, for curricular analytics.

    Nodes are credential IRIs with ``label``, ``kind`` ("micro" | "qualification" |
    "other"), ``hours`` and ``eqf``. An edge u -> v means u is required before v,
    with ``kind``: "prerequisite" or "corequisite" (u is one of v, or a target of a
    prerequisite condition of v), "entry" (an entry route of v requires u), "component"
    (u is a target of a condition of v, nested conditions included). When several
    apply, the first in that order is kept. The graph is a DAG on sound data; defective
    data may make cycles.

    Parameters
    ----------
    g : networkx.DiGraph
        A graph made by :func:`project`.

    Returns
    -------
    networkx.DiGraph

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> for n in ("urn:a", "urn:q"):
    ...     g.add_node(n, kind="credential", type="micro", label=n, hours=None, eqf=None)
    >>> g.add_node("_:c", kind="condition")
    >>> g.add_edge("urn:q", "_:c", kind="condition"); g.add_edge("_:c", "urn:a", kind="target")
    >>> list(requisite_graph(g).edges(data="kind"))
    [('urn:a', 'urn:q', 'component')]
    """
    r = nx.DiGraph()
    for node in credentials(g):
        data = g.nodes[node]
        r.add_node(
            node,
            label=data.get("label", node),
            kind=data.get("type", "other"),
            hours=data.get("hours"),
            eqf=data.get("eqf"),
        )

    def link(u: str, v: str, kind: str) -> None:
        if u == v and kind == "component":
            return
        old = r.edges[u, v]["kind"] if r.has_edge(u, v) else None
        if old is None or _REQUISITE_RANK[kind] < _REQUISITE_RANK[old]:
            r.add_edge(u, v, kind=kind)

    for v in r:
        for _, child, kind in g.out_edges(v, data="kind"):
            if kind in ("prerequisite", "corequisite"):
                link(child, v, kind)
            elif kind == "entry":
                for _, u, k in g.out_edges(child, data="kind"):
                    if k == "requires":
                        link(u, v, "entry")
            elif kind == "condition":
                for u in _condition_targets(g, child, set()):
                    link(u, v, "component")
            elif kind == "prerequisite-condition":
                for u in _condition_targets(g, child, set()):
                    link(u, v, "prerequisite")
    return r
