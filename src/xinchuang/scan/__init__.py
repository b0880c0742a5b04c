"""The porting scanner: what must change in code, SQL, binaries and documents.

Use :func:`scan_paths`; rules are data under ``scan/rules/<family>/<CODE>.yaml``
(see :mod:`xinchuang.scan.rule`). The scanner is pure: it reads files and
returns findings; storing them in a workspace is :mod:`xinchuang.pipeline.scan`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from operator import attrgetter
from pathlib import Path

from xinchuang.errors import UsageError
from xinchuang.i18n import _, current_language
from xinchuang.scan.config import CONFIG_FILE, ScanConfig, check_targets, merge, read_config_file
from xinchuang.scan.finding import Finding
from xinchuang.scan.registry import Registry, default_registry, load_rules
from xinchuang.scan.summary import ScanResult, database_report, office_report
from xinchuang.scan.targets import TARGETS, Severity


def display_root(path: Path) -> str:
    """How a scan root is shown: as the user typed it, in posix form."""
    text = path.as_posix()
    return text[:-1] if text.endswith("/") and len(text) > 1 else text


def build_config(
    paths: Sequence[Path],
    targets: Sequence[str] = (),
    *,
    config_file: Path | None = None,
    use_config_files: bool = True,
) -> ScanConfig:
    """The settings of a scan: targets and the roots' ``.xinchuang-scan.toml`` files."""
    config = ScanConfig(language=current_language())
    if targets:
        config = replace(config, targets=check_targets(list(targets)))
    files: list[Path] = []
    if config_file is not None:
        if not config_file.is_file():
            raise UsageError(_("{path}: no such settings file").format(path=config_file))
        files.append(config_file)
    elif use_config_files:
        for path in paths:
            candidate = (path if path.is_dir() else path.parent) / CONFIG_FILE
            if candidate.is_file():
                files.append(candidate)
    for file in files:
        config = merge(config, read_config_file(file), targets_given=bool(targets))
    return config


def scan_paths(
    paths: Sequence[Path],
    config: ScanConfig | None = None,
    *,
    jobs: int = 1,
    on_batch: Callable[[int], None] | None = None,
    rule_dirs: Sequence[Path] = (),
) -> ScanResult:
    """Scan files and trees; ``on_batch`` is told how many files each batch held."""
    from xinchuang.scan.engine import run

    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(
            _("{path}: no such file or directory").format(path=missing[0]),
            tip=_("give the folder that holds the code to scan"),
        )
    config = config or build_config(paths)
    started = time.perf_counter()
    roots = [(p, display_root(p)) for p in paths]
    result = ScanResult(targets=config.targets, roots=tuple(d for _p, d in roots))
    for batch in run(roots, config, jobs=jobs, extra_rule_dirs=tuple(str(d) for d in rule_dirs)):
        result.findings.extend(batch.findings)
        result.objects.extend(batch.objects)
        result.documents.extend(batch.documents)
        result.stats.add(batch.stats)
        if on_batch is not None:
            on_batch(batch.stats.files)
    result.findings.sort(key=Finding.sort_key)
    result.objects.sort(key=attrgetter("root", "path", "line"))
    result.documents.sort(key=attrgetter("root", "path"))
    result.seconds = time.perf_counter() - started
    return result


__all__ = [
    "TARGETS",
    "Finding",
    "Registry",
    "ScanConfig",
    "ScanResult",
    "Severity",
    "build_config",
    "database_report",
    "default_registry",
    "load_rules",
    "office_report",
    "scan_paths",
]
