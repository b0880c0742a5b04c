import datetime as dt

from plan_helpers import instance, run, task

from xinchuang.plan.validate import validate

DUE = dt.date(2026, 6, 30)


def test_missed_deadlines_are_named_with_the_capacity_that_would_meet_them():
    problem = instance(
        task("a", 100, deadline=DUE),
        task("b", 100, deadline=DUE),
        task("c", 100, deadline=DUE),
        capacity=100,
    )
    solution = run(problem)
    assert validate(problem, solution).ok
    assert solution.objective.deadlines_missed == 1
    [missed] = solution.missed
    assert missed.days_late > 0
    assert solution.advice is not None
    assert solution.advice.factor is not None
    # each migration takes one quarter whole: two of them must share a quarter
    assert solution.advice.factor == 2.0


def test_a_deadline_no_capacity_can_meet_is_said_to_be_unmeetable():
    problem = instance(task("long", 10, duration=3, deadline=DUE), capacity=100)
    solution = run(problem)
    assert solution.advice is not None
    assert solution.advice.unmeetable == ["long"]


def test_a_system_that_does_not_fit_the_horizon_is_placed_beyond_it():
    problem = instance(task("big", 300), task("small", 50), capacity=100, horizon=2)
    solution = run(problem)
    placed = solution.by_system()
    assert placed["big"].beyond
    assert not placed["small"].beyond
    assert validate(problem, solution).ok


def test_no_capacity_factor_is_advised_when_only_unmeetable_deadlines_are_missed():
    problem = instance(
        task("long", 10, duration=3, deadline=DUE), task("easy", 10, deadline=DUE), capacity=100
    )
    solution = run(problem)
    assert [m.system for m in solution.missed] == ["long"]
    assert solution.advice is not None
    assert solution.advice.unmeetable == ["long"]
    assert solution.advice.factor is None
