from plan_helpers import instance, run, task

from xinchuang.plan.constraints import capacity
from xinchuang.plan.solution import Assignment
from xinchuang.plan.validate import validate


def test_two_systems_that_do_not_fit_one_period_are_spread():
    problem = instance(task("a", 60), task("b", 60), capacity=100)
    solution = run(problem)
    placed = solution.by_system()
    assert placed["a"].start != placed["b"].start
    assert validate(problem, solution).ok


def test_parallel_running_costs_capacity_after_the_cutover():
    problem = instance(
        task("a", 50, parallel_periods=1, parallel_days=60), task("b", 50), capacity=100
    )
    placed = run(problem).by_system()
    assert placed["b"].start != placed["a"].start + 1 or placed["b"].start == placed["a"].start


def test_check_names_the_team_and_period():
    problem = instance(task("a", 60), task("b", 60), capacity=100)
    both_first = {
        "a": Assignment(system="a", start=0, cutover=0, finish=0),
        "b": Assignment(system="b", start=0, cutover=0, finish=0),
    }
    [violation] = capacity.check(problem, both_first)
    assert "2026-Q1" in violation.message
    assert "120.0" in violation.message
