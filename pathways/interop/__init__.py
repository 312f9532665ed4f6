"""Importers into the pathways ontology: CTDL, ELM/Europass, ESCO CSV, Finnish
ePerusteet structures and the spreadsheet template.

Each ``import_<format>(paths, ...)`` returns an :class:`ImportResult`: ``graph`` (in
the pathways ontology, original IRIs kept, provenance recorded with PROV and DCTERMS),
``findings`` (file, node or row, field, message, severity) and ``sources``.
:func:`import_files` dispatches on a format name.

>>> sorted(IMPORTERS)
['ctdl', 'elm', 'eperusteet', 'esco', 'spreadsheet']
>>> import_files("xml", [])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pathways.errors.UsageError: unknown import format 'xml' (use one of ctdl, elm, ...)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pathways.errors import UsageError
from pathways.interop.ctdl import import_ctdl
from pathways.interop.elm import import_elm
from pathways.interop.eperusteet import import_eperusteet
from pathways.interop.esco import import_esco
from pathways.interop.progress import ImportProgress, reporting_progress
from pathways.interop.results import Finding, ImportResult, Source
from pathways.interop.spreadsheet import import_spreadsheet

__all__ = [
    "IMPORTERS",
    "Finding",
    "ImportProgress",
    "ImportResult",
    "Source",
    "import_ctdl",
    "import_elm",
    "import_eperusteet",
    "import_esco",
    "import_files",
    "import_spreadsheet",
]

#: Format name -> importer function.
IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "ctdl": import_ctdl,
    "elm": import_elm,
    "eperusteet": import_eperusteet,
    "esco": import_esco,
    "spreadsheet": import_spreadsheet,
}


def import_files(
    fmt: str,
    paths: Iterable[str | Path],
    *,
    progress: ImportProgress | None = None,
    **options: Any,
) -> ImportResult:
    """Import ``paths`` with the importer for ``fmt``; ``options`` go to that importer.

    ``progress(file, done, total)`` hears when each file starts and, for the ESCO CSV
    export, how many of a file's characters have been read.
    """
    if fmt not in IMPORTERS:
        raise UsageError(
            f"unknown import format {fmt!r}", hint="use one of " + ", ".join(sorted(IMPORTERS))
        )
    with reporting_progress(progress):
        return IMPORTERS[fmt](paths, **options)
