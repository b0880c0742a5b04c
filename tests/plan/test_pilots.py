from plan_helpers import instance, run, task

from xinchuang.plan.constraints import pilots
from xinchuang.plan.solution import Assignment
from xinchuang.plan.validate import validate


def test_nothing_starts_before_the_pilot_has_cut_over():
    problem = instance(task("pilot", 10, pilot=True, value=0), task("bulk", 10, value=99))
    solution = run(problem)
    placed = solution.by_system()
    assert placed["bulk"].start > placed["pilot"].cutover
    assert validate(problem, solution).ok


def test_check_flags_a_system_started_with_the_pilot():
    problem = instance(task("pilot", pilot=True), task("bulk"))
    same = {
        "pilot": Assignment(system="pilot", start=0, cutover=0, finish=0),
        "bulk": Assignment(system="bulk", start=0, cutover=0, finish=0),
    }
    assert len(pilots.check(problem, same)) == 1
