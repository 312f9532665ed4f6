"""Exact minimum-weight routes over the stacking problem, by integer programming.

The question (which set of credentials, honouring prerequisites, any-one-of entry
routes, N-of-M conditions with hour and credit minimums, counting a shared
prerequisite once) generalises weighted set cover, so it is NP-hard; a shortest path
does not answer it. We solve it exactly as a 0-1 integer program with HiGHS
(:func:`scipy.optimize.milp`, relative gap 0), restricted to the goal's requirement
closure:

* ``x_c`` = 1 when credential c is earned (held ones are the constant 1, excluded
  ones the constant 0); ``y_d`` = 1 when condition d is satisfied; ``r_k`` = 1 when
  entry route k is used;
* ``x_c <= x_p`` for every prerequisite and co-requisite p; ``x_c <= sum r_k`` and
  ``r_k <= x_q`` for the routes of c; ``x_c <= y_d`` for its conditions;
  ``required * y_d <= sum x_t + sum y_e``, ``min_hours * y_d <= sum hours_t x_t`` and
  the same for credits; the goal: ``sum of its alternatives >= 1``, and one member of
  every cover group;
* minimise ``sum weight_c x_c`` over the credentials taken.

The program admits self-supporting cycles (a prerequisite cycle in defective data),
so every solution is re-checked with :func:`pathways.routing.problem.is_valid`; an
invalid set is cut off with a no-good constraint and the program re-solved, which
keeps the answer exact. Redundant zero-weight members are then pruned. The K best
alternatives come from "not a superset of an earlier answer" cuts: each alternative
is the cheapest valid set that does not contain an earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pathways.errors import PathwaysError
from pathways.routing.problem import (
    Problem,
    earned,
    goal_met,
    is_valid,
    requirement_closure,
    total_weight,
)

__all__ = ["Solution", "best_routes", "prepare"]

_MAX_CUTS = 200


def prepare() -> None:
    """Import the MILP solver (scipy's HiGHS) now: a server warming up calls this, so
    its first route does not spend half a second importing."""
    import scipy.optimize
    import scipy.sparse

    del scipy


@dataclass(frozen=True)
class Solution:
    """A valid route: the credentials taken (sorted) and their total weight."""

    taken: tuple[str, ...]
    weight: float


class _Program:
    """Rows of a 0-1 program built incrementally: ``lower <= a x <= upper``."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.cost: list[float] = []
        self.rows: list[dict[int, float]] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.fixed_zero: set[int] = set()
        self.stacked: set[int] = set()

    def is_stacked(self, j: int) -> bool:
        return j in self.stacked

    def var(self, name: str, cost: float = 0.0) -> int:
        if name not in self.index:
            self.index[name] = len(self.cost)
            self.cost.append(cost)
        return self.index[name]

    def row(self, coeffs: dict[int, float], lower: float, upper: float = np.inf) -> None:
        self.rows.append(coeffs)
        self.lower.append(lower)
        self.upper.append(upper)

    def solve(self) -> list[int] | None:
        n = len(self.cost)
        if n == 0:
            return []
        # scipy is imported here, not with the module: it takes half a second, and
        # every command imports the routing package.
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import coo_array

        data, rows, cols = [], [], []
        for i, coeffs in enumerate(self.rows):
            for j, a in coeffs.items():
                rows.append(i)
                cols.append(j)
                data.append(a)
        upper = np.ones(n)
        for j in self.fixed_zero:
            upper[j] = 0.0
        constraints = []
        if self.rows:
            matrix = coo_array((data, (rows, cols)), shape=(len(self.rows), n)).tocsr()
            constraints.append(LinearConstraint(matrix, self.lower, self.upper))
        result = milp(
            np.array(self.cost),
            constraints=constraints,
            integrality=np.ones(n),
            bounds=Bounds(np.zeros(n), upper),
            options={"mip_rel_gap": 0.0, "presolve": True},
        )
        if result.status == 2:  # infeasible
            return None
        if result.x is None:
            raise PathwaysError(f"the route solver failed: {result.message}")
        return [j for j in range(n) if result.x[j] > 0.5]


def _build(problem: Problem, closure: set[str]) -> tuple[_Program, dict[str, int]]:
    prog = _Program()
    held = problem.held

    def value(key: str) -> int | bool:
        """A variable index, or the constant True (held) / False (unreachable)."""
        if key in held:
            return True
        item = problem.items.get(key)
        if item is None or key in problem.excluded:
            return False
        j = prog.var("x:" + key, 0.0 if item.stacked else item.weight)
        if item.stacked:
            prog.stacked.add(j)
        return j

    def require(j: int, key: str) -> None:
        """x_j <= value(key)."""
        v = value(key)
        if v is True:
            return
        if v is False or v == j:  # unreachable, or a credential requiring itself
            prog.fixed_zero.add(j)
        else:
            prog.row({v: 1.0, j: -1.0}, 0.0)

    for key in sorted(closure):
        if key in problem.conditions:
            _condition_rows(prog, problem, key, value)
            continue
        j = value(key)
        if isinstance(j, bool):
            continue
        item = problem.items[key]
        for p in item.prerequisites + item.corequisites:
            require(j, p)
        if item.routes:
            _route_rows(prog, key, j, item.routes, value)
        for c in (*item.conditions, *item.requisites):
            if c in problem.conditions:
                prog.row({j: -1.0, prog.var("y:" + c): 1.0}, 0.0)
            else:
                prog.fixed_zero.add(j)
    goal: dict[int, float] = {}
    met = False
    for alternative in problem.goal:
        v = value(alternative)
        met = met or v is True
        if not isinstance(v, bool):
            goal[v] = 1.0
    if problem.goal and not met:
        prog.row(goal, 1.0)
    for group in problem.cover:
        values = [value(c) for c in group]
        if not any(v is True for v in values):
            prog.row({v: 1.0 for v in values if not isinstance(v, bool)}, 1.0)
    taken = {
        k[2:]: j
        for k, j in prog.index.items()
        if k.startswith("x:") and not problem.items[k[2:]].stacked
    }
    return prog, taken


def _route_rows(prog: _Program, key: str, j: int, routes: tuple, value) -> None:  # type: ignore[type-arg, no-untyped-def]
    """Exactly one open route when c is earned: sum r_k = x_c, r_k <= x_q."""
    options: dict[int, float] = {j: -1.0}
    taken = not prog.is_stacked(j)
    for route in routes:
        if not route.available:
            continue
        needs = [value(q) for q in route.requires]
        if any(v is False for v in needs):
            continue
        r = prog.var(f"r:{key}:{route.key}", route.delta if taken else 0.0)
        options[r] = 1.0
        for v in needs:
            if v is not True:
                prog.row({v: 1.0, r: -1.0}, 0.0)
    if len(options) == 1:
        prog.fixed_zero.add(j)
    else:
        prog.row(options, 0.0, 0.0)


def _condition_rows(prog: _Program, problem: Problem, key: str, value) -> None:  # type: ignore[no-untyped-def]
    cond = problem.conditions[key]
    if cond.bounded:
        _bounded_rows(prog, problem, key, value)
        return
    y = prog.var("y:" + key)
    count: dict[int, float] = {y: -float(cond.required)}
    constant = 0.0
    for t in cond.targets:
        v = value(t)
        if v is True:
            constant += 1
        elif v is not False:
            count[v] = count.get(v, 0.0) + 1.0
    for s in cond.subconditions:
        if s in problem.conditions:
            sv = prog.var("y:" + s)
            count[sv] = count.get(sv, 0.0) + 1.0
    prog.row(count, -constant)
    for minimum, attr in ((cond.min_hours, "hours"), (cond.min_credits, "credits")):
        if minimum is None:
            continue
        row: dict[int, float] = {y: -minimum}
        constant = 0.0
        for t in cond.targets:
            item = problem.items.get(t)
            if item is None:
                continue
            amount = float(getattr(item, attr))
            v = value(t)
            if v is True:
                constant += amount
            elif v is not False:
                row[v] = row.get(v, 0.0) + amount
        prog.row(row, -constant - 1e-9)


def _bounded_rows(prog: _Program, problem: Problem, key: str, value) -> None:  # type: ignore[no-untyped-def]
    """A condition with a maximum: ``s_t`` = 1 when earned target t (or satisfied
    sub-condition) is *counted towards* it, ``s_t <= x_t``; the bounds apply to the
    counted selection: ``required * y <= sum s <= max_required`` and, for hours and
    credits, ``minimum * y <= sum amount_t s_t <= maximum``."""
    cond = problem.conditions[key]
    y = prog.var("y:" + key)
    counted: dict[int, tuple[float, float]] = {}
    for t in cond.targets:
        v = value(t)
        if v is False:
            continue
        s = prog.var(f"s:{key}:{t}")
        if v is not True:
            prog.row({v: 1.0, s: -1.0}, 0.0)
        item = problem.items.get(t)
        counted[s] = (item.hours, item.credits) if item is not None else (0.0, 0.0)
    for sub in cond.subconditions:
        if sub in problem.conditions:
            s = prog.var(f"s:{key}:{sub}")
            prog.row({prog.var("y:" + sub): 1.0, s: -1.0}, 0.0)
            counted[s] = (0.0, 0.0)
    members = {s: 1.0 for s in counted}
    prog.row({**members, y: -float(cond.required)}, 0.0)
    if cond.max_required is not None:
        prog.row(members, -np.inf, float(cond.max_required))
    for index, low, high in (
        (0, cond.min_hours, cond.max_hours),
        (1, cond.min_credits, cond.max_credits),
    ):
        amounts = {s: a[index] for s, a in counted.items() if a[index]}
        if low is not None:
            prog.row({**amounts, y: -low}, -1e-9)
        if high is not None:
            prog.row(amounts, -np.inf, high + 1e-9)


def _prune(problem: Problem, taken: set[str]) -> set[str]:
    """Drop zero-weight members whose removal keeps the route valid.

    Only zero-weight members can be redundant in an optimal answer: dropping a member
    of positive weight and staying valid would contradict optimality.
    """
    for key in sorted(k for k in taken if problem.items[k].weight <= 0.0):
        rest = taken - {key}
        if is_valid(problem, rest) and total_weight(problem, rest) <= total_weight(problem, taken):
            taken = taken - {key}
    return taken


def best_routes(problem: Problem, k: int = 1) -> list[Solution]:
    """The ``k`` cheapest valid routes, each not a superset of an earlier one.

    Returns an empty list when no valid route exists.

    >>> from pathways.routing.problem import Item, Route
    >>> p = Problem(items={
    ...     "a": Item("a", 5.0), "b": Item("b", 1.0), "c": Item("c", 1.0),
    ...     "t": Item("t", 2.0, routes=(Route("r1", ("a",)), Route("r2", ("b", "c"))))},
    ...     goal=("t",))
    >>> [(s.taken, s.weight) for s in best_routes(p, 2)]
    [(('b', 'c', 't'), 4.0), (('a', 't'), 7.0)]
    """
    if goal_met(problem, set(problem.held)):
        return [Solution((), 0.0)]
    closure = requirement_closure(problem)
    reachable = earned(problem, (c for c in closure if problem.takeable(c)))
    if not goal_met(problem, reachable):
        return []
    prog, taken_vars = _build(problem, closure)
    found: list[Solution] = []
    cuts = 0
    while len(found) < k and cuts <= _MAX_CUTS:
        solved = prog.solve()
        if solved is None:
            break
        chosen = set(solved)
        picked = {key for key, j in taken_vars.items() if j in chosen}
        if not is_valid(problem, picked):
            cuts += 1  # a self-supporting cycle: forbid exactly this set
            row = {j: (-1.0 if key in picked else 1.0) for key, j in taken_vars.items()}
            prog.row(row, 1.0 - len(picked))
            continue
        picked = _prune(problem, picked)
        weight = total_weight(problem, picked)
        found.append(Solution(tuple(sorted(picked)), weight))
        # Not a superset of this answer: drop at least one of its members.
        prog.row({taken_vars[key]: -1.0 for key in picked}, 1.0 - len(picked))
        if not picked:
            break
    return found
