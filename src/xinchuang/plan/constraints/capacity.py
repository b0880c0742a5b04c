"""Capacity: per team and period, migration work plus parallel running fits the team."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from ortools.sat.python import cp_model

from xinchuang.i18n import _
from xinchuang.plan.constraints import Violation
from xinchuang.plan.instance import SCALE, Instance
from xinchuang.plan.solution import Assignment
from xinchuang.plan.variables import Variables

NAME = "capacity"
TOLERANCE = 1e-6


def scaled_capacity(value: float) -> int:
    """A capacity in the solver's integer units (rounded down, so the solver is safe)."""
    return int(value * SCALE + 1e-9)


def add(variables: Variables) -> None:
    """Σ load of the systems active in a period ≤ the team's capacity in it."""
    instance = variables.instance
    enforce = variables.literal(NAME)
    terms: dict[tuple[str, int], list[tuple[int, object]]] = defaultdict(list)
    for name, starts in variables.x.items():
        task = variables.systems[name]
        for t, var in starts.items():
            for offset in range(task.span):
                load = task.scaled_load(offset)
                if load:
                    terms[(task.team, t + offset)].append((load, var))
    for team in instance.teams:
        for period in range(instance.horizon):
            row = terms.get((team.id, period))
            if not row:
                continue
            cap = scaled_capacity(team.capacity[period])
            if sum(load for load, _var in row) <= cap:
                continue  # cannot bind
            expr = cp_model.LinearExpr.weighted_sum([v for _l, v in row], [ld for ld, _v in row])
            variables.model.add(expr <= cap).only_enforce_if(enforce)


def usage(
    instance: Instance, assignments: Mapping[str, Assignment]
) -> dict[tuple[str, int], float]:
    """Person-days used per (team, period)."""
    used: dict[tuple[str, int], float] = defaultdict(float)
    for task in instance.scheduled:
        placed = assignments.get(task.name)
        if placed is None or placed.beyond:
            continue
        for offset in range(task.span):
            used[(task.team, placed.start + offset)] += task.load(offset)
    return used


def check(instance: Instance, assignments: Mapping[str, Assignment]) -> list[Violation]:
    """Every team and period whose load exceeds its capacity."""
    out = []
    for (team_id, period), used in sorted(usage(instance, assignments).items()):
        if period >= instance.horizon:
            continue  # the horizon check reports it
        cap = instance.team(team_id).capacity[period]
        if used > cap + TOLERANCE:
            out.append(
                Violation(
                    NAME,
                    _(
                        "team {team} in {period}: {used:.1f} person-days planned, "
                        "{cap:.1f} available"
                    ).format(
                        team=team_id,
                        period=instance.periods[period].label,
                        used=used,
                        cap=cap,
                    ),
                )
            )
    return out
