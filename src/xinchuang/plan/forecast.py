"""Monte Carlo forecast of a plan: when the deadlines are met, and the localization rate.

Each run draws, per system, an effort multiplier (log-normal, median 1; wide
where the code was never scanned, wider the more the scanner found, narrow
where it was scanned clean) and, per team and period, the share of capacity
that is really there (some is always lost to incidents, audits, leave). The
plan is then *executed*: each system starts no earlier than planned, is worked
at its planned rate as far as its team's remaining capacity allows (earliest
cut-over first), cuts over no earlier than planned, and no earlier than what
it depends on and the rest of its group. Slippage therefore only delays: no
run finishes a system before the plan does.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from xinchuang.plan.instance import (
    Evidence,
    Instance,
    Period,
    PeriodKind,
    make_periods,
    months_per_period,
)
from xinchuang.plan.solution import Solution

SIGMA = {Evidence.SCANNED_CLEAN: 0.12, Evidence.SCANNED: 0.25, Evidence.NOT_SCANNED: 0.5}
SIGMA_PER_FINDINGS_DECADE = 0.08  # more findings, more surprises: +0.08 per tenfold
CAPACITY_LOSS_MAX = 0.3  # a team loses up to 30% of a period, Beta(2, 5)-distributed
EXTEND = 3  # simulate up to three horizons before calling a system unfinished


@dataclass(frozen=True)
class DeadlineForecast:
    """When every system under one deadline is finished: plan, P50, P90, chance on time."""

    deadline: dt.date
    ids: tuple[str, ...]
    systems: int
    planned: dt.date | None
    p50: dt.date
    p90: dt.date
    probability_on_time: float


@dataclass(frozen=True)
class RatePoint:
    """The localization rate at the end of one period: P10, P50, P90 and the plan's own."""

    date: dt.date
    planned: float
    p10: float
    p50: float
    p90: float


@dataclass
class Forecast:
    """What the simulation says."""

    runs: int
    seed: int
    deadlines: list[DeadlineForecast] = field(default_factory=list)
    rate_curve: list[RatePoint] = field(default_factory=list)
    finish_planned: dt.date | None = None
    finish_p50: dt.date | None = None
    finish_p90: dt.date | None = None
    system_p50: dict[str, dt.date] = field(default_factory=dict)
    system_p90: dict[str, dt.date] = field(default_factory=dict)


def sigma(evidence: Evidence, findings: int) -> float:
    """The log-normal spread of a system's effort."""
    base = SIGMA[evidence]
    if evidence is Evidence.SCANNED and findings > 0:
        base += SIGMA_PER_FINDINGS_DECADE * math.log10(1 + findings)
    return base


def _quantile(values: npt.NDArray[np.int64], q: float) -> int:
    return int(np.quantile(values, q, method="inverted_cdf"))


def simulate(
    instance: Instance, solution: Solution, *, runs: int = 1000, seed: int = 0
) -> Forecast:
    """Run the plan ``runs`` times under uncertainty; a fixed ``seed`` gives the same answer."""
    rng = np.random.default_rng(seed)
    placed = solution.by_system()
    tasks = [t for t in instance.scheduled if t.name in placed]
    n = len(tasks)
    horizon = instance.horizon
    total = horizon * EXTEND + max((t.span for t in tasks), default=1)
    kind: PeriodKind = "month" if months_per_period(instance.periods) == 1 else "quarter"
    periods: tuple[Period, ...] = make_periods(instance.periods[0].start, kind, total)
    forecast = Forecast(runs=runs, seed=seed)
    if n == 0:
        return forecast
    index = {t.name: i for i, t in enumerate(tasks)}
    start = np.array([placed[t.name].start for t in tasks], dtype=np.int64)
    cutover = np.array([placed[t.name].cutover for t in tasks], dtype=np.int64)
    planned_finish = np.array([placed[t.name].finish for t in tasks], dtype=np.int64)
    spreads = np.array([sigma(t.evidence, t.findings) for t in tasks])
    multiplier = np.exp(rng.standard_normal((runs, n)) * spreads)
    effort = np.array([t.effort_days for t in tasks]) * multiplier
    rate = np.array([t.effort_days / t.duration for t in tasks])
    remaining = effort.copy()
    done_at = np.where(effort <= 1e-9, start[None, :], -1).astype(np.int64)
    teams: dict[str, list[int]] = defaultdict(list)
    for i in np.lexsort((start, cutover)):
        teams[tasks[int(i)].team].append(int(i))
    capacity = {
        team.id: np.array([team.capacity[min(p, horizon - 1)] for p in range(total)])
        for team in instance.teams
    }
    parallel_load = np.array([t.parallel_days for t in tasks])
    parallel_len = np.array([t.parallel_periods for t in tasks], dtype=np.int64)
    for period in range(total):
        for team_id, members in teams.items():
            ids = np.array(members)
            lost = CAPACITY_LOSS_MAX * rng.beta(2.0, 5.0, size=runs)
            available = capacity[team_id][period] * (1.0 - lost)
            # parallel running of systems already cut over comes first
            in_parallel = (done_at[:, ids] >= 0) & (
                period > np.maximum(done_at[:, ids], cutover[ids])
            )
            in_parallel &= period <= np.maximum(done_at[:, ids], cutover[ids]) + parallel_len[ids]
            available = available - (in_parallel * parallel_load[ids]).sum(axis=1)
            active = (start[ids] <= period)[None, :] & (remaining[:, ids] > 1e-9)
            demand = np.minimum(remaining[:, ids], rate[ids]) * active
            before = np.cumsum(demand, axis=1) - demand
            granted = np.clip(available[:, None] - before, 0.0, demand)
            remaining[:, ids] -= granted
            finished = (remaining[:, ids] <= 1e-9) & (done_at[:, ids] < 0)
            block = done_at[:, ids]
            block[finished] = period
            done_at[:, ids] = block
    done_at[done_at < 0] = total - 1
    sim_cutover = np.maximum(done_at, cutover[None, :])
    _propagate(instance, index, sim_cutover)
    finish = np.minimum(sim_cutover + parallel_len[None, :], total - 1)
    finish = np.maximum(finish, planned_finish[None, :])
    ends = [p.end for p in periods]
    _deadlines(forecast, tasks, finish, planned_finish, ends)
    _rates(forecast, instance, tasks, finish, planned_finish, ends)
    overall = finish.max(axis=1)
    forecast.finish_planned = ends[int(planned_finish.max())]
    forecast.finish_p50 = ends[_quantile(overall, 0.5)]
    forecast.finish_p90 = ends[_quantile(overall, 0.9)]
    for i, task in enumerate(tasks):
        forecast.system_p50[task.name] = ends[_quantile(finish[:, i], 0.5)]
        forecast.system_p90[task.name] = ends[_quantile(finish[:, i], 0.9)]
    return forecast


def _propagate(instance: Instance, index: dict[str, int], cut: npt.NDArray[np.int64]) -> None:
    """Cut-overs wait for what they depend on and for their group, until nothing moves."""
    edges = [
        (index[d.depends_on], index[d.system])
        for d in instance.dependencies
        if d.system in index and d.depends_on in index
    ]
    groups = [[index[m] for m in g.systems if m in index] for g in instance.groups]
    for _round in range(len(index) + 1):
        changed = False
        for upstream, system in edges:
            later = np.maximum(cut[:, system], cut[:, upstream])
            if (later != cut[:, system]).any():
                cut[:, system] = later
                changed = True
        for members in groups:
            if len(members) < 2:
                continue
            together = cut[:, members].max(axis=1)
            if (cut[:, members] != together[:, None]).any():
                cut[:, members] = together[:, None]
                changed = True
        if not changed:
            return


def _deadlines(
    forecast: Forecast,
    tasks: list,  # type: ignore[type-arg]
    finish: npt.NDArray[np.int64],
    planned: npt.NDArray[np.int64],
    ends: list[dt.date],
) -> None:
    by_deadline: dict[tuple[dt.date, tuple[str, ...]], list[int]] = defaultdict(list)
    for i, task in enumerate(tasks):
        if task.deadline is not None:
            by_deadline[(task.deadline, task.deadline_ids)].append(i)
    end_dates = np.array([e.toordinal() for e in ends])
    for (deadline, ids), members in sorted(by_deadline.items()):
        last = finish[:, members].max(axis=1)
        on_time = float((end_dates[last] <= deadline.toordinal()).mean())
        forecast.deadlines.append(
            DeadlineForecast(
                deadline=deadline,
                ids=ids,
                systems=len(members),
                planned=ends[int(planned[members].max())],
                p50=ends[_quantile(last, 0.5)],
                p90=ends[_quantile(last, 0.9)],
                probability_on_time=round(on_time, 4),
            )
        )


def _rates(
    forecast: Forecast,
    instance: Instance,
    tasks: list,  # type: ignore[type-arg]
    finish: npt.NDArray[np.int64],
    planned: npt.NDArray[np.int64],
    ends: list[dt.date],
) -> None:
    """The rate by count if the baseline is known, else the share of systems finished."""
    if instance.baseline_total > 0:
        gains = np.array([t.foreign_items for t in tasks], dtype=float)
        base, whole = float(instance.baseline_domestic), float(instance.baseline_total)
    else:
        gains = np.ones(len(tasks))
        base, whole = 0.0, float(len(tasks))
    for period in range(instance.horizon):
        reached = ((finish <= period) * gains).sum(axis=1)
        rates = np.minimum(1.0, (base + reached) / whole)
        plan_rate = min(1.0, (base + float(((planned <= period) * gains).sum())) / whole)
        forecast.rate_curve.append(
            RatePoint(
                date=ends[period],
                planned=round(plan_rate, 4),
                p10=round(float(np.quantile(rates, 0.1, method="inverted_cdf")), 4),
                p50=round(float(np.quantile(rates, 0.5, method="inverted_cdf")), 4),
                p90=round(float(np.quantile(rates, 0.9, method="inverted_cdf")), 4),
            )
        )
