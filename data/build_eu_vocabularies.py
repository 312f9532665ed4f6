"""Build ``ontology/vocabularies-eu.ttl`` from the EU's own controlled vocabularies.

A maintenance script, not part of the product: the product only reads the Turtle it
writes. Standard library only. It reads, from ``tests/fixtures/elm/eu-vocabularies/``
(or the folder given as the first argument), the XML Schema enumerations that the
European Learning Model publishes for its controlled vocabularies
(european-commission-empl/European-Learning-Model @ 9d7c5d22, ``xsd/loq/cv/``; see
``SOURCES.md`` in that folder):

* ``nqf.xsd``: the QDR vocabulary, every national qualifications framework of the EU
  member states, EEA and candidate countries (and the UK's) and every one of their
  levels, each an IRI with its English label;
* ``europass-learning-assessment-types.xsd``, ``europass-modes.xsd``,
  ``europass-learning-setting-types.xsd``: the Europass learning assessment types, modes
  of learning and learning settings. (The two credit systems of ``credit-points.xsd``,
  ECTS and ECVET, are pathways credit units in ``vocabularies.ttl`` under their EU IRIs.)

It writes every vocabulary as a ``skos:ConceptScheme`` (the file's target namespace) with
its concepts (``skos:prefLabel``@en exactly as the EU's ``xs:documentation``, whitespace
collapsed). Each national framework becomes a concept scheme of its own, with the
country it belongs to (``pw:country``), and each level a concept in its framework's
scheme with ``skos:notation`` (the national level as the label writes it) and, where
that is a whole number equal to the number of the EQF level it is referenced to,
``pw:levelNumber`` (profiles compare ``pw:levelNumber`` across EQF and national levels,
so Ireland's level 6, referenced to EQF 5, has none).

EQF referencing. ``nqf.xsd`` lists IRIs and labels only: it does not say which EQF
level a national level is referenced to. That fact is in each country's EQF referencing
report, as summarised by the Europass comparison tool
(https://europass.europa.eu/en/compare-qualifications-frameworks); it is transcribed in
``REFERENCING`` below and written as ``pw:referencedEQFLevel``. Where the report's
referencing could not be transcribed with confidence (Scotland's SCQF, Iceland's ISQF)
or a level lies outside the EQF (entry levels, Malta's introductory levels A and B,
Bulgaria's level 0, the Dutch entry level and level 4+), no referencing is written and
the importer says so. The one EU-published pairing in the repository's reference files
(RQF Level 6 with EQF level 6, in the EU's Annex I sample) agrees with the table.

The output is deterministic (sorted), so a re-run on the same input gives a
byte-identical file.

Usage (from the repository root)::

    python data/build_eu_vocabularies.py               # reads tests/fixtures/elm/eu-vocabularies
    python data/build_eu_vocabularies.py /path/to/cv   # or another folder with the xsd files
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parent / "tests" / "fixtures" / "elm" / "eu-vocabularies"
OUTPUT = HERE.parent / "ontology" / "vocabularies-eu.ttl"
XS = "{http://www.w3.org/2001/XMLSchema}"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
EQF = "http://data.europa.eu/snb/eqf/"

#: file -> English label of the vocabulary (the xsd gives only a type name).
VOCABULARIES = {
    "europass-learning-assessment-types.xsd": "Europass learning assessment types",
    "europass-modes.xsd": "Europass modes of learning and assessment",
    "europass-learning-setting-types.xsd": "Europass learning settings",
    "nqf.xsd": "national qualifications frameworks and their levels (QDR)",
}

Referencing = Callable[[str], int | None]


def same_number(notation: str) -> int | None:
    """National level n (or a sub-level n.m, na) is referenced to EQF level n."""
    match = re.fullmatch(r"([1-8])(?:\.\d|\s?[A-Ca-c])?", notation)
    return int(match.group(1)) if match else None


def table(mapping: dict[str, int]) -> Referencing:
    """Referencing given level by level; other levels are not referenced."""
    return mapping.get


def none(notation: str) -> int | None:
    """No referencing transcribed for this framework."""
    return None


_UK = table({"1": 2, "2": 3, "3": 4, "4": 5, "5": 5, "6": 6, "7": 7, "8": 8})

#: QDR framework id -> (country code, label prefix of its levels, EQF referencing).
FRAMEWORKS: dict[str, tuple[str, str, Referencing]] = {
    "c_009d9566": ("HUN", "HuQF", same_number),
    "c_01169e3f": (
        "IRL",
        "IE NQF",
        table({"1": 1, "2": 2, "3": 3, "4": 4, "5": 4, "6": 5, "7": 6, "8": 6, "9": 7, "10": 8}),
    ),
    "c_027221dd": ("GBR", "SCQF", none),
    "c_02d8bc18": ("ITA", "IT NQF", same_number),
    "c_0d55867f": ("BEL", "QDG", same_number),
    "c_0ea90db7": ("GRC", "HQF", same_number),
    "c_0f8ae85c": (
        "SVN",
        "SQF",
        table({"1": 1, "2": 2, "3": 3, "4": 4, "5": 4, "6": 5, "7": 6, "8": 7, "9": 8, "10": 8}),
    ),
    "c_1205be37": ("TUR", "TQF", same_number),
    "c_20b3be22": ("LUX", "CLQ", same_number),
    "c_2b5d39b2": ("MKD", "NNMQF", same_number),
    "c_2d1fde14": ("FIN", "FiNQF", same_number),
    "c_2e41fe05": ("ISL", "ISQF", none),
    "c_36ff4631": ("GBR", "CQFW", _UK),
    "c_4538e0af": ("AUT", "AT: NQF", same_number),
    "c_4e6a97ff": ("SVK", "SKKR", same_number),
    "c_54f4d62a": ("MLT", "MQF", table({str(n): n for n in range(1, 9)})),
    "c_59d0b819": ("HRV", "CROQF", same_number),
    "c_5a1e9f89": ("PRT", "QNQ", same_number),
    "c_5c66dcbc": ("NLD", "NLQF", table({str(n): n for n in range(1, 9)})),
    "c_61ba90ec": ("DNK", "DK NQF", same_number),
    "c_69e1fd15": ("SRB", "NQFS", same_number),
    "c_776b98db": ("MNE", "ME NQF", same_number),
    "c_97cf01c4": ("POL", "PQF", same_number),
    "c_a6d433f4": ("LTU", "LTQF", same_number),
    "c_ac40cadc": ("LVA", "LQF", same_number),
    "c_ae44d998": ("NOR", "NKR", same_number),
    "c_af98ac9a": ("CZE", "NSK", same_number),
    "c_afce1c3a": ("CYP", "CyQF", same_number),
    "c_bc619568": ("LIE", "NQFL", same_number),
    "c_c534839f": ("BGR", "BQF", same_number),
    "c_c8bc1cb9": (
        "FRA",
        "NQF RNCP",
        table(
            {"V": 3, "IV": 4, "III": 5, "II-Grade de Licence": 6, "I-Master": 7, "I-Doctorat": 8}
        ),
    ),
    "c_d0a601e6": ("GBR", "RQF", _UK),
    "c_d3b1f75e": ("ALB", "AQF", same_number),
    "c_d932c882": ("SWE", "SeQF", same_number),
    "c_da3760bf": ("BIH", "BH NQF", same_number),
    "c_df7373da": ("ROU", "ROQF", same_number),
    "c_e8c5bfbe": ("ESP", "MECU", same_number),
    "c_e9fb041f": ("EST", "EstQF", same_number),
    "c_ed96825f": ("BEL", "FQF", same_number),
    "c_ef113b94": ("DEU", "DQR", same_number),
    "c_f3b785c7": ("BEL", "CFC", same_number),
    "c_f4790dbf": ("1A0", "KS NQF", same_number),
    "c_fcd47fb1": ("CHE", "NQF VPET", same_number),
}

HEADER = """\
# The EU's controlled vocabularies for ELM credentials (generated: do not edit by hand).
#
# Every concept IRI and English label of the Europass learning assessment types, modes
# and learning settings, and of the QDR vocabulary of national
# qualifications frameworks ({n_frameworks} frameworks, {n_levels} levels, {n_referenced} of
# them referenced to an EQF level), as the European Learning Model publishes them in
# xsd/loq/cv/ (european-commission-empl/European-Learning-Model @
# 9d7c5d22002237c3afeb1750b7038e6fe2cdd371, EUPL-1.2). A national framework is a
# skos:ConceptScheme with its pw:country; a level has skos:notation (as its label writes
# it), pw:referencedEQFLevel where the country's EQF referencing report references it to
# an EQF level (that referencing is not in the EU's xsd; data/build_eu_vocabularies.py
# says where it comes from), and pw:levelNumber only where its number is that EQF level's.
# The pathways concepts that these map to are in vocabularies.ttl (skos:exactMatch,
# skos:closeMatch). Regenerate with: python data/build_eu_vocabularies.py

@prefix pw: <https://w3id.org/pathways/vocab#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def turtle_string(text: str) -> str:
    """Quote ``text`` as a Turtle short string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def enumerations(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """The target namespace (the scheme IRI) and (IRI, English label) of each value."""
    root = ET.parse(path).getroot()
    pairs = []
    for value in root.iter(f"{XS}enumeration"):
        doc = value.find(f"{XS}annotation/{XS}documentation")
        label = " ".join((doc.text or "").split()) if doc is not None else ""
        pairs.append((value.attrib["value"], label))
    return root.attrib["targetNamespace"], pairs


def concept(iri: str, lines: list[str]) -> str:
    body = " ;\n".join(f"    {line}" for line in lines)
    return f"<{iri}>\n{body} .\n"


def build_plain(scheme: str, label: str, pairs: list[tuple[str, str]]) -> list[str]:
    blocks = [
        concept(scheme, ["a skos:ConceptScheme", f"skos:prefLabel {turtle_string(label)}@en"])
    ]
    for iri, text in sorted(pairs):
        blocks.append(
            concept(
                iri,
                [
                    "a skos:Concept",
                    f"skos:prefLabel {turtle_string(text)}@en",
                    f"skos:inScheme <{scheme}>",
                ],
            )
        )
    return blocks


def build_qdr(scheme: str, pairs: list[tuple[str, str]]) -> tuple[list[str], int, int, int]:
    base = scheme.rsplit("/", 1)[0] + "/"
    labels = dict(pairs)
    blocks = [
        concept(
            scheme,
            ["a skos:ConceptScheme", f"skos:prefLabel {turtle_string(VOCABULARIES['nqf.xsd'])}@en"],
        )
    ]
    framework_iris = {base + key for key in FRAMEWORKS}
    missing = framework_iris - labels.keys()
    if missing:
        raise SystemExit(f"frameworks not in nqf.xsd: {sorted(missing)}")
    for key, (country, _prefix, _ref) in sorted(FRAMEWORKS.items()):
        iri = base + key
        blocks.append(
            concept(
                iri,
                [
                    "a skos:ConceptScheme , skos:Concept",
                    f"skos:prefLabel {turtle_string(labels[iri])}@en",
                    f"pw:country <{COUNTRY}{country}>",
                    f"skos:inScheme <{scheme}>",
                ],
            )
        )
    prefixes = sorted(((p, k) for k, (_, p, _) in FRAMEWORKS.items()), key=lambda t: -len(t[0]))
    n_levels = n_referenced = 0
    for iri, text in sorted(pairs):
        if iri in framework_iris:
            continue
        owner = next((k for p, k in prefixes if text.startswith(p + " ")), None)
        if owner is None:
            raise SystemExit(f"no framework for {iri} ({text})")
        rest = text[len(FRAMEWORKS[owner][1]) + 1 :]
        notation = rest.removeprefix("Level ")  # "Entry Level 3", "Entry 1-3" stay whole
        lines = [
            "a skos:Concept",
            f"skos:prefLabel {turtle_string(text)}@en",
            f"skos:notation {turtle_string(notation)}",
        ]
        eqf = FRAMEWORKS[owner][2](notation)
        if notation.isdigit() and eqf == int(notation):
            # pw:levelNumber is compared with EQF numbers: only where they coincide
            lines.append(f"pw:levelNumber {eqf}")
        if eqf is not None:
            lines.append(f"pw:referencedEQFLevel <{EQF}{eqf}>")
            n_referenced += 1
        lines += [f"skos:inScheme <{base}{owner}>", f"skos:topConceptOf <{base}{owner}>"]
        blocks.append(concept(iri, lines))
        n_levels += 1
    return blocks, len(FRAMEWORKS), n_levels, n_referenced


def build(source: Path) -> str:
    blocks: list[str] = []
    counts = (0, 0, 0)
    for name, label in VOCABULARIES.items():
        scheme, pairs = enumerations(source / name)
        if name == "nqf.xsd":
            qdr, *rest = build_qdr(scheme, pairs)
            blocks += qdr
            counts = (rest[0], rest[1], rest[2])
        else:
            blocks += build_plain(scheme, label, pairs)
    header = HEADER.format(n_frameworks=counts[0], n_levels=counts[1], n_referenced=counts[2])
    return header + "\n" + "\n".join(blocks)


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    OUTPUT.write_text(build(source), encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
