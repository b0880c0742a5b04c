from plan_helpers import instance, run, task

from xinchuang.plan.instance import Guardrails
from xinchuang.plan.validate import validate


def test_at_most_one_system_per_wave():
    problem = instance(
        task("a", 1, value=3), task("b", 1, value=3), guardrails=Guardrails(max_systems=1)
    )
    solution = run(problem)
    assert len({a.cutover for a in solution.assignments}) == 2
    assert validate(problem, solution).ok


def test_risk_per_wave():
    problem = instance(
        task("a", 1, risk=30), task("b", 1, risk=30), guardrails=Guardrails(max_risk=40)
    )
    solution = run(problem)
    assert len({a.cutover for a in solution.assignments}) == 2
    assert validate(problem, solution).ok
