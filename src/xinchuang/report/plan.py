"""The migration plan in the report: a Gantt chart, the forecast, what blocks, the quarterly return.

Pure: the newest saved plan (its instance, solution and ``plan --format json``
view), a forecast of it (``forecast --format json``) and the quarterly return
(``progress --format json``) in; a report
:class:`~xinchuang.report.html.Section` and workbook
:class:`~xinchuang.report.xlsx.Sheet` objects out. The pipeline runs the
forecast when the report is written, with :data:`FORECAST_RUNS` runs and the
plan's own seed, so the page can be reproduced with ``xinchuang forecast``.

System and unit names come from the user's files: the template escapes them,
chart data is embedded with ``tojson``, and chart tooltips are ECharts rich
text (never HTML), with braces swapped out so that a name cannot be read as a
tooltip template.

The Gantt chart is a stacked horizontal bar chart on a value axis counted in
periods (ECharts cannot stack on a time axis, and a custom series needs a
JavaScript function, which JSON cannot carry): an invisible bar up to the
start, the migration work up to the cut-over, then parallel running, hatched.
A category axis over the same grid labels the periods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from xinchuang.catalog.model import Catalog
from xinchuang.i18n import _
from xinchuang.plan.instance import (
    Instance,
    Period,
    PeriodKind,
    SystemTask,
    make_periods,
    months_per_period,
)
from xinchuang.plan.solution import Assignment, Solution
from xinchuang.report.html import Section
from xinchuang.report.labels import layer_label, localized, percent
from xinchuang.report.xlsx import Column, Sheet

SECTION_ID = "migration-plan"
PLAN_COMMAND = "xinchuang plan -w WS"
FORECAST_RUNS = 500
GANTT_SYSTEMS = 100  # bars in the chart; the Plan sheet has every system
SHOWN = 200  # rows of the page's per-system tables; the sheets have them all
REASONS_SHOWN = 3
BAR_HEIGHT = 22  # pixels per system in the Gantt chart
PALETTE = (
    "#5470c6",
    "#91cc75",
    "#fac858",
    "#73c0de",
    "#3ba272",
    "#fc8452",
    "#9a60b4",
    "#ea7ccc",
    "#8d6e63",
    "#26a69a",
)
LATE = "#b42318"
DEADLINE = "#8b1e24"


@dataclass(frozen=True)
class PlanInputs:
    """The newest saved plan, its forecast and the quarterly return, ready to show."""

    id: int
    name: str
    created_at: dt.datetime | None
    instance: Instance
    solution: Solution
    plan: Mapping[str, Any]  # as ``plan --format json`` prints it
    forecast: Mapping[str, Any]  # as ``forecast --format json`` prints it
    progress: Mapping[str, Any]  # as ``progress --format json`` prints it
    catalog_revision: str = ""  # the catalog the report is written with


def disposition_label(disposition: str | None) -> str:
    """What happens to a system, in words."""
    labels = {
        "migrate": _("migrate to a domestic stack"),
        "replace": _("replace with a domestic product"),
        "retire": _("retire"),
        "keep": _("keep under an exemption"),
    }
    return labels.get(disposition or "", disposition or "")


def state_label(state: str) -> str:
    """A system's state against the plan, in words."""
    labels = {
        "done": _("done"),
        "done-early": _("done early"),
        "in-progress": _("in progress"),
        "not-started": _("not started"),
        "behind": _("behind"),
        "kept": _("kept"),
    }
    return labels.get(state, state)


_STATE_CSS = {"behind": "foreign", "done": "domestic", "done-early": "domestic"}


def _plain(text: str) -> str:
    """Text for an ECharts template string: braces swapped for their full-width forms."""
    return text.replace("{", "｛").replace("}", "｝")


def product_label(catalog: Catalog, product_id: str) -> str:
    """A product's name in the language in force (its id when the catalog lacks it)."""
    product = catalog.products.get(product_id)
    return localized(product.name) if product is not None else product_id


def stack_text(catalog: Catalog, stack: Mapping[str, str]) -> str:
    """A target stack as ``role: product name; …``."""
    return "; ".join(f"{role}: {product_label(catalog, p)}" for role, p in stack.items())


def stack_ids(stack: Mapping[str, str]) -> str:
    """A target stack as ``role=product-id, …``."""
    return ", ".join(f"{role}={p}" for role, p in stack.items())


def _period_kind(periods: Sequence[Period]) -> PeriodKind:
    return "month" if months_per_period(periods) == 1 else "quarter"


def _timeline(instance: Instance, periods_needed: int) -> tuple[Period, ...]:
    """The plan's periods, continued past the horizon as far as needed."""
    if periods_needed <= instance.horizon:
        return instance.periods
    return make_periods(instance.periods[0].start, _period_kind(instance.periods), periods_needed)


def position(day: dt.date, periods: Sequence[Period]) -> float | None:
    """Where ``day`` falls on an axis counted in periods (None: outside them)."""
    for period in periods:
        if period.start <= day <= period.end:
            length = (period.end - period.start).days + 1
            return round(period.index + ((day - period.start).days + 1) / length, 3)
    return None


@dataclass(frozen=True)
class _Bar:
    task: SystemTask
    where: Assignment
    late_days: int | None


def _late_days(solution: Solution) -> dict[str, int]:
    return {m.system: m.days_late for m in solution.missed}


def _bars(inputs: PlanInputs) -> list[_Bar]:
    placed = inputs.solution.by_system()
    late = _late_days(inputs.solution)
    return [
        _Bar(task, placed[task.name], late.get(task.name))
        for task in inputs.instance.scheduled
        if task.name in placed
    ]


def gantt_chart(inputs: PlanInputs, limit: int = GANTT_SYSTEMS) -> dict[str, Any] | None:
    """ECharts options: each system from its start to its cut-over, then parallel running."""
    bars = _bars(inputs)
    if not bars:
        return None
    # the late systems first, then by start; then grouped by unit for the chart
    chosen = sorted(
        bars, key=lambda b: (b.late_days is None, b.where.start, b.where.cutover, b.task.name)
    )[:limit]
    chosen.sort(key=lambda b: (b.task.unit, b.where.start, b.where.cutover, b.task.name))
    instance = inputs.instance
    total = max(instance.horizon, *(b.where.finish + 1 for b in chosen))
    periods = _timeline(instance, total)
    units = sorted({b.task.unit for b in chosen})
    colour = {unit: PALETTE[i % len(PALETTE)] for i, unit in enumerate(units)}
    categories: list[Any] = []
    offsets: list[Any] = []
    work: list[Any] = []
    parallel: list[Any] = []
    late_label = _("late")
    for bar in chosen:
        task, where = bar.task, bar.where
        late = bar.late_days is not None
        label = f"{task.name} ({task.unit})"
        categories.append(
            {"value": label, "textStyle": {"color": LATE, "fontWeight": "bold"}} if late else label
        )
        tooltip = _plain(_bar_tooltip(inputs, bar, periods))
        border = {"borderColor": LATE, "borderWidth": 2} if late else {}
        offsets.append(where.start)
        work.append(
            {
                "value": where.cutover - where.start + 1,
                "itemStyle": {"color": colour[task.unit], **border},
                "tooltip": {"formatter": tooltip},
            }
        )
        span = where.finish - where.cutover
        mark = {"show": late, "position": "right", "color": LATE, "formatter": late_label}
        parallel.append(
            {
                "value": span,
                "itemStyle": {"color": colour[task.unit], "opacity": 0.45, **border},
                "tooltip": {"formatter": tooltip},
                "label": mark,
            }
            if span > 0
            else {"value": 0, "label": mark}
        )
    deadlines = sorted({t.deadline for t in instance.scheduled if t.deadline is not None})
    marks = []
    for deadline in deadlines:
        where_on_axis = position(deadline, periods)
        if where_on_axis is not None:
            marks.append(
                {
                    "xAxis": where_on_axis,
                    "label": {"formatter": deadline.isoformat(), "position": "start"},
                }
            )
    work_series: dict[str, Any] = {
        "name": _("Migration work"),
        "type": "bar",
        "stack": "gantt",
        "barMaxWidth": 16,
        "itemStyle": {"color": "#52606d"},
        "data": work,
        "markLine": {
            "silent": True,
            "symbol": "none",
            "lineStyle": {"color": DEADLINE, "type": "dashed", "width": 1.5},
            "data": marks,
        },
    }
    if total > instance.horizon:
        work_series["markArea"] = {
            "silent": True,
            "itemStyle": {"color": "rgba(180, 35, 24, 0.06)"},
            "label": {"formatter": _plain(_("beyond the horizon")), "position": "insideTop"},
            "data": [[{"xAxis": instance.horizon}, {"xAxis": total}]],
        }
    hatch = {
        "symbol": "rect",
        "dashArrayX": [1, 0],
        "dashArrayY": [2, 3],
        "rotation": -0.785,
        "color": "rgba(255, 255, 255, 0.6)",
    }
    series: list[dict[str, Any]] = [
        {
            "name": "",
            "type": "bar",
            "stack": "gantt",
            "silent": True,
            "itemStyle": {"color": "transparent"},
            "tooltip": {"show": False},
            "data": offsets,
        },
        work_series,
        {
            "name": _("Parallel running"),
            "type": "bar",
            "stack": "gantt",
            "itemStyle": {"color": "#9aa5b1", "opacity": 0.45, "decal": hatch},
            "data": parallel,
        },
        # legend entries only: the colour of each unit
        *(
            {"name": unit, "type": "bar", "stack": "gantt", "data": [], "color": colour[unit]}
            for unit in units
        ),
    ]
    return {
        "tooltip": {"trigger": "item", "renderMode": "richText"},
        "legend": {
            "top": 0,
            "type": "scroll",
            "selectedMode": False,
            "data": [_("Migration work"), _("Parallel running"), *units],
        },
        "grid": {"left": 8, "right": 56, "bottom": 8, "top": 40, "containLabel": True},
        "xAxis": [
            {
                "type": "value",
                "min": 0,
                "max": total,
                "interval": 1,
                "axisLabel": {"show": False},
                "axisLine": {"show": False},
                "axisTick": {"show": False},
                "splitLine": {"show": True, "lineStyle": {"color": "#e4e7eb"}},
            },
            {
                "type": "category",
                "data": [p.label for p in periods[:total]],
                "boundaryGap": True,
                "position": "bottom",
                "axisTick": {"show": False},
            },
        ],
        "yAxis": {"type": "category", "data": categories, "inverse": True},
        "series": series,
    }


def _bar_tooltip(inputs: PlanInputs, bar: _Bar, periods: Sequence[Period]) -> str:
    task, where = bar.task, bar.where
    team = _("team")
    lines = [f"{task.name} — {task.unit} · {team} {task.team}"]
    if where.beyond:
        lines.append(_("does not fit the horizon with the capacity given"))
    lines.append(
        _("work {start} – {cutover} (cut-over); parallel running to {end}").format(
            start=periods[where.start].start.isoformat(),
            cutover=periods[where.cutover].label,
            end=periods[where.finish].end.isoformat(),
        )
    )
    lines.append(_("effort {days} person-days").format(days=f"{task.effort_days:g}"))
    if task.deadline is not None:
        lines.append(_("deadline {deadline}").format(deadline=task.deadline.isoformat()))
    if bar.late_days is not None:
        lines.append(
            _("misses its deadline {deadline} by {days} days").format(
                deadline=task.deadline.isoformat() if task.deadline else "—",
                days=bar.late_days,
            )
        )
    return "\n".join(lines)


def rate_chart(forecast: Mapping[str, Any]) -> dict[str, Any] | None:
    """ECharts options: the localization rate per period, the P10–P90 band, P50 and the plan."""
    curve = forecast.get("rate_curve") or []
    if not curve:
        return None
    dates = [p["date"] for p in curve]

    def pct(key: str) -> list[float]:
        return [round(p[key] * 100, 1) for p in curve]

    def line(name: str, data: list[Any], **style: Any) -> dict[str, Any]:
        return {"name": name, "type": "line", "symbol": "none", "data": data, **style}

    marks = []
    for d in forecast.get("deadlines") or []:
        first = next((day for day in dates if day >= d["deadline"]), None)
        if first is not None:
            marks.append({"xAxis": first, "label": {"formatter": d["deadline"]}})
    p10, p90 = pct("p10"), pct("p90")
    band = _("P10–P90")
    planned = _("Planned")
    tooltip = _("{date}\nP50: {p50}%\nP10–P90: {p10}% – {p90}%\nplanned: {planned}%")
    return {
        "tooltip": {
            "trigger": "axis",
            "renderMode": "richText",
            # ECharts fills in {b} (the date) and {cN} (the N-th series' value)
            "formatter": tooltip.format(
                date="{b}", p50="{c3}", p10="{c0}", p90="{c2}", planned="{c4}"
            ),
        },
        "legend": {"top": 0, "data": ["P50", band, planned]},
        "grid": {"left": 8, "right": 24, "bottom": 8, "top": 32, "containLabel": True},
        "xAxis": {"type": "category", "data": dates, "boundaryGap": False},
        "yAxis": {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "series": [
            line("P10", p10, stack="band", lineStyle={"opacity": 0}),
            line(
                band,
                [round(hi - lo, 1) for lo, hi in zip(p10, p90, strict=True)],
                stack="band",
                lineStyle={"opacity": 0},
                areaStyle={"color": "#5470c6", "opacity": 0.25},
                itemStyle={"color": "#5470c6"},
            ),
            line("P90", p90, lineStyle={"opacity": 0}),
            line(
                "P50",
                pct("p50"),
                itemStyle={"color": "#5470c6"},
                lineStyle={"width": 2},
                markLine={
                    "silent": True,
                    "symbol": "none",
                    "lineStyle": {"color": DEADLINE, "type": "dashed"},
                    "data": marks,
                },
            ),
            line(
                planned,
                pct("planned"),
                itemStyle={"color": "#52606d"},
                lineStyle={"type": "dotted"},
            ),
        ],
    }


def _texts() -> SimpleNamespace:
    return SimpleNamespace(
        none=_("No migration plan is saved in this workspace."),
        how=_(
            "Make one — it reads the business systems, the scanner's findings, the catalog "
            "and plan.yaml — and the next report shows it here:"
        ),
        command=PLAN_COMMAND,
        unreadable=_(
            "The newest saved plan ({id}) cannot be read by this version of xinchuang; "
            "make a new one:"
        ),
        headline=_(
            "Plan {id} “{name}”, made {created}: {status}, strategy {strategy}; {count} "
            "periods from {start} to {end}."
        ),
        counts=_(
            "Business systems: {scheduled} scheduled, {late} late, {blockers} blocked, "
            "{kept} kept under an exemption, {compliant} already compliant."
        ),
        objective=_(
            "Objective: deadlines missed {missed}, weighted lateness {lateness}, "
            "localization delay {delay} (solver's bound: {b_missed}, {b_lateness}, {b_delay})."
        ),
        revision=_(
            "The plan was made with catalog {plan}; this report uses catalog {now}. Plan "
            "again to pick up the catalog's changes."
        ),
        gantt=_("Waves"),
        gantt_note=_(
            "Each bar runs from the start of the work to the cut-over; the hatched part is "
            "parallel running (双轨), until the old system is switched off. Colours are "
            "business units; late systems are in red; dashed lines are deadlines."
        ),
        gantt_cut=_(
            "The chart shows {n} of {total} systems (the late ones first, then by start); "
            "the workbook's Plan sheet has every one."
        ),
        forecast=_("Forecast"),
        forecast_note=_(
            "Monte Carlo over effort uncertainty and capacity slippage: {runs} runs, seed "
            "{seed}, computed when this report was written. The same figures:"
        ),
        forecast_command=_("xinchuang forecast -w WS --runs {runs} --seed {seed}"),
        finish=_("All systems finished: planned {planned}, P50 {p50}, P90 {p90}."),
        rate_title=_("Localization rate over time"),
        rate_note=_(
            "By count: today's domestic items plus the foreign items each finished system "
            "replaces. The band is P10–P90; dashed lines are deadlines."
        ),
        deadlines=_("Deadlines"),
        no_deadlines=_("No deadline applies to the scheduled systems."),
        blockers=_("Blockers and missed deadlines"),
        no_blockers=_("Every system has a certified stack and meets its deadline."),
        blocked=_("Blocked: no certified target stack"),
        missed=_("Missed deadlines"),
        advice_factor=_("capacity × {factor} would meet every deadline that can be met"),
        advice_none=_(
            "no capacity up to × {limit} meets every deadline: budget, freezes or dependencies bind"
        ),
        unmeetable=_("cannot be met at any capacity (too long for the time left): {systems}"),
        unmeetable_one=_("cannot be met at any capacity: too long for the time left"),
        team_capacity=_("Team {team}: {now} person-days per period now, {needed} with × {factor}."),
        progress=_("Quarterly progress ({quarter})"),
        progress_note=_(
            "As of {as_of}: {done} of {systems} systems replaced (domestic on every counted "
            "layer today), {planned} planned to be finished by now, {behind} behind the plan."
        ),
        by_unit=_("By unit"),
        by_layer=_("By layer: items today"),
        by_system=_("By business system"),
        more=_("… and {n} more (the workbook has them all)"),
        system=_("System"),
        unit=_("Unit"),
        layer=_("Layer"),
        disposition=_("Disposition"),
        deadline=_("Deadline"),
        deadline_ids=_("Policy deadlines"),
        systems=_("Systems"),
        planned=_("Planned"),
        on_time=_("P(on time)"),
        finish_col=_("Finishes"),
        days_late=_("Days late"),
        why=_("Why"),
        reason=_("Reason"),
        planned_start=_("Planned start"),
        planned_end=_("Planned end"),
        state=_("State"),
        remaining_layers=_("Remaining layers"),
        planned_done=_("Planned done"),
        done=_("Done"),
        behind=_("Behind"),
        replaced=_("Replaced"),
        remaining=_("Remaining"),
        unknown=_("Unknown"),
        beyond=_("beyond the horizon"),
    )


def quarter_label(day: dt.date) -> str:
    """``2028-Q2``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _blocker_rows(inputs: PlanInputs) -> list[dict[str, Any]]:
    scheduled = {t.name for t in inputs.instance.systems}
    rows = []
    for row in inputs.plan.get("systems", []):
        if row["system"] in scheduled:
            continue
        reasons = [str(r) for r in row.get("reasons") or []]
        rest = [r for r in reasons[1:] if r != reasons[0]]
        rows.append(
            {
                "system": row["system"],
                "disposition": disposition_label(row.get("disposition")),
                "reason": reasons[0] if reasons else "",
                "more": rest[:REASONS_SHOWN],
            }
        )
    return rows


def _missed_rows(inputs: PlanInputs, texts: SimpleNamespace) -> list[dict[str, Any]]:
    tasks = {t.name: t for t in inputs.instance.systems}
    reasons = {row["system"]: row.get("reasons") or [] for row in inputs.plan.get("systems", [])}
    advice = inputs.solution.advice
    unmeetable = set(advice.unmeetable) if advice else set()
    rows = []
    for m in inputs.solution.missed:
        task = tasks.get(m.system)
        stack_reasons = set(task.reasons) if task else set()
        # the scheduler's reasons: those the plan adds to the stack chooser's
        why = [str(r) for r in reasons.get(m.system, []) if r not in stack_reasons]
        if m.system in unmeetable:
            why.append(texts.unmeetable_one)
        rows.append(
            {
                "system": m.system,
                "unit": task.unit if task else "",
                "deadline": m.deadline,
                "deadline_ids": ", ".join(m.deadline_ids),
                "finish": texts.beyond if m.beyond_horizon or not m.finish else m.finish,
                "days_late": m.days_late,
                "why": why,
            }
        )
    return rows


def _advice(inputs: PlanInputs, texts: SimpleNamespace) -> list[str]:
    advice = inputs.solution.advice
    if advice is None or not inputs.solution.missed:
        return []
    lines = []
    if advice.factor is not None:
        lines.append(texts.advice_factor.format(factor=f"{advice.factor:g}"))
        for team in inputs.instance.teams:
            if any(t.team == team.id for t in inputs.instance.scheduled):
                now = team.capacity[0]
                lines.append(
                    texts.team_capacity.format(
                        team=team.id,
                        now=f"{now:g}",
                        needed=f"{now * advice.factor:.1f}",
                        factor=f"{advice.factor:g}",
                    )
                )
    elif {m.system for m in inputs.solution.missed} - set(advice.unmeetable):
        # some missed deadline could be met, yet no capacity up to the limit meets it
        lines.append(texts.advice_none.format(limit=f"{advice.searched_up_to:g}"))
    if advice.unmeetable:
        lines.append(texts.unmeetable.format(systems=", ".join(advice.unmeetable)))
    return lines


def _progress(inputs: PlanInputs, catalog: Catalog, texts: SimpleNamespace) -> dict[str, Any]:
    progress = inputs.progress
    summary = progress.get("summary", {})
    as_of = dt.date.fromisoformat(progress["as_of"])
    systems = list(progress.get("systems", []))
    return {
        "title": texts.progress.format(quarter=quarter_label(as_of)),
        "note": texts.progress_note.format(
            as_of=progress["as_of"],
            done=summary.get("done", 0),
            systems=summary.get("systems", 0),
            planned=summary.get("planned_done", 0),
            behind=summary.get("behind", 0),
        ),
        "units": list(progress.get("by_unit", [])),
        "layers": [
            {
                **row,
                "label": layer_label(catalog, row["layer"]),
                "rate": _share(row["replaced"], row["remaining"]),
            }
            for row in progress.get("by_layer", [])
        ],
        "systems": [
            {
                "system": s["system"],
                "unit": s["unit"],
                "disposition": disposition_label(s.get("disposition")),
                "planned_start": s.get("planned_start") or "—",
                "planned_end": s.get("planned_end") or "—",
                "state": state_label(s["state"]),
                "css": _STATE_CSS.get(s["state"], ""),
                "remaining": ", ".join(
                    layer_label(catalog, layer) for layer in s.get("remaining_layers", [])
                ),
            }
            for s in systems[:SHOWN]
        ],
        "more": max(0, len(systems) - SHOWN),
    }


def _share(replaced: int, remaining: int) -> float | None:
    whole = replaced + remaining
    return replaced / whole if whole else None


def plan_section(
    inputs: PlanInputs | None, catalog: Catalog, *, unreadable: int | None = None
) -> Section:
    """The report section "Migration plan" (how to make one when there is none)."""
    title = _("Migration plan")
    texts = _texts()
    if inputs is None:
        return Section(
            SECTION_ID,
            title,
            "sections/plan.html.j2",
            {
                "empty": True,
                "texts": texts,
                "unreadable": None
                if unreadable is None
                else texts.unreadable.format(id=unreadable),
            },
        )
    forecast, instance = inputs.forecast, inputs.instance
    objective, bound = inputs.solution.objective, inputs.solution.bound
    blockers = _blocker_rows(inputs)
    missed = _missed_rows(inputs, texts)
    bars = _bars(inputs)
    finish = forecast.get("finish") or {}
    data: dict[str, Any] = {
        "empty": False,
        "texts": texts,
        "headline": texts.headline.format(
            id=inputs.id,
            name=inputs.name,
            created=inputs.created_at.isoformat(timespec="minutes") if inputs.created_at else "—",
            status=inputs.solution.status,
            strategy=inputs.solution.strategy,
            count=instance.horizon,
            start=instance.periods[0].start.isoformat(),
            end=instance.periods[-1].end.isoformat(),
        ),
        "counts": texts.counts.format(
            scheduled=len(bars),
            late=len(inputs.solution.missed),
            blockers=len(blockers),
            kept=sum(not t.disposition.scheduled and not t.compliant for t in instance.systems),
            compliant=sum(t.compliant for t in instance.systems),
        ),
        "objective": texts.objective.format(
            missed=f"{objective.deadlines_missed:g}",
            lateness=f"{objective.weighted_lateness:g}",
            delay=f"{objective.localization_delay:g}",
            b_missed=f"{bound.deadlines_missed:g}",
            b_lateness=f"{bound.weighted_lateness:g}",
            b_delay=f"{bound.localization_delay:g}",
        ),
        "revision": texts.revision.format(
            plan=instance.catalog_revision, now=inputs.catalog_revision
        )
        if instance.catalog_revision
        and inputs.catalog_revision
        and instance.catalog_revision != inputs.catalog_revision
        else None,
        "gantt": gantt_chart(inputs),
        "gantt_height": max(220, 100 + BAR_HEIGHT * min(len(bars), GANTT_SYSTEMS)),
        "gantt_cut": texts.gantt_cut.format(n=GANTT_SYSTEMS, total=len(bars))
        if len(bars) > GANTT_SYSTEMS
        else None,
        "forecast_note": texts.forecast_note.format(
            runs=forecast.get("runs"), seed=forecast.get("seed")
        ),
        "forecast_command": texts.forecast_command.format(
            runs=forecast.get("runs"), seed=forecast.get("seed")
        ),
        "finish": texts.finish.format(
            planned=finish.get("planned") or "—",
            p50=finish.get("p50") or "—",
            p90=finish.get("p90") or "—",
        )
        if finish.get("p50")
        else None,
        "rate": rate_chart(forecast),
        "deadlines": [
            {
                **d,
                "ids": ", ".join(d.get("ids") or []),
                "planned": d.get("planned") or "—",
                "on_time": percent(d["probability_on_time"]),
                "css": "foreign" if d["p50"] > d["deadline"] else "",
            }
            for d in forecast.get("deadlines") or []
        ],
        "blockers": blockers,
        "missed": missed,
        "advice": _advice(inputs, texts),
        "progress": _progress(inputs, catalog, texts),
    }
    return Section(SECTION_ID, title, "sections/plan.html.j2", data)


def plan_sheet(inputs: PlanInputs, catalog: Catalog) -> Sheet:
    """One row per system of the plan (blocked systems too): when, what to, and why."""
    tasks = {t.name: t for t in inputs.instance.systems}
    placed = inputs.solution.by_system()
    late = _late_days(inputs.solution)
    periods = _timeline(
        inputs.instance,
        max([inputs.instance.horizon, *(a.finish + 1 for a in placed.values())]),
    )
    yes, no = _("yes"), _("no")
    rows = []
    for row in inputs.plan.get("systems", []):
        name = row["system"]
        task = tasks.get(name)
        where = placed.get(name)
        stack = row.get("target_stack") or {}
        rows.append(
            [
                name,
                row.get("unit") or (task.unit if task else None),
                task.team if task else None,
                disposition_label(row.get("disposition")),
                stack_text(catalog, stack),
                stack_ids(stack),
                row.get("period_start"),
                periods[where.cutover].label if where is not None else None,
                row.get("period_end"),
                row.get("effort_days"),
                row.get("deadline"),
                yes if row.get("late") else no,
                late.get(name),
                (yes if task.pilot else no) if task else None,
                _("blocked") if task is None else None,
                _effort_text(row),
                "; ".join(
                    f"{b['place']}: {b['missing']} ({b['unblock']})"
                    for b in row.get("blocked") or []
                ),
                row.get("why_late"),
                "; ".join(str(r) for r in row.get("reasons") or []),
            ]
        )
    objective = inputs.solution.objective
    advice = inputs.solution.advice
    aside: list[tuple[str, Any]] = [
        (_("Plan"), inputs.id),
        (_("Name"), inputs.name),
        (
            _("Created"),
            inputs.created_at.isoformat(timespec="seconds") if inputs.created_at else None,
        ),
        (_("Status"), inputs.solution.status),
        (_("Strategy"), inputs.solution.strategy),
        (_("Deadlines missed"), objective.deadlines_missed),
        (_("Weighted lateness"), objective.weighted_lateness),
        (_("Localization delay"), objective.localization_delay),
        (_("Capacity factor that meets the deadlines"), advice.factor if advice else None),
        (_("Catalog revision"), inputs.instance.catalog_revision),
    ]
    columns = [
        Column(_("System")),
        Column(_("Unit")),
        Column(_("Team")),
        Column(_("Disposition")),
        Column(_("Target stack")),
        Column(_("Target stack (ids)")),
        Column(_("Start")),
        Column(_("Cut-over")),
        Column(_("End")),
        Column(_("Effort (days)"), "days"),
        Column(_("Deadline")),
        Column(_("Late")),
        Column(_("Days late"), "int"),
        Column(_("Pilot")),
        Column(_("Blocked")),
        Column(_("Effort breakdown")),
        Column(_("Blocked layers")),
        Column(_("Why late")),
        Column(_("Reasons")),
    ]
    return Sheet(_("Plan"), columns, rows, aside)


def _effort_text(row: dict[str, Any]) -> str:
    """A plan row's effort items in one cell: 'hosts: server 4 d (4 × 1 d); …'."""
    effort = row.get("effort") or {}
    parts = [
        f"{item['item']} {item['days']:g} d ({item['basis']})" for item in effort.get("items") or []
    ]
    if effort.get("parallel_running_days"):
        parts.append(_("parallel running {days:g} d").format(days=effort["parallel_running_days"]))
    return "; ".join(parts)


def forecast_sheet(inputs: PlanInputs) -> Sheet:
    """Per deadline P50, P90 and the chance on time; per period the rate's P10, P50, P90."""
    forecast = inputs.forecast
    deadline_kind, rate_kind = _("deadline"), _("localization rate")
    rows: list[list[Any]] = [
        [
            deadline_kind,
            d["deadline"],
            ", ".join(d.get("ids") or []),
            d.get("systems"),
            d.get("planned"),
            None,
            d["p50"],
            d["p90"],
            d["probability_on_time"],
        ]
        for d in forecast.get("deadlines") or []
    ]
    rows += [
        [rate_kind, p["date"], None, None, p["planned"], p["p10"], p["p50"], p["p90"], None]
        for p in forecast.get("rate_curve") or []
    ]
    finish = forecast.get("finish") or {}
    aside: list[tuple[str, Any]] = [
        (_("Plan"), inputs.id),
        (_("Runs"), forecast.get("runs")),
        (_("Seed"), forecast.get("seed")),
        (_("Finish: planned"), finish.get("planned")),
        (_("Finish: P50"), finish.get("p50")),
        (_("Finish: P90"), finish.get("p90")),
        (
            _("Rows"),
            _("deadline rows: finish dates; localization-rate rows: rates at the period's end"),
        ),
    ]
    columns = [
        Column(_("What")),
        Column(_("Date")),
        Column(_("Policy deadlines")),
        Column(_("Systems"), "int"),
        Column(_("Planned"), "percent"),
        Column("P10", "percent"),
        Column("P50", "percent"),
        Column("P90", "percent"),
        Column(_("P(on time)"), "percent"),
    ]
    return Sheet(_("Forecast"), columns, rows, aside)


def progress_sheet(inputs: PlanInputs, catalog: Catalog) -> Sheet:
    """The quarterly return: a row per system, per unit and per layer (the first column says)."""
    progress = inputs.progress
    kind_system, kind_unit, kind_layer = _("system"), _("unit"), _("layer")
    rows: list[list[Any]] = [
        [
            kind_system,
            s["system"],
            s["unit"],
            disposition_label(s.get("disposition")),
            s.get("planned_start"),
            s.get("planned_end"),
            state_label(s["state"]),
            ", ".join(layer_label(catalog, layer) for layer in s.get("remaining_layers", [])),
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ]
        for s in progress.get("systems", [])
    ]
    rows += [
        [
            kind_unit,
            u["unit"],
            u["unit"],
            None,
            None,
            None,
            None,
            None,
            u["systems"],
            u["planned_done"],
            u["done"],
            u["behind"],
            None,
            None,
            None,
        ]
        for u in progress.get("by_unit", [])
    ]
    rows += [
        [
            kind_layer,
            layer_label(catalog, row["layer"]),
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            row["replaced"],
            row["remaining"],
            row["unknown"],
        ]
        for row in progress.get("by_layer", [])
    ]
    summary = progress.get("summary", {})
    aside: list[tuple[str, Any]] = [
        (_("Plan"), inputs.id),
        (_("As of"), progress.get("as_of")),
        (_("Systems"), summary.get("systems")),
        (_("Done"), summary.get("done")),
        (_("Planned done"), summary.get("planned_done")),
        (_("Behind"), summary.get("behind")),
    ]
    columns = [
        Column(_("View")),
        Column(_("Name")),
        Column(_("Unit")),
        Column(_("Disposition")),
        Column(_("Planned start")),
        Column(_("Planned end")),
        Column(_("State")),
        Column(_("Remaining layers")),
        Column(_("Systems"), "int"),
        Column(_("Planned done"), "int"),
        Column(_("Done"), "int"),
        Column(_("Behind"), "int"),
        Column(_("Replaced"), "int"),
        Column(_("Remaining"), "int"),
        Column(_("Unknown"), "int"),
    ]
    return Sheet(_("Progress"), columns, rows, aside)


def plan_sheets(inputs: PlanInputs | None, catalog: Catalog) -> list[Sheet]:
    """The workbook's Plan, Forecast and Progress sheets; none without a saved plan."""
    if inputs is None:
        return []
    return [plan_sheet(inputs, catalog), forecast_sheet(inputs), progress_sheet(inputs, catalog)]
