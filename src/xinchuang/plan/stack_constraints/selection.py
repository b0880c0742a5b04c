"""The CP-SAT model: one certified stack per system, few distinct stacks across the organization.

Variables: ``use[s, k]`` — system ``s`` takes its ``k``-th certified stack;
``open[T]`` — stack ``T`` (the sorted (place, product) pairs) is used by some
system. Constraints: exactly one stack per system; a system's stack opens it.
Objective (one weighted sum, in hundredths of a person-day): each system's
effort plus weighted risk, plus ``stack_penalty`` person-days per open stack.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from xinchuang.plan.stack_constraints.search import StackOption

StackKey = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Selection:
    """The stack index chosen per system, and the solve's status and figures."""

    chosen: list[int]
    status: str
    objective: int
    bound: int
    distinct: int
    seconds: float


def stack_key(keys: Sequence[str], option: StackOption) -> StackKey:
    """The identity of a stack: its (place, product) pairs, sorted."""
    return tuple(sorted(zip(keys, option.products, strict=True)))


def select(
    systems: Sequence[tuple[Sequence[str], Sequence[StackOption]]],
    *,
    stack_penalty_centidays: int,
    time_limit: float,
    seed: int,
    workers: int,
) -> Selection:
    """Choose one option per system; ``systems`` gives each one's place keys and options."""
    started = time.perf_counter()
    model = cp_model.CpModel()
    opened: dict[StackKey, cp_model.IntVar] = {}
    uses: list[list[cp_model.IntVar]] = []
    terms: list[cp_model.LinearExpr] = []
    for s, (keys, options) in enumerate(systems):
        row = [model.new_bool_var(f"use_{s}_{k}") for k in range(len(options))]
        model.add_exactly_one(row)
        uses.append(row)
        cheapest = min(range(len(options)), key=lambda k: (options[k].cost, k))
        for k, option in enumerate(options):
            key = stack_key(keys, option)
            if key not in opened:
                opened[key] = model.new_bool_var(f"open_{len(opened)}")
            model.add_implication(row[k], opened[key])
            model.add_hint(row[k], k == cheapest)
            if option.cost:
                terms.append(option.cost * row[k])
    for variable in opened.values():
        terms.append(stack_penalty_centidays * variable)
    model.minimize(sum(terms) if terms else 0)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    # A deterministic limit makes one-worker results independent of the machine's load;
    # the wall-clock limit is only a safety net on a very slow machine.
    solver.parameters.max_deterministic_time = time_limit
    solver.parameters.max_time_in_seconds = time_limit * 4 + 1
    code = solver.solve(model)
    status = solver.status_name(code)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [next(k for k, v in enumerate(row) if solver.boolean_value(v)) for row in uses]
        objective = round(solver.objective_value)
        bound = round(solver.best_objective_bound)
    else:  # no solution in time: every system's cheapest stack is still a valid choice
        chosen = [
            min(range(len(options)), key=lambda k, o=options: (o[k].cost, k))  # type: ignore[misc]
            for _keys, options in systems
        ]
        objective = -1
        bound = round(solver.best_objective_bound) if systems else 0
    keys_used = {stack_key(systems[s][0], systems[s][1][k]) for s, k in enumerate(chosen)}
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        objective = sum(systems[s][1][k].cost for s, k in enumerate(chosen)) + (
            stack_penalty_centidays * len(keys_used)
        )
    return Selection(
        chosen=chosen,
        status=status,
        objective=objective,
        bound=bound,
        distinct=len(keys_used),
        seconds=time.perf_counter() - started,
    )
