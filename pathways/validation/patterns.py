"""``sh:pattern`` regular expressions that Python's :mod:`re` cannot read as published.

SHACL patterns follow XPath/Java conventions. Published profiles (the EU's LOQ
shapes among them) use Unicode property classes such as ``\\p{L}``, nested character
classes such as ``[a[b]]`` (a union in Java) and inline flags after ``^``. pyshacl
compiles patterns with :mod:`re`, which rejects all three. :func:`python_pattern`
rewrites them into the equivalent Python expression, or raises
:class:`UnsupportedPattern` saying what it could not translate.

>>> python_pattern(r"^\\p{Lu}\\d+$") == r"^\\p{Lu}\\d+$"
False
>>> import re
>>> bool(re.search(python_pattern(r"^[\\p{L}]+$"), "Ålesund"))
True
>>> python_pattern(r"^(?i)abc")
'(?i)^abc'
"""

from __future__ import annotations

import re
import sys
import unicodedata
import warnings
from functools import cache

__all__ = ["UnsupportedPattern", "needs_translation", "python_pattern"]


class UnsupportedPattern(ValueError):
    """A pattern that neither :mod:`re` nor the translation can read."""


_PROPERTY = re.compile(r"\\([pP])\{(?:Is|general_category=|gc=)?([A-Za-z]{1,2})\}")
_INLINE_FLAGS = re.compile(r"^\^\(\?([aiLmsux]+)\)")


def needs_translation(pattern: str) -> bool:
    """True when :mod:`re` rejects the pattern or reads a nested class differently."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        try:
            re.compile(pattern)
        except (re.error, FutureWarning):
            return True
    return False


def python_pattern(pattern: str) -> str:
    """Translate a Java/XPath-style pattern to a Python :mod:`re` pattern.

    Patterns that :mod:`re` already reads the same way are returned unchanged.
    """
    if not needs_translation(pattern):
        return pattern
    text = pattern
    flags = _INLINE_FLAGS.match(text)
    if flags:  # Java allows "^(?i)..."; Python wants global flags first
        text = f"(?{flags.group(1)})^" + text[flags.end() :]
    text = _flatten_classes(text)
    try:
        re.compile(text)
    except re.error as err:
        raise UnsupportedPattern(f"cannot translate the pattern: {err}") from err
    return text


def _flatten_classes(pattern: str) -> str:
    """Expand ``\\p{..}`` and turn nested classes ``[a[bc]]`` into unions ``[abc]``."""
    out: list[str] = []
    depth = 0
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            prop = _PROPERTY.match(pattern, i)
            if prop:
                negated = prop.group(1) == "P"
                ranges = _category_ranges(prop.group(2))
                if depth and negated:
                    raise UnsupportedPattern(
                        f"a negated property class {prop.group(0)} inside [...] is not supported"
                    )
                if depth:
                    out.append(ranges)
                else:
                    out.append(("[^" if negated else "[") + ranges + "]")
                i = prop.end()
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[":
            if depth:
                if pattern.startswith("[^", i):
                    raise UnsupportedPattern("a negated class nested in [...] is not supported")
                depth += 1
                i += 1
                continue
            depth = 1
            out.append(char)
            i += 1
            if pattern.startswith("^", i):
                out.append("^")
                i += 1
            if pattern.startswith("]", i):  # a leading ] is a literal
                out.append(r"\]")
                i += 1
            continue
        if char == "]" and depth:
            depth -= 1
            if depth == 0:
                out.append("]")
            i += 1
            continue
        if depth and char == "&" and pattern.startswith("&&", i):
            raise UnsupportedPattern("class intersection && is not supported")
        if depth and char == "[":
            out.append(r"\[")
        else:
            out.append(char)
        i += 1
    return "".join(out)


@cache
def _category_ranges(category: str) -> str:
    """A character-class body matching every code point of a Unicode general category."""
    if not category[0].isupper() or len(category) > 2:
        raise UnsupportedPattern(f"unknown Unicode category {category!r}")
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        if unicodedata.category(chr(code)).startswith(category):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    if not ranges:
        raise UnsupportedPattern(f"unknown Unicode category {category!r}")
    return "".join(_escape(lo) if lo == hi else f"{_escape(lo)}-{_escape(hi)}" for lo, hi in ranges)


def _escape(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
