"""What a report is made from: the figures, the catalog they were computed with, the trend."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from xinchuang.catalog.model import Catalog
from xinchuang.metrics.localization import Localization
from xinchuang.models.catalog import PolicyProfile


@dataclass
class ReportData:
    """Everything the HTML and XLSX writers need; nothing here touches the workspace."""

    workspace: str
    generated_at: dt.datetime
    catalog: Catalog
    policy: PolicyProfile
    result: Localization
    trend: list[dict[str, Any]] = field(default_factory=list)

    @property
    def figures(self) -> dict[str, Any]:
        """The status figures (as ``xinchuang status --format json`` prints them)."""
        return {**self.result.figures, "trend": self.trend}
