"""What-if: compare a scenario's plan and forecast with the baseline's."""

from __future__ import annotations

from typing import Any


def _days(a: str | None, b: str | None) -> int | None:
    import datetime as dt

    if a is None or b is None:
        return None
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def _text(row: dict[str, Any]) -> str:
    """A plan row's stack for people (older saved plans: the ids)."""
    if row.get("stack_text"):
        return str(row["stack_text"])
    if not row["target_stack"]:
        return "—"
    return "; ".join(row["target_stack"].values())


def delta(baseline: dict[str, Any], scenario: dict[str, Any]) -> dict[str, Any]:
    """What changes from ``baseline`` to ``scenario`` (each {"plan": …, "forecast": …})."""
    plan_a, plan_b = baseline["plan"], scenario["plan"]
    objective = {
        level: plan_b["objective"][level] - plan_a["objective"][level]
        for level in plan_a["objective"]
    }
    fc_a, fc_b = baseline["forecast"], scenario["forecast"]
    deadlines = []
    before = {d["deadline"]: d for d in fc_a["deadlines"]}
    after = {d["deadline"]: d for d in fc_b["deadlines"]}
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        deadlines.append(
            {
                "deadline": key,
                "p50_days": _days(a["p50"], b["p50"]) if a and b else None,
                "p90_days": _days(a["p90"], b["p90"]) if a and b else None,
                "probability_on_time": round(
                    (b["probability_on_time"] if b else 0.0)
                    - (a["probability_on_time"] if a else 0.0),
                    4,
                ),
            }
        )
    stacks_a = {r["system"]: r["target_stack"] for r in plan_a["systems"]}
    text_a = {r["system"]: _text(r) for r in plan_a["systems"]}
    changed = [
        {
            "system": r["system"],
            "before": stacks_a.get(r["system"], {}),
            "after": r["target_stack"],
            "before_text": text_a.get(r["system"], "—"),
            "after_text": _text(r),
        }
        for r in plan_b["systems"]
        if stacks_a.get(r["system"], {}) != r["target_stack"]
    ]
    late_a = {r["system"] for r in plan_a["systems"] if r["late"]}
    late_b = {r["system"] for r in plan_b["systems"] if r["late"]}
    return {
        "objective": objective,
        "finish_p50_days": _days(fc_a["finish"]["p50"], fc_b["finish"]["p50"]),
        "finish_p90_days": _days(fc_a["finish"]["p90"], fc_b["finish"]["p90"]),
        "deadlines": deadlines,
        "newly_late": sorted(late_b - late_a),
        "no_longer_late": sorted(late_a - late_b),
        "stacks_changed": changed,
        "blockers": plan_b["blockers"] - plan_a["blockers"],
    }
