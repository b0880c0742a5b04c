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
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ortools.linear_solver import linear_solver_pb2, pywraplp
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
from xinchuang.plan.instance import SCALE, Guardrails, Instance, SystemTask, Team
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
LNS_MIN = 500  # systems: from here on (with several teams), neighbourhoods instead of stages
NEIGHBOURHOOD_SECONDS = 0.1  # per team: many short solves beat few long ones (10,000 systems)
REPAIR_SECONDS = 1.0  # per neighbourhood with a late system
BUILD_SECONDS = 3e-4  # per system: building the model and its floors (measured: 2.5 s at 10,000)
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
    if wall and trusted and end - time.perf_counter() < BUILD_SECONDS * len(instance.systems):
        # no time to build the model: the greedy plan, with the bound every level has (0)
        return _finish(instance, options, began, trace, best, _key(instance, best), None)
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
    stages: tuple[str, ...] = objectives.LEVELS
    if wall and trusted and len(instance.scheduled) >= LNS_MIN and len(instance.teams) > 1:
        search = _Large(instance, options, end, model, variables, exprs, floor, trace)
        best, objective, bound, statuses = search.run(best)
        stages = ()
    for stage, level in enumerate(stages):
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
    values = (objective["deadlines_missed"], objective["weighted_lateness"])
    return _finish(
        instance,
        options,
        began,
        trace,
        best,
        (*values, objective["localization_delay"]),
        (bound, statuses),
    )


def _finish(
    instance: Instance,
    options: SolveOptions,
    began: float,
    trace: Trace,
    best: list[Assignment],
    objective: tuple[float, float, float],
    bounds: tuple[dict[str, float], list[str]] | None,
) -> tuple[Solution, Trace]:
    """The solution of ``best``, its missed deadlines and (when asked) the capacity advice."""
    if bounds is None:
        bound = dict.fromkeys(objectives.LEVELS, 0.0)
        statuses = ["OPTIMAL" if value <= 0 else "FEASIBLE" for value in objective]
    else:
        bound, statuses = bounds
    overall = "OPTIMAL" if all(s == "OPTIMAL" for s in statuses) else "FEASIBLE"
    levels = Levels(**dict(zip(objectives.LEVELS, objective, strict=True)))
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
    factor: float | None = None
    # When today's capacity already meets every deadline that can be met, the missed ones
    # are the unmeetable ones: no factor is advised (a search from 1.1 would say "× 1.02").
    if _feasible_on_time(instance, probe, skip) is not True:
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


class Neighbourhoods:
    """Re-optimize one team's systems at a time, everything else held where it is.

    A team's systems share its capacity and little else: with the other
    systems fixed, what they impose (a dependency's cut-over, a group's
    period, the budget and wave room they leave, the pilots' end) becomes
    bounds, and the team's model is small enough for CP-SAT to settle in a
    fraction of a second. The three levels are folded into one weighted
    objective whose weights keep their order exactly (each weight exceeds the
    whole range of the levels below it within the team), so an accepted
    change is a lexicographic improvement of the whole plan.
    """

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.tasks = {t.name: t for t in instance.scheduled}
        self.by_team: dict[str, list[SystemTask]] = {}
        for task in instance.scheduled:
            self.by_team.setdefault(task.team, []).append(task)
        self.upstream: dict[str, list[str]] = {}
        self.downstream: dict[str, list[str]] = {}
        for dep in instance.dependencies:
            if dep.system in self.tasks and dep.depends_on in self.tasks:
                self.upstream.setdefault(dep.system, []).append(dep.depends_on)
                self.downstream.setdefault(dep.depends_on, []).append(dep.system)
        self.pilots = [t.name for t in instance.scheduled if t.pilot]

    def relaxation(self, team: str) -> Instance:
        """The team alone: a relaxation of the whole (what ties it to others is dropped)."""
        members = self.by_team[team]
        names = {t.name for t in members}
        instance = self.instance
        return instance.model_copy(
            update={
                "teams": (instance.team(team),),
                "systems": tuple(t.model_copy(update={"pilot": False}) for t in members),
                "dependencies": tuple(
                    d for d in instance.dependencies if d.system in names and d.depends_on in names
                ),
                "groups": tuple(g for g in instance.groups if set(g.systems) <= names),
            }
        )

    def improve(
        self, names: set[str], placed: dict[str, Assignment], options: SolveOptions
    ) -> list[Assignment] | None:
        """``names`` re-placed, the others fixed; None when CP-SAT found nothing."""
        built = self._model(names, placed)
        if built is None:
            return None
        model, variables, weights = built
        _hint(variables, [placed[name] for name in variables.x])
        model.minimize(weights)
        solver = _solver(options)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        values = solver.response_proto.solution
        return _assignments(variables.instance, variables, values)

    def team(self, team: str, upstream: bool = False) -> set[str]:
        """A team's systems (pilots stay where they are), and those they depend on."""
        names = {t.name for t in self.by_team.get(team, []) if not (t.pilot and self.pilots)}
        if upstream:
            names |= {
                up
                for name in list(names)
                for up in self.upstream.get(name, [])
                if not self.tasks[up].pilot
            }
        return names

    def _model(
        self, names: set[str], placed: dict[str, Assignment]
    ) -> tuple[cp_model.CpModel, Variables, Any] | None:
        instance = self.instance
        horizon = instance.horizon
        free = [self.tasks[n] for n in sorted(names) if n in self.tasks]
        if not free:
            return None
        fixed = [t for t in self.tasks.values() if t.name not in names]
        teams = sorted({t.team for t in free})
        caps = {
            team: [capacity.scaled_capacity(c) for c in instance.team(team).capacity]
            for team in teams
        }
        for team in teams:
            for task in self.by_team[team]:
                if task.name in names or placed[task.name].beyond:
                    continue
                for offset in range(task.span):
                    caps[team][placed[task.name].start + offset] -= task.scaled_load(offset)
        money: dict[int, float] = {}
        for year, limit in instance.budget.items():
            spent = sum(
                int(-(-t.cost // 1))
                for t in fixed
                if t.cost > 0
                and not placed[t.name].beyond
                and instance.periods[placed[t.name].start].year == year
            )
            money[year] = float(int(limit) - spent)
        sub = instance.model_copy(
            update={
                "teams": tuple(
                    Team(id=team, capacity=tuple(c / SCALE for c in caps[team])) for team in teams
                ),
                "systems": tuple(t.model_copy(update={"pilot": False}) for t in free),
                "dependencies": tuple(
                    d for d in instance.dependencies if d.system in names and d.depends_on in names
                ),
                "groups": tuple(g for g in instance.groups if set(g.systems) <= names),
                "budget": money,
                "guardrails": Guardrails(),
            }
        )
        model, variables, _exprs = _model(sub)
        for literal in variables.enforce.values():
            model.add(literal == 1)
        for name in names:
            for up in self.upstream.get(name, []):
                if up not in names:
                    model.add(variables.cutover_expr(name) >= placed[up].cutover)
            for down in self.downstream.get(name, []):
                if down not in names:
                    model.add(variables.cutover_expr(name) <= placed[down].cutover)
        for group in instance.groups:
            inside = [m for m in group.systems if m in names]
            outside = [m for m in group.systems if m in self.tasks and m not in names]
            if inside and outside:
                for m in inside:
                    model.add(variables.cutover_expr(m) == placed[outside[0]].cutover)
        if self.pilots:
            done = min(horizon, max(placed[p].cutover + 1 for p in self.pilots))
            for name in names:
                model.add(variables.start_expr(name) >= done)
        self._waves(variables, fixed, placed)
        if not any(objectives.periods_late(instance, t, placed[t.name].finish) for t in free):
            # none of them is late: a better plan keeps it so, and late starts can go
            literals, coefficients = objectives.terms(variables)["deadlines_missed"]
            for var, c in zip(literals, coefficients, strict=True):
                if c:
                    model.add(var == 0)
        return model, variables, _weighted(variables)

    def linked(self, a: set[str], b: set[str]) -> bool:
        """Whether two neighbourhoods share a team or a dependency or group between them."""
        if {self.tasks[n].team for n in a} & {self.tasks[n].team for n in b}:
            return True
        for name in a:
            for other in (*self.upstream.get(name, ()), *self.downstream.get(name, ())):
                if other in b:
                    return True
        return any(set(g.systems) & a and set(g.systems) & b for g in self.instance.groups)

    def _waves(
        self, variables: Variables, fixed: list[SystemTask], placed: dict[str, Assignment]
    ) -> None:
        rails = self.instance.guardrails
        if rails.max_systems is None and rails.max_risk is None:
            return
        count: dict[int, int] = {}
        risk: dict[int, int] = {}
        for task in fixed:
            if not placed[task.name].beyond:
                wave = placed[task.name].cutover
                count[wave] = count.get(wave, 0) + 1
                risk[wave] = risk.get(wave, 0) + round(task.risk * guardrails.RISK_SCALE)
        waves: dict[int, list[tuple[int, Any]]] = {}
        for name, starts in variables.x.items():
            task = variables.systems[name]
            for t, var in starts.items():
                waves.setdefault(t + task.duration - 1, []).append(
                    (round(task.risk * guardrails.RISK_SCALE), var)
                )
        model = variables.model
        for wave, row in waves.items():
            if rails.max_systems is not None:
                model.add(sum(v for _r, v in row) <= rails.max_systems - count.get(wave, 0))
            if rails.max_risk is not None:
                limit = int(rails.max_risk * guardrails.RISK_SCALE + 1e-9)
                model.add(
                    cp_model.LinearExpr.weighted_sum([v for _r, v in row], [r for r, _v in row])
                    <= limit - risk.get(wave, 0)
                )


def _weighted(variables: Variables) -> Any:
    """The three levels as one objective whose weights keep the lexicographic order."""
    terms = objectives.terms(variables)
    spread: dict[str, int] = {}
    for level, (literals, coefficients) in terms.items():
        known = {var.index: c for var, c in zip(literals, coefficients, strict=True)}
        total = 0
        for name, starts in variables.x.items():
            values = [known.get(v.index, 0) for v in [*starts.values(), variables.beyond[name]]]
            total += max(values) - min(values)
        spread[level] = total
    w3 = 1
    w2 = spread["localization_delay"] + 1
    w1 = w2 * spread["weighted_lateness"] + spread["localization_delay"] + 1
    vars_: list[Any] = []
    weights: list[int] = []
    for level, weight in zip(objectives.LEVELS, (w1, w2, w3), strict=True):
        vars_.extend(terms[level][0])
        weights.extend(c * weight for c in terms[level][1])
    return cp_model.LinearExpr.weighted_sum(vars_, weights)


@dataclass
class Relaxation:
    """The linear relaxation's optimum: a lower bound, and each variable's fractional value."""

    bound: float
    values: list[float]


def lp_relaxation(
    model: cp_model.CpModel, literals: list[Any], coefficients: list[int], seconds: float
) -> Relaxation | None:
    """Minimize ``coefficients · literals`` over the model's linear relaxation (GLOP).

    Read from the CP-SAT model itself, so it relaxes exactly that model: every
    linear row, exactly-one, at-most-one and clause whose enforcement literals
    are fixed true; anything else is left out, which only weakens the bound.
    None when the dual simplex does not finish in ``seconds``.
    """
    proto = model.proto
    mp = linear_solver_pb2.MPModelProto()
    lows, highs = [], []
    for var in proto.variables:
        domain = list(var.domain)
        lows.append(domain[0])
        highs.append(domain[-1])
    true: set[int] = set()
    for ct in proto.constraints:
        if ct.has_linear() and not list(ct.enforcement_literal):
            vs, domain = list(ct.linear.vars), list(ct.linear.domain)
            if len(vs) == 1 and list(ct.linear.coeffs) == [1] and domain == [1, 1]:
                true.add(vs[0])
    for index in true:
        lows[index] = max(lows[index], 1)
    for low, high in zip(lows, highs, strict=True):
        mp.variable.add(lower_bound=float(low), upper_bound=float(high))
    for ct in proto.constraints:
        if any(lit < 0 or lit not in true for lit in ct.enforcement_literal):
            continue  # enforced by a literal that may be false: left out
        if ct.has_linear():
            domain = list(ct.linear.domain)
            row = mp.constraint.add(lower_bound=_finite(domain[0]), upper_bound=_finite(domain[-1]))
            row.var_index.extend(ct.linear.vars)
            row.coefficient.extend(float(c) for c in ct.linear.coeffs)
        else:
            if ct.has_exactly_one():
                refs, low, high = list(ct.exactly_one.literals), 1.0, 1.0
            elif ct.has_at_most_one():
                refs, low, high = list(ct.at_most_one.literals), -math.inf, 1.0
            elif ct.has_bool_or():
                refs, low, high = list(ct.bool_or.literals), 1.0, math.inf
            else:
                continue
            # a negative reference -r-1 is the negation of r: 1 - x
            negated = sum(1 for r in refs if r < 0)
            row = mp.constraint.add(lower_bound=low - negated, upper_bound=high - negated)
            row.var_index.extend(r if r >= 0 else -r - 1 for r in refs)
            row.coefficient.extend(1.0 if r >= 0 else -1.0 for r in refs)
    for var, c in zip(literals, coefficients, strict=True):
        mp.variable[var.index].objective_coefficient += float(c)
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None or solver.LoadModelFromProto(mp):
        return None
    solver.SetSolverSpecificParametersAsString("use_dual_simplex: true")
    solver.SetTimeLimit(max(1, int(seconds * 1000)))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    value = solver.Objective().Value()
    return Relaxation(
        bound=float(math.ceil(value - 1e-6 * max(1.0, abs(value)))),
        values=[v.solution_value() for v in solver.variables()],
    )


def _finite(value: int) -> float:
    """A CP-SAT domain end as an LP bound (its int64 extremes are infinities)."""
    if value <= -(2**62):
        return -math.inf
    if value >= 2**62:
        return math.inf
    return float(value)


class _Large:
    """Large organizations: bounds from relaxations, plans from neighbourhoods.

    CP-SAT on the whole model of thousands of systems spends the budget in
    presolve and its bound stays far from the optimum. Instead: the level
    floors; for the first two levels, CP-SAT's bound on each team alone (a
    relaxation: what ties teams together is dropped) where the plan is above
    the floor; for the last level, the linear relaxation of the whole model
    with the first two levels held (GLOP). The plan starts from the better of
    the greedy one and the greedy one that follows the relaxation's order, and
    improves team by team (:class:`Neighbourhoods`) until the budget is spent.
    """

    def __init__(
        self,
        instance: Instance,
        options: SolveOptions,
        end: float,
        model: cp_model.CpModel,
        variables: Variables,
        exprs: dict[str, Any],
        floor: dict[str, int],
        trace: Trace,
    ) -> None:
        self.instance = instance
        self.options = options
        self.end = end
        self.model = model
        self.variables = variables
        self.exprs = exprs
        self.floor = floor
        self.trace = trace
        self.parts = Neighbourhoods(instance)
        # the team bounds get a small share of the budget at most
        self.bounds_until = time.perf_counter() + 0.08 * max(0.0, end - time.perf_counter())
        self.coefficients = {
            level: {var.index: c for var, c in zip(*pair, strict=True)}
            for level, pair in objectives.terms(variables).items()
        }

    def left(self) -> float:
        return self.end - time.perf_counter() - _reserve(self.instance)

    def run(
        self, best: list[Assignment]
    ) -> tuple[list[Assignment], dict[str, float], dict[str, float], list[str]]:
        instance = self.instance
        mark = time.perf_counter()
        value = dict(zip(objectives.LEVELS, _key(instance, best), strict=True))
        low = {level: float(self.floor[level]) for level in objectives.LEVELS}
        held: dict[str, float] = {}
        for level in objectives.LEVELS[:2]:
            if value[level] > low[level]:
                low[level] = max(low[level], self._teams_bound(level, best, held))
            held[level] = value[level]
        self._stage("team bounds", mark, value, low)
        mark = time.perf_counter()
        relaxed = self._relaxation(held)
        if relaxed is not None:
            low["localization_delay"] = max(low["localization_delay"], relaxed.bound)
            ranked = greedy.schedule(instance, rank=self._rank(relaxed)).assignments
            work = ranked
        else:
            work = best
        self._stage("linear relaxation", mark, value, low)
        mark = time.perf_counter()
        work = self._search(work)
        if _key(instance, work) < _key(instance, best) and validate(instance, work).ok:
            best = work
        value = dict(zip(objectives.LEVELS, _key(instance, best), strict=True))
        # the plan is no worse than the greedy one whose first two levels were held:
        # missed ≤ held, so the bounds on the first two levels stand; the relaxation's
        # stands unless fewer missed came with more lateness than was held
        if value["weighted_lateness"] > held["weighted_lateness"]:
            low["localization_delay"] = float(self.floor["localization_delay"])
        self._stage("neighbourhoods", mark, value, low)
        bound = {level: min(low[level], value[level]) for level in objectives.LEVELS}
        statuses = [
            "OPTIMAL" if bound[level] >= value[level] else "FEASIBLE" for level in objectives.LEVELS
        ]
        return best, value, bound, statuses

    def _stage(
        self, name: str, mark: float, value: dict[str, float], low: dict[str, float]
    ) -> None:
        self.trace.stages.append(
            {
                "level": name,
                "status": "",
                "seconds": time.perf_counter() - mark,
                "value": dict(value),
                "bound": dict(low),
            }
        )

    def _teams_bound(self, level: str, best: list[Assignment], held: dict[str, float]) -> float:
        """Σ over teams of CP-SAT's bound on the team alone (its floor where the plan is at it)."""
        instance = self.instance
        placed = {a.system: a for a in best}
        total = 0.0
        known = self.coefficients[level]
        variables = self.variables
        for team in instance.teams:
            members = self.parts.by_team.get(team.id, [])
            if not members:
                continue
            floor = sum(
                min(
                    known.get(var.index, 0)
                    for var in [*variables.x[t.name].values(), variables.beyond[t.name]]
                )
                for t in members
            )
            mine = sum(
                known.get(
                    (
                        variables.beyond[t.name]
                        if placed[t.name].beyond
                        else variables.x[t.name][placed[t.name].start]
                    ).index,
                    0,
                )
                for t in members
            )
            seconds = min(1.0, self.left() * 0.02, self.bounds_until - time.perf_counter())
            if mine <= floor or seconds < 0.05:
                total += floor
                continue
            sub = self.parts.relaxation(team.id)
            model, sub_variables, exprs = _model(sub)
            for literal in sub_variables.enforce.values():
                model.add(literal == 1)
            for name, limit in held.items():
                model.add(exprs[name] <= round(limit))  # type: ignore[operator]
            _hint(sub_variables, [placed[t.name] for t in sub.systems])
            model.minimize(exprs[level])  # type: ignore[arg-type]
            solver = _solver(dataclasses.replace(self.options, time_limit=seconds))
            status = solver.solve(model)
            if status == cp_model.OPTIMAL:
                total += round(solver.objective_value)
            elif status == cp_model.INFEASIBLE:
                total += floor  # cannot happen: the plan's part is feasible
            else:
                total += max(floor, _bound(solver))
        return total

    def _relaxation(self, held: dict[str, float]) -> Relaxation | None:
        model = self.model.clone()
        for name, limit in held.items():
            model.add(self.exprs[name] <= round(limit))
        literals, coefficients = objectives.terms(self.variables)["localization_delay"]
        seconds = self.left() * 0.4
        if seconds < 0.5:
            return None
        return lp_relaxation(model, literals, coefficients, seconds)

    def _rank(self, relaxed: Relaxation) -> dict[str, float]:
        """Each system's expected cut-over in the relaxation."""
        variables = self.variables
        horizon = self.instance.horizon
        out = {}
        for name, starts in variables.x.items():
            task = variables.systems[name]
            expected = horizon * relaxed.values[variables.beyond[name].index]
            for t, var in starts.items():
                expected += (t + task.duration - 1) * relaxed.values[var.index]
            out[name] = expected
        return out

    def _search(self, work: list[Assignment]) -> list[Assignment]:
        """Neighbourhood after neighbourhood while time is left: the worst teams first.

        With several workers and nothing shared across teams but dependencies
        and groups (no budget, guardrails or pilots), two unlinked
        neighbourhoods are solved at once from the same plan, one worker each.
        """
        instance = self.instance
        key = _key(instance, work)
        sweep = 0
        per = dataclasses.replace(self.options, workers=1, time_limit=NEIGHBOURHOOD_SECONDS)
        per = dataclasses.replace(per, large=False)
        pairs = (self.options.workers or os.cpu_count() or 1) >= 2 and not (
            instance.budget
            or instance.guardrails.max_systems is not None
            or instance.guardrails.max_risk is not None
            or self.parts.pilots
        )
        pool = ThreadPoolExecutor(max_workers=2) if pairs else None
        try:
            placed = {a.system: a for a in work}
            while self.left() > NEIGHBOURHOOD_SECONDS + 0.05:
                order = sorted(
                    (team.id for team in instance.teams if team.id in self.parts.by_team),
                    key=lambda team: self._excess(team, placed),
                    reverse=True,
                )
                queue = [self.parts.team(team, upstream=sweep % 2 == 1) for team in order]
                while queue:
                    # a neighbourhood with a late system gets longer: repairing it is harder
                    late = self._late(queue[0], placed)
                    share = REPAIR_SECONDS if late else per.time_limit
                    seconds = min(share, self.left())
                    if seconds < 0.05:
                        break
                    limit = dataclasses.replace(per, time_limit=seconds)
                    batch = [queue.pop(0)]
                    if pool is not None:
                        other = next(
                            (
                                n
                                for n in queue[:8]
                                if not self.parts.linked(batch[0], n)
                                and self._late(n, placed) == late
                            ),
                            None,
                        )
                        if other is not None:
                            queue.remove(other)
                            batch.append(other)
                    if pool is None or len(batch) == 1:
                        results = [self.parts.improve(batch[0], placed, limit)]
                    else:
                        results = list(
                            pool.map(self.parts.improve, batch, [placed] * 2, [limit] * 2)
                        )
                    for got in results:
                        if got is None:
                            continue
                        # the levels are sums over systems: only the changed ones count
                        before = self._part([placed[a.system] for a in got])
                        after = self._part(got)
                        found = tuple(k - b + a for k, b, a in zip(key, before, after, strict=True))
                        if found < key:
                            key = (found[0], found[1], found[2])
                            placed.update((a.system, a) for a in got)
                sweep += 1
            work = list(placed.values())
        finally:
            if pool is not None:
                pool.shutdown()
        return work

    def _part(self, assignments: list[Assignment]) -> tuple[float, float, float]:
        """The levels summed over these systems only."""
        missed = lateness = delay = 0
        for a in assignments:
            task = self.parts.tasks[a.system]
            late = objectives.periods_late(self.instance, task, a.finish)
            missed += 1 if late else 0
            lateness += task.weight * late
            delay += task.value * a.finish
        return float(missed), float(lateness), float(delay)

    def _late(self, names: set[str], placed: dict[str, Assignment]) -> bool:
        tasks = self.parts.tasks
        return any(
            objectives.periods_late(self.instance, tasks[n], placed[n].finish) for n in names
        )

    def _excess(self, team: str, placed: dict[str, Assignment]) -> tuple[float, ...]:
        """How far a team's part of the plan is from its systems' own best: worst first."""
        total = [0.0, 0.0, 0.0]
        for task in self.parts.by_team[team]:
            a = placed[task.name]
            late = objectives.periods_late(self.instance, task, a.finish)
            total[0] += 1 if late else 0
            total[1] += task.weight * late
            total[2] += task.value * (a.finish - task.span + 1)
        return tuple(total)
