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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--limits", type=float, nargs="+", default=[10.0, 60.0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, workers: {args.workers}, load: {os.getloadavg()[0]:.2f}")
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
