"""The XLSX workbook: one sheet per view, headers frozen, filters on, columns sized.

Written with XlsxWriter in constant-memory mode, row by row, so a large
inventory does not sit in memory twice. A sheet holds at most Excel's
1,048,576 rows; the overview says how many asset rows were cut to fit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from xinchuang.i18n import _
from xinchuang.report.data import ReportData
from xinchuang.report.labels import layer_label, tier_label, verdict_label

EXCEL_ROWS = 1_048_576
NUMBER_FORMATS = {"percent": "0.0%", "money": "#,##0.00", "int": "0", "days": "0.00"}
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a typed cell as a formula (OWASP, "CSV Injection")."""
MIN_WIDTH = 8
MAX_WIDTH = 60


@dataclass(frozen=True)
class Column:
    """A column: its header and its cells' format (None, "percent", "money", "int", "days")."""

    header: str
    style: str | None = None


@dataclass(frozen=True)
class Sheet:
    """A sheet another stage adds (the scanner's findings): written after the views above.

    ``rows`` may be a generator: it is read once, row by row, as the sheet is written.
    """

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    aside: Sequence[tuple[str, Any]] = ()


def sheet_name(name: str) -> str:
    """A legal, at most 31-character sheet name."""
    return re.sub(r"[\[\]:*?/\\]", "-", name)[:31]


def _display_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _Writer:
    def __init__(self, path: Path) -> None:
        self.book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        self.styles = {
            "header": self.book.add_format({"bold": True, "bg_color": "#F0F2F5", "bottom": 1}),
            **{
                name: self.book.add_format({"num_format": number_format})
                for name, number_format in NUMBER_FORMATS.items()
            },
        }

    def table(
        self,
        name: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Any]],
        *,
        aside: Sequence[tuple[str, Any]] = (),
    ) -> None:
        sheet = self.book.add_worksheet(sheet_name(name))
        widths = [_display_width(c.header) + 2 for c in columns]

        def beside(row: int) -> None:
            # a small key/value block to the right of the table, outside its filter; written
            # with its row, because constant-memory mode drops cells of rows already flushed
            if row < len(aside):
                key, value = aside[row]
                sheet.write_string(row, len(columns) + 1, key, self.styles["header"])
                self._cell(sheet, row, len(columns) + 2, value, None)

        for col, column in enumerate(columns):
            sheet.write_string(0, col, column.header, self.styles["header"])
        beside(0)
        written = 0
        for row in rows:
            if written + 1 >= EXCEL_ROWS:
                break
            written += 1
            for col, (column, value) in enumerate(zip(columns, row, strict=True)):
                self._cell(sheet, written, col, value, column.style)
                widths[col] = max(widths[col], _display_width(value))
            beside(written)
        for offset in range(written + 1, len(aside)):
            beside(offset)
        if aside:
            sheet.set_column(len(columns) + 1, len(columns) + 1, 28)
            sheet.set_column(len(columns) + 2, len(columns) + 2, 40)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, min(MAX_WIDTH, max(MIN_WIDTH, width + 1)))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(written, 1), len(columns) - 1)

    def _cell(self, sheet: Any, row: int, col: int, value: Any, style: str | None) -> None:
        fmt = self.styles.get(style) if style else None
        if value is None:
            sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value)
        elif isinstance(value, int | float | Decimal):
            sheet.write_number(row, col, float(value), fmt)
        else:
            # write_string, never write(): a name like "=HYPERLINK(...)" stays text. Excel and
            # WPS still evaluate it once someone edits the cell, unless the cell carries the
            # quote prefix (Excel's hidden leading apostrophe): text that a spreadsheet would
            # read as a formula gets it (OWASP, "CSV Injection").
            text = str(value)
            if text.startswith(FORMULA_LEADS):
                fmt = self._quoted(style)
            sheet.write_string(row, col, text, fmt)

    def _quoted(self, style: str | None) -> Any:
        key = f"quoted:{style or ''}"
        if key not in self.styles:
            properties: dict[str, Any] = {"quote_prefix": True}
            if style in NUMBER_FORMATS:
                properties["num_format"] = NUMBER_FORMATS[style]
            self.styles[key] = self.book.add_format(properties)
        return self.styles[key]

    def close(self) -> None:
        self.book.close()


def _rate_columns(first: str) -> list[Column]:
    return [
        Column(_("Key")),
        Column(first),
        Column(_("Domestic"), "int"),
        Column(_("Foreign"), "int"),
        Column(_("Unknown"), "int"),
        Column(_("Rate"), "percent"),
        Column(_("Rate if unknown foreign"), "percent"),
        Column(_("Domestic value"), "money"),
        Column(_("Foreign value"), "money"),
        Column(_("Unknown value"), "money"),
        Column(_("Rate by value"), "percent"),
    ]


def _rate_rows(
    count: Mapping[str, Mapping[str, Any]],
    value: Mapping[str, Mapping[str, Any]],
    labels: Mapping[str, str],
) -> list[list[Any]]:
    rows = []
    for key, view in count.items():
        money = value.get(key, {})
        rows.append(
            [
                key,
                labels.get(key, key),
                view["domestic"],
                view["foreign"],
                view["unknown"],
                view["rate"],
                view["rate_if_unknown_foreign"],
                money.get("domestic"),
                money.get("foreign"),
                money.get("unknown"),
                money.get("rate"),
            ]
        )
    return rows


def write_xlsx(path: Path, data: ReportData, extra_sheets: Iterable[Sheet] = ()) -> Path:
    """Write the workbook to ``path``: the localization views, then any other sheets given."""
    figures = data.figures
    count = figures["localization_rate"]
    value = figures["localization_rate_by_value"]
    system = figures["localization_rate_by_system"]
    catalog, policy = data.catalog, data.policy
    writer = _Writer(path)
    try:
        overview_aside: list[tuple[str, Any]] = [
            (_("Workspace"), data.workspace),
            (_("As of"), figures["as_of"]),
            (_("Catalog revision"), figures["catalog_revision"]),
            (_("Policy profile"), policy.id),
            (_("Generated"), data.generated_at.isoformat(timespec="seconds")),
            (_("Counted items"), figures["counted_items"]),
            (_("Items with a value"), value["items_with_value"]),
            (_("Items without a value"), value["items_without_value"]),
            (_("Business systems"), system["systems"]),
            (_("Domestic items on a current list"), figures["listed"]["current"]),
            (_("Domestic items whose listing expired"), figures["listed"]["expired"]),
            (
                _("Domestic items listed, validity not stated"),
                figures["listed"]["validity_unknown"],
            ),
            (
                _("Domestic items with no listing recorded"),
                figures["listed"]["no_listing_recorded"],
            ),
            (
                _("Unidentified components and packages"),
                figures["not_counted"]["unidentified_components"],
            ),
        ]
        cut = len(data.result.items) - (EXCEL_ROWS - 1)
        if cut > 0:
            overview_aside.append((_("Asset rows cut at Excel's row limit"), cut))
        overview_aside += [
            (_("Not counted: {layer}").format(layer=layer_label(catalog, layer)), n)
            for layer, n in figures["not_counted"]["layers"].items()
        ]
        basis_rows = [
            [_("by count"), *(count["overall"][k] for k in _SHAPE)],
            [_("by value"), *(value["overall"][k] for k in _SHAPE)],
            [_("by business system"), *(system["overall"][k] for k in _SHAPE)],
        ]
        writer.table(
            _("Overview"),
            [
                Column(_("Basis")),
                Column(_("Domestic"), None),
                Column(_("Foreign"), None),
                Column(_("Unknown"), None),
                Column(_("Rate"), "percent"),
                Column(_("Rate if unknown foreign"), "percent"),
            ],
            basis_rows,
            aside=overview_aside,
        )
        writer.table(
            _("By layer"),
            _rate_columns(_("Layer")),
            _rate_rows(
                count["by_layer"],
                value["by_layer"],
                {k: layer_label(catalog, k) for k in count["by_layer"]},
            ),
        )
        writer.table(
            _("By unit"),
            _rate_columns(_("Unit")),
            _rate_rows(count["by_unit"], value["by_unit"], {}),
        )
        writer.table(
            _("By tier"),
            _rate_columns(_("Tier")),
            _rate_rows(
                count["by_tier"],
                value["by_tier"],
                {k: tier_label(policy, k) for k in count["by_tier"]},
            ),
        )
        writer.table(
            _("By system"),
            [
                Column(_("System")),
                Column(_("Unit")),
                Column(_("Sector")),
                Column(_("Tier")),
                Column(_("Criticality")),
                Column(_("Status")),
                Column(_("Hosts"), "int"),
                Column(_("Foreign")),
                Column(_("Unknown")),
            ],
            (
                [
                    s.name,
                    s.unit,
                    s.sector,
                    tier_label(policy, s.tier),
                    s.criticality,
                    verdict_label(s.domestic),
                    s.hosts,
                    "; ".join(s.foreign),
                    "; ".join(s.unknown),
                ]
                for s in data.result.systems
            ),
        )
        writer.table(
            _("Assets"),
            [
                Column(_("Records")),
                Column(_("Host")),
                Column(_("Unit")),
                Column(_("Tier")),
                Column(_("Layer")),
                Column(_("Counted")),
                Column(_("Name")),
                Column(_("Version")),
                Column(_("Product")),
                Column(_("Status")),
                Column(_("Listed")),
                Column(_("Confidence")),
                Column(_("Value"), "money"),
                Column(_("Currency")),
                Column(_("Source")),
            ],
            (
                [
                    ", ".join(str(r) for r in item.records),
                    item.host,
                    item.unit,
                    item.tier,
                    layer_label(catalog, item.layer),
                    _disposition(item.disposition),
                    item.name,
                    item.version,
                    item.product_id,
                    verdict_label(item.domestic),
                    item.listed,
                    item.confidence,
                    item.value,
                    item.currency,
                    item.source,
                ]
                for item in data.result.items
            ),
        )
        writer.table(
            _("Unknowns"),
            [
                Column(_("Name")),
                Column(_("Layer")),
                Column(_("Count"), "int"),
                Column(_("Counted")),
                Column(_("Units")),
            ],
            (
                [
                    u["name"],
                    layer_label(catalog, u["layer"]),
                    u["count"],
                    _("yes") if u["counted"] else _("no"),
                    ", ".join(u["units"]),
                ]
                for u in data.result.top_unknowns
            ),
        )
        for sheet in extra_sheets:
            writer.table(sheet.name, sheet.columns, sheet.rows, aside=sheet.aside)
    finally:
        writer.close()
    return path


_SHAPE = ("domestic", "foreign", "unknown", "rate", "rate_if_unknown_foreign")


def _disposition(disposition: str) -> str:
    if disposition == "counted":
        return _("counted")
    if disposition == "not-counted":
        return _("not counted")
    return _("unidentified component")
