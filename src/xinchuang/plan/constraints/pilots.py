"""Pilots first: no other system starts before every pilot has cut over."""

from __future__ import annotations

from collections.abc import Mapping

from xinchuang.i18n import _
from xinchuang.plan.constraints import Violation
from xinchuang.plan.instance import Instance
from xinchuang.plan.solution import Assignment
from xinchuang.plan.variables import Variables

NAME = "pilots"


def add(variables: Variables) -> None:
    """start(non-pilot) ≥ cutover(every pilot) + 1, through one 'pilots done' variable."""
    pilots = [name for name, task in variables.systems.items() if task.pilot]
    others = [name for name, task in variables.systems.items() if not task.pilot]
    if not pilots or not others:
        return
    enforce = variables.literal(NAME)
    model = variables.model
    done = model.new_int_var(0, variables.instance.horizon, "pilots_done")
    horizon = variables.instance.horizon
    for name in pilots:
        task = variables.systems[name]
        after = sum((t + task.duration) * v for t, v in variables.x[name].items())
        # a pilot beyond the horizon holds every other system beyond it too
        model.add(done >= after + horizon * variables.beyond[name]).only_enforce_if(enforce)
    for name in others:
        model.add(variables.start_expr(name) >= done).only_enforce_if(enforce)


def check(instance: Instance, assignments: Mapping[str, Assignment]) -> list[Violation]:
    """Every non-pilot system that starts before the last pilot has cut over."""
    pilots = [s.name for s in instance.scheduled if s.pilot and s.name in assignments]
    if not pilots:
        return []
    done = min(instance.horizon, max(assignments[name].cutover + 1 for name in pilots))
    last = done - 1
    out = []
    for task in instance.scheduled:
        placed = assignments.get(task.name)
        if task.pilot or placed is None:
            continue
        if placed.start < done:
            out.append(
                Violation(
                    NAME,
                    _("{system} starts in {start}, before the pilots finish ({last})").format(
                        system=task.name,
                        start=instance.periods[placed.start].label,
                        last=instance.periods[min(last, instance.horizon - 1)].label,
                    ),
                )
            )
    return out
