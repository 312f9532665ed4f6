"""The load test's figures (bench/bench_serve.py): nearest-rank percentiles and the
per-endpoint summary, on fixed numbers (no server is started, nothing is timed)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.constants import REPO


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_serve", REPO / "bench" / "bench_serve.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_serve"] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


def test_percentiles_are_nearest_rank() -> None:
    bench = _bench()
    values = [float(v) for v in range(1, 21)]  # 1..20, shuffled below
    values = values[10:] + values[:10]
    assert bench.percentile(values, 0.5) == 11.0  # rank round(0.5 * 19) = 10 of 0..19
    assert bench.percentile(values, 0.95) == 19.0  # rank round(0.95 * 19) = 18
    assert bench.percentile([], 0.95) == 0.0


def test_summary_counts_answers_and_errors_apart() -> None:
    bench = _bench()
    s = bench.summarize("GET /search", [30.0, 10.0, 20.0, 40.0, 500.0], 2)
    assert (s.name, s.count, s.errors, s.p50, s.p95) == ("GET /search", 5, 2, 30.0, 500.0)


def test_recorder_keeps_the_first_error_of_each_endpoint() -> None:
    bench = _bench()
    recorder = bench.Recorder()
    recorder.record("a", 5.0, True)
    recorder.record("a", 0.0, False, "500 first")
    recorder.record("a", 0.0, False, "500 second")
    recorder.record("b", 7.0, True)
    assert [(s.name, s.count, s.errors) for s in recorder.summaries()] == [("a", 1, 2), ("b", 1, 0)]
    assert recorder.examples == {"a": "500 first"}


def test_sparql_queries_declare_the_prefixes_they_use() -> None:
    queries = _bench().sparql_queries()
    assert len(queries) == 3
    assert all("PREFIX pw: <https://w3id.org/pathways/vocab#>" in q for _, q in queries)
