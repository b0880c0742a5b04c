"""``plan.yaml``: what only the organization knows, validated with located errors.

docs/plan.example.yaml is a commented example of every setting; a test loads it.
Command-line flags override the file (see :func:`PlanSettings.override`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from xinchuang.catalog.located_yaml import YamlSyntaxError, load
from xinchuang.errors import DataError, Issue
from xinchuang.i18n import _
from xinchuang.plan.instance import Disposition, PeriodKind, Strategy

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
DeadlineKind = Literal["procurement", "replacement", "advisory"]


def _default_kinds() -> list[DeadlineKind]:
    return ["replacement", "advisory"]


class Strict(BaseModel):
    """Unknown keys are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")


class TeamSettings(Strict):
    """A team: its capacity per period, and the units (or systems) it serves."""

    id: str = Field(min_length=1)
    capacity: float = Field(ge=0, description="Person-days per period.")
    capacity_by_period: dict[str, float] = Field(
        default_factory=dict, description="Period label (2026-Q1, 2026-03) → person-days."
    )
    units: list[str] = Field(default_factory=list)


class FreezeSettings(Strict):
    """A change freeze: no cut-over in a period that touches it."""

    name: str
    start: dt.date
    end: dt.date
    units: list[str] = Field(default_factory=list)


class BudgetSettings(Strict):
    """Money: the day rate, licences per product and system, and the yearly budget."""

    day_rate: float = Field(default=0, ge=0)
    licences: dict[str, float] = Field(default_factory=dict)
    yearly: dict[int, float] = Field(default_factory=dict)


class GroupSettings(Strict):
    """Systems that cut over together."""

    name: str
    systems: list[str] = Field(min_length=2)


class GuardrailSettings(Strict):
    """Limits per wave."""

    max_systems: int | None = Field(default=None, ge=1)
    max_risk: float | None = Field(default=None, ge=0)


class ParallelSettings(Strict):
    """Parallel running (双轨): months old and new run side by side, and what it costs."""

    months: int = Field(default=0, ge=0)
    days_per_month: float = Field(
        default=2.0, ge=0, description="Person-days a month to run old and new together."
    )


class EffortSettings(Strict):
    """The effort model's parameters (docs/plan.md "Effort model"); all in person-days."""

    host_days: dict[str, float] = Field(
        default_factory=lambda: {
            "database": 2.0,
            "application": 1.5,
            "server": 1.0,
            "terminal": 0.25,
        },
        description="Per host moved to the new platform, by the host's role.",
    )
    database_fixed_days: float = Field(default=3.0, ge=0)
    database_days_per_host: float = Field(default=1.0, ge=0)
    application_days: dict[str, float] = Field(
        default_factory=lambda: {"high": 20.0, "medium": 10.0, "low": 5.0},
        description="Application adaptation of a system never scanned, by criticality.",
    )
    testing_share: float = Field(default=0.3, ge=0, le=2)

    @field_validator("host_days", "application_days")
    @classmethod
    def _not_negative(cls, values: dict[str, float], info: Any) -> dict[str, float]:
        keys = (
            ("database", "application", "server", "terminal")
            if info.field_name == "host_days"
            else ("high", "medium", "low")
        )
        for key, value in values.items():
            if key not in keys:
                raise ValueError(f"{key}: not one of {', '.join(keys)}")
            if value < 0:
                raise ValueError(f"{key}: must be zero or more")
        return values


class SystemSettings(Strict):
    """Per-system settings."""

    disposition: Disposition | None = None
    team: str | None = None
    priority: int | None = Field(default=None, ge=1, le=10)
    parallel_months: int | None = Field(default=None, ge=0)
    effort_days: float | None = Field(default=None, ge=0)


class PlanSettings(Strict):
    """Every setting of plan.yaml (all optional)."""

    start: str | None = Field(default=None, description="YYYY-MM; default: next month.")
    period: PeriodKind = "quarter"
    horizon: int = Field(default=12, ge=1, le=120)
    capacity: float = Field(default=200.0, ge=0, description="Default team, per period.")
    strategy: Strategy = Strategy.PILOT_THEN_BULK
    time_limit: float = Field(default=30.0, gt=0)
    seed: int = 0
    max_staff_per_system: float = Field(default=4.0, gt=0)
    retire_effort_days: float = Field(default=5.0, ge=0)
    deadline_kinds: list[DeadlineKind] = Field(default_factory=_default_kinds)
    shift_deadlines_months: int = 0
    parallel_running: ParallelSettings = Field(default_factory=ParallelSettings)
    teams: list[TeamSettings] = Field(default_factory=list)
    freezes: list[FreezeSettings] = Field(default_factory=list)
    budget: BudgetSettings = Field(default_factory=BudgetSettings)
    pinned: dict[str, str] = Field(default_factory=dict)
    forbidden: list[str] = Field(default_factory=list)
    forbidden_vendors: list[str] = Field(default_factory=list)
    groups: list[GroupSettings] = Field(default_factory=list)
    pilots: list[str] = Field(default_factory=list)
    state_owned: list[str] = Field(default_factory=list)
    guardrails: GuardrailSettings = Field(default_factory=GuardrailSettings)
    effort: EffortSettings = Field(default_factory=EffortSettings)
    keep_vendor: list[Literal["server", "terminal"]] = Field(
        default_factory=list,
        description="Roles whose vendor the organization keeps where it can (change the line).",
    )
    systems: dict[str, SystemSettings] = Field(default_factory=dict)

    @field_validator("start")
    @classmethod
    def _month(cls, value: str | None) -> str | None:
        if value is not None:
            match = MONTH.match(str(value))
            if not match or not 1 <= int(match.group(2)) <= 12:
                raise ValueError("write the month as YYYY-MM, e.g. 2026-07")
        return value

    def start_date(self, today: dt.date | None = None) -> dt.date:
        """The first day of the first period's month (default: next month)."""
        if self.start is not None:
            year, month = self.start.split("-")
            return dt.date(int(year), int(month), 1)
        today = today or dt.date.today()
        return dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)

    def override(self, **flags: Any) -> PlanSettings:
        """A copy with the flags that were given (not None) replacing the file's values."""
        given = {key: value for key, value in flags.items() if value is not None}
        data = self.model_dump()
        data.update(given)
        return PlanSettings.model_validate(data)


def read_settings(path: Path | None) -> PlanSettings:
    """Load and validate ``plan.yaml`` (defaults when ``path`` is None)."""
    if path is None:
        return PlanSettings()
    if not path.is_file():
        raise DataError(
            "",
            [Issue(str(path), _("no such settings file"), "PLN001")],
            tip=_("see docs/plan.example.yaml for a commented example"),
        )
    try:
        document = load(path)
    except YamlSyntaxError as error:
        raise DataError(
            "",
            [Issue(error.file, error.message, "PLN001", line=error.line, column=error.column)],
        ) from error
    data = document.data if document.data is not None else {}
    if not isinstance(data, dict):
        raise DataError("", [Issue(str(path), _("must be a mapping of settings"), "PLN002")])
    if isinstance(data.get("start"), dt.date):  # YAML reads 2026-07-01 as a date
        data["start"] = data["start"].strftime("%Y-%m")
    try:
        return PlanSettings.model_validate(data)
    except ValidationError as error:
        issues = []
        for problem in error.errors():
            location = tuple(problem["loc"])
            value = problem.get("input")
            issues.append(
                Issue(
                    str(path),
                    str(problem["msg"]),
                    "PLN002",
                    line=document.line_of(location),
                    field=".".join(str(part) for part in location),
                    value=None if isinstance(value, dict | list) else str(value),
                )
            )
        raise DataError(
            _("{path}: {n} invalid setting(s)").format(path=path, n=len(issues)), issues
        ) from None
