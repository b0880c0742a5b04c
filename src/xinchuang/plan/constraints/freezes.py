"""Freeze windows: no cut-over in a period that overlaps a change freeze for the system's unit.

Work goes on during a freeze; only the production change (the cut-over) waits,
as a bank's 封网期 or a government body's holiday freeze requires.
"""

from __future__ import annotations

from collections.abc import Mapping

from xinchuang.i18n import _
from xinchuang.plan.constraints import Violation
from xinchuang.plan.instance import Instance
from xinchuang.plan.solution import Assignment
from xinchuang.plan.variables import Variables

NAME = "freezes"


def add(variables: Variables) -> None:
    """Starts whose cut-over falls in a frozen period are switched off."""
    instance = variables.instance
    if not instance.freezes:
        return
    enforce = variables.literal(NAME)
    for name, starts in variables.x.items():
        task = variables.systems[name]
        for t, var in starts.items():
            if instance.frozen(task, t + task.duration - 1):
                variables.model.add(var == 0).only_enforce_if(enforce)


def check(instance: Instance, assignments: Mapping[str, Assignment]) -> list[Violation]:
    """Every system cutting over in a frozen period."""
    out = []
    for task in instance.scheduled:
        placed = assignments.get(task.name)
        if placed is None or placed.cutover >= instance.horizon:
            continue
        period = instance.periods[placed.cutover]
        for freeze in instance.freezes:
            if freeze.covers(task.unit, period):
                out.append(
                    Violation(
                        NAME,
                        _("{system} cuts over in {period}, during the freeze {freeze}").format(
                            system=task.name, period=period.label, freeze=freeze.name
                        ),
                    )
                )
    return out
