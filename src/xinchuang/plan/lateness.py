"""Why a system is late, in words: the binding constraint in the solution, and the fix.

For each system that misses its deadline, :func:`explain` looks at the solved
schedule and names the first constraint that holds it back, in this order:

1. its own length: even started in the first period it would finish after the
   deadline (effort ÷ staff per system, plus parallel running);
2. a dependency: it cuts over no earlier than a system it depends on;
3. the pilots: nothing starts before every pilot has cut over;
4. its team's capacity: the team is (nearly) fully used in every period from
   the first until the system starts;
5. the budget of the year it would otherwise start in;
6. a change freeze on the period it would otherwise cut over in.

Each explanation ends with the change that would make it on time.
"""

from __future__ import annotations

from collections.abc import Mapping

from xinchuang.i18n import _
from xinchuang.plan.constraints.budget import spending
from xinchuang.plan.constraints.capacity import usage
from xinchuang.plan.instance import Instance, SystemTask
from xinchuang.plan.solution import Assignment, Solution

FULL = 0.9  # a team using this share of its capacity in a period counts as full
FULL_SHARE = 0.75  # capacity binds when the team is full in this share of the periods


def _latest_on_time_finish(instance: Instance, task: SystemTask) -> int | None:
    """The last period whose end is on or before the system's deadline (None: none is)."""
    if task.deadline is None:
        return None
    ok = [p.index for p in instance.periods if p.end <= task.deadline]
    return ok[-1] if ok else None


def _range(instance: Instance, first: int, last: int) -> str:
    labels = [p.label for p in instance.periods]
    last = min(last, len(labels) - 1)
    if first >= last:
        return labels[min(first, len(labels) - 1)]
    return f"{labels[first]}–{labels[last]}"


def explain(instance: Instance, solution: Solution) -> dict[str, str]:
    """System → why it misses its deadline and what would make it on time."""
    placed = solution.by_system()
    tasks = {t.name: t for t in instance.systems}
    used = usage(instance, placed)
    spent = spending(instance, placed)
    upstream: dict[str, list[str]] = {}
    for dependency in instance.dependencies:
        upstream.setdefault(dependency.system, []).append(dependency.depends_on)
    pilots = [t.name for t in instance.systems if t.pilot]
    out: dict[str, str] = {}
    for missed in solution.missed:
        task = tasks.get(missed.system)
        where = placed.get(missed.system)
        if task is None or where is None:
            continue
        out[task.name] = _one(instance, task, where, placed, used, spent, upstream, pilots)
    return out


def _one(
    instance: Instance,
    task: SystemTask,
    where: Assignment,
    placed: Mapping[str, Assignment],
    used: Mapping[tuple[str, int], float],
    spent: Mapping[int, float],
    upstream: Mapping[str, list[str]],
    pilots: list[str],
) -> str:
    latest = _latest_on_time_finish(instance, task)
    if latest is None or task.span - 1 > latest:
        periods_allowed = (latest + 1) if latest is not None else 0
        return _(
            "its own length: {work} period(s) of work and {parallel} of parallel running do "
            "not fit the {allowed} period(s) before the deadline even from the first; on time "
            "with more staff per system, shorter parallel running, or a later deadline"
        ).format(work=task.duration, parallel=task.parallel_periods, allowed=periods_allowed)
    latest_start = latest - task.span + 1
    for used_name in upstream.get(task.name, []):
        other = placed.get(used_name)
        if other is not None and (other.beyond or other.cutover > latest_start + task.duration - 1):
            period = (
                _("beyond the horizon")
                if other.beyond
                else instance.periods[min(other.cutover, instance.horizon - 1)].label
            )
            return _(
                "waits for {dependency}, which it depends on and which cuts over in {period}; "
                "on time if {dependency} cuts over by {latest}"
            ).format(
                dependency=used_name,
                period=period,
                latest=instance.periods[max(0, latest_start + task.duration - 1)].label,
            )
    if not task.pilot and pilots:
        last_pilot = max(
            (placed[p].cutover for p in pilots if p in placed and not placed[p].beyond),
            default=-1,
        )
        if last_pilot > latest_start:
            return _(
                "waits for the pilots, which cut over in {period}; on time if the pilots "
                "finish earlier or it becomes a pilot"
            ).format(period=instance.periods[min(last_pilot, instance.horizon - 1)].label)
    team = instance.team(task.team)
    last = min(where.start, instance.horizon) - 1
    full = [
        p
        for p in range(min(last, latest_start) + 1)
        if used.get((task.team, p), 0.0) >= FULL * team.capacity[p] > 0 or team.capacity[p] == 0
    ]
    window = min(last, latest_start) + 1
    if window > 0 and len(full) == window:
        need = task.effort_days / max(1, task.duration)
        return _(
            "team {team}'s capacity is used up in {periods}; on time with about {days:.0f} "
            "more person-days a period for {team}, or with another team"
        ).format(team=task.team, periods=_range(instance, 0, window - 1), days=need)
    for p in range(min(instance.horizon, latest_start + 1)):
        year = instance.periods[p].year
        limit = instance.budget.get(year)
        if limit is not None and spent.get(year, 0.0) + task.cost > limit:
            return _(
                "the budget of {year} ({limit:,.0f}) is committed; on time with {more:,.0f} "
                "more in {year}"
            ).format(year=year, limit=limit, more=spent.get(year, 0.0) + task.cost - limit)
    for freeze in instance.freezes:
        if freeze.units and task.unit not in freeze.units:
            continue
        cut = instance.periods[min(latest_start + task.duration - 1, instance.horizon - 1)]
        if cut.start <= freeze.end and freeze.start <= cut.end:
            return _(
                "the change freeze {freeze} covers the period it would cut over in ({period}); "
                "on time if the freeze is shortened or the work starts earlier"
            ).format(freeze=freeze.name, period=cut.label)
    return _(
        "the schedule places it after systems of more weight or value with the same team; "
        "on time with a higher priority or more capacity for {team}"
    ).format(team=task.team)
