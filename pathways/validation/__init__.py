"""SHACL validation of the knowledge graph: profiles, engine, reports, eligibility.

The public API:

- :func:`shapes_for` gathers the shapes of bundled profiles and user shapes files;
- :func:`validate` checks a :class:`~pathways.rdf.store.KnowledgeGraph` against them
  (compiled SPARQL in Oxigraph where possible, pyshacl for the rest);
- :class:`ValidationReport` / :class:`ValidationResult` hold the outcome, and
  :mod:`pathways.validation.render` prints it (a module a family of formats);
- :func:`eligibility` answers "which micro-credentials may a funding scheme pay for".
"""

from pathways.validation.engine import validate
from pathways.validation.profiles import Profile, Shapes, bundled_profiles, shapes_for
from pathways.validation.results import ValidationReport, ValidationResult

__all__ = [
    "Profile",
    "Shapes",
    "ValidationReport",
    "ValidationResult",
    "bundled_profiles",
    "shapes_for",
    "validate",
]
