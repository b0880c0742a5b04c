"""The decision variables of the wave model, shared by every constraint family.

The model is time-indexed: ``x[s][t]`` is true when system ``s`` starts its
migration in period ``t``; ``beyond[s]`` when it does not fit the horizon.
With a horizon of a few dozen periods this is small, its linear relaxation is
tight (CP-SAT's bound is then close to the optimum),
and every constraint family is a linear row over these booleans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from xinchuang.plan.instance import Instance, SystemTask


@dataclass
class Variables:
    """The model, the start booleans, and one enforcement literal per constraint family."""

    model: cp_model.CpModel
    instance: Instance
    x: dict[str, dict[int, Any]] = field(default_factory=dict)
    beyond: dict[str, Any] = field(default_factory=dict)
    enforce: dict[str, Any] = field(default_factory=dict)
    systems: dict[str, SystemTask] = field(default_factory=dict)

    def literal(self, family: str) -> Any:
        """The literal that switches ``family`` on (an assumption, to name it in a conflict)."""
        if family not in self.enforce:
            self.enforce[family] = self.model.new_bool_var(f"enforce_{family}")
        return self.enforce[family]

    def starts(self, system: str) -> dict[int, Any]:
        """Start period → boolean, for one system."""
        return self.x[system]

    def cutover_expr(self, system: str) -> Any:
        """The cut-over period of ``system`` (the horizon when it falls beyond it)."""
        task = self.systems[system]
        horizon = self.instance.horizon
        starts = self.x[system]
        return cp_model.LinearExpr.weighted_sum(
            [*starts.values(), self.beyond[system]],
            [*(t + task.duration - 1 for t in starts), horizon],
        )

    def start_expr(self, system: str) -> Any:
        """The start period of ``system`` (the horizon when it falls beyond it)."""
        starts = self.x[system]
        return cp_model.LinearExpr.weighted_sum(
            [*starts.values(), self.beyond[system]], [*starts, self.instance.horizon]
        )


def build(instance: Instance, model: cp_model.CpModel) -> Variables:
    """One boolean per system and start period, one for 'beyond the horizon'; exactly one holds.

    A system that does not fit the horizon is placed beyond it rather than making
    the model infeasible: the plan then says so, counts it as late where it has a
    deadline, and the capacity advice says what would bring it in.
    """
    variables = Variables(model=model, instance=instance)
    horizon = instance.horizon
    for task in instance.scheduled:
        variables.systems[task.name] = task
        starts = {}
        for t in range(horizon - task.span + 1):
            starts[t] = model.new_bool_var(f"x[{task.name}][{t}]")
        variables.x[task.name] = starts
        beyond = model.new_bool_var(f"beyond[{task.name}]")
        variables.beyond[task.name] = beyond
        model.add_exactly_one([*starts.values(), beyond])
    return variables
