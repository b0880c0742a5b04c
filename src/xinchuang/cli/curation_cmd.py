"""``xinchuang map`` and ``xinchuang reidentify``: the curation loop."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xinchuang.cli.options import CatalogOpt, FormatOpt, WorkspaceOpt
from xinchuang.cli.output import Format, emit_json, emit_table, info, stdout
from xinchuang.errors import UsageError
from xinchuang.i18n import _
from xinchuang.pipeline.curation import (
    add_mapping,
    export_mappings,
    list_mappings,
    reidentify,
    remove_mapping,
)
from xinchuang.pipeline.workspace import open_workspace


def _catalogs(catalog: list[Path] | None) -> list[str]:
    return [str(path) for path in catalog or []]


def map_cmd(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="NAME",
            help=_("The name as the inventory spells it (or a pattern, with --regex)."),
            show_default=False,
        ),
    ] = None,
    product: Annotated[
        str | None, typer.Option("--product", help=_("It is this catalog product."))
    ] = None,
    vendor: Annotated[
        str | None,
        typer.Option("--vendor", help=_("It is made by this catalog vendor (one origin only).")),
    ] = None,
    origin: Annotated[
        str | None,
        typer.Option("--origin", help=_("Only its origin is known: domestic or foreign.")),
    ] = None,
    why: Annotated[str, typer.Option("--why", help=_("Why (kept with the mapping)."))] = "",
    regex: Annotated[
        bool, typer.Option("--regex", help=_("NAME is a regular expression over names."))
    ] = False,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help=_("Only records of this kind (machine, os, software …).")),
    ] = None,
    layer: Annotated[
        str | None,
        typer.Option("--layer", help=_("For --origin or --vendor: the layer it counts in.")),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help=_("Who decides (default: your login name)."))
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help=_("List the mappings."))] = False,
    remove: Annotated[
        int | None, typer.Option("--remove", help=_("Delete the mapping with this id."))
    ] = None,
    export: Annotated[
        Path | None,
        typer.Option("--export", help=_("Write the mappings as a catalog fragment (YAML).")),
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    catalog: CatalogOpt = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Record what an unknown name is: a product, a vendor or an origin (who, when, why)."""
    with open_workspace(workspace, catalogs=_catalogs(catalog)) as ws:
        if list_:
            rows = [
                {
                    "id": m.id,
                    "name": m.pattern,
                    "regex": m.is_regex,
                    "kind": m.kind,
                    "target": f"{m.target_kind} {m.target}",
                    "by": m.created_by,
                    "on": m.created_at.date().isoformat(),
                    "why": m.why,
                }
                for m in list_mappings(ws)
            ]
            if fmt is Format.JSON:
                emit_json(rows)
            else:
                emit_table(
                    rows,
                    [
                        ("id", _("Id")),
                        ("name", _("Name")),
                        ("regex", _("Regex")),
                        ("kind", _("Kind")),
                        ("target", _("Maps to")),
                        ("by", _("By")),
                        ("on", _("On")),
                        ("why", _("Why")),
                    ],
                )
            return
        if remove is not None:
            remove_mapping(ws, remove)
            info(_("Removed; run 'xinchuang reidentify' to apply"))
            return
        if export is not None:
            export.write_text(export_mappings(ws), encoding="utf-8")
            info(_("Wrote {path}").format(path=export))
            return
        targets = [
            (k, v) for k, v in (("product", product), ("vendor", vendor), ("origin", origin)) if v
        ]
        if name is None or len(targets) != 1:
            raise UsageError(
                _("give NAME and exactly one of --product, --vendor or --origin"),
                tip=_(
                    "e.g. xinchuang map '人大金仓 V8R6' --product kingbasees --why 'DBA confirmed'"
                ),
            )
        target_kind, target = targets[0]
        mapping = add_mapping(
            ws,
            name,
            target_kind=target_kind,
            target=target,
            why=why,
            is_regex=regex,
            kind=kind,
            layer=layer,
            by=by,
        )
    if fmt is Format.JSON:
        emit_json({"id": mapping.id, "name": mapping.pattern, target_kind: target})
        return
    stdout().print(
        _("Mapping {id}: {name!r} → {kind} {target}").format(
            id=mapping.id, name=mapping.pattern, kind=target_kind, target=target
        ),
        markup=False,
    )
    info(_("Run 'xinchuang reidentify' to apply it to the records already imported"))


def reidentify_cmd(
    show: Annotated[
        int, typer.Option("--show", min=0, help=_("How many changed rows to list."))
    ] = 20,
    workspace: WorkspaceOpt = Path("."),
    catalog: CatalogOpt = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Identify every stored record again (after a catalog upgrade or a mapping)."""
    with open_workspace(workspace, catalogs=_catalogs(catalog)) as ws:
        report = reidentify(ws, show=show)
    if fmt is Format.JSON:
        emit_json(report.view())
        return
    out = stdout()

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{100 * value:.1f}%"

    out.print(
        _("{changed} of {records} records changed").format(
            changed=report.changed, records=report.records
        ),
        markup=False,
    )
    out.print(
        _("unknown items: {before} → {after} of {counted}").format(
            before=report.unknown_before, after=report.unknown_after, counted=report.counted_after
        ),
        markup=False,
    )
    out.print(
        _("localization rate: {before} → {after}").format(
            before=pct(report.rate_before), after=pct(report.rate_after)
        ),
        markup=False,
    )
    levels = sorted(set(report.levels_before) | set(report.levels_after))
    emit_table(
        [
            {
                "level": level,
                "before": report.levels_before.get(level, 0),
                "after": report.levels_after.get(level, 0),
            }
            for level in levels
        ],
        [("level", _("Level")), ("before", _("Before")), ("after", _("After"))],
    )
    if report.changes:
        emit_table(
            report.changes,
            [
                ("id", _("Id")),
                ("name", _("Name")),
                ("before", _("Before")),
                ("after", _("After")),
                ("reason", _("Reason")),
            ],
        )
