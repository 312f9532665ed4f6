"""Benchmark: importing ESCO CSVs with pathways vs a plain rdflib Graph.add per triple.

Both read the same CSV rows (streamed with :mod:`csv`, gzip or plain) and build the same
kinds of triples (type, preferred label, ISCO group, essential/optional relation);
pathways builds Oxigraph terms and writes sorted Turtle through Oxigraph, the plain
approach calls ``Graph.add`` per triple and ``Graph.serialize``. Sizes grow by taking
the first N relation rows (and every occupation and skill they name).

Run: ``.venv/bin/python bench/bench_import.py [ESCO_DIR]`` (default ../shared/external/esco).
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
import tempfile
import time
from pathlib import Path

from rdflib import RDF, SKOS, Graph, Literal, URIRef

from pathways.interop import import_esco
from pathways.interop.writing import serialize
from pathways.vocab import PW


def _open(path: Path) -> io.TextIOBase:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return io.StringIO(data.decode("utf-8-sig"), newline="")


def _subset(esco: Path, relations: int, folder: Path) -> list[Path]:
    """Write the first ``relations`` relation rows and the occupations/skills they name."""
    rows = list(csv.DictReader(_open(esco / "occupationSkillRelations.csv.gz")))[:relations]
    occupations = {r["occupationUri"] for r in rows}
    skills = {r["skillUri"] for r in rows}
    written = []
    for name, key, keep in (
        ("occupations_en.csv", "conceptUri", occupations),
        ("skills_en.csv.gz", "conceptUri", skills),
        ("occupationSkillRelations.csv.gz", None, None),
    ):
        reader = csv.DictReader(_open(esco / name))
        target = folder / name.removesuffix(".gz")
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=reader.fieldnames or [])
            writer.writeheader()
            source = rows if key is None else (r for r in reader if r[key] in keep)  # type: ignore[operator]
            writer.writerows(source)
        written.append(target)
    return written


def plain_rdflib(files: list[Path]) -> int:
    """The same mapping with rdflib Graph.add per triple and Graph.serialize."""
    graph = Graph()
    for path in files:
        reader = csv.DictReader(_open(path))
        for row in reader:
            if "occupationUri" in row:
                prop = PW.essentialSkill if row["relationType"] == "essential" else PW.optionalSkill
                graph.add((URIRef(row["occupationUri"]), prop, URIRef(row["skillUri"])))
                graph.add((URIRef(row["skillUri"]), RDF.type, PW.Skill))
            elif "iscoGroup" in row:
                node = URIRef(row["conceptUri"])
                graph.add((node, RDF.type, PW.Occupation))
                graph.add((node, SKOS.prefLabel, Literal(row["preferredLabel"], lang="en")))
                graph.add((node, PW.iscoGroup, Literal(row["iscoGroup"])))
            else:
                node = URIRef(row["conceptUri"])
                graph.add((node, RDF.type, PW.Skill))
                graph.add((node, SKOS.prefLabel, Literal(row["preferredLabel"], lang="en")))
    graph.serialize(format="turtle")
    return len(graph)


def main() -> None:
    esco = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / "shared" / "external" / "esco"
    )
    print(f"{'relations':>10} {'pathways s':>11} {'triples':>9} {'rdflib s':>9} {'triples':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (10_000, 40_000, None):
            if size is None:
                files = [esco / "occupations_en.csv", esco / "skills_en.csv.gz",
                         esco / "occupationSkillRelations.csv.gz"]  # fmt: skip
            else:
                folder = Path(tmp) / str(size)
                folder.mkdir()
                files = _subset(esco, size, folder)
            started = time.perf_counter()
            result = import_esco(files)
            serialize(result.graph, "turtle")
            ours = time.perf_counter() - started
            started = time.perf_counter()
            theirs_triples = plain_rdflib(files)
            theirs = time.perf_counter() - started
            label = "all" if size is None else str(size)
            ours_triples = len(result.graph)
            print(f"{label:>10} {ours:>11.1f} {ours_triples:>9} {theirs:>9.1f} {theirs_triples:>9}")


if __name__ == "__main__":
    main()
