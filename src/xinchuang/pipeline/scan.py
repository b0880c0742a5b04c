"""Run the scanner and, given a workspace, store its findings against a business system.

Storing is one transaction: the system's previous findings for the same scan
root are replaced whole, so scanning a tree again never leaves stale rows,
and a failure leaves the previous findings as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, delete, func, insert, select

from xinchuang.pipeline.workspace import open_workspace
from xinchuang.scan import ScanConfig, ScanResult, scan_paths
from xinchuang.scan.finding import Finding
from xinchuang.store import database
from xinchuang.store.tables import findings as findings_table
from xinchuang.store.tables import scans as scans_table


@dataclass(frozen=True)
class Stored:
    """What a store operation did."""

    system: str
    roots: int
    inserted: int
    replaced: int


def scan_root_key(path: Path) -> str:
    """The key a scan root is stored under: its absolute, resolved path."""
    return str(path.resolve())


def store_findings(
    workspace_dir: Path,
    system: str,
    roots: Sequence[tuple[str, Path]],
    found: Sequence[Finding],
    *,
    scanned_at: dt.datetime | None = None,
    files: int = 0,
    lines: int = 0,
    targets: Sequence[str] = (),
) -> Stored:
    """Replace ``system``'s findings for each root with ``found``, in one transaction.

    The scan itself is recorded too (one row per system and root), so that a tree
    scanned clean is known to be clean rather than never scanned.
    """
    workspace = open_workspace(workspace_dir)
    when = scanned_at or dt.datetime.now(dt.UTC)
    keys = {display: scan_root_key(path) for display, path in roots}
    rows = [
        {
            "system": system,
            "scan_root": keys.get(f.root, f.root),
            "scanned_at": when,
            "rule": f.rule,
            "family": f.family,
            "path": f.path,
            "line": f.line,
            "column": f.column,
            "severity": f.severity,
            "per_target": f.per_target,
            "effort_minutes": f.effort_minutes,
            "message": f.message,
            "snippet": f.snippet,
            "detail": {
                **f.detail,
                "remark": f.remark,
                "confidence": f.confidence,
                "title": f.title,
            },
        }
        for f in found
    ]
    try:
        with database.transaction(workspace.engine) as connection:
            replaced = 0
            for key in keys.values():
                condition = and_(
                    findings_table.c.system == system, findings_table.c.scan_root == key
                )
                replaced += connection.execute(
                    select(func.count()).select_from(findings_table).where(condition)
                ).scalar_one()
                connection.execute(delete(findings_table).where(condition))
            for start in range(0, len(rows), 1000):
                connection.execute(insert(findings_table), rows[start : start + 1000])
            per_root = dict.fromkeys(keys.values(), 0)
            for row in rows:
                root = str(row["scan_root"])
                if root in per_root:
                    per_root[root] += 1
            for key, count in per_root.items():
                connection.execute(
                    delete(scans_table).where(
                        and_(scans_table.c.system == system, scans_table.c.scan_root == key)
                    )
                )
                connection.execute(
                    insert(scans_table).values(
                        system=system,
                        scan_root=key,
                        scanned_at=when,
                        # the counts are the whole run's: a run over several roots is one scan
                        files=files,
                        lines=lines,
                        findings=count,
                        targets=list(targets),
                    )
                )
    finally:
        workspace.engine.dispose()
    return Stored(system=system, roots=len(keys), inserted=len(rows), replaced=replaced)


def scan_and_store(
    paths: Sequence[Path],
    config: ScanConfig,
    *,
    jobs: int,
    workspace_dir: Path | None = None,
    system: str | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> tuple[ScanResult, Stored | None]:
    """Scan ``paths``; when a workspace is given, store the findings for ``system``."""
    if workspace_dir is not None:
        open_workspace(workspace_dir).engine.dispose()  # fail before a long scan, not after
    result = scan_paths(paths, config, jobs=jobs, on_batch=on_batch)
    stored = None
    if workspace_dir is not None and system is not None:
        from xinchuang.scan import display_root

        roots = [(display_root(p), p) for p in paths]
        stored = store_findings(
            workspace_dir,
            system,
            roots,
            result.findings,
            files=result.stats.files,
            lines=result.stats.lines,
            targets=result.targets,
        )
    return result, stored
