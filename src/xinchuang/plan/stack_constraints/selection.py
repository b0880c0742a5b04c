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


def merge_classes(
    systems: Sequence[tuple[Sequence[str], Sequence[StackOption]]],
) -> tuple[list[list[tuple[int, StackKey, int]]], list[int], list[int]]:
    """Merge interchangeable systems and drop options that can never be optimal.

    Systems with the same options at the same costs form one class that takes
    one option: in any optimal plan, moving all of them to the cheapest option
    any of them takes costs no more and opens no more stacks. An option dearer
    than its system's cheapest pays only if another class can open its stack
    too (alone, the system does better on its cheapest), so options whose stack
    no other class offers are dropped, until nothing more drops.
    Returns per class its (option index, stack, cost) list, per system its
    class, and per class its number of systems.
    """
    class_of: list[int] = []
    index: dict[tuple[tuple[StackKey, int], ...], int] = {}
    rows: list[list[tuple[int, StackKey, int]]] = []
    sizes: list[int] = []
    for keys, options in systems:
        row = [(k, stack_key(keys, o), o.cost) for k, o in enumerate(options)]
        signature = tuple((key, cost) for _k, key, cost in row)
        if signature not in index:
            index[signature] = len(rows)
            rows.append(row)
            sizes.append(0)
        class_of.append(index[signature])
        sizes[index[signature]] += 1
    while True:
        offered: dict[StackKey, set[int]] = {}
        for c, row in enumerate(rows):
            for _k, key, _cost in row:
                offered.setdefault(key, set()).add(c)
        dropped = False
        for c, row in enumerate(rows):
            least = min(cost for _k, _key, cost in row)
            keep = [item for item in row if item[2] == least or len(offered[item[1]]) > 1]
            if len(keep) < len(row):
                rows[c] = keep
                dropped = True
        if not dropped:
            return rows, class_of, sizes


Row = list[tuple[int, StackKey, int]]


def independent_groups(rows: list[Row]) -> list[list[int]]:
    """Groups of classes that can share a stack; groups never interact, so each is solved alone."""
    parent = list(range(len(rows)))

    def find(c: int) -> int:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    owner: dict[StackKey, int] = {}
    for c, row in enumerate(rows):
        for _k, key, _cost in row:
            if key in owner:
                parent[find(c)] = find(owner[key])
            else:
                owner[key] = c
    groups: dict[int, list[int]] = {}
    for c in range(len(rows)):
        groups.setdefault(find(c), []).append(c)
    return list(groups.values())


@dataclass
class _Solved:
    picks: dict[int, int]  # class → position in its row
    status: str
    objective: int
    bound: int


def _least(row: Row) -> int:
    return min(range(len(row)), key=lambda i: (row[i][2], i))


def _solve_component(
    rows: list[Row],
    sizes: list[int],
    members: list[int],
    *,
    penalty: int,
    time_limit: float,
    seed: int,
    workers: int,
) -> _Solved:
    """The CP-SAT model of one group of classes (see the module docstring)."""
    if len(members) == 1:  # one class: its cheapest stack, opened alone, is optimal
        c = members[0]
        i = _least(rows[c])
        value = rows[c][i][2] * sizes[c] + penalty
        return _Solved({c: i}, "OPTIMAL", value, value)
    model = cp_model.CpModel()
    opened: dict[StackKey, cp_model.IntVar] = {}
    hinted: set[StackKey] = {rows[c][_least(rows[c])][1] for c in members}
    uses: dict[int, list[cp_model.IntVar]] = {}
    variables: list[cp_model.IntVar] = []
    weights: list[int] = []
    for c in members:
        row = rows[c]
        use = [model.new_bool_var(f"use_{c}_{k}") for k, _key, _cost in row]
        model.add_exactly_one(use)
        uses[c] = use
        least = _least(row)
        for i, (_k, key, cost) in enumerate(row):
            if key not in opened:
                opened[key] = model.new_bool_var(f"open_{len(opened)}")
                model.add_hint(opened[key], key in hinted)
            model.add_implication(use[i], opened[key])
            model.add_hint(use[i], i == least)
            variables.append(use[i])
            weights.append(cost * sizes[c])
    for variable in opened.values():
        variables.append(variable)
        weights.append(penalty)
    model.minimize(cp_model.LinearExpr.weighted_sum(variables, weights))

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    # A deterministic limit makes one-worker results independent of the machine's load;
    # the wall-clock limit is only a safety net on a very slow machine.
    solver.parameters.max_deterministic_time = time_limit
    solver.parameters.max_time_in_seconds = time_limit * 4 + 1
    # The full LP relaxation of this facility-location model is tight; at the default
    # level one worker needed 6x longer to prove optimality on 1,000 systems.
    solver.parameters.linearization_level = 2
    code = solver.solve(model)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        picks = {
            c: next(i for i, v in enumerate(use) if solver.boolean_value(v))
            for c, use in uses.items()
        }
        objective = round(solver.objective_value)
    else:  # no solution in time: each class's cheapest stack is still a valid choice
        picks = {c: _least(rows[c]) for c in members}
        keys = {rows[c][i][1] for c, i in picks.items()}
        objective = sum(rows[c][i][2] * sizes[c] for c, i in picks.items()) + penalty * len(keys)
    return _Solved(picks, solver.status_name(code), objective, round(solver.best_objective_bound))


def select(
    systems: Sequence[tuple[Sequence[str], Sequence[StackOption]]],
    *,
    stack_penalty_centidays: int,
    time_limit: float,
    seed: int,
    workers: int,
) -> Selection:
    """Choose one option per system; ``systems`` gives each one's place keys and options.

    The time limit is shared among the groups of classes that can share a stack,
    in proportion to their number of options. The status is OPTIMAL when every
    group was solved to optimality, FEASIBLE when every group has a solution,
    and otherwise the worst group's status (its classes then take their
    cheapest stacks).
    """
    started = time.perf_counter()
    rows, class_of, sizes = merge_classes(systems)
    groups = independent_groups(rows)
    total_options = sum(len(rows[c]) for group in groups if len(group) > 1 for c in group) or 1
    picks: dict[int, int] = {}
    objective = bound = 0
    codes: list[str] = []
    for group in groups:
        share = sum(len(rows[c]) for c in group) / total_options
        solved = _solve_component(
            rows,
            sizes,
            group,
            penalty=stack_penalty_centidays,
            time_limit=max(0.5, time_limit * share),
            seed=seed,
            workers=workers,
        )
        picks.update(solved.picks)
        objective += solved.objective
        bound += solved.bound
        codes.append(solved.status)
    chosen = [rows[c][picks[c]][0] for c in class_of]
    keys_used = {stack_key(systems[s][0], systems[s][1][k]) for s, k in enumerate(chosen)}
    if all(code == "OPTIMAL" for code in codes):
        status = "OPTIMAL"
    elif all(code in ("OPTIMAL", "FEASIBLE") for code in codes):
        status = "FEASIBLE"
    else:
        status = next(code for code in codes if code not in ("OPTIMAL", "FEASIBLE"))
    return Selection(
        chosen=chosen,
        status=status,
        objective=objective,
        bound=bound,
        distinct=len(keys_used),
        seconds=time.perf_counter() - started,
    )
