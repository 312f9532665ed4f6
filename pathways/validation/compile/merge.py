"""Checks on the same focus nodes merged into one query (a flag character per check).

>>> _canonical_test("NOT EXISTS { ?this <p> ?_v7 }", "")
'NOT EXISTS { ?this <p> ?_t0 }'
"""

from __future__ import annotations

import dataclasses
import re

from pathways.validation.plans import Check, ShapePlan

__all__ = ["merge_checks"]


def merge_checks(plans: list[ShapePlan]) -> list[ShapePlan]:
    """One query for all checks that test the same focus nodes (or the same values of
    them), each check marked by a character of its own in one ``?_flags`` column.

    Oxigraph spends most of a check's time walking the focus nodes and their values;
    the bundled profiles' 157 checks share a few dozen focus patterns and paths, so
    merged they run as far fewer queries. A row is a result of a check when its
    character is ``1`` (``COALESCE(test, false)``: an error is no violation, as in
    FILTER).

    How the flags are written was measured in Oxigraph (10k credentials): one string
    of ``IF`` characters costs one BIND per row where a boolean column per check
    costs one each (the 21-check query on credentials: 0.47 -> 0.35 s); tests without
    EXISTS are cheap enough to run twice, so their disjunction filters the rows first
    and only results pay for the flags (descriptions of learning outcomes: 0.16 ->
    0.05 s); with EXISTS, filtering first was slower.
    """
    tests: dict[tuple[str, str], dict[str, int]] = {}  # (focus, values): test -> flag
    members: dict[tuple[str, str], dict[Check, int]] = {}  # (focus, values): check -> flag

    def collect(check: Check) -> None:
        if check.test:
            key = (check.focus, check.values)
            flags = tests.setdefault(key, {})
            # Shapes of different profiles often state the same rule: one flag for all.
            text = _canonical_test(check.test, check.focus + check.values)
            members.setdefault(key, {})[check] = flags.setdefault(text, len(flags))
        for part in check.conformance:
            collect(part)

    for plan in plans:
        for check in plan.checks:
            collect(check)
    merged: dict[Check, Check] = {}
    for (focus, values), group in members.items():
        if len(group) < 2:
            continue
        head = "?this ?value" if values else "?this"
        texts = [f"COALESCE({t}, false)" for t in tests[focus, values]]
        chars = ", ".join(f'IF({t}, "1", "0")' for t in texts)
        bind = f"BIND(CONCAT({chars}) AS ?_flags)"
        if any("EXISTS" in t for t in texts):
            body = f'{focus} {values} {bind} FILTER(CONTAINS(?_flags, "1"))'
        else:
            body = f"{focus} {values} FILTER({' || '.join(texts)}) {bind}"
        query = f"SELECT DISTINCT {head} ?_flags WHERE {{ {body} }}"
        for check, i in group.items():
            merged[check] = dataclasses.replace(check, query=query, flag=i)
    if not merged:
        return plans

    def rewrite(check: Check) -> Check:
        found = merged.get(check, check)
        if found.conformance:
            found = dataclasses.replace(found, conformance=tuple(map(rewrite, found.conformance)))
        return found

    return [dataclasses.replace(plan, checks=tuple(map(rewrite, plan.checks))) for plan in plans]


def _canonical_test(test: str, context: str) -> str:
    """A test with its own fresh variables renamed in order of appearance, so that the
    same rule compiled twice (``?_v24`` here, ``?_v31`` there) is the same text.
    Variables the focus or values pattern also uses keep their names.

    >>> _canonical_test("NOT EXISTS { ?this <p> ?_v7 FILTER EXISTS { ?_v7 <q> ?_v9 } }", "")
    'NOT EXISTS { ?this <p> ?_t0 FILTER EXISTS { ?_t0 <q> ?_t1 } }'
    """
    names: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        name = match.group(0)
        if re.search(re.escape(name) + r"\b", context):
            return name
        return names.setdefault(name, f"?_t{len(names)}")

    return re.sub(r"\?_v[0-9]+\b", rename, test)
