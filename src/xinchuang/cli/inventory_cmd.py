"""``xinchuang import``, ``inventory``, ``unknown`` and ``explain``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xinchuang.cli.options import CatalogOpt, FormatOpt, OutputOpt, WorkspaceOpt
from xinchuang.cli.output import Format, emit_json, emit_table, info, progress, stdout, warn
from xinchuang.i18n import _
from xinchuang.pipeline.ingest import import_files, parse_column_map
from xinchuang.pipeline.inventory import explain, inventory_rows, resolve_asset, unknown_groups
from xinchuang.pipeline.workspace import open_workspace


def _catalogs(catalog: list[Path] | None) -> list[str]:
    return [str(c) for c in catalog or []]


def import_cmd(
    paths: Annotated[
        list[Path],
        typer.Argument(help=_("Files, or directories of files, to import."), show_default=False),
    ],
    unit: Annotated[
        str | None, typer.Option("--unit", help=_("The unit the sources belong to."))
    ] = None,
    as_format: Annotated[
        str | None,
        typer.Option("--as", help=_("The format, when detection from content is not wanted.")),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help=_("The source's name (default: the file name).")),
    ] = None,
    column_map: Annotated[
        str | None,
        typer.Option("--map", help=_('Map unusual headers: "Header=field,Other=field".')),
    ] = None,
    skip_bad_rows: Annotated[
        bool,
        typer.Option("--skip-bad-rows", help=_("Import the good rows and list the bad ones.")),
    ] = False,
    workspace: WorkspaceOpt = Path("."),
    catalog: CatalogOpt = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Import asset registers, SBOMs, host scans and business systems (one transaction)."""
    with (
        open_workspace(workspace, catalogs=_catalogs(catalog)) as ws,
        progress(_("importing"), None) as advance,
    ):
        result = import_files(
            ws,
            paths,
            unit=unit,
            forced_format=as_format,
            source_name=source,
            column_map=parse_column_map(column_map),
            skip_bad_rows=skip_bad_rows,
            on_record=advance,
        )
    rows = [
        {
            "source": s.name,
            "unit": s.unit,
            "format": s.format,
            "encoding": s.encoding,
            "records": s.records,
            "assets": s.assets,
            "systems": s.systems,
            "identified": s.identified,
            "hosts_new": s.hosts_new,
            "hosts_matched": s.hosts_matched,
            "skipped": len(s.skipped),
            "merged": len(s.merged),
            "replaced": s.replaced,
            "replaces": "; ".join(s.replaces),
        }
        for s in result.sources
    ]
    for warning in result.warnings:
        warn(warning.line())
    for skipped_file in result.passed_over:
        warn(_("passed over (no reader recognises it): {path}").format(path=skipped_file))
    for s in result.sources:
        for issue in s.skipped:
            warn(_("skipped: {issue}").format(issue=issue))
        for issue in s.merged:
            warn(_("merged: {issue}").format(issue=issue))
    if fmt is Format.JSON:
        emit_json(
            {
                "catalog_revision": result.catalog_revision,
                "sources": rows,
                "passed_over": result.passed_over,
                "warnings": [w.as_json() for w in result.warnings],
            }
        )
        return
    emit_table(
        rows,
        [
            ("source", _("Source")),
            ("unit", _("Unit")),
            ("format", _("Format")),
            ("records", _("Records")),
            ("assets", _("Assets")),
            ("identified", _("Identified")),
            ("hosts_new", _("New hosts")),
            ("hosts_matched", _("Matched hosts")),
            ("systems", _("Systems")),
            ("skipped", _("Skipped")),
            ("replaces", _("Replaces")),
        ],
    )


INVENTORY_COLUMNS = [
    ("id", "ID"),
    ("host", "Host"),
    ("unit", "Unit"),
    ("kind", "Kind"),
    ("name", "Name"),
    ("version", "Version"),
    ("product_id", "Product"),
    ("match_level", "Level"),
    ("layer", "Layer"),
    ("country", "Country"),
    ("domestic", "Domestic"),
    ("confidence", "Confidence"),
]


def inventory(
    unit: Annotated[str | None, typer.Option("--unit", help=_("Only this unit."))] = None,
    layer: Annotated[str | None, typer.Option("--layer", help=_("Only this layer."))] = None,
    foreign: Annotated[bool, typer.Option("--foreign", help=_("Only foreign items."))] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help=_("At most this many rows."))
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    catalog: CatalogOpt = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
) -> None:
    """One row per counted item: machine, CPU, OS, each installation, each SBOM component."""
    with open_workspace(workspace, catalogs=_catalogs(catalog)) as ws:
        rows = list(
            inventory_rows(
                ws, unit=unit, layer=layer, domestic=False if foreign else None, limit=limit
            )
        )
    if fmt is Format.JSON:
        emit_json(rows, output)
        return
    headers = {
        "id": _("ID"),
        "host": _("Host"),
        "unit": _("Unit"),
        "kind": _("Kind"),
        "name": _("Name"),
        "version": _("Version"),
        "product_id": _("Product"),
        "match_level": _("Level"),
        "layer": _("Layer"),
        "country": _("Country"),
        "domestic": _("Domestic"),
        "confidence": _("Confidence"),
    }
    emit_table(rows, [(key, headers[key]) for key, _h in INVENTORY_COLUMNS])
    info(_("{n} rows").format(n=len(rows)))


def unknown(
    unit: Annotated[str | None, typer.Option("--unit", help=_("Only this unit."))] = None,
    top: Annotated[int, typer.Option("--top", min=1, help=_("How many groups."))] = 50,
    workspace: WorkspaceOpt = Path("."),
    catalog: CatalogOpt = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """What was not identified, grouped and counted: what counts toward the rate first."""
    with open_workspace(workspace, catalogs=_catalogs(catalog)) as ws:
        groups = unknown_groups(ws, unit=unit, top=top)
    if fmt is Format.JSON:
        emit_json(groups)
        return
    emit_table(
        groups,
        [
            ("count", _("Count")),
            ("hosts", _("Hosts")),
            ("counted", _("Counted")),
            ("kind", _("Kind")),
            ("name", _("Name")),
            ("vendor", _("Vendor")),
            ("spellings", _("Spellings")),
            ("ids", _("Asset ids")),
        ],
    )
    if groups:
        info(
            _(
                "Tip: 'xinchuang explain ID' says why; 'xinchuang map NAME --product ID' "
                "records what it is, 'xinchuang reidentify' applies it"
            )
        )


def explain_cmd(
    asset: Annotated[
        str,
        typer.Argument(
            metavar="ASSET",
            help=_("An asset id from 'inventory' or 'unknown', a hostname or an asset number."),
        ),
    ],
    workspace: WorkspaceOpt = Path("."),
    catalog: CatalogOpt = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Why an asset was identified as it was (or why not); for a host, what each record is."""
    with open_workspace(workspace, catalogs=_catalogs(catalog)) as ws:
        resolved = resolve_asset(ws, asset)
        if isinstance(resolved, list):
            if fmt is Format.JSON:
                emit_json(resolved)
                return
            emit_table(
                resolved,
                [
                    ("id", _("Id")),
                    ("kind", _("Kind")),
                    ("name", _("Name")),
                    ("product_id", _("Product")),
                    ("match_level", _("Level")),
                    ("domestic", _("Domestic")),
                    ("reason", _("Reason")),
                ],
            )
            info(_("Tip: 'xinchuang explain ID' for one record"))
            return
        view = explain(ws, resolved)
    if fmt is Format.JSON:
        emit_json(view)
        return
    out = stdout()
    lines = [
        (_("Asset"), f"{view['id']} {view['name']} {view['version'] or ''}".strip()),
        (_("From"), f"{view['provenance']} ({view['format']})"),
        (_("Host"), view["host"] or "—"),
        (_("Product"), view["product_id"] or _("unknown")),
        (_("Level"), view["match_level"]),
        (_("Reason"), view["reason"] or "—"),
        (_("Confidence"), f"{view['confidence']:.2f}" if view["confidence"] is not None else "—"),
        (_("Layer"), view["layer"] or "—"),
        (_("Country"), view["country"] or "—"),
        (_("Hints"), ", ".join(f"{k}={v}" for k, v in view["identifiers"].items()) or "—"),
    ]
    for label, value in lines:
        out.print(f"{label}: {value}", markup=False)
    for fact in view["host_facts"]:
        out.print(f"  {fact['field']} = {fact['value']}  [{fact['source']}]", markup=False)
    for near in view["near_matches"]:
        out.print(
            _("  near match: {product_id} ({score}, on {matched!r})").format(**near), markup=False
        )
