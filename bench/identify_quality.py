"""Judge identification on the labelled corpus: precision, recall and origin, per kind and level.

    .venv/bin/python bench/identify_quality.py              # the table
    .venv/bin/python bench/identify_quality.py --wrong      # also list every wrong origin

The corpus is ``bench/corpus/identify/*.csv`` (see its README): real strings from public
sources, each with the URL it was read from and the expected product, family and origin. The
kernel sees what a reader would give it (name, version, vendor, os-release ID, CPUID vendor,
DMI vendor and product); a machine row is judged with its CPU, as a host's records are.

Columns, per kind and over all rows:

* ``product P`` — of the rows answered with a product, how many name the expected one (a
  product answer where the corpus expects none counts as wrong);
* ``product R`` — of the rows with an expected product, how many got it;
* ``prod|fam`` — of the rows with an expected product or family, how many got the product, or
  an answer in the expected family (a CPU's family is its maker: an answer naming the maker
  counts);
* ``origin ✓`` — of the rows with an expected origin, how many got that origin;
* ``origin ✗`` — rows given an origin other than the expected one (any confidence), and
  ``✗≥0.9`` those at confidence 0.9 or more;
* ``guessed`` — rows the corpus marks undecidable (no expected origin) that got an origin anyway.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xinchuang.catalog.identify import Identifier
from xinchuang.catalog.loader import load_catalog

CORPUS = Path(__file__).resolve().parent / "corpus" / "identify"
HINTS = ("kind", "name", "version", "vendor", "os_id", "cpu_vendor_id", "dmi_vendor", "dmi_product")


@dataclass
class Judged:
    row: dict[str, str]
    product: str | None
    family: str | None
    level: str
    origin: str | None  # domestic | foreign | None
    confidence: float
    reason: str
    vendor: str | None = None


def load_corpus() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(CORPUS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def _origin_of(catalog: Any, match: Any) -> str | None:
    origin = getattr(match, "origin", None)
    if origin is not None or hasattr(match, "level"):
        return origin  # the kernel says it itself
    if match.product_id is None:
        return None
    return "domestic" if catalog.products[match.product_id].domestic else "foreign"


def judge(identifier: Identifier, catalog: Any, rows: list[dict[str, str]]) -> list[Judged]:
    machine_origin = _machine_origin_function()
    out: list[Judged] = []
    for row in rows:
        hints = {name: row.get(name) or None for name in HINTS}
        match = identifier.identify(hints)
        origin = _origin_of(catalog, match)
        if row["kind"] == "machine" and machine_origin is not None:
            cpu_origin = None
            if row.get("cpu"):
                cpu_origin = _origin_of(catalog, identifier.identify(kind="cpu", name=row["cpu"]))
            origin = machine_origin(catalog, match, cpu_origin)
        product = match.product_id
        family = getattr(match, "family", None)
        if family is None and product is not None:
            family = catalog.products[product].family
        level = getattr(match, "level", "product" if product else "none")
        vendor = getattr(match, "vendor", None)
        if vendor is None and product is not None:
            vendor = catalog.products[product].vendor
        out.append(
            Judged(row, product, family, level, origin, match.confidence, match.reason, vendor)
        )
    return out


def _machine_origin_function() -> Any:
    try:
        from xinchuang.catalog.platform import machine_origin
    except ImportError:  # the kernel before platforms: the machine's own product decides
        return None
    return machine_origin


def table(judged: list[Judged]) -> list[dict[str, Any]]:
    groups: dict[str, list[Judged]] = defaultdict(list)
    for item in judged:
        groups[item.row["kind"]].append(item)
    groups["all"] = judged
    lines = []
    for kind in [*sorted(k for k in groups if k != "all"), "all"]:
        items = groups[kind]
        answered = [j for j in items if j.product]
        product_right = [j for j in answered if j.product == j.row["expected_product"]]
        expect_product = [j for j in items if j.row["expected_product"]]
        got_product = [j for j in expect_product if j.product == j.row["expected_product"]]
        expect_pf = [j for j in items if j.row["expected_product"] or j.row.get("expected_family")]
        got_pf = [
            j
            for j in expect_pf
            if (j.row["expected_product"] and j.product == j.row["expected_product"])
            or _family_right(j)
        ]
        expect_origin = [j for j in items if j.row["expected_origin"]]
        right_origin = [j for j in expect_origin if j.origin == j.row["expected_origin"]]
        wrong = [j for j in expect_origin if j.origin and j.origin != j.row["expected_origin"]]
        guessed = [j for j in items if not j.row["expected_origin"] and j.origin]
        lines.append(
            {
                "kind": kind,
                "rows": len(items),
                "product P": _pct(len(product_right), len(answered)),
                "product R": _pct(len(got_product), len(expect_product)),
                "prod|fam": _pct(len(got_pf), len(expect_pf)),
                "origin ✓": _pct(len(right_origin), len(expect_origin)),
                "origin ✗": len(wrong),
                "✗≥0.9": sum(1 for j in wrong if j.confidence >= 0.9),
                "guessed": len(guessed),
                "unknown": sum(1 for j in items if j.origin is None),
            }
        )
    return lines


# The corpus names a CPU's family by its maker; the catalog's vendor ids for those makers.
MAKER_FAMILIES = {"kunpeng": "huawei", "kirin": "huawei", "kylin": "kylin-software"}
MAKER_FAMILIES |= {"uos": "uniontech"}


def _family_right(j: Judged) -> bool:
    family = j.row.get("expected_family")
    if not family:
        return False
    if family in (j.family, j.vendor):
        return True
    return j.vendor is not None and MAKER_FAMILIES.get(family) == j.vendor


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}% ({part}/{whole})" if whole else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrong", action="store_true", help="list every wrong origin")
    parser.add_argument("--unknown", type=int, default=0, help="list N rows left unknown")
    args = parser.parse_args(argv)
    catalog = load_catalog()
    identifier = Identifier.from_catalog(catalog)
    rows = load_corpus()
    judged = judge(identifier, catalog, rows)
    lines = table(judged)
    columns = list(lines[0])
    widths = {c: max(len(c), *(len(str(line[c])) for line in lines)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for line in lines:
        print("  ".join(str(line[c]).ljust(widths[c]) for c in columns))
    levels = Counter((j.row["kind"], j.level) for j in judged)
    print("\nmatch levels: " + ", ".join(f"{k}/{lv} {n}" for (k, lv), n in sorted(levels.items())))
    sources = Counter(j.row["source"].split("/blob/")[0].split("/issues/")[0] for j in judged)
    print(f"sources: {len(sources)} distinct repositories/pages")
    if args.wrong:
        for j in judged:
            if j.row["expected_origin"] and j.origin and j.origin != j.row["expected_origin"]:
                print(
                    f"WRONG {j.row['id']} {j.row['kind']} {j.row['name']!r} "
                    f"expected {j.row['expected_origin']} got {j.origin} ({j.reason})"
                )
    shown = 0
    for j in judged:
        if shown >= args.unknown:
            break
        if j.row["expected_origin"] and j.origin is None:
            shown += 1
            print(
                f"UNKNOWN {j.row['id']} {j.row['kind']} {j.row['name']!r} "
                f"vendor={j.row.get('vendor') or j.row.get('dmi_vendor')!r} ({j.reason})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
