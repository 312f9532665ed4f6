"""Benchmark: a bounded load test of ``pathways serve`` on loopback (issue 14).

Generates a catalogue (``bench/generate.py``), loads it into a store in a temporary
folder (``pathways load --store``), starts ``pathways serve --store`` on 127.0.0.1 and
times its first answer (ready). Then ``--clients`` threads send a mix of requests for
``--seconds``: the search page, search JSON with a facet, a random credential's page,
``/api/route`` to a credential with prerequisites and ``/sparql`` with three fixed
SELECT queries. Each endpoint's p50, p95, count and errors (non-2xx answers or
exceptions) are printed, with the server's resident memory sampled every second.

Then the SPARQL queries alone are sent, with the same clients for the same time, to
pathways and to ``oxigraph serve-read-only`` (PyPI ``oxigraph``) holding the same
triples (the store's default graph, data and ontology, dumped as N-Triples), and the
ratio pathways / oxigraph of p50 and p95 is printed. Every server is on 127.0.0.1,
every process is killed at the end, and an overall deadline (``--deadline``) stops
the run whatever happens.

Usage::

    .venv/bin/python bench/bench_serve.py --credentials 10000 --seconds 60
    .venv/bin/python bench/bench_serve.py --credentials 1000 --seconds 10 --clients 2
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import httpx

from pathways.vocab import PREFIXES

HERE = Path(__file__).resolve().parent
GEN = "https://w3id.org/pathways/generated/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
WORDS = ("battery", "high-voltage", "calibration", "diagnostics", "thermal", "charging")
#: A third fixed query beside the two in examples/: the prerequisite pairs per EQF level.
PREREQUISITES_BY_LEVEL = """# Prerequisite pairs per EQF level of the credential that needs them.
SELECT ?level (COUNT(*) AS ?pairs)
WHERE {
    ?c a pw:MicroCredential ;
        pw:prerequisite ?before ;
        pw:eqfLevel ?level .
}
GROUP BY ?level
ORDER BY ?level
"""
SPARQL_JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Summary:
    """Latency figures of one endpoint (milliseconds)."""

    name: str
    count: int
    errors: int
    p50: float
    p95: float


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q`` quantile (0 <= q <= 1) of ``values``; 0.0 when empty.

    >>> percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5), percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.95)
    (3.0, 5.0)
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summarize(name: str, latencies_ms: Sequence[float], errors: int) -> Summary:
    """p50 and p95 of the answered requests' latencies; ``errors`` is counted apart."""
    return Summary(
        name,
        len(latencies_ms),
        errors,
        percentile(latencies_ms, 0.5),
        percentile(latencies_ms, 0.95),
    )


def with_prefixes(query: str) -> str:
    """``query`` with a PREFIX line for each default prefix it uses (oxigraph has none)."""
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if f"{p}:" in query]
    return "\n".join([*lines, query])


def sparql_queries() -> list[tuple[str, str]]:
    """The three fixed SELECT queries: examples/*.rq and one of this file's."""
    files = sorted((HERE.parent / "examples").glob("*.rq"))
    named = [(f.stem, f.read_text(encoding="utf-8")) for f in files]
    named.append(("prerequisites-by-level", PREREQUISITES_BY_LEVEL))
    return [(name, with_prefixes(text)) for name, text in named[:3]]


class Recorder:
    """Latencies and errors per endpoint, from many threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.examples: dict[str, str] = {}

    def record(self, name: str, ms: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.latencies.setdefault(name, [])
            self.errors.setdefault(name, 0)
            if ok:
                self.latencies[name].append(ms)
            else:
                self.errors[name] += 1
                self.examples.setdefault(name, detail)

    def summaries(self) -> list[Summary]:
        with self.lock:
            return [summarize(n, v, self.errors[n]) for n, v in sorted(self.latencies.items())]


#: A request: endpoint name, path, query parameters, headers.
Request = tuple[str, str, dict[str, str], dict[str, str]]


def run_clients(
    base: str, clients: int, seconds: float, pick: Callable[[random.Random], Request]
) -> Recorder:
    """``clients`` threads sending ``pick``'s requests to ``base`` for ``seconds``."""
    recorder = Recorder()
    stop = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=30.0) as http:
            while time.monotonic() < stop:
                name, path, params, headers = pick(rng)
                started = time.perf_counter()
                try:
                    response = http.get(path, params=params, headers=headers)
                    ms = (time.perf_counter() - started) * 1000
                    ok = 200 <= response.status_code < 300
                    recorder.record(name, ms, ok, f"{response.status_code} {response.text[:200]}")
                except httpx.HTTPError as err:
                    recorder.record(name, 0.0, False, repr(err))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    return recorder


def rss_kib(pid: int) -> int | None:
    """Resident memory of process ``pid`` in KiB (psutil when installed, else /proc)."""
    try:
        import psutil  # type: ignore[import-untyped]

        return int(psutil.Process(pid).memory_info().rss // 1024)
    except ImportError:
        pass
    except Exception:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


@contextlib.contextmanager
def memory_sampler(pid: int, every: float = 1.0) -> Iterator[list[tuple[float, int]]]:
    """Samples (seconds since start, RSS KiB) of ``pid`` every ``every`` seconds."""
    samples: list[tuple[float, int]] = []
    done = threading.Event()
    start = time.monotonic()

    def sample() -> None:
        while not done.is_set():
            kib = rss_kib(pid)
            if kib is not None:
                samples.append((time.monotonic() - start, kib))
            done.wait(every)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield samples
    finally:
        done.set()
        thread.join(5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_warm(base: str, process: subprocess.Popen[bytes], timeout: float) -> float:
    """Seconds from now until ``/api/status`` says every slow fact is computed."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} while warming")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(base + "/api/status", timeout=5.0).json().get("warm"):
                return time.perf_counter() - started
        time.sleep(0.1)
    raise TimeoutError(f"the server was not warm within {timeout} s")


def print_upload(base: str, file: Path, credentials: int) -> None:
    """Validate an uploaded 1k-credential file (POST /api/validate) three times, and
    the same file with ``pathways validate FILE`` in-process (the plain library call)."""
    from pathways.rdf.store import KnowledgeGraph
    from pathways.validation import shapes_for, validate

    data = file.read_bytes()
    times = []
    for _ in range(3):
        started = time.perf_counter()
        response = httpx.post(
            base + "/api/validate", files={"file": (file.name, data)}, timeout=120.0
        )
        times.append(time.perf_counter() - started)
        response.raise_for_status()
    results = len(response.json().get("results", []))
    started = time.perf_counter()
    with KnowledgeGraph.open() as kg:
        kg.load([file])
        report = validate(kg, shapes_for((), default_core=True))
    library = time.perf_counter() - started
    print(
        f"validating an uploaded 1,000-credential file ({len(data) / 1e6:.1f} MB, "
        f"{results:,} results) while serving {credentials:,}: best {min(times):.2f} s, "
        f"worst {max(times):.2f} s; the library alone (load + validate, "
        f"{len(report.results):,} results): {library:.2f} s"
    )


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float) -> float:
    """Seconds from now until ``url`` answers 200 (the process was just started)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering")
        try:
            if httpx.get(url, timeout=5.0).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def print_table(title: str, summaries: Sequence[Summary]) -> None:
    print(f"\n{title}")
    print(f"{'endpoint':34} {'count':>7} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for s in summaries:
        print(f"{s.name:34} {s.count:7d} {s.errors:6d} {s.p50:8.1f} {s.p95:8.1f}")


def print_memory(samples: Sequence[tuple[float, int]]) -> None:
    if not samples:
        print("server memory: no samples")
        return
    mib = [kib / 1024 for _, kib in samples]
    series = ", ".join(
        f"{t:.0f}s {kib / 1024:.0f}" for t, kib in samples[:: max(1, len(samples) // 12)]
    )
    print(
        f"server RSS MiB: start {mib[0]:.0f}, max {max(mib):.0f}, end {mib[-1]:.0f} "
        f"({len(samples)} samples; {series})"
    )


def mixed_picker(
    credentials: Sequence[str], goals: Sequence[str], queries: Sequence[tuple[str, str]]
) -> Callable[[random.Random], Request]:
    """Requests of the mixed load: pages, API and SPARQL, equally often."""

    def pick(rng: random.Random) -> Request:
        kind = rng.randrange(5)
        if kind == 0:
            return ("GET /search?q=", "/search", {"q": rng.choice(WORDS)}, {})
        if kind == 1:
            facet = {"q": rng.choice(WORDS), "country": COUNTRY + rng.choice(("ESP", "PRT", "FIN"))}
            return ("GET /search.json (facet)", "/search.json", facet, {})
        if kind == 2:
            return ("GET /credential?iri=", "/credential", {"iri": rng.choice(credentials)}, {})
        if kind == 3:
            return ("GET /api/route?to=", "/api/route", {"to": rng.choice(goals)}, {})
        name, query = rng.choice(queries)
        return (f"GET /sparql {name}", "/sparql", {"query": query}, {"Accept": SPARQL_JSON})

    return pick


def sparql_picker(
    path: str, queries: Sequence[tuple[str, str]]
) -> Callable[[random.Random], Request]:
    def pick(rng: random.Random) -> Request:
        name, query = rng.choice(queries)
        return (name, path, {"query": query}, {"Accept": SPARQL_JSON})

    return pick


def goals_with_prerequisites(base: str) -> list[str]:
    query = with_prefixes("SELECT DISTINCT ?c WHERE { ?c pw:prerequisite ?p } LIMIT 500")
    answer = httpx.get(
        base + "/sparql", params={"query": query}, headers={"Accept": SPARQL_JSON}, timeout=60
    )
    answer.raise_for_status()
    return [b["c"]["value"] for b in answer.json()["results"]["bindings"]]


def answers(base: str, path: str, queries: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """Each query's bindings, each as canonical JSON, sorted (the two servers must give
    the same terms, not only the same number of rows; blank nodes would differ by label,
    and these queries bind none)."""
    found = {}
    for name, query in queries:
        answer = httpx.get(
            base + path, params={"query": query}, headers={"Accept": SPARQL_JSON}, timeout=60
        )
        answer.raise_for_status()
        bindings = answer.json()["results"]["bindings"]
        found[name] = sorted(json.dumps(b, sort_keys=True) for b in bindings)
    return found


def dump_store(store: Path, target: Path) -> int:
    """Write the pathways store's default graph (data and ontology) as N-Triples."""
    import pyoxigraph as ox

    from pathways.rdf.store import KnowledgeGraph

    with KnowledgeGraph.open(store, read_only=True) as kg:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in kg.quads()]
    ox.serialize(triples, str(target), ox.RdfFormat.N_TRIPLES)
    return len(triples)


def _on_deadline(signum: int, frame: FrameType | None) -> None:
    raise TimeoutError("overall deadline reached: stopping")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--credentials", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=60.0, help="Length of each load phase.")
    parser.add_argument("--clients", type=int, default=4, help="Concurrent client threads.")
    parser.add_argument("--deadline", type=int, default=0, help="Overall limit (s); 0: derived.")
    parser.add_argument("--no-oxigraph", action="store_true", help="Skip the SPARQL comparison.")
    args = parser.parse_args()
    deadline = args.deadline or int(3 * args.seconds + 600)
    signal.signal(signal.SIGALRM, _on_deadline)
    signal.alarm(deadline)
    bindir = Path(sys.executable).parent
    oxigraph = shutil.which("oxigraph", path=str(bindir)) or shutil.which("oxigraph")
    workdir = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    processes: list[subprocess.Popen[bytes]] = []
    try:
        data = workdir / "catalogue.ttl"
        py = sys.executable
        subprocess.run(
            [py, str(HERE / "generate.py"), str(args.credentials), "-o", str(data)], check=True
        )
        started = time.perf_counter()
        store = workdir / "store"
        subprocess.run(
            [py, "-m", "pathways", "load", str(data), "--store", str(store)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(
            f"{args.credentials:,} credentials; "
            f"pathways load: {time.perf_counter() - started:.1f} s"
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        serve = [py, "-m", "pathways", "serve", "--store", str(store), "--port", str(port)]
        log = (workdir / "serve.log").open("wb")
        server = subprocess.Popen(serve, stdout=log, stderr=subprocess.STDOUT)
        processes.append(server)
        ready = wait_ready(base + "/search", server, 120)
        print(f"pathways serve ready (first answer of /search): {ready:.2f} s")
        warm = wait_warm(base, server, 300) + ready
        print(f"pathways serve warm (/api/status: validation and every facet): {warm:.2f} s")
        upload = workdir / "upload-1k.ttl"
        subprocess.run(
            [py, str(HERE / "generate.py"), "1000", "--seed", "7", "-o", str(upload)], check=True
        )
        print_upload(base, upload, args.credentials)
        credentials = [f"{GEN}mc{i}" for i in range(args.credentials)]
        goals = goals_with_prerequisites(base)
        queries = sparql_queries()
        our_answers = answers(base, "/sparql", queries)
        print(
            f"{args.clients} clients, {args.seconds:.0f} s a phase; "
            f"SPARQL: {[n for n, _ in queries]}"
        )
        with memory_sampler(server.pid) as samples:
            mixed = run_clients(
                base, args.clients, args.seconds, mixed_picker(credentials, goals, queries)
            )
        print_table("mixed load on pathways serve", mixed.summaries())
        print_memory(samples)
        for name, detail in mixed.examples.items():
            print(f"  first error of {name}: {detail}")
        ours = run_clients(base, args.clients, args.seconds, sparql_picker("/sparql", queries))
        print_table("SPARQL only, pathways serve", ours.summaries())
        stop(server)
        if args.no_oxigraph or oxigraph is None:
            print(
                "\noxigraph comparison skipped" + ("" if args.no_oxigraph else ": no oxigraph CLI")
            )
            return
        location = workdir / "oxigraph"
        dumped = workdir / "store.nt"
        print(f"\n{dump_store(store, dumped):,} triples of the store written as N-Triples")
        started = time.perf_counter()
        subprocess.run(
            [oxigraph, "load", "--location", str(location), "--file", str(dumped)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        print(f"oxigraph load: {time.perf_counter() - started:.1f} s")
        port = free_port()
        obase = f"http://127.0.0.1:{port}"
        ox = subprocess.Popen(
            [
                oxigraph,
                "serve-read-only",
                "--location",
                str(location),
                "--bind",
                f"127.0.0.1:{port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(ox)
        ready = wait_ready(obase + "/query?query=ASK%7B%7D", ox, 60)
        print(f"oxigraph serve-read-only ready: {ready:.2f} s")
        their_answers = answers(obase, "/query", queries)
        same = "the same terms" if their_answers == our_answers else "DIFFERENT"
        rows = {name: len(bindings) for name, bindings in our_answers.items()}
        print(f"answers, pathways and oxigraph, rows {rows}: {same}")
        theirs = run_clients(obase, args.clients, args.seconds, sparql_picker("/query", queries))
        print_table("SPARQL only, oxigraph serve-read-only", theirs.summaries())
        for name, detail in theirs.examples.items():
            print(f"  first error of {name}: {detail}")
        print(f"\n{'query':34} {'p50 ratio':>10} {'p95 ratio':>10}  (pathways / oxigraph)")
        other = {s.name: s for s in theirs.summaries()}
        for s in ours.summaries():
            o = other.get(s.name)
            if o and o.p50 and o.p95:
                print(f"{s.name:34} {s.p50 / o.p50:10.2f} {s.p95 / o.p95:10.2f}")
    finally:
        signal.alarm(0)
        for process in processes:
            stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
