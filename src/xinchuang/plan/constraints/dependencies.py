"""Dependencies: a system cuts over no earlier than what it depends on (the same period is fine).

A shared database moves before, or with, the systems that use it. A dependency
on an exempt system (which is not scheduled) does not constrain anything.
"""

from __future__ import annotations

from collections.abc import Mapping

from xinchuang.i18n import _
from xinchuang.plan.constraints import Violation
from xinchuang.plan.instance import Instance
from xinchuang.plan.solution import Assignment
from xinchuang.plan.variables import Variables

NAME = "dependencies"


def add(variables: Variables) -> None:
    """cutover(depends_on) ≤ cutover(system)."""
    enforce = variables.literal(NAME)
    for dep in variables.instance.dependencies:
        if dep.system not in variables.x or dep.depends_on not in variables.x:
            continue
        variables.model.add(
            variables.cutover_expr(dep.depends_on) <= variables.cutover_expr(dep.system)
        ).only_enforce_if(enforce)


def check(instance: Instance, assignments: Mapping[str, Assignment]) -> list[Violation]:
    """Every dependency whose system cuts over before what it depends on."""
    out = []
    for dep in instance.dependencies:
        system = assignments.get(dep.system)
        upstream = assignments.get(dep.depends_on)
        if system is None or upstream is None:
            continue
        if upstream.cutover > system.cutover:
            out.append(
                Violation(
                    NAME,
                    _(
                        "{system} cuts over in {early}, before {upstream} it depends on ({late})"
                    ).format(
                        system=dep.system,
                        upstream=dep.depends_on,
                        early=instance.periods[system.cutover].label,
                        late=instance.periods[upstream.cutover].label,
                    ),
                )
            )
    return out
