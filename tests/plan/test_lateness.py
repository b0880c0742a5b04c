"""Why a system is late, in words: the binding constraint named from the solution."""

from __future__ import annotations

import datetime as dt

from plan_helpers import instance, run, task

from xinchuang.plan.instance import Dependency
from xinchuang.plan.lateness import explain

DEADLINE = dt.date(2026, 6, 30)  # the end of the second quarter


def test_a_system_too_long_for_the_time_left_is_late_by_its_own_length() -> None:
    problem = instance(task("big", 10.0, duration=3, deadline=DEADLINE), horizon=6)
    why = explain(problem, run(problem))
    assert why["big"].startswith("its own length: 3 period(s) of work")
    assert "more staff per system" in why["big"]


def test_waiting_for_a_dependency_names_it_and_by_when() -> None:
    problem = instance(
        task("upstream", 20.0, duration=2),  # two quarters of work: cuts over in 2026-Q2
        task("downstream", 10.0, duration=1, deadline=dt.date(2026, 3, 31)),
        capacity=200.0,
        horizon=4,
        dependencies=(Dependency(system="downstream", depends_on="upstream"),),
    )
    why = explain(problem, run(problem))
    assert why["downstream"] == (
        "waits for upstream, which it depends on and which cuts over in 2026-Q2; "
        "on time if upstream cuts over by 2026-Q1"
    )


def test_a_full_team_is_named_with_the_capacity_that_would_do() -> None:
    tasks = [task(f"s{i}", 90.0, deadline=DEADLINE, weight=3) for i in range(4)]
    problem = instance(*tasks, capacity=100.0, horizon=6)
    solution = run(problem)
    why = explain(problem, solution)
    assert why  # two quarters of 100 person-days cannot hold four systems of 90
    for text in why.values():
        assert text.startswith("team default's capacity is used up in 2026-Q1–2026-Q2")
        assert "more person-days a period for default" in text
