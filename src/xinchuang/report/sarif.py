"""SARIF 2.1.0 for the scanner's findings, so that code-scanning dashboards take them.

One run, one tool (``xinchuang``) whose driver lists every rule that fired,
one result per finding. Paths are relative to a ``SRCROOTn`` base per scan
root; a member inside an archive points at the archive and names the member
in the message and in ``properties.member``. Severity maps to SARIF levels:
blocker → error, warning and performance → warning, note → note; our own
severity, the verdict per target, the effort and the confidence travel in
``properties`` so nothing is lost.

Specification: OASIS, "Static Analysis Results Interchange Format (SARIF)
Version 2.1.0", https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from xinchuang.scan.finding import Finding
from xinchuang.scan.registry import Registry

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
VERSION = "2.1.0"
_LEVEL = {"blocker": "error", "warning": "warning", "performance": "warning", "note": "note"}
INFORMATION_URI = "https://pypi.org/project/xinchuang/"


def _uri(path: str) -> str:
    return quote(path, safe="/-._~")


def _rule_descriptor(code: str, registry: Registry, lang: str | None) -> dict[str, Any]:
    rule = registry.rules[code]
    levels = {v.value for v in rule.verdicts.values()}
    worst = next((s for s in ("blocker", "warning", "performance", "note") if s in levels), "note")
    text = f"{rule.why.local(lang)}\n\n{rule.fix.local(lang)}" + (
        f"\n\n{rule.remark.local(lang)}" if rule.remark else ""
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title.local(lang)},
        "fullDescription": {"text": rule.why.local(lang)},
        "help": {"text": text},
        "defaultConfiguration": {"level": _LEVEL[worst]},
        "properties": {
            "family": rule.family.value,
            "tags": [rule.family.value, *sorted(rule.verdicts)],
            "precision": {"high": "high", "medium": "medium", "low": "low"}[rule.confidence],
            "effort_minutes": rule.effort.total_minutes,
            "references": list(rule.references),
        },
    }


def to_sarif(
    findings: list[Finding],
    registry: Registry,
    roots: list[tuple[str, Path]],
    *,
    tool_version: str,
    lang: str | None = None,
) -> dict[str, Any]:
    """A SARIF log for ``findings``; ``roots`` pairs each root's display name with its path."""
    codes = sorted({f.rule for f in findings if f.rule in registry.rules})
    index = {code: i for i, code in enumerate(codes)}
    bases: dict[str, str] = {}
    base_ids: dict[str, dict[str, Any]] = {}
    for number, (display, path) in enumerate(roots):
        resolved = path.resolve()
        directory = resolved if resolved.is_dir() else resolved.parent
        base = f"SRCROOT{number}"
        bases[display] = base
        base_ids[base] = {
            "uri": directory.as_uri().rstrip("/") + "/",
            "description": {"text": display},
        }
    results = []
    for finding in findings:
        archive, _sep, member = finding.path.partition("!/")
        base_id = bases.get(finding.root)
        artifact: dict[str, Any] = {"uri": _uri(archive)}
        if base_id:
            artifact["uriBaseId"] = base_id
        location: dict[str, Any] = {"physicalLocation": {"artifactLocation": artifact}}
        if finding.line is not None and not member:
            region: dict[str, Any] = {"startLine": finding.line}
            if finding.column is not None:
                region["startColumn"] = finding.column
            if finding.snippet:
                region["snippet"] = {"text": finding.snippet}
            location["physicalLocation"]["region"] = region
        message = finding.message if not member else f"{finding.message} [{member}]"
        properties: dict[str, Any] = {
            "severity": finding.severity,
            "per_target": finding.per_target,
            "effort_minutes": finding.effort_minutes,
            "confidence": finding.confidence,
        }
        if finding.remark:
            properties["remark"] = finding.remark
        if member:
            properties["member"] = member
        if finding.detail:
            properties["detail"] = finding.detail
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "level": _LEVEL.get(finding.severity, "note"),
            "message": {"text": message},
            "locations": [location],
            "properties": properties,
        }
        if finding.rule in index:
            result["ruleIndex"] = index[finding.rule]
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "xinchuang",
                        "version": tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule_descriptor(c, registry, lang) for c in codes],
                    }
                },
                "originalUriBaseIds": base_ids,
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
