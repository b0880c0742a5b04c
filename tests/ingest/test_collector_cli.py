"""``xinchuang collector`` and ``xinchuang scan-host`` as a user runs them, on this machine."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

import pytest

from xinchuang import resources
from xinchuang.ingest.base import ReadOptions
from xinchuang.ingest.host_scan import HostScanReader
from xinchuang.models.asset import AssetKind, AssetRecord


def dpkg_installed() -> set[tuple[str, str]]:
    listing = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Status}\\t${Package}\\t${Version}\\n"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = (line.split("\t") for line in listing.splitlines())
    return {(name, version) for status, name, version in rows if status.endswith(" installed")}


def test_scan_host_reads_back_as_this_debian_machine(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("scan-host")
    assert code == 0, err
    path = Path(out.strip())
    assert path == Path(f"host-scan-{platform.node()}.json")
    assert "packages; import it with: xinchuang import" in err
    records = [
        r
        for r in HostScanReader().read(tmp_path / path, ReadOptions())
        if isinstance(r, AssetRecord)
    ]
    machine = next(r for r in records if r.kind is AssetKind.MACHINE)
    assert machine.name == platform.node()
    assert machine.arch == os.uname().machine
    os_record = next(r for r in records if r.kind is AssetKind.OS)
    release = dict(
        line.split("=", 1)
        for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines()
        if "=" in line
    )
    assert os_record.os_id == release["ID"] == "debian"
    assert os_record.version == release["VERSION_ID"].strip('"')
    assert os_record.name.startswith("Debian GNU/Linux")
    packages = {(r.name, r.version) for r in records if r.kind is AssetKind.SOFTWARE}
    assert packages == dpkg_installed()
    assert any(name == "dpkg" for name, _ in packages)
    cpu = next(r for r in records if r.kind is AssetKind.CPU)
    assert cpu.cpu_vendor_id in {"GenuineIntel", "AuthenticAMD", "HygonGenuine", None}


def test_scan_host_output_and_asset_number(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "here.json"
    code, out, err = run_cli("scan-host", "--output", str(target), "--asset-no", "ZC-0001")
    assert code == 0, err
    assert out.strip() == str(target)
    machine = next(iter(HostScanReader().read(target, ReadOptions())))
    assert isinstance(machine, AssetRecord) and machine.host is not None
    assert machine.host.asset_no == "ZC-0001"


@pytest.mark.parametrize(
    ("flags", "shipped"),
    [((), "xinchuang-collect.sh"), (("--windows",), "xinchuang-collect.ps1")],
)
def test_collector_writes_the_shipped_script_executable(
    run_cli, tmp_path: Path, flags: tuple[str, ...], shipped: str
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "collect"
    code, out, err = run_cli("collector", *flags, "--output", str(target))
    assert code == 0, err
    assert out.strip() == str(target)
    assert target.read_bytes() == resources.data_path("collectors", shipped).read_bytes()
    assert os.access(target, os.X_OK)


def test_collector_into_a_missing_directory_is_one_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_cli("collector", "--output", str(tmp_path / "no" / "such" / "dir.sh"))
    assert code == 2
    assert err.startswith("cannot write") and len(err.strip().splitlines()) == 1
