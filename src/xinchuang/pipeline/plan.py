"""The planner's application layer: build the instance from the workspace, solve, save, load.

Systems come with their hosts' identified products and the software they name;
findings are summed per system and scanner target; tiers come from the
units' sectors; state-owned units, teams, freezes and the rest from plan.yaml.
The stack chooser (:mod:`xinchuang.plan.stacks`) picks each system's target
stack; the scheduler places the migrations; the validator checks the result
before anything is printed or saved.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from xinchuang import __version__
from xinchuang.errors import DataError, Issue, UsageError
from xinchuang.i18n import _
from xinchuang.metrics.localization import Localization, resolve_software, software_index
from xinchuang.metrics.tiers import sector_id
from xinchuang.pipeline.status import compute, policy_of
from xinchuang.pipeline.workspace import Workspace
from xinchuang.plan.deadlines import system_deadline
from xinchuang.plan.effort import EffortBreakdown, EffortParameters, estimate, flat, host_role
from xinchuang.plan.forecast import Forecast, simulate
from xinchuang.plan.instance import (
    Dependency,
    Disposition,
    Evidence,
    Freeze,
    Group,
    Guardrails,
    Instance,
    Strategy,
    SystemTask,
    Team,
    make_periods,
    months_per_period,
)
from xinchuang.plan.schedule import SolveOptions, solve
from xinchuang.plan.settings import PlanSettings, SystemSettings
from xinchuang.plan.solution import Solution
from xinchuang.plan.stacks import (
    LayerBlock,
    StackBlocker,
    StackChoice,
    SystemInput,
    choose_stacks,
)
from xinchuang.plan.validate import validate
from xinchuang.plan.warnings import (
    PlanWarning,
    coverage_warning,
    dangling_warnings,
    pin_warnings,
    sector_warnings,
    team_warnings,
)
from xinchuang.store import database
from xinchuang.store.tables import (
    findings,
    hosts,
    plan_items,
    plans,
    scans,
    system_assets,
    system_dependencies,
    systems,
)

SETTINGS_FILE = "plan.yaml"
_NO_ENTRY = SystemSettings()
_PLATFORM_LAYERS = frozenset({"cpu", "server", "pc-terminal", "os"})
CRITICALITY_WEIGHT = {"high": 3, "critical": 3, "高": 3, "核心": 3, "重要": 3, "medium": 2, "中": 2}
RISK_HALF = 50.0  # risk points at which a system's 'riskiest-last' value halves


@dataclass
class Built:
    """The instance, and what the plan output needs beyond it."""

    instance: Instance
    blockers: dict[str, StackBlocker] = field(default_factory=dict)
    choices: dict[str, StackChoice] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)
    breakdowns: dict[str, EffortBreakdown] = field(default_factory=dict)
    warnings: list[PlanWarning] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    rate_ceiling: float | None = None


@dataclass
class _SystemFacts:
    name: str
    unit: str
    sector: str | None
    tier: str
    criticality: str | None
    products: dict[str, list[str]]
    foreign_items: int
    unidentified: int
    foreign_by_product: dict[str, int] = field(default_factory=dict)
    hosts: dict[str, int] = field(default_factory=dict)


def _facts(
    workspace: Workspace, result: Localization, connection: Connection
) -> list[_SystemFacts]:
    catalog = workspace.catalog
    refs: dict[int, list[str]] = defaultdict(list)
    for row in connection.execute(select(system_assets.c.system_id, system_assets.c.asset_ref)):
        refs[row.system_id].append(row.asset_ref)
    host_ids = {r.asset_id: r.id for r in connection.execute(select(hosts.c.id, hosts.c.asset_id))}
    by_host: dict[int, list[Any]] = defaultdict(list)
    for item in result.items:
        if item.host_id is not None and item.disposition == "counted":
            by_host[item.host_id].append(item)
    index = software_index(catalog, result.items)
    status = {(s.unit, s.name): s for s in result.systems}
    out = []
    rows = connection.execute(select(systems).order_by(systems.c.unit, systems.c.name))
    for row in rows:
        products: dict[str, set[str]] = defaultdict(set)
        foreign = unidentified = 0
        by_product: dict[str, int] = defaultdict(int)
        host_roles: dict[str, int] = defaultdict(int)
        for ref in refs[row.id]:
            host_items = by_host.get(host_ids.get(ref, -1), [])
            if ref in host_ids and any(
                i.domestic is False and i.layer in _PLATFORM_LAYERS for i in host_items
            ):
                # a host moves when its platform (CPU, machine, OS) is foreign
                host_roles[host_role(catalog, [i.product_id for i in host_items])] += 1
            for item in host_items:
                if item.product_id:
                    products[item.layer].add(item.product_id)
                    if item.domestic is False:
                        by_product[item.product_id] += 1
                else:
                    unidentified += 1
                foreign += item.domestic is False
        for name in row.software or ():
            product_id = resolve_software(str(name), index)
            product = catalog.products.get(product_id) if product_id else None
            if product is None:
                unidentified += 1
                continue
            products[product.layer].add(product.id)
            foreign += not product.domestic
            if not product.domestic:
                by_product[product.id] += 1
        known = status.get((row.unit, row.name))
        out.append(
            _SystemFacts(
                name=row.name,
                unit=row.unit,
                sector=row.sector,
                tier=known.tier if known else "N",
                criticality=row.criticality,
                products={layer: sorted(ids) for layer, ids in products.items()},
                foreign_items=foreign,
                unidentified=unidentified,
                foreign_by_product=dict(by_product),
                hosts=dict(host_roles),
            )
        )
    return out


def _findings(connection: Connection) -> dict[str, tuple[dict[str, float], int]]:
    """Per scanned system: minutes per scanner target, and the number of findings.

    A system whose code was scanned and found clean is here with no minutes and
    no findings; a system never scanned is absent.
    """
    minutes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    counts: dict[str, int] = defaultdict(int)
    query = select(findings.c.system, findings.c.per_target, findings.c.effort_minutes)
    for row in connection.execution_options(yield_per=5000).execute(query):
        if not row.system:
            continue
        counts[row.system] += 1
        for target in row.per_target or {}:
            minutes[row.system][target] += float(row.effort_minutes or 0)
    scanned = set(counts)
    scanned.update(
        row.system for row in connection.execute(select(scans.c.system).distinct()) if row.system
    )
    return {name: (dict(minutes.get(name, {})), counts.get(name, 0)) for name in scanned}


def _dependencies(connection: Connection) -> list[tuple[str, str]]:
    query = select(systems.c.name, system_dependencies.c.depends_on).join(
        systems, systems.c.id == system_dependencies.c.system_id
    )
    return [(r.name, r.depends_on) for r in connection.execute(query)]


def _check_names(settings: PlanSettings, names: set[str], origin: str) -> None:
    issues = []
    mentioned = [("systems", n) for n in settings.systems]
    mentioned += [("pilots", n) for n in settings.pilots]
    mentioned += [(f"groups.{g.name}", n) for g in settings.groups for n in g.systems]
    for where, name in mentioned:
        if name not in names:
            issues.append(
                Issue(
                    origin, _("no business system of this name"), "PLN003", field=where, value=name
                )
            )
    teams = {t.id for t in settings.teams} | {"default"}
    for name, entry in settings.systems.items():
        if entry.team is not None and entry.team not in teams:
            issues.append(
                Issue(
                    origin,
                    _("no such team"),
                    "PLN004",
                    field=f"systems.{name}.team",
                    value=entry.team,
                )
            )
    for number, freeze in enumerate(settings.freezes):
        if freeze.end < freeze.start:
            issues.append(
                Issue(origin, _("ends before it starts"), "PLN005", field=f"freezes.{number}.end")
            )
    if issues:
        raise DataError(_("{origin}: {n} problem(s)").format(origin=origin, n=len(issues)), issues)


def _value(strategy: Strategy, task_effort: float, risk: float, foreign: int, priority: int) -> int:
    if strategy is Strategy.EASIEST_FIRST:
        return math.ceil(1000 / (task_effort + 10))
    if strategy is Strategy.RISKIEST_LAST:
        return math.ceil(100 * RISK_HALF / (RISK_HALF + risk))
    if strategy is Strategy.BY_PRIORITY:
        return priority
    return max(1, foreign)


def build(
    workspace: Workspace,
    settings: PlanSettings,
    *,
    origin: str = SETTINGS_FILE,
    today: dt.date | None = None,
) -> Built:
    """The scheduling instance of the workspace under ``settings``."""
    catalog = workspace.catalog
    policy = policy_of(workspace)
    result = compute(workspace, as_of=today)
    with workspace.engine.connect() as connection:
        facts = _facts(workspace, result, connection)
        found = _findings(connection)
        deps = _dependencies(connection)
        host_refs = [
            (r.name, r.asset_ref)
            for r in connection.execute(
                select(systems.c.name, system_assets.c.asset_ref).join(
                    systems, systems.c.id == system_assets.c.system_id
                )
            )
        ]
        host_ids_by_asset = {
            r.asset_id: r.id for r in connection.execute(select(hosts.c.asset_id, hosts.c.id))
        }
        known_hosts = set(host_ids_by_asset)
    names = {f.name for f in facts}
    if not facts:
        raise UsageError(
            _("the workspace has no business systems to plan"),
            tip=_("import a business-systems file first (xinchuang import)"),
        )
    _check_names(settings, names, origin)
    warnings = sector_warnings(
        ((f.name, f.unit, f.sector, sector_id(policy, f.sector)) for f in facts),
        policy.id,
        policy.default_tier,
    )
    warnings += team_warnings(
        {f.unit for f in facts},
        {unit: t.id for t in settings.teams for unit in t.units},
        bool(settings.teams),
        settings.capacity,
        {f.unit for f in facts if (settings.systems.get(f.name) or _NO_ENTRY).team},
    )
    warnings += dangling_warnings(host_refs, known_hosts, deps, names)
    warnings += pin_warnings(catalog, settings.pinned)
    inside = {host_ids_by_asset[ref] for _system, ref in host_refs if ref in host_ids_by_asset}
    outside_hosts: set[int] = set()
    outside_items = 0
    for item in result.items:
        if (
            item.disposition == "counted"
            and item.domestic is False
            and item.host_id is not None
            and item.host_id not in inside
        ):
            outside_items += 1
            outside_hosts.add(item.host_id)
    dispositions = {
        name: entry.disposition
        for name, entry in settings.systems.items()
        if entry.disposition is not None
    }
    running = frozenset(
        p
        for f in facts
        for ids in f.products.values()
        for p in ids
        if p in catalog.products and catalog.products[p].domestic
    )
    inputs = [
        SystemInput(
            name=f.name,
            products=f.products,
            findings_minutes_by_target=found.get(f.name, ({}, 0))[0],
            scanned=f.name in found,
            disposition=dispositions.get(f.name, Disposition.MIGRATE).value,
            unidentified=f.unidentified,
            tier=f.tier,
            must_replace=policy.must_replace(f.tier),
            policy=policy.id,
            organization_runs=running,
            keep_vendor=frozenset(settings.keep_vendor),
        )
        for f in facts
    ]
    stacks = choose_stacks(
        catalog,
        inputs,
        pinned=settings.pinned,
        forbidden=settings.forbidden,
        forbidden_vendors=settings.forbidden_vendors,
        time_limit=min(settings.time_limit, 30.0),
        seed=settings.seed,
        today=today,
        origin=origin,
    )
    periods = make_periods(settings.start_date(today), settings.period, settings.horizon)
    per_period_months = months_per_period(periods)
    teams = _teams(settings, periods)
    team_of_unit = {unit: t.id for t in settings.teams for unit in t.units}
    state_owned = set(settings.state_owned)
    tasks: list[SystemTask] = []
    built = Built(instance=None, blockers=dict(stacks.blockers), choices=dict(stacks.choices))  # type: ignore[arg-type]
    built.warnings = warnings
    built.units = {f.name: f.unit for f in facts}
    built.names = {pid: product.name.en for pid, product in catalog.products.items()}
    pilots = set(settings.pilots)
    parameters = EffortParameters(
        host_days=dict(settings.effort.host_days),
        database_fixed_days=settings.effort.database_fixed_days,
        database_days_per_host=settings.effort.database_days_per_host,
        application_days=dict(settings.effort.application_days),
        testing_share=settings.effort.testing_share,
    )
    for fact in facts:
        entry = settings.systems.get(fact.name)
        disposition = dispositions.get(fact.name, Disposition.MIGRATE)
        if fact.name in stacks.blockers:
            continue
        choice = stacks.choices[fact.name]
        if choice.compliant:
            disposition = Disposition.KEEP
        elif disposition is Disposition.KEEP:
            built.kept.append(fact.name)
        override = entry.effort_days if entry is not None else None
        months = settings.parallel_running.months
        if entry is not None and entry.parallel_months is not None:
            months = entry.parallel_months
        parallel = math.ceil(months / per_period_months) if months else 0
        if choice.compliant:
            parallel = 0
        replaced_products = {p for ids in choice.replaces.values() for p in ids}
        if disposition is Disposition.RETIRE:
            breakdown = flat(
                settings.retire_effort_days,
                _("retirement"),
                _("retire_effort_days in plan.yaml"),
                override,
            )
        elif disposition is Disposition.KEEP:
            breakdown = flat(0.0, "", "", None)
        else:
            breakdown = estimate(
                place_days=choice.place_days,
                replaced_roles=frozenset(
                    key.split("/")[0] for key, ids in choice.replaces.items() if ids
                ),
                hosts=fact.hosts,
                scanned=fact.name in found,
                criticality=fact.criticality,
                parameters=parameters,
                parallel_days=months * settings.parallel_running.days_per_month,
                override=override,
            )
        built.breakdowns[fact.name] = breakdown
        effort = breakdown.total
        if disposition is Disposition.RETIRE:
            replaced_items = fact.foreign_items
        else:
            replaced_items = sum(fact.foreign_by_product.get(p, 0) for p in replaced_products)
            if not choice.blocked and replaced_products:
                # foreign items known only by vendor or origin go with the whole move
                replaced_items += fact.foreign_items - sum(fact.foreign_by_product.values())
        layers = {catalog.products[p].layer for p in choice.stack.values() if p in catalog.products}
        for replaced in choice.replaces.values():
            layers |= {catalog.products[p].layer for p in replaced if p in catalog.products}
        if disposition is Disposition.RETIRE:
            layers |= set(fact.products)
        applied = system_deadline(
            policy,
            tier=fact.tier,
            sector=sector_id(policy, fact.sector),
            state_owned=fact.unit in state_owned,
            layers=layers,
            kinds=settings.deadline_kinds,
            shift_months=settings.shift_deadlines_months,
        )
        staff_days = settings.max_staff_per_system * periods[0].working_days
        priority = (entry.priority if entry and entry.priority else None) or CRITICALITY_WEIGHT.get(
            (fact.criticality or "").strip().lower(), 1
        )
        cost = effort * settings.budget.day_rate + sum(
            settings.budget.licences.get(p, 0.0) for p in choice.stack.values()
        )
        team = (entry.team if entry and entry.team else None) or team_of_unit.get(
            fact.unit, "default"
        )
        scanned = fact.name in found
        count = found.get(fact.name, ({}, 0))[1]
        tasks.append(
            SystemTask(
                name=fact.name,
                unit=fact.unit,
                disposition=disposition,
                team=team,
                effort_days=round(effort, 2),
                duration=max(1, math.ceil(effort / staff_days)) if effort else 1,
                parallel_periods=parallel,
                parallel_days=settings.parallel_running.days_per_month * per_period_months
                if parallel
                else 0.0,
                deadline=applied.date,
                deadline_ids=applied.ids,
                weight=priority,
                value=_value(settings.strategy, effort, choice.risk, replaced_items, priority),
                foreign_items=max(0, replaced_items),
                risk=float(choice.risk),
                cost=round(cost, 2),
                pilot=fact.name in pilots,
                target_stack=dict(choice.stack),
                in_use=tuple(sorted({p for ids in fact.products.values() for p in ids})),
                evidence=(Evidence.SCANNED if count else Evidence.SCANNED_CLEAN)
                if scanned
                else Evidence.NOT_SCANNED,
                findings=count,
                reasons=tuple(choice.reasons),
                compliant=choice.compliant,
                blocked=tuple(b.place for b in choice.blocked),
            )
        )
    if settings.strategy is Strategy.PILOT_THEN_BULK and not pilots:
        tasks = _auto_pilots(tasks, deps)
    tasks = _pilots_bring_upstream(tasks, deps)
    scheduled = {t.name for t in tasks if t.disposition.scheduled}
    overall = result.figures["localization_rate"]["overall"]
    total = int(overall["domestic"] + overall["foreign"])
    if total:
        replaceable = sum(t.foreign_items for t in tasks if t.disposition.scheduled)
        built.rate_ceiling = round((overall["domestic"] + replaceable) / total, 4)
        built.warnings += coverage_warning(
            outside_items,
            len(outside_hosts),
            built.rate_ceiling,
            overall["domestic"] / total,
        )
    built.instance = Instance(
        periods=periods,
        teams=teams,
        systems=tuple(tasks),
        dependencies=tuple(
            Dependency(system=a, depends_on=b)
            for a, b in deps
            if a in scheduled and b in scheduled and a != b
        ),
        groups=tuple(
            Group(name=g.name, systems=tuple(n for n in g.systems if n in scheduled))
            for g in settings.groups
            if sum(n in scheduled for n in g.systems) >= 2
        ),
        freezes=tuple(
            Freeze(name=f.name, start=f.start, end=f.end, units=tuple(f.units))
            for f in settings.freezes
        ),
        budget=dict(settings.budget.yearly),
        guardrails=Guardrails(
            max_systems=settings.guardrails.max_systems, max_risk=settings.guardrails.max_risk
        ),
        strategy=settings.strategy,
        baseline_domestic=int(overall["domestic"]),
        baseline_total=int(overall["domestic"] + overall["foreign"]),
        catalog_revision=catalog.revision,
        forbidden_products=tuple(settings.forbidden),
        forbidden_vendors=tuple(settings.forbidden_vendors),
    )
    return built


def _auto_pilots(tasks: list[SystemTask], deps: Sequence[tuple[str, str]]) -> list[SystemTask]:
    """Pilot-then-bulk with no pilots named: the one or two easiest, least risky systems.

    Only a system that depends on no other can be a pilot on its own: a pilot must cut
    over before anything else starts, and it cuts over no earlier than what it uses.
    """
    scheduled = {t.name for t in tasks if t.disposition.scheduled}
    dependent = {system for system, used in deps if system != used and used in scheduled}
    candidates = [
        t
        for t in tasks
        if t.disposition is Disposition.MIGRATE and t.effort_days > 0 and t.name not in dependent
    ]
    if len(candidates) < 5:
        return tasks
    count = 1 if len(candidates) < 20 else 2
    chosen = sorted(candidates, key=lambda t: (t.effort_days * (1 + t.risk / RISK_HALF), t.name))
    names = {t.name for t in chosen[:count]}
    reason = _("pilot: among the easiest and least risky systems (pilot-then-bulk)")
    return [
        t.model_copy(update={"pilot": True, "reasons": (*t.reasons, reason)})
        if t.name in names
        else t
        for t in tasks
    ]


def _pilots_bring_upstream(
    tasks: list[SystemTask], deps: Sequence[tuple[str, str]]
) -> list[SystemTask]:
    """What a pilot depends on moves with the pilots (else the two rules would deadlock)."""
    scheduled = {t.name for t in tasks if t.disposition.scheduled}
    upstream: dict[str, set[str]] = {}
    for system, used in deps:
        if system != used and used in scheduled:
            upstream.setdefault(system, set()).add(used)
    pilots = {t.name for t in tasks if t.pilot}
    added: dict[str, str] = {}
    frontier = list(pilots)
    while frontier:
        name = frontier.pop()
        for used in sorted(upstream.get(name, ())):
            if used not in pilots and used not in added:
                added[used] = name
                frontier.append(used)
    if not added:
        return tasks
    return [
        t.model_copy(
            update={
                "pilot": True,
                "reasons": (
                    *t.reasons,
                    _("moves with the pilots: the pilot {pilot} depends on it").format(
                        pilot=added[t.name]
                    ),
                ),
            }
        )
        if t.name in added
        else t
        for t in tasks
    ]


def _teams(settings: PlanSettings, periods: tuple[Any, ...]) -> tuple[Team, ...]:
    teams = [
        Team(
            id=t.id,
            capacity=tuple(t.capacity_by_period.get(p.label, t.capacity) for p in periods),
        )
        for t in settings.teams
    ]
    if not any(t.id == "default" for t in teams):
        teams.append(Team(id="default", capacity=tuple(settings.capacity for _p in periods)))
    return tuple(teams)


def _block_json(block: LayerBlock) -> dict[str, Any]:
    return {
        "place": block.place,
        "current": list(block.current),
        "code": block.code,
        "missing": block.missing,
        "pairs": [list(pair) for pair in block.pairs],
        "unblock": block.unblock,
    }


def _effort_json(breakdown: EffortBreakdown | None, effort: float) -> dict[str, Any]:
    if breakdown is None:
        return {"total_days": effort, "items": [], "parallel_running_days": 0.0}
    return {
        "total_days": round(breakdown.total, 2),
        "computed_days": breakdown.computed,
        "overridden": breakdown.overridden is not None,
        "items": [
            {"item": item.item, "days": item.days, "basis": item.basis} for item in breakdown.items
        ],
        "parallel_running_days": round(breakdown.parallel_days, 2),
    }


def plan_json(built: Built, solution: Solution) -> dict[str, Any]:
    """The JSON of ``plan --format json``."""
    from xinchuang.plan.lateness import explain

    instance = built.instance
    placed = solution.by_system()
    rows: list[dict[str, Any]] = []
    missed = {m.system: m for m in solution.missed}
    why_late = explain(instance, solution)
    for task in instance.systems:
        where = placed.get(task.name)
        reasons = list(task.reasons)
        start = end = None
        if where is not None and not where.beyond:
            start = instance.periods[where.start].start.isoformat()
            end = instance.periods[where.finish].end.isoformat()
            cut = instance.periods[where.cutover].label
            reasons.append(
                _("cut-over in {period}; {parallel} period(s) of parallel running").format(
                    period=cut, parallel=task.parallel_periods
                )
            )
        elif where is not None:
            reasons.append(_("does not fit the horizon with the capacity given"))
        if task.disposition is Disposition.KEEP and not task.compliant:
            reasons.append(_("kept under an exemption: not scheduled"))
        if task.pilot:
            reasons.append(_("pilot: moves before the others start"))
        late_by = None
        if task.name in missed:
            m = missed[task.name]
            late_by = m.days_late
            reasons.append(
                _("misses its deadline {deadline} by {days} days").format(
                    deadline=m.deadline, days=m.days_late
                )
            )
            if task.name in why_late:
                reasons.append(_("late because {why}").format(why=why_late[task.name]))
        choice = built.choices.get(task.name)
        if task.compliant:
            state = "already-compliant"
        elif task.disposition is Disposition.KEEP:
            state = "kept"
        elif task.blocked:
            state = "partial"
        else:
            state = "planned"
        rows.append(
            {
                "system": task.name,
                "unit": task.unit,
                "disposition": task.disposition.value,
                "state": state,
                "stack_text": _stack_text(built, task.target_stack),
                "timing": _("nothing to do")
                if task.compliant
                else _timing(task.deadline, late_by, start is not None),
                "compliant": task.compliant,
                "target_stack": task.target_stack,
                "replaces": {k: list(v) for k, v in choice.replaces.items() if v} if choice else {},
                "blocked": [_block_json(b) for b in choice.blocked] if choice else [],
                "kept": [k.reason for k in choice.kept] if choice else [],
                "period_start": start,
                "period_end": end,
                "effort_days": task.effort_days,
                "effort": _effort_json(built.breakdowns.get(task.name), task.effort_days),
                "deadline": task.deadline.isoformat() if task.deadline else None,
                "late": task.name in missed,
                "late_by_days": late_by,
                "why_late": why_late.get(task.name),
                "reasons": reasons,
            }
        )
    for name, blocker in sorted(built.blockers.items()):
        rows.append(
            {
                "system": name,
                "unit": built.units.get(name),
                "disposition": blocker.disposition,
                "state": "blocked",
                "stack_text": _("blocked: {why}").format(why=f"{blocker.code} {blocker.missing}"),
                "timing": _("not scheduled"),
                "compliant": False,
                "target_stack": {},
                "replaces": {},
                "blocked": [_block_json(b) for b in blocker.blocked],
                "kept": [],
                "period_start": None,
                "period_end": None,
                "effort_days": 0.0,
                "effort": _effort_json(None, 0.0),
                "deadline": None,
                "late": False,
                "late_by_days": None,
                "why_late": None,
                "reasons": [f"{blocker.code} {blocker.missing}", *blocker.reasons],
            }
        )
    rows.sort(key=lambda r: (r["period_start"] or "9999", r["period_end"] or "9999", r["system"]))
    out: dict[str, Any] = {
        "status": solution.status,
        "objective": solution.objective.model_dump(),
        "bound": solution.bound.model_dump(),
        "strategy": solution.strategy,
        "periods": {
            "start": instance.periods[0].start.isoformat(),
            "end": instance.periods[-1].end.isoformat(),
            "count": instance.horizon,
        },
        "missed": [m.model_dump() for m in solution.missed],
        "advice": solution.advice.model_dump() if solution.advice else None,
        "blockers": len(built.blockers),
        "summary": {**_summary(rows), "rate_ceiling": built.rate_ceiling},
        "warnings": [w.as_json() for w in built.warnings],
        "solve_seconds": solution.solve_seconds,
        "catalog_revision": solution.catalog_revision,
        "systems": rows,
    }
    return out


def _stack_text(built: Built, stack: dict[str, str]) -> str:
    """A stack for people: product names, one per place, in stack order."""
    return "; ".join(built.names.get(product, product) for product in stack.values())


def _timing(deadline: dt.date | None, late_by: int | None, placed: bool) -> str:
    if late_by is not None:
        return _("late by {days} days").format(days=late_by)
    if deadline is None:
        return _("no deadline") if placed else "—"
    return _("on time")


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts a PM reads first: how many systems are planned in full, partly, or not at all."""
    states: dict[str, int] = defaultdict(int)
    for row in rows:
        states[row["state"]] += 1
    return {
        "systems": len(rows),
        "by_state": dict(sorted(states.items())),
        "blocked_layers": sum(len(r["blocked"]) for r in rows),
        "late": sum(bool(r["late"]) for r in rows),
        "effort_days": round(sum(float(r["effort_days"]) for r in rows), 1),
    }


def make_plan(
    workspace: Workspace,
    settings: PlanSettings,
    *,
    origin: str = SETTINGS_FILE,
    workers: int = 0,
    deterministic_time: float | None = None,
    today: dt.date | None = None,
    strict: bool = False,
) -> tuple[Built, Solution]:
    """Build, solve and validate a plan (raises PlanInfeasible / DataError).

    With ``strict``, input warnings (PLN401–PLN405) are raised as one DataError.
    """
    built = build(workspace, settings, origin=origin, today=today)
    if strict and built.warnings:
        raise DataError(
            _("{n} warning(s) in the planner's input (--strict)").format(n=len(built.warnings)),
            [Issue(w.where, w.message, w.code) for w in built.warnings],
        )
    solution = solve(
        built.instance,
        SolveOptions(
            time_limit=settings.time_limit,
            seed=settings.seed,
            workers=workers,
            deterministic_time=deterministic_time,
        ),
    )
    report = validate(built.instance, solution, workspace.catalog)
    if not report.ok:
        raise DataError(
            _("PLN303 the plan breaks {n} constraint(s): {first}").format(
                n=len(report.violations), first=report.violations[0]
            ),
            tip=_("this is a bug in xinchuang's planner; please report it with the plan.yaml"),
        )
    return built, solution


def save_plan(
    workspace: Workspace, built: Built, solution: Solution, settings: PlanSettings, name: str
) -> int:
    """Store the plan and its items; return the plan id."""
    data = plan_json(built, solution)
    with database.transaction(workspace.engine) as connection:
        plan_id = connection.execute(
            insert(plans)
            .values(
                name=name,
                created_at=dt.datetime.now(dt.UTC),
                status=solution.status,
                settings=settings.model_dump(mode="json"),
                objective=solution.objective.model_dump(),
                bound=solution.bound.model_dump(),
                catalog_revision=solution.catalog_revision or workspace.catalog.revision,
                xinchuang_version=__version__,
                result={
                    "plan": data,
                    "instance": built.instance.model_dump(mode="json"),
                    "solution": solution.model_dump(mode="json"),
                },
            )
            .returning(plans.c.id)
        ).scalar_one()
        rows = [
            {
                "plan_id": plan_id,
                "system": r["system"],
                "disposition": r["disposition"],
                "target_stack": r["target_stack"],
                "period_start": dt.date.fromisoformat(r["period_start"])
                if r["period_start"]
                else None,
                "period_end": dt.date.fromisoformat(r["period_end"]) if r["period_end"] else None,
                "effort_days": r["effort_days"],
                "deadline": dt.date.fromisoformat(r["deadline"]) if r["deadline"] else None,
                "late": r["late"],
                "reasons": r["reasons"],
            }
            for r in data["systems"]
        ]
        if rows:
            connection.execute(insert(plan_items), rows)
    return int(plan_id)


def delete_plan(workspace: Workspace, plan_id: int) -> None:
    """Delete a saved plan and its items (UsageError PLN304 when there is no such plan)."""
    with database.transaction(workspace.engine) as connection:
        found = connection.execute(select(plans.c.id).where(plans.c.id == plan_id)).first()
        if found is None:
            raise UsageError(
                _("PLN304 no plan {id}").format(id=plan_id),
                tip=_("'xinchuang plan --list' shows the saved plans"),
            )
        connection.execute(delete(plan_items).where(plan_items.c.plan_id == plan_id))
        connection.execute(delete(plans).where(plans.c.id == plan_id))


def list_plans(workspace: Workspace) -> list[dict[str, Any]]:
    """Every saved plan, newest first."""
    count = (
        select(plan_items.c.plan_id, func.count().label("n"))
        .group_by(plan_items.c.plan_id)
        .subquery()
    )
    query = (
        select(
            plans.c.id,
            plans.c.name,
            plans.c.created_at,
            plans.c.status,
            plans.c.objective,
            count.c.n,
        )
        .outerjoin(count, count.c.plan_id == plans.c.id)
        .order_by(plans.c.id.desc())
    )
    with workspace.engine.connect() as connection:
        return [
            {
                "id": r.id,
                "name": r.name,
                "created_at": r.created_at.isoformat(timespec="seconds"),
                "status": r.status,
                "objective": r.objective,
                "systems": r.n or 0,
            }
            for r in connection.execute(query)
        ]


@dataclass
class Saved:
    """A saved plan, read back."""

    id: int
    name: str
    settings: PlanSettings
    instance: Instance
    solution: Solution
    plan: dict[str, Any]


def load_plan(workspace: Workspace, plan_id: int | None = None) -> Saved:
    """The plan ``plan_id`` (default: the newest)."""
    query = select(plans)
    query = (
        query.where(plans.c.id == plan_id)
        if plan_id is not None
        else query.order_by(plans.c.id.desc())
    )
    with workspace.engine.connect() as connection:
        row = connection.execute(query.limit(1)).first()
    if row is None:
        raise UsageError(
            _("PLN304 no saved plan")
            if plan_id is None
            else _("PLN304 no plan {id}").format(id=plan_id),
            tip=_("make one with 'xinchuang plan'"),
        )
    result = row.result
    return Saved(
        id=row.id,
        name=row.name,
        settings=PlanSettings.model_validate(row.settings),
        instance=Instance.model_validate(result["instance"]),
        solution=Solution.model_validate(result["solution"]),
        plan=result["plan"],
    )


def forecast_json(forecast: Forecast) -> dict[str, Any]:
    """The JSON of ``forecast --format json``."""
    return {
        "runs": forecast.runs,
        "seed": forecast.seed,
        "finish": {
            "planned": _iso(forecast.finish_planned),
            "p50": _iso(forecast.finish_p50),
            "p90": _iso(forecast.finish_p90),
        },
        "deadlines": [
            {
                "deadline": d.deadline.isoformat(),
                "ids": list(d.ids),
                "systems": d.systems,
                "planned": _iso(d.planned),
                "p50": d.p50.isoformat(),
                "p90": d.p90.isoformat(),
                "probability_on_time": d.probability_on_time,
            }
            for d in forecast.deadlines
        ],
        "rate_curve": [
            {
                "date": p.date.isoformat(),
                "planned": p.planned,
                "p10": p.p10,
                "p50": p.p50,
                "p90": p.p90,
            }
            for p in forecast.rate_curve
        ],
    }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def run_forecast(saved: Saved, *, runs: int, seed: int) -> Forecast:
    """The Monte Carlo forecast of a saved plan."""
    return simulate(saved.instance, saved.solution, runs=runs, seed=seed)


def progress_json(workspace: Workspace, saved: Saved, as_of: dt.date) -> dict[str, Any]:
    """The quarterly return of the saved plan as of ``as_of``."""
    from xinchuang.plan.progress import Standing, progress

    result = compute(workspace, as_of=as_of)
    standing = {
        s.name: Standing(
            unit=s.unit,
            domestic=s.domestic,
            foreign_layers=tuple(sorted({f.split(": ")[-1].split(" ")[0] for f in s.foreign})),
        )
        for s in result.systems
    }
    layers = result.figures["localization_rate"]["by_layer"]
    out = progress(saved.plan["systems"], standing, layers, as_of)
    out["plan"] = {"id": saved.id, "name": saved.name}
    return out


def what_if(
    workspace: Workspace,
    saved: Saved,
    *,
    capacity_factor: float | None,
    remove_vendor: list[str],
    shift_months: int | None,
    runs: int,
    seed: int,
    workers: int = 0,
) -> dict[str, Any]:
    """Re-plan and re-forecast the saved plan's settings under a change."""
    from xinchuang.plan.schedule import scale_capacity
    from xinchuang.plan.whatif import delta

    settings = saved.settings
    changes: dict[str, Any] = {}
    if remove_vendor:
        changes["forbidden_vendors"] = sorted({*settings.forbidden_vendors, *remove_vendor})
    if shift_months:
        changes["shift_deadlines_months"] = settings.shift_deadlines_months + shift_months
    scenario_settings = settings.override(**changes)
    built = build(workspace, scenario_settings)
    if capacity_factor is not None:
        built.instance = scale_capacity(built.instance, capacity_factor)
    solution = solve(
        built.instance,
        SolveOptions(time_limit=settings.time_limit, seed=settings.seed, workers=workers),
    )
    report = validate(built.instance, solution, workspace.catalog)
    if not report.ok:
        raise DataError(
            _("PLN303 the plan breaks {n} constraint(s): {first}").format(
                n=len(report.violations), first=report.violations[0]
            )
        )
    baseline = {
        "plan": saved.plan,
        "forecast": forecast_json(run_forecast(saved, runs=runs, seed=seed)),
    }
    scenario = {
        "plan": plan_json(built, solution),
        "forecast": forecast_json(simulate(built.instance, solution, runs=runs, seed=seed)),
        "change": {
            "capacity_factor": capacity_factor,
            "remove_vendor": remove_vendor,
            "shift_deadline_months": shift_months,
        },
    }
    return {"baseline": baseline, "scenario": scenario, "delta": delta(baseline, scenario)}
