"""The trend of the localization rate across snapshots: pure functions over stored figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

BASES = {
    "rate": "localization_rate",
    "rate_by_value": "localization_rate_by_value",
    "rate_by_system": "localization_rate_by_system",
}


@dataclass(frozen=True, slots=True)
class SnapshotRow:
    """A stored snapshot: when it was taken, the date it describes, and its figures."""

    id: int
    taken_at: dt.datetime
    as_of: dt.date
    label: str | None
    catalog_revision: str
    figures: Mapping[str, Any]


def _overall(figures: Mapping[str, Any], basis: str, key: str) -> Any:
    section = figures.get(basis)
    if not isinstance(section, Mapping):
        return None
    overall = section.get("overall")
    return overall.get(key) if isinstance(overall, Mapping) else None


def point(figures: Mapping[str, Any]) -> dict[str, Any]:
    """The headline numbers of one set of figures."""
    view: dict[str, Any] = {name: _overall(figures, basis, "rate") for name, basis in BASES.items()}
    view["rate_if_unknown_foreign"] = _overall(
        figures, "localization_rate", "rate_if_unknown_foreign"
    )
    for key in ("domestic", "foreign", "unknown"):
        view[key] = _overall(figures, "localization_rate", key)
    return view


def _change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None:
        return None
    return round(now - before, 4)


def trend(
    snapshots: Iterable[SnapshotRow], current: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Snapshots oldest first (by the date they describe), then the current figures if given;
    each with its change in the count-basis rate since the point before it."""
    points: list[dict[str, Any]] = []
    ordered = sorted(snapshots, key=lambda s: (s.as_of, s.taken_at, s.id))
    for snapshot in ordered:
        points.append(
            {
                "snapshot": snapshot.id,
                "as_of": snapshot.as_of.isoformat(),
                "label": snapshot.label,
                "taken_at": snapshot.taken_at.isoformat(timespec="seconds"),
                "catalog_revision": snapshot.catalog_revision,
                **point(snapshot.figures),
            }
        )
    if current is not None:
        points.append(
            {
                "snapshot": None,
                "as_of": current.get("as_of"),
                "label": None,
                "taken_at": None,
                "catalog_revision": current.get("catalog_revision"),
                **point(current),
            }
        )
    previous: float | None = None
    for index, entry in enumerate(points):
        entry["change"] = _change(entry["rate"], previous) if index else None
        previous = entry["rate"]
    return points
