"""Generated organizations, for the benchmark and the property tests.

An organization has units, a team per few units, a few shared platforms
(databases, single sign-on, message buses) that many systems depend on —
preferential attachment, so some are hubs as in real estates — systems that
must move together, 2+8+N deadlines and a capacity that makes the deadlines
tight but (mostly) possible.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from xinchuang.plan.instance import (
    Dependency,
    Disposition,
    Evidence,
    Group,
    Instance,
    Strategy,
    SystemTask,
    Team,
    make_periods,
)

START = dt.date(2026, 1, 1)


def organization(
    systems: int,
    *,
    seed: int = 0,
    horizon: int = 12,
    load: float = 0.7,
    strategy: Strategy = Strategy.PILOT_THEN_BULK,
) -> Instance:
    """An organization of ``systems`` business systems over ``horizon`` quarters.

    ``load`` is the share of the horizon's total capacity that the work needs.
    """
    rng = random.Random(seed)
    periods = make_periods(START, "quarter", horizon)
    units = max(1, systems // 20)
    team_count = max(1, units // 3)
    deadline_2027 = dt.date(2027, 12, 31)
    tasks: list[SystemTask] = []
    shared = max(1, systems // 20)
    for index in range(systems):
        unit = f"unit-{index % units:04d}"
        team = f"team-{(index % units) % team_count:03d}"
        effort = min(400.0, rng.lognormvariate(math.log(25), 0.8))
        staff_days = 4 * 63
        duration = max(1, math.ceil(effort / staff_days))
        parallel = rng.choice((0, 1, 1, 1, 2)) if index >= shared else 1
        tier_roll = rng.random()
        deadline = deadline_2027 if tier_roll < 0.55 else None
        evidence = rng.choice(list(Evidence))
        tasks.append(
            SystemTask(
                name=f"sys-{index:05d}",
                unit=unit,
                disposition=Disposition.MIGRATE if rng.random() < 0.9 else Disposition.RETIRE,
                team=team,
                effort_days=round(effort, 1),
                duration=duration,
                parallel_periods=parallel,
                parallel_days=6.0 if parallel else 0.0,
                deadline=deadline,
                deadline_ids=("soe-foreign-software-2027",) if deadline else (),
                weight=rng.choice((1, 1, 2, 3)),
                value=rng.randint(1, 12),
                foreign_items=rng.randint(1, 12),
                risk=float(rng.randint(0, 40)),
                cost=round(effort * 1500 + rng.choice((0, 0, 20000, 50000))),
                pilot=False,
                evidence=evidence,
                findings=0 if evidence is not Evidence.SCANNED else rng.randint(1, 200),
            )
        )
    dependencies: list[Dependency] = []
    seen: set[tuple[int, int]] = set()
    weights = [1.0] * shared
    for index in range(1, shared):  # shared platforms form a DAG among themselves
        if rng.random() < 0.3:
            upstream = rng.randrange(index)
            dependencies.append(
                Dependency(system=tasks[index].name, depends_on=tasks[upstream].name)
            )
    for index in range(shared, systems):
        for _ in range(rng.choice((0, 1, 1, 2))):
            upstream = rng.choices(range(shared), weights=weights)[0]
            weights[upstream] += 1.0
            if (index, upstream) not in seen:
                seen.add((index, upstream))
                dependencies.append(
                    Dependency(system=tasks[index].name, depends_on=tasks[upstream].name)
                )
    groups = []
    for number, index in enumerate(range(shared, systems - 1, 97)):
        groups.append(
            Group(name=f"group-{number}", systems=(tasks[index].name, tasks[index + 1].name))
        )
    total_work = sum(t.effort_days + t.parallel_days * t.parallel_periods for t in tasks)
    per_team = total_work / load / team_count / horizon
    teams = tuple(
        Team(id=f"team-{number:03d}", capacity=tuple([round(per_team, 1)] * horizon))
        for number in range(team_count)
    )
    return Instance(
        periods=periods,
        teams=teams,
        systems=tuple(tasks),
        dependencies=tuple(dependencies),
        groups=tuple(groups),
        strategy=strategy,
        baseline_domestic=systems,
        baseline_total=systems * 8,
    )
