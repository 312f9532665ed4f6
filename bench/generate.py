"""Generate synthetic micro-credential catalogues of any size, for benchmarks.

Each micro-credential has about 50 triples, like the catalogues measured in
``shared/docs/performance.md``: title, identifier, country, awarding body, provider,
EQF and NQF level, workload and credit, an assessment, 3-6 learning outcomes aligned to
skills, a fee, 0-3 prerequisites among earlier credentials (so the prerequisite graph is
acyclic), and every 8 credentials stack into a qualification with an N-of-M condition.
A few per cent carry the defects the validators must find (no assessment, no level,
attendance-only assessment). The output is deterministic for a seed.

Usage::

    python bench/generate.py 10000 > /tmp/catalogue-10k.ttl
    python bench/generate.py 1000 --seed 7 -o /tmp/catalogue-1k.ttl
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

HEADER = """@prefix pw: <https://w3id.org/pathways/vocab#> .
@prefix gen: <https://w3id.org/pathways/generated/> .
@prefix eqf: <http://data.europa.eu/snb/eqf/> .
@prefix qdr: <http://data.europa.eu/snb/qdr/> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .
@prefix esco: <http://data.europa.eu/esco/skill/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

"""

# Spanish, Portuguese and Finnish NQF level IRIs for EQF 2-5 (from ontology/levels.ttl).
NQF = {
    "ESP": {2: "c_a358d163", 3: "c_d81640d2", 4: "c_9f9cd022", 5: "c_cdd36a4b"},
    "PRT": {2: "c_fd9234c1", 3: "c_5c91e0ca", 4: "c_7d534b92", 5: "c_d2b47671"},
    "FIN": {2: "c_c660dbf8", 3: "c_63c1f703", 4: "c_cbf250da", 5: "c_fd8ce5f6"},
}
LANGUAGES = {"ESP": "es", "PRT": "pt", "FIN": "fi"}
ECTS = "<http://data.europa.eu/snb/education-credit/6fcec5c5af>"
TOPICS = [
    "EV battery diagnosis",
    "high-voltage safety",
    "ADAS camera calibration",
    "CAN bus diagnostics",
    "thermal management",
    "charging infrastructure",
    "hybrid drivetrains",
    "brake-by-wire systems",
]


def catalogue(n: int, seed: int = 42, *, defects: float = 0.03) -> Iterator[str]:
    """Yield Turtle text for a catalogue of ``n`` micro-credentials (and n/8 qualifications)."""
    rng = random.Random(seed)
    yield HEADER
    orgs = max(4, n // 200)
    for o in range(orgs):
        country = ("ESP", "PRT", "FIN")[o % 3]
        yield (
            f"gen:org{o} a pw:Provider, pw:AwardingBody ;\n"
            f'    pw:name "Provider {o}"@en ;\n'
            f"    pw:country country:{country} .\n\n"
        )
    skills = max(50, n // 4)
    for i in range(n):
        country = ("ESP", "PRT", "FIN")[i % 3]
        level = 2 + (i * 7 % 4)
        org = rng.randrange(orgs)
        hours = rng.choice((25, 50, 75, 100, 150))
        kind = rng.random()
        lines = [
            f"gen:mc{i} a pw:MicroCredential ;",
            f'    pw:title "{TOPICS[i % len(TOPICS)]} {i}"@en ;',
            f'    pw:identifier "MC-{i:06d}" ;',
            f"    pw:country country:{country} ;",
            f"    pw:awardingBody gen:org{org} ;",
            f"    pw:provider gen:org{org} ;",
            f'    pw:language "{LANGUAGES[country]}"^^xsd:language ;',
            f'    pw:notionalHours "{hours}"^^xsd:decimal ;',
            f'    pw:credit [ a pw:CreditValue ; pw:creditAmount "{hours / 25:.1f}"^^xsd:decimal ;'
            f" pw:creditUnit {ECTS} ] ;",
            f'    pw:fee [ a pw:MonetaryAmount ; pw:amount "{hours * rng.randint(8, 20)}.00"'
            '^^xsd:decimal ; pw:currency "EUR" ] ;',
            "    pw:participationForm pw:Blended ;",
            f"    pw:qualityAssurance gen:qa{org} ;",
        ]
        if not (kind < defects):
            lines.append(f"    pw:eqfLevel eqf:{level} ;")
            lines.append(f"    pw:nqfLevel qdr:{NQF[country][level]} ;")
        outcomes = rng.randint(3, 6)
        for k in range(outcomes):
            lines.append(f"    pw:learningOutcome gen:mc{i}-lo{k} ;")
        if i > 10:
            for p in rng.sample(range(max(0, i - 200), i), rng.choice((0, 0, 1, 1, 2, 3))):
                lines.append(f"    pw:prerequisite gen:mc{p} ;")
        if not (defects <= kind < 2 * defects):
            lines.append(f"    pw:assessment gen:mc{i}-as ;")
        lines.append('    pw:issued "2025-09-01"^^xsd:date .')
        yield "\n".join(lines) + "\n\n"
        for k in range(outcomes):
            yield (
                f"gen:mc{i}-lo{k} a pw:LearningOutcome ;\n"
                f'    pw:description "Outcome {k} of credential {i}"@en ;\n'
                f"    pw:alignedSkill esco:gen-{rng.randrange(skills)} .\n\n"
            )
        if not (defects <= kind < 2 * defects):
            atype = "pw:AttendanceOnly" if 2 * defects <= kind < 3 * defects else "pw:WrittenExam"
            yield (
                f"gen:mc{i}-as a pw:Assessment ;\n"
                f"    pw:assessmentType {atype} ;\n"
                f"    pw:assessesOutcome gen:mc{i}-lo0 ;\n"
                "    pw:supervision pw:SupervisedOnsiteIdentityVerified ;\n"
                "    pw:isQualityAssured true .\n\n"
            )
        if i % 8 == 7:
            q = i // 8
            members = " , ".join(f"gen:mc{j}" for j in range(i - 7, i + 1))
            yield (
                f"gen:q{q} a pw:Qualification ;\n"
                f'    pw:title "Qualification {q}"@en ;\n'
                f"    pw:country country:{country} ;\n"
                f"    pw:eqfLevel eqf:{min(level + 1, 5)} ;\n"
                f"    pw:awardingBody gen:org{org} ;\n"
                f"    pw:recognisedBy gen:org{org} ;\n"
                f"    pw:hasCondition gen:q{q}-c .\n\n"
                f"gen:q{q}-c a pw:ComponentCondition ;\n"
                f"    pw:requiredNumber {rng.randint(4, 8)} ;\n"
                f"    pw:targetComponent {members} .\n\n"
            )
    for o in range(orgs):
        yield (
            f"gen:qa{o} a pw:QualityAssurance ;\n"
            "    pw:qualityAssuranceType pw:ExternalAccreditation ;\n"
            f"    pw:qualityAssuredBy gen:org{(o + 1) % orgs} .\n\n"
        )


def write_catalogue(n: int, path: Path, seed: int = 42) -> Path:
    """Write a catalogue of ``n`` micro-credentials to ``path`` and return it."""
    with path.open("w", encoding="utf-8") as out:
        for chunk in catalogue(n, seed):
            out.write(chunk)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of micro-credentials")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args(argv)
    if args.output:
        write_catalogue(args.n, args.output, args.seed)
    else:
        for chunk in catalogue(args.n, args.seed):
            sys.stdout.write(chunk)


if __name__ == "__main__":
    main()
