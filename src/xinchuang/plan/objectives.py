"""The three objective levels, in the solver's terms and in plain Python.

In lexicographic order:

1. ``deadlines_missed`` — systems that finish after their deadline;
2. ``weighted_lateness`` — Σ weight × periods late;
3. ``localization_delay`` — Σ value × finishing period: the earlier systems of
   high value finish, the earlier the localization rate rises. The strategy
   sets each system's value (see :mod:`xinchuang.plan.strategies`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ortools.sat.python import cp_model

from xinchuang.plan.instance import Instance, SystemTask
from xinchuang.plan.solution import Assignment, Levels
from xinchuang.plan.variables import Variables

LEVELS = ("deadlines_missed", "weighted_lateness", "localization_delay")


def periods_late(instance: Instance, task: SystemTask, finish: int) -> int:
    """How many periods after its deadline period a system finishes (0 when on time)."""
    due = instance.deadline_period(task)
    if due is None:
        return 0
    return max(0, finish - due)


def expressions(variables: Variables) -> dict[str, Any]:
    """Each level as a linear expression over the start booleans."""
    return {
        level: cp_model.LinearExpr.weighted_sum(vars_, coefficients)
        for level, (vars_, coefficients) in terms(variables).items()
    }


def terms(variables: Variables) -> dict[str, tuple[list[Any], list[int]]]:
    """Each level as its start booleans and their (non-zero) coefficients."""
    instance = variables.instance
    out: dict[str, tuple[list[Any], list[int]]] = {level: ([], []) for level in LEVELS}

    def term(level: str, var: Any, coefficient: int) -> None:
        if coefficient:
            out[level][0].append(var)
            out[level][1].append(coefficient)

    for name, starts in variables.x.items():
        task = variables.systems[name]
        options = [(t + task.span - 1, var) for t, var in starts.items()]
        options.append((instance.horizon + task.span - 1, variables.beyond[name]))
        for finish, var in options:
            late = periods_late(instance, task, finish)
            term("deadlines_missed", var, 1 if late else 0)
            term("weighted_lateness", var, task.weight * late)
            term("localization_delay", var, task.value * finish)
    return out


def levels(instance: Instance, assignments: Mapping[str, Assignment]) -> Levels:
    """The objective levels of a schedule, computed without the solver."""
    missed = lateness = delay = 0
    for task in instance.scheduled:
        placed = assignments.get(task.name)
        if placed is None:
            continue
        late = periods_late(instance, task, placed.finish)
        if late:
            missed += 1
            lateness += task.weight * late
        delay += task.value * placed.finish
    return Levels(deadlines_missed=missed, weighted_lateness=lateness, localization_delay=delay)
