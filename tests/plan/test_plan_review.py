"""Plans a migration manager would sign, on the sample city government (examples/sample-city).

One test per point of the review (issue 10): full target stacks with named blocks,
platforms as lines with their CPU, already-domestic systems kept, an effort model
broken down, warnings for misconfiguration (and --strict), output for people,
--dry-run and --delete.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CITY = ROOT / "examples" / "sample-city"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from xinchuang.cli import main

    workspace = tmp_path_factory.mktemp("city") / "ws"
    codes = []
    for args in (
        ["-q", "init", str(workspace)],
        ["-q", "import", "-w", str(workspace), str(CITY / "registers"), str(CITY / "systems.csv")],
    ):
        try:
            main(args)
            codes.append(0)
        except SystemExit as exit_:
            codes.append(exit_.code or 0)
    assert codes == [0, 0]
    return workspace


def plan(run_cli, city: Path, *extra: str) -> tuple[int, dict[str, Any], str]:  # type: ignore[no-untyped-def]
    code, out, err = run_cli(
        "plan", "-w", str(city), "--settings", str(CITY / "plan.yaml"), "--time-limit", "5",
        "--format", "json", *extra,
    )  # fmt: skip
    assert code in (0, 1), err
    return code, json.loads(out), err


def rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["system"]: row for row in data["systems"]}


def test_every_foreign_layer_has_a_target_or_a_named_block(run_cli, city: Path) -> None:  # type: ignore[no-untyped-def]
    from xinchuang.catalog.loader import load_catalog

    catalog = load_catalog([])
    _code, data, _err = plan(run_cli, city, "--dry-run")
    for row in data["systems"]:
        if row["state"] in ("already-compliant", "kept"):
            continue
        for product in row["target_stack"].values():
            assert catalog.products[product].domestic, (row["system"], product)
        for block in row["blocked"]:
            assert block["missing"] and block["unblock"]
            assert block["pairs"] or block["code"] == "PLN210"
    portal = rows(data)["政府门户网站"]  # CentOS, MySQL, nginx, Tomcat on an Inspur Intel server
    replaced = {p for products in portal["replaces"].values() for p in products}
    assert {"centos", "mysql", "nginx", "tomcat", "intel-xeon"} <= replaced
    # tier 2 must replace Tomcat and nginx too (policy default, open_source)
    assert not any("nginx" in reason for reason in portal["kept"])


def test_a_platform_is_a_line_with_its_cpu_and_the_vendor_is_kept(run_cli, city: Path) -> None:  # type: ignore[no-untyped-def]
    _code, data, _err = plan(run_cli, city, "--dry-run")
    portal = rows(data)["政府门户网站"]
    # plan.yaml keep_vendor: [server]: the Inspur Intel line moves to an Inspur domestic line
    assert portal["target_stack"]["server"].startswith("inspur-server-")
    assert portal["target_stack"]["server"] != "inspur-server-x86"
    assert any("platform-line" in reason for reason in portal["reasons"])


def test_already_domestic_systems_are_kept_and_take_no_capacity(run_cli, city: Path) -> None:  # type: ignore[no-untyped-def]
    _code, data, _err = plan(run_cli, city)
    documents = rows(data)["公文交换系统"]  # Hygon + Sugon H-series + Kylin + DM8 + TongWeb
    assert documents["state"] == "already-compliant"
    assert documents["disposition"] == "keep"
    assert documents["effort_days"] == 0
    assert documents["period_start"] is None
    assert documents["reasons"][0].startswith("keep (already compliant)")
    code, out, err = run_cli(
        "progress", "-w", str(city), "--as-of", "2027-01-15", "--format", "json"
    )
    assert code == 0, err
    progress = {s["system"]: s for s in json.loads(out)["systems"]}
    assert progress["公文交换系统"]["state"] == "already-compliant"
    assert json.loads(out)["summary"]["done"] >= 2


def test_effort_is_broken_down_by_host_layer_data_application_and_testing(
    run_cli,  # type: ignore[no-untyped-def]
    city: Path,
) -> None:
    _code, data, _err = plan(run_cli, city, "--dry-run")
    oa = rows(data)["协同办公系统"]  # two Dell servers, Windows Server, SQL Server, not scanned
    items = {item["item"]: item["days"] for item in oa["effort"]["items"]}
    assert items["hosts: database"] == 4.0  # 2 hosts running SQL Server × 2 d
    assert items["data migration"] == 5.0  # 3 d + 2 database hosts × 1 d
    assert items["application adaptation"] == 20.0  # high criticality, never scanned
    assert items["testing"] == pytest.approx(
        0.3 * sum(v for k, v in items.items() if k != "testing"), abs=0.02
    )
    assert oa["effort_days"] == pytest.approx(sum(items.values()), abs=0.05)
    terminals = rows(data)["市政府办公终端"]
    terminal_items = {item["item"]: item for item in terminals["effort"]["items"]}
    # only the PCs on a foreign platform move (about four in five of the 140)
    moving = int(terminal_items["hosts: terminal"]["basis"].split(" ")[0])
    assert 90 <= moving < 140
    assert terminals["effort"]["parallel_running_days"] == 2.0


def test_misconfiguration_warns_and_strict_refuses(run_cli, city: Path) -> None:  # type: ignore[no-untyped-def]
    _code, data, err = plan(run_cli, city, "--dry-run")
    codes = {(w["code"], w["where"]) for w in data["warnings"]}
    assert ("PLN401", "市财政局") in codes  # sector 财政 is not known to the policy
    assert ("PLN402", "市财政局") in codes  # no team serves the unit
    assert ("PLN404", "政务服务平台") in codes  # depends on a system that does not exist
    assert "PLN401 市财政局: sector '财政'" in err
    code, _out, err = run_cli(
        "plan", "-w", str(city), "--settings", str(CITY / "plan.yaml"), "--strict",
        "--time-limit", "5",
    )  # fmt: skip
    assert code == 2
    assert "PLN401" in err and "--strict" in err


def test_output_for_people(run_cli, city: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "400")  # a wide terminal: product names stay whole
    code, out, _err = run_cli(
        "plan", "-w", str(city), "--settings", str(CITY / "plan.yaml"), "--dry-run",
        "--time-limit", "5",
    )  # fmt: skip
    assert code in (0, 1)
    assert "person-days" in out
    assert "keep (already compliant)" in out
    assert "Kylin" in out  # product names, not ids or dicts
    assert "{'" not in out
    assert "deadlines missed" in out and "deadlines_missed" not in out


def test_dry_run_saves_nothing_and_delete_removes_a_plan(run_cli, city: Path) -> None:  # type: ignore[no-untyped-def]
    before = json.loads(run_cli("plan", "-w", str(city), "--list", "--format", "json")[1])
    _code, data, _err = plan(run_cli, city, "--dry-run")
    assert data["plan_id"] is None
    after = json.loads(run_cli("plan", "-w", str(city), "--list", "--format", "json")[1])
    assert len(after) == len(before)
    _code, saved, _err = plan(run_cli, city)
    code, _out, err = run_cli("plan", "-w", str(city), "--delete", str(saved["plan_id"]))
    assert code == 0, err
    ids = [
        p["id"]
        for p in json.loads(run_cli("plan", "-w", str(city), "--list", "--format", "json")[1])
    ]
    assert saved["plan_id"] not in ids
    code, _out, err = run_cli("plan", "-w", str(city), "--delete", "999")
    assert code == 2 and "PLN304" in err


def test_the_city_sample_regenerates_byte_identical(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_city", ROOT / "scripts" / "gen_city.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(tmp_path)
    for path in sorted(tmp_path.rglob("*")):
        if path.is_file():
            shipped = CITY / path.relative_to(tmp_path)
            assert shipped.read_bytes() == path.read_bytes(), shipped
