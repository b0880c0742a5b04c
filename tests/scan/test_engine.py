"""The engine's behaviour on real-world mess: SQL in strings and mappers, suppressions,
settings, archives, unreadable files, parallel runs, and the database report."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from xinchuang.errors import DataError
from xinchuang.scan import ScanConfig, build_config, database_report, default_registry, scan_paths
from xinchuang.scan.config import Limits
from xinchuang.scan.sqltext import sql_file_unit


def _rules(root: Path, **config: object) -> list[tuple[str, str, int | None]]:
    result = scan_paths([root], ScanConfig(**config), jobs=1)  # type: ignore[arg-type]
    return [(f.rule, f.path, f.line) for f in result.findings]


def test_sql_concatenated_in_java_strings_is_read_as_sql(tmp_path: Path) -> None:
    (tmp_path / "LoanDao.java").write_text(
        "class LoanDao {\n"
        '  String q = "SELECT id FROM loans " +\n'
        '             "WHERE ROWNUM < 5";\n'
        '  String help = "select an option from the list, ROWNUM";\n'
        '  // String old = "SELECT * FROM t WHERE ROWNUM < 1";\n'
        "}\n"
    )
    assert _rules(tmp_path, targets=("tidb",)) == [("DB101", "LoanDao.java", 3)]


def test_mybatis_mapper_sql_is_read_and_named(tmp_path: Path) -> None:
    (tmp_path / "LoanMapper.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE mapper PUBLIC "-//mybatis.org//DTD Mapper 3.0//EN" '
        '"http://mybatis.org/dtd/mybatis-3-mapper.dtd">\n'
        '<mapper namespace="com.qsbank.LoanMapper">\n'
        "  <!-- SELECT ROWNUM FROM dual -->\n"
        '  <select id="page" resultType="map">\n'
        "    SELECT * FROM loans WHERE status = #{status}\n"
        '    <if test="max != null"> AND ROWNUM &lt;= #{max} </if>\n'
        "  </select>\n</mapper>\n"
    )
    result = scan_paths([tmp_path], ScanConfig(targets=("tidb",)), jobs=1)
    assert [(f.rule, f.line) for f in result.findings] == [("DB101", 7)]
    assert result.findings[0].detail["object_name"] == "com.qsbank.LoanMapper.page"
    assert [(o.object_type, o.name) for o in result.objects] == [
        ("QUERY", "com.qsbank.LoanMapper.page")
    ]


def test_sqlplus_scripts_split_like_sqlplus() -> None:
    script = (
        "PROMPT Creating the loan package -\n"
        "  and more\n"
        "SET ECHO ON\n"
        "@@other_script.sql\n"
        "DEFINE owner = &1\n"
        "CREATE SEQUENCE s START WITH 1;\n"
        "CREATE OR REPLACE PACKAGE BODY p AS\n"
        "  PROCEDURE x IS BEGIN NULL; END;\n"
        "END p;\n"
        "/\n"
        "UPDATE t\n"
        "SET v = '&&value'\n"
        "WHERE id = 1;\n"
    )
    unit = sql_file_unit(script)
    assert [s.object_type for s in unit.statements] == ["SEQUENCE", "PACKAGE BODY", "QUERY"]
    assert "PROMPT" not in unit.code and "and more" not in unit.code
    assert len(unit.code) == len(script)


def test_rewrite_is_shown_only_when_sqlglot_removes_the_construct(tmp_path: Path) -> None:
    (tmp_path / "q.sql").write_text(
        "SELECT NVL(balance, 0) FROM accounts;\nSELECT id FROM t WHERE ROWNUM < 3;\n"
    )
    result = scan_paths([tmp_path], ScanConfig(targets=("tidb", "opengauss")), jobs=1)
    by_rule = {f.rule: f for f in result.findings}
    assert "COALESCE" in by_rule["DB105"].detail["rewrite"]["mysql"]
    assert "rewrite" not in by_rule["DB101"].detail
    assert by_rule["DB101"].detail["parser"] == "sqlglot"


def test_inline_suppressions(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text(
        "var a = document.all; // xinchuang: ignore[WEB102]\n"
        "// xinchuang: ignore[WEB102]\n"
        "var b = document.all;\n"
        "var c = document.all; // xinchuang: ignore[WEB999]\n"
        'var d = "xinchuang: ignore[WEB102]"; var e = document.all;\n'
    )
    assert [ln for _r, _p, ln in _rules(tmp_path)] == [4, 5]
    (tmp_path / "b.js").write_text("// xinchuang: ignore-file[WEB102]\nvar x = document.all;\n")
    assert all(p != "b.js" for _r, p, _l in _rules(tmp_path))


def test_settings_file_excludes_disables_and_picks_targets(tmp_path: Path) -> None:
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "lib.c").write_text("#include <windows.h>\n")
    (tmp_path / "a.sql").write_text("SELECT NVL(a, 1), DECODE(b, 1, 2) FROM t;\n")
    (tmp_path / ".xinchuang-scan.toml").write_text(
        'targets = ["tidb", "kylin"]\nexclude = ["vendor/**"]\ndisable = ["db104"]\n'
    )
    config = build_config([tmp_path])
    assert config.targets == ("tidb", "kylin")
    assert _rules(
        tmp_path, targets=config.targets, exclude=config.exclude, disable=config.disable
    ) == [("DB105", "a.sql", 1)]


def test_a_bad_settings_file_reports_every_problem(tmp_path: Path) -> None:
    (tmp_path / ".xinchuang-scan.toml").write_text(
        'colour = "blue"\nexclude = "x"\n[limits]\nmax_depth = -1\n'
    )
    with pytest.raises(DataError) as raised:
        build_config([tmp_path])
    fields = {issue.field for issue in raised.value.issues}
    assert fields == {"colour", "exclude", "limits.max_depth"}


def test_nested_archives_stop_at_the_depth_limit(tmp_path: Path) -> None:
    inner = tmp_path / "inner.jar"
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("Dao.java", 'class D { String q = "SELECT * FROM t WHERE ROWNUM < 2"; }')
    payload = inner.read_bytes()
    for level in range(3):
        outer = tmp_path / f"level{level}.war"
        with zipfile.ZipFile(outer, "w") as archive:
            archive.writestr(f"WEB-INF/lib/level{level}.jar", payload)
        payload = outer.read_bytes()
    target = tmp_path / "scan"
    target.mkdir()
    (target / "app.war").write_bytes(payload)
    found = _rules(target, limits=Limits(max_depth=2), targets=("tidb",))
    assert [r for r, _p, _l in found] == ["SCN104"]
    found = _rules(target, limits=Limits(max_depth=5), targets=("tidb",))
    assert [(r, p.count("!/")) for r, p, _l in found] == [("DB101", 4)]


def test_an_unreadable_file_is_a_note_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.c").write_text("int a;\n")
    real_open = open

    def failing_open(path: object, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if str(path).endswith("a.c"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", failing_open)
    result = scan_paths([tmp_path], ScanConfig(), jobs=1)
    assert [(f.rule, f.severity, f.path) for f in result.findings] == [("SCN103", "note", "a.c")]
    assert "Permission denied" in result.findings[0].message


def test_parallel_and_serial_runs_agree() -> None:
    root = Path(__file__).parent / "fixtures"
    serial = scan_paths([root], ScanConfig(), jobs=1)
    parallel = scan_paths([root], ScanConfig(), jobs=2)
    assert [f.sort_key() for f in serial.findings] == [f.sort_key() for f in parallel.findings]
    assert serial.stats.files == parallel.stats.files > 100


def test_database_report_reads_like_ora2pg(tmp_path: Path) -> None:
    (tmp_path / "pkg.pkb").write_text(
        "CREATE OR REPLACE PACKAGE BODY p AS\n  PROCEDURE x IS BEGIN\n"
        "    FOR r IN (SELECT * FROM t WHERE ROWNUM < 2) LOOP NULL; END LOOP;\n"
        "  END;\nEND p;\n/\nCREATE TABLE t (id NUMBER);\n"
    )
    result = scan_paths([tmp_path], ScanConfig(targets=("dm", "tidb")), jobs=1)
    report = database_report(result, default_registry())
    assert report["dm"]["level"] == "A-3"
    assert report["tidb"]["level"] == "B-5"
    assert report["tidb"]["objects"]["PACKAGE BODY"] == {
        "total": 1,
        "automatic": 0,
        "rewrite": 0,
        "unsupported": 1,
    }
    assert report["tidb"]["objects"]["TABLE"]["rewrite"] == 1


def test_oracle_sample_schema_style_sequences_are_not_hierarchical(tmp_path: Path) -> None:
    (tmp_path / "seq.sql").write_text(
        "CREATE SEQUENCE locations_seq\n START WITH     3300\n INCREMENT BY   100\n"
        " MAXVALUE       9900\n NOCACHE\n NOCYCLE;\n"
    )
    assert _rules(tmp_path, targets=("tidb",)) == []
