"""The library's own words that the interface shows, marked for translation.

The library names its measures (:data:`pathways.routing.MEASURE_NAMES`) and its
severities (``sh:Violation`` as "Violation", and the ``--severity`` choices) in
English, once; the templates translate them with ``_()``. Their message ids must be
literals for ``make messages`` to extract them, so they are listed here, and
``tests/web/test_i18n.py`` checks that the list covers every word the library has,
so a new measure cannot reach a page untranslated.
"""

from __future__ import annotations

from pathways.web.i18n import N_

__all__ = ["MEASURE_WORDS", "SEVERITY_WORDS"]

#: :data:`pathways.routing.MEASURE_NAMES`, marked.
MEASURE_WORDS = (
    N_("cost (fees, or true cost)"),
    N_("notional hours"),
    N_("ECTS-equivalent credits"),
    N_("number of credentials"),
    N_("cost per expected employed completer"),
)

#: The severities as results name them and as the severity filter offers them.
SEVERITY_WORDS = (
    N_("Violation"),
    N_("Warning"),
    N_("Info"),
    N_("violation"),
    N_("warning"),
    N_("info"),
)
