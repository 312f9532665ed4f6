"""The exception family of pathways.

Library code raises these; only the command-line layer turns them into messages and
exit codes (:data:`EXIT_CODES`). Every error says what went wrong, where (file and
line when known) and what to do about it.

>>> err = InputError("expected '.'", path="data/x.ttl", line=12, hint="close the statement")
>>> str(err)
"data/x.ttl:12: expected '.' (close the statement)"
>>> err.exit_code
2
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

__all__ = [
    "EXIT_CODES",
    "InputError",
    "NoRouteError",
    "NotConforming",
    "NotFoundError",
    "PathwaysError",
    "QueryError",
    "StoreBusy",
    "StoreError",
    "UnsafeInputError",
    "UsageError",
    "did_you_mean",
    "nearest",
]


class PathwaysError(Exception):
    """Base class of every error pathways raises on purpose.

    ``exit_code`` is what the command line exits with: 2 for problems with what the
    user gave us, 3 for failures of our own.
    """

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        tail = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{tail}"


class UsageError(PathwaysError):
    """The request itself is wrong: an unknown option value, a conflicting choice."""

    exit_code = 2


class InputError(PathwaysError):
    """An input file, IRI or text cannot be read or parsed."""

    exit_code = 2


class UnsafeInputError(InputError):
    """Input that would make pathways reach the network or expand XML entities.

    Raised for remote JSON-LD contexts, SPARQL SERVICE/LOAD/FROM, XML entity
    declarations and similar; a flag opts in where that makes sense.
    """


class QueryError(InputError):
    """A SPARQL query that does not parse or is not allowed."""


class NotFoundError(InputError):
    """An IRI or name that is not in the knowledge graph or the bundled resources."""


class StoreError(PathwaysError):
    """The persistent store cannot be opened or written (locked, corrupt, read-only)."""

    exit_code = 2


class StoreBusy(StoreError):
    """Another process is loading into the store (its writer's lock is taken)."""


class NoRouteError(PathwaysError):
    """No set of credentials satisfies the goal; ``reasons`` says which conditions fail."""

    exit_code = 1

    def __init__(self, message: str, *, reasons: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.reasons = reasons


class NotConforming(PathwaysError):
    """A check ran to the end and found the data does not conform (exit 1)."""

    exit_code = 1


#: Exit-code contract of the command line (see README, "Exit codes").
EXIT_CODES: dict[str, int] = {
    "success or conforms": 0,
    "does not conform / no route": 1,
    "usage or input error": 2,
    "internal error": 3,
}


def nearest(
    value: str, candidates: Iterable[str] | Mapping[str, Sequence[str]], n: int = 1
) -> list[str]:
    """The ``n`` candidates closest to ``value`` (difflib's ratio, at least 0.6), best first.

    ``candidates`` is a list of names, or a mapping from what is returned to the names
    it answers to (an IRI to its local name and labels), so that an IRI is found by its
    local name or label, case-insensitively. The one "did you mean" of the code base.

    >>> nearest("jsn", ["human", "json", "csv"])
    ['json']
    >>> nearest("titel", {"urn:pw#title": ["title", "Title"], "urn:pw#type": ["type"]})
    ['urn:pw#title']
    """
    if isinstance(candidates, Mapping):
        names: dict[str, str] = {}
        for key, answers in sorted(candidates.items()):
            for name in answers:
                names.setdefault(name.casefold(), key)
        close = difflib.get_close_matches(value.casefold(), list(names), n=n * 4)
        return list(dict.fromkeys(names[c] for c in close))[:n]
    folded: dict[str, str] = {}
    for name in candidates:
        folded.setdefault(name.casefold(), name)
    close = difflib.get_close_matches(value.casefold(), list(folded), n=n)
    return [folded[c] for c in close]


def did_you_mean(value: str, candidates: Iterable[str] | Mapping[str, Sequence[str]]) -> str:
    """``" (did you mean 'json'?)"`` for a close candidate (see :func:`nearest`), else ``""``.

    >>> did_you_mean("jsn", ["human", "json", "csv"])
    " (did you mean 'json'?)"
    >>> did_you_mean("xyz", ["human", "json"])
    ''
    """
    close = nearest(value, candidates)
    return f" (did you mean {close[0]!r}?)" if close else ""
