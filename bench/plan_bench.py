"""Wave-planner benchmark: generated organizations of 100, 1,000 and 10,000 systems.

For each size, over 12 quarters: the greedy earliest-deadline-first list
scheduler (the baseline, and CP-SAT's first hint), then CP-SAT with a 10 s and a
60 s wall-clock budget for the whole call. Each line gives the three objective
levels (deadlines missed / weighted lateness / localization delay), the bound on
each level, the gap of the last level to its bound, where the time went (greedy
and model build, then each stage) and each stage's status. "first ok" is the
wall-clock time at which solve() holds its first valid plan (the greedy one).
Every schedule is checked by the validator.

    .venv/bin/python bench/plan_bench.py [--sizes 100 1000 10000] [--limits 10 60] [--workers 2]

With ``--review WORKSPACE SETTINGS`` (repeatable) it measures instead what a migration PM
reviews on a real workspace (issue 10): systems by state, systems with a full target stack,
blocked layers and whether each names its missing certification pair, effort per migrated
system (min / median / max person-days), deadlines missed, and the forecast's localization
rate at the end, with the plan.yaml capacity and with that capacity × ``--factor``.

    .venv/bin/python bench/plan_bench.py --review bank-ws examples/sample-bank/plan.yaml \
        --review city-ws examples/sample-city/plan.yaml
"""

from __future__ import annotations

import argparse
import os
import time

from xinchuang.plan.generate import organization
from xinchuang.plan.schedule import SolveOptions, best_greedy, solve_traced
from xinchuang.plan.validate import validate


def _levels(values: tuple[float, float, float]) -> str:
    return f"{values[0]:.0f} / {values[1]:.0f} / {values[2]:.0f}"


def _gap(value: float, bound: float) -> str:
    return f"{(value - bound) / value:.1%}" if value else "0.0%"


def review(workspace: str, settings_path: str, factor: float, runs: int) -> None:
    """One workspace's plan, as a reviewer reads it; printed as two lines."""
    import statistics
    from pathlib import Path

    from xinchuang.pipeline import plan as pipeline
    from xinchuang.pipeline.workspace import open_workspace
    from xinchuang.plan.forecast import simulate
    from xinchuang.plan.schedule import SolveOptions, scale_capacity, solve
    from xinchuang.plan.settings import read_settings

    settings = read_settings(Path(settings_path))
    with open_workspace(Path(workspace)) as ws:
        began = time.perf_counter()
        built, solution = pipeline.make_plan(ws, settings)
        seconds = time.perf_counter() - began
        data = pipeline.plan_json(built, solution)
        forecast = simulate(built.instance, solution, runs=runs, seed=settings.seed)
        scaled = scale_capacity(built.instance, factor)
        more = solve(scaled, SolveOptions(time_limit=settings.time_limit, seed=settings.seed))
        more_forecast = simulate(scaled, more, runs=runs, seed=settings.seed)
    rows = data["systems"]
    states = data["summary"]["by_state"]
    blocks = [b for r in rows for b in r["blocked"]]
    named = sum(bool(b["pairs"]) or b["code"] == "PLN210" for b in blocks)
    efforts = [
        r["effort_days"]
        for r in rows
        if r["state"] in ("planned", "partial") and r["disposition"] == "migrate"
    ]
    end = forecast.rate_curve[-1]
    end_more = more_forecast.rate_curve[-1]
    print(
        f"{workspace}: {len(rows)} systems {states}; full stacks {states.get('planned', 0)}, "
        f"partial {states.get('partial', 0)}, blocked layers {len(blocks)} "
        f"({named} name their missing pair or substitution); plan {seconds:.1f} s"
    )
    print(
        f"  effort per migrated system: min {min(efforts):.1f} / median "
        f"{statistics.median(efforts):.1f} / max {max(efforts):.1f} person-days "
        f"(total {sum(efforts):,.0f}); deadlines missed {len(solution.missed)}; "
        f"rate at {end.date}: planned {end.planned:.1%} (P50 {end.p50:.1%}); "
        f"capacity × {factor:g}: missed {len(more.missed)}, planned {end_more.planned:.1%}"
    )
    for row in rows:
        for block in row["blocked"]:
            print(f"    blocked {row['system']} / {block['place']}: {block['missing'][:150]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--review", nargs=2, action="append", metavar=("WORKSPACE", "SETTINGS"))
    parser.add_argument("--factor", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--limits", type=float, nargs="+", default=[10.0, 60.0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, workers: {args.workers}, load: {os.getloadavg()[0]:.2f}")
    if args.review:
        for workspace, settings_path in args.review:
            review(workspace, settings_path, args.factor, args.runs)
        return
    header = (
        f"{'systems':>7} {'method':<11} {'wall s':>6} {'first ok':>8} {'valid':>5} "
        f"{'missed / lateness / delay':>25} {'bounds':>20} {'gap':>6} "
        f"{'greedy+build':>12} {'stage seconds':>16} {'status':<14}"
    )
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        instance = organization(size, seed=args.seed)
        began = time.perf_counter()
        greedy = best_greedy(instance)
        seconds = time.perf_counter() - began
        report = validate(instance, greedy.assignments)
        print(
            f"{size:>7} {'greedy EDF':<11} {seconds:>6.2f} {seconds:>8.2f} {report.ok!s:>5} "
            f"{_levels(report.levels.as_tuple()):>25} {'':>20} {'':>6} {'':>12} {'':>16} "
            f"{len(greedy.unplaced)} beyond"
        )
        for limit in args.limits:
            began = time.perf_counter()
            solution, trace = solve_traced(
                instance,
                SolveOptions(time_limit=limit, workers=args.workers, seed=args.seed, advice=False),
            )
            seconds = time.perf_counter() - began
            report = validate(instance, solution)
            delay, bound = solution.objective.localization_delay, solution.bound.localization_delay
            stages = "/".join(f"{s['seconds']:.1f}" for s in trace.stages)
            print(
                f"{size:>7} {f'CP-SAT {limit:g}s':<11} {seconds:>6.2f} {trace.greedy:>8.2f} "
                f"{report.ok!s:>5} {_levels(solution.objective.as_tuple()):>25} "
                f"{_levels(solution.bound.as_tuple()):>20} {_gap(delay, bound):>6} "
                f"{trace.greedy + trace.build:>12.1f} {stages:>16} "
                f"{'/'.join(s[:4] for s in solution.level_status)}"
            )


if __name__ == "__main__":
    main()
