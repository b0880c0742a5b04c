"""``xinchuang plan``, ``forecast``, ``whatif`` and ``progress``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from xinchuang.cli.options import CatalogOpt, FormatOpt, OutputOpt, WorkspaceOpt
from xinchuang.cli.output import Format, emit_json, emit_table, info, stdout, warn
from xinchuang.errors import UsageError
from xinchuang.i18n import _
from xinchuang.pipeline import plan as pipeline
from xinchuang.pipeline.workspace import open_workspace
from xinchuang.plan.instance import Strategy
from xinchuang.plan.settings import read_settings

RunsOpt = Annotated[int, typer.Option("--runs", min=10, help=_("Monte Carlo runs."))]
SeedOpt = Annotated[
    int | None, typer.Option("--seed", help=_("Random seed (default: plan.yaml's)."))
]
PlanIdOpt = Annotated[
    int | None, typer.Option("--plan", help=_("A saved plan's id (default: the newest)."))
]


def _settings_path(workspace: Path, given: Path | None) -> Path | None:
    if given is not None:
        return given
    default = workspace / pipeline.SETTINGS_FILE
    return default if default.is_file() else None


def _start(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        dt.datetime.strptime(value, "%Y-%m")
    except ValueError:
        raise UsageError(
            _("--start {value}: not a month").format(value=value), tip=_("write it as 2026-07")
        ) from None
    return value


STATE_LABELS = {
    "planned": "migrate",
    "partial": "migrate (partial)",
    "already-compliant": "keep (already compliant)",
    "kept": "keep (exemption)",
    "blocked": "blocked",
}
LEVEL_LABELS = {
    "deadlines_missed": "deadlines missed",
    "weighted_lateness": "weighted lateness (priority × periods late)",
    "localization_delay": "localization delay (value × finishing period; lower is earlier)",
}


def _plan_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for row in data["systems"]:
        state = row.get("state", row["disposition"])
        if state == "planned" and row["disposition"] != "migrate":
            label = row["disposition"]
        else:
            label = _(STATE_LABELS.get(state, state))
        notes = [
            _("{place} blocked: {missing}").format(place=b["place"], missing=b["missing"])
            for b in row.get("blocked", [])
        ]
        if row.get("why_late"):
            notes.append(_("late because {why}").format(why=row["why_late"]))
        rows.append(
            {
                "system": row["system"],
                "unit": row.get("unit") or "—",
                "what": label,
                "start": row["period_start"] or "—",
                "end": row["period_end"] or "—",
                "effort": _("{days:.1f} person-days").format(days=row["effort_days"])
                if row["effort_days"]
                else "—",
                "deadline": row["deadline"] or "—",
                "timing": row.get("timing") or ("late" if row["late"] else "—"),
                "stack": row.get("stack_text") or "—",
                "notes": "\n".join(notes) or "—",
            }
        )
    return rows


def _print_plan(data: dict[str, Any]) -> None:
    emit_table(
        _plan_rows(data),
        [
            ("system", _("System")),
            ("unit", _("Unit")),
            ("what", _("What")),
            ("start", _("Start")),
            ("end", _("Finished")),
            ("effort", _("Effort")),
            ("deadline", _("Deadline")),
            ("timing", _("On time?")),
            ("stack", _("Target stack")),
            ("notes", _("Blocked / why late")),
        ],
        title=_("Plan ({status}, strategy {strategy})").format(
            status=data["status"], strategy=data["strategy"]
        ),
    )
    console = stdout()
    summary = data.get("summary")
    if summary:
        states = ", ".join(
            f"{_(STATE_LABELS.get(k, k))}: {v}" for k, v in summary["by_state"].items()
        )
        console.print(
            _(
                "{systems} systems ({states}); {blocked} layer(s) blocked; {late} late; "
                "{effort:,.1f} person-days of migration work"
            ).format(
                systems=summary["systems"],
                states=states,
                blocked=summary["blocked_layers"],
                late=summary["late"],
                effort=summary["effort_days"],
            ),
            markup=False,
        )
    bound = _("bound")
    for level in ("deadlines_missed", "weighted_lateness", "localization_delay"):
        console.print(
            f"{_(LEVEL_LABELS[level])}: {data['objective'][level]:g} "
            f"({bound} {data['bound'][level]:g})",
            markup=False,
        )
    _explain_missed(data)


def _print_warnings(data: dict[str, Any]) -> None:
    for warning in data.get("warnings", []):
        warn(f"{warning['code']} {warning['where']}: {warning['message']}")


def _explain_missed(data: dict[str, Any]) -> None:
    missed = data["missed"]
    if not missed:
        return
    for m in missed:
        where = m["finish"] or _("beyond the horizon")
        warn(
            _("{system}: deadline {deadline} missed by {days} days (finishes {finish})").format(
                system=m["system"], deadline=m["deadline"], days=m["days_late"], finish=where
            )
        )
    advice = data.get("advice")
    if advice and advice["factor"] is not None:
        warn(
            _("capacity × {factor} would meet every deadline that can be met").format(
                factor=advice["factor"]
            )
        )
    elif advice and {m["system"] for m in data.get("missed", [])} - set(advice["unmeetable"]):
        warn(
            _(
                "no capacity up to × {limit} meets every deadline: "
                "budget, freezes or dependencies bind"
            ).format(limit=advice["searched_up_to"])
        )
    if advice and advice["unmeetable"]:
        warn(
            _("cannot be met at any capacity (too long for the time left): {systems}").format(
                systems=", ".join(advice["unmeetable"])
            )
        )


def plan(
    workspace: WorkspaceOpt = Path("."),
    settings_file: Annotated[
        Path | None,
        typer.Option("--settings", help=_("Plan settings (default: plan.yaml in the workspace).")),
    ] = None,
    start: Annotated[str | None, typer.Option("--start", help=_("First month, YYYY-MM."))] = None,
    period: Annotated[
        str | None, typer.Option("--period", help=_("Period length: month or quarter."))
    ] = None,
    horizon: Annotated[int | None, typer.Option("--horizon", min=1, help=_("Periods."))] = None,
    capacity: Annotated[
        float | None,
        typer.Option("--capacity", min=0, help=_("Person-days per period (the default team).")),
    ] = None,
    strategy: Annotated[
        Strategy | None, typer.Option("--strategy", help=_("How to order the waves."))
    ] = None,
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", min=0.1, help=_("Solver seconds."))
    ] = None,
    seed: SeedOpt = None,
    name: Annotated[
        str | None, typer.Option("--name", help=_("A name for the saved plan."))
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help=_("List the saved plans."))] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Plan and print, but do not save the plan."))
    ] = False,
    delete: Annotated[
        int | None, typer.Option("--delete", help=_("Delete the saved plan with this id."))
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help=_("Treat input warnings as errors (exit 2)."))
    ] = False,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    catalog: CatalogOpt = None,
) -> None:
    """Schedule the migrations over periods; exit 1 when deadlines are missed."""
    if period is not None and period not in ("month", "quarter"):
        raise UsageError(_("--period {value}: choose month or quarter").format(value=period))
    with open_workspace(workspace, catalogs=[str(c) for c in catalog or []]) as ws:
        if delete is not None:
            pipeline.delete_plan(ws, delete)
            info(_("deleted plan {id}").format(id=delete))
            return
        if list_:
            rows = pipeline.list_plans(ws)
            if fmt is Format.JSON:
                emit_json(rows, output)
            else:
                # The solver's objective levels are for JSON; a person reads the count.
                shown = [
                    {**row, "missed": int((row.get("objective") or {}).get("deadlines_missed", 0))}
                    for row in rows
                ]
                emit_table(
                    shown,
                    [
                        ("id", "ID"),
                        ("name", _("Name")),
                        ("created_at", _("Created")),
                        ("status", _("Status")),
                        ("systems", _("Systems")),
                        ("missed", _("Deadlines missed")),
                    ],
                    title=_("Saved plans"),
                )
            return
        path = _settings_path(workspace, settings_file)
        settings = read_settings(path).override(
            start=_start(start),
            period=period,
            horizon=horizon,
            capacity=capacity,
            strategy=strategy,
            time_limit=time_limit,
            seed=seed,
        )
        info(_("planning with {path}").format(path=path or _("default settings")))
        built, solution = pipeline.make_plan(
            ws, settings, origin=str(path or pipeline.SETTINGS_FILE), strict=strict
        )
        data = pipeline.plan_json(built, solution)
        _print_warnings(data)
        if dry_run:
            data["plan_id"] = None
            info(_("dry run: the plan is not saved"))
        else:
            plan_id = pipeline.save_plan(
                ws,
                built,
                solution,
                settings,
                name or f"{settings.strategy.value} {dt.date.today()}",
            )
            data["plan_id"] = plan_id
            info(_("saved as plan {id}").format(id=plan_id))
    if fmt is Format.JSON:
        emit_json(data, output)
        _explain_missed(data)  # on stderr: the JSON carries it too
    else:
        _print_plan(data)
    if data["missed"]:
        raise typer.Exit(1)


def forecast(
    workspace: WorkspaceOpt = Path("."),
    runs: RunsOpt = 1000,
    seed: SeedOpt = None,
    plan_id: PlanIdOpt = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    catalog: CatalogOpt = None,
) -> None:
    """Monte Carlo over effort and capacity: P50/P90 per deadline, the rate over time."""
    with open_workspace(workspace, catalogs=[str(c) for c in catalog or []]) as ws:
        saved = pipeline.load_plan(ws, plan_id)
    result = pipeline.run_forecast(
        saved, runs=runs, seed=saved.settings.seed if seed is None else seed
    )
    data = pipeline.forecast_json(result)
    data["plan"] = {"id": saved.id, "name": saved.name}
    if fmt is Format.JSON:
        emit_json(data, output)
        return
    deadlines = [
        {
            **d,
            "probability_on_time": f"{d['probability_on_time']:.0%}",
            "planned": d["planned"] or "—",
        }
        for d in data["deadlines"]
    ]
    curve = [
        {
            "date": p["date"],
            **{key: f"{p[key]:.1%}" for key in ("planned", "p10", "p50", "p90")},
        }
        for p in data["rate_curve"]
    ]
    emit_table(
        deadlines,
        [
            ("deadline", _("Deadline")),
            ("systems", _("Systems")),
            ("planned", _("Planned")),
            ("p50", "P50"),
            ("p90", "P90"),
            ("probability_on_time", _("P(on time)")),
        ],
        title=_("Deadlines ({runs} runs, seed {seed})").format(
            runs=data["runs"], seed=data["seed"]
        ),
    )
    emit_table(
        curve,
        [
            ("date", _("Date")),
            ("planned", _("Planned")),
            ("p10", "P10"),
            ("p50", "P50"),
            ("p90", "P90"),
        ],
        title=_("Localization rate"),
    )


def whatif(
    workspace: WorkspaceOpt = Path("."),
    capacity_factor: Annotated[
        float | None, typer.Option("--capacity-factor", min=0.05, help=_("e.g. 0.8: 20% less."))
    ] = None,
    remove_vendor: Annotated[
        list[str] | None,
        typer.Option("--remove-vendor", help=_("A vendor id to remove from every stack.")),
    ] = None,
    shift_deadline: Annotated[
        int | None, typer.Option("--shift-deadline", help=_("Move every deadline by months."))
    ] = None,
    runs: RunsOpt = 500,
    seed: SeedOpt = None,
    plan_id: PlanIdOpt = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    catalog: CatalogOpt = None,
) -> None:
    """Re-plan and re-forecast under a change; show baseline, scenario and the difference."""
    with open_workspace(workspace, catalogs=[str(c) for c in catalog or []]) as ws:
        saved = pipeline.load_plan(ws, plan_id)
        data = pipeline.what_if(
            ws,
            saved,
            capacity_factor=capacity_factor,
            remove_vendor=list(remove_vendor or []),
            shift_months=shift_deadline,
            runs=runs,
            seed=saved.settings.seed if seed is None else seed,
        )
    if fmt is Format.JSON:
        emit_json(data, output)
        return
    d = data["delta"]
    rows = [
        {
            "measure": _(LEVEL_LABELS.get(level, level)),
            "baseline": f"{data['baseline']['plan']['objective'][level]:g}",
            "scenario": f"{data['scenario']['plan']['objective'][level]:g}",
            "delta": f"{value:+g}",
        }
        for level, value in d["objective"].items()
    ]
    for key, label in (("p50", _("finish P50")), ("p90", _("finish P90"))):
        days = d[f"finish_{key}_days"]
        rows.append(
            {
                "measure": label,
                "baseline": data["baseline"]["forecast"]["finish"][key] or "—",
                "scenario": data["scenario"]["forecast"]["finish"][key] or "—",
                "delta": _("{days:+d} days").format(days=days) if days is not None else "—",
            }
        )
    for change in d["deadlines"]:
        rows.append(
            {
                "measure": _("P(on time) for {deadline}").format(deadline=change["deadline"]),
                "baseline": "",
                "scenario": "",
                "delta": _("{points:+.1f} percentage points").format(
                    points=100 * change["probability_on_time"]
                ),
            }
        )
    emit_table(
        rows,
        [
            ("measure", _("Measure")),
            ("baseline", _("Baseline")),
            ("scenario", _("Scenario")),
            ("delta", _("Change")),
        ],
        title=_("What if"),
    )
    console = stdout()
    if d["newly_late"]:
        console.print(_("newly late: {s}").format(s=", ".join(d["newly_late"])), markup=False)
    if d["no_longer_late"]:
        console.print(
            _("no longer late: {s}").format(s=", ".join(d["no_longer_late"])), markup=False
        )
    for change in d["stacks_changed"]:
        console.print(
            _("{system}: stack {before} → {after}").format(
                system=change["system"],
                before=change.get("before_text") or "—",
                after=change.get("after_text") or _("blocked"),
            ),
            markup=False,
        )


def progress(
    workspace: WorkspaceOpt = Path("."),
    as_of: Annotated[
        str | None, typer.Option("--as-of", help=_("Date of the return (default: today)."))
    ] = None,
    plan_id: PlanIdOpt = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    catalog: CatalogOpt = None,
) -> None:
    """The quarterly return: replaced and remaining per layer, unit and system, against plan."""
    try:
        date = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        raise UsageError(_("--as-of {value}: not a date").format(value=as_of)) from None
    with open_workspace(workspace, catalogs=[str(c) for c in catalog or []]) as ws:
        saved = pipeline.load_plan(ws, plan_id)
        data = pipeline.progress_json(ws, saved, date)
    if fmt is Format.JSON:
        emit_json(data, output)
        return
    emit_table(
        data["systems"],
        [
            ("system", _("System")),
            ("unit", _("Unit")),
            ("planned_end", _("Planned end")),
            ("state", _("State")),
            ("remaining_layers", _("Remaining layers")),
        ],
        title=_("Progress as of {date} against plan {id}").format(date=data["as_of"], id=saved.id),
    )
    emit_table(
        data["by_unit"],
        [
            ("unit", _("Unit")),
            ("systems", _("Systems")),
            ("planned_done", _("Planned done")),
            ("done", _("Done")),
            ("behind", _("Behind")),
        ],
        title=_("By unit"),
    )
    emit_table(
        data["by_layer"],
        [
            ("layer", _("Layer")),
            ("replaced", _("Domestic")),
            ("remaining", _("Foreign")),
            ("unknown", _("Unknown")),
        ],
        title=_("By layer"),
    )
