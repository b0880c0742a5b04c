"""Host scans written by the POSIX collector: machine, CPU, OS and packages per host."""

from __future__ import annotations

from pathlib import Path

import pytest

from xinchuang.errors import DataError
from xinchuang.ingest.base import ReadOptions, detect
from xinchuang.ingest.host_scan import HostScanReader, release_line_os
from xinchuang.models.asset import AssetKind, AssetRecord, HostKey

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest" / "host-scan"


def read(name: str, options: ReadOptions | None = None) -> list[AssetRecord]:
    records = HostScanReader().read(FIXTURES / name, options or ReadOptions())
    return [r for r in records if isinstance(r, AssetRecord)]


def test_kunpeng_server_with_kylin() -> None:
    records = read("kunpeng-kylin.json")
    host = HostKey(asset_no="ZC-2021-0042", serial="2102312TBG10K9000123", hostname="kunpeng-db01")
    assert all(r.host == host for r in records)
    machine, cpu, os_record, *packages = records
    assert (machine.kind, machine.name, machine.arch) == (
        AssetKind.MACHINE,
        "kunpeng-db01",
        "aarch64",
    )
    assert (machine.dmi_vendor, machine.dmi_product) == ("Huawei", "TaiShan 200 (Model 2280)")
    assert machine.machine_type is None  # ARM reports no hypervisor flag; DMI says no VM
    assert machine.raw["chassis_asset_tag"] == "JC-SRV-0042"
    assert machine.raw["kernel"] == "4.19.90-24.4.v2101.ky10.aarch64"
    assert cpu.kind is AssetKind.CPU
    assert (cpu.arm_implementer, cpu.arm_part, cpu.cpu_vendor_id) == ("0x48", "0xd01", None)
    assert cpu.name == "CPU implementer 0x48 part 0xd01"  # cpuinfo names no model on arm64
    assert cpu.raw == {"sockets": "2", "cores": "4", "logical_cpus": "4"}
    assert (os_record.kind, os_record.name, os_record.version, os_record.os_id) == (
        AssetKind.OS,
        "Kylin Linux Advanced Server V10 (Sword)",
        "V10",
        "kylin",
    )
    assert [(p.package_type, p.name, p.version, p.arch, p.vendor) for p in packages] == [
        ("rpm", "bash", "5.0-14.ky10", "aarch64", "Kylin Linux"),
        ("rpm", "kernel", "4.19.90-24.4.v2101.ky10", "aarch64", "Kylin Linux"),
        ("rpm", "openssl", "1:1.1.1f-4.p12.ky10", "aarch64", "Kylin Linux"),
        ("rpm", "dm8-server", "8.1.2.128-1", "aarch64", None),
    ]
    assert packages[0].provenance.locator == "packages[0]"


def test_centos6_without_os_release_and_with_a_placeholder_serial() -> None:
    machine, cpu, os_record, *packages = read("centos6-inspur.json")
    # "To be filled by O.E.M." is no serial: it would merge every such server into one host
    assert machine.host == HostKey(hostname="jc-core-db02")
    assert machine.machine_type == "physical"  # the x86 flags lack "hypervisor"
    assert cpu.name == "Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz"
    assert cpu.cpu_vendor_id == "GenuineIntel"
    assert (os_record.name, os_record.version, os_record.os_id) == (
        "CentOS release 6.10 (Final)",
        "6.10",
        "centos",
    )
    assert os_record.provenance.locator == "system_release"
    assert [p.arch for p in packages if p.name == "glibc"] == ["i686", "x86_64"]


def test_loongson_desktop_with_uos_and_chinese_dmi() -> None:
    machine, cpu, os_record, *packages = read("loongson-uos.json")
    assert machine.dmi_product == "L71 龙芯台式机"
    assert machine.arch == "loongarch64"
    assert cpu.name == "Loongson-3A5000"
    assert (os_record.name, os_record.os_id) == ("UnionTech OS Desktop 20 Pro", "uos")
    assert [p.name for p in packages] == ["bash", "libc6", "wps-office", "uos-browser-stable"]
    assert {p.package_type for p in packages} == {"deb"}


def test_sniff_and_detect() -> None:
    path = FIXTURES / "kunpeng-kylin.json"
    assert HostScanReader.sniff(path, path.read_bytes()[:65536]) == 1.0
    assert HostScanReader.sniff(path, b'{"bomFormat": "CycloneDX"}') == 0.0
    assert detect(path, path.read_bytes()[:65536]) is HostScanReader


@pytest.mark.parametrize(
    ("name", "code", "where", "reason"),
    [
        ("host-scan.truncated.json", "IMP701", ":", "not valid JSON"),
        ("host-scan.wrong-format.json", "IMP702", "format", "not a host scan"),
        ("host-scan.newer-version.json", "IMP702", "version", "newer collector"),
        ("host-scan.missing-hostname.json", "IMP703", "hostname", "missing"),
        ("host-scan.cpu-not-an-object.json", "IMP703", "cpu", "expected an object, found string"),
        (
            "host-scan.os-release-number.json",
            "IMP703",
            "os_release.VERSION_ID",
            "expected a string",
        ),
        ("host-scan.sockets-not-a-number.json", "IMP703", "cpu.sockets", "non-negative integer"),
        ("host-scan.package-without-name.json", "IMP704", "packages[1].name", "missing"),
        ("host-scan.package-unknown-manager.json", "IMP704", "packages[2].manager", "apk"),
    ],
)
def test_malformed_scans_are_refused_with_one_located_line(
    name: str, code: str, where: str, reason: str
) -> None:
    with pytest.raises(DataError) as caught:
        read(name)
    line = str(caught.value)
    assert "\n" not in line
    assert line.startswith(str(FIXTURES / name))
    assert code in line and where in line and reason in line


def test_a_bad_package_is_skipped_with_skip_bad_rows() -> None:
    options = ReadOptions(skip_bad_rows=True)
    records = read("host-scan.package-without-name.json", options)
    assert [r.name for r in records if r.kind is AssetKind.SOFTWARE] == [
        "bash",
        "openssl",
        "dm8-server",
    ]
    assert [issue.position for issue in options.skipped] == ["packages[1].name"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("CentOS release 6.10 (Final)", ("6.10", "centos")),
        ("Red Hat Enterprise Linux Server release 6.9 (Santiago)", ("6.9", "rhel")),
        ("NeoKylin Linux Advanced Server release V7Update6", ("V7Update6", "neokylin")),
        ("Something Else", (None, None)),
    ],
)
def test_release_lines(line: str, expected: tuple[str | None, str | None]) -> None:
    assert release_line_os(line) == expected
