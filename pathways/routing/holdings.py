"""What a learner already holds: awards, prior learning and skills.

:func:`read_holdings` reads either an RDF file (Turtle, JSON-LD, ... with a
pw:Learner, pw:IssuedCredential awards via pw:awardOf, pw:hasPriorLearning and
pw:holdsSkill) or a plain text file with one IRI or prefixed name (``pilot:x``) a
line, ``#`` starting a comment. :func:`resolve_holdings` sorts the entries by what
they are in a projected graph and drops expired awards: an award whose pw:validUntil
is before the reference date, or whose date of issuing plus the credential's
pw:validityPeriod is (renewal needed).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from pathways.catalogue.lookup import kind_error
from pathways.errors import InputError
from pathways.rdf.iris import expand_iri
from pathways.rdf.store import FORMATS, parse_file
from pathways.vocab import PREFIXES

__all__ = ["Award", "Holdings", "expand_iri", "read_holdings", "resolve_holdings"]

_PW = PREFIXES["pw"]
_HOLDABLE = ("credential", "prior-learning", "skill")
_HOLDABLE_HINT = "holdings are credentials, prior learning or skills"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T.*)?$")


@dataclass(frozen=True)
class Award:
    """One held credential (or prior learning / skill), where it was read from."""

    iri: str
    path: str
    line: int | None = None
    issued: dt.date | None = None
    valid_until: dt.date | None = None


@dataclass(frozen=True)
class Holdings:
    """Resolved holdings: valid credentials, prior learning, skills, and what expired."""

    credentials: frozenset[str] = frozenset()
    prior_learning: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    expired: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = field(default=())


NO_HOLDINGS = Holdings()


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _nothing_held(path: Path) -> InputError:
    """The one answer to a holdings file that names nothing, whatever its format: an
    empty file, only comments, or RDF without awards (an empty holding is never
    assumed, since it would silently route as if the learner held nothing)."""
    rdf = path.suffix.lower() in FORMATS
    return InputError(
        "the holdings file names no credential, prior learning or skill",
        path=path,
        hint="in RDF use pw:IssuedCredential with pw:awardOf, pw:hasPriorLearning or pw:holdsSkill"
        if rdf
        else "write one IRI or prefixed name a line, e.g. pilot:es-hv-1s",
    )


def read_holdings(path: Path) -> tuple[Award, ...]:
    """Read a holdings file (RDF by suffix, else the one-IRI-a-line text form).

    Raises :class:`~pathways.errors.InputError` for a file that names nothing held,
    in every format (see :func:`_nothing_held`).
    """
    if path.suffix.lower() in FORMATS:
        if path.is_file() and not path.read_bytes().strip():
            raise _nothing_held(path)
        return _read_rdf(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise InputError("no such holdings file", path=path, hint="check the path") from err
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read the holdings file: {err}", path=path) from err
    awards = []
    for number, raw in enumerate(text.splitlines(), 1):
        entry = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("<") else raw.strip()
        if entry.startswith("<") and ">" in entry:
            entry = entry[: entry.index(">") + 1]
        if entry:
            awards.append(Award(expand_iri(entry, path=str(path), line=number), str(path), number))
    if not awards:
        raise _nothing_held(path)
    return tuple(awards)


def _read_rdf(path: Path) -> tuple[Award, ...]:
    if not path.is_file():
        raise InputError("no such holdings file", path=path, hint="check the path")
    by_subject: dict[str, dict[str, list[str]]] = {}
    for quad in parse_file(path):
        if isinstance(quad.subject, ox.Triple) or isinstance(quad.object, ox.Triple):
            continue
        key = quad.subject.value
        by_subject.setdefault(key, {}).setdefault(quad.predicate.value, []).append(
            quad.object.value
        )
    awards: list[Award] = []
    for props in by_subject.values():
        for target in props.get(_PW + "awardOf", []):
            issued = _date(min(props.get(_PW + "dateOfIssuing", []), default=None))
            until = _date(min(props.get(_PW + "validUntil", []), default=None))
            awards.append(Award(target, str(path), None, issued, until))
        for prop in ("hasPriorLearning", "holdsSkill"):
            awards.extend(Award(v, str(path)) for v in props.get(_PW + prop, []))
    if not awards:
        raise _nothing_held(path)
    return tuple(sorted(awards, key=lambda a: a.iri))


def _expiry(issued: dt.date, period: str) -> dt.date | None:
    match = _DURATION.match(period)
    if not match:
        return None
    years, months, days = (int(x) if x else 0 for x in match.groups())
    month = issued.month - 1 + months
    year = issued.year + years + month // 12
    month = month % 12 + 1
    day = min(issued.day, 28) if (month, issued.day) != (issued.month, issued.day) else issued.day
    try:
        end = dt.date(year, month, day)
    except ValueError:
        end = dt.date(year, month, 28)
    return end + dt.timedelta(days=days)


def resolve_holdings(awards: Iterable[Award], g: nx.DiGraph, on: dt.date | None = None) -> Holdings:
    """Sort awards into credentials, prior learning and skills; drop expired awards.

    An IRI the graph does not know raises :class:`NotFoundError` naming where it was
    read and the nearest IRI it holds (a typo would otherwise silently count for
    nothing); an IRI of another kind (an occupation, a pathway) raises
    :class:`~pathways.errors.UsageError` saying what it is. Skills unknown to the
    graph are accepted (a learner may hold skills no credential teaches).
    """
    on = on or dt.date.today()
    creds: set[str] = set()
    prior: set[str] = set()
    skills: set[str] = set()
    expired: list[tuple[str, str]] = []
    for award in awards:
        kind = g.nodes[award.iri]["kind"] if award.iri in g else None
        if kind == "credential":
            reason = _expired(award, g.nodes[award.iri].get("validity"), on)
            if reason:
                expired.append((award.iri, reason))
            else:
                creds.add(award.iri)
        elif kind == "prior-learning":
            prior.add(award.iri)
        elif kind == "skill" or (kind is None and "/skill/" in award.iri):
            skills.add(award.iri)
        else:
            error = kind_error(
                None, g, award.iri, _HOLDABLE, _HOLDABLE_HINT, path=award.path, line=award.line
            )
            if error is not None:
                raise error
    renewed, still_expired, notes = _renewals(g, expired, creds)
    return Holdings(
        frozenset(creds | renewed),
        frozenset(prior),
        frozenset(skills),
        tuple(sorted(still_expired)),
        notes,
    )


def _renewals(
    g: nx.DiGraph, expired: list[tuple[str, str]], creds: set[str]
) -> tuple[set[str], list[tuple[str, str]], tuple[str, ...]]:
    """Expired awards renewed by a valid award of their refresher (pw:renewedBy) count."""
    renewed: set[str] = set()
    still: list[tuple[str, str]] = []
    notes: list[str] = []
    for iri, reason in expired:
        refreshers = sorted(
            r
            for r in g.successors(iri)
            if g.edges[iri, r].get("kind") == "renewed-by" and r in creds
        )
        if refreshers:
            renewed.add(iri)
            notes.append(f"{iri} expired ({reason}) but is renewed by {refreshers[0]}")
        else:
            still.append((iri, reason))
    return renewed, still, tuple(sorted(notes))


def _expired(award: Award, validity: str | None, on: dt.date) -> str | None:
    if award.valid_until is not None and award.valid_until < on:
        return f"expired on {award.valid_until.isoformat()}: renewal needed"
    if award.issued is not None and validity:
        end = _expiry(award.issued, validity)
        if end is not None and end < on:
            return (
                f"issued {award.issued.isoformat()}, valid {validity}: expired on "
                f"{end.isoformat()}, renewal needed"
            )
    return None
