"""Issue 3's acceptance: a real scan of the machine the tests run on imports and is identified."""

from __future__ import annotations

import json
from pathlib import Path


def test_scan_of_this_host_imports_and_identifies_its_distribution(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scan = tmp_path / "this-host.json"
    code, _, err = run_cli("scan-host", "--output", str(scan))
    assert code == 0, err
    os_release = json.loads(scan.read_text(encoding="utf-8"))["os_release"]
    assert run_cli("init", str(tmp_path / "ws"))[0] == 0
    code, out, err = run_cli("import", str(scan), "-w", str(tmp_path / "ws"), "--format", "json")
    assert code == 0, err
    [source] = json.loads(out)["sources"]
    assert source["format"] == "host-scan"
    assert source["hosts_new"] == 1
    code, out, _ = run_cli("inventory", "-w", str(tmp_path / "ws"), "--format", "json")
    rows = json.loads(out)
    [os_row] = [row for row in rows if row["kind"] == "os"]
    expected = {
        "debian": "debian",
        "ubuntu": "ubuntu",
        "openEuler": "openeuler",
        "centos": "centos",
    }
    wanted = expected.get(os_release["ID"])
    if wanted:
        assert os_row["product_id"] == wanted, os_row
    assert os_row["domestic"] is not None  # the distribution is identified, one way or the other
    packages = [row for row in rows if row["kind"] == "software"]
    assert len(packages) > 50  # dpkg or rpm listed the real packages
    identified = {row["product_id"] for row in packages if row["product_id"]}
    assert identified, "no installed package of this host was identified"
