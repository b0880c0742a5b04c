"""The trend across snapshots: ordered by the date described, with the change between points."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xinchuang.metrics.trend import SnapshotRow, trend


def figures(as_of: str, rate: float | None, value: float | None = None) -> dict[str, Any]:
    def basis(r: float | None) -> dict[str, Any]:
        return {
            "overall": {
                "domestic": 1,
                "foreign": 1,
                "unknown": 0,
                "rate": r,
                "rate_if_unknown_foreign": r,
            }
        }

    return {
        "as_of": as_of,
        "catalog_revision": "c1",
        "localization_rate": basis(rate),
        "localization_rate_by_value": basis(value),
        "localization_rate_by_system": basis(None),
    }


def snap(
    id_: int, as_of: str, taken: str, rate: float | None, label: str | None = None
) -> SnapshotRow:
    return SnapshotRow(
        id=id_,
        taken_at=dt.datetime.fromisoformat(taken),
        as_of=dt.date.fromisoformat(as_of),
        label=label,
        catalog_revision="c1",
        figures=figures(as_of, rate),
    )


def test_points_are_ordered_by_the_date_they_describe_then_the_current_figures() -> None:
    # taken out of order: a back-dated snapshot taken later comes first
    rows = [
        snap(1, "2026-03-31", "2026-04-01T08:00:00+00:00", 0.4, "Q1"),
        snap(2, "2025-12-31", "2026-04-02T08:00:00+00:00", 0.3, "Q4"),
    ]
    points = trend(rows, figures("2026-06-30", 0.55, 0.6))
    assert [(p["as_of"], p["label"], p["snapshot"]) for p in points] == [
        ("2025-12-31", "Q4", 2),
        ("2026-03-31", "Q1", 1),
        ("2026-06-30", None, None),
    ]
    assert [p["rate"] for p in points] == [0.3, 0.4, 0.55]
    assert [p["change"] for p in points] == [None, 0.1, 0.15]
    assert points[-1]["rate_by_value"] == 0.6
    assert points[-1]["rate_by_system"] is None


def test_no_change_is_computed_across_a_null_rate() -> None:
    rows = [snap(1, "2025-12-31", "2026-01-01T00:00:00+00:00", None)]
    points = trend(rows, figures("2026-01-31", 0.5))
    assert [p["change"] for p in points] == [None, None]


def test_without_snapshots_the_trend_is_the_current_point_alone() -> None:
    assert [p["as_of"] for p in trend([], figures("2026-01-31", 0.5))] == ["2026-01-31"]
    assert trend([]) == []
