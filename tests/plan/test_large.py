"""Large organizations take the relaxation-and-neighbourhood path: its plans must validate too."""

from __future__ import annotations

import time

from xinchuang.plan import objectives
from xinchuang.plan.generate import organization
from xinchuang.plan.schedule import LNS_MIN, SolveOptions, best_greedy, solve
from xinchuang.plan.validate import validate


def test_a_large_organization_gets_a_valid_plan_within_its_wall_clock_budget() -> None:
    problem = organization(LNS_MIN + 100, seed=3)
    assert len({task.team for task in problem.systems}) > 1  # the neighbourhood path needs teams
    began = time.perf_counter()
    solution = solve(problem, SolveOptions(time_limit=6.0, seed=1, workers=1, advice=False))
    elapsed = time.perf_counter() - began
    assert validate(problem, solution).ok
    # the budget is wall-clock: a generous margin for a loaded CI machine, not a timing test
    assert elapsed < 6.0 + 10.0
    placed = {a.system for a in solution.assignments}
    assert placed == {task.name for task in problem.scheduled}
    # the solver only ever replaces the greedy plan by a better one, level by level
    greedy = best_greedy(problem).assignments
    first = objectives.levels(problem, {a.system: a for a in greedy})
    found, start = solution.objective, first
    assert (found.deadlines_missed, found.weighted_lateness, found.localization_delay) <= (
        start.deadlines_missed,
        start.weighted_lateness,
        start.localization_delay,
    )
