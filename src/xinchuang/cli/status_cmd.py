"""``xinchuang status`` and ``xinchuang snapshot``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from xinchuang.catalog.model import Catalog
from xinchuang.cli.options import CatalogOpt, FormatOpt, WorkspaceOpt
from xinchuang.cli.output import Format, emit_json, emit_table, stdout
from xinchuang.errors import UsageError
from xinchuang.i18n import _
from xinchuang.models.catalog import PolicyProfile
from xinchuang.pipeline.status import policy_of, status, take_snapshot
from xinchuang.pipeline.workspace import open_workspace
from xinchuang.report.labels import layer_label, percent, tier_label

AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help=_("Compute the figures as of this date (YYYY-MM-DD; default: today)."),
        show_default=False,
    ),
]


def parse_date(text: str | None) -> dt.date | None:
    """A --as-of value as a date (None when not given)."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            _("--as-of {value}: not a date").format(value=text), tip=_("write it as 2026-06-30")
        ) from None


def _amount(value: float) -> str:
    return f"{value:,.2f}" if isinstance(value, float) else str(value)


def _rows(
    groups: Mapping[str, Mapping[str, Any]], label: str, names: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    return [
        {
            label: (names or {}).get(key, key),
            "domestic": _amount(view["domestic"]),
            "foreign": _amount(view["foreign"]),
            "unknown": _amount(view["unknown"]),
            "rate": percent(view["rate"]),
            "rate_if_unknown_foreign": percent(view["rate_if_unknown_foreign"]),
        }
        for key, view in groups.items()
    ]


def _columns(first: str, header: str) -> list[tuple[str, str]]:
    return [
        (first, header),
        ("domestic", _("Domestic")),
        ("foreign", _("Foreign")),
        ("unknown", _("Unknown")),
        ("rate", _("Rate")),
        ("rate_if_unknown_foreign", _("Rate if unknown foreign")),
    ]


def print_status(catalog: Catalog, policy: PolicyProfile, figures: Mapping[str, Any]) -> None:
    """The status figures as tables, for people."""
    count = figures["localization_rate"]
    value = figures["localization_rate_by_value"]
    system = figures["localization_rate_by_system"]
    bases = {
        _("by count"): count["overall"],
        _("by value"): value["overall"],
        _("by business system"): system["overall"],
    }
    emit_table(
        _rows(bases, "basis"),
        _columns("basis", _("Basis")),
        title=_("Localization rate as of {date} (catalog {revision})").format(
            date=figures["as_of"], revision=figures["catalog_revision"]
        ),
    )
    layers = {key: layer_label(catalog, key) for key in count["by_layer"]}
    emit_table(
        _rows(count["by_layer"], "layer", layers),
        _columns("layer", _("Layer")),
        title=_("By layer"),
    )
    emit_table(_rows(count["by_unit"], "unit"), _columns("unit", _("Unit")), title=_("By unit"))
    emit_table(
        _rows(count["by_tier"], "tier", {t: tier_label(policy, t) for t in count["by_tier"]}),
        _columns("tier", _("Tier")),
        title=_("By 2+8+N tier"),
    )
    console = stdout()
    console.print(
        _(
            "By value: {with_value} counted items have a value, {without} have none "
            "(not in the value basis)."
        ).format(with_value=value["items_with_value"], without=value["items_without_value"]),
        markup=False,
    )
    listed = figures["listed"]
    console.print(
        _(
            "Of {domestic} domestic items: {current} on a current published list, "
            "{expired} listed but expired, {unknown} listed with no stated validity, "
            "{never} with no listing recorded (list status unknown)."
        ).format(
            domestic=listed["domestic"],
            current=listed["current"],
            expired=listed["expired"],
            unknown=listed["validity_unknown"],
            never=listed["no_listing_recorded"],
        ),
        markup=False,
    )
    not_counted = figures["not_counted"]
    parts = [f"{layer_label(catalog, layer)}: {n}" for layer, n in not_counted["layers"].items()]
    parts.append(
        _("unidentified components and packages: {n}").format(
            n=not_counted["unidentified_components"]
        )
    )
    console.print(_("Not counted: {parts}").format(parts="; ".join(parts)), markup=False)
    points = figures.get("trend") or []
    if len(points) > 1:
        emit_table(
            [
                {
                    "as_of": p["as_of"],
                    "label": p["label"] if p["snapshot"] is not None else _("now"),
                    "rate": percent(p["rate"]),
                    "rate_by_value": percent(p["rate_by_value"]),
                    "rate_by_system": percent(p["rate_by_system"]),
                    "change": "—" if p["change"] is None else f"{p['change'] * 100:+.1f}",
                }
                for p in points
            ],
            [
                ("as_of", _("As of")),
                ("label", _("Snapshot")),
                ("rate", _("By count")),
                ("rate_by_value", _("By value")),
                ("rate_by_system", _("By system")),
                ("change", _("Change (points)")),
            ],
            title=_("Trend"),
        )


def status_cmd(
    workspace: WorkspaceOpt = Path("."),
    fmt: FormatOpt = Format.TABLE,
    as_of: AsOfOpt = None,
    catalog: CatalogOpt = None,
) -> None:
    """The localization rate overall, per layer, unit and tier, on three bases, with the trend."""
    date = parse_date(as_of)
    with open_workspace(workspace, catalogs=[str(c) for c in catalog or []]) as ws:
        current = status(ws, as_of=date)
        figures = current.figures
        if fmt is Format.JSON:
            emit_json(figures)
        else:
            print_status(ws.catalog, policy_of(ws), figures)


def snapshot_cmd(
    workspace: WorkspaceOpt = Path("."),
    label: Annotated[
        str | None, typer.Option("--label", help=_("A name for the snapshot, e.g. 2026-Q2."))
    ] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.TABLE,
    catalog: CatalogOpt = None,
) -> None:
    """Freeze today's figures (or those of --as-of) so that later runs show the trend."""
    date = parse_date(as_of)
    with open_workspace(workspace, catalogs=[str(c) for c in catalog or []]) as ws:
        saved = take_snapshot(ws, label=label, as_of=date)
    if fmt is Format.JSON:
        emit_json(saved)
        return
    typer.echo(
        _(
            "Snapshot {id} as of {date}{label}: {rate} by count, {value} by value, "
            "{system} by business system."
        ).format(
            id=saved["snapshot"],
            date=saved["as_of"],
            label=f" ({label})" if label else "",
            rate=percent(saved["localization_rate"]["rate"]),
            value=percent(saved["localization_rate_by_value"]["rate"]),
            system=percent(saved["localization_rate_by_system"]["rate"]),
        )
    )
