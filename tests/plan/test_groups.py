from plan_helpers import instance, run, task

from xinchuang.plan.constraints import groups
from xinchuang.plan.instance import Group
from xinchuang.plan.solution import Assignment
from xinchuang.plan.validate import validate


def test_a_group_cuts_over_in_one_period_even_when_one_takes_longer():
    problem = instance(
        task("a", 10, duration=1),
        task("b", 10, duration=2),
        groups=(Group(name="core", systems=("a", "b")),),
    )
    solution = run(problem)
    placed = solution.by_system()
    assert placed["a"].cutover == placed["b"].cutover == 1
    assert validate(problem, solution).ok


def test_check_lists_the_members_apart():
    problem = instance(task("a"), task("b"), groups=(Group(name="core", systems=("a", "b")),))
    apart = {
        "a": Assignment(system="a", start=0, cutover=0, finish=0),
        "b": Assignment(system="b", start=1, cutover=1, finish=1),
    }
    assert len(groups.check(problem, apart)) == 1
