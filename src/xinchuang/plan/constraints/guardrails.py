"""Guardrails per wave: at most so many systems, and so much risk, cut over in one period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from ortools.sat.python import cp_model

from xinchuang.i18n import _
from xinchuang.plan.constraints import Violation
from xinchuang.plan.instance import Instance
from xinchuang.plan.solution import Assignment
from xinchuang.plan.variables import Variables

NAME = "guardrails"
RISK_SCALE = 1000
TOLERANCE = 1e-6


def add(variables: Variables) -> None:
    """Per period: Σ [cut-over here] ≤ max_systems; Σ risk·[cut-over here] ≤ max_risk."""
    rails = variables.instance.guardrails
    if rails.max_systems is None and rails.max_risk is None:
        return
    enforce = variables.literal(NAME)
    waves: dict[int, list[tuple[int, object]]] = defaultdict(list)
    for name, starts in variables.x.items():
        task = variables.systems[name]
        risk = round(task.risk * RISK_SCALE)
        for t, var in starts.items():
            waves[t + task.duration - 1].append((risk, var))
    for wave in waves.values():
        if rails.max_systems is not None and len(wave) > rails.max_systems:
            count = cp_model.LinearExpr.sum([v for _r, v in wave])
            variables.model.add(count <= rails.max_systems).only_enforce_if(enforce)
        if rails.max_risk is not None:
            limit = int(rails.max_risk * RISK_SCALE + 1e-9)
            if sum(r for r, _v in wave) > limit:
                expr = cp_model.LinearExpr.weighted_sum(
                    [v for _r, v in wave], [r for r, _v in wave]
                )
                variables.model.add(expr <= limit).only_enforce_if(enforce)


def check(instance: Instance, assignments: Mapping[str, Assignment]) -> list[Violation]:
    """Every wave with too many systems or too much risk."""
    rails = instance.guardrails
    count: dict[int, int] = defaultdict(int)
    risk: dict[int, float] = defaultdict(float)
    for task in instance.scheduled:
        placed = assignments.get(task.name)
        if placed is None or placed.beyond:
            continue
        count[placed.cutover] += 1
        risk[placed.cutover] += round(task.risk * RISK_SCALE) / RISK_SCALE
    out = []
    for period in sorted(count):
        label = instance.periods[period].label if period < instance.horizon else str(period)
        if rails.max_systems is not None and count[period] > rails.max_systems:
            out.append(
                Violation(
                    NAME,
                    _("{period}: {n} systems cut over, at most {limit} allowed").format(
                        period=label, n=count[period], limit=rails.max_systems
                    ),
                )
            )
        if rails.max_risk is not None and risk[period] > rails.max_risk + TOLERANCE:
            out.append(
                Violation(
                    NAME,
                    _("{period}: risk {risk:.2f} cuts over, at most {limit:.2f} allowed").format(
                        period=label, risk=risk[period], limit=rails.max_risk
                    ),
                )
            )
    return out
