"""RVTools exports: VMs from vInfo, ESXi hosts from vHost."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinchuang.errors import DataError
from xinchuang.ingest.base import ReadOptions
from xinchuang.ingest.register_xlsx import XlsxRegisterReader
from xinchuang.ingest.rvtools import RvToolsReader, esx_product, vmware_serial
from xinchuang.models.asset import AssetKind, AssetRecord, HostKey

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest" / "rvtools"
EXPORT = FIXTURES / "RVTools_export_all.xlsx"


def read(path: Path) -> list[AssetRecord]:
    return [r for r in RvToolsReader().read(path, ReadOptions()) if isinstance(r, AssetRecord)]


def test_vms_are_virtual_machines_with_an_os() -> None:
    records = [r for r in read(EXPORT) if r.provenance.sheet == "vInfo"]
    assert [(r.kind, r.name) for r in records] == [
        (AssetKind.MACHINE, "JC-CORE-APP01"),
        (AssetKind.OS, "Red Hat Enterprise Linux 7 (64-bit)"),
        (AssetKind.MACHINE, "JC-OA-WEB"),
        (AssetKind.OS, "Microsoft Windows Server 2012 (64-bit)"),
    ]  # the template tpl-centos7 is no machine
    app = records[0]
    assert app.machine_type == "virtual"
    assert app.host == HostKey(
        serial="VMware-42 1e 9f 7a 2b 3c 4d 5e-6f 70 81 92 a3 b4 c5 d6",
        hostname="jc-core-app01.jcbank.local",
    )
    assert records[1].host == app.host
    assert app.raw["Cluster"] == "PROD-CL01"
    assert records[2].host is not None
    assert records[2].host.hostname == "JC-OA-WEB"  # no DNS name: the VM name


def test_esxi_hosts_are_physical_with_cpu_and_hypervisor() -> None:
    records = [r for r in read(EXPORT) if r.provenance.sheet == "vHost"]
    assert [(r.kind, r.name, r.version) for r in records] == [
        (AssetKind.MACHINE, "esx01.jcbank.local", None),
        (AssetKind.CPU, "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz", None),
        (AssetKind.SOFTWARE, "VMware ESXi", "7.0.3"),
        (AssetKind.MACHINE, "esx02.jcbank.local", None),
        (AssetKind.CPU, "Hygon C86 7285 32-core Processor", None),
        (AssetKind.SOFTWARE, "VMware ESXi", "6.7.0"),
    ]
    esx01, esx02 = records[0], records[3]
    assert (esx01.machine_type, esx01.dmi_vendor, esx01.dmi_product) == (
        "physical",
        "Dell Inc.",
        "PowerEdge R740",
    )
    assert esx01.host == HostKey(serial="8XK2M93", hostname="esx01.jcbank.local")
    assert esx02.host is not None
    assert esx02.host.serial == "SG19A0077"  # no serial number: the service tag


def test_sniff_claims_rvtools_over_a_register() -> None:
    head = EXPORT.read_bytes()[:65536]
    assert RvToolsReader.sniff(EXPORT, head) > XlsxRegisterReader.sniff(EXPORT, head)
    assert RvToolsReader.sniff(Path("a.csv"), b"VM,Powerstate\n") == 0.0


def test_vinfo_without_vm_column() -> None:
    with pytest.raises(
        DataError,
        match=r"IMP301 sheet vInfo has no VM column; headers seen: "
        r"Name of VM, Powerstate",
    ):
        read(FIXTURES / "rvtools.no-vm-column.xlsx")


def test_a_register_workbook_is_not_an_rvtools_export() -> None:
    register = FIXTURES.parent / "xlsx-register" / "register.title-merged-two-sheets.xlsx"
    with pytest.raises(DataError, match="IMP302"):
        read(register)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("VMware ESXi 7.0.3 build-21930508", ("VMware ESXi", "7.0.3")),
        ("VMware ESXi 8.0.2", ("VMware ESXi", "8.0.2")),
        ("VMware ESX 4.1.0 build-260247", ("VMware ESX", "4.1.0")),
        ("unknown hypervisor", ("unknown hypervisor", None)),
    ],
)
def test_esx_version(text: str, expected: tuple[str, str | None]) -> None:
    assert esx_product(text) == expected


@given(st.uuids())
def test_serial_from_uuid_has_vmware_shape(uuid: object) -> None:
    serial = vmware_serial(str(uuid))
    assert serial is not None
    assert serial.startswith("VMware-")
    left, right = serial.removeprefix("VMware-").split("-")
    assert len(left.split()) == len(right.split()) == 8
    assert (left + right).replace(" ", "") == str(uuid).replace("-", "")


def test_serial_needs_a_uuid() -> None:
    assert vmware_serial("not-a-uuid") is None
