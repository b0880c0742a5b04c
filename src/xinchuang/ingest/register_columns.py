"""Asset-register columns: which header means which field, and what one row yields.

CMDBs and finance departments export registers with whatever headers their
system uses (资产编号, 资产编码, 固定资产编号, Asset Tag …), in full-width or
half-width characters, with units in the header (``采购金额(元)``,
``原值（万元）``) and qualifiers in front (``服务器序列号``). Headers are
normalized (NFKC, case-folded, spaces and punctuation dropped, the bracketed
unit taken apart) and looked up in one synonym table; ``--map
"Header=field,…"`` (``ReadOptions.column_map``) overrides or adds to it.

One register row can yield several records: the machine itself, its CPU, its
OS, and the software it lists. Registers of software licences (a software name
and a version, no machine columns) yield one ``software`` record per row,
belonging to no host.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import chain, islice
from typing import Any, Literal

from rapidfuzz import process

from xinchuang.errors import DataError, Issue, UsageError
from xinchuang.i18n import _
from xinchuang.ingest.base import ReadOptions
from xinchuang.models.asset import AssetKind, AssetRecord, HostKey, Provenance

IGNORE = "ignore"


def _words(text: str, separator: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(separator))


# field -> header synonyms, most specific first (when two columns map to one
# field, the one whose synonym comes first wins; the other is the fallback).
_SYNONYM_TEXT: dict[str, str] = {
    "asset_no": (
        "资产编号|资产编码|固定资产编号|固定资产编码|资产卡片编号|卡片编号|资产标签号|资产标签|资产代码|资产号|设备编号"
        "|设备编码|财务编号|asset no|asset number|asset id|asset tag"
        "|asset code|asset #|asset|tag|ci id"
    ),
    "name": (
        "设备名称|资产名称|固定资产名称|设备名|品名|名称|产品名称|name|asset name|device name"
        "|item name|item|ci name|display name"
    ),
    "category": (
        "设备类型|资产类别|资产类型|设备类别|资产分类|设备分类|类别|类型|分类|category|type"
        "|asset type|device type|asset class|class|ci class|ci type"
    ),
    "machine_type": ("物理/虚拟|物理机/虚拟机|机器类型|machine type|physical/virtual"),
    "vendor": (
        "品牌|厂商|生产厂家|生产厂商|制造商|制造厂商|厂家|品牌厂商|设备厂商|brand|vendor"
        "|manufacturer|make|maker"
    ),
    "model": (
        "型号|规格型号|型号规格|设备型号|规格|model|model no|model number"
        "|product model|specification|spec"
    ),
    "serial": (
        "序列号|设备序列号|sn|序列号sn|sn码|出厂编号|serial|serial no|serial number|service tag|s/n"
    ),
    "hostname": (
        "主机名|主机名称|计算机名|计算机名称|机器名|hostname|host name|host"
        "|computer name|device hostname|dns name|fqdn"
    ),
    "ip": ("ip地址|ip|ip address|管理ip|业务ip|ipv4|ipv4地址|primary ip"),
    "mac": ("mac地址|mac|mac address|物理地址"),
    "cpu": ("cpu型号|处理器型号|cpu|处理器|cpu类型|cpu model|cpu type|processor|processor model"),
    "arch": ("cpu架构|架构|体系结构|指令集|arch|architecture|cpu arch"),
    "os": ("操作系统|操作系统名称|系统|os|os name|operating system|操作系统类型"),
    "os_version": ("操作系统版本|系统版本|os version|operating system version"),
    "software": (
        "软件名称|软件|软件名|软件产品|已安装软件|安装软件|应用软件|software|software name"
        "|application|application name|program"
    ),
    "software_vendor": ("软件厂商|软件开发商|开发商|软件供应商|publisher|software vendor"),
    "version": ("版本|版本号|软件版本|version|ver|release|software version"),
    "department": ("使用部门|部门|所属部门|使用科室|管理部门|归属部门|department|dept"),
    "unit": (
        "所属单位|单位|使用单位|单位名称|所属机构|机构|机构名称|分支机构|unit|organization"
        "|organisation|org|branch|entity|company"
    ),
    "value": (
        "采购金额|资产原值|原值|账面原值|购置金额|入账金额|合同金额|金额|采购价格|购置价格|价格|价值|value"
        "|cost|purchase price|purchase value|amount|book value"
        "|original value|price"
    ),
    "currency": ("币种|货币|currency"),
    "quantity": (
        "数量|台数|套数|授权数|授权数量|许可数|许可数量|quantity|qty|count|licenses"
        "|licences|license count|seats"
    ),
    "purchase_date": (
        "购置日期|采购日期|入账日期|购买日期|启用日期|purchase date|acquisition date|acquired"
    ),
    "location": ("存放地点|存放位置|位置|所在位置|机房|location|site"),
    "owner": ("使用人|责任人|保管人|owner|user|custodian|assigned to"),
    IGNORE: (
        "计量单位|累计折旧|净值|净额|残值|折旧年限|单价|备注|状态|使用状态|unit of measure"
        "|uom|depreciation|net value|remark|remarks|note|notes"
        "|comment|status"
    ),
}
SYNONYMS: dict[str, tuple[str, ...]] = {f: _words(t, "|") for f, t in _SYNONYM_TEXT.items()}

FIELDS = tuple(sorted(f for f in SYNONYMS if f != IGNORE))
NAME_LIKE = ("name", "software", "hostname")
# Columns that only a machine has: a sheet with none of them lists software licences.
_MACHINE_ONLY = ("hostname", "serial", "model", "cpu", "os", "os_version", "ip", "mac", "arch")
# Qualifiers put in front of a known header: 服务器序列号, 主机IP, 设备品牌 …
_QUALIFIERS = _words(
    "固定资产 资产 设备 服务器 主机 终端 计算机 电脑 device asset server host computer"
)

_STRIP = re.compile(r"[\s_\-./\\:：*＊#'\"“”‘’·•()\[\]{}<>【】《》]+")
_BRACKETED = re.compile(r"[(\[【{<《]([^()\[\]【】{}<>《》]*)[)\]】}>》]")
_BLANK_VALUES = frozenset(
    ("", *_words("- -- — / \\ 无 空 n/a na null none nil #n/a #ref! #value! #name? #div/0! #null!"))
)
_TOTAL_LABELS = frozenset({"合计", "总计", "小计", "共计", "total", "subtotal", "grandtotal"})
_SOFTWARE_CATEGORIES = ("软件", "software", "licen", "许可", "授权", "正版")
_CJK_VIRTUAL = ("虚拟", "云主机", "云服务器")
_CJK_PHYSICAL = ("物理", "服务器", "台式", "笔记本", "终端", "一体机", "工作站", "计算机", "电脑")
_LIST_SEPARATORS = re.compile(r"[;；、|\n]+")


def header_key(text: str) -> str:
    """The lookup form of a header: NFKC, case-folded, units and punctuation dropped."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    folded = _STRIP.sub("", _BRACKETED.sub("", folded))
    # Removing characters can leave a base and a combining mark side by side: compose again.
    return unicodedata.normalize("NFKC", folded)


def header_unit(text: str) -> str | None:
    """The unit written in a header's brackets (``采购金额(元)`` -> ``元``), if any."""
    found = _BRACKETED.findall(unicodedata.normalize("NFKC", text))
    return found[-1].strip() if found else None


_LOOKUP: dict[str, tuple[str, int]] = {}
for _field, _names in SYNONYMS.items():
    for _rank, _name in enumerate(_names):
        _LOOKUP.setdefault(header_key(_name), (_field, _rank))


def lookup(header: str) -> tuple[str, int] | None:
    """(field, rank) for a header, trying it as written and without a qualifier in front."""
    key = header_key(header)
    if not key:
        return None
    if key in _LOOKUP:
        return _LOOKUP[key]
    for qualifier in _QUALIFIERS:
        if key.startswith(qualifier) and key[len(qualifier) :] in _LOOKUP:
            return _LOOKUP[key[len(qualifier) :]]
    return None


def parse_column_map(text: str) -> dict[str, str]:
    """Parse ``--map "Header=field,Other=field"`` into ``{header: field}``, checking each field."""
    mapping: dict[str, str] = {}
    for part in re.split(r"[,，]", text):
        if not part.strip():
            continue
        header, sep, target = part.rpartition("=")
        if not sep or not header.strip() or not target.strip():
            raise UsageError(
                _("--map expects Header=field pairs separated by commas, got {part!r}").format(
                    part=part.strip()
                ),
                tip=_("fields: {fields}").format(fields=", ".join((*FIELDS, IGNORE))),
            )
        mapping[header.strip()] = check_field(target.strip())
    return mapping


def check_field(name: str) -> str:
    """A --map target, or a UsageError with 'did you mean'."""
    key = name.strip().casefold().replace("-", "_")
    if key in FIELDS or key == IGNORE:
        return key
    guess = process.extractOne(key, [*FIELDS, IGNORE])
    hint = _("; did you mean {guess!r}?").format(guess=guess[0]) if guess and guess[1] >= 60 else ""
    raise UsageError(
        _("unknown register field {name!r} in --map{hint}").format(name=name, hint=hint),
        tip=_("fields: {fields}").format(fields=", ".join((*FIELDS, IGNORE))),
    )


@dataclass
class ColumnMapping:
    """What each column of one header row means."""

    headers: list[str]  # as written, made unique (a repeated header gets " (2)")
    fields: dict[str, list[int]] = field(default_factory=dict)  # field -> columns, best first
    value_scale: Decimal = Decimal(1)
    currency: str | None = None
    recognized: int = 0  # columns whose header means something (ignored ones included)
    overridden: set[str] = field(default_factory=set)  # --map keys that matched a header

    def has(self, name: str) -> bool:
        """True when some column maps to ``name``."""
        return name in self.fields

    def has_name(self) -> bool:
        """True when a column can name a record."""
        return any(self.has(f) for f in NAME_LIKE)

    def is_licence_register(self) -> bool:
        """No machine-only column: each row is a software licence, not a machine."""
        if any(self.has(f) for f in _MACHINE_ONLY):
            return False
        return self.has("software") or self.has("version")


def _unique_headers(headers: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    out: list[str] = []
    for index, header in enumerate(headers):
        text = header.strip() or f"#{index + 1}"
        count = seen.get(text, 0) + 1
        seen[text] = count
        out.append(text if count == 1 else f"{text} ({count})")
    return out


_CURRENCY_UNITS: dict[str, tuple[Decimal, str]] = {
    "元": (Decimal(1), "CNY"),
    "人民币": (Decimal(1), "CNY"),
    "人民币元": (Decimal(1), "CNY"),
    "rmb": (Decimal(1), "CNY"),
    "cny": (Decimal(1), "CNY"),
    "¥": (Decimal(1), "CNY"),
    "万元": (Decimal(10000), "CNY"),
    "万": (Decimal(10000), "CNY"),
    "人民币万元": (Decimal(10000), "CNY"),
    "usd": (Decimal(1), "USD"),
    "$": (Decimal(1), "USD"),
    "美元": (Decimal(1), "USD"),
    "eur": (Decimal(1), "EUR"),
    "欧元": (Decimal(1), "EUR"),
}


def map_headers(headers: Sequence[str], overrides: Mapping[str, str]) -> ColumnMapping:
    """Map one header row; ``overrides`` (header -> field) win over the synonym table."""
    override_keys = {header_key(h): check_field(f) for h, f in overrides.items()}
    mapping = ColumnMapping(headers=_unique_headers(headers))
    ranked: dict[str, list[tuple[int, int]]] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        if not key:
            continue
        if key in override_keys:
            target, rank = override_keys[key], -1
            mapping.overridden.add(key)
        else:
            found = lookup(header)
            if found is None:
                continue
            target, rank = found
        mapping.recognized += 1
        if target == IGNORE:
            continue
        ranked.setdefault(target, []).append((rank, index))
        if target == "value":
            unit = header_unit(header)
            scale = _CURRENCY_UNITS.get((unit or "").casefold().replace(" ", ""))
            if scale is not None:
                mapping.value_scale, mapping.currency = scale
            elif unit is None and re.search(r"[\u4e00-\u9fff]", header):
                # A Chinese register's 金额/原值 without a unit is in yuan by convention.
                mapping.currency = "CNY"
    mapping.fields = {name: [i for _, i in sorted(cols)] for name, cols in ranked.items()}
    return mapping


def find_header_row(
    rows: Sequence[Sequence[str]], overrides: Mapping[str, str]
) -> tuple[int, ColumnMapping] | None:
    """The header among the first rows (title rows may sit above it): the row most columns name.

    A header needs a name-like column and at least two recognized ones (one
    suffices when the user mapped it); the earliest best row wins.
    """
    best: tuple[int, int, ColumnMapping] | None = None
    for index, row in enumerate(rows):
        if sum(1 for cell in row if cell.strip()) < 1:
            continue
        mapping = map_headers(row, overrides)
        enough = mapping.recognized >= 2 or (mapping.overridden and mapping.recognized >= 1)
        if not (enough and mapping.has_name()):
            continue
        if best is None or mapping.recognized > best[1]:
            best = (index, mapping.recognized, mapping)
    return (best[0], best[2]) if best else None


def no_header_error(file: str, seen: Sequence[tuple[str | None, Sequence[str]]]) -> DataError:
    """The error for a file in which no row names a record, listing the headers seen."""
    shown = []
    for sheet, headers in seen:
        cells = ", ".join(h for h in headers if h.strip()) or _("(empty)")
        shown.append(f"[{sheet}] {cells}" if sheet else cells)
    issue = Issue(
        file,
        _(
            "no name-like column (设备名称/资产名称, 软件名称, 主机名, name, software, hostname) "
            "in the header; headers seen: {headers}"
        ).format(headers="; ".join(shown) or _("none")),
        "IMP201",
    )
    return DataError(
        str(issue),
        [issue],
        tip=_('name the columns with --map "Header=name,Other=software"'),
    )


def is_blank(text: str) -> bool:
    """True for an empty cell or a placeholder that means empty (-, /, 无, N/A, #N/A …)."""
    return text.strip().casefold() in _BLANK_VALUES


def is_total_label(text: str) -> bool:
    """True for the label of a totals row (合计, 小计, Total …), which is no asset."""
    return header_key(text) in _TOTAL_LABELS


def parse_amount(text: str) -> Decimal | None:
    """A money amount as exports write it (``¥12,345.00``, ``12345元``, ``1.2万``), or None."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    cleaned = cleaned.removeprefix("¥").removeprefix("￥").removeprefix("RMB").removeprefix("$")
    scale = Decimal(1)
    for suffix, factor in (("万元", 10000), ("万", 10000), ("元", 1)):
        if cleaned.endswith(suffix):
            cleaned, scale = cleaned[: -len(suffix)], Decimal(factor)
            break
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    return amount * scale


class RowInterpreter:
    """Turns the cells of one register row into records, under one header mapping."""

    def __init__(
        self, mapping: ColumnMapping, file: str, sheet: str | None, options: ReadOptions
    ) -> None:
        self.mapping = mapping
        self.file = file
        self.sheet = sheet
        self.options = options
        self.licence_register = mapping.is_licence_register()

    def get(self, cells: Sequence[str], name: str) -> str | None:
        """The first non-blank cell of the columns mapped to ``name``, whitespace collapsed."""
        for index in self.mapping.fields.get(name, ()):
            if index < len(cells) and not is_blank(cells[index]):
                return " ".join(cells[index].split())
        return None

    def _reject(
        self,
        row: int,
        message: str,
        *,
        column: int | None = None,
        value: str | None = None,
        code: str = "IMP202",
    ) -> None:
        position = f"[{self.sheet}] row {row}" if self.sheet else f"row {row}"
        header = self.mapping.headers[column] if column is not None else None
        self.options.reject(
            Issue(self.file, message, code, field=header, value=value, position=position)
        )

    def records(self, cells: Sequence[str], row: int) -> list[AssetRecord]:
        """Every record of one row (none for a blank or a totals row; bad rows are rejected)."""
        filled = [c for c in cells if not is_blank(c)]
        if not filled or is_total_label(filled[0]):
            return []
        amount = self._value(cells, row)
        if amount is False:
            return []
        get = self.get
        provenance = Provenance(self.file, self.sheet, row)
        unit, department = get(cells, "unit"), get(cells, "department")
        raw = {
            header: cells[i].strip()
            for i, header in enumerate(self.mapping.headers)
            if i < len(cells) and cells[i].strip()
        }

        def make(kind: AssetKind, name: str, **facts: Any) -> AssetRecord:
            return AssetRecord(
                kind=kind,
                name=name,
                provenance=provenance,
                unit=unit,
                department=department,
                **facts,
            )

        currency = None
        if amount is not None:
            currency = get(cells, "currency") or self.mapping.currency
        category = get(cells, "category") or ""
        software, name = get(cells, "software"), get(cells, "name")
        key = HostKey(get(cells, "asset_no"), get(cells, "serial"), get(cells, "hostname"))
        machine_facts = any(get(cells, f) for f in _MACHINE_ONLY)
        if (
            self.licence_register
            or any(word in category.casefold() for word in _SOFTWARE_CATEGORIES)
            or (software and not name and not machine_facts and key.is_empty())
        ):
            title = software or name
            if title is None:
                self._reject(row, _("row has no software name"))
                return []
            return [
                make(
                    AssetKind.SOFTWARE,
                    title,
                    version=get(cells, "version"),
                    vendor=get(cells, "software_vendor") or get(cells, "vendor"),
                    value=amount,
                    currency=currency,
                    raw=raw,
                )
            ]

        vendor, model = get(cells, "vendor"), get(cells, "model")
        title = (
            name
            or key.hostname
            or " ".join(p for p in (vendor, model) if p)
            or key.asset_no
            or key.serial
        )
        if not title:
            self._reject(
                row,
                _(
                    "row names no machine and no software (no name, hostname, "
                    "model, asset number or serial)"
                ),
            )
            return []
        arch = get(cells, "arch")
        out = [
            make(
                AssetKind.MACHINE,
                title,
                host=key,
                vendor=vendor,
                dmi_vendor=vendor,
                dmi_product=model,
                arch=arch,
                machine_type=machine_type(get(cells, "machine_type"), category),
                value=amount,
                currency=currency,
                raw=raw,
            )
        ]
        cpu = get(cells, "cpu")
        if cpu:
            out.append(make(AssetKind.CPU, cpu, host=key, arch=arch))
        os_name = get(cells, "os")
        if os_name:
            out.append(make(AssetKind.OS, os_name, host=key, version=get(cells, "os_version")))
        if software:
            names = [s.strip() for s in _LIST_SEPARATORS.split(software) if not is_blank(s)]
            version = get(cells, "version") if len(names) == 1 else None
            vendor_of_software = get(cells, "software_vendor")
            out.extend(
                make(AssetKind.SOFTWARE, item, host=key, version=version, vendor=vendor_of_software)
                for item in names
            )
        return out

    def _value(self, cells: Sequence[str], row: int) -> Decimal | Literal[False] | None:
        """The row's value, None when blank, False when the row was rejected."""
        for index in self.mapping.fields.get("value", ()):
            if index >= len(cells) or is_blank(cells[index]):
                continue
            amount = parse_amount(cells[index])
            if amount is None or amount < 0:
                self._reject(
                    row,
                    _("not an amount of money"),
                    column=index,
                    value=cells[index],
                    code="IMP203",
                )
                return False
            return amount * self.mapping.value_scale
        return None


_ASCII_VIRTUAL = frozenset({"virtual", "vm", "ecs", "vps"})
_ASCII_PHYSICAL = frozenset(
    {"physical", "server", "desktop", "laptop", "notebook", "workstation", "pc", "thin"}
)


def machine_type(explicit: str | None, category: str) -> str | None:
    """``virtual`` or ``physical`` from a machine-type or category cell, or None when unsaid."""
    for text in (explicit or "", category):
        folded = unicodedata.normalize("NFKC", text).casefold()
        words = set(re.findall(r"[a-z]+", folded))
        if words & _ASCII_VIRTUAL or any(w in folded for w in _CJK_VIRTUAL):
            return "virtual"
        if words & _ASCII_PHYSICAL or any(w in folded for w in _CJK_PHYSICAL):
            return "physical"
    return None


def unmatched_overrides(overrides: Mapping[str, str], matched: set[str]) -> list[str]:
    """The --map headers that matched no header row."""
    return [h for h in overrides if header_key(h) not in matched]


def unmatched_override_error(file: str, missing: Sequence[str], seen: Sequence[str]) -> DataError:
    """--map named a header the file does not have (a typo, most of the time)."""
    issue = Issue(
        file,
        _("--map names headers not in the file: {missing}; headers seen: {seen}").format(
            missing=", ".join(missing), seen=", ".join(s for s in seen if s.strip())
        ),
        "IMP204",
    )
    return DataError(str(issue), [issue])


HEADER_SCAN_ROWS = 30  # title rows above the header: a handful in practice


@dataclass
class RegisterScan:
    """What reading the tables of one file found: for the errors that need the whole file."""

    file: str
    options: ReadOptions
    tables: int = 0
    seen: list[tuple[str | None, list[str]]] = field(default_factory=list)
    matched_overrides: set[str] = field(default_factory=set)
    all_headers: list[str] = field(default_factory=list)

    def table(
        self, rows: Iterator[tuple[int, list[str]]], sheet: str | None
    ) -> Iterator[AssetRecord]:
        """Records of one table (a CSV file, a sheet); nothing if no row in it is a header."""
        head = list(islice(rows, HEADER_SCAN_ROWS))
        found = find_header_row([cells for _, cells in head], self.options.column_map)
        if found is None:
            first = next((cells for _, cells in head if any(c.strip() for c in cells)), [])
            self.seen.append((sheet, first))
            self.all_headers.extend(first)
            return
        index, mapping = found
        self.tables += 1
        self.matched_overrides |= mapping.overridden
        self.all_headers.extend(mapping.headers)
        interpreter = RowInterpreter(mapping, self.file, sheet, self.options)
        for number, cells in chain(head[index + 1 :], rows):
            yield from interpreter.records(cells, number)

    def finish(self) -> None:
        """Raise if no table had a header, or if --map named a header found nowhere."""
        if self.tables == 0:
            raise no_header_error(self.file, self.seen)
        missing = unmatched_overrides(self.options.column_map, self.matched_overrides)
        if missing:
            raise unmatched_override_error(self.file, missing, self.all_headers)
