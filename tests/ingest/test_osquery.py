"""osquery results: osqueryi --json arrays (one table per file) and the osqueryd results log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinchuang.errors import DataError
from xinchuang.ingest.base import ReadOptions
from xinchuang.ingest.osquery import OsqueryReader, detect_table
from xinchuang.models.asset import AssetKind, AssetRecord, HostKey

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest" / "osquery"


def read(name: str, options: ReadOptions | None = None) -> list[AssetRecord]:
    records = OsqueryReader().read(FIXTURES / name, options or ReadOptions())
    return [r for r in records if isinstance(r, AssetRecord)]


def test_system_info_array_is_a_machine_with_its_cpu() -> None:
    machine, cpu = read("system_info.osqueryi.json")
    host = HostKey(serial="210235A3CSH203000123", hostname="jc-app-07")
    assert (machine.kind, machine.name, machine.host) == (AssetKind.MACHINE, "jc-app-07", host)
    assert (machine.dmi_vendor, machine.dmi_product, machine.arch) == (
        "Sugon",
        "I620-G30",
        "x86_64",
    )
    assert (cpu.kind, cpu.name, cpu.host) == (
        AssetKind.CPU,
        "Hygon C86 7285 32-core Processor",
        host,
    )


def test_cpu_info_array_gives_one_cpu_per_model() -> None:
    (cpu,) = read("cpu_info.osqueryi.json")
    assert cpu.cpu_vendor_id == "GenuineIntel"
    assert cpu.raw["sockets"] == "2"
    assert cpu.host is None  # osqueryi rows name no host unless the query adds one


def test_os_version_array() -> None:
    (os_record,) = read("os_version.osqueryi.json")
    assert (os_record.name, os_record.version, os_record.os_id) == (
        "Kylin Linux Advanced Server",
        "V10 (Lance)",
        "kylin",
    )


def test_deb_packages_with_a_hostname_column_skip_removed_packages() -> None:
    records = read("deb_packages.osqueryi.json")
    assert [(r.name, r.version, r.arch, r.package_type) for r in records] == [
        ("bash", "5.0-6+dde", "loong64", "deb"),
        ("wps-office", "11.1.0.11720", "loong64", "deb"),
        ("libc6", "2.28.24-1+dde", "loong64", "deb"),
    ]  # deepin-old-tool is "deinstall ok config-files"
    assert {r.host for r in records} == {HostKey(hostname="oa-pc-0187")}


def test_rpm_packages_join_epoch_version_release_and_skip_gpg_keys() -> None:
    records = read("rpm_packages.osqueryi.json")
    assert [(r.name, r.version, r.vendor) for r in records] == [
        ("openssl", "1:1.1.1wa-2.oe2203sp1", "openEuler"),
        ("bash", "5.1.8-6.oe2203sp1", "openEuler"),
    ]


def test_windows_programs() -> None:
    wps, chrome = read("programs.osqueryi.json")
    assert (wps.name, wps.vendor, wps.package_type, wps.raw["install_date"]) == (
        "WPS Office (11.1.0.11720)",
        "Kingsoft Corp.",
        "windows",
        "20231102",
    )
    assert chrome.version == "119.0.6045.160"


def test_results_log_is_replayed_to_each_hosts_final_state() -> None:
    records = read("osqueryd.results.log")
    linux = [r for r in records if r.host and r.host.hostname == "jc-app-07"]
    windows = [r for r in records if r.host and r.host.hostname == "JC-PC-0311"]
    assert len(linux) + len(windows) == len(records)
    assert [(r.kind, r.name, r.version) for r in linux] == [
        (AssetKind.MACHINE, "jc-app-07", None),
        (AssetKind.CPU, "Hygon C86 7285 32-core Processor", None),
        (AssetKind.OS, "Kylin Linux Advanced Server", "V10 (Lance)"),
        (AssetKind.SOFTWARE, "openssl", "1:1.1.1wa-2.oe2203sp1"),
        (AssetKind.SOFTWARE, "dm8-server", "8.1.2.128-1"),
        (AssetKind.SOFTWARE, "bash", "5.1.8-7.oe2203sp1"),
    ]  # telnet was added then removed; bash 5.1.8-6 removed by a batch line, -7 added
    assert linux[0].host == HostKey(serial="210235A3CSH203000123", hostname="jc-app-07")
    machine, cpu, *programs = windows
    assert machine.host == HostKey(hostname="JC-PC-0311")  # placeholder serial dropped
    assert (cpu.name, cpu.cpu_vendor_id) == (
        "Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz",
        "GenuineIntel",
    )
    assert [(p.name, p.version) for p in programs] == [
        ("Google Chrome", "119.0.6045.160"),
        ("微信", "3.9.8.15"),
    ]  # the second snapshot replaced the first


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("osquery.truncated.json", ":12:24: IMP721 not valid JSON"),
        ("osquery.unknown-table.json", ": IMP722 rows of no osquery table this reader knows"),
        ("osquery.log-broken-line.log", ":3:65: IMP721 not a JSON object"),
        ("osquery.log-line-without-host-identifier.log", ":2: IMP723 a results-log line without"),
        ("osquery.row-without-name.json", ":[1]: IMP723 a deb_packages row without a name"),
    ],
)
def test_malformed_results_give_one_located_line(name: str, expected: str) -> None:
    with pytest.raises(DataError) as caught:
        read(name)
    message = str(caught.value)
    assert message.startswith(f"{FIXTURES / name}{expected}")
    assert "\n" not in message


def test_skip_bad_rows() -> None:
    options = ReadOptions(skip_bad_rows=True)
    records = read("osquery.row-without-name.json", options)
    assert [r.name for r in records] == ["bash"]
    assert [issue.position for issue in options.skipped] == ["[1]", "[2]"]


@pytest.mark.parametrize(
    ("name", "score"),
    [
        ("osqueryd.results.log", 0.9),
        ("deb_packages.osqueryi.json", 0.8),
        ("programs.osqueryi.json", 0.8),
        ("osquery.unknown-table.json", 0.0),
    ],
)
def test_sniff(name: str, score: float) -> None:
    path = FIXTURES / name
    assert OsqueryReader.sniff(path, path.read_bytes()[:65536]) == score


def test_table_detection() -> None:
    assert detect_table({"name", "version", "release", "arch"}) == "rpm_packages"
    assert detect_table({"name", "version", "revision"}) == "deb_packages"
    assert detect_table({"name", "version"}, "pack_inventory_programs") == "programs"
    assert detect_table({"name", "version"}) is None


COLUMN_VALUES = st.one_of(
    st.none(), st.text(max_size=6), st.integers(), st.lists(st.integers(), max_size=2)
)
ROWS = st.dictionaries(
    st.sampled_from(
        ["name", "version", "release", "revision", "arch", "model", "hostname", "cpu_brand"]
    ),
    COLUMN_VALUES,
    max_size=5,
)
LOG_LINES = st.builds(
    lambda host, name, shape, rows: json.dumps(
        {"hostIdentifier": host, "name": name, **shape(rows)}
    ),
    st.sampled_from(["h1", "h2"]),
    st.sampled_from(["deb_packages", "q", "system_info"]),
    st.sampled_from(
        [
            lambda rows: {"action": "snapshot", "snapshot": rows},
            lambda rows: {"action": "added", "columns": rows[0] if rows else {}},
            lambda rows: {"action": "removed", "columns": rows[0] if rows else {}},
            lambda rows: {"diffResults": {"added": rows, "removed": rows[:1]}},
        ]
    ),
    st.lists(ROWS, max_size=3),
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(LOG_LINES, max_size=8))
def test_any_results_log_reads_or_refuses_in_one_line(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "osqueryd.results.log"
    path.write_text("\n".join(lines), encoding="utf-8")
    options = ReadOptions(skip_bad_rows=True)
    try:
        records = list(OsqueryReader().read(path, options))
    except DataError as error:
        records = []
        message = str(error)
        assert message.startswith(str(path)) and "\n" not in message
    assert all(isinstance(r, AssetRecord) and r.name for r in records)
