"""The search index of a store's generation, computed once by ``pathways load``.

Reading what search needs of every credential (:func:`~pathways.catalogue.search.
catalogue_index`) takes seconds on a large catalogue (3 s for 10k credentials), and a
server would spend them before its first search answer. A generation of a store never
changes once committed (:mod:`pathways.rdf.generations`), so ``pathways load`` writes
the index of each language into the generation's folder, and a reader of that
generation (``pathways serve --store``) reads it back instead of computing it.

The file is plain JSON (never pickle: a store folder may come from someone else), one
per language, ``<generation>/pathways-derived/catalogue-<lang>.json``, written
atomically (a temporary file renamed). It names the code that made it (a SHA-256 of
pathways' own source files): a file made by other code, unreadable, malformed or of
another generation is ignored and the index is computed as before, so a cache can
make a reader faster but never different. Read commands never write it.

>>> kg = KnowledgeGraph.open()  # in memory: no generation, nothing cached
>>> cached_index(kg, "en") is None, save_indexes(kg, ("en",))
(True, ())
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pathways.catalogue.search import CatalogueEntry, CatalogueIndex, catalogue_index
from pathways.rdf.store import KnowledgeGraph

__all__ = ["FOLDER", "cached_index", "code_fingerprint", "index_generation", "save_indexes"]

#: The folder of derived files inside a generation's folder.
FOLDER = "pathways-derived"
_FORMAT = "pathways-catalogue-index-1"
_PACKAGE = Path(__file__).resolve().parents[1]


@functools.cache
def code_fingerprint() -> str:
    """A SHA-256 over pathways' own Python sources (names and bytes): any change to
    the code, the index's or any other, makes the caches it wrote stale."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(_PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _file(kg: KnowledgeGraph, lang: str) -> Path | None:
    folder = kg.generation_folder
    if folder is None or not lang.replace("-", "").isalnum():
        return None
    return folder / FOLDER / f"catalogue-{lang}.json"


def _document(index: CatalogueIndex, generation: str, lang: str) -> dict[str, Any]:
    return {
        "format": _FORMAT,
        "code": code_fingerprint(),
        "generation": generation,
        "lang": lang,
        "facet_names": list(index.facet_names),
        "labels": dict(index.labels),
        "entries": [
            [
                e.iri,
                e.label,
                [list(t) for t in e.titles],
                [list(d) for d in e.descriptions],
                {k: list(v) for k, v in e.facets.items()},
                e.haystack,
            ]
            for e in index.entries
        ],
    }


def index_generation(kg: KnowledgeGraph) -> tuple[str, ...]:
    """Write the index in English and in every language of the data's titles and
    descriptions (the languages a reader may ask labels in) for the current
    generation, each unless a valid one is there; the languages written."""
    if kg.generation_folder is None:
        return ()
    english = cached_index(kg, "en")
    written: tuple[str, ...] = ()
    if english is None:
        english = catalogue_index(kg, "en")
        written = save_indexes(kg, ("en",), {"en": english})
    others = [lang for lang in english.languages if lang != "en" and cached_index(kg, lang) is None]
    return written + save_indexes(kg, others)


def save_indexes(
    kg: KnowledgeGraph,
    langs: Sequence[str],
    computed: dict[str, CatalogueIndex] | None = None,
) -> tuple[str, ...]:
    """Write the index of each of ``langs`` (``computed`` holds any already built) for
    the graph's current generation (a store with generations; nothing otherwise); the
    languages written."""
    written = []
    for lang in langs:
        path = _file(kg, lang)
        if path is None or kg.generation_folder is None:
            continue
        path.parent.mkdir(exist_ok=True)
        index = (computed or {}).get(lang) or catalogue_index(kg, lang)
        document = _document(index, kg.generation_folder.name, lang)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(document, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        written.append(lang)
    return tuple(written)


def cached_index(kg: KnowledgeGraph, lang: str) -> CatalogueIndex | None:
    """The index ``pathways load`` wrote for this generation and language, or None
    (none written, other code, another generation, unreadable or malformed)."""
    path = _file(kg, lang)
    if path is None or kg.generation_folder is None:
        return None
    try:
        with path.open(encoding="utf-8") as handle:
            document = json.load(handle)
        if (
            document.get("format") != _FORMAT
            or document.get("code") != code_fingerprint()
            or document.get("generation") != kg.generation_folder.name
            or document.get("lang") != lang
        ):
            return None
        entries = tuple(
            CatalogueEntry(
                str(iri),
                str(label),
                tuple((str(t), str(g)) for t, g in titles),
                tuple((str(t), str(g)) for t, g in descriptions),
                {str(k): tuple(str(v) for v in vs) for k, vs in facets.items()},
                str(haystack),
            )
            for iri, label, titles, descriptions, facets, haystack in document["entries"]
        )
        labels = {str(k): str(v) for k, v in document["labels"].items()}
        return CatalogueIndex(entries, labels, tuple(str(n) for n in document["facet_names"]))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
