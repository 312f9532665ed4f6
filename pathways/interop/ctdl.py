"""Import CTDL (Credential Engine) pathways and credentials into the pathways ontology.

Reads Turtle and JSON-LD (the published context URLs are replaced by the copy shipped
with pathways; see :mod:`pathways.interop.documents`). The mapping follows
``ontology/alignments.ttl``; original IRIs are kept.

============================================  =============================================
CTDL                                          pathways
============================================  =============================================
``MicroCredential``                           ``pw:MicroCredential``
degrees, diplomas, certificates,              ``pw:Qualification``
``Certification``
badges, ``License``, other credentials        ``pw:OtherCredential``
``Course``, ``LearningProgram``, ...          ``pw:OtherCredential`` (a unit that stacks)
``CredentialComponent``, ``CourseComponent``  the credential it is ``proxyFor`` (or
                                              ``sourceData``), else the component itself
``BasicComponent`` (stages, career paths)     ``pw:OtherCredential`` (a milestone earned by
                                              its conditions)
``JobComponent``                              ``pw:Occupation``
``ComponentCondition``                        ``pw:ComponentCondition``: ``targetComponent``
                                              -> ``pw:targetComponent``, nested
                                              ``hasCondition`` -> ``pw:hasSubCondition``,
                                              ``requiredNumber`` (absent = all)
``Constraint`` Sum(value) >= n, unit u        ``pw:minimumCredits`` n, ``pw:creditUnit`` u
``Pathway``                                   ``pw:ProgressionPathway``, destination
                                              ``pw:destination``, components
                                              ``pw:pathwayComponent``
``precedes`` / ``precededBy``                 ``pw:precedes``
``prerequisite``                              ``pw:prerequisite``
``creditValue`` (``ValueProfile``)            ``pw:credit`` [``pw:creditAmount``,
                                              ``pw:creditUnit``]
``occupationType``                            ``pw:targetOccupation``
``asn:ProgressionModel`` / ``ProgressionLevel``  ``skos:ConceptScheme`` / ``skos:Concept``
                                              (``asn:hasProgressionLevel`` kept)
============================================  =============================================

Defects become findings, never exceptions: an unparseable file (error; the other files
still import), an IRI used for two components, a condition that points at nothing,
constraints on learner records (grades, resits) that the ontology does not represent.

"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from pathways.interop.ctdl_classes import (
    ASN,
    CEASN,
    COMPONENTS,
    CREDIT_UNITS,
    LEARNING,
    MICRO,
    QUALIFICATION,
    SCHEMA,
    credential_class,
    ctdl_types,
    has_own_work,
    plain_text,
)
from pathways.interop.ctdl_constraints import constraint_bounds
from pathways.interop.ctdl_progression import check_references, progression_models
from pathways.interop.ctdl_structure import reachable, structure_findings
from pathways.interop.documents import input_paths, parse_document
from pathways.interop.results import ImportBuilder, ImportResult, Severity
from pathways.vocab import CTDL, PW

__all__ = ["STANDARD", "import_ctdl"]

#: The standard recorded in provenance.
STANDARD = "https://purl.org/ctdl/terms/"


def _whole(text: str) -> Literal:
    return Literal(int(text), datatype=XSD.nonNegativeInteger)


@dataclass
class _Mapper:
    """Maps the parsed CTDL files (merged in ``src``) into the builder's graph.

    ``origin`` says which file (and provenance record) first described each node.
    """

    src: Graph
    origin: dict[Node, tuple[Path, URIRef]]
    out: ImportBuilder
    resolved: dict[Node, Node | None] = field(default_factory=dict)
    mapped: set[Node] = field(default_factory=set)
    ambiguous: set[Node] = field(default_factory=set)

    # -- components and credentials ---------------------------------------------------

    def file_of(self, node: object) -> str:
        if node in self.origin:
            return self.origin[node][0].name
        referrer = next(iter(self.src.subjects(None, node)), None)  # type: ignore[arg-type]
        if referrer is not None and referrer in self.origin:
            return self.origin[referrer][0].name
        files = sorted({path.name for path, _ in self.origin.values()})
        return files[0] if len(files) == 1 else ", ".join(files)

    def source_of(self, node: Node) -> URIRef:
        if node in self.origin:
            return self.origin[node][1]
        return min((src for _, src in self.origin.values()), key=str)

    def find(self, node: object, message: str, severity: Severity = "warning") -> None:
        self.out.find(self.file_of(node), node, message, severity)

    def is_described(self, node: Node) -> bool:
        return (node, None, None) in self.src

    def check_ambiguous(self) -> None:
        """An IRI whose description mixes two components or two credentials."""
        for node in set(self.src.subjects(RDF.type, None)):
            names = [n for n in self.src.objects(node, CTDL.name) if isinstance(n, Literal)]
            by_lang: dict[str | None, list[str]] = {}
            for name in names:
                by_lang.setdefault(name.language, []).append(str(name))
            proxies = set(self.src.objects(node, CTDL.proxyFor))
            twice = [v for v in by_lang.values() if len(v) > 1]
            if twice or len(proxies) > 1:
                self.ambiguous.add(node)
                labels = " / ".join(sorted(twice[0])) if twice else ""
                self.find(
                    node,
                    f"one IRI is used for two components ({labels}); their conditions and "
                    "order cannot be told apart, so only the credentials they stand for "
                    "were imported",
                )
            types = ctdl_types(self.src, node)
            if types & (MICRO | QUALIFICATION) and types & LEARNING:
                self.find(
                    node,
                    f"one IRI is used for a credential and a learning programme "
                    f"({', '.join(sorted(types))}); imported as the credential",
                )

    def resolve(self, node: Node) -> Node | None:
        """The pathways resource a CTDL node stands for (credential, occupation), mapped."""
        if node in self.resolved:
            return self.resolved[node]
        self.resolved[node] = None  # guard against proxy cycles
        types = ctdl_types(self.src, node)
        target: Node | None = None
        if types & COMPONENTS and node not in self.ambiguous:
            proxy = next(iter(self.src.objects(node, CTDL.proxyFor)), None) or next(
                iter(self.src.objects(node, CTDL.sourceData)), None
            )
            if "JobComponent" in types:
                target = proxy or node
                self._occupation(target, node)
            elif proxy is not None:
                target = proxy
                self._credential(proxy, fallback=node, component_types=types)
            else:
                target = node
                self._credential(node, fallback=None, component_types=types)
        elif node in self.ambiguous:
            for proxy in self.src.objects(node, CTDL.proxyFor):
                self._credential(proxy, fallback=None, component_types=types)
        elif credential_class(types) is not None:
            target = node
            self._credential(node, fallback=None, component_types=set())
        self.resolved[node] = target
        return target

    def _credential(self, node: Node, fallback: Node | None, component_types: set[str]) -> None:
        if node in self.mapped:
            return
        self.mapped.add(node)
        cls = credential_class(ctdl_types(self.src, node)) or credential_class(component_types)
        self.out.add(node, RDF.type, cls or PW.OtherCredential)
        self.out.derived(node, self.source_of(node))
        for origin in (node, fallback) if fallback is not None else (node,):
            self._describe(node, origin)

    def _describe(self, node: Node, origin: Node) -> None:
        src, out = self.src, self.out
        has_title = (node, PW.title, None) in out.graph
        for name in src.objects(origin, CTDL.name):
            if not has_title:
                out.add(node, PW.title, plain_text(name))
        for text in src.objects(origin, CTDL.description):
            if origin == node:
                out.add(node, PW.description, plain_text(text))
        for code in (*src.objects(origin, CTDL.ctid), *src.objects(origin, CTDL.codedNotation)):
            out.add(node, PW.identifier, Literal(str(code)))
        for page in src.objects(origin, CTDL.subjectWebpage):
            out.add(node, PW.homepage, Literal(str(page), datatype=XSD.anyURI))
        for org in src.objects(origin, CTDL.ownedBy):
            out.add(node, PW.awardingBody, org)
            out.add(org, RDF.type, PW.Organisation)
        for org in src.objects(origin, CTDL.offeredBy):
            out.add(node, PW.provider, org)
            out.add(org, RDF.type, PW.Organisation)
        for value in src.objects(origin, CTDL.creditValue):
            self._credit(node, value)
        for level in src.objects(origin, ASN.hasProgressionLevel):
            out.add(node, ASN.hasProgressionLevel, level)
        for occupation in src.objects(origin, CTDL.occupationType):
            self._occupation_alignment(node, occupation)
        for prerequisite in src.objects(origin, CTDL.prerequisite):
            for target in self._condition_profile_targets(prerequisite):
                mapped = self.resolve(target) if self.is_described(target) else target
                if mapped is not None:
                    out.add(node, PW.prerequisite, mapped)

    def _condition_profile_targets(self, node: Node) -> list[Node]:
        if isinstance(node, URIRef) and (node, RDF.type, CTDL.ConditionProfile) not in self.src:
            return [node]
        found: list[Node] = []
        for prop in ("targetCredential", "targetLearningOpportunity", "targetAssessment"):
            found.extend(self.src.objects(node, CTDL[prop]))
        return found

    def _credit(self, node: Node, value: Node) -> None:
        amount = next(iter(self.src.objects(value, CTDL.value)), None)
        amount = amount or next(iter(self.src.objects(value, SCHEMA.value)), None)
        if amount is None:
            self.find(value, "credit value without an amount; not imported")
            return
        credit = BNode()
        self.out.add(node, PW.credit, credit)
        self.out.add(credit, RDF.type, PW.CreditValue)
        self.out.add(credit, PW.creditAmount, Literal(str(amount), datatype=XSD.decimal))
        unit = next(iter(self.src.objects(value, CTDL.creditUnitType)), None)
        if unit is not None:
            self.out.add(credit, PW.creditUnit, self._unit(unit))

    def _unit(self, unit: Node) -> Node:
        mapped = CREDIT_UNITS.get(str(unit))
        if mapped is not None:
            return mapped
        self.find(
            unit,
            "credit unit is not in pw:CreditUnitScheme; kept as is (notional hours cannot be "
            "computed from it)",
            "info",
        )
        return unit

    def _occupation(self, node: Node, origin: Node) -> None:
        self.out.add(node, RDF.type, PW.Occupation)
        self.out.derived(node, self.source_of(node))
        for name in self.src.objects(origin, CTDL.name):
            self.out.add(node, PW.title, plain_text(name))

    def _occupation_alignment(self, node: Node, occupation: Node) -> None:
        target = occupation
        if isinstance(occupation, BNode):
            target = next(iter(self.src.objects(occupation, CTDL.targetNode)), None)  # type: ignore[assignment]
        if isinstance(target, URIRef):
            self.out.add(node, PW.targetOccupation, target)
            self.out.add(target, RDF.type, PW.Occupation)
        else:
            self.find(node, "occupation alignment without an IRI (targetNode); not imported")

    # -- conditions ----------------------------------------------------------------------

    def conditions(self) -> None:
        owners = sorted(
            {s for s, _, _ in self.src.triples((None, CTDL.hasCondition, None))}, key=str
        )
        for owner in owners:
            if owner in self.ambiguous:
                continue
            if (owner, RDF.type, CTDL.ComponentCondition) in self.src:
                continue  # nested: handled with its parent
            mapped = self.resolve(owner)
            if mapped is None:
                continue
            work = self.is_work(owner)
            if work and (mapped, RDF.type, PW.Occupation) in self.out.graph:
                work = False  # an occupation is a destination, never taken
            link = PW.prerequisiteCondition if work else PW.hasCondition
            made_any = 0
            for condition in sorted(self.src.objects(owner, CTDL.hasCondition), key=str):
                if not self.is_described(condition):
                    self.find(
                        owner,
                        f"condition {condition} points at nothing (not described): describe "
                        "it as a ceterms:ComponentCondition or remove the reference",
                    )
                    continue
                made = self.condition(condition)
                if made is not None:
                    self.out.add(mapped, link, made)
                    made_any += 1
            if made_any:
                self.find(owner, self.reading_note(owner, work, made_any), "info")
        self._children_as_conditions()

    def is_work(self, owner: Node) -> bool:
        """Whether completing ``owner`` means doing its own work (see
        :func:`~pathways.interop.ctdl_classes.has_own_work`); a credential described
        directly (not through a component) is work when it is a certification or
        licence, awarded for demonstrating the competence itself."""
        types = ctdl_types(self.src, owner)
        proxies = [
            *self.src.objects(owner, CTDL.proxyFor),
            *self.src.objects(owner, CTDL.sourceData),
        ]
        has_credit = any((n, CTDL.creditValue, None) in self.src for n in (owner, *proxies))
        if not types & COMPONENTS and types & {"Certification", "License"}:
            return True
        return has_own_work(types, has_credit)

    def reading_note(self, owner: Node, work: bool, count: int) -> str:
        types = ", ".join(sorted(ctdl_types(self.src, owner))) or "resource"
        if work:
            return (
                f"read as work of its own ({types}): it is taken, and its {count} "
                "condition(s) must be met first, as prerequisites (CTDL: a ComponentCondition "
                "is what must be done to complete a PathwayComponent, or part thereof)"
            )
        return (
            f"read as earned by its {count} condition(s) alone ({types}: no work of its own), "
            "so it is awarded by stacking and never taken"
        )

    def _children_as_conditions(self) -> None:
        for parent in sorted(
            {s for s, _, _ in self.src.triples((None, CEASN.hasChild, None))}, key=str
        ):
            if parent in self.ambiguous or (parent, CTDL.hasCondition, None) in self.src:
                continue
            mapped = self.resolve(parent)
            if mapped is None:
                continue
            children = [self.resolve(c) for c in self.src.objects(parent, CEASN.hasChild)]
            targets = sorted({c for c in children if c is not None}, key=str)
            if not targets:
                continue
            condition = BNode()
            self.out.add(mapped, PW.hasCondition, condition)
            self.out.add(condition, RDF.type, PW.ComponentCondition)
            for target in targets:
                self.out.add(condition, PW.targetComponent, target)
            self.find(
                parent,
                "no condition stated: its children (ceasn:hasChild) are taken as all required",
                "info",
            )

    def condition(self, node: Node) -> Node | None:
        src = self.src
        if not self.is_described(node):
            self.find(node, "condition points at nothing (not described in the file)")
            return None
        targets: list[Node] = []
        # Duplicate targets in the file collapse into one triple when parsed (RDF is a set).
        for target in sorted(set(src.objects(node, CTDL.targetComponent)), key=str):
            if not self.is_described(target):
                self.find(
                    node,
                    f"target {target} points at nothing (not in the imported files): "
                    "describe that component or remove it from ceterms:targetComponent",
                )
                continue
            mapped = self.resolve(target)
            if mapped is None:
                self.find(node, f"target {target} is not a credential or course; left out")
                continue
            if (mapped, RDF.type, PW.Occupation) in self.out.graph:
                self.find(node, f"target {target} is an occupation, not a credential; left out")
                continue
            targets.append(mapped)
        subs = [
            self.condition(c) if self.is_described(c) else None
            for c in sorted(src.objects(node, CTDL.hasCondition), key=str)
        ]
        children = [s for s in subs if s is not None]
        bounds = constraint_bounds(self.src, self.find, node)
        credits, most, unit = bounds.low, bounds.high, bounds.unit
        if not targets and not children:
            rule = " and ".join(
                t for t in (credits and f"at least {credits}", most and f"at most {most}") if t
            )
            self.find(
                node,
                "condition has no target components or nested conditions"
                + (f": its credit rule ({rule} credits) applies" if rule else ": its rules apply")
                + " to the learner's whole record and cannot be checked against "
                "components; not imported (list the components it counts as "
                "ceterms:targetComponent)",
            )
            return None
        out = self.out
        out.add(node, RDF.type, PW.ComponentCondition)
        out.derived(node, self.source_of(node))
        for text in src.objects(node, CTDL.description):
            out.add(node, PW.description, plain_text(text))
        for target in sorted(set(targets), key=str):
            out.add(node, PW.targetComponent, target)
        for child in children:
            out.add(node, PW.hasSubCondition, child)
        units = len(set(targets)) + len(children)
        number = next(iter(src.objects(node, CTDL.requiredNumber)), None)
        if number is not None:
            try:
                value = int(str(number))
            except ValueError:
                self.find(node, f"requiredNumber {number!s} is not a whole number; read as all")
            else:
                if value > units:
                    self.find(
                        node,
                        f"requires {value} of {units} distinct components: cannot be met "
                        "(lower ceterms:requiredNumber or add the missing targetComponent)",
                    )
                out.add(node, PW.requiredNumber, Literal(value, datatype=XSD.nonNegativeInteger))
        if number is None and bounds.count_low is not None:
            out.add(node, PW.requiredNumber, _whole(bounds.count_low))
        if bounds.count_high is not None:
            out.add(node, PW.maximumNumber, _whole(bounds.count_high))
        if credits is not None:
            out.add(node, PW.minimumCredits, Literal(credits, datatype=XSD.decimal))
        if most is not None:
            out.add(node, PW.maximumCredits, Literal(most, datatype=XSD.decimal))
        if credits is not None and most is not None and float(most) < float(credits):
            self.find(
                node,
                f"credit rule at least {credits} and at most {most} cannot be met: correct "
                "one of the constraints",
            )
        if (credits is not None or most is not None) and unit is not None:
            out.add(node, PW.creditUnit, self._unit(unit))
        return node

    # -- pathways and progression models ----------------------------------------------------

    def pathways(self) -> None:
        for pathway in sorted(set(self.src.subjects(RDF.type, CTDL.Pathway)), key=str):
            out = self.out
            out.add(pathway, RDF.type, PW.ProgressionPathway)
            out.derived(pathway, self.source_of(pathway))
            for name in self.src.objects(pathway, CTDL.name):
                out.add(pathway, PW.title, plain_text(name))
            for text in self.src.objects(pathway, CTDL.description):
                out.add(pathway, PW.description, plain_text(text))
            for code in self.src.objects(pathway, CTDL.ctid):
                out.add(pathway, PW.identifier, Literal(str(code)))
            for page in self.src.objects(pathway, CTDL.subjectWebpage):
                out.add(pathway, PW.homepage, Literal(str(page), datatype=XSD.anyURI))
            destinations = list(self.src.objects(pathway, CTDL.hasDestinationComponent))
            if len(destinations) != 1:
                self.find(
                    pathway,
                    f"a pathway has exactly one destination; found {len(destinations)} "
                    "(state one ceterms:hasDestinationComponent"
                    + (", or split it into one pathway per destination)" if destinations else ")"),
                )
            for destination in destinations[:1]:
                if not self.is_described(destination):
                    self.find(pathway, f"destination {destination} points at nothing")
                    continue
                mapped = self.resolve(destination)
                if mapped is None:
                    continue
                out.add(pathway, PW.destination, mapped)
                if (mapped, RDF.type, PW.Qualification) not in out.graph and (
                    mapped,
                    RDF.type,
                    PW.Occupation,
                ) not in out.graph:
                    self.find(
                        pathway,
                        "destination is neither a qualification nor an occupation "
                        "(pw:destination expects one)",
                    )
                for member in sorted(reachable(self.src, destination), key=str):
                    mapped_member = self.resolve(member)
                    if mapped_member is not None:
                        out.add(pathway, PW.pathwayComponent, mapped_member)
                if (mapped, RDF.type, PW.Occupation) not in out.graph:
                    # A CTDL pathway is completed by reaching its destination (not by every
                    # component it lists: options and exit awards are among them).
                    goal = URIRef(f"{pathway}#destination-condition")
                    out.add(pathway, PW.hasCondition, goal)
                    out.add(goal, RDF.type, PW.ComponentCondition)
                    out.add(goal, PW.targetComponent, mapped)
                    note = "reach the destination (ceterms:hasDestinationComponent)"
                    out.add(goal, PW.description, Literal(note, lang="en"))
                    out.add(goal, RDFS.label, Literal("reach the destination", lang="en"))
                    out.derived(goal, self.source_of(pathway))
            for model in self.src.objects(pathway, ASN.hasProgressionModel):
                out.add(pathway, ASN.hasProgressionModel, model)

    def precedence(self) -> None:
        pairs: set[tuple[Node, Node]] = set()
        for a, b in self.src.subject_objects(CTDL.precedes):
            pairs.add((a, b))
        for b, a in self.src.subject_objects(CTDL.precededBy):
            pairs.add((a, b))
        for a, b in sorted(pairs, key=str):
            if a in self.ambiguous or b in self.ambiguous:
                continue
            if (a, RDF.type, ASN.ProgressionLevel) in self.src:
                continue  # level order, handled with the progression model
            if not self.is_described(a) or not self.is_described(b):
                missing = b if self.is_described(a) else a
                self.find(missing, "precedes/precededBy points at nothing (not in the file)")
                continue
            first, then = self.resolve(a), self.resolve(b)
            if first is not None and then is not None and first != then:
                self.out.add(first, PW.precedes, then)


def import_ctdl(
    paths: Iterable[str | Path],
    *,
    contexts: Mapping[str, Path] | None = None,
) -> ImportResult:
    """Import CTDL files (Turtle, JSON-LD) into the pathways ontology.

    Parameters
    ----------
    paths
        CTDL files: ``.ttl`` / ``.nt`` / ``.rdf`` or ``.json`` / ``.jsonld``.
    contexts
        Extra ``{context URL: local file}`` pairs for JSON-LD contexts that pathways does
        not ship (any other remote context is refused, never fetched).

    Returns
    -------
    ImportResult
        The graph, findings (an unparseable file is an error finding and the other files
        still import) and the sources read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "p.ttl").write_text('''
    ... @prefix ceterms: <https://purl.org/ctdl/terms/> .
    ... <http://ex.org/q> a ceterms:Certificate ; ceterms:name "Q"@en ;
    ...     ceterms:hasCondition <http://ex.org/c> .
    ... <http://ex.org/c> a ceterms:ComponentCondition ; ceterms:requiredNumber 1 ;
    ...     ceterms:targetComponent <http://ex.org/a>, <http://ex.org/b> .
    ... <http://ex.org/a> a ceterms:Course ; ceterms:name "A"@en .
    ... <http://ex.org/b> a ceterms:MicroCredential ; ceterms:name "B"@en .
    ... ''')
    >>> result = import_ctdl([folder / "p.ttl"])
    >>> (URIRef("http://ex.org/b"), RDF.type, PW.MicroCredential) in result.graph
    True
    >>> result.graph.value(URIRef("http://ex.org/c"), PW.requiredNumber).toPython()
    1
    """
    out = ImportBuilder(STANDARD, "ctdl")
    merged = Graph()
    origin: dict[Node, tuple[Path, URIRef]] = {}
    files = input_paths(paths, (".ttl", ".json", ".jsonld", ".nt", ".rdf"), recursive=True)
    for path, (data, graph) in out.each_file(files, lambda p: parse_document(p, contexts)):
        source = out.source(path, data)
        for subject in graph.subjects():
            origin.setdefault(subject, (path, source))
        if not any(
            ctdl_types(graph, s) or str(t).startswith(str(ASN))
            for s, t in graph.subject_objects(RDF.type)
        ):
            out.find(path, None, "no CTDL resources found in the file", "warning")
        merged += graph
    if origin:
        mapper = _Mapper(merged, origin, out)
        mapper.check_ambiguous()
        for node in sorted(set(merged.subjects(RDF.type, None)), key=str):
            types = ctdl_types(merged, node)
            if credential_class(types) is not None or types & COMPONENTS:
                mapper.resolve(node)
        mapper.conditions()
        mapper.pathways()
        mapper.precedence()
        structure_findings(merged, mapper.ambiguous, mapper.find)
        progression_models(merged, out, mapper.source_of)
        check_references(out, mapper.file_of)
    return out.result()
