import datetime as dt

from plan_helpers import instance, run, task

from xinchuang.plan.instance import Freeze
from xinchuang.plan.validate import validate


def test_no_cutover_in_a_frozen_quarter_for_the_unit():
    freeze = Freeze(name="year-end", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    problem = instance(task("a", 10, value=10), freezes=(freeze,))
    solution = run(problem)
    assert solution.by_system()["a"].cutover == 1
    assert validate(problem, solution).ok


def test_a_freeze_of_another_unit_does_not_apply():
    freeze = Freeze(
        name="branch", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), units=("branch",)
    )
    problem = instance(task("a", 10, value=10), freezes=(freeze,))
    assert run(problem).by_system()["a"].cutover == 0
