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


def test_an_automatic_pilot_depends_on_no_other_system():
    from xinchuang.pipeline.plan import _auto_pilots

    tasks = [task(f"s{i}", 1.0 + i) for i in range(6)]
    # s0 is the easiest but uses s5: it cannot cut over before everything else starts
    chosen = _auto_pilots(tasks, [("s0", "s5")])
    assert [t.name for t in chosen if t.pilot] == ["s1"]


def test_what_a_pilot_depends_on_moves_with_the_pilots():
    from xinchuang.pipeline.plan import _pilots_bring_upstream

    tasks = [task("pilot", pilot=True), task("db"), task("auth"), task("bulk", value=9)]
    marked = _pilots_bring_upstream(tasks, [("pilot", "db"), ("db", "auth"), ("bulk", "db")])
    assert {t.name for t in marked if t.pilot} == {"pilot", "db", "auth"}
    problem = instance(*marked, dependencies=())
    solution = run(problem)
    assert validate(problem, solution).ok
