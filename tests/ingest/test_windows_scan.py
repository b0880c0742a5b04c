"""Windows scans written by the PowerShell collector: machine, CPU, OS and installed programs."""

from __future__ import annotations

from pathlib import Path

import pytest

from xinchuang.errors import DataError
from xinchuang.ingest.base import ReadOptions
from xinchuang.ingest.windows_scan import WindowsScanReader, architecture, is_update
from xinchuang.models.asset import AssetKind, AssetRecord, HostKey

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest" / "windows-scan"


def read(name: str, options: ReadOptions | None = None) -> list[AssetRecord]:
    records = WindowsScanReader().read(FIXTURES / name, options or ReadOptions())
    return [r for r in records if isinstance(r, AssetRecord)]


def test_office_pc_with_chinese_windows_and_programs() -> None:
    machine, cpu, os_record, *programs = read("jc-pc-0101.json")
    host = HostKey(asset_no="ZC-2019-0101", serial="PC0A1B2C", hostname="JC-PC-0101")
    assert all(r.host == host for r in (machine, cpu, os_record, *programs))
    assert (machine.kind, machine.dmi_vendor, machine.dmi_product, machine.arch) == (
        AssetKind.MACHINE,
        "LENOVO",
        "启天M428",
        "x86_64",
    )
    assert machine.raw["domain"] == "JCBANK"
    assert (cpu.name, cpu.cpu_vendor_id, cpu.vendor) == (
        "Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz",
        "GenuineIntel",
        None,
    )
    assert (os_record.name, os_record.version, os_record.os_id) == (
        "Microsoft Windows 10 专业版",
        "10.0.19045",
        "windows",
    )
    assert os_record.raw["display_version"] == "22H2"
    assert [(p.name, p.version, p.vendor) for p in programs] == [
        ("Microsoft Office Professional Plus 2016", "16.0.4266.1001", "Microsoft Corporation"),
        ("WPS Office (11.1.0.11720)", "11.1.0.11720", "Kingsoft Corp."),
        ("奇安信天擎终端安全管理系统", "10.0.0.2255", "奇安信网神信息技术(北京)股份有限公司"),
        (
            "Microsoft Visual C++ 2019 X64 Minimum Runtime - 14.29.30133",
            "14.29.30133",
            "Microsoft Corporation",
        ),
        ("微信", "3.9.8.15", "腾讯科技(深圳)有限公司"),
    ]  # the Office security update is a patch of Office, not an installation
    assert {p.package_type for p in programs} == {"windows"}
    wps, wechat = programs[1], programs[-1]
    assert wps.raw == {
        "install_date": "20231102",
        "hive": "HKLM",
        "wow6432node": "true",
        "key": "Kingsoft Office",
        "system_component": "false",
    }
    assert wechat.raw["hive"] == "HKCU"
    assert wps.provenance.locator == "programs[2]"


def test_virtual_server_with_two_sockets_and_a_hotfix() -> None:
    machine, cpu, os_record, *programs = read("jc-oa-db01.json")
    assert machine.machine_type == "virtual"
    assert machine.host == HostKey(
        serial="VMware-42 1e 9f 7a 2b 3c 4d 5e-6f 70 81 92 a3 b4 c5 d6", hostname="JC-OA-DB01"
    )
    assert cpu.raw["sockets"] == "2"  # one record for two identical processors
    assert os_record.name == "Microsoft Windows Server 2012 R2 Standard"
    assert [p.name for p in programs] == [
        "Microsoft SQL Server 2014 (64-bit)",
        "Microsoft SQL Server 2014 Setup (English)",
    ]


def test_zhaoxin_pc_with_a_placeholder_serial() -> None:
    machine, cpu, _os = read("jc-pc-0203-zhaoxin.json")
    assert machine.host == HostKey(hostname="JC-PC-0203")  # "To Be Filled By O.E.M." dropped
    assert cpu.cpu_vendor_id == "Shanghai"  # CPUID "  Shanghai  ", blanks trimmed
    assert cpu.name == "ZHAOXIN KaiXian KX-U6780A@2.7GHz"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("windows-scan.truncated.json", ": IMP711 not valid JSON"),
        ("windows-scan.wrong-format.json", ":format: IMP712 not a Windows scan"),
        ("windows-scan.newer-version.json", ":version: IMP712 written by a newer collector"),
        ("windows-scan.blank-hostname.json", ":hostname: IMP713 empty"),
        ("windows-scan.processors-not-an-array.json", ":processors: IMP713 expected an array"),
        ("windows-scan.negative-cores.json", ":processors[0].cores: IMP713 expected a non-neg"),
        ("windows-scan.program-without-name.json", ":programs[2].name: IMP714 missing"),
        ("windows-scan.program-bad-hive.json", ":programs[3].hive: IMP714 expected HKLM or HKCU"),
        (
            "windows-scan.wow6432node-not-boolean.json",
            ":programs[0].wow6432node: IMP714 expected true or false",
        ),
    ],
)
def test_malformed_scans_give_one_located_line(name: str, expected: str) -> None:
    with pytest.raises(DataError) as caught:
        read(name)
    message = str(caught.value)
    where, _, rest = expected.partition(" ")
    assert message.startswith(str(FIXTURES / name))
    assert where.rstrip(":") in message and rest in message and "\n" not in message


def test_skip_bad_rows_keeps_the_other_programs() -> None:
    options = ReadOptions(skip_bad_rows=True)
    programs = [
        r
        for r in read("windows-scan.program-without-name.json", options)
        if r.kind is AssetKind.SOFTWARE
    ]
    assert len(programs) == 4
    assert [issue.position for issue in options.skipped] == ["programs[2].name"]


def test_sniff() -> None:
    head = (FIXTURES / "jc-pc-0101.json").read_bytes()
    assert WindowsScanReader.sniff(Path("x.json"), head) == 1.0
    assert WindowsScanReader.sniff(Path("x.json"), b'{"format": "xinchuang-host-scan"}') == 0.0


@pytest.mark.parametrize(
    ("code", "system_type", "expected"),
    [
        (9, None, "x86_64"),
        (12, "ARM64-based PC", "aarch64"),
        (0, None, "x86"),
        (None, "x64-based PC", "x86_64"),
        (None, "ARM64-based PC", "aarch64"),
        (None, None, None),
    ],
)
def test_architecture(code: int | None, system_type: str | None, expected: str | None) -> None:
    assert architecture(code, system_type) == expected


def test_updates() -> None:
    assert is_update("Security Update", None)
    assert is_update(None, "Office16.PROPLUS")
    assert not is_update(None, None)
    assert not is_update("Application", None)
