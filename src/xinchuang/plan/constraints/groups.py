"""Groups: systems that must move together cut over in the same period."""

from __future__ import annotations

from collections.abc import Mapping

from xinchuang.i18n import _
from xinchuang.plan.constraints import Violation
from xinchuang.plan.instance import Instance
from xinchuang.plan.solution import Assignment
from xinchuang.plan.variables import Variables

NAME = "groups"


def add(variables: Variables) -> None:
    """cutover(first member) = cutover(every other member)."""
    enforce = variables.literal(NAME)
    for group in variables.instance.groups:
        members = [name for name in group.systems if name in variables.x]
        for other in members[1:]:
            variables.model.add(
                variables.cutover_expr(members[0]) == variables.cutover_expr(other)
            ).only_enforce_if(enforce)


def check(instance: Instance, assignments: Mapping[str, Assignment]) -> list[Violation]:
    """Every group whose members cut over in different periods."""
    out = []
    for group in instance.groups:
        periods = {name: assignments[name].cutover for name in group.systems if name in assignments}
        if len(set(periods.values())) > 1:
            shown = ", ".join(
                f"{name} {instance.periods[p].label}" for name, p in sorted(periods.items())
            )
            out.append(
                Violation(
                    NAME,
                    _("group {group} does not cut over together: {periods}").format(
                        group=group.name, periods=shown
                    ),
                )
            )
    return out
