"""Totals over a scan: by severity and family, the database report, the office report.

The database report follows ora2pg's migration assessment so that a DBA who
knows it can read ours (ora2pg documentation, "Migration assessment method"):
per object type, how many objects convert automatically, need a rewrite, or
use something the target does not support; and a level per target such as
``B-5``. The letter is the cost: A when nothing needs rewriting, B up to five
person-days, C beyond. The digit is the technical difficulty: 1 no stored
code and no triggers, 2 triggers, 3 stored code, all without rewriting; 4 a
rewrite outside stored code, 5 a rewrite of stored code or triggers.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from xinchuang.scan.finding import Document, FileStats, Finding, SqlObject
from xinchuang.scan.registry import Registry
from xinchuang.scan.rule import ORA2PG_UNIT_MINUTES
from xinchuang.scan.targets import TARGETS, Family, Severity

# ora2pg's %OBJECT_SCORE (lib/Ora2Pg/PLSQL.pm, version 23.2), in cost units of 5 minutes:
# the time to read and adapt an object of each type even when nothing in it is uncovered.
OBJECT_SCORE: dict[str, float] = {
    "FUNCTION": 1,
    "INDEX": 0.1,
    "MATERIALIZED VIEW": 3,
    "PACKAGE BODY": 3,
    "PROCEDURE": 1,
    "SEQUENCE": 0.1,
    "TABLE": 0.1,
    "TRIGGER": 1,
    "TYPE": 1,
    "TYPE BODY": 10,
    "VIEW": 1,
    "DATABASE LINK": 3,
    "GLOBAL TEMPORARY TABLE": 10,
    "SYNONYM": 0.1,
    "QUERY": 0.2,
}
STORED_CODE = frozenset({"PROCEDURE", "FUNCTION", "PACKAGE", "PACKAGE BODY", "TYPE BODY"})
PERSON_DAY_MINUTES = 8 * 60
COST_B_LIMIT_DAYS = 5.0  # ora2pg's human_days_limit default


@dataclass
class ScanResult:
    """Everything one scan produced."""

    findings: list[Finding] = field(default_factory=list)
    objects: list[SqlObject] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    stats: FileStats = field(default_factory=FileStats)
    targets: tuple[str, ...] = ()
    seconds: float = 0.0
    roots: tuple[str, ...] = ()  # the scan roots as shown, so that a clean root has its verdicts

    @property
    def blockers(self) -> int:
        """How many findings block at least one target."""
        return sum(1 for f in self.findings if f.severity == Severity.BLOCKER.value)

    def by_severity(self) -> dict[str, int]:
        """Findings per severity, worst first."""
        counts = Counter(f.severity for f in self.findings)
        return {s.value: counts.get(s.value, 0) for s in Severity}

    def by_family(self) -> dict[str, dict[str, Any]]:
        """Findings and effort per family."""
        out: dict[str, dict[str, Any]] = {}
        for finding in self.findings:
            entry = out.setdefault(
                finding.family, {"findings": 0, "blockers": 0, "effort_minutes": 0.0}
            )
            entry["findings"] += 1
            entry["blockers"] += finding.severity == Severity.BLOCKER.value
            entry["effort_minutes"] += finding.effort_minutes
        return dict(sorted(out.items()))

    def effort_by_target(self) -> dict[str, float]:
        """Minutes of work per target: the findings that concern it."""
        out: dict[str, float] = dict.fromkeys(self.targets, 0.0)
        for finding in self.findings:
            for target in finding.per_target:
                if target in out:
                    out[target] += finding.effort_minutes
        return out


def _status(rules: list[str], target: str, registry: Registry) -> str:
    worst = "automatic"
    for code in rules:
        rule = registry.rules.get(code)
        verdict = rule.verdicts.get(target) if rule else None
        if verdict is Severity.BLOCKER:
            return "unsupported"
        if verdict is not None and verdict is not Severity.NOTE:
            worst = "rewrite"
    return worst


def database_report(result: ScanResult, registry: Registry) -> dict[str, Any]:
    """Per database target: objects per type by status, effort and the migration level."""
    targets = [t for t in result.targets if TARGETS[t].family is Family.DATABASE]
    if not targets or not result.objects:
        return {}
    report: dict[str, Any] = {}
    for target in targets:
        types: dict[str, dict[str, int]] = {}
        rewrite_stored = rewrite_other = False
        has_stored = any(o.object_type in STORED_CODE for o in result.objects)
        has_triggers = any(o.object_type == "TRIGGER" for o in result.objects)
        base_units = 0.0
        for obj in result.objects:
            status = _status(obj.rules, target, registry)
            row = types.setdefault(
                obj.object_type, {"total": 0, "automatic": 0, "rewrite": 0, "unsupported": 0}
            )
            row["total"] += 1
            row[status] += 1
            base_units += OBJECT_SCORE.get(obj.object_type, 0.2)
            if status != "automatic":
                if obj.object_type in STORED_CODE or obj.object_type == "TRIGGER":
                    rewrite_stored = True
                else:
                    rewrite_other = True
        finding_minutes = sum(
            f.effort_minutes
            for f in result.findings
            if f.family == Family.DATABASE.value and target in f.per_target
        )
        minutes = base_units * ORA2PG_UNIT_MINUTES + finding_minutes
        days = minutes / PERSON_DAY_MINUTES
        needs_rewrite = rewrite_stored or rewrite_other
        if not needs_rewrite:
            digit = 3 if has_stored else 2 if has_triggers else 1
            letter = "A"
        else:
            digit = 5 if rewrite_stored else 4
            letter = "B" if days <= COST_B_LIMIT_DAYS else "C"
        report[target] = {
            "objects": dict(sorted(types.items())),
            "effort_minutes": round(minutes, 1),
            "person_days": round(days, 2),
            "level": f"{letter}-{digit}",
        }
    return report


def office_report(result: ScanResult) -> list[dict[str, Any]]:
    """Office documents counted per folder: documents, with macros, findings per rule."""
    folders: dict[tuple[str, str], dict[str, Any]] = {}
    for doc in result.documents:
        key = (doc.root, posixpath.dirname(doc.path.split("!/")[0]) or ".")
        entry = folders.setdefault(
            key, {"documents": 0, "with_macros": 0, "rules": Counter(), "blockers": 0}
        )
        entry["documents"] += 1
        entry["with_macros"] += doc.macros
    for finding in result.findings:
        if finding.family != Family.OFFICE.value:
            continue
        key = (finding.root, posixpath.dirname(finding.path.split("!/")[0]) or ".")
        entry = folders.setdefault(
            key, {"documents": 0, "with_macros": 0, "rules": Counter(), "blockers": 0}
        )
        entry["rules"][finding.rule] += 1
        entry["blockers"] += finding.severity == Severity.BLOCKER.value
    out = []
    for (root, folder), entry in sorted(folders.items()):
        shown = folder if not root or root == "." else posixpath.join(root, folder)
        out.append(
            {
                "folder": shown,
                "documents": entry["documents"],
                "with_macros": entry["with_macros"],
                "blockers": entry["blockers"],
                "rules": dict(sorted(entry["rules"].items())),
            }
        )
    return out


class Verdict(StrEnum):
    """What a tree needs for one CPU target, judged on that target alone."""

    BLOCKER = "blocker"  # will not build or run on the target as it stands
    PERFORMANCE = "performance"  # builds and runs; an x86 SIMD path has only a scalar fallback
    PORTED = "ported-or-portable"  # the target has its own path, or nothing is CPU-specific


_EVIDENCE_SHOWN = 3


def _where(finding: Finding) -> str:
    path = finding.display_path
    return f"{path}:{finding.line}" if finding.line else path


def cpu_verdicts(result: ScanResult) -> dict[str, dict[str, dict[str, Any]]]:
    """Per scan root and CPU target: the verdict, and the findings it rests on.

    A blocker on one target says nothing of another: each target's verdict reads only the
    severities the findings give that target (``per_target``).
    """
    targets = [t for t in result.targets if TARGETS[t].family is Family.CPU]
    roots: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.family == Family.CPU.value:
            roots.setdefault(finding.root, []).append(finding)
    for root in result.roots:
        roots.setdefault(root, [])
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for root, findings in sorted(roots.items()):
        per_root: dict[str, dict[str, Any]] = {}
        for target in targets:
            by_severity: dict[str, list[Finding]] = {}
            for finding in findings:
                severity = finding.per_target.get(target)
                if severity is not None:
                    by_severity.setdefault(severity, []).append(finding)
            blockers = by_severity.get(Severity.BLOCKER.value, [])
            slower = by_severity.get(Severity.PERFORMANCE.value, [])
            ported = by_severity.get(Severity.NOTE.value, [])
            if blockers:
                verdict, shown = Verdict.BLOCKER, blockers
                evidence = [f"{f.rule} {_where(f)}: {f.message}" for f in blockers]
            elif slower:
                verdict, shown = Verdict.PERFORMANCE, slower
                evidence = [
                    f"{_where(f)}: {f.detail.get('targets', {}).get(target) or f.message}"
                    for f in slower
                ]
            else:
                verdict, shown = Verdict.PORTED, ported
                evidence = [
                    f"{_where(f)}: {f.detail.get('targets', {}).get(target) or f.message}"
                    for f in ported
                ]
                # the target's own SIMD first, then branches and builtins
                evidence.sort(key=lambda text: (" path in " not in text, " branch at " not in text))
            per_root[target] = {
                "verdict": verdict.value,
                "counts": {
                    "blocker": len(blockers),
                    "performance": len(slower),
                    "ported": len(ported),
                },
                "evidence": list(dict.fromkeys(evidence))[:_EVIDENCE_SHOWN],
                "more": max(0, len(shown) - _EVIDENCE_SHOWN),
            }
        out[root] = per_root
    return out
