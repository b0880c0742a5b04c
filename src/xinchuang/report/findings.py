"""The scanner's findings in the report: counts, effort, top rules, a chart and a capped table.

Pure: rows in (as the workspace's ``findings`` table holds them), a report
:class:`~xinchuang.report.html.Section` and workbook
:class:`~xinchuang.report.xlsx.Sheet` objects out. :func:`summarize` reads the
rows once and keeps only the totals and the :data:`SHOWN` worst findings, so
a large scan does not sit in memory; the full list goes to the workbook, whose
rows are read again, one by one, as the sheet is written.

Paths, snippets and messages come from the scanned code, which is untrusted:
the template escapes them and the chart data is embedded with ``tojson``.
Counts are by severity (blocker, warning, performance, note) only; a rule's
confidence is a column of its own in the workbook, never folded into them.
Effort is in person-days of 8 hours (minutes / 480), as in the scanner.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from xinchuang.i18n import _
from xinchuang.report.html import Section
from xinchuang.report.xlsx import Column, Sheet
from xinchuang.scan.targets import TARGETS, Family, Severity

PERSON_DAY_MINUTES = 8 * 60
SHOWN = 200  # findings listed in the HTML table; the workbook has them all
TOP_RULES = 15
CHART_SYSTEMS = 25
SNIPPET_CHARS = 160
SECTION_ID = "code-findings"
SCAN_COMMAND = "xinchuang scan PATH -w WS --system NAME"

SEVERITIES: tuple[str, ...] = tuple(s.value for s in Severity)
_FAMILY_ORDER = {f.value: i for i, f in enumerate(Family)}
_UNRANKED = len(SEVERITIES)
# the page's own colours: red for what blocks, amber for what needs work
_SEVERITY_CSS = {Severity.BLOCKER.value: "foreign", Severity.WARNING.value: "unknown"}

TitleOf = Callable[[str, str | None], str]


def _json_mapping(value: Any) -> dict[str, Any]:
    """A JSON column's value as a dict (a backend may hand back text)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return dict(value) if isinstance(value, Mapping) else {}


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One stored finding: a row of the workspace's ``findings`` table."""

    system: str | None
    scan_root: str
    rule: str
    family: str
    path: str
    line: int | None
    column: int | None
    severity: str
    per_target: Mapping[str, str]
    effort_minutes: float
    message: str
    snippet: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    scanned_at: dt.datetime | None = None

    @classmethod
    def from_record(cls, record: Mapping[Any, Any]) -> FindingRow:
        """A row from a database record (a mapping of the table's columns)."""
        return cls(
            system=record["system"],
            scan_root=record["scan_root"],
            rule=record["rule"],
            family=record["family"],
            path=record["path"],
            line=record["line"],
            column=record["column"],
            severity=record["severity"],
            per_target={str(k): str(v) for k, v in _json_mapping(record["per_target"]).items()},
            effort_minutes=float(record["effort_minutes"] or 0),
            message=record["message"],
            snippet=record["snippet"],
            detail=_json_mapping(record["detail"]),
            scanned_at=record["scanned_at"],
        )

    @property
    def location(self) -> str:
        """``path:line`` (the path alone when the finding concerns a whole file)."""
        return self.path if self.line is None else f"{self.path}:{self.line}"

    @property
    def confidence(self) -> str | None:
        """The rule's confidence (high, medium, low), as the scanner stored it."""
        value = self.detail.get("confidence")
        return None if value is None else str(value)

    @property
    def stored_title(self) -> str | None:
        """The rule title stored with the finding (in the language of the scan)."""
        value = self.detail.get("title")
        return str(value) if value else None


def severity_rank(severity: str) -> int:
    """0 for a blocker … 3 for a note; an unknown severity sorts last."""
    try:
        return Severity(severity).rank
    except ValueError:
        return _UNRANKED


def person_days(minutes: float) -> float:
    """Minutes of work as person-days of 8 hours."""
    return minutes / PERSON_DAY_MINUTES


def _days_text(minutes: float) -> str:
    return f"{person_days(minutes):.2f}"


def severity_label(severity: str) -> str:
    """A severity in words, in the language in force."""
    labels = {
        Severity.BLOCKER.value: _("blocker"),
        Severity.WARNING.value: _("warning"),
        Severity.PERFORMANCE.value: _("performance"),
        Severity.NOTE.value: _("note"),
    }
    return labels.get(severity, severity)


def family_label(family: str) -> str:
    """A rule family's name, in the language in force."""
    labels = {
        Family.CPU.value: _("CPU / instruction set"),
        Family.DATABASE.value: _("Database"),
        Family.OS.value: _("Operating system"),
        Family.BROWSER.value: _("Browser"),
        Family.OFFICE.value: _("Office documents"),
        Family.MIDDLEWARE.value: _("Middleware and dependencies"),
        Family.CRYPTO.value: _("Cryptography"),
        Family.SCAN.value: _("Scanner notes"),
    }
    return labels.get(family, family)


def system_label(system: str) -> str:
    """A business system's name; findings stored without one are grouped apart."""
    return system or _("(no business system)")


def target_label(target: str) -> str:
    """A target as ``key — name``, e.g. ``dm — DM8 (Dameng)``."""
    known = TARGETS.get(target)
    return f"{target} — {known.name}" if known else target


def _target_order(target: str) -> tuple[int, str]:
    keys = list(TARGETS)
    return (keys.index(target) if target in TARGETS else len(keys), target)


def targets_text(per_target: Mapping[str, str]) -> str:
    """Targets grouped by their severity, worst first: ``blocker: arm64, sw64; warning: tidb``."""
    groups: dict[str, list[str]] = {}
    for target in sorted(per_target, key=_target_order):
        groups.setdefault(per_target[target], []).append(target)
    return "; ".join(
        f"{severity_label(severity)}: {', '.join(groups[severity])}"
        for severity in sorted(groups, key=lambda s: (severity_rank(s), s))
    )


def rule_title(code: str, stored: str | None = None) -> str:
    """A rule's title in the language in force, from the shipped rules.

    A rule the shipped packs do not hold (one from a user's rule directory)
    keeps the title stored with its findings, else its code.
    """
    from xinchuang.scan.registry import default_registry

    rule = default_registry().rules.get(code)
    if rule is not None:
        return rule.title.local()
    return stored or code


@dataclass
class Tally:
    """Findings counted by severity, and their effort."""

    findings: int = 0
    by_severity: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    minutes: float = 0.0

    def add(self, severity: str, minutes: float) -> None:
        """Count one finding of ``severity`` costing ``minutes``."""
        self.findings += 1
        self.by_severity[severity] = self.by_severity.get(severity, 0) + 1
        self.minutes += minutes

    @property
    def blockers(self) -> int:
        """How many of the findings are blockers."""
        return self.by_severity.get(Severity.BLOCKER.value, 0)

    @property
    def person_days(self) -> float:
        """The effort in person-days."""
        return person_days(self.minutes)


@dataclass
class RuleTally:
    """One rule's findings over the workspace."""

    rule: str
    family: str
    stored_title: str | None
    tally: Tally = field(default_factory=Tally)


@dataclass
class FindingsSummary:
    """What the section and the summary sheet show: totals per system, family, target, rule."""

    total: Tally = field(default_factory=Tally)
    systems: dict[str, Tally] = field(default_factory=dict)
    families: dict[str, Tally] = field(default_factory=dict)
    system_families: dict[tuple[str, str], Tally] = field(default_factory=dict)
    # per target: the findings that concern it, counted by their severity *for that target*
    targets: dict[str, Tally] = field(default_factory=dict)
    system_targets: dict[tuple[str, str], float] = field(default_factory=dict)
    rules: dict[str, RuleTally] = field(default_factory=dict)
    roots: set[tuple[str, str]] = field(default_factory=set)
    first_scan: dt.datetime | None = None
    last_scan: dt.datetime | None = None
    shown: list[FindingRow] = field(default_factory=list)

    @property
    def more(self) -> int:
        """Findings left out of the HTML table."""
        return self.total.findings - len(self.shown)

    def add(self, row: FindingRow) -> None:
        """Count one finding."""
        system = row.system or ""
        minutes = row.effort_minutes
        self.total.add(row.severity, minutes)
        self.systems.setdefault(system, Tally()).add(row.severity, minutes)
        self.families.setdefault(row.family, Tally()).add(row.severity, minutes)
        self.system_families.setdefault((system, row.family), Tally()).add(row.severity, minutes)
        for target, severity in row.per_target.items():
            self.targets.setdefault(target, Tally()).add(severity, minutes)
            key = (system, target)
            self.system_targets[key] = self.system_targets.get(key, 0.0) + minutes
        entry = self.rules.get(row.rule)
        if entry is None:
            entry = self.rules[row.rule] = RuleTally(row.rule, row.family, row.stored_title)
        entry.tally.add(row.severity, minutes)
        self.roots.add((system, row.scan_root))
        when = row.scanned_at
        if when is not None:
            if self.first_scan is None or when < self.first_scan:
                self.first_scan = when
            if self.last_scan is None or when > self.last_scan:
                self.last_scan = when

    def family_keys(self) -> list[str]:
        """The families that have findings, in the scanner's order."""
        return sorted(self.families, key=lambda f: (_FAMILY_ORDER.get(f, len(_FAMILY_ORDER)), f))

    def target_keys(self) -> list[str]:
        """The targets that have findings, in the scanner's order."""
        return sorted(self.targets, key=_target_order)

    def system_keys(self) -> list[str]:
        """Systems with the most blockers first, then the most findings, then by name."""
        return sorted(
            self.systems,
            key=lambda s: (-self.systems[s].blockers, -self.systems[s].findings, s),
        )

    def top_rules(self, limit: int = TOP_RULES) -> list[RuleTally]:
        """The rules with the most findings (then the most blockers, then the most effort)."""
        return sorted(
            self.rules.values(),
            key=lambda r: (-r.tally.findings, -r.tally.blockers, -r.tally.minutes, r.rule),
        )[:limit]


def table_order(row: FindingRow) -> tuple[int, str, str, str, int, int, str]:
    """Worst first, then by system, place in the code and rule."""
    return (
        severity_rank(row.severity),
        row.system or "",
        row.scan_root,
        row.path,
        row.line or 0,
        row.column or 0,
        row.rule,
    )


def summarize(rows: Iterable[FindingRow], *, shown: int = SHOWN) -> FindingsSummary:
    """Read ``rows`` once: the totals, and the ``shown`` worst findings for the table."""
    summary = FindingsSummary()

    def counted() -> Iterator[FindingRow]:
        for row in rows:
            summary.add(row)
            yield row

    summary.shown = heapq.nsmallest(shown, counted(), key=table_order)
    return summary


def _texts() -> SimpleNamespace:
    return SimpleNamespace(
        none=_("No code or document findings are stored in this workspace."),
        how=_(
            "Scan each business system's code, SQL, binaries and documents and store the "
            "findings against it; the next report shows them here:"
        ),
        command=SCAN_COMMAND,
        headline=_(
            "Findings: {findings} — blocker {blocker}, warning {warning}, performance "
            "{performance}, note {note}. Effort: about {days} person-days. Business systems: "
            "{systems}; scanned trees: {roots}."
        ),
        scanned=_("Scanned from {first} to {last}."),
        scanned_once=_("Scanned on {when}."),
        method=_(
            "Counts are by severity, the worst over the targets each scan considered; a "
            "rule's confidence is shown apart, in the workbook. Effort is in person-days of "
            "8 hours (minutes / 480), from each rule's cost model (see docs/scan.md)."
        ),
        chart_title=_("Blockers per business system and rule family"),
        chart_cut=_("The chart shows the {n} business systems with the most blockers."),
        by_system=_("By business system"),
        by_family=_("By rule family"),
        by_target=_("Effort by target"),
        target_note=_(
            "A finding counts for every target it concerns, with its severity for that "
            "target; a finding that concerns several targets counts under each."
        ),
        top_rules=_("Top rules"),
        list=_("Findings"),
        list_note=_("Worst first. The workbook's Findings sheet lists every finding."),
        system=_("Business system"),
        family=_("Family"),
        target=_("Target"),
        rule=_("Rule"),
        title=_("Title"),
        location=_("Location"),
        severity=_("Severity"),
        targets=_("Targets"),
        effort_minutes=_("Effort (minutes)"),
        findings=_("Findings"),
        blockers=_("Blockers"),
        warnings=_("Warnings"),
        performance=_("Performance"),
        notes=_("Notes"),
        days=_("Person-days"),
        more=_("… and {n} more (the full list is in the workbook's Findings sheet)"),
    )


def _counts(tally: Tally) -> dict[str, Any]:
    return {
        "findings": tally.findings,
        **{severity: tally.by_severity.get(severity, 0) for severity in SEVERITIES},
        "days": _days_text(tally.minutes),
    }


def findings_chart(summary: FindingsSummary, limit: int = CHART_SYSTEMS) -> dict[str, Any] | None:
    """ECharts options: blockers per business system, stacked by family (None without any)."""
    systems = [s for s in summary.system_keys() if summary.systems[s].blockers][:limit]
    if not systems:
        return None
    series = []
    for family in summary.family_keys():
        data = [summary.system_families.get((s, family), Tally()).blockers for s in systems]
        if any(data):
            series.append(
                {
                    "name": family_label(family),
                    "type": "bar",
                    "stack": "blockers",
                    "data": data,
                }
            )
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}, "renderMode": "richText"},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 24, "bottom": 8, "top": 32, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": [system_label(s) for s in systems], "inverse": True},
        "series": series,
    }


def findings_section(summary: FindingsSummary, *, title_of: TitleOf = rule_title) -> Section:
    """The report section "Code and document findings"."""
    title = _("Code and document findings")
    texts = _texts()
    if not summary.total.findings:
        return Section(
            SECTION_ID,
            title,
            "sections/findings.html.j2",
            {"empty": True, "texts": texts, "chart": None},
        )
    total = summary.total
    headline = texts.headline.format(
        findings=total.findings,
        systems=len(summary.systems),
        roots=len(summary.roots),
        days=_days_text(total.minutes),
        **{severity: total.by_severity.get(severity, 0) for severity in SEVERITIES},
    )
    scanned = None
    if summary.first_scan is not None and summary.last_scan is not None:
        first = summary.first_scan.isoformat(timespec="minutes")
        last = summary.last_scan.isoformat(timespec="minutes")
        scanned = (
            texts.scanned_once.format(when=first)
            if first == last
            else texts.scanned.format(first=first, last=last)
        )
    blocked_systems = sum(1 for tally in summary.systems.values() if tally.blockers)
    titles: dict[str, str] = {}

    def title_for(code: str, stored: str | None) -> str:
        if code not in titles:
            titles[code] = title_of(code, stored)
        return titles[code]

    data: dict[str, Any] = {
        "empty": False,
        "texts": texts,
        "headline": headline,
        "scanned": scanned,
        "chart": findings_chart(summary),
        "chart_cut": (
            texts.chart_cut.format(n=CHART_SYSTEMS) if blocked_systems > CHART_SYSTEMS else None
        ),
        "severities": [
            {"key": severity, "header": header}
            for severity, header in zip(
                SEVERITIES,
                (texts.blockers, texts.warnings, texts.performance, texts.notes),
                strict=True,
            )
        ],
        "systems": [
            {"label": system_label(s), **_counts(summary.systems[s])} for s in summary.system_keys()
        ],
        "families": [
            {"label": family_label(f), **_counts(summary.families[f])}
            for f in summary.family_keys()
        ],
        "targets": [
            {"label": target_label(t), **_counts(summary.targets[t])} for t in summary.target_keys()
        ],
        "rules": [
            {
                "rule": r.rule,
                "title": title_for(r.rule, r.stored_title),
                "family": family_label(r.family),
                **_counts(r.tally),
            }
            for r in summary.top_rules()
        ],
        "rows": [
            {
                "rule": row.rule,
                "title": title_for(row.rule, row.stored_title),
                "system": system_label(row.system or ""),
                "location": row.location,
                "severity": row.severity,
                "severity_label": severity_label(row.severity),
                "css": _SEVERITY_CSS.get(row.severity, ""),
                "targets": targets_text(row.per_target),
                "minutes": f"{row.effort_minutes:g}",
                "snippet": _clip(row.snippet),
                "message": row.message,
            }
            for row in summary.shown
        ],
        "more": summary.more,
    }
    return Section(SECTION_ID, title, "sections/findings.html.j2", data)


def _clip(text: str | None, limit: int = SNIPPET_CHARS) -> str | None:
    if not text:
        return None
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summary_sheet(summary: FindingsSummary) -> Sheet:
    """All systems first, then each business system: a row for all families, one per family.

    The person-day columns per target add up the findings that concern each target
    (a finding that concerns several targets counts under each).
    """
    targets = summary.target_keys()
    columns = [
        Column(_("Business system")),
        Column(_("Family")),
        Column(_("Findings"), "int"),
        Column(_("Blockers"), "int"),
        Column(_("Warnings"), "int"),
        Column(_("Performance"), "int"),
        Column(_("Notes"), "int"),
        Column(_("Person-days"), "days"),
        *(Column(_("Person-days: {target}").format(target=t), "days") for t in targets),
    ]

    def line(
        system: str, family: str | None, tally: Tally, per_target: Sequence[float | None]
    ) -> list[Any]:
        return [
            system,
            _("all families") if family is None else family_label(family),
            tally.findings,
            *(tally.by_severity.get(severity, 0) for severity in SEVERITIES),
            round(tally.person_days, 4),
            *(
                None if minutes is None else round(person_days(minutes), 4)
                for minutes in per_target
            ),
        ]

    no_split: list[float | None] = [None] * len(targets)
    everyone = _("All business systems")
    rows = [line(everyone, None, summary.total, [summary.targets[t].minutes for t in targets])]
    rows += [line(everyone, f, summary.families[f], no_split) for f in summary.family_keys()]
    for system in sorted(summary.systems):
        minutes = [summary.system_targets.get((system, t), 0.0) for t in targets]
        rows.append(line(system_label(system), None, summary.systems[system], minutes))
        for family in summary.family_keys():
            tally = summary.system_families.get((system, family))
            if tally is not None:
                rows.append(line(system_label(system), family, tally, no_split))
    return Sheet(_("Findings by system"), columns, rows)


def findings_sheet(rows: Iterable[FindingRow], *, title_of: TitleOf = rule_title) -> Sheet:
    """Every finding, one row each, read from ``rows`` as the sheet is written."""
    titles: dict[str, str] = {}

    def cells() -> Iterator[Sequence[Any]]:
        for row in rows:
            if row.rule not in titles:
                titles[row.rule] = title_of(row.rule, row.stored_title)
            remark = row.detail.get("remark")
            rewrite = row.detail.get("rewrite")
            yield [
                row.rule,
                titles[row.rule],
                family_label(row.family),
                system_label(row.system or ""),
                row.scan_root,
                row.path,
                row.line,
                row.column,
                severity_label(row.severity),
                row.confidence,
                targets_text(row.per_target),
                row.effort_minutes,
                row.message,
                row.snippet,
                None if remark is None else str(remark),
                None if rewrite is None else str(rewrite),
                row.scanned_at.isoformat(timespec="seconds") if row.scanned_at else None,
            ]

    columns = [
        Column(_("Rule")),
        Column(_("Title")),
        Column(_("Family")),
        Column(_("Business system")),
        Column(_("Scan root")),
        Column(_("Path")),
        Column(_("Line"), "int"),
        Column(_("Column"), "int"),
        Column(_("Severity")),
        Column(_("Confidence")),
        Column(_("Targets")),
        Column(_("Effort (minutes)")),
        Column(_("Message")),
        Column(_("Snippet")),
        Column(_("Remark")),
        Column(_("Rewrite")),
        Column(_("Scanned at")),
    ]
    return Sheet(_("Findings"), columns, cells())


def findings_sheets(
    summary: FindingsSummary,
    rows: Iterable[FindingRow],
    *,
    title_of: TitleOf = rule_title,
) -> list[Sheet]:
    """The workbook's sheets: the per-system summary and every finding; none without findings."""
    if not summary.total.findings:
        return []
    return [summary_sheet(summary), findings_sheet(rows, title_of=title_of)]
