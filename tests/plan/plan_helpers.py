"""Tiny hand-made instances for the planner tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xinchuang.plan.instance import Instance, SystemTask, Team, make_periods
from xinchuang.plan.schedule import SolveOptions, solve
from xinchuang.plan.solution import Solution

START = dt.date(2026, 1, 1)
OPTIONS = SolveOptions(time_limit=20, workers=1, deterministic_time=5.0, seed=1)


def task(name: str, effort: float = 10.0, **fields: Any) -> SystemTask:
    """A system in unit 'hq', team 'default', value 1."""
    return SystemTask(name=name, unit=fields.pop("unit", "hq"), effort_days=effort, **fields)


def instance(
    *tasks: SystemTask, capacity: float = 100.0, horizon: int = 4, **fields: Any
) -> Instance:
    """Quarterly periods from 2026-Q1, one default team."""
    return Instance(
        periods=make_periods(START, "quarter", horizon),
        teams=(Team(id="default", capacity=tuple([capacity] * horizon)),),
        systems=tasks,
        **fields,
    )


def run(problem: Instance) -> Solution:
    """Solve with one worker and a deterministic time limit."""
    return solve(problem, OPTIONS)
