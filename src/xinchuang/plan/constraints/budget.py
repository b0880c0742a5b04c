"""Yearly budget: the cost of the systems that start in a year fits that year's budget.

A system's cost (person-days at the day rate plus the licences of its target
stack) is committed when its migration starts, as contracts are signed then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from ortools.sat.python import cp_model

from xinchuang.i18n import _
from xinchuang.plan.constraints import Violation
from xinchuang.plan.instance import Instance
from xinchuang.plan.solution import Assignment
from xinchuang.plan.variables import Variables

NAME = "budget"
TOLERANCE = 1e-6


def add(variables: Variables) -> None:
    """Σ cost of starts in year y ≤ budget[y] (cost in whole money units, rounded up)."""
    instance = variables.instance
    if not instance.budget:
        return
    enforce = variables.literal(NAME)
    rows: dict[int, list[tuple[int, object]]] = defaultdict(list)
    for name, starts in variables.x.items():
        cost = variables.systems[name].cost
        if cost <= 0:
            continue
        for t, var in starts.items():
            rows[instance.periods[t].year].append((int(-(-cost // 1)), var))
    for year, row in rows.items():
        limit = instance.budget.get(year)
        if limit is None or sum(c for c, _v in row) <= limit:
            continue
        expr = cp_model.LinearExpr.weighted_sum([v for _c, v in row], [c for c, _v in row])
        variables.model.add(expr <= int(limit)).only_enforce_if(enforce)


def spending(instance: Instance, assignments: Mapping[str, Assignment]) -> dict[int, float]:
    """Money committed per year."""
    spent: dict[int, float] = defaultdict(float)
    for task in instance.scheduled:
        placed = assignments.get(task.name)
        if placed is not None and placed.start < instance.horizon:
            spent[instance.periods[placed.start].year] += task.cost
    return dict(spent)


def check(instance: Instance, assignments: Mapping[str, Assignment]) -> list[Violation]:
    """Every year whose committed cost exceeds its budget."""
    out = []
    for year, spent in sorted(spending(instance, assignments).items()):
        limit = instance.budget.get(year)
        if limit is not None and spent > limit + TOLERANCE:
            out.append(
                Violation(
                    NAME,
                    _("{year}: {spent:,.0f} committed, budget {limit:,.0f}").format(
                        year=year, spent=spent, limit=limit
                    ),
                )
            )
    return out
