"""The knowledge graph's facts as typed values; the one RDF -> NetworkX projection.

One reader per fact, so that every output agrees:

* :mod:`pathways.catalogue.facts` -- hours, credits, fee and EQF level, with the one
  multi-value rule (the smallest value);
* :mod:`pathways.catalogue.records` -- credentials, conditions and pathways as frozen
  dataclasses (what the exporters read, instead of SPARQL of their own);
* :mod:`pathways.catalogue.schemes` -- :func:`scheme_named`, the one way a funding
  scheme is named;
* :mod:`pathways.catalogue.projection` -- the one RDF -> NetworkX projection, which
  reads its facts and labels through the two above and :mod:`pathways.rdf.labels`
  (the one label rule; in ``rdf`` because the store's ``label`` uses it);
* :mod:`pathways.output` -- the one way a file is written (atomically) and
  the one CSV dialect (RFC 4180).
"""

from __future__ import annotations

from pathways.catalogue.facts import Fee, credits, eqf_levels, fees, notional_hours
from pathways.catalogue.schemes import scheme_named

__all__ = ["Fee", "credits", "eqf_levels", "fees", "notional_hours", "scheme_named"]
