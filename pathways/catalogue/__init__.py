"""One reader per fact of the catalogue: labels, numeric facts, funding schemes.

* :mod:`pathways.catalogue.labels` -- the one label-ranking rule (Python and SPARQL);
* :mod:`pathways.catalogue.facts` -- hours, credits, fee and EQF level, with the one
  multi-value rule (the smallest value);
* :mod:`pathways.catalogue.schemes` -- :func:`scheme_named`, the one way a funding
  scheme is named.

Every other module (store, projection, validation reports, economics, the CLI) reads
these facts through this package and never chooses a label or a value of its own.
"""

from __future__ import annotations

from pathways.catalogue.facts import Fee, credits, eqf_levels, fees, notional_hours
from pathways.catalogue.labels import LABEL_PROPERTIES, best_label, best_label_query
from pathways.catalogue.schemes import scheme_named

__all__ = [
    "LABEL_PROPERTIES",
    "Fee",
    "best_label",
    "best_label_query",
    "credits",
    "eqf_levels",
    "fees",
    "notional_hours",
    "scheme_named",
]
