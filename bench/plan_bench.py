"""Wave-planner benchmark: generated organizations of 100, 1,000 and 10,000 systems.

For each size, over 12 quarters: the greedy earliest-deadline-first list
scheduler (the baseline, and CP-SAT's first hint), then CP-SAT with a 10 s and a
60 s limit. Each line gives the three objective levels (deadlines missed /
weighted lateness / localization delay), CP-SAT's bound on the last level, and
the gap to it. Every schedule is checked by the validator.

    .venv/bin/python bench/plan_bench.py [--sizes 100 1000 10000] [--limits 10 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import time

from xinchuang.plan.generate import organization
from xinchuang.plan.schedule import SolveOptions, best_greedy, solve
from xinchuang.plan.validate import validate


def _levels(values: tuple[float, float, float]) -> str:
    return f"{values[0]:.0f} / {values[1]:.0f} / {values[2]:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--limits", type=float, nargs="+", default=[10.0, 60.0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, workers: {args.workers}, load: {os.getloadavg()[0]:.2f}")
    header = (
        f"{'systems':>8} {'method':<12} {'seconds':>8} {'first ok':>9} {'valid':>5} "
        f"{'missed / lateness / delay':>28} {'delay bound':>12} {'gap':>7} {'status':<8}"
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
            f"{size:>8} {'greedy EDF':<12} {seconds:>8.2f} {seconds:>9.2f} {report.ok!s:>5} "
            f"{_levels(report.levels.as_tuple()):>28} {'':>12} {'':>7} "
            f"{len(greedy.unplaced)} beyond"
        )
        for limit in args.limits:
            began = time.perf_counter()
            solution = solve(
                instance,
                SolveOptions(time_limit=limit, workers=args.workers, seed=args.seed, advice=False),
            )
            seconds = time.perf_counter() - began
            report = validate(instance, solution)
            delay, bound = solution.objective.localization_delay, solution.bound.localization_delay
            gap = (delay - bound) / delay if delay else 0.0
            first = greedy_time(instance)
            print(
                f"{size:>8} {f'CP-SAT {limit:g}s':<12} {seconds:>8.2f} {first:>9.2f} "
                f"{report.ok!s:>5} {_levels(solution.objective.as_tuple()):>28} {bound:>12.0f} "
                f"{gap:>6.1%} {'/'.join(s[:4] for s in solution.level_status)}"
            )


def greedy_time(instance: object) -> float:
    """Seconds to the first valid plan inside solve(): the greedy hint (validated)."""
    began = time.perf_counter()
    best_greedy(instance)  # type: ignore[arg-type]
    return time.perf_counter() - began


if __name__ == "__main__":
    main()
