"""Hostile input for the fuzz tests: mutations of real files and generated extremes.

Strategies return bytes (or ``(suffix, bytes)``); :func:`run_cli` runs one command
in-process and checks the contract of README "Exit codes" and
:data:`pathways.errors.EXIT_CODES`: exit 0, 1 or 2, never an escaped exception,
never a traceback, and an exit-2 message that names the offending file.

Settings profiles (``HYPOTHESIS_PROFILE``): ``ci`` (the default, a few examples per
property so the module runs in well under a minute on two cores) and ``thorough``
(many more, for a longer run before a release).
"""

from __future__ import annotations

import os
import resource
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from pathways.cli import main
from tests.constants import EXTERNAL, REPO

__all__ = [
    "FUZZ",
    "extreme_rdf",
    "mutated",
    "run_cli",
    "seeds",
]

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=20_000,  # ms per example: a parse that hangs or goes quadratic fails here
    derandomize=True,  # the same cases on every run, so CI is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
settings.register_profile(
    "thorough",
    max_examples=300,
    deadline=30_000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: The settings every fuzz property uses.
FUZZ = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
if os.environ.get("HYPOTHESIS_PROFILE") not in (None, "ci", "thorough"):
    FUZZ = settings.get_profile("ci")

#: Extra address space a fuzz case may take (the memory bound): well above what any
#: case needs (the pilot graph and pyshacl take a few hundred MiB).
MEMORY_HEADROOM = 2 << 30

_SMALL = 300_000  # seed files larger than this are left to the thorough profile


def seeds(*patterns: str, root: Path = REPO) -> list[Path]:
    """Files matching ``patterns`` under ``root`` (sorted), small ones unless thorough."""
    found = sorted({p for pattern in patterns for p in root.glob(pattern) if p.is_file()})
    if os.environ.get("HYPOTHESIS_PROFILE") != "thorough":
        found = [p for p in found if p.stat().st_size <= _SMALL]
    return found


def external(*patterns: str) -> list[Path]:
    """Seed files from the shared external reference data (empty when it is absent)."""
    return seeds(*patterns, root=EXTERNAL) if EXTERNAL.is_dir() else []


RDF_SEEDS = [
    *seeds("data/*.ttl", "examples/*.ttl", "tests/fixtures/kg/small.*"),
    *external("ctdl/*.ttl", "elm/*.ttl", "elm/*.jsonld", "ctdl/*.jsonld"),
]

# -- mutations ----------------------------------------------------------------------

#: Byte strings that break text decoders and parsers in different ways.
POISON = [
    b"\x00",  # NUL
    b"\xff",  # never valid UTF-8
    b"\xc3\x28",  # invalid continuation byte
    b"\xed\xa0\x80",  # an encoded UTF-16 surrogate
    b"\xef\xbb\xbf",  # a UTF-8 byte-order mark, in the middle
    b"\xff\xfe",  # a UTF-16 byte-order mark
    b"\r",  # a bare carriage return
    b"\\u0000",  # an escaped NUL
    b"\\uD800",  # an escaped lone surrogate
    b'"',  # an unbalanced quote
    b"<",
    b"{",
    b"[",
    b"(",
    b"9" * 5000,  # a number too long for int() (4,300 digits)
]


@st.composite
def _mutation(draw: st.DrawFn, data: bytes) -> bytes:
    size = len(data)
    at = draw(st.integers(0, size))
    kind = draw(
        st.sampled_from(["flip", "truncate", "insert", "duplicate", "delete", "utf16", "bom"])
    )
    if kind == "flip" and size:
        at = min(at, size - 1)
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    if kind == "truncate":
        return data[:at]
    if kind == "insert":
        poison = draw(st.sampled_from(POISON) | st.binary(min_size=1, max_size=16))
        return data[:at] + poison + data[at:]
    if kind == "duplicate":
        end = draw(st.integers(at, min(size, at + 400)))
        return data[:at] + data[at:end] * draw(st.integers(2, 50)) + data[at:]
    if kind == "delete":
        end = draw(st.integers(at, min(size, at + 400)))
        return data[:at] + data[end:]
    if kind == "utf16":
        return data.decode("utf-8", errors="replace").encode("utf-16")
    return b"\xef\xbb\xbf" + data


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` after one to three random mutations."""
    for _ in range(draw(st.integers(1, 3))):
        data = draw(_mutation(data))
    return data


# -- generated extremes --------------------------------------------------------------

DEPTHS = st.sampled_from([99, 100, 101, 1000, 5000]) | st.integers(1, 300)
_E = "@prefix e: <http://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
_RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

#: Lexical forms outside every implementation's range, for typed literals.
EXTREME_VALUES = [
    ("integer", "9" * 5000),
    ("integer", "-" + "9" * 100_000),
    ("decimal", "1" * 3000 + "." + "1" * 3000),
    ("double", "1e99999"),
    ("double", "NaN"),
    ("date", "99999999999-01-01"),
    ("date", "2024-13-45"),
    ("dateTime", "-999999999-12-31T24:00:00Z"),
    ("gYear", "+99999999999999999999"),
    ("duration", "P99999999999999999999Y"),
    ("boolean", "maybe"),
    ("integer", ""),
]


def _nested_jsonld(depth: int, arrays: bool) -> bytes:
    head = '{"@context": {"p": "http://example.org/p"}, "@id": "http://example.org/0", "p": '
    opening = ('[{"p": ' if arrays else '{"p": ') * depth
    closing = ("}]" if arrays else "}") * depth
    return (head + opening + '"x"' + closing + "}").encode()


def _nested_turtle(depth: int, collection: bool) -> bytes:
    opening, closing = ("( ", " )") if collection else ("[ e:p ", " ]")
    return (_E + "e:a e:p " + opening * depth + "1" + closing * depth + " .\n").encode()


def _nested_rdfxml(depth: int) -> bytes:
    return (
        '<?xml version="1.0"?>\n'
        f'<rdf:RDF xmlns:rdf="{_RDF_NS}" xmlns:e="http://example.org/">'
        + "<rdf:Description><e:p>" * depth
        + "x"
        + "</e:p></rdf:Description>" * depth
        + "</rdf:RDF>\n"
    ).encode()


def _cyclic_list() -> bytes:
    return (
        _E + f"@prefix rdf: <{_RDF_NS}> .\n"
        "e:l rdf:first 1 ; rdf:rest e:m .\ne:m rdf:first 2 ; rdf:rest e:l .\ne:a e:p e:l .\n"
    ).encode()


@st.composite
def extreme_rdf(draw: st.DrawFn) -> tuple[str, bytes]:
    """A generated extreme RDF document and the suffix it is saved with."""
    kind = draw(
        st.sampled_from(
            ["jsonld", "turtle", "rdfxml", "literal", "long", "cyclic", "empty", "wrong"]
        )
    )
    if kind == "jsonld":
        return ".jsonld", _nested_jsonld(draw(DEPTHS), draw(st.booleans()))
    if kind == "turtle":
        return ".ttl", _nested_turtle(draw(DEPTHS), draw(st.booleans()))
    if kind == "rdfxml":
        return ".rdf", _nested_rdfxml(draw(DEPTHS))
    if kind == "literal":
        datatype, value = draw(st.sampled_from(EXTREME_VALUES))
        return ".ttl", (_E + f'e:a e:p "{value}"^^xsd:{datatype} .\n').encode()
    if kind == "long":
        length = draw(st.sampled_from([1 << 16, 1 << 20]) | st.integers(0, 5000))
        return ".nt", f'<http://example.org/a> <http://example.org/p> "{"x" * length}" .\n'.encode()
    if kind == "cyclic":
        return ".ttl", _cyclic_list()
    if kind == "empty":
        return draw(st.sampled_from([".ttl", ".nt", ".jsonld", ".rdf", ".trig"])), draw(
            st.sampled_from([b"", b"   \n", b"\xef\xbb\xbf", b"\x00"])
        )
    # content of one syntax under the suffix of another
    content = draw(
        st.sampled_from(
            [_nested_jsonld(2, False), _nested_turtle(2, False), _nested_rdfxml(2), _cyclic_list()]
        )
    )
    return draw(st.sampled_from([".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"])), content


# -- running the command line --------------------------------------------------------


@contextmanager
def _bounded_memory() -> Iterator[None]:
    """Cap the address space at what the process holds now plus MEMORY_HEADROOM."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    in_use = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    cap = in_use + MEMORY_HEADROOM
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def run_cli(args: Sequence[str], named: Path | Sequence[Path] | None = None) -> Result:
    """Run ``pathways ARGS`` in-process and check the hostile-input contract.

    Exit 0, 1 or 2; nothing but ``SystemExit`` escapes; no traceback on stderr; on
    exit 2 the message names ``named`` (the file under test; for a command reading
    several files, one of them, as a defect in one may surface in another).
    """
    with _bounded_memory():
        result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    escaped = result.exception
    if escaped is not None and not isinstance(escaped, SystemExit):
        trace = "".join(traceback.format_exception(escaped))
        raise AssertionError(f"pathways {' '.join(args)} raised:\n{trace}")
    stderr = result.stderr
    assert result.exit_code in (0, 1, 2), f"exit {result.exit_code}: {stderr[-2000:]}"
    assert "Traceback (most recent call last)" not in stderr, stderr[-2000:]
    if result.exit_code == 2 and named is not None:
        names = [named.name] if isinstance(named, Path) else [p.name for p in named]
        assert any(n in stderr for n in names), f"exit 2 naming none of {names}: {stderr[-2000:]}"
    return result


def write(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``folder/name`` and return the path."""
    path = folder / name
    path.write_bytes(data)
    return path
