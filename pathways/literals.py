"""Literals as written: the ones Oxigraph would change on storage, kept losslessly.

Oxigraph stores some literals in a canonical form (pyoxigraph 0.5.13; upstream
oxigraph/oxigraph#526 asks for an option to turn this off, and none exists yet):

- a derived integer type becomes ``xsd:integer`` (``"1"^^xsd:positiveInteger``,
  ``"1"^^xsd:int``), even an ill-typed one (``"300"^^xsd:byte``);
- a lexical form becomes canonical (``"4.0"^^xsd:decimal`` -> ``"4"``, ``"01"`` ->
  ``"1"``, ``"1"^^xsd:boolean`` -> ``"true"``, ``"PT60M"`` -> ``"PT1H"``).

(Language tags are another matter: pyoxigraph's parser already writes them in lower
case, ``@en-GB`` as ``@en-gb``, before any store sees them; RDF compares them without
case, and so does rdflib.)

Two different literals of one subject and predicate can even become one stored
triple. The store keeps its canonical triples (so SPARQL compares and sums numbers
as before), and :meth:`pathways.store.KnowledgeGraph.load` records each such literal
as written in a named graph, :data:`AS_WRITTEN`, encoded with a datatype that
Oxigraph keeps verbatim (:func:`encode`). :class:`AsWritten` reads that record back;
the store's readers (its quads, rdflib view, CONSTRUCT results, exports and the
validation engine) give the literals as written.

>>> forms = StoredForms()
>>> decimal = ox.Literal("4.0", datatype=ox.NamedNode(XSD + "decimal"))
>>> forms.stored(decimal)
<Literal value=4 datatype=<http://www.w3.org/2001/XMLSchema#decimal>>
>>> forms.stored(ox.Literal("4", datatype=ox.NamedNode(XSD + "decimal"))) is None
True
>>> decode(encode(decimal)) == decimal
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

__all__ = [
    "AS_WRITTEN",
    "XSD",
    "AsWritten",
    "Key",
    "Recorder",
    "StoredForms",
    "decode",
    "encode",
    "may_change",
]

XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING = XSD + "string"
#: The named graph that records literals as written (never part of the data).
AS_WRITTEN = ox.NamedNode("https://w3id.org/pathways/vocab#literalsAsWritten")
_TYPED = "urn:pathways:as-written:"  # + the datatype IRI of the literal as written
_TAGGED = "urn:pathways:as-written-lang:"  # + the language tag as written

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Subject = ox.NamedNode | ox.BlankNode | ox.Triple
Key = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.Literal]
"""A stored triple whose object is a canonical literal: (subject, predicate, object)."""

_S = ox.NamedNode("urn:pathways:scratch")


def may_change(literal: ox.Literal) -> bool:
    """True unless the literal is certainly stored as written (a string, or a
    language-tagged string): the cheap filter before :class:`StoredForms`."""
    return not literal.language and literal.datatype.value != _STRING


def encode(literal: ox.Literal) -> ox.Literal:
    """The literal with its datatype or language folded into a datatype IRI that
    Oxigraph does not know, so it is stored as written."""
    if literal.language:
        return ox.Literal(literal.value, datatype=ox.NamedNode(_TAGGED + literal.language))
    return ox.Literal(literal.value, datatype=ox.NamedNode(_TYPED + literal.datatype.value))


def decode(literal: ox.Literal) -> ox.Literal:
    """The inverse of :func:`encode`."""
    datatype = literal.datatype.value
    if datatype.startswith(_TAGGED):
        return ox.Literal(literal.value, language=datatype[len(_TAGGED) :])
    if not datatype.startswith(_TYPED):
        raise ValueError(f"not a literal as written: {literal}")
    return ox.Literal(literal.value, datatype=ox.NamedNode(datatype[len(_TYPED) :]))


@dataclass
class StoredForms:
    """What Oxigraph stores for a literal, found by storing it (in a scratch store)
    and reading it back, memoised: Oxigraph's rules are its own, so they are asked,
    not copied."""

    _memo: dict[ox.Literal, ox.Literal | None] = field(default_factory=dict)
    _scratch: ox.Store = field(default_factory=ox.Store)

    def stored(self, literal: ox.Literal) -> ox.Literal | None:
        """The stored form when it differs from ``literal``, else None."""
        try:
            return self._memo[literal]
        except KeyError:
            pass
        if not may_change(literal):
            found = None
        else:
            quad = ox.Quad(_S, _S, literal)
            self._scratch.add(quad)
            stored = next(iter(self._scratch)).object
            self._scratch.clear()
            found = None if stored == literal else stored
        self._memo[literal] = found
        return found


@dataclass
class AsWritten:
    """The record of literals as written: for each stored triple with a canonical
    literal, the literals written for it (usually one; several when different
    literals became one triple, the canonical one included if it was written too)."""

    originals: dict[Key, tuple[ox.Literal, ...]]

    @classmethod
    def read(cls, store: ox.Store, forms: StoredForms | None = None) -> AsWritten:
        """The record as :data:`AS_WRITTEN` in ``store`` holds it."""
        forms = forms or StoredForms()
        found: dict[Key, set[ox.Literal]] = {}
        for quad in store.quads_for_pattern(None, None, None, AS_WRITTEN):
            subject, predicate, obj = quad.subject, quad.predicate, quad.object
            if not isinstance(obj, ox.Literal) or not isinstance(
                subject, ox.NamedNode | ox.BlankNode
            ):
                continue
            written = decode(obj)
            stored = forms.stored(written) or written
            found.setdefault((subject, predicate, stored), set()).add(written)
        return cls({key: tuple(sorted(lits, key=str)) for key, lits in found.items()})

    def __bool__(self) -> bool:
        return bool(self.originals)

    def __len__(self) -> int:
        return len(self.originals)

    @property
    def predicates(self) -> frozenset[str]:
        """The IRIs of the predicates with a literal that Oxigraph changed."""
        return frozenset(key[1].value for key in self.originals)

    @property
    def lexical_only(self) -> frozenset[str]:
        """The predicates whose changed literals only changed lexical form: one literal
        per stored triple, same datatype, same value (``"4.0"`` stored as ``"4"``).
        A check that reads values, not lexical forms, gives the same verdict on them."""
        other = {
            key[1].value
            for key, lits in self.originals.items()
            if len(lits) != 1 or lits[0].datatype != key[2].datatype
        }
        return self.predicates - other

    @property
    def extra(self) -> int:
        """How many more triples were written than are stored (literals merged)."""
        return sum(len(lits) - 1 for lits in self.originals.values())

    def objects(self, subject: Subject, predicate: ox.NamedNode, obj: Term) -> tuple[Term, ...]:
        """The objects as written for one stored triple (the object itself when it
        was stored as written)."""
        if type(obj) is ox.Literal and type(subject) is not ox.Triple:
            found = self.originals.get((subject, predicate, obj))
            if found is not None:
                return found
        return (obj,)

    def quads(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        """Stored quads (default graph) as written."""
        originals = self.originals
        for quad in quads:
            obj = quad.object
            if type(obj) is ox.Literal:
                found = originals.get((quad.subject, quad.predicate, obj))  # type: ignore[arg-type]
                if found is not None:
                    for written in found:
                        yield ox.Quad(quad.subject, quad.predicate, written, quad.graph_name)
                    continue
            yield quad


@dataclass
class Recorder:
    """Finds, while a load streams its quads into the store, the literals that the
    store will change, and the record quads that keep them as written."""

    store: ox.Store
    known: AsWritten
    forms: StoredForms = field(default_factory=StoredForms)
    #: Keys recorded by this load, and canonical literals written as such.
    keys: set[Key] = field(default_factory=set)
    plain: set[Key] = field(default_factory=set)
    records: set[ox.Quad] = field(default_factory=set)

    def changes(self, quads: Iterable[ox.Quad]) -> bool:
        """True when any quad has a literal the store would change (no recording);
        reads every quad."""
        stored = self.forms.stored
        found = False
        for quad in quads:
            obj = quad.object
            if not found and type(obj) is ox.Literal and stored(obj) is not None:
                found = True
        return found

    def watch(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        """Pass quads through, recording every literal the store will change."""
        stored = self.forms.stored
        known = self.known.originals
        for quad in quads:
            obj = quad.object
            if type(obj) is ox.Literal and may_change(obj):
                canonical = stored(obj)
                subject, predicate = quad.subject, quad.predicate
                if canonical is None:  # stored as written: recorded only beside a merge
                    key = (subject, predicate, obj)
                    if key in self.keys or key in known:
                        self.records.add(ox.Quad(subject, predicate, encode(obj), AS_WRITTEN))
                    else:
                        self.plain.add(key)  # type: ignore[arg-type]
                else:
                    key = (subject, predicate, canonical)
                    self.records.add(ox.Quad(subject, predicate, encode(obj), AS_WRITTEN))
                    if key not in self.keys and key not in known:
                        self.keys.add(key)  # type: ignore[arg-type]
                        if key in self.plain or ox.Quad(*key) in self.store:
                            self.records.add(
                                ox.Quad(subject, predicate, encode(canonical), AS_WRITTEN)
                            )
            yield quad
