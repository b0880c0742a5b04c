"""CSV/TSV asset registers: encodings, delimiters, title rows, errors."""

from __future__ import annotations

import codecs
import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinchuang.errors import DataError
from xinchuang.ingest.base import ReadOptions, Record
from xinchuang.ingest.register_columns import is_blank, is_total_label
from xinchuang.ingest.register_csv import CsvRegisterReader
from xinchuang.ingest.register_xlsx import XlsxRegisterReader
from xinchuang.ingest.rvtools import RvToolsReader
from xinchuang.ingest.systems import SystemsReader
from xinchuang.models.asset import AssetKind, AssetRecord, HostKey

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest" / "csv-register"


def read(name: str, **options: object) -> tuple[list[AssetRecord], ReadOptions]:
    opts = ReadOptions(**options)  # type: ignore[arg-type]
    records: list[Record] = list(CsvRegisterReader().read(FIXTURES / name, opts))
    assert all(isinstance(r, AssetRecord) for r in records)
    return [r for r in records if isinstance(r, AssetRecord)], opts


def test_gbk_export_with_chinese_headers_and_title_rows() -> None:
    records, options = read("register.gbk-chinese-headers.csv")
    assert options.encoding == "gb18030"
    machines = [r for r in records if r.kind is AssetKind.MACHINE]
    assert [m.name for m in machines] == [
        "核心数据库服务器",
        "办公电脑",
        "网银前置机",
        "柜面终端",
        "虚拟化平台-VM12",
    ]
    first = machines[0]
    assert first.host == HostKey("JC-2021-0001", "2102312ABC10K1000001", None)
    assert (first.vendor, first.dmi_product) == ("华为", "TaiShan 200 2280")
    assert (first.value, first.currency) == (Decimal("385000.0"), "CNY")
    assert (first.unit, first.department) == ("总行", "信息科技部")
    assert first.machine_type == "physical"
    assert first.provenance.row == 4
    assert first.raw["原值（万元）"] == "38.5"
    assert machines[3].value is None  # "-" means blank
    assert machines[4].machine_type == "virtual"
    by_host = {(r.kind, r.host.asset_no if r.host else None): r.name for r in records}
    assert by_host[(AssetKind.CPU, "JC-2021-0001")] == "Kunpeng 920-6426"
    assert by_host[(AssetKind.OS, "JC-2022-0107")] == "CentOS Linux 7.9"
    assert (AssetKind.OS, "JC-2023-0311") not in by_host  # blank OS cell: no record


def test_utf8_bom_semicolons_english_headers() -> None:
    records, options = read("register.utf8-bom-semicolon.csv")
    assert options.encoding == "utf-8-sig"
    machine = records[0]
    assert machine.kind is AssetKind.MACHINE
    assert machine.host == HostKey("AT-0001", "7XK2M93", "jc-app-01.jcbank.local")
    assert machine.value == Decimal("86400.00")
    assert machine.currency == "CNY"
    oses = [r for r in records if r.kind is AssetKind.OS]
    assert [(o.name, o.version) for o in oses] == [
        ("Red Hat Enterprise Linux", "7.9"),
        ("Kylin Linux Advanced Server", "V10 (Sword)"),
    ]


def test_utf16_bom_tab_separated_licence_register() -> None:
    records, options = read("licences.utf16-bom.tsv")
    assert options.encoding == "utf-16"
    assert all(r.kind is AssetKind.SOFTWARE and r.host is None for r in records)
    assert [(r.name, r.version, r.vendor) for r in records] == [
        ("WPS Office 2019 专业版", "11.8.2", "金山办公"),
        ("Microsoft Office 专业增强版 2016", "16.0", "Microsoft"),
        ("达梦数据库管理系统 V8", "8.1.3", "武汉达梦"),
    ]
    assert records[1].value == Decimal(91000)
    assert records[1].raw["授权数"] == "35"


def test_missing_header_lists_what_was_seen() -> None:
    with pytest.raises(DataError) as caught:
        read("register.missing-header.csv")
    message = str(caught.value)
    assert "register.missing-header.csv: IMP201 no name-like column" in message
    assert "序号, 规格, 数量, 金额" in message
    assert "\n" not in message


def test_bad_amount_refuses_or_skips() -> None:
    with pytest.raises(DataError, match=r"register\.bad-amount\.csv:row 3: IMP203 金额"):
        read("register.bad-amount.csv")
    records, options = read("register.bad-amount.csv", skip_bad_rows=True)
    assert [r.name for r in records] == ["服务器甲", "服务器丙"]
    assert [str(i) for i in options.skipped] == [
        f"{FIXTURES / 'register.bad-amount.csv'}:row 3: IMP203 金额: not an amount of money "
        "(got '一万二')"
    ]


def test_row_without_any_name() -> None:
    with pytest.raises(DataError, match=r"row 3: IMP202 row names no machine"):
        read("register.row-without-name.csv")


def test_unusual_headers_need_map() -> None:
    with pytest.raises(DataError, match="IMP201"):
        read("register.unusual-headers.csv")
    column_map = {"卡片号": "asset_no", "资产描述": "name", "所在网点": "unit", "账面金额": "value"}
    records, _ = read("register.unusual-headers.csv", column_map=column_map)
    assert [(r.name, r.host, r.unit, r.value) for r in records] == [
        ("财务一体机", HostKey("K-9001"), "西湖支行", Decimal(5200)),
        ("自助终端", HostKey("K-9002"), "西湖支行", Decimal(31000)),
    ]


def test_map_naming_an_absent_header_is_an_error() -> None:
    with pytest.raises(DataError, match=r"IMP204 --map names headers not in the file: 机器号"):
        read("register.gbk-chinese-headers.csv", column_map={"机器号": "asset_no"})


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("register.broken-utf16.csv", "invalid utf-16"),
        ("register.neither-utf8-nor-gb18030.csv", "neither UTF-8 nor GB18030"),
        ("register.utf16-without-bom.csv", "NUL characters"),
    ],
)
def test_undecodable_files(name: str, reason: str) -> None:
    with pytest.raises(DataError, match=reason) as caught:
        read(name)
    assert caught.value.issues[0].code == "IMP001"


@pytest.mark.parametrize(
    ("name", "code", "row"),
    [
        # An unclosed quote reads the next lines into one field: rows vanish silently.
        ("register.quote-swallows-rows.csv", "IMP208", 2),
        # A file cut inside a quoted field would store "Phyt" as a CPU.
        ("register.cut-inside-quote.csv", "IMP209", 3),
        # A file cut in the middle of a row would store a partial last row.
        ("register.cut-mid-row.csv", "IMP211", 3),
        ("register.more-fields-than-header.csv", "IMP210", 3),
    ],
)
def test_badly_framed_rows_are_refused_with_their_row(name: str, code: str, row: int) -> None:
    with pytest.raises(DataError) as caught:
        read(name)
    (issue,) = caught.value.issues
    assert (issue.code, issue.position) == (code, f"row {row}")
    assert name in str(caught.value)


def test_skip_bad_rows_lists_a_badly_framed_row_and_keeps_the_others() -> None:
    records, options = read("register.more-fields-than-header.csv", skip_bad_rows=True)
    assert [r.host.hostname for r in records if r.kind is AssetKind.MACHINE and r.host] == [
        "pc-01",
        "pc-03",
    ]
    assert [(i.code, i.position) for i in options.skipped] == [("IMP210", "row 3")]


def test_a_quoted_note_over_two_lines_is_one_field_and_rows_number_by_line() -> None:
    records, _ = read("register.multiline-note.csv")
    machines = [r for r in records if r.kind is AssetKind.MACHINE]
    assert [m.host.hostname for m in machines if m.host] == ["srv-05", "srv-06"]
    # srv-06 starts on line 4: its note above spans lines 2-3.
    assert [m.provenance.row for m in machines] == [2, 4]


_CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r\n"),
    max_size=12,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_CELL, min_size=4, max_size=4), min_size=1, max_size=12))
def test_rows_written_by_a_csv_writer_are_never_refused_for_framing(
    tmp_path: Path, rows: list[list[str]]
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["主机名", "品牌", "型号", "CPU"])
    writer.writerows(rows)
    path = tmp_path / "register.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    options = ReadOptions(skip_bad_rows=True)  # rows naming nothing are skipped (IMP202)
    list(CsvRegisterReader().read(path, options))
    assert not [i for i in options.skipped if i.code in {"IMP208", "IMP209", "IMP210", "IMP211"}]


@pytest.mark.parametrize(
    "name",
    [
        "register.gbk-chinese-headers.csv",
        "register.utf8-bom-semicolon.csv",
        "licences.utf16-bom.tsv",
    ],
)
def test_sniff_prefers_the_csv_register_reader(name: str) -> None:
    path = FIXTURES / name
    head = path.read_bytes()[:65536]
    scores = {
        reader.key: reader.sniff(path, head)
        for reader in (CsvRegisterReader, XlsxRegisterReader, RvToolsReader, SystemsReader)
    }
    assert max(scores, key=lambda k: scores[k]) == "csv-register"


def test_sniff_ignores_files_without_a_register_header() -> None:
    path = FIXTURES / "register.missing-header.csv"
    assert CsvRegisterReader.sniff(path, path.read_bytes()) == 0.0
    assert CsvRegisterReader.sniff(Path("x.json"), b'{"format": "xinchuang-host-scan"}') == 0.0


names = st.text(
    alphabet=st.characters(codec="gb18030", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() and not is_total_label(s))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(
    rows=st.lists(st.tuples(names, names), min_size=1, max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_round_trip_any_encoding_any_delimiter(
    tmp_path: Path, rows: list[tuple[str, str]], encoding: str, delimiter: str
) -> None:
    rows = [(a.strip(), b.strip()) for a, b in rows]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["主机名", "主机名"])
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    if encoding == "utf-16":
        assert data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    path = tmp_path / "roundtrip.csv"
    path.write_bytes(data)
    records = list(CsvRegisterReader().read(path, ReadOptions(skip_bad_rows=True)))
    expected = [
        " ".join(a.split()) if not is_blank(a) else " ".join(b.split())
        for a, b in rows
        if not (is_blank(a) and is_blank(b))
    ]
    assert [r.name for r in records] == expected
