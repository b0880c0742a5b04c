from plan_helpers import instance, run, task

from xinchuang.plan.constraints import dependencies
from xinchuang.plan.instance import Dependency
from xinchuang.plan.solution import Assignment
from xinchuang.plan.validate import validate


def test_a_system_never_cuts_over_before_the_database_it_uses():
    # the shared database is worth nothing early; the app is worth a lot
    problem = instance(
        task("app", 10, value=50),
        task("shared-db", 90, value=0, duration=2),
        dependencies=(Dependency(system="app", depends_on="shared-db"),),
    )
    solution = run(problem)
    placed = solution.by_system()
    assert placed["shared-db"].cutover <= placed["app"].cutover
    assert validate(problem, solution).ok


def test_check_reports_the_early_system():
    problem = instance(
        task("app"), task("db"), dependencies=(Dependency(system="app", depends_on="db"),)
    )
    early = {
        "app": Assignment(system="app", start=0, cutover=0, finish=0),
        "db": Assignment(system="db", start=1, cutover=1, finish=1),
    }
    [violation] = dependencies.check(problem, early)
    assert violation.message.startswith("app cuts over in 2026-Q1")
