"""The organization's business systems, from a YAML or CSV file.

CSV headers (English or Chinese, matched like register headers): ``system``
(系统名称), ``unit`` (所属单位), ``sector`` (行业, which decides the 2+8+N
tier), ``criticality`` (重要程度: high/medium/low or 高/中/低), ``hosts``
(asset ids from the registers), ``software`` and ``depends_on`` (依赖系统);
lists are separated by ``;`` (also ``；``, ``,``, ``、``). YAML holds the same
keys, either as a top-level list or under ``systems:``, lists as YAML lists or
as separated strings::

    systems:
      - name: 核心业务系统
        unit: 总行
        sector: 金融
        criticality: 高
        hosts: [JC-SRV-0001, JC-SRV-0002]
        depends_on: [统一认证平台]

A system without a name, with an unknown criticality, depending on itself or
named twice in one unit is a bad row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from xinchuang.errors import DataError, Issue
from xinchuang.filenames import shown
from xinchuang.i18n import _
from xinchuang.ingest.base import Reader, ReadOptions, Record
from xinchuang.ingest.register_columns import header_key
from xinchuang.ingest.register_csv import DELIMITERS, first_rows, sniff_text
from xinchuang.ingest.text import decode
from xinchuang.models.asset import Provenance, SystemRecord
from xinchuang.yaml_budget import measure

_COLUMN_TEXT: dict[str, str] = {
    "name": "系统名称|业务系统名称|业务系统|应用系统名称|应用系统|信息系统名称|系统|system|name"
    "|system name|business system|application",
    "unit": "所属单位|单位|使用单位|所属机构|机构|unit|organization|organisation|org|branch",
    "sector": "行业|所属行业|行业类别|sector|industry",
    "criticality": "重要程度|重要性|重要级别|重要等级|关键程度|criticality|importance|priority",
    "hosts": "主机|主机列表|部署主机|资产|资产编号|资产列表|服务器|hosts|host|assets|asset ids"
    "|asset_ids|servers",
    "software": "软件|软件名称|使用软件|软件列表|software|products",
    "depends_on": "依赖系统|依赖|上游系统|关联系统|depends_on|depends on|dependencies|requires",
}
COLUMNS: dict[str, tuple[str, ...]] = {
    name: tuple(header_key(h) for h in text.split("|")) for name, text in _COLUMN_TEXT.items()
}
_LOOKUP = {key: name for name, keys in COLUMNS.items() for key in keys}
CRITICALITY: dict[str, str] = {
    "high": "high", "h": "high", "高": "high", "critical": "high",
    "medium": "medium", "med": "medium", "m": "medium", "中": "medium",
    "low": "low", "l": "low", "低": "low",
}  # fmt: skip
_LIST = re.compile(r"[;；,，、\n]+")
_YAML_SUFFIXES = (".yaml", ".yml")
_SYSTEM_ONLY = ("criticality", "depends_on", "sector", "hosts")


def column_of(header: str) -> str | None:
    """The systems field a header names, or None."""
    return _LOOKUP.get(header_key(header))


def split_list(value: Any) -> list[str]:
    """A list cell (``a;b；c,d``) or a YAML list, as stripped non-empty strings."""
    if value is None:
        return []
    items = value if isinstance(value, list) else _LIST.split(str(value))
    return [text for text in (str(item).strip() for item in items) if text]


def _header_columns(cells: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = column_of(cell)
        if name and name not in found:
            found[name] = index
    return found


def _is_systems_header(cells: Sequence[str]) -> bool:
    columns = _header_columns(cells)
    return "name" in columns and any(c in columns for c in _SYSTEM_ONLY)


class SystemsReader(Reader):
    """Business systems: what they run on, what they depend on, their sector and criticality."""

    key = "systems"
    description = _("business systems file (YAML or CSV: system, unit, sector, criticality …)")
    patterns = ("systems*.csv", "systems*.yaml", "systems*.yml", "*.yaml", "*.yml")

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> float:
        """Sure when a YAML file lists systems, or a CSV header names system columns."""
        text = sniff_text(head)
        if text is None:
            return 0.0
        if path.suffix.lower() in _YAML_SUFFIXES:
            if re.search(r"^systems\s*:", text, re.MULTILINE) or re.search(
                r"^-\s+(name|system|系统名称)\s*:", text, re.MULTILINE
            ):
                return 0.9
            return 0.0
        lines = text.splitlines()[:30]
        for delimiter in DELIMITERS:
            if any(_is_systems_header(row) for row in first_rows("\n".join(lines), delimiter)):
                return 0.9
        return 0.0

    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield one SystemRecord per system; bad rows go to ``options.reject``."""
        display = shown(path)
        text, encoding = decode(path.read_bytes(), display)
        options.encoding = encoding
        if path.suffix.lower() in _YAML_SUFFIXES:
            entries = _yaml_entries(text, display)
        else:
            entries = _csv_entries(text, display)
        seen: set[tuple[str | None, str]] = set()
        for provenance, line, position, fields, raw in entries:
            record = _record(provenance, line, position, fields, raw, display, options)
            if record is None:
                continue
            key = (record.unit, record.name)
            if key in seen:
                options.reject(
                    Issue(
                        display,
                        _("system named twice"),
                        "IMP404",
                        line=line,
                        position=position,
                        field="system",
                        value=record.name,
                    )
                )
                continue
            seen.add(key)
            yield record


# (provenance, line or None, position, fields by column name, raw cells by header)
Entry = tuple[Provenance, int | None, str, dict[str, Any], dict[str, str]]


def _record(
    provenance: Provenance,
    line: int | None,
    position: str,
    fields: Mapping[str, Any],
    raw: dict[str, str],
    display: str,
    options: ReadOptions,
) -> SystemRecord | None:
    def reject(message: str, code: str, field: str, value: str | None = None) -> None:
        options.reject(
            Issue(display, message, code, line=line, position=position, field=field, value=value)
        )

    def text(name: str) -> str | None:
        value = fields.get(name)
        if value is None:
            return None
        cleaned = " ".join(str(value).split())
        return cleaned or None

    name = text("name")
    if name is None:
        reject(_("a system needs a name"), "IMP401", "system")
        return None
    criticality = text("criticality")
    if criticality is not None:
        normalized = CRITICALITY.get(criticality.casefold())
        if normalized is None:
            reject(
                _("criticality must be high, medium or low (高/中/低)"),
                "IMP402",
                "criticality",
                criticality,
            )
            return None
        criticality = normalized
    depends_on = split_list(fields.get("depends_on"))
    if name in depends_on:
        reject(_("a system cannot depend on itself"), "IMP403", "depends_on", name)
        return None
    return SystemRecord(
        name=name,
        provenance=provenance,
        unit=text("unit"),
        sector=text("sector"),
        criticality=criticality,
        hosts=split_list(fields.get("hosts")),
        software=split_list(fields.get("software")),
        depends_on=depends_on,
        raw=raw,
    )


def _no_name_column(display: str, headers: Sequence[str]) -> DataError:
    issue = Issue(
        display,
        _("no system-name column (系统名称, system, name); headers seen: {headers}").format(
            headers=", ".join(h for h in headers if h.strip()) or _("none")
        ),
        "IMP405",
    )
    return DataError(str(issue), [issue])


def _find_header(text: str) -> tuple[str, int] | None:
    """(delimiter, 0-based row) of the header naming the most system columns."""
    best: tuple[int, int, str, int] | None = None
    for order, delimiter in enumerate(DELIMITERS):
        for index, row in enumerate(first_rows(text, delimiter)):
            columns = _header_columns(row)
            if "name" in columns:
                score = (len(columns), -order)
                if best is None or score > (best[0], best[1]):
                    best = (score[0], score[1], delimiter, index)
                break
    return (best[2], best[3]) if best else None


def _csv_entries(text: str, display: str) -> Iterator[Entry]:
    found = _find_header(text)
    if found is None:
        first = next((line for line in text.splitlines() if line.strip()), "")
        raise _no_name_column(display, next(csv.reader([first]), []))
    delimiter, header_index = found
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    columns: dict[str, int] = {}
    try:
        for number, row in enumerate(reader, start=1):
            if number <= header_index:
                continue
            if number == header_index + 1:
                header, columns = row, _header_columns(row)
                continue
            if not any(cell.strip() for cell in row):
                continue
            raw = {h: c.strip() for h, c in zip(header, row, strict=False) if h and c.strip()}
            fields: dict[str, Any] = {name: row[i] for name, i in columns.items() if i < len(row)}
            yield Provenance(display, None, number), None, f"row {number}", fields, raw
    except csv.Error as exc:
        issue = Issue(
            display,
            _("malformed CSV ({reason})").format(reason=exc),
            "IMP207",
            line=reader.line_num,
        )
        raise DataError(str(issue), [issue]) from exc


def _yaml_entries(text: str, display: str) -> Iterator[Entry]:
    try:
        # libyaml's composer refuses absurd nesting itself; the Python one would recurse.
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except RecursionError as exc:
        issue = Issue(
            display,
            _("the YAML document {problem}").format(problem=_("nests too deeply")),
            "IMP407",
        )
        raise DataError(str(issue), [issue]) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        issue = Issue(
            display,
            _("YAML syntax error: {problem}").format(problem=exc.problem),
            "IMP406",
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        )
        raise DataError(str(issue), [issue]) from exc
    overgrown = measure(root)
    if overgrown is not None:
        issue = Issue(
            display,
            _("the YAML document {problem}").format(problem=overgrown.problem),
            "IMP407",
            line=overgrown.line,
            column=overgrown.column,
        )
        raise DataError(str(issue), [issue])
    items: yaml.Node | None = root
    if isinstance(root, yaml.MappingNode):
        items = next((v for k, v in root.value if getattr(k, "value", None) == "systems"), None)
    if not isinstance(items, yaml.SequenceNode):
        issue = Issue(
            display,
            _("expected a list of systems, or a 'systems:' list"),
            "IMP406",
            line=root.start_mark.line + 1 if root is not None else None,
        )
        raise DataError(str(issue), [issue])
    constructor = yaml.SafeLoader("")
    try:
        for index, node in enumerate(items.value):
            line = node.start_mark.line + 1
            position = f"systems[{index}]"
            value = constructor.construct_object(node, deep=True)
            if not isinstance(value, dict):
                issue = Issue(
                    display,
                    _("a system must be a mapping of keys to values"),
                    "IMP406",
                    line=line,
                    position=position,
                )
                raise DataError(str(issue), [issue])
            fields: dict[str, Any] = {}
            for key, item in value.items():
                fields.setdefault(column_of(str(key)) or str(key), item)
            raw = {
                str(k): ", ".join(map(str, v)) if isinstance(v, list) else str(v)
                for k, v in value.items()
                if v is not None and v != ""
            }
            provenance = Provenance(display, None, None, f"{position} line {line}")
            yield provenance, line, position, fields, raw
    finally:
        constructor.dispose()
