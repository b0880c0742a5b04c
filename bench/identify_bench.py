"""Benchmark the identification kernel: 1M and 10M installed-software rows, one core.

    .venv/bin/python bench/identify_bench.py            # 1M and 10M, about two minutes
    .venv/bin/python bench/identify_bench.py --sizes 100000,1000000

Rows are generated as a stream of Arrow batches from a pool of a few thousand
distinct installed-software rows (catalog names with real-world noise:
versions, editions, architectures, case, typos, plus in-house and freeware
names the catalog does not know), drawn with Zipf-like frequencies; the
stream is never materialized. Each measurement runs in a fresh child process
(a cold cache, and a peak RSS of its own) and times the kernel only:

* ``exact``: only rows that an exact path identifies (purl, package, regex, alias);
* ``overall``: every row, including fuzzy matches and unknowns;
* ``records``: ``Identifier.identify_many`` over plain dicts, as a reader yields them;
* ``arrow``: ``identify_batch`` over the Arrow batches (the Spark ``mapInArrow`` path).

In the same run a naive baseline (one rapidfuzz ``process.extractOne`` per row
against every catalog name) runs on a sample, and the table shows the ratio.
The shipped catalog is used when it loads, else the test fixture catalog.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from rapidfuzz import process

from xinchuang.catalog.identify import Identifier
from xinchuang.catalog.identify_arrow import identify_batch
from xinchuang.catalog.loader import load_catalog
from xinchuang.catalog.model import Catalog
from xinchuang.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_CATALOG = ROOT / "tests" / "fixtures" / "catalog"
CHUNK = 65_536
SEED = 20_240_601
POOL_SIZE = 3_000
NAMES_PER_PRODUCT = 2  # the English and Chinese names, or the first alias
NAIVE_SAMPLE = 2_000
STREAM_COLUMNS = ("kind", "name", "vendor", "package_type", "purl")


@dataclass
class TableRow:
    """One line of the printed table."""

    measurement: str
    api: str
    rows: int
    distinct: int | None
    identified: float | None  # share of rows with a product
    rows_per_s: float
    peak_rss_mb: float | None
    note: str = ""


# ----------------------------------------------------------------------------- catalog


def choose_catalog(which: str = "auto") -> tuple[Catalog, str]:
    """The shipped catalog when it loads (or when asked), else the fixture catalog."""
    if which in {"auto", "shipped"}:
        try:
            return load_catalog(), "shipped"
        except DataError:
            if which == "shipped":
                raise
    return load_catalog([FIXTURE_CATALOG], shipped=False), "fixture (shipped catalog invalid)"


# ----------------------------------------------------------------------------- the rows

VERSIONS = ["2016", "2019", "19c", "8.0.32", "V10", "v3.2.1", "11.2.0.4", "2021", "14", "5.7"]
EDITIONS = [
    "Professional Plus",
    "Enterprise Edition",
    "Standard",
    "专业版",
    "标准版",
    "企业版",
    "Community",
    "(x64)",
    "(64-bit)",
    "x86_64",
]
IN_HOUSE = [
    "柜面",
    "信贷",
    "核心",
    "网银",
    "支付",
    "票据",
    "理财",
    "反洗钱",
    "客服",
    "人力",
    "财务",
    "审计",
    "档案",
    "OA",
    "风控",
    "征信",
    "清算",
    "外汇",
    "营销",
    "运维",
]
IN_HOUSE_KIND = ["业务系统", "管理平台", "服务端", "客户端", "前置机", "数据集市"]
FREEWARE = [
    "7-Zip",
    "Notepad++",
    "VLC media player",
    "Adobe Acrobat Reader DC",
    "WinRAR",
    "TortoiseSVN",
    "Git",
    "Node.js",
    "Foxit PDF Reader",
    "Tencent QQ",
    "WeChat",
    "DingTalk",
    "Sogou Pinyin",
    "Everything",
    "PuTTY",
    "FileZilla Client",
    "Xshell",
    "Navicat Premium",
    "Snipaste",
    "Bandizip",
    "Zoom",
    "TeamViewer",
    "AnyDesk",
    "KeePass Password Safe",
    "Wireshark",
]
LIBRARIES = [
    "libc6",
    "zlib1g",
    "libssl3",
    "libxml2",
    "python3-yaml",
    "libgcc-s1",
    "bash",
    "coreutils",
    "openssh-server",
    "systemd",
    "glibc",
    "libstdc++",
    "perl-base",
]


def _typo(rng: random.Random, text: str) -> str:
    position = rng.randrange(1, len(text) - 1)
    if rng.random() < 0.5:
        return text[:position] + text[position + 1 :]
    return text[: position - 1] + text[position] + text[position - 1] + text[position + 1 :]


def build_pool(catalog: Catalog) -> list[dict[str, str | None]]:
    """A few thousand distinct installed-software rows, known and unknown, deterministic."""
    rng = random.Random(SEED)
    seen: set[tuple[Any, ...]] = set()
    pool: list[dict[str, str | None]] = []

    def add(
        name: str,
        package_type: str | None = None,
        vendor: str | None = None,
        purl: str | None = None,
        kind: str = "software",
    ) -> None:
        row = {
            "kind": kind,
            "name": name,
            "vendor": vendor,
            "package_type": package_type,
            "purl": purl,
        }
        key = tuple(row.values())
        if name and key not in seen:
            seen.add(key)
            pool.append(row)

    software = [
        p
        for p in catalog.products.values()
        if catalog.layers[p.layer].group != "hardware" and p.layer != "os"
    ]
    for product in sorted(software, key=lambda p: p.id):
        vendor = catalog.vendors[product.vendor].name.en
        names = [product.name.en, *([product.name.zh] if product.name.zh else []), *product.aliases]
        for name in names[:NAMES_PER_PRODUCT]:
            add(name)
            add(name, "windows", vendor)
            for _ in range(2):
                add(f"{name} {rng.choice(VERSIONS)} {rng.choice(EDITIONS)}", "windows", vendor)
            add(f"{name} {rng.choice(VERSIONS)}")
            add(name.upper())
            if len(name) >= 10:
                add(_typo(rng, name))
        ids = product.identifiers
        for deb in ids.deb:
            add(deb, "deb")
            add(f"{deb}:amd64", "deb")
        for rpm in ids.rpm:
            add(rpm, "rpm")
        for purl in ids.purl:
            add(
                purl.rsplit("/", 1)[-1],
                "maven",
                purl=f"{purl}@{rng.choice(VERSIONS)}",
                kind="component",
            )
    known = len(pool)
    while len(pool) < max(POOL_SIZE, known + 1_000):
        roll = rng.random()
        if roll < 0.4:
            add(
                f"{rng.choice(IN_HOUSE)}{rng.choice(IN_HOUSE_KIND)} V{rng.randrange(1, 9)}."
                f"{rng.randrange(10)}"
            )
        elif roll < 0.75:
            add(
                f"{rng.choice(FREEWARE)} {rng.randrange(1, 30)}.{rng.randrange(10)}"
                f"{rng.choice(['', ' (x64)', ' (64-bit)', ' 中文版'])}",
                "windows",
            )
        else:
            add(
                f"{rng.choice(LIBRARIES)}{rng.choice(['', '-dev', '-common', '-doc'])}",
                rng.choice(["deb", "rpm"]),
            )
    rng.shuffle(pool)
    return pool


def is_exact(reason: str, product_id: str | None) -> bool:
    """Whether a result came from an exact path (not fuzzy, not unknown)."""
    return product_id is not None and not reason.startswith("fuzzy")


def stream(pool: list[dict[str, str | None]], rows: int, seed: int) -> Iterator[pa.RecordBatch]:
    """``rows`` rows drawn from ``pool`` with Zipf-like frequencies, one Arrow batch at a time."""
    table = pa.RecordBatch.from_pylist(
        pool, schema=pa.schema([(c, pa.string()) for c in STREAM_COLUMNS])
    )
    weights = 1.0 / np.arange(1, len(pool) + 1) ** 1.05
    weights /= weights.sum()
    versions = pa.array([f"{a}.{b}.{c}" for a in range(1, 20) for b in range(10) for c in range(5)])
    rng = np.random.default_rng(seed)
    left = rows
    while left:
        size = min(CHUNK, left)
        left -= size
        batch = table.take(rng.choice(len(pool), size=size, p=weights))
        version = versions.take(rng.integers(0, len(versions), size=size))
        yield pa.RecordBatch.from_arrays(
            [*batch.columns, version], names=[*STREAM_COLUMNS, "version"]
        )


# ----------------------------------------------------------------------------- measuring


def peak_rss_mb() -> float:
    """This process's peak resident set size (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_worker(workload: str, api: str, rows: int, which: str) -> dict[str, Any]:
    """One measurement, in this (fresh) process: kernel time only, cold cache."""
    catalog, _label = choose_catalog(which)
    pool = build_pool(catalog)
    if workload == "exact":
        scratch = Identifier.from_catalog(catalog)
        pool = [
            r
            for r, m in zip(pool, scratch.identify_many(pool), strict=True)
            if is_exact(m.reason, m.product_id)
        ]
    identifier = Identifier.from_catalog(catalog)
    elapsed = 0.0
    identified = 0
    for batch in stream(pool, rows, SEED + rows):
        if api == "records":
            records = batch.to_pylist()  # what a reader hands over: fresh dicts and strings
            started = time.perf_counter()
            matches = identifier.identify_many(records)
            elapsed += time.perf_counter() - started
            identified += sum(1 for m in matches if m.product_id is not None)
        else:
            started = time.perf_counter()
            out = identify_batch(identifier, batch)
            elapsed += time.perf_counter() - started
            identified += rows_with_product(out)
    return {
        "rows": rows,
        "seconds": elapsed,
        "distinct": identifier.cached,
        "identified": identified / rows,
        "peak_rss_mb": peak_rss_mb(),
    }


def rows_with_product(batch: pa.RecordBatch) -> int:
    """How many rows of an identified batch name a product."""
    column = batch.column("product_id")
    return len(column) - int(column.null_count)


def naive_baseline(catalog: Catalog, sample: int) -> TableRow:
    """One rapidfuzz extractOne per row against every catalog name: the approach to beat."""
    names = sorted(
        {
            n
            for p in catalog.products.values()
            for n in [p.name.en, *([p.name.zh] if p.name.zh else []), *p.aliases]
        }
    )
    rows = [r for batch in stream(build_pool(catalog), sample, SEED) for r in batch.to_pylist()]
    started = time.perf_counter()
    for row in rows:
        process.extractOne(row["name"], names)
    elapsed = time.perf_counter() - started
    return TableRow(
        "naive extractOne per row",
        "records",
        sample,
        None,
        None,
        sample / elapsed,
        None,
        f"{len(names)} catalog names",
    )


IMPORT_SIZE = 1_000_000


def write_register(path: Path, rows: int, which: str) -> None:
    """An N-row installed-software register (CSV), streamed to disk from the pool."""
    catalog, _label = choose_catalog(which)
    pool = build_pool(catalog)
    hosts = max(rows // 30, 1)  # about 30 installations per machine
    with path.open("w", encoding="utf-8", newline="") as handle:
        # csv.writer quotes what needs it: a vendor such as "Oracle, Inc." is one field.
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["主机名", "软件名称", "厂商", "版本"])
        for index, batch in enumerate(stream(pool, rows, SEED)):
            names = batch.column("name").to_pylist()
            vendors = batch.column("vendor").to_pylist()
            writer.writerows(
                (f"pc-{(index * CHUNK + offset) % hosts:07d}", name, vendor or "", "1.0")
                for offset, (name, vendor) in enumerate(zip(names, vendors, strict=True))
            )


def run_import_worker(rows: int, which: str) -> dict[str, Any]:
    """Import an N-row register into a fresh SQLite workspace; time the whole import."""
    import tempfile

    from xinchuang.pipeline.ingest import import_files
    from xinchuang.pipeline.workspace import init_workspace

    with tempfile.TemporaryDirectory() as tmp:
        register = Path(tmp) / "register.csv"
        write_register(register, rows, which)
        overlays: list[str] = [] if which == "shipped" else [str(FIXTURE_CATALOG)]
        with init_workspace(Path(tmp) / "ws") as workspace:
            workspace.extra_catalogs = overlays
            started = time.perf_counter()
            result = import_files(workspace, [register], unit="bench", forced_format="csv-register")
            elapsed = time.perf_counter() - started
    source = result.sources[0]
    return {
        "rows": rows,
        "seconds": elapsed,
        "records": source.records,
        "identified": source.identified / max(source.records, 1),
        "peak_rss_mb": peak_rss_mb(),
    }


def end_to_end_import_rows(sizes: Sequence[int], catalog_label: str) -> list[TableRow]:
    """Import 1M register rows end to end (read, decode, reconcile, identify, write SQLite)."""
    which = "shipped" if catalog_label == "shipped" else "fixture"
    out: list[TableRow] = []
    for rows in sorted({min(size, IMPORT_SIZE) for size in sizes}):
        print(f"  import end to end / {rows:,} …", file=sys.stderr)
        result = subprocess.run(
            [sys.executable, __file__, "--import-worker", str(rows), "--catalog", which],
            check=True,
            capture_output=True,
            text=True,
        )
        data = json.loads(result.stdout.strip().splitlines()[-1])
        out.append(
            TableRow(
                "import end to end (CSV → SQLite)",
                "pipeline",
                rows,
                None,
                data["identified"],
                rows / data["seconds"],
                data["peak_rss_mb"],
                note=f"{data['records']:,} records, one transaction",
            )
        )
    return out


def measure(workload: str, api: str, rows: int, which: str) -> TableRow:
    """Run one measurement in a child process and read its JSON line."""
    result = subprocess.run(
        [sys.executable, __file__, "--worker", workload, api, str(rows), "--catalog", which],
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return TableRow(
        f"identify, {workload} paths",
        api,
        rows,
        data["distinct"],
        data["identified"],
        rows / data["seconds"],
        data["peak_rss_mb"],
    )


def render(rows: list[TableRow]) -> str:
    """A plain-text table."""
    header = [
        "measurement",
        "api",
        "rows",
        "distinct",
        "identified",
        "rows/s",
        "peak RSS MB",
        "note",
    ]
    lines = [
        [
            r.measurement,
            r.api,
            f"{r.rows:,}",
            "" if r.distinct is None else f"{r.distinct:,}",
            "" if r.identified is None else f"{r.identified:.1%}",
            f"{r.rows_per_s:,.0f}",
            "" if r.peak_rss_mb is None else f"{r.peak_rss_mb:,.0f}",
            r.note,
        ]
        for r in rows
    ]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    out = [
        " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
        "-+-".join("-" * w for w in widths),
    ]
    out += [" | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="1000000,10000000", help="row counts, comma-separated")
    parser.add_argument("--naive-sample", type=int, default=NAIVE_SAMPLE)
    parser.add_argument("--catalog", choices=["auto", "shipped", "fixture"], default="auto")
    parser.add_argument(
        "--worker", nargs=3, metavar=("WORKLOAD", "API", "ROWS"), help=argparse.SUPPRESS
    )
    parser.add_argument("--import-worker", type=int, metavar="ROWS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.import_worker:
        print(json.dumps(run_import_worker(args.import_worker, args.catalog)))
        return 0
    if args.worker:
        workload, api, rows = args.worker
        print(json.dumps(run_worker(workload, api, int(rows), args.catalog)))
        return 0

    load_before = os.getloadavg()[0]
    catalog, label = choose_catalog(args.catalog)
    which = "shipped" if label == "shipped" else "fixture"
    sizes = [int(size) for size in args.sizes.split(",")]
    pool = build_pool(catalog)
    print(
        f"catalog: {label}, {len(catalog.products)} products; pool of {len(pool):,} distinct "
        f"rows; one process = one core",
        file=sys.stderr,
    )
    table: list[TableRow] = []
    for workload in ("exact", "overall"):
        for api in ("records", "arrow"):
            for size in sizes:
                print(f"  {workload} / {api} / {size:,} …", file=sys.stderr)
                table.append(measure(workload, api, size, which))
    naive = naive_baseline(catalog, args.naive_sample)
    overall = next(
        r for r in table if r.measurement.endswith("overall paths") and r.api == "records"
    )
    naive.note += (
        f"; kernel overall ({overall.rows:,}, records) is "
        f"{overall.rows_per_s / naive.rows_per_s:,.0f}× faster"
    )
    table.append(naive)
    table += end_to_end_import_rows(sizes, label)
    print(
        f"Identification benchmark — catalog: {label} ({len(catalog.products)} products), "
        f"{len(pool):,} distinct rows in the pool, one core, target ≥500,000 rows/s on the "
        f"exact paths; load average {load_before:.1f} → {os.getloadavg()[0]:.1f} "
        f"({os.cpu_count()} cores: other work on this machine slows the figures)"
    )
    print(render(table))
    print(json.dumps([asdict(r) for r in table]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
