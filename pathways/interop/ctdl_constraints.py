"""CTDL ``ceterms:Constraint`` on a condition, read as the bounds the ontology has:
credit sums as a minimum and a maximum (with their unit), the count of distinct
target components as ``pw:requiredNumber`` and ``pw:maximumNumber``. What does not
fit (other comparators, learner-record constraints) is a finding on the condition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from rdflib import Graph
from rdflib.term import Node

from pathways.interop.ctdl_classes import ARRAY, COMPARE, SCHEMA, local_name
from pathways.interop.results import Severity
from pathways.vocab import CTDL

__all__ = ["Bounds", "constraint_bounds"]

#: CTDL comparators a credit sum can use (concept scheme ceterms:ComparatorCategory).
_COMPARATORS = ("GTEQ", "GT", "EQ", "LTEQ", "LT")


class Find(Protocol):
    """Record a finding about ``node``."""

    def __call__(self, node: object, message: str, severity: Severity = "warning") -> None: ...


@dataclass(frozen=True)
class Bounds:
    """A condition's constraints: credit sum bounds (with their unit) and count bounds."""

    low: str | None
    high: str | None
    unit: Node | None
    count_low: str | None
    count_high: str | None


def constraint_bounds(src: Graph, find: Find, node: Node) -> Bounds:
    """Read ``hasConstraint``: credit sums become a minimum and a maximum.

    CTDL comparators (``ceterms:comparator``, concept scheme ComparatorCategory):
    GTEQ "the value of the left is greater than or equal to the value of the right"
    -> minimum; LTEQ -> maximum; EQ "equal to" -> minimum and maximum (exactly);
    GT and LT are strict, read as the inclusive bound with a finding; NEQ and
    unknown comparators are findings. The ``array:CountDistinct`` ("the number of
    unique values") of ``targetComponent`` bounds how many components count:
    LTEQ -> ``pw:maximumNumber``, GTEQ -> ``pw:requiredNumber`` when the condition
    states none, EQ -> both. Other left sources (grades, resits, levels) concern
    learner records and are findings.
    """
    low: str | None = None
    high: str | None = None
    unit: Node | None = None
    count_low: str | None = None
    count_high: str | None = None
    for constraint in src.objects(node, CTDL.hasConstraint):
        left = next(iter(src.objects(constraint, CTDL.leftSource)), None)
        action = next(iter(src.objects(constraint, CTDL.leftAction)), None)
        comparator = next(iter(src.objects(constraint, CTDL.comparator)), None)
        right = sorted(src.objects(constraint, CTDL.rightSource), key=str)
        is_credit = left in (SCHEMA.value, CTDL.value, CTDL.creditValue)
        name = local_name(comparator) if comparator is not None else ""
        if comparator is not None and not str(comparator).startswith(str(COMPARE)):
            name = str(comparator)  # not a ComparatorCategory concept
        if is_credit and action == ARRAY.Sum and right:
            amount = str(right[0])
            if name not in _COMPARATORS:
                find(
                    node,
                    f"credit sum constraint with comparator {comparator or '(none)'}: not a "
                    "CTDL comparator this rule can use; state compare:GTEQ (at least), "
                    "compare:LTEQ (at most) or compare:EQ (exactly); left out",
                )
                continue
            if name in ("GTEQ", "GT", "EQ"):
                low = amount
            if name in ("LTEQ", "LT", "EQ"):
                high = amount
            if name in ("GT", "LT"):
                bound = "a minimum" if name == "GT" else "a maximum"
                find(
                    node,
                    f"credit sum {name} {amount} is strict; read as {bound} of {amount} "
                    f"(use compare:{name}EQ with the intended bound to say it exactly)",
                )
        elif left == CTDL.creditUnitType and right:
            unit = right[0]
        elif left == CTDL.targetComponent and action == ARRAY.CountDistinct and right:
            # "The number of unique values" of the targets: a bound on how many count
            if not str(right[0]).isdigit():
                find(node, f"component count {right[0]} is not a whole number; left out")
            elif name in ("LTEQ", "EQ"):
                count_high = str(right[0])
            if str(right[0]).isdigit() and name in ("GTEQ", "EQ"):
                count_low = str(right[0])
            if name not in ("LTEQ", "EQ", "GTEQ"):
                find(
                    node,
                    f"component count constraint with comparator {comparator or '(none)'}: "
                    "use compare:GTEQ, compare:LTEQ or compare:EQ; left out",
                )
        else:
            what = local_name(left) if left is not None else "?"
            find(
                node,
                f"constraint on {what} ({name} "
                f"{', '.join(local_name(r) for r in right)}) concerns learner records or "
                "levels, which the ontology does not represent; left out",
                "info",
            )
    return Bounds(low, high, unit, count_low, count_high)
