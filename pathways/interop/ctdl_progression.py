"""CTDL progression models (``asn:ProgressionModel``, ``asn:ProgressionLevel``): imported
as SKOS concept schemes and concepts, with a check that every model and level a
credential or pathway refers to is among the imported files.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from pathways.interop.ctdl_classes import ASN, local_name, plain_text
from pathways.interop.results import ImportBuilder
from pathways.vocab import CTDL, PW

__all__ = ["check_references", "progression_models"]


def progression_models(src: Graph, out: ImportBuilder, source_of: Callable[[Node], URIRef]) -> None:
    """Progression models and levels as SKOS concept schemes and concepts."""
    for model in sorted(set(src.subjects(RDF.type, ASN.ProgressionModel)), key=str):
        out.add(model, RDF.type, SKOS.ConceptScheme)
        out.derived(model, source_of(model))
        for title in (
            *src.objects(model, URIRef("http://purl.org/dc/terms/title")),
            *src.objects(model, URIRef("dcterms:title")),
            *src.objects(model, SKOS.prefLabel),
        ):
            # A language map ({"en-US": ...}) under a term the context does not declare
            # as one is a blank node with no text: it names nothing (its id is random).
            if isinstance(title, Literal):
                out.add(model, SKOS.prefLabel, plain_text(title))
    for level in sorted(set(src.subjects(RDF.type, ASN.ProgressionLevel)), key=str):
        out.add(level, RDF.type, SKOS.Concept)
        out.derived(level, source_of(level))
        for label in src.objects(level, SKOS.prefLabel):
            if isinstance(label, Literal):
                out.add(level, SKOS.prefLabel, plain_text(label))
        for scheme in src.objects(level, SKOS.inScheme):
            out.add(level, SKOS.inScheme, scheme)
        for later in src.objects(level, CTDL.precedes):
            out.add(level, CTDL.precedes, later)
        for occupation in src.objects(level, CTDL.occupationType):
            if isinstance(occupation, URIRef):
                out.add(level, PW.targetOccupation, occupation)


def check_references(out: ImportBuilder, file_of: Callable[[object], str]) -> None:
    """Progression models and levels referred to but not among the imported files."""
    graph = out.graph
    known = set(graph.subjects(RDF.type, SKOS.ConceptScheme)) | set(
        graph.subjects(RDF.type, SKOS.Concept)
    )
    for prop in (ASN.hasProgressionModel, ASN.hasProgressionLevel):
        for subject, ref in sorted(graph.subject_objects(prop), key=str):
            if ref in known:
                continue
            tail = str(ref).rsplit("/", 1)[-1]
            near = [
                k
                for k in known
                if str(k).rsplit("/", 1)[-1] in (tail.removeprefix("ce-"), f"ce-{tail}")
            ]
            hint = f" (did you mean {near[0]}? the identifiers differ by 'ce-')" if near else ""
            out.find(
                file_of(subject),
                subject,
                f"{local_name(prop)} {ref} points at nothing in the imported files{hint}",
            )
