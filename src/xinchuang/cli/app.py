"""The root command and its groups."""

from __future__ import annotations

from typing import Annotated

import typer

from xinchuang import __version__
from xinchuang.cli import (
    catalog_cmd,
    collector_cmd,
    curation_cmd,
    inventory_cmd,
    plan_cmd,
    report_cmd,
    scan_cmd,
    status_cmd,
    workspace_cmd,
)
from xinchuang.cli.output import state
from xinchuang.i18n import _

app = typer.Typer(
    name="xinchuang",
    help=_("Inventory, classify, scan and plan an organization's Xinchuang (信创) substitution."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"xinchuang {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    lang: Annotated[
        str | None,
        typer.Option("--lang", help=_("Language of messages: en or zh_CN (default: the locale).")),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help=_("No progress bars or diagnostics on stderr."))
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=_("Show the version.")),
    ] = False,
) -> None:
    """Inventory, classify, scan and plan an organization's Xinchuang (信创) substitution."""
    state.quiet = quiet


app.command("init", help=_("Create a workspace in DIR."))(workspace_cmd.init)
app.command("backup", help=_("Copy a SQLite workspace's database to a backup file."))(
    workspace_cmd.backup_cmd
)
app.command("restore", help=_("Replace a SQLite workspace's database with a backup."))(
    workspace_cmd.restore_cmd
)
app.add_typer(catalog_cmd.app, name="catalog")
app.command("import", help=_("Import asset registers, SBOMs, host scans and business systems."))(
    inventory_cmd.import_cmd
)
app.command("inventory", help=_("List every counted item with its product."))(
    inventory_cmd.inventory
)
app.command("unknown", help=_("What was not identified, grouped and counted."))(
    inventory_cmd.unknown
)
app.command("explain", help=_("Why an asset was identified as it was."))(inventory_cmd.explain_cmd)
app.command("map", help=_("Record what an unknown name is: a product, a vendor or an origin."))(
    curation_cmd.map_cmd
)
app.command("reidentify", help=_("Identify the stored records again; report what changed."))(
    curation_cmd.reidentify_cmd
)
app.command("status", help=_("The localization rate on three bases, with the trend."))(
    status_cmd.status_cmd
)
app.command("snapshot", help=_("Freeze today's figures so later runs show the trend."))(
    status_cmd.snapshot_cmd
)
app.command("report", help=_("Write the HTML report and the XLSX workbook."))(report_cmd.report_cmd)
app.command("collector", help=_("Write the host collector script out, to run on other hosts."))(
    collector_cmd.collector
)
app.command("scan-host", help=_("Scan this host with the shipped collector; write its JSON."))(
    collector_cmd.scan_host
)
app.command("scan", help=_("Find what must change in code, SQL, binaries and documents."))(
    scan_cmd.scan
)
app.add_typer(scan_cmd.rules_app, name="rules")
app.command("plan", help=_("Schedule the migrations in waves under capacity and deadlines."))(
    plan_cmd.plan
)
app.command("forecast", help=_("Monte Carlo forecast of the saved plan: P50/P90 and the rate."))(
    plan_cmd.forecast
)
app.command("whatif", help=_("Re-plan and re-forecast under a change, against the baseline."))(
    plan_cmd.whatif
)
app.command("progress", help=_("The quarterly return: replaced and remaining, against plan."))(
    plan_cmd.progress
)
