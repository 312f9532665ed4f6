"""The report as a SARIF 2.1.0 log, for CI pipelines and code-scanning tools.

One run, its tool ``pathways`` with one rule a (shape, constraint component) that has
results. Each listed result is a SARIF ``result``:

- ``ruleId``: the shape (prefixed name; a blank property shape as ``property <path>``)
  and the constraint component's local name, e.g. ``pwsh:CredentialShape/MinCount``;
  ``ruleIndex`` points into ``tool.driver.rules``;
- ``level``: ``error`` for ``sh:Violation``, ``warning`` for ``sh:Warning``, ``note``
  for ``sh:Info`` (a custom severity: ``warning``);
- ``message.text``: the SHACL message (or the component and path when the shape has none);
- ``locations``: one location: a logical location naming the focus node
  (``fullyQualifiedName`` its IRI, or the description of a blank focus; ``name`` its
  label; kind ``resource``), the credential it is about in ``properties.about``; and,
  when the data came from files (:attr:`ReportContext.sources`) and one of them writes
  the focus node as a subject (a blank focus node: the named node it is about), a
  physical location: the file
  (``artifactLocation``: its ``uri`` relative to ``%SRCROOT%`` for a file below it,
  an absolute ``file:`` URI otherwise, and its ``index`` in ``run.artifacts``) and
  the ``region`` (``startLine``, ``startColumn``) where the subject is first written
  (:mod:`pathways.rdf.locations`);
- ``partialFingerprints``: a hash of the result's identity (focus, path, value,
  severity, shape, component), so that code scanning follows a result across runs;
- ``properties``: the fields of the JSON report (focus, path, value, shape, ...).

The run's ``properties`` hold SHACL's ``conforms``, the run's ``passes`` and the
summary of the JSON report. Results are listed as in every other format
(``--severity``). With files, the run also lists them in ``artifacts`` (``location``,
``length``, ``hashes`` with the ``sha-256`` of the bytes validated), says that
columns count Unicode code points (``columnKind``) and, when the names are relative
to a folder (the CLI's working directory), gives that folder as
``originalUriBaseIds["%SRCROOT%"]``; code scanning sets ``%SRCROOT%`` to the root of
the repository it scans. Without files (``--store``, the bundled graph) the log has
no physical locations at all.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from rdflib import BNode, URIRef
from rdflib.namespace import SH

from pathways import __version__
from pathways.rdf.iris import shorten
from pathways.rdf.locations import Located
from pathways.validation.render.report import (
    ReportContext,
    listed_results,
    passes,
    short_path,
    summary,
)
from pathways.validation.results import ValidationReport, ValidationResult

__all__ = ["LEVELS_SARIF", "SRCROOT", "rule_id", "to_sarif"]

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

#: The URI base id the artifacts' relative URIs are relative to (SARIF 3.4.4).
SRCROOT = "%SRCROOT%"

#: SARIF ``level`` of each SHACL severity.
LEVELS_SARIF: dict[str, str] = {
    str(SH.Violation): "error",
    str(SH.Warning): "warning",
    str(SH.Info): "note",
}


def _local(iri: str) -> str:
    name = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return name.removesuffix("ConstraintComponent") or iri


def rule_id(result: ValidationResult) -> str:
    """The SARIF rule of a result: its shape and constraint component."""
    if isinstance(result.shape, URIRef):
        shape = shorten(str(result.shape))
    else:
        shape = f"property {short_path(result.path)}"
    return f"{shape}/{_local(str(result.component))}"


def _fingerprint(result: ValidationResult) -> str:
    return hashlib.sha256("\x1f".join(result.key()).encode("utf-8")).hexdigest()[:32]


def _node(report: ValidationReport, node: Any) -> str | None:
    if node is None:
        return None
    return report.describe(node) if isinstance(node, BNode) else str(node)


def _artifact_location(name: str, index: int) -> dict[str, Any]:
    """A file's ``artifactLocation``: relative to ``%SRCROOT%`` unless its name is
    absolute (then its ``file:`` URI).

    >>> _artifact_location("data/my file.ttl", 0)
    {'uri': 'data/my%20file.ttl', 'uriBaseId': '%SRCROOT%', 'index': 0}
    >>> _artifact_location("/tmp/x.ttl", 1)
    {'uri': 'file:///tmp/x.ttl', 'index': 1}
    """
    path = PurePosixPath(name)
    if path.is_absolute():
        return {"uri": path.as_uri(), "index": index}
    return {"uri": quote(path.as_posix()), "uriBaseId": SRCROOT, "index": index}


def _physical(
    report: ValidationReport, r: ValidationResult, sources: Located | None
) -> dict[str, Any] | None:
    """Where a file writes the result's focus (a blank focus: the named node it is
    about, :meth:`ValidationReport.anchor`); None when no validated file writes it."""
    if sources is None:
        return None
    where = sources.subjects.get(report.anchor(r))
    if where is None:
        return None
    index = next(i for i, (name, _, _) in enumerate(sources.files) if name == where.file)
    return {
        "artifactLocation": _artifact_location(where.file, index),
        "region": {"startLine": where.line, "startColumn": where.column},
    }


def _result(
    report: ValidationReport, r: ValidationResult, index: int, sources: Located | None
) -> dict[str, Any]:
    focus = _node(report, r.focus) or ""
    path = None if r.path is None else short_path(r.path)
    text = r.message or f"{_local(str(r.component))} at {path or 'the focus node'}"
    properties = {
        "focus": focus,
        "about": report.anchor(r),
        "path": path,
        "value": _node(report, r.value),
        "severity": r.severity_name,
        "shape": str(r.shape) if isinstance(r.shape, URIRef) else None,
        "component": str(r.component),
    }
    location: dict[str, Any] = {}
    physical = _physical(report, r, sources)
    if physical is not None:
        location["physicalLocation"] = physical
    location["logicalLocations"] = [
        {
            "fullyQualifiedName": focus,
            "name": report.describe(r.focus) or focus,
            "kind": "resource",
        }
    ]
    return {
        "ruleId": rule_id(r),
        "ruleIndex": index,
        "level": LEVELS_SARIF.get(str(r.severity), "warning"),
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"pathwaysResult/v1": _fingerprint(r)},
        "properties": properties,
    }


def to_sarif(report: ValidationReport, context: ReportContext | None = None) -> str:
    """The SARIF 2.1.0 log of a report (see the module docstring)."""
    context = context or ReportContext()
    listed = listed_results(report, context)
    rules: dict[str, int] = {}
    descriptors: list[dict[str, Any]] = []
    results = []
    for r in listed:
        rid = rule_id(r)
        index = rules.get(rid)
        if index is None:
            index = rules[rid] = len(descriptors)
            descriptors.append(
                {
                    "id": rid,
                    "name": _local(str(r.component)),
                    "shortDescription": {
                        "text": f"{_local(str(r.component))} constraint of {rid.rsplit('/', 1)[0]}"
                    },
                    "defaultConfiguration": {"level": LEVELS_SARIF.get(str(r.severity), "warning")},
                    "properties": {"component": str(r.component)},
                }
            )
        results.append(_result(report, r, index, context.sources))
    counts = summary(report, context.fail_on)
    counts["results_listed"] = len(listed)
    shapes = context.shapes
    run: dict[str, Any] = {}
    sources = context.sources
    if sources is not None:
        if sources.root is not None:
            run["originalUriBaseIds"] = {SRCROOT: {"uri": sources.root}}
        run["artifacts"] = [
            {
                "location": {
                    key: value
                    for key, value in _artifact_location(name, index).items()
                    if key != "index"
                },
                "length": length,
                "hashes": {"sha-256": digest},
            }
            for index, (name, digest, length) in enumerate(sources.files)
        ]
        run["columnKind"] = "unicodeCodePoints"
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pathways",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": descriptors,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "properties": {
                            "profiles": list(shapes.profiles if shapes else report.profiles),
                            "fail_on": context.fail_on,
                            "warnings": list(shapes.warnings) if shapes else [],
                        },
                    }
                ],
                **run,
                "results": results,
                "properties": {
                    "conforms": report.conforms,
                    "passes": passes(report, context.fail_on),
                    "summary": counts,
                },
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
