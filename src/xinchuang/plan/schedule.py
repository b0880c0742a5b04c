"""Schedule the migrations with CP-SAT, one objective level at a time.

The model (see :mod:`xinchuang.plan.variables`) is solved in three stages:
minimize deadlines missed; fix that level at the value found and minimize the
weighted lateness; fix that too and minimize the localization delay. Each
stage starts from the previous stage's schedule (the first from the greedy
earliest-deadline-first schedule), so a feasible plan exists as soon as the
greedy one does. Each level's objective and CP-SAT's bound on it are reported.

When the hard constraints cannot hold, the families in CP-SAT's infeasible
core are named and the capacity that would make the plan feasible is searched
for; when deadlines are missed, the capacity that would meet them is.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from xinchuang.errors import PlanInfeasible
from xinchuang.i18n import _
from xinchuang.plan import greedy, objectives
from xinchuang.plan.constraints import (
    budget,
    capacity,
    dependencies,
    freezes,
    groups,
    guardrails,
    pilots,
)
from xinchuang.plan.instance import Instance, SystemTask, Team
from xinchuang.plan.solution import Assignment, CapacityAdvice, Levels, Missed, Solution
from xinchuang.plan.validate import validate
from xinchuang.plan.variables import Variables, build

FAMILY_ADDERS: dict[str, Callable[[Variables], None]] = {
    capacity.NAME: capacity.add,
    dependencies.NAME: dependencies.add,
    groups.NAME: groups.add,
    pilots.NAME: pilots.add,
    freezes.NAME: freezes.add,
    budget.NAME: budget.add,
    guardrails.NAME: guardrails.add,
}
STAGE_SHARE = (0.4, 0.3, 0.3)
MAX_FACTOR = 8.0
LARGE = 2000  # systems: above this, presolve is kept short
MIN_STAGE = 0.5  # seconds: a stage with less wall-clock time left keeps the best known plan


@dataclass(frozen=True)
class SolveOptions:
    """How to run CP-SAT.

    ``deterministic_time`` (in CP-SAT's deterministic seconds) makes a run
    independent of the machine's load; tests set it with ``workers=1``.
    """

    time_limit: float = 60.0
    seed: int = 0
    workers: int = 0  # 0: CP-SAT's default (all cores)
    deterministic_time: float | None = None
    hint: bool = True
    advice: bool = True
    log: bool = False
    large: bool = False

    def scaled(self, share: float) -> SolveOptions:
        """The same options with a share of the time."""
        return SolveOptions(
            time_limit=max(0.05, self.time_limit * share),
            seed=self.seed,
            workers=self.workers,
            deterministic_time=(
                None if self.deterministic_time is None else self.deterministic_time * share
            ),
            hint=self.hint,
            advice=self.advice,
            log=self.log,
            large=self.large,
        )


def _solver(options: SolveOptions) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = options.time_limit
    if options.deterministic_time is not None:
        params.max_deterministic_time = options.deterministic_time
    params.random_seed = options.seed
    if options.workers:
        params.num_workers = options.workers
    params.log_search_progress = options.log
    # the LP's cuts pay off on this time-indexed model: better schedules and bounds sooner
    params.linearization_level = 2
    if options.large:
        # presolve of a 10⁵-boolean model takes seconds; one pass is enough to use the hint
        params.max_presolve_iterations = 1
        params.presolve_probing_deterministic_time_limit = 0.5
    return solver


def _model(instance: Instance) -> tuple[cp_model.CpModel, Variables, dict[str, object]]:
    model = cp_model.CpModel()
    variables = build(instance, model)
    for add in FAMILY_ADDERS.values():
        add(variables)
    return model, variables, objectives.expressions(variables)


def _assignments(
    instance: Instance, variables: Variables, values: Sequence[int]
) -> list[Assignment]:
    """The schedule in a CP-SAT response (``values``: the solution, indexed by variable)."""
    out = []
    for name, starts in variables.x.items():
        task = variables.systems[name]
        start = next((t for t, var in starts.items() if values[var.index]), None)
        out.append(placement(instance, task, start))
    return out


def placement(instance: Instance, task: SystemTask, start: int | None) -> Assignment:
    """The assignment of ``task`` starting in ``start`` (None: beyond the horizon)."""
    if start is None:
        horizon = instance.horizon
        return Assignment(
            system=task.name,
            start=horizon,
            cutover=horizon,
            finish=horizon + task.span - 1,
            beyond=True,
        )
    return Assignment(
        system=task.name,
        start=start,
        cutover=start + task.duration - 1,
        finish=start + task.span - 1,
    )


def _hint(variables: Variables, assignments: list[Assignment]) -> None:
    placed = {a.system: (None if a.beyond else a.start) for a in assignments}
    model = variables.model
    model.clear_hints()  # type: ignore[no-untyped-call]
    for name, starts in variables.x.items():
        start = placed.get(name)
        for t, var in starts.items():
            model.add_hint(var, t == start)
        model.add_hint(variables.beyond[name], start is None)
    for literal in variables.enforce.values():
        model.add_hint(literal, True)


@dataclass
class Trace:
    """Where a solve spent its wall-clock time, and what each level reached."""

    greedy: float = 0.0
    build: float = 0.0
    stages: list[dict[str, Any]] = field(default_factory=list)
    total: float = 0.0


def floors(variables: Variables, coefficients: dict[str, dict[int, int]]) -> dict[str, int]:
    """Per level, the sum over systems of the smallest coefficient any of its starts has.

    A lower bound that needs no solver (for ``deadlines_missed``, the systems
    that cannot be on time wherever they start); a level found at its floor is
    optimal, and then every system is at its own smallest coefficient.
    """
    out = {}
    for level in objectives.LEVELS:
        known = coefficients[level]
        out[level] = sum(
            min(known.get(var.index, 0) for var in [*starts.values(), variables.beyond[name]])
            for name, starts in variables.x.items()
        )
    return out


def _at_floor(variables: Variables, known: dict[int, int]) -> None:
    """Switch off every start whose coefficient is above its system's smallest one."""
    model = variables.model
    for name, starts in variables.x.items():
        options = [*starts.values(), variables.beyond[name]]
        least = min(known.get(var.index, 0) for var in options)
        for var in options:
            if known.get(var.index, 0) > least:
                model.add(var == 0)


def solve(instance: Instance, options: SolveOptions | None = None) -> Solution:
    """A schedule that meets every hard constraint, optimized level by level."""
    return solve_traced(instance, options)[0]


def solve_traced(instance: Instance, options: SolveOptions | None = None) -> tuple[Solution, Trace]:
    """:func:`solve`, and where its time went.

    Without a deterministic limit, ``time_limit`` is a wall-clock budget for the
    whole call (greedy, model, every stage): a stage that would start with too
    little time left keeps the best schedule known, the greedy one at first.
    """
    options = options or SolveOptions()
    trace = Trace()
    began = time.perf_counter()
    end = began + options.time_limit
    wall = options.deterministic_time is None
    if len(instance.systems) > LARGE and not options.large:
        options = dataclasses.replace(options, large=True)
    # the greedy schedule meets every hard constraint: it is the first feasible plan
    best = best_greedy(instance).assignments
    # the validator's word, not the greedy's: only a valid schedule may stand for the solver's
    trusted = validate(instance, best).ok
    trace.greedy = time.perf_counter() - began
    mark = time.perf_counter()
    model, variables, exprs = _model(instance)
    for literal in variables.enforce.values():
        model.add(literal == 1)
    coefficients = {
        level: {var.index: c for var, c in zip(*pair, strict=True)}
        for level, pair in objectives.terms(variables).items()
    }
    floor = floors(variables, coefficients)
    if options.hint:
        _hint(variables, best)
    trace.build = time.perf_counter() - mark
    objective: dict[str, float] = {}
    bound: dict[str, float] = {}
    statuses: list[str] = []
    for stage, level in enumerate(objectives.LEVELS):
        mark = time.perf_counter()
        current = objectives.levels(instance, {a.system: a for a in best}).model_dump()[level]
        name = "SKIPPED"
        value, low = float(current), float(floor[level])
        if trusted and current <= floor[level]:
            name = "OPTIMAL"  # at its floor: nothing can be better, no need to ask CP-SAT
        else:
            left = end - time.perf_counter() - _reserve(instance)
            if wall and left < MIN_STAGE and trusted:
                name = "UNKNOWN"  # out of time: keep the best schedule known
            else:
                share = STAGE_SHARE[stage] / sum(STAGE_SHARE[stage:])
                if wall:
                    limit = dataclasses.replace(options, time_limit=max(MIN_STAGE, left * share))
                else:
                    limit = options.scaled(STAGE_SHARE[stage])
                solver = _solver(limit)
                model.minimize(exprs[level])  # type: ignore[arg-type]
                status = solver.solve(model)
                name = solver.status_name(status)
                if status == cp_model.INFEASIBLE:
                    _raise_infeasible(instance, options, name)
                low = max(low, _bound(solver))
                if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    values = solver.response_proto.solution
                    found = _assignments(instance, variables, values)
                    # CP-SAT's plan may tie on this level and lose on the next: keep the better
                    if not trusted or _key(instance, found) < _key(instance, best):
                        trusted = True
                        best = found
                        value = float(_key(instance, best)[stage])
                if status == cp_model.OPTIMAL:
                    low = value
        statuses.append(name)
        objective[level] = value
        bound[level] = min(low, value)
        if value <= floor[level]:
            _at_floor(variables, coefficients[level])
        else:
            model.add(exprs[level] <= round(value))  # type: ignore[operator]
        if options.hint:
            _hint(variables, best)
        trace.stages.append(
            {
                "level": level,
                "status": name,
                "seconds": time.perf_counter() - mark,
                "value": value,
                "bound": bound[level],
            }
        )
    overall = "OPTIMAL" if all(s == "OPTIMAL" for s in statuses) else "FEASIBLE"
    levels = Levels(**objective)
    solution = Solution(
        status=overall,
        assignments=sorted(best, key=lambda a: (a.start, a.cutover, a.system)),
        objective=levels,
        bound=Levels(**bound),
        strategy=instance.strategy.value,
        level_status=statuses,
        catalog_revision=instance.catalog_revision,
    )
    solution.missed = missed(instance, solution.assignments)
    if solution.missed and options.advice:
        solution.advice = capacity_advice(instance, options)
    solution.solve_seconds = round(time.perf_counter() - began, 3)
    trace.total = solution.solve_seconds
    return solution, trace


def _key(instance: Instance, assignments: list[Assignment]) -> tuple[float, float, float]:
    return objectives.levels(instance, {a.system: a for a in assignments}).as_tuple()


def _reserve(instance: Instance) -> float:
    """Wall-clock seconds kept back after a stage: reading the answer, the next model change."""
    return 0.1 + 2e-5 * len(instance.systems)


def _bound(solver: cp_model.CpSolver) -> float:
    """CP-SAT's bound on the stage's objective, rounded up (objectives are integral)."""
    value = solver.best_objective_bound
    if not math.isfinite(value):
        return 0.0
    return float(max(0, math.ceil(value - 1e-6)))


def best_greedy(instance: Instance) -> greedy.Greedy:
    """The better (lexicographically) of the two greedy orders: the first schedule."""
    candidates = [greedy.schedule(instance, deadlines_first=first) for first in (True, False)]
    return min(
        candidates,
        key=lambda g: objectives.levels(instance, {a.system: a for a in g.assignments}).as_tuple(),
    )


def missed(instance: Instance, assignments: list[Assignment]) -> list[Missed]:
    """The systems that finish after their deadline, and by how much."""
    out = []
    tasks = {s.name: s for s in instance.systems}
    for placed in assignments:
        task = tasks[placed.system]
        late = objectives.periods_late(instance, task, placed.finish)
        if not late or task.deadline is None:
            continue
        last = instance.periods[-1].end
        end = None if placed.beyond else instance.periods[placed.finish].end
        out.append(
            Missed(
                system=task.name,
                deadline=task.deadline.isoformat(),
                deadline_ids=list(task.deadline_ids),
                finish=None if end is None else end.isoformat(),
                beyond_horizon=placed.beyond,
                periods_late=late,
                days_late=max(0, ((end or last) - task.deadline).days),
            )
        )
    return out


def scale_capacity(instance: Instance, factor: float) -> Instance:
    """The same instance with every team's capacity multiplied by ``factor``."""
    teams = tuple(
        Team(id=t.id, capacity=tuple(c * factor for c in t.capacity)) for t in instance.teams
    )
    return instance.model_copy(update={"teams": teams})


def unmeetable(instance: Instance) -> list[str]:
    """Systems that miss their deadline, or do not fit the horizon, at any capacity."""
    out = []
    for task in instance.scheduled:
        due = instance.deadline_period(task)
        if task.span > instance.horizon or (due is not None and task.span - 1 > due):
            out.append(task.name)
    return out


def _feasible_on_time(instance: Instance, options: SolveOptions, skip: set[str]) -> bool | None:
    """Whether every meetable deadline can be met (None: undecided in the time given)."""
    model, variables, _exprs = _model(instance)
    for literal in variables.enforce.values():
        model.add(literal == 1)
    for name, starts in variables.x.items():
        if name in skip:
            continue
        model.add(variables.beyond[name] == 0)
        task = variables.systems[name]
        for t, var in starts.items():
            if objectives.periods_late(instance, task, t + task.span - 1):
                model.add(var == 0)
    status = _solver(options).solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    if status == cp_model.INFEASIBLE:
        return False
    return None


def _search_factor(
    instance: Instance, options: SolveOptions, test: Callable[[Instance], bool | None]
) -> float | None:
    """The smallest capacity factor (to 0.05) at which ``test`` holds, up to MAX_FACTOR."""
    low, high = 1.0, None
    for factor in (1.1, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, MAX_FACTOR):
        if test(scale_capacity(instance, factor)):
            high = factor
            break
        low = factor
    if high is None:
        return None
    while high - low > 0.05:
        middle = round((low + high) / 2, 3)
        if test(scale_capacity(instance, middle)):
            high = middle
        else:
            low = middle
    return round(high, 2)


def capacity_advice(instance: Instance, options: SolveOptions) -> CapacityAdvice:
    """The capacity factor that meets every deadline and fits every system, where any can."""
    skip = set(unmeetable(instance))
    probe = options.scaled(0.1)
    factor = _search_factor(
        instance, probe, lambda scaled: _feasible_on_time(scaled, probe, skip) is True
    )
    return CapacityAdvice(factor=factor, searched_up_to=MAX_FACTOR, unmeetable=sorted(skip))


def conflict(instance: Instance, options: SolveOptions) -> list[str]:
    """The constraint families in CP-SAT's infeasible core."""
    model, variables, _exprs = _model(instance)
    model.add_assumptions(list(variables.enforce.values()))
    solver = _solver(options)
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return []
    core = set(solver.sufficient_assumptions_for_infeasibility())
    return sorted(f for f, lit in variables.enforce.items() if lit.index in core)


def _raise_infeasible(instance: Instance, options: SolveOptions, status: str) -> None:
    probe = options.scaled(0.2)
    families = conflict(instance, probe) if status == "INFEASIBLE" else []

    def feasible(scaled: Instance) -> bool:
        model, variables, _exprs = _model(scaled)
        for literal in variables.enforce.values():
            model.add(literal == 1)
        result = _solver(probe).solve(model)
        return bool(result in (cp_model.OPTIMAL, cp_model.FEASIBLE))

    factor = _search_factor(instance, probe, feasible) if options.advice else None
    named = ", ".join(families) or _("undecided in the time given")
    if factor is not None:
        tip = _("capacity × {factor} would make a plan possible").format(factor=factor)
    else:
        tip = _(
            "no capacity up to × {limit} helps: relax {families}, or lengthen the horizon"
        ).format(limit=MAX_FACTOR, families=named)
    raise PlanInfeasible(
        _("PLN302 no schedule meets every constraint ({status}); in conflict: {families}").format(
            status=status, families=named
        ),
        families,
        tip=tip,
    )
