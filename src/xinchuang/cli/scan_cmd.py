"""``xinchuang scan PATH…`` and ``xinchuang rules list | explain CODE``."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from xinchuang import __version__
from xinchuang.cli.output import emit_json, emit_table, info, progress, stdout, to_json
from xinchuang.errors import UsageError
from xinchuang.i18n import _, current_language
from xinchuang.scan import build_config, database_report, default_registry, display_root
from xinchuang.scan.engine import default_jobs
from xinchuang.scan.summary import ScanResult, cpu_verdicts, office_report
from xinchuang.scan.targets import TARGETS, Family


class ScanFormat(StrEnum):
    """Output formats of ``scan``."""

    TABLE = "table"
    JSON = "json"
    SARIF = "sarif"
    VERDICTS = "verdicts"


class ListFormat(StrEnum):
    """Output formats of ``rules``."""

    TABLE = "table"
    JSON = "json"


rules_app = typer.Typer(
    help=_("The scanner's rules: list them, explain one."), no_args_is_help=True
)

_SEVERITY_STYLE = {"blocker": "red", "warning": "yellow", "performance": "cyan", "note": "dim"}


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(
            _("{path}: cannot write: {reason}").format(path=output, reason=error.strerror)
        ) from error
    info(_("wrote {path}").format(path=output))


def _summary(result: ScanResult) -> dict[str, Any]:
    registry = default_registry()
    return {
        "files": result.stats.files,
        "lines": result.stats.lines,
        "seconds": round(result.seconds, 2),
        "targets": list(result.targets),
        "by_severity": result.by_severity(),
        "by_family": result.by_family(),
        "effort_minutes_by_target": {k: round(v, 1) for k, v in result.effort_by_target().items()},
        "cpu_verdicts": cpu_verdicts(result),
        "database": database_report(result, registry),
        "office": office_report(result),
    }


def _print_verdicts(verdicts: dict[str, dict[str, dict[str, Any]]]) -> None:
    """The verdict per scan root and CPU target, first: what a reader needs before the rows."""
    rows = []
    for root, targets in verdicts.items():
        for target, data in targets.items():
            more = _(" (+{n} more)").format(n=data["more"]) if data["more"] else ""
            rows.append(
                {
                    "root": root,
                    "target": target,
                    "verdict": data["verdict"],
                    "evidence": ("; ".join(data["evidence"][:2]) or _("no CPU-specific code found"))
                    + more,
                }
            )
    if rows:
        emit_table(
            rows,
            [
                ("root", _("Tree")),
                ("target", _("Target")),
                ("verdict", _("Verdict")),
                ("evidence", _("Evidence")),
            ],
            title=_("CPU verdicts (each target judged on its own)"),
        )


def _print_table(result: ScanResult) -> None:
    summary = _summary(result)
    _print_verdicts(summary["cpu_verdicts"])
    rows = [
        {
            "severity": f.severity,
            "rule": f.rule,
            "where": f"{f.display_path}:{f.line}" if f.line else f.display_path,
            "message": f.message,
            "effort": f"{f.effort_minutes:g}",
        }
        for f in result.findings
    ]
    if rows:
        emit_table(
            rows,
            [
                ("severity", _("Severity")),
                ("rule", _("Rule")),
                ("where", _("Where")),
                ("message", _("Finding")),
                ("effort", _("Minutes")),
            ],
            title=_("Findings"),
        )
    emit_table(
        [
            {**v, "family": k, "effort_minutes": f"{v['effort_minutes']:g}"}
            for k, v in summary["by_family"].items()
        ],
        [
            ("family", _("Family")),
            ("findings", _("Findings")),
            ("blockers", _("Blockers")),
            ("effort_minutes", _("Minutes")),
        ],
        title=_("By family"),
    )
    database = summary["database"]
    if database:
        emit_table(
            [
                {
                    "target": target,
                    "level": data["level"],
                    "days": data["person_days"],
                    "objects": ", ".join(
                        f"{kind} {row['total']} ({row['automatic']}/{row['rewrite']}/"
                        f"{row['unsupported']})"
                        for kind, row in data["objects"].items()
                    ),
                }
                for target, data in database.items()
            ],
            [
                ("target", _("Database")),
                ("level", _("Level")),
                ("days", _("Person-days")),
                ("objects", _("Objects: total (automatic/rewrite/unsupported)")),
            ],
            title=_("Database migration (ora2pg-style levels A-C × 1-5)"),
        )
    office = summary["office"]
    if office:
        emit_table(
            office,
            [
                ("folder", _("Folder")),
                ("documents", _("Documents")),
                ("with_macros", _("With macros")),
                ("blockers", _("Blockers")),
                ("rules", _("Findings by rule")),
            ],
            title=_("Office documents per folder"),
        )
    counts = summary["by_severity"]
    stdout().print(
        _(
            "{files} files, {lines} lines in {seconds} s: {blocker} blockers, {warning} warnings,"
            " {performance} performance, {note} notes"
        ).format(
            files=summary["files"], lines=summary["lines"], seconds=summary["seconds"], **counts
        ),
        markup=False,
    )


def scan(
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH...", help=_("Folders or files to scan."))
    ],
    target: Annotated[
        list[str] | None,
        typer.Option(
            "--target",
            "-t",
            help=_(
                "A target to judge against (repeatable; default: all). One of: {targets}."
            ).format(targets=", ".join(TARGETS)),
        ),
    ] = None,
    fmt: Annotated[
        ScanFormat,
        typer.Option(
            "--format",
            "-f",
            help=_(
                "table for people, json or sarif for tools, verdicts for the CPU verdict of each "
                "tree and target (JSON)."
            ),
        ),
    ] = ScanFormat.TABLE,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=_("Write the result to this file."))
    ] = None,
    workspace: Annotated[
        Path | None,
        typer.Option("-w", "--workspace", help=_("Also store the findings in this workspace.")),
    ] = None,
    system: Annotated[
        str | None,
        typer.Option("--system", help=_("The business system the code belongs to (with -w).")),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help=_("Worker processes (default: one per core).")),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help=_("A settings file instead of each root's .xinchuang-scan.toml.")
        ),
    ] = None,
) -> None:
    """Find what must change in code, SQL, binaries and documents for the targets."""
    from xinchuang.pipeline.scan import scan_and_store

    if (workspace is None) != (system is None):
        raise UsageError(
            _("-w/--workspace and --system go together"),
            tip=_("xinchuang scan PATH -w WORKSPACE --system 'Core banking'"),
        )
    settings = build_config(paths, target or (), config_file=config)
    with progress(_("scanning"), None) as advance:
        result, stored = scan_and_store(
            paths,
            settings,
            jobs=jobs or default_jobs(),
            workspace_dir=workspace,
            system=system,
            on_batch=advance,
        )
    if stored is not None:
        info(
            _("stored {count} findings for {system} (replacing {old})").format(
                count=stored.inserted, system=stored.system, old=stored.replaced
            )
        )
    if fmt is ScanFormat.JSON:
        emit_json([f.as_json() for f in result.findings], output)
    elif fmt is ScanFormat.VERDICTS:
        emit_json(cpu_verdicts(result), output)
    elif fmt is ScanFormat.SARIF:
        from xinchuang.report.sarif import to_sarif

        log = to_sarif(
            result.findings,
            default_registry(),
            [(display_root(p), p) for p in paths],
            tool_version=__version__,
            lang=current_language(),
        )
        _write(json.dumps(log, ensure_ascii=False, indent=2) + "\n", output)
    elif output is not None:
        _write(
            to_json(
                {"summary": _summary(result), "findings": [f.as_json() for f in result.findings]}
            )
            + "\n",
            output,
        )
    else:
        _print_table(result)
    if fmt is not ScanFormat.TABLE:
        counts = result.by_severity()
        info(
            _("{files} files, {lines} lines: {blocker} blockers, {warning} warnings").format(
                files=result.stats.files, lines=result.stats.lines, **counts
            )
        )
    if result.blockers:
        raise typer.Exit(1)


@rules_app.command("list")
def rules_list(
    family: Annotated[
        str | None, typer.Option("--family", help=_("Only this family (cpu, database, …)."))
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", "-t", help=_("Only rules that concern this target."))
    ] = None,
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", help=_("table or json."))
    ] = ListFormat.TABLE,
) -> None:
    """Every rule with its family, verdicts and effort."""
    registry = default_registry()
    if family is not None and family not in {f.value for f in Family}:
        raise UsageError(
            _("unknown family {name!r}").format(name=family),
            tip=_("families: {names}").format(names=", ".join(f.value for f in Family)),
        )
    if target is not None:
        from xinchuang.scan.config import check_targets

        target = check_targets([target])[0]
    selected = [
        rule
        for rule in registry.rules.values()
        if (family is None or rule.family.value == family)
        and (target is None or target in rule.verdicts)
    ]
    rows = [rule.summary() for rule in selected]
    if fmt is ListFormat.JSON:
        emit_json(rows)
        return
    emit_table(
        [
            {**r, "per_target": ", ".join(f"{t}={s}" for t, s in rule.verdicts.items())}
            for r, rule in zip(rows, selected, strict=True)
        ],
        [
            ("code", _("Code")),
            ("name", _("Name")),
            ("title", _("Title")),
            ("per_target", _("Verdicts")),
            ("effort_minutes", _("Minutes")),
        ],
    )


@rules_app.command("explain")
def rules_explain(
    code: Annotated[str, typer.Argument(metavar="CODE", help=_("A rule code, e.g. DB101."))],
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", help=_("table or json."))
    ] = ListFormat.TABLE,
) -> None:
    """What a rule finds, why it matters, how to fix it, per target."""
    rule = default_registry().get(code)
    lang = current_language()
    if fmt is ListFormat.JSON:
        emit_json(
            {
                **rule.summary(),
                "why": rule.why.local(lang),
                "fix": rule.fix.local(lang),
                "remark": rule.remark.local(lang) if rule.remark else None,
                "sources": {t: rule.source_for(t) for t in rule.verdicts},
                "effort_basis": rule.effort.basis,
                "references": rule.references,
            }
        )
        return
    out = stdout()
    out.print(f"[bold]{rule.code}[/bold] {rule.name}: {rule.title.local(lang)}")
    for label, text in (
        (_("Why"), rule.why.local(lang)),
        (_("Fix"), rule.fix.local(lang)),
        (_("Portable equivalent"), rule.remark.local(lang) if rule.remark else None),
    ):
        if text:
            out.print(f"\n[bold]{label}[/bold]\n{text}", highlight=False)
    reads = _("Reads")
    out.print(f"\n[bold]{reads}[/bold] {', '.join(rule.kinds)}", highlight=False)
    effort = rule.effort
    unit = _("per file") if effort.per == "file" else _("per occurrence")
    effort_label = _("Effort")
    out.print(
        f"[bold]{effort_label}[/bold] {effort.total_minutes:g} min {unit}"
        + (f" ({effort.basis})" if effort.basis else ""),
        highlight=False,
    )
    if rule.support:
        rows = [
            {"target": t, "support": s.value, "source": rule.source_for(t)}
            for t, s in rule.support.items()
        ]
        emit_table(
            rows, [("target", _("Target")), ("support", _("Support")), ("source", _("Source"))]
        )
    else:
        rows = [{"target": t, "severity": s.value} for t, s in rule.verdicts.items()]
        emit_table(rows, [("target", _("Target")), ("severity", _("Severity"))])
    for reference in rule.references:
        out.print(f"  {reference}", markup=False)
