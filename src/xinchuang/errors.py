"""Every error that xinchuang raises on purpose.

The tree::

    XinchuangError                 root; .code is a stable id (docs/reference/errors.md)
    ├── UsageError                 bad flag, bad setting, unknown name, missing workspace (exit 2)
    │   └── WorkspaceError         the workspace is missing, of a newer version, or unreachable
    ├── DataError                  invalid catalog, import or rule data; located Issues (exit 2)
    ├── PlanInfeasible             the planner's constraints cannot all hold; names the groups
    ├── MissingOptionalDependency  an extra is needed (names the extra to install)
    └── PluginError                a plugin failed to load or registered a duplicate key

A user sees one line per error (``str(error)``), with the location first and,
where there is an obvious fix, a ``Tip:`` line after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class ErrorPolicy(StrEnum):
    """What a reader does with a bad record (modelled on sqlglot's ErrorLevel)."""

    IGNORE = "ignore"
    WARN = "warn"
    COLLECT = "collect"
    IMMEDIATE = "immediate"


@dataclass(frozen=True)
class Issue:
    """One located problem in a file: where, what field, what value, and why."""

    file: str
    message: str
    code: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    value: str | None = None
    position: str | None = None  # a sheet/row, a JSON path… when a line does not apply

    def location(self) -> str:
        """Return ``file:line:col`` or ``file:position`` as precisely as known."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.position:
            where += f" ({self.position})" if self.line is not None else f":{self.position}"
        return where

    def __str__(self) -> str:
        detail = self.message
        if self.field:
            detail = f"{self.field}: {detail}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            detail += f" (got {shown!r})"
        return f"{self.location()}: {self.code} {detail}"


class XinchuangError(Exception):
    """Root of every deliberate error."""

    code = "XC000"
    exit_code = 2

    def __init__(self, message: str, *, tip: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.tip = tip

    def lines(self) -> list[str]:
        """The lines a user sees: the message, then the tip if there is one."""
        out = [self.message]
        if self.tip:
            out.append(f"Tip: {self.tip}")
        return out


class UsageError(XinchuangError):
    """A bad flag, setting or name given by the user."""

    code = "XC100"


class WorkspaceError(UsageError):
    """The workspace is missing, unreachable, or newer than this version."""

    code = "XC110"


class DataError(XinchuangError):
    """Input data (catalog, import, rules, settings) is invalid; carries every Issue found."""

    code = "XC200"

    def __init__(
        self, message: str, issues: Iterable[Issue] = (), *, tip: str | None = None
    ) -> None:
        self.issues: list[Issue] = list(issues)
        if self.issues and len(self.issues) == 1:
            message = str(self.issues[0])
        super().__init__(message, tip=tip)

    def lines(self) -> list[str]:
        """One line per issue, then the summary and the tip."""
        if len(self.issues) <= 1:
            return super().lines()
        out = [str(issue) for issue in self.issues]
        out.append(self.message)
        if self.tip:
            out.append(f"Tip: {self.tip}")
        return out


class PlanInfeasible(XinchuangError):
    """The planner's constraints cannot all hold."""

    code = "XC300"
    exit_code = 1

    def __init__(self, message: str, groups: Sequence[str] = (), *, tip: str | None = None):
        super().__init__(message, tip=tip)
        self.groups = list(groups)


class MissingOptionalDependency(XinchuangError):
    """A feature needs an extra that is not installed."""

    code = "XC400"

    def __init__(self, feature: str, extra: str, module: str) -> None:
        super().__init__(
            f"{feature} needs the optional module {module!r}, which is not installed",
            tip=f"pip install 'xinchuang[{extra}]'",
        )
        self.extra = extra


class PluginError(XinchuangError):
    """A plugin could not be loaded, or two plugins claim one key."""

    code = "XC500"


@dataclass
class IssueCollector:
    """Collects issues under an ErrorPolicy and raises once, at the end, if any."""

    policy: ErrorPolicy = ErrorPolicy.COLLECT
    issues: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def add(self, issue: Issue) -> None:
        """Record a problem; raise at once under IMMEDIATE."""
        if self.policy is ErrorPolicy.IMMEDIATE:
            raise DataError(str(issue), [issue])
        if self.policy is ErrorPolicy.WARN:
            self.warnings.append(issue)
        elif self.policy is ErrorPolicy.COLLECT:
            self.issues.append(issue)

    def raise_if_any(self, summary: str, *, tip: str | None = None) -> None:
        """Raise one DataError carrying every collected issue."""
        if self.issues:
            raise DataError(summary, self.issues, tip=tip)
