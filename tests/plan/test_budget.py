from plan_helpers import instance, run, task

from xinchuang.plan.validate import validate


def test_the_yearly_budget_pushes_a_start_into_the_next_year():
    problem = instance(
        task("a", 10, cost=600, value=5),
        task("b", 10, cost=600, value=5),
        budget={2026: 1000, 2027: 1000},
        horizon=8,
    )
    solution = run(problem)
    years = sorted(problem.periods[a.start].year for a in solution.assignments)
    assert years == [2026, 2027]
    assert validate(problem, solution).ok
