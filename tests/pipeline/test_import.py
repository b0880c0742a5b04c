"""``import`` as a user runs it: one transaction, replacement, reconciliation, identification."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from xinchuang.pipeline.workspace import open_workspace
from xinchuang.store.tables import assets, hosts, sources, systems

REGISTER = (
    "资产编号,设备名称,品牌,型号,序列号,主机名,CPU型号,操作系统,所属单位,采购金额\n"
    "ZC-001,数据库服务器,华为,TaiShan 200,SN001,db01,HUAWEI Kunpeng 920,"
    "Kylin Linux Advanced Server V10,总行,120000\n"
    "ZC-002,办公电脑,Dell,OptiPlex 7090,SN002,pc02,Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz,"
    "Windows 10 专业版,总行,6000\n"
)
SYSTEMS = (
    "system,unit,sector,criticality,hosts,software,depends_on\n"
    "核心系统,总行,银行,高,ZC-001,Oracle Database 19c;WebLogic,\n"
    "网银系统,总行,银行,中,ZC-002,Tomcat,核心系统\n"
)


@pytest.fixture
def workspace(run_cli, tmp_path: Path, db_url: str) -> Path:  # type: ignore[no-untyped-def]
    target = tmp_path / "ws"
    code, _, err = run_cli("init", str(target), "--db", db_url)
    assert code == 0, err
    (tmp_path / "register.csv").write_bytes(REGISTER.encode("gb18030"))
    (tmp_path / "systems.csv").write_text(SYSTEMS, encoding="utf-8")
    return target


def count(ws_dir: Path, table) -> int:  # type: ignore[no-untyped-def]
    with open_workspace(ws_dir) as ws, ws.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_import_identifies_a_gbk_register(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    register = workspace.parent / "register.csv"
    code, out, err = run_cli(
        "import",
        str(register),
        "-w",
        str(workspace),
        "--unit",
        "总行",
        "--as",
        "csv-register",
        "--format",
        "json",
    )
    assert code == 0, err
    [source] = json.loads(out)["sources"]
    assert source["encoding"] == "gb18030"
    assert source["hosts_new"] == 2
    code, out, _ = run_cli("inventory", "-w", str(workspace), "--format", "json")
    rows = json.loads(out)
    by_name = {row["name"]: row for row in rows}
    assert by_name["HUAWEI Kunpeng 920"]["product_id"] == "kunpeng-920"
    assert by_name["HUAWEI Kunpeng 920"]["domestic"] is True
    assert by_name["Windows 10 专业版"]["domestic"] is False
    for row in rows:
        assert {
            "id",
            "host",
            "unit",
            "source",
            "name",
            "version",
            "product_id",
            "layer",
            "country",
            "domestic",
            "listed",
            "confidence",
            "reason",
        } <= set(row)


def test_reimport_replaces_instead_of_counting_twice(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    register = str(workspace.parent / "register.csv")
    args = ("import", register, "-w", str(workspace), "--as", "csv-register")
    assert run_cli(*args)[0] == 0
    first = count(workspace, assets)
    code, out, _ = run_cli(*args, "--format", "json")
    assert code == 0
    assert json.loads(out)["sources"][0]["replaced"] is True
    assert count(workspace, assets) == first
    assert count(workspace, sources) == 1
    assert count(workspace, hosts) == 2


def test_one_machine_from_two_sources_is_one_host(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    register = str(workspace.parent / "register.csv")
    assert run_cli("import", register, "-w", str(workspace), "--as", "csv-register")[0] == 0
    scan = workspace.parent / "licences.csv"
    scan.write_text("主机名,序列号,软件名称,版本\ndb01,SN001,WPS Office,11.1\n", encoding="utf-8")
    code, out, err = run_cli(
        "import", str(scan), "-w", str(workspace), "--as", "csv-register", "--format", "json"
    )
    assert code == 0, err
    assert json.loads(out)["sources"][0]["hosts_matched"] == 1
    assert count(workspace, hosts) == 2


def test_a_bad_row_refuses_the_whole_import(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    bad = workspace.parent / "bad.csv"
    bad.write_text(
        "资产编号,设备名称,采购金额\nZC-9,服务器,1000\nZC-10,交换机,一千元\n", encoding="utf-8"
    )
    code, _, err = run_cli("import", str(bad), "-w", str(workspace), "--as", "csv-register")
    assert code == 2
    assert "bad.csv" in err and "3" in err
    assert "Traceback" not in err
    assert count(workspace, assets) == 0 and count(workspace, sources) == 0
    code, _, err = run_cli(
        "import", str(bad), "-w", str(workspace), "--as", "csv-register", "--skip-bad-rows"
    )
    assert code == 0
    assert "skipped" in err
    assert count(workspace, sources) == 1


def test_several_files_land_together_or_not_at_all(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    good = str(workspace.parent / "register.csv")
    missing_header = workspace.parent / "empty.csv"
    missing_header.write_text("foo,bar\n1,2\n", encoding="utf-8")
    code, _, err = run_cli(
        "import", good, str(missing_header), "-w", str(workspace), "--as", "csv-register"
    )
    assert code == 2
    assert "empty.csv" in err
    assert count(workspace, assets) == 0


def test_systems_get_their_tier_from_the_sector(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    path = str(workspace.parent / "systems.csv")
    code, _, err = run_cli("import", path, "-w", str(workspace), "--as", "systems")
    assert code == 0, err
    with open_workspace(workspace) as ws, ws.engine.connect() as connection:
        tiers = {r.name: r.tier for r in connection.execute(select(systems.c.name, systems.c.tier))}
    assert tiers == {"核心系统": "8", "网银系统": "8"}


def test_unknown_and_explain(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    odd = workspace.parent / "odd.csv"
    odd.write_text("软件名称,版本\n某某内部工具,1.0\n某某内部工具,1.1\n", encoding="utf-8")
    assert run_cli("import", str(odd), "-w", str(workspace), "--as", "csv-register")[0] == 0
    code, out, _ = run_cli("unknown", "-w", str(workspace), "--format", "json")
    assert code == 0
    [group] = json.loads(out)
    assert group["name"] == "某某内部工具" and group["count"] == 2
    code, out, _ = run_cli("explain", "1", "-w", str(workspace), "--format", "json")
    assert code == 0
    view = json.loads(out)
    assert view["product_id"] is None and "odd.csv" in view["provenance"]
    code, _, err = run_cli("explain", "999", "-w", str(workspace))
    assert code == 2 and "no asset with id 999" in err


def test_undetectable_format_names_the_file_and_the_way_out(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    blob = workspace.parent / "blob.bin"
    blob.write_bytes(b"\x00\x01\x02 not anything")
    code, _, err = run_cli("import", str(blob), "-w", str(workspace), "--as", "nope")
    assert code == 2
    assert "unknown format 'nope'" in err


def test_hostnames_match_across_case_domain_and_units(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    register = str(workspace.parent / "register.csv")
    assert run_cli("import", register, "-w", str(workspace), "--as", "csv-register")[0] == 0
    scan = workspace.parent / "scan.csv"
    scan.write_text("主机名,软件名称\nDB01.jcbank.local,WPS Office\n", encoding="utf-8")
    code, out, err = run_cli(
        "import",
        str(scan),
        "-w",
        str(workspace),
        "--as",
        "csv-register",
        "--unit",
        "分行",
        "--format",
        "json",
    )
    assert code == 0, err
    assert json.loads(out)["sources"][0]["hosts_matched"] == 1
    assert count(workspace, hosts) == 2


def test_a_clean_scan_is_recorded_and_the_planner_sees_it(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    from xinchuang.pipeline.plan import _findings
    from xinchuang.store.tables import scans

    clean = workspace.parent / "clean"
    clean.mkdir()
    (clean / "main.py").write_text("print('hello')\n", encoding="utf-8")
    code, _, err = run_cli("scan", str(clean), "-w", str(workspace), "--system", "核心系统")
    assert code == 0, err
    assert count(workspace, scans) == 1
    with open_workspace(workspace) as ws, ws.engine.connect() as connection:
        assert _findings(connection) == {"核心系统": ({}, 0)}
    # scanning the same tree again replaces its record
    assert run_cli("scan", str(clean), "-w", str(workspace), "--system", "核心系统")[0] == 0
    assert count(workspace, scans) == 1


def _branch_register(number: int) -> str:
    return (
        "资产编号,主机名,CPU型号,操作系统\n"
        f"B{number}-001,b{number}-srv1,HUAWEI Kunpeng 920,Kylin Linux Advanced Server V10\n"
        f"B{number}-002,b{number}-srv2,HUAWEI Kunpeng 920,Kylin Linux Advanced Server V10\n"
    )


def test_files_with_one_name_in_two_subfolders_are_two_sources(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    # Branch exports all named hosts.csv: the second must not replace the first.
    folder = workspace.parent / "exports"
    for number in (1, 2):
        (folder / f"branch-{number}").mkdir(parents=True)
        (folder / f"branch-{number}" / "hosts.csv").write_text(
            _branch_register(number), encoding="utf-8"
        )
    args = ("import", str(folder), "-w", str(workspace), "--format", "json")
    code, out, err = run_cli(*args)
    assert code == 0, err
    names = [s["source"] for s in json.loads(out)["sources"]]
    assert names == ["branch-1/hosts.csv", "branch-2/hosts.csv"]
    assert [s["replaced"] for s in json.loads(out)["sources"]] == [False, False]
    assert count(workspace, hosts) == 4
    # The same folder again replaces each source by its own name: still four hosts.
    code, out, _ = run_cli(*args)
    assert [s["replaces"] != "" for s in json.loads(out)["sources"]] == [True, True]
    assert (count(workspace, hosts), count(workspace, sources)) == (4, 2)


def test_a_file_imported_from_its_folder_then_alone_is_one_source(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    folder = workspace.parent / "exports"
    (folder / "branch-1").mkdir(parents=True)
    register = folder / "branch-1" / "hosts.csv"
    register.write_text(_branch_register(1), encoding="utf-8")
    assert run_cli("import", str(folder), "-w", str(workspace))[0] == 0
    code, out, _ = run_cli("import", str(register), "-w", str(workspace), "--format", "json")
    assert code == 0
    (source,) = json.loads(out)["sources"]
    assert source["replaces"].startswith("branch-1/hosts.csv imported ")
    assert (count(workspace, sources), count(workspace, hosts)) == (1, 2)


def test_two_named_files_that_share_a_name_keep_their_folders(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    paths = []
    for number in (1, 2):
        folder = workspace.parent / f"branch-{number}"
        folder.mkdir()
        (folder / "hosts.csv").write_text(_branch_register(number), encoding="utf-8")
        paths.append(str(folder / "hosts.csv"))
    code, out, err = run_cli("import", *paths, paths[0], "-w", str(workspace), "--format", "json")
    assert code == 0, err
    names = [s["source"] for s in json.loads(out)["sources"]]
    assert names == ["branch-1/hosts.csv", "branch-2/hosts.csv"]  # the repeated path once
    assert count(workspace, hosts) == 4


def _import_register(run_cli, workspace: Path, text: str, *extra: str):  # type: ignore[no-untyped-def]
    register = workspace.parent / "rows.csv"
    register.write_text("资产编号,主机名,序列号,CPU型号,操作系统\n" + text, encoding="utf-8")
    return run_cli("import", str(register), "-w", str(workspace), "--format", "json", *extra)


def test_an_identical_row_is_counted_once_and_listed(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    row = "ZC-9,db09,SN9,HUAWEI Kunpeng 920,Kylin Linux Advanced Server V10\n"
    code, out, err = _import_register(run_cli, workspace, row + row)
    assert code == 0, err
    (source,) = json.loads(out)["sources"]
    assert (source["merged"], source["assets"]) == (1, 3)  # machine, CPU, OS once
    assert "IMP213" in err and "row 3" in err and "row 2" in err


@pytest.mark.parametrize(
    ("second", "says"),
    [
        # one asset number, another hostname and CPU: two machines under one number
        ("ZC-9,web01,SN9,Intel Xeon Gold 6330,CentOS Linux 7", "hostname web01"),
        # another asset number on the serial number of ZC-9: its asset number would be lost
        ("ZC-10,db10,SN9,HUAWEI Kunpeng 920,Kylin Linux Advanced Server V10", "ZC-9"),
    ],
)
def test_a_row_that_contradicts_an_earlier_one_is_refused(  # type: ignore[no-untyped-def]
    run_cli, workspace: Path, second: str, says: str
) -> None:
    first = "ZC-9,db09,SN9,HUAWEI Kunpeng 920,Kylin Linux Advanced Server V10\n"
    code, _, err = _import_register(run_cli, workspace, first + second + "\n")
    assert code == 2
    assert "IMP212" in err and "row 3" in err and says in err
    assert count(workspace, assets) == 0
    # Under --skip-bad-rows the first row wins and the other is listed.
    code, out, err = _import_register(run_cli, workspace, first + second + "\n", "--skip-bad-rows")
    assert code == 0, err
    (source,) = json.loads(out)["sources"]
    assert (source["skipped"], source["assets"]) == (1, 3)
    assert count(workspace, hosts) == 1


def test_machines_that_share_a_hostname_but_not_an_asset_number_stay_two(  # type: ignore[no-untyped-def]
    run_cli, workspace: Path
) -> None:
    rows = (
        "ZC-21,admin-PC,SN21,Intel Core i5-10500,Windows 10 专业版\n"
        "ZC-22,admin-PC,SN22,Intel Core i5-10500,Windows 10 专业版\n"
    )
    code, out, err = _import_register(run_cli, workspace, rows)
    assert code == 0, err
    assert json.loads(out)["sources"][0]["hosts_new"] == 2
    assert count(workspace, hosts) == 2


def test_a_value_longer_than_its_column_is_a_bad_row(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    rows = "ZC-31," + "h" * 301 + ",SN31,HUAWEI Kunpeng 920,Kylin Linux Advanced Server V10\n"
    code, _, err = _import_register(run_cli, workspace, rows)
    assert code == 2
    assert (
        "row 2" in err and "IMP214" in err and "hostname is 301 characters long; at most 300" in err
    )
    assert count(workspace, hosts) == 0


def test_a_csv_field_of_megabytes_is_refused_without_reading_it_whole(  # type: ignore[no-untyped-def]
    run_cli, workspace: Path
) -> None:
    code, _, err = _import_register(
        run_cli, workspace, "ZC-32,db32,SN32," + "x" * (2 << 20) + ",\n"
    )
    assert code == 2
    assert "IMP214" in err and "row 2" in err and "longer than 1,048,576 characters" in err


def test_a_file_name_that_is_not_utf8_imports_and_is_shown_escaped(
    run_cli, workspace: Path
) -> None:  # type: ignore[no-untyped-def]
    import os

    folder = workspace.parent / "share"
    folder.mkdir()
    # "资产台账.csv" as a Windows share copies it: GBK bytes, not UTF-8.
    name = os.fsdecode("资产台账.csv".encode("gbk"))
    (folder / name).write_text(_branch_register(1), encoding="utf-8")
    code, out, err = run_cli("import", str(folder), "-w", str(workspace), "--format", "json")
    assert code == 0, err
    (source,) = json.loads(out)["sources"]
    # The bytes that are not UTF-8 are shown as \\xNN escapes; the rest decodes as it is.
    assert source["source"] == "资产台账.csv".encode("gbk").decode("utf-8", "backslashreplace")
    assert "\\xd7" in source["source"]
    assert count(workspace, hosts) == 2


def test_a_newline_in_a_file_name_keeps_the_error_on_one_line(run_cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    bad = workspace.parent / "hosts\nsecond line.csv"
    bad.write_text("主机名,CPU型号\n" + "x" * 10 + ",Intel\n" + "a,b,c,d,e,f\n", encoding="utf-8")
    code, _, err = run_cli("import", str(bad), "-w", str(workspace), "--as", "csv-register")
    assert code == 2
    first = err.splitlines()[0]
    assert "hosts\\nsecond line.csv" in first and "IMP210" in first


def test_a_systems_file_naming_what_is_not_there_imports_with_warnings(  # type: ignore[no-untyped-def]
    run_cli, workspace: Path
) -> None:
    # Issue 10: an unknown sector, a host no register has and a dependency on no system
    # imported without a word.
    register = str(workspace.parent / "register.csv")
    systems_file = workspace.parent / "systems.csv"
    systems_file.write_text(
        "system,unit,sector,criticality,hosts,depends_on\n"
        "非税收入系统,财政局,财政,高,ZC-001;ZC-404,统一支付平台\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(
        "import", register, str(systems_file), "-w", str(workspace), "--format", "json"
    )
    assert code == 0, err
    codes = sorted(w["code"] for w in json.loads(out)["warnings"])
    assert codes == ["PLN401", "PLN403", "PLN404"]
    assert "'财政'" in err and "ZC-404" in err and "统一支付平台" in err
    assert "ZC-001" not in err.split("ZC-404")[0].split("PLN403")[-1]  # the register has it


def test_a_register_listed_after_its_systems_file_raises_no_dangling_warning(  # type: ignore[no-untyped-def]
    run_cli, workspace: Path
) -> None:
    register = str(workspace.parent / "register.csv")
    systems_file = str(workspace.parent / "systems.csv")
    code, out, err = run_cli(
        "import", systems_file, register, "-w", str(workspace), "--format", "json"
    )
    assert code == 0, err
    assert [w["code"] for w in json.loads(out)["warnings"]] == []
