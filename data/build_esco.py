"""Build ``data/esco-automotive.ttl`` from the ESCO v1.1.1 CSV extracts.

A maintenance script, not part of the product: the product only reads the Turtle
it writes. Standard library only. It reads, from ``../shared/external/esco/``
(or the folder given as the first argument):

* ``automotive-occupation-skills.csv``: the 347 essential/optional skill relations of
  eight automotive occupations, with skill labels;
* ``occupations_en.csv``: the ESCO occupations, for each occupation's ISCO-08 group
  and ESCO code.

and writes every occupation as ``pw:Occupation`` (with ``skos:prefLabel``@en,
``pw:iscoGroup``, ``pw:essentialSkill`` / ``pw:optionalSkill``) and every related skill
as ``pw:Skill`` with ``skos:prefLabel``@en. The output is deterministic (sorted), so a
re-run on the same input gives a byte-identical file.

Usage (from the repository root)::

    python data/build_esco.py                  # reads ../shared/external/esco
    python data/build_esco.py /path/to/esco    # or another folder with the CSVs
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parent.parent / "shared" / "external" / "esco"
OUTPUT = HERE / "esco-automotive.ttl"

OCCUPATION_SCHEME = "http://data.europa.eu/esco/concept-scheme/occupations"
SKILL_SCHEME = "http://data.europa.eu/esco/concept-scheme/skills"
RELATIONS = (("essential", "pw:essentialSkill"), ("optional", "pw:optionalSkill"))

HEADER = """\
# ESCO automotive occupations and their skills (generated: do not edit by hand).
#
# The eight automotive occupations of the pilot (vehicle technician, automotive
# electrician, automotive battery technician, vehicle electronics installer, automotive
# engineering technician, mechatronics engineering technician, automotive brake
# technician, vehicle maintenance supervisor) with ALL their essential and optional skill
# relations ({n_rel} relations, {n_skill} skills), typed with the pathways vocabulary so that
# gap analysis and pathway checks work without loading ESCO itself.
#
# Source: ESCO v1.1.1, European Commission (https://esco.ec.europa.eu/), reused under the
# Commission's reuse policy with attribution; extracted from the official CSV export
# (files automotive-occupation-skills.csv and occupations_en.csv).
# Regenerate with: python data/build_esco.py

@prefix pw: <https://w3id.org/pathways/vocab#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""


def turtle_string(text: str) -> str:
    """Quote ``text`` as a Turtle short string literal."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def objects(predicate: str, iris: list[str]) -> str:
    """One predicate line with its objects, one object per continuation line."""
    if len(iris) == 1:
        return f"    {predicate} <{iris[0]}>"
    joined = " ,\n        ".join(f"<{iri}>" for iri in iris)
    return f"    {predicate}\n        {joined}"


def build(source: Path) -> str:
    relations_path = source / "automotive-occupation-skills.csv"
    occupations_path = source / "occupations_en.csv"

    occupation_label: dict[str, str] = {}
    skill_label: dict[str, str] = {}
    related: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    n_rel = 0
    with relations_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            occ, skill, kind = row["occupationUri"], row["skillUri"], row["relationType"]
            if kind not in ("essential", "optional"):
                raise ValueError(f"unknown relation type {kind!r} in {relations_path}")
            occupation_label[occ] = row["occupationLabel"]
            skill_label[skill] = row["skillLabel"]
            related[occ][kind].append(skill)
            n_rel += 1

    isco: dict[str, str] = {}
    code: dict[str, str] = {}
    with occupations_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["conceptUri"] in occupation_label:
                isco[row["conceptUri"]] = row["iscoGroup"]
                code[row["conceptUri"]] = row["code"]
    missing = sorted(set(occupation_label) - set(isco))
    if missing:
        raise ValueError(f"occupations not found in {occupations_path}: {missing}")

    parts = [HEADER.format(n_rel=n_rel, n_skill=len(skill_label))]
    parts.append("\n# Occupations\n")
    for occ in sorted(occupation_label, key=lambda iri: occupation_label[iri]):
        lines = [
            "    a pw:Occupation , skos:Concept",
            f"    skos:prefLabel {turtle_string(occupation_label[occ])}@en",
            f"    skos:notation {turtle_string(code[occ])}",
            f"    skos:inScheme <{OCCUPATION_SCHEME}>",
            f"    pw:iscoGroup {turtle_string(isco[occ])}",
        ]
        for kind, predicate in RELATIONS:
            skills = sorted(related[occ][kind])
            if skills:
                lines.append(objects(predicate, skills))
        parts.append(f"\n<{occ}>\n" + " ;\n".join(lines) + " .\n")

    parts.append("\n# Skills\n")
    for skill in sorted(skill_label):
        lines = [
            "    a pw:Skill , skos:Concept",
            f"    skos:prefLabel {turtle_string(skill_label[skill])}@en",
            f"    skos:inScheme <{SKILL_SCHEME}>",
        ]
        parts.append(f"\n<{skill}>\n" + " ;\n".join(lines) + " .\n")
    return "".join(parts)


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    OUTPUT.write_text(build(source), encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
