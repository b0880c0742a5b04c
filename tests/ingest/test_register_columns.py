"""Header auto-mapping and row interpretation shared by the CSV and XLSX register readers."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinchuang.errors import DataError, UsageError
from xinchuang.ingest.base import ReadOptions
from xinchuang.ingest.register_columns import (
    SYNONYMS,
    RowInterpreter,
    find_header_row,
    header_key,
    lookup,
    machine_type,
    map_headers,
    parse_amount,
    parse_column_map,
)
from xinchuang.models.asset import AssetKind


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("资产编号", "asset_no"),
        ("资产编码", "asset_no"),
        ("固定资产编号", "asset_no"),
        ("*资产编号", "asset_no"),
        ("Asset No.", "asset_no"),
        ("asset_tag", "asset_no"),
        ("设备名称", "name"),
        ("资产名称", "name"),
        ("品牌", "vendor"),
        ("生产厂家", "vendor"),
        ("Manufacturer", "vendor"),
        ("规格型号", "model"),
        ("序列号", "serial"),
        ("S/N", "serial"),
        ("SN", "serial"),
        ("服务器序列号", "serial"),
        ("计算机名", "hostname"),
        ("Host Name", "hostname"),
        ("IP地址", "ip"),
        ("主机IP", "ip"),
        ("CPU 型号", "cpu"),
        ("ＣＰＵ型号", "cpu"),
        ("处理器", "cpu"),
        ("操作系统", "os"),
        ("OS", "os"),
        ("操作系统版本", "os_version"),
        ("软件名称", "software"),
        ("版本号", "version"),
        ("使用部门", "department"),
        ("所属单位", "unit"),
        ("采购金额(元)", "value"),
        ("采购金额（元）", "value"),
        ("原值（万元）", "value"),
        ("资产原值", "value"),
        ("Purchase Price (CNY)", "value"),
        ("数量", "quantity"),
        ("设备类型", "category"),
        ("资产类别", "category"),
        ("计量单位", "ignore"),
        ("累计折旧", "ignore"),
    ],
)
def test_headers_as_exports_write_them(header: str, field: str) -> None:
    found = lookup(header)
    assert found is not None
    assert found[0] == field


def test_unknown_headers_map_to_nothing() -> None:
    assert lookup("毛重") is None
    assert lookup("") is None


def test_units_in_the_header_scale_the_value() -> None:
    mapping = map_headers(["设备名称", "原值（万元）"], {})
    assert mapping.value_scale == Decimal(10000)
    assert mapping.currency == "CNY"
    assert map_headers(["name", "Cost (USD)"], {}).currency == "USD"
    assert map_headers(["name", "cost"], {}).currency is None


def test_two_columns_for_one_field_prefer_the_more_specific_synonym() -> None:
    mapping = map_headers(["金额", "设备名称", "采购金额"], {})
    assert mapping.fields["value"] == [2, 0]


def test_header_row_below_title_rows() -> None:
    rows = [["江城市商业银行固定资产台账", "", ""], ["", "", ""], ["资产编号", "设备名称", "品牌"]]
    found = find_header_row(rows, {})
    assert found is not None
    assert found[0] == 2


def test_header_needs_a_name_like_column() -> None:
    assert find_header_row([["资产编号", "品牌", "金额"]], {}) is None


def test_map_override_adds_and_replaces() -> None:
    overrides = parse_column_map("卡片号=asset_no，资产描述=name,品牌=ignore")
    mapping = map_headers(["卡片号", "资产描述", "品牌"], overrides)
    assert mapping.fields == {"asset_no": [0], "name": [1]}


@pytest.mark.parametrize("text", ["no-equals", "=name", "Header="])
def test_map_syntax_errors(text: str) -> None:
    with pytest.raises(UsageError, match="--map expects"):
        parse_column_map(text)


def test_map_unknown_field_suggests_one() -> None:
    with pytest.raises(UsageError, match="did you mean 'hostname'"):
        parse_column_map("机器=hostnme")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("12000", Decimal(12000)),
        ("¥86,400.00", Decimal("86400.00")),
        ("￥1,200", Decimal(1200)),
        ("12345元", Decimal(12345)),
        ("1.5万", Decimal("15000.0")),
        ("３８００", Decimal(3800)),
        ("一万二", None),
        ("NaN", None),
    ],
)
def test_amounts(text: str, amount: Decimal | None) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("explicit", "category", "expected"),
    [
        (None, "虚拟机", "virtual"),
        (None, "云主机", "virtual"),
        (None, "VM", "virtual"),
        (None, "服务器", "physical"),
        (None, "台式机", "physical"),
        (None, "Laptop", "physical"),
        ("物理机", "", "physical"),
        (None, "打印机", None),
        (None, "", None),
    ],
)
def test_machine_type(explicit: str | None, category: str, expected: str | None) -> None:
    assert machine_type(explicit, category) == expected


def _interpret(headers: list[str], cells: list[str]) -> list[tuple[AssetKind, str]]:
    mapping = map_headers(headers, {})
    records = RowInterpreter(mapping, "f.csv", None, ReadOptions()).records(cells, 2)
    return [(r.kind, r.name) for r in records]


def test_one_row_yields_machine_cpu_os_and_software() -> None:
    headers = ["资产编号", "设备名称", "CPU型号", "操作系统", "已安装软件"]
    cells = ["A-1", "柜员终端", "Phytium D2000", "UOS 20", "WPS Office；奇安信天擎、Foxit Reader"]
    assert _interpret(headers, cells) == [
        (AssetKind.MACHINE, "柜员终端"),
        (AssetKind.CPU, "Phytium D2000"),
        (AssetKind.OS, "UOS 20"),
        (AssetKind.SOFTWARE, "WPS Office"),
        (AssetKind.SOFTWARE, "奇安信天擎"),
        (AssetKind.SOFTWARE, "Foxit Reader"),
    ]


def test_software_category_rows_are_software_without_host() -> None:
    mapping = map_headers(["资产编号", "资产名称", "资产类别", "原值"], {})
    interpreter = RowInterpreter(mapping, "f.csv", None, ReadOptions())
    (record,) = interpreter.records(["R-9", "WPS Office 2019 专业版", "正版软件", "320"], 5)
    assert record.kind is AssetKind.SOFTWARE
    assert record.host is None
    assert record.value == Decimal(320)


def test_totals_and_blank_rows_yield_nothing() -> None:
    assert _interpret(["设备名称", "金额"], ["合 计", "100"]) == []
    assert _interpret(["设备名称", "金额"], ["", "—"]) == []


def test_a_machine_without_a_name_falls_back_to_hostname_then_model() -> None:
    assert _interpret(["设备名称", "主机名"], ["", "jc-db-01"]) == [(AssetKind.MACHINE, "jc-db-01")]
    assert _interpret(["设备名称", "品牌", "型号", "序列号"], ["", "浪潮", "NF5280M5", "X1"]) == [
        (AssetKind.MACHINE, "浪潮 NF5280M5")
    ]


def test_bad_row_is_rejected_or_skipped() -> None:
    mapping = map_headers(["设备名称", "金额"], {})
    with pytest.raises(DataError, match=r"f\.csv:row 3: IMP203 金额: not an amount"):
        RowInterpreter(mapping, "f.csv", None, ReadOptions()).records(["服务器", "abc"], 3)
    options = ReadOptions(skip_bad_rows=True)
    assert RowInterpreter(mapping, "f.csv", "S1", options).records(["服务器", "abc"], 3) == []
    assert [i.position for i in options.skipped] == ["[S1] row 3"]


@given(st.text(max_size=30))
def test_header_key_is_idempotent_and_width_blind(text: str) -> None:
    key = header_key(text)
    assert header_key(key) == key
    assert header_key(unicodedata.normalize("NFKC", text)) == key


@given(st.sampled_from([s for names in SYNONYMS.values() for s in names]), st.booleans())
def test_every_synonym_survives_full_width_and_case(synonym: str, upper: bool) -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in synonym)
    variant = wide.upper() if upper else wide
    assert lookup(variant) == lookup(synonym)


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_amount_round_trips_through_export_formats(amount: Decimal) -> None:
    assert parse_amount(f"{amount:,}") == amount
    assert parse_amount(f"¥{amount}") == amount
