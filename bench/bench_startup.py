"""Benchmark: start-up time of the command line (issue 13).

Times ``pathways --help``, ``pathways --version`` and ``pathways info`` (on the bundled
pilot graph) as fresh processes, the median of N runs each, beside ``python -c pass``
(the interpreter's own start-up): wall time, and the CPU time (user + system) of the
child, which a busy shared machine disturbs less. Each tree is run with ``PYTHONPATH`` set to it, so
the same interpreter and installed libraries time different versions of the code:
the working tree, and with ``--before REF`` a git ref (exported by ``git archive``
into a temporary folder), for example ``main``.

Usage::

    .venv/bin/python bench/bench_startup.py --runs 15 --before main
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

COMMANDS: dict[str, list[str]] = {
    "python -c pass": ["-c", "pass"],
    "pathways --help": ["-m", "pathways", "--help"],
    "pathways --version": ["-m", "pathways", "--version"],
    "pathways info": ["-m", "pathways", "info"],
}


def median_seconds(args: list[str], tree: Path, runs: int) -> tuple[float, float]:
    """The median wall and CPU time of ``python ARGS`` run ``runs`` times in ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, *args], cwd=tree, env=env, stdout=subprocess.DEVNULL, check=True
        )
        wall.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(wall), statistics.median(cpu)


def export_ref(ref: str, into: Path) -> Path:
    """The files of git ref ``ref`` written under ``into`` (no checkout, no stash)."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", ref],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="runs per command (median)")
    parser.add_argument("--before", metavar="REF", help="also time this git ref (e.g. main)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trees = {}
        if args.before:
            trees[f"before ({args.before})"] = export_ref(args.before, Path(tmp))
        trees["after (working tree)"] = REPO
        columns = {
            name: {cmd: median_seconds(a, tree, args.runs) for cmd, a in COMMANDS.items()}
            for name, tree in trees.items()
        }
    width = max(len(c) for c in COMMANDS)
    print(f"median of {args.runs} runs, seconds, wall / CPU ({sys.executable})")
    print(f"{'command':<{width}}  " + "  ".join(f"{n:>22}" for n in columns))
    for cmd in COMMANDS:
        cells = (f"{col[cmd][0]:.3f} / {col[cmd][1]:.3f}" for col in columns.values())
        print(f"{cmd:<{width}}  " + "  ".join(f"{c:>22}" for c in cells))


if __name__ == "__main__":
    main()
