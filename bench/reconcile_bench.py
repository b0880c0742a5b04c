"""Benchmark host reconciliation: import hardware registers of 10k, 100k (and 1M) hosts.

    .venv/bin/python bench/reconcile_bench.py                    # 10k and 100k hosts
    .venv/bin/python bench/reconcile_bench.py --sizes 10000,100000,1000000

Each register is a CSV of a group CMDB's shape (asset number, hostname, serial,
CPU, operating system), generated with a fixed seed: a tenth of the hosts share
a hostname with another host (default Windows names, ``admin-PC``), so the
hostname index is exercised too. Each size is imported into a new SQLite
workspace by ``xinchuang import`` in a child process, so the wall time is what
a user waits and the peak RSS is the import's own. Linear reconciliation shows
as a flat hosts-per-second column across sizes; the quadratic scan it replaced
took 10 s at 10k and did not finish 100k in 7 minutes.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

SEED = 20_261_208
CPUS = (
    "Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz",
    "HUAWEI Kunpeng 920 5250",
    "Hygon C86 7285 32-core Processor",
    "Phytium FT-2000+/64",
    "Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz",
)
SYSTEMS = (
    "Kylin Linux Advanced Server V10",
    "CentOS Linux 7",
    "Windows 10 专业版",
    "UnionTech OS Server 20",
)


def write_register(path: Path, hosts: int) -> None:
    """A CMDB export of ``hosts`` machines; one in ten shares a hostname with another."""
    rng = random.Random(SEED)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("资产编号,主机名,序列号,CPU型号,操作系统\n")
        for number in range(hosts):
            shared = number % 10 == 0
            name = f"admin-PC-{rng.randrange(hosts // 10 + 1)}" if shared else f"h{number}"
            cpu, system = rng.choice(CPUS), rng.choice(SYSTEMS)
            out.write(f"ZC-{number:07d},{name},SN{number:09d},{cpu},{system}\n")


def run(hosts: int, directory: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one import of a ``hosts``-machine register."""
    register = directory / f"cmdb-{hosts}.csv"
    write_register(register, hosts)
    workspace = directory / f"ws-{hosts}"
    xinchuang = [sys.executable, "-m", "xinchuang"]
    subprocess.run([*xinchuang, "init", str(workspace)], check=True, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [*xinchuang, "import", str(register), "-w", str(workspace), "--format", "json"],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"import of {hosts} hosts failed: {done.stderr.strip()}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak


def main(argv: Sequence[str] | None = None) -> int:
    """Print one table row per size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="10000,100000", help="host counts, comma-separated")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at start")
    print(f"{'hosts':>10} {'seconds':>10} {'hosts/s':>10} {'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory(prefix="xc-reconcile-") as tmp:
        for hosts in sizes:
            seconds, peak = run(hosts, Path(tmp))
            print(f"{hosts:>10,} {seconds:>10.1f} {hosts / seconds:>10,.0f} {peak:>12,.0f}")
    print(f"load average {os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
