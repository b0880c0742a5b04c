"""The curation loop as a user runs it: unknown → explain → map → reidentify."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from xinchuang.pipeline.workspace import open_workspace
from xinchuang.store.tables import assets

REGISTER = (
    "资产编号,设备名称,品牌,型号,序列号,主机名,CPU型号,操作系统,软件,所属单位\n"
    "ZC-001,数据库服务器,华为,TaiShan 200,SN001,db01,HUAWEI Kunpeng 920,"
    "Kylin Linux Advanced Server V10,江城柜面客户端 V3.2,总行\n"
    "ZC-002,办公电脑,Dell,OptiPlex 7090,SN002,pc02,Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz,"
    "Windows 10 专业版,江城柜面客户端 V3.2,总行\n"
)


@pytest.fixture
def workspace(run_cli, tmp_path: Path, db_url: str) -> Path:  # type: ignore[no-untyped-def]
    target = tmp_path / "ws"
    code, _, err = run_cli("init", str(target), "--db", db_url)
    assert code == 0, err
    register = tmp_path / "register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    code, _, err = run_cli(
        "import", str(register), "-w", str(target), "--unit", "总行", "--as", "csv-register"
    )
    assert code == 0, err
    return target


def _ids(ws_dir: Path) -> list[int]:
    with open_workspace(ws_dir) as ws, ws.engine.connect() as connection:
        return [row.id for row in connection.execute(select(assets.c.id).order_by(assets.c.id))]


def test_unknown_lists_ids_and_hosts_and_explain_takes_a_hostname(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("unknown", "-w", str(workspace), "--format", "json")
    assert code == 0, err
    groups = {group["name"]: group for group in json.loads(out)}
    client = groups["江城柜面客户端 V3.2"]
    assert client["hosts"] == 2
    assert len(client["ids"]) == 2
    code, out, err = run_cli("explain", str(client["ids"][0]), "-w", str(workspace))
    assert code == 0, err
    assert "江城柜面客户端" in out
    code, out, err = run_cli("explain", "db01", "-w", str(workspace), "--format", "json")
    assert code == 0, err
    assert {row["name"] for row in json.loads(out)} >= {"HUAWEI Kunpeng 920"}
    code, _, err = run_cli("explain", "no-such-host", "-w", str(workspace))
    assert code == 2
    assert "no asset or host 'no-such-host'" in err
    assert "Traceback" not in err


def test_map_then_reidentify_counts_the_item_and_keeps_asset_ids(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    before_ids = _ids(workspace)
    code, out, err = run_cli(
        "map",
        "江城柜面客户端",
        "--regex",
        "--origin",
        "domestic",
        "--why",
        "our own teller client",
        "--by",
        "张三",
        "-w",
        str(workspace),
    )
    assert code == 0, err
    code, out, err = run_cli("reidentify", "-w", str(workspace), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["changed"] == 2
    assert report["unknown_items"]["after"] == report["unknown_items"]["before"] - 2
    assert report["rate"]["after"] > report["rate"]["before"]
    assert _ids(workspace) == before_ids
    code, out, _ = run_cli("explain", "db01", "-w", str(workspace), "--format", "json")
    client = next(row for row in json.loads(out) if row["name"].startswith("江城"))
    assert client["domestic"] is True
    assert client["match_level"] == "origin"
    assert client["reason"].startswith("mapped by 张三 on ")
    # a second run changes nothing
    code, out, _ = run_cli("reidentify", "-w", str(workspace), "--format", "json")
    assert json.loads(out)["changed"] == 0


def test_a_mapping_is_listed_exported_and_removed(run_cli, workspace: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_cli(
        "map",
        "江城柜面客户端 V3.2",
        "--product",
        "kingbasees",
        "--why",
        "test",
        "-w",
        str(workspace),
    )
    assert code == 0, err
    code, out, _ = run_cli("map", "--list", "-w", str(workspace), "--format", "json")
    [mapping] = json.loads(out)
    assert mapping["target"] == "product kingbasees"
    fragment = tmp_path / "fragment.yaml"
    code, _, err = run_cli("map", "--export", str(fragment), "-w", str(workspace))
    assert code == 0, err
    text = fragment.read_text(encoding="utf-8")
    assert "kingbasees" in text and "江城柜面客户端 V3.2" in text
    code, _, err = run_cli("map", "--remove", str(mapping["id"]), "-w", str(workspace))
    assert code == 0, err
    code, out, _ = run_cli("map", "--list", "-w", str(workspace), "--format", "json")
    assert json.loads(out) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--product", "no-such-product", "--why", "w"], "no product 'no-such-product'"),
        (["x", "--vendor", "lenovo", "--why", "w"], "vendor 'lenovo' does not decide an origin"),
        (["x", "--origin", "maybe", "--why", "w"], "origin must be 'domestic' or 'foreign'"),
        (["x", "--origin", "domestic"], "say why with --why"),
        (["(", "--regex", "--origin", "domestic", "--why", "w"], "bad regular expression"),
        (["x", "--product", "mysql", "--origin", "foreign", "--why", "w"], "exactly one of"),
        (["--remove", "999"], "no mapping with id 999"),
    ],
)
def test_bad_mappings_get_one_line_errors(
    run_cli, workspace: Path, args: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_cli("map", *args, "-w", str(workspace))
    assert code == 2
    assert message in err
    assert "Traceback" not in err
