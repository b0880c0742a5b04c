"""The quarterly return: what was replaced, what remains, per layer, unit and system, against plan.

A system counts as *replaced* when the inventory now finds it domestic on
every counted layer (the business-system basis of ``status``); the plan says
whether it *should* have been by the date of the return.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Standing:
    """A system's standing in the inventory today."""

    unit: str
    domestic: bool | None
    foreign_layers: tuple[str, ...]


def _state(planned_end: str | None, planned_start: str | None, as_of: dt.date, done: bool) -> str:
    due = planned_end is not None and dt.date.fromisoformat(planned_end) <= as_of
    started = planned_start is not None and dt.date.fromisoformat(planned_start) <= as_of
    if done:
        return "done" if due or planned_end is None else "done-early"
    if due:
        return "behind"
    return "in-progress" if started else "not-started"


def progress(
    plan_rows: Iterable[Mapping[str, Any]],
    standing: Mapping[str, Standing],
    layer_counts: Mapping[str, Mapping[str, int]],
    as_of: dt.date,
) -> dict[str, Any]:
    """The return as of ``as_of``: per system, per unit, per layer."""
    systems = []
    units: dict[str, dict[str, int]] = defaultdict(
        lambda: {"systems": 0, "planned_done": 0, "done": 0, "behind": 0}
    )
    for row in plan_rows:
        name = str(row["system"])
        now = standing.get(name)
        done = bool(now and now.domestic is True)
        state = _state(row.get("period_end"), row.get("period_start"), as_of, done)
        if row.get("compliant"):
            # already domestic when the plan was made: nothing to do, done from the start
            done, state = True, "already-compliant"
        elif row.get("disposition") == "keep":
            state = "kept"
        unit = now.unit if now else str(row.get("unit") or "")
        systems.append(
            {
                "system": name,
                "unit": unit,
                "disposition": row.get("disposition"),
                "planned_start": row.get("period_start"),
                "planned_end": row.get("period_end"),
                "state": state,
                "remaining_layers": list(now.foreign_layers) if now else [],
            }
        )
        tally = units[unit]
        tally["systems"] += 1
        planned = row.get("period_end")
        tally["planned_done"] += bool(planned and dt.date.fromisoformat(planned) <= as_of)
        tally["done"] += done
        tally["behind"] += state == "behind"
    layers = [
        {
            "layer": layer,
            "replaced": counts.get("domestic", 0),
            "remaining": counts.get("foreign", 0),
            "unknown": counts.get("unknown", 0),
        }
        for layer, counts in sorted(layer_counts.items())
    ]
    return {
        "as_of": as_of.isoformat(),
        "systems": systems,
        "by_unit": [{"unit": u, **t} for u, t in sorted(units.items())],
        "by_layer": layers,
        "summary": {
            "systems": len(systems),
            "done": sum(s["state"] in ("done", "done-early", "already-compliant") for s in systems),
            "behind": sum(s["state"] == "behind" for s in systems),
            "planned_done": sum(t["planned_done"] for t in units.values()),
        },
    }
