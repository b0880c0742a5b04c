"""The scheduler's answer: when each system moves, the objective levels, and what it would take."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from xinchuang import __version__


class Model(BaseModel):
    """Base for solution models: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid")


class Levels(Model):
    """One number per objective level, in the order they are optimized."""

    deadlines_missed: float = 0
    weighted_lateness: float = 0
    localization_delay: float = 0

    def as_tuple(self) -> tuple[float, float, float]:
        """The levels in lexicographic order."""
        return (self.deadlines_missed, self.weighted_lateness, self.localization_delay)


class Assignment(Model):
    """When one system moves, as period indices."""

    system: str
    start: int = Field(ge=0, description="First period of migration work.")
    cutover: int = Field(ge=0, description="The period of the cut-over (last of work).")
    finish: int = Field(ge=0, description="The last period of parallel running (or cut-over).")
    beyond: bool = Field(
        default=False,
        description="Beyond the horizon: start = cutover = horizon, finish = horizon + span - 1.",
    )


class Missed(Model):
    """A deadline a system misses in the plan, and by how much."""

    system: str
    deadline: str
    deadline_ids: list[str] = Field(default_factory=list)
    finish: str | None = Field(description="None when the system does not fit the horizon.")
    beyond_horizon: bool = False
    periods_late: int
    days_late: int


class CapacityAdvice(Model):
    """What capacity would meet every deadline (the answer to 'infeasible')."""

    factor: float | None = Field(
        description="Capacity multiplier that meets every deadline and fits every system."
    )
    searched_up_to: float
    unmeetable: list[str] = Field(
        default_factory=list,
        description="Systems whose deadline falls before they could finish at any capacity.",
    )


class Solution(Model):
    """A schedule with its provenance."""

    status: str
    assignments: list[Assignment]
    objective: Levels
    bound: Levels
    strategy: str
    solve_seconds: float = 0.0
    level_status: list[str] = Field(default_factory=list)
    missed: list[Missed] = Field(default_factory=list)
    advice: CapacityAdvice | None = None
    xinchuang_version: str = __version__
    catalog_revision: str = ""

    def by_system(self) -> dict[str, Assignment]:
        """Assignments keyed by system name."""
        return {a.system: a for a in self.assignments}
