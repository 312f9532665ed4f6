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
as before), and :meth:`pathways.rdf.store.KnowledgeGraph.load` records each such literal
as written in a named graph, :data:`AS_WRITTEN`, encoded with a datatype that
Oxigraph keeps verbatim (:func:`encode`). :class:`AsWritten` reads that record back;
the store's readers (its quads, rdflib view, CONSTRUCT results, exports and the
validation engine) give the literals as written.

>>> forms = StoredForms()
>>> decimal = ox.Literal("4.0", datatype=ox.NamedNode(XSD + "decimal"))
>>> forms.stored(decimal).value
'4'
>>> forms.stored(ox.Literal("4", datatype=ox.NamedNode(XSD + "decimal"))) is None
True
>>> decode(encode(decimal)) == decimal
True
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from pathways.vocab import LITERALS_AS_WRITTEN

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
_STRING_NODE = ox.NamedNode(_STRING)
#: The named graph that records literals as written (never part of the data).
AS_WRITTEN = ox.NamedNode(LITERALS_AS_WRITTEN)
_TYPED = "urn:pathways:as-written:"  # + the datatype IRI of the literal as written
_TAGGED = "urn:pathways:as-written-lang:"  # + the language tag as written

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Subject = ox.NamedNode | ox.BlankNode | ox.Triple
Key = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.Literal]
"""A stored triple whose object is a canonical literal: (subject, predicate, object)."""

_S = ox.NamedNode("urn:pathways:scratch")
_UNSEEN = ox.Literal("")  # a sentinel: never a key's stored form
#: The subject of a blank-node pattern record (see :class:`AsWritten`).
BLANK_NODES = ox.NamedNode("urn:pathways:as-written:blank-nodes")


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

    #: literal -> its stored form when that differs, else None (read it, do not write)
    memo: dict[ox.Literal, ox.Literal | None] = field(default_factory=dict)
    _scratch: ox.Store = field(default_factory=ox.Store)

    def stored(self, literal: ox.Literal) -> ox.Literal | None:
        """The stored form when it differs from ``literal``, else None."""
        found = self.memo.get(literal, _UNSEEN)
        if found is not _UNSEEN:
            return found
        if not may_change(literal):
            return None  # not memoised: strings are most literals, and all different
        self._scratch.add(ox.Quad(_S, _S, literal))
        stored = next(iter(self._scratch)).object
        self._scratch.clear()
        found = None if stored == literal else stored
        self.memo[literal] = found
        return found


@dataclass
class AsWritten:
    """The record of literals as written: for each stored triple with a canonical
    literal, the literals written for it (usually one; several when different
    literals became one triple, the canonical one included if it was written too).

    Literals of blank nodes are recorded by predicate and stored form instead
    (``patterns``: every blank node's ``pw:amount "300"`` was written ``"300.00"``),
    because a blank node's label changes each time a file is parsed, so the store's
    own loader can write the file; a load that cannot say it that way (two
    literals written for one stored form) records each blank node's triple."""

    originals: dict[Key, tuple[ox.Literal, ...]]
    patterns: dict[tuple[ox.NamedNode, ox.Literal], ox.Literal] = field(default_factory=dict)

    @classmethod
    def read(cls, store: ox.Store, forms: StoredForms | None = None) -> AsWritten:
        """The record as :data:`AS_WRITTEN` in ``store`` holds it."""
        forms = forms or StoredForms()
        found: dict[Key, set[ox.Literal]] = {}
        patterns: dict[tuple[ox.NamedNode, ox.Literal], ox.Literal] = {}
        for quad in store.quads_for_pattern(None, None, None, AS_WRITTEN):
            subject, predicate, obj = quad.subject, quad.predicate, quad.object
            if not isinstance(obj, ox.Literal) or isinstance(subject, ox.Triple):
                continue
            written = decode(obj)
            stored = forms.stored(written) or written
            if subject == BLANK_NODES:
                patterns[predicate, stored] = written
            else:
                found.setdefault((subject, predicate, stored), set()).add(written)
        originals = {key: tuple(sorted(lits, key=str)) for key, lits in found.items()}
        return cls(originals, patterns)

    def __bool__(self) -> bool:
        return bool(self.originals) or bool(self.patterns)

    def __len__(self) -> int:
        """How many more quads the store holds than triples were written."""
        return len(self.originals) + len(self.patterns)

    @property
    def predicates(self) -> frozenset[str]:
        """The IRIs of the predicates with a literal that Oxigraph changed."""
        return frozenset(key[1].value for key in self.originals) | frozenset(
            key[0].value for key in self.patterns
        )

    @property
    def lexical_only(self) -> frozenset[str]:
        """The predicates whose changed literals only changed lexical form: one literal
        per stored triple, same datatype, same value (``"4.0"`` stored as ``"4"``).
        A check that reads values, not lexical forms, gives the same verdict on them."""
        other = {
            key[1].value
            for key, lits in self.originals.items()
            if len(lits) != 1 or lits[0].datatype != key[2].datatype
        } | {
            p.value for (p, stored), lit in self.patterns.items() if lit.datatype != stored.datatype
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
            if type(subject) is ox.BlankNode and self.patterns:
                written = self.patterns.get((predicate, obj))
                if written is not None:
                    return (written,)
        return (obj,)

    def quads(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        """Stored quads (default graph) as written."""
        objects = self.objects
        for quad in quads:
            obj = quad.object
            if type(obj) is ox.Literal:
                for written in objects(quad.subject, quad.predicate, obj):
                    yield ox.Quad(quad.subject, quad.predicate, written, quad.graph_name)
            else:
                yield quad

    def unique(self, store: ox.Store) -> dict[ox.Literal, ox.Literal]:
        """Stored literals that stand for one written literal wherever they occur (every
        stored triple with that object had the same literal written for it): a value
        met without its triple (a SPARQL result) can be given as written."""
        written: dict[ox.Literal, set[ox.Literal]] = {}
        covered: Counter[ox.Literal] = Counter()
        for key, originals in self.originals.items():
            written.setdefault(key[2], set()).update(originals)
            covered[key[2]] += 1
        for (predicate, stored), lit in self.patterns.items():
            written.setdefault(stored, set()).add(lit)
            covered[stored] += sum(
                1
                for q in store.quads_for_pattern(None, predicate, stored, ox.DefaultGraph())
                if type(q.subject) is ox.BlankNode
                and (q.subject, predicate, stored) not in self.originals
            )
        found: dict[ox.Literal, ox.Literal] = {}
        for stored, lits in written.items():
            if len(lits) == 1:
                count = sum(
                    1 for _ in store.quads_for_pattern(None, None, stored, ox.DefaultGraph())
                )
                if count == covered[stored]:
                    found[stored] = next(iter(lits))
        return found


@dataclass
class Recorder:
    """Finds the literals that the store will change, and the record quads that keep
    them as written: :meth:`scan` while a load checks its files (then the store's own
    loader can write them), or :meth:`watch` while quads stream into the store."""

    store: ox.Store
    known: AsWritten
    forms: StoredForms = field(default_factory=StoredForms)
    #: Keys recorded by this load, and canonical literals written as such.
    keys: set[Key] = field(default_factory=set)
    plain: set[Key] = field(default_factory=set)
    records: set[ox.Quad] = field(default_factory=set)
    #: Blank-node literals seen by :meth:`scan`: (predicate, stored form) -> written.
    blank: dict[tuple[ox.NamedNode, ox.Literal], set[ox.Literal]] = field(default_factory=dict)
    blank_plain: set[tuple[ox.NamedNode, ox.Literal]] = field(default_factory=set)
    changed: bool = False
    rescan: bool = False
    #: The stored forms of the changed literals met so far.
    canonicals: set[ox.Literal] = field(default_factory=set)

    def scan(self, quads: Iterable[ox.Quad]) -> int:
        """Read every quad of a file being checked, recording the changed literals of
        IRIs and noting those of blank nodes. Only a literal equal to the stored form
        of a changed one can merge with it, so only those are kept (sets ``rescan``
        when such a literal was met before it was known to be one). Returns the
        number of quads read."""
        n = 0
        memo = self.forms.memo
        stored = self.forms.stored
        canonicals = self.canonicals
        known = bool(self.known)
        for quad in quads:
            n += 1
            obj = quad.object
            if type(obj) is not ox.Literal:
                continue
            canonical = memo.get(obj, _UNSEEN)
            if canonical is _UNSEEN:
                if obj.language or obj.datatype == _STRING_NODE:
                    continue  # a string: stored as written
                canonical = stored(obj)
            if canonical is None:
                if type(quad.subject) is ox.BlankNode:
                    self.blank_plain.add((quad.predicate, obj))
                elif known or obj in canonicals:
                    self._note(quad, obj, None)
                continue
            if canonical not in canonicals:
                canonicals.add(canonical)
                if memo.get(canonical, _UNSEEN) is None:  # met as such already
                    self.rescan = True
            self.changed = True
            if type(quad.subject) is ox.BlankNode:
                self.blank.setdefault((quad.predicate, canonical), set()).add(obj)
            else:
                self._note(quad, obj, canonical)
        return n

    def _note(self, quad: ox.Quad, obj: ox.Literal, canonical: ox.Literal | None) -> bool:
        known = self.known.originals
        keys, records = self.keys, self.records
        subject, predicate = quad.subject, quad.predicate
        if canonical is None:  # stored as written: recorded only beside a merge
            key = (subject, predicate, obj)
            claimed = type(subject) is ox.BlankNode and (predicate, obj) in self.known.patterns
            if key in keys or key in known or claimed:
                records.add(ox.Quad(subject, predicate, encode(obj), AS_WRITTEN))
            else:
                self.plain.add(key)  # type: ignore[arg-type]
            return False
        key = (subject, predicate, canonical)
        records.add(ox.Quad(subject, predicate, encode(obj), AS_WRITTEN))
        if key not in keys and key not in known:
            keys.add(key)  # type: ignore[arg-type]
            if key in self.plain or ox.Quad(*key) in self.store:
                records.add(ox.Quad(subject, predicate, encode(canonical), AS_WRITTEN))
        return True

    def blank_patterns(self) -> set[ox.Quad] | None:
        """The record quads of the blank-node literals noted by :meth:`scan`, or None
        when a pattern cannot say them (two literals written for one stored form, a
        stored form also written as such, or already in the store), or when a merge
        may have been missed (``rescan``)."""
        if self.rescan:
            return None
        out: set[ox.Quad] = set()
        known = self.known.patterns
        for (predicate, canonical), lits in self.blank.items():
            if len(lits) != 1 or (predicate, canonical) in self.blank_plain:
                return None
            written = next(iter(lits))
            if (predicate, canonical) in known:
                if known[predicate, canonical] != written:
                    return None
            elif any(
                type(q.subject) is ox.BlankNode
                for q in self.store.quads_for_pattern(None, predicate, canonical, ox.DefaultGraph())
            ):
                return None
            out.add(ox.Quad(BLANK_NODES, predicate, encode(written), AS_WRITTEN))
        for predicate, obj in self.blank_plain:
            if (predicate, obj) in known:  # an earlier pattern must not claim this one
                return None
        return out

    def watch(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        """Pass quads through, recording every literal the store will change (blank
        nodes included, triple by triple)."""
        memo = self.forms.memo
        stored = self.forms.stored
        for quad in quads:
            obj = quad.object
            if type(obj) is ox.Literal:
                canonical = memo.get(obj, _UNSEEN)
                if canonical is _UNSEEN:
                    if obj.language or obj.datatype == _STRING_NODE:
                        yield quad
                        continue
                    canonical = stored(obj)
                if canonical is not None or obj in memo:
                    self._note(quad, obj, canonical)
            yield quad
