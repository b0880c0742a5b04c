"""The CPU verdicts on real multi-architecture trees, per target; prints tables.

    .venv/bin/python bench/scan_corpus.py [--cache DIR] [--speed] [--draw-sample N]

1. Fetches the trees of ``bench/scan_corpus/manifest.yaml`` from PyPI with pip (sdists and
   wheels, pinned by version and checked by sha256) into a cache folder, never the repository.
2. Verdict accuracy: for each tree and CPU target (arm64, loongarch64) the scanner's verdict
   (blocker / performance / ported-or-portable) beside the labelled one.
3. Blocker precision on ``bench/scan_corpus/blocker_sample.yaml``: blockers drawn at random
   (fixed seed) from a run of the scanner and labelled by hand, each with its reason. A
   sampled blocker that the scanner no longer reports counts neither way; the table says how
   many of today's blockers the sample covers.
4. With ``--speed``: lines/s with 1 and 2 workers over the whole corpus and the peak resident
   memory of the process tree (see bench/scan_bench.py for the method), and the load average.

``--draw-sample N`` writes a fresh unlabelled sample of N blockers to stdout (YAML), to label.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from xinchuang.scan import ScanConfig, scan_paths  # noqa: E402
from xinchuang.scan.summary import ScanResult, cpu_verdicts  # noqa: E402

MANIFEST = ROOT / "bench" / "scan_corpus" / "manifest.yaml"
SAMPLE = ROOT / "bench" / "scan_corpus" / "blocker_sample.yaml"
TARGETS = ("arm64", "loongarch64")
SHORT = {"blocker": "blocker", "performance": "performance", "ported-or-portable": "ported"}
SEED = 20261208


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download(tree: dict[str, Any], folder: Path) -> Path:
    """The tree's archive in ``folder`` (pip downloads it when absent), checked by sha256."""
    folder.mkdir(parents=True, exist_ok=True)
    name = tree["spec"].split("==")[0]
    for existing in folder.iterdir():
        if _sha256(existing) == tree["sha256"]:
            return existing
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder)]
    if tree["kind"] == "wheel":
        command += ["--only-binary", ":all:", "--platform", tree["platform"]]
        command += ["--python-version", "3.11"]
    else:
        command += ["--no-binary", name]
    subprocess.run([*command, tree["spec"]], check=True, stdout=subprocess.DEVNULL)
    for existing in folder.iterdir():
        if _sha256(existing) == tree["sha256"]:
            return existing
    raise SystemExit(f"{tree['name']}: no download matches sha256 {tree['sha256']}")


def fetch(tree: dict[str, Any], cache: Path) -> Path:
    """The unpacked tree, fetched and unpacked once into ``cache``."""
    unpacked = cache / "trees" / tree["name"]
    if (unpacked / ".complete").exists():
        return unpacked
    archive = _download(tree, cache / "downloads" / tree["name"])
    unpacked.mkdir(parents=True, exist_ok=True)
    if archive.name.endswith((".tar.gz", ".tgz")):
        with tarfile.open(archive) as tar:
            tar.extractall(unpacked, filter="data")
    else:
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(unpacked)
    (unpacked / ".complete").write_text(tree["sha256"])
    return unpacked


def scan_tree(path: Path, jobs: int = 1) -> ScanResult:
    """The scan of one tree for the CPU targets."""
    return scan_paths([path], ScanConfig(targets=TARGETS), jobs=jobs)


def accuracy(trees: list[dict[str, Any]], results: dict[str, ScanResult]) -> list[dict[str, Any]]:
    rows = []
    for tree in trees:
        result = results[tree["name"]]
        verdicts = next(iter(cpu_verdicts(result).values()))
        for target in TARGETS:
            got = SHORT[verdicts[target]["verdict"]]
            rows.append(
                {
                    "tree": tree["name"],
                    "class": tree["class"],
                    "target": target,
                    "expected": tree["expected"][target],
                    "got": got,
                    "ok": got == tree["expected"][target],
                    "counts": verdicts[target]["counts"],
                    "evidence": verdicts[target]["evidence"][:1],
                }
            )
    return rows


def _blockers(results: dict[str, ScanResult]) -> list[dict[str, Any]]:
    out = []
    for name, result in results.items():
        for finding in result.findings:
            for target, severity in sorted(finding.per_target.items()):
                if severity == "blocker" and target in TARGETS:
                    out.append(
                        {
                            "tree": name,
                            "target": target,
                            "rule": finding.rule,
                            "path": finding.path,
                            "line": finding.line,
                            "snippet": (finding.snippet or "")[:160],
                        }
                    )
    return out


def _key(item: dict[str, Any]) -> tuple[str, str, str, str, int]:
    return (item["tree"], item["target"], item["rule"], item["path"], item["line"] or 0)


def precision(results: dict[str, ScanResult]) -> dict[str, Any]:
    """Precision of today's blockers on the hand-labelled sample."""
    current = {_key(b): b for b in _blockers(results)}
    if not SAMPLE.exists():
        return {"blockers": len(current), "sample": 0}
    labelled = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["sample"]
    seen = [item for item in labelled if _key(item) in current]
    true = sum(1 for item in seen if item["label"] == "true")
    return {
        "blockers": len(current),
        "sample": len(labelled),
        "still_reported": len(seen),
        "true": true,
        "precision": true / len(seen) if seen else None,
        "false": [
            f"{i['tree']} {i['path']}:{i['line']} {i['rule']}" for i in seen if i["label"] != "true"
        ],
    }


def draw_sample(results: dict[str, ScanResult], size: int) -> str:
    blockers = sorted(_blockers(results), key=_key)
    rng = random.Random(SEED)
    chosen = blockers if len(blockers) <= size else rng.sample(blockers, size)
    items = [{**b, "label": "", "reason": ""} for b in sorted(chosen, key=_key)]
    return yaml.safe_dump(
        {"seed": SEED, "drawn_from": len(blockers), "sample": items},
        allow_unicode=True,
        sort_keys=False,
        width=110,
    )


def _timed(paths: list[Path], jobs: int) -> dict[str, Any]:
    """One scan of every tree in a fresh process: its time, lines and peak memory."""
    from scan_bench import run_with_peak_rss  # the same sampler as the throughput bench

    command = [
        sys.executable,
        "-c",
        "import sys; from pathlib import Path; from xinchuang.scan import scan_paths, "
        "ScanConfig; r = scan_paths([Path(p) for p in sys.argv[2:]], "
        "ScanConfig(targets=('arm64', 'loongarch64')), jobs=int(sys.argv[1]));"
        " print(r.stats.files, r.stats.lines, r.seconds)",
        str(jobs),
        *map(str, paths),
    ]
    out, peak = run_with_peak_rss(command)
    files, lines, seconds = out.split()
    return {
        "jobs": jobs,
        "files": int(files),
        "lines": int(lines),
        "seconds": round(float(seconds), 2),
        "lines_s": round(int(lines) / float(seconds)),
        "peak_mb": round(peak / 1e6),
        "load": round(os.getloadavg()[0], 2),
    }


def speed(paths: list[Path]) -> list[dict[str, Any]]:
    """Lines/s and peak memory with 1 and 2 workers."""
    return [_timed(paths, jobs) for jobs in (1, 2)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(
            os.environ.get("XINCHUANG_BENCH_CACHE", Path.home() / ".cache" / "xinchuang-bench")
        ),
    )
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--draw-sample", type=int, default=0)
    parser.add_argument("--only", action="append", help="scan only these trees")
    args = parser.parse_args()
    trees = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["trees"]
    if args.only:
        trees = [t for t in trees if t["name"] in args.only]
    paths = {t["name"]: fetch(t, args.cache) for t in trees}
    results = {name: scan_tree(path) for name, path in paths.items()}
    if args.draw_sample:
        sys.stdout.write(draw_sample(results, args.draw_sample))
        return
    rows = accuracy(trees, results)
    print(
        f"{'tree':22} {'class':28} {'target':12} {'expected':12} {'got':12} ok  "
        "blk/perf/port  evidence"
    )
    for row in rows:
        counts = row["counts"]
        tally = f"{counts['blocker']}/{counts['performance']}/{counts['ported']}"
        evidence = (row["evidence"][0] if row["evidence"] else "")[:90]
        print(
            f"{row['tree']:22} {row['class']:28} {row['target']:12} {row['expected']:12} "
            f"{row['got']:12} {'yes' if row['ok'] else 'NO ':3} {tally:14} {evidence}"
        )
    right = sum(r["ok"] for r in rows)
    print(
        f"\nverdict accuracy: {right}/{len(rows)} = {right / len(rows):.1%} "
        f"({len(trees)} trees x {len(TARGETS)} targets)"
    )
    for target in TARGETS:
        part = [r for r in rows if r["target"] == target]
        print(f"  {target}: {sum(r['ok'] for r in part)}/{len(part)}")
    found = precision(results)
    print(f"\nblockers reported: {found['blockers']}")
    if found.get("sample"):
        value = found["precision"]
        shown = f"{value:.1%}" if value is not None else "n/a"
        print(
            f"blocker precision on the labelled sample: {found['true']}/"
            f"{found['still_reported']} = {shown} (sample of {found['sample']}, "
            f"{found['still_reported']} still reported)"
        )
        for item in found["false"]:
            print(f"  false: {item}")
    if args.speed:
        print(
            f"\n{'jobs':>4} {'files':>7} {'lines':>9} {'s':>7} {'lines/s':>9} {'peak MB':>8} load"
        )
        for row in speed(list(paths.values())):
            print(
                f"{row['jobs']:>4} {row['files']:>7} {row['lines']:>9} {row['seconds']:>7} "
                f"{row['lines_s']:>9} {row['peak_mb']:>8} {row['load']}"
            )


if __name__ == "__main__":
    main()
