"""The scheduling instance: what the wave planner reads, and nothing it has to look up.

The pipeline builds an :class:`Instance` from the workspace, the catalog, the
chosen stacks and ``plan.yaml``; the solver, the validator, the greedy
baseline and the forecast read only this model, so each can be tested on tiny
hand-made instances.

Time is counted in *periods* (months or quarters) numbered from 0. A system's
migration occupies ``duration`` consecutive periods (its effort spread evenly
over them), ends with the cut-over in its last period, and is followed by
``parallel_periods`` of parallel running (双轨), in which old and new are both
operated at a cost in person-days per period. The system is *finished* — the
old one switched off — at the end of its last parallel period; a deadline is
met when that date is on or before it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

PeriodKind = Literal["month", "quarter"]

# Person-days are scaled to integers (tenths) for the solver's capacity rows.
SCALE = 10


class Model(BaseModel):
    """Base for planner models: unknown fields are errors; instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Disposition(StrEnum):
    """What happens to a business system."""

    MIGRATE = "migrate"  # move to a domestic stack
    REPLACE = "replace"  # replace with a domestic product
    RETIRE = "retire"  # switch off, nothing replaces it
    KEEP = "keep"  # keep under an exemption: not scheduled

    @property
    def scheduled(self) -> bool:
        """Whether the system takes part in the schedule."""
        return self is not Disposition.KEEP


class Strategy(StrEnum):
    """How the third objective level weighs systems (see docs/plan.md)."""

    PILOT_THEN_BULK = "pilot-then-bulk"
    EASIEST_FIRST = "easiest-first"
    RISKIEST_LAST = "riskiest-last"
    BY_PRIORITY = "by-priority"


class Evidence(StrEnum):
    """How much is known about a system's code, which sets the width of its effort spread."""

    SCANNED_CLEAN = "scanned-clean"
    SCANNED = "scanned"  # scanned, with findings
    NOT_SCANNED = "not-scanned"


class Period(Model):
    """One planning period."""

    index: int = Field(ge=0)
    start: dt.date
    end: dt.date
    label: str
    working_days: int = Field(gt=0)

    @property
    def year(self) -> int:
        """The calendar year the period belongs to (budgets are yearly)."""
        return self.start.year


class Team(Model):
    """A team and its capacity in person-days per period (one entry per period)."""

    id: str
    capacity: tuple[float, ...]


class SystemTask(Model):
    """One business system, as the scheduler sees it."""

    name: str
    unit: str
    disposition: Disposition = Disposition.MIGRATE
    team: str = "default"
    effort_days: float = Field(ge=0)
    duration: int = Field(default=1, ge=1, description="Periods of migration work.")
    parallel_periods: int = Field(default=0, ge=0)
    parallel_days: float = Field(default=0.0, ge=0, description="Person-days per parallel period.")
    deadline: dt.date | None = None
    deadline_ids: tuple[str, ...] = ()
    weight: int = Field(default=1, ge=1, description="Weight of each period of lateness.")
    value: int = Field(default=1, ge=0, description="Weight in the localization-delay level.")
    foreign_items: int = Field(default=0, ge=0, description="Counted foreign items it replaces.")
    risk: float = Field(default=0.0, ge=0, description="Risk points of the target stack.")
    cost: float = Field(default=0.0, ge=0)
    pilot: bool = False
    target_stack: dict[str, str] = Field(default_factory=dict, description="Role → product id.")
    in_use: tuple[str, ...] = Field(default=(), description="Products the system runs today.")
    evidence: Evidence = Evidence.NOT_SCANNED
    findings: int = Field(default=0, ge=0)
    reasons: tuple[str, ...] = ()
    compliant: bool = Field(default=False, description="Already domestic: nothing to do.")
    blocked: tuple[str, ...] = Field(default=(), description="Places left foreign (blocked).")

    @property
    def span(self) -> int:
        """Periods from the first of work to the last of parallel running."""
        return self.duration + self.parallel_periods

    def load(self, offset: int) -> float:
        """Person-days the system takes in the ``offset``-th period after its start."""
        if offset < 0 or offset >= self.span:
            return 0.0
        if offset < self.duration:
            return self.effort_days / self.duration
        return self.parallel_days

    def scaled_load(self, offset: int) -> int:
        """:meth:`load` in the solver's integer units (rounded up, so the solver is safe)."""
        return math.ceil(self.load(offset) * SCALE - 1e-9)


class Dependency(Model):
    """``system`` cuts over no earlier than ``depends_on`` does (the same period is allowed)."""

    system: str
    depends_on: str


class Group(Model):
    """Systems that must cut over in the same period."""

    name: str
    systems: tuple[str, ...] = Field(min_length=2)


class Freeze(Model):
    """A change freeze: no cut-over in a period that overlaps it (for ``units``, or all)."""

    name: str
    start: dt.date
    end: dt.date
    units: tuple[str, ...] = ()

    def covers(self, unit: str, period: Period) -> bool:
        """Whether the freeze forbids a cut-over of ``unit`` in ``period``."""
        if self.units and unit not in self.units:
            return False
        return self.start <= period.end and period.start <= self.end


class Guardrails(Model):
    """Limits per wave (a wave is the set of systems cutting over in one period)."""

    max_systems: int | None = Field(default=None, ge=1)
    max_risk: float | None = Field(default=None, ge=0)


class Instance(Model):
    """Everything the wave planner needs."""

    periods: tuple[Period, ...] = Field(min_length=1)
    teams: tuple[Team, ...] = Field(min_length=1)
    systems: tuple[SystemTask, ...]
    dependencies: tuple[Dependency, ...] = ()
    groups: tuple[Group, ...] = ()
    freezes: tuple[Freeze, ...] = ()
    budget: dict[int, float] = Field(default_factory=dict, description="Year → money.")
    guardrails: Guardrails = Field(default_factory=Guardrails)
    strategy: Strategy = Strategy.PILOT_THEN_BULK
    baseline_domestic: int = Field(default=0, ge=0)
    baseline_total: int = Field(default=0, ge=0)
    catalog_revision: str = ""
    forbidden_products: tuple[str, ...] = ()
    forbidden_vendors: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Instance:
        names = [s.name for s in self.systems]
        if len(set(names)) != len(names):
            raise ValueError("system names must be unique")
        teams = {t.id for t in self.teams}
        for team in self.teams:
            if len(team.capacity) != len(self.periods):
                raise ValueError(f"team {team.id}: one capacity per period is needed")
        known = set(names)
        for system in self.systems:
            if system.team not in teams:
                raise ValueError(f"system {system.name}: unknown team {system.team!r}")
        for dep in self.dependencies:
            if dep.system not in known or dep.depends_on not in known:
                raise ValueError(f"dependency {dep.system} -> {dep.depends_on}: unknown system")
        for group in self.groups:
            for name in group.systems:
                if name not in known:
                    raise ValueError(f"group {group.name}: unknown system {name!r}")
        for index, period in enumerate(self.periods):
            if period.index != index:
                raise ValueError("periods must be numbered 0, 1, 2 … in order")
        return self

    @property
    def horizon(self) -> int:
        """The number of periods."""
        return len(self.periods)

    @property
    def scheduled(self) -> list[SystemTask]:
        """The systems that take part in the schedule (not kept under an exemption)."""
        return [s for s in self.systems if s.disposition.scheduled]

    def team(self, team_id: str) -> Team:
        """A team by id."""
        for team in self.teams:
            if team.id == team_id:
                return team
        raise KeyError(team_id)

    def deadline_period(self, system: SystemTask) -> int | None:
        """The last period whose end is on or before the system's deadline (-1: none is)."""
        if system.deadline is None:
            return None
        last = -1
        for period in self.periods:
            if period.end <= system.deadline:
                last = period.index
        return last

    def frozen(self, system: SystemTask, period: int) -> bool:
        """Whether a cut-over of ``system`` in ``period`` is forbidden by a freeze."""
        return any(f.covers(system.unit, self.periods[period]) for f in self.freezes)


def month_add(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    total = day.year * 12 + (day.month - 1) + months
    return dt.date(total // 12, total % 12 + 1, 1)


def make_periods(start: dt.date, kind: PeriodKind, horizon: int) -> tuple[Period, ...]:
    """``horizon`` periods from the month (or quarter) of ``start``."""
    step = 1 if kind == "month" else 3
    first = dt.date(start.year, start.month, 1)
    if kind == "quarter":
        first = dt.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    periods: list[Period] = []
    for index in range(horizon):
        begin = month_add(first, index * step)
        end = month_add(begin, step) - dt.timedelta(days=1)
        if kind == "month":
            label = f"{begin.year}-{begin.month:02d}"
        else:
            label = f"{begin.year}-Q{(begin.month - 1) // 3 + 1}"
        periods.append(
            Period(
                index=index,
                start=begin,
                end=end,
                label=label,
                working_days=_working_days(begin, end),
            )
        )
    return tuple(periods)


def _working_days(start: dt.date, end: dt.date) -> int:
    days = (end - start).days + 1
    full, rest = divmod(days, 7)
    count = full * 5
    weekday = start.weekday()
    for offset in range(rest):
        if (weekday + offset) % 7 < 5:
            count += 1
    return count


def months_per_period(periods: Sequence[Period]) -> int:
    """1 for monthly periods, 3 for quarters."""
    first = periods[0]
    return (first.end.year * 12 + first.end.month) - (first.start.year * 12 + first.start.month) + 1
