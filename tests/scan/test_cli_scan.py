"""``xinchuang scan`` and ``xinchuang rules`` as a user runs them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import jsonschema
import pytest

SCHEMA = Path(__file__).parent.parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "code"
    (root / "native").mkdir(parents=True)
    (root / "native" / "score.c").write_text(
        "#include <immintrin.h>\nint f(void){ __m128i x = _mm_setzero_si128(); return 0; }\n"
    )
    (root / "db").mkdir()
    (root / "db" / "q.sql").write_text("SELECT NVL(a, 0) FROM t WHERE ROWNUM < 5;\n")
    (root / "web").mkdir()
    (root / "web" / "a b.js").write_text("var x = document.all;\n")
    return root


def test_json_has_the_documented_fields_and_exit_1_on_blockers(run_cli, tree: Path) -> None:
    code, out, _err = run_cli("scan", str(tree), "--format", "json", "--jobs", "1")
    assert code == 1
    findings = json.loads(out)
    fields = {
        "rule",
        "family",
        "path",
        "line",
        "column",
        "severity",
        "per_target",
        "effort_minutes",
        "message",
        "snippet",
        "remark",
    }
    assert findings and all(fields <= set(f) for f in findings)
    isa = next(f for f in findings if f["rule"] == "ISA101")
    assert isa["path"] == f"{tree.as_posix()}/native/score.c"
    assert isa["line"] == 2
    assert isa["per_target"] == {"arm64": "blocker", "loongarch64": "blocker", "sw64": "blocker"}
    assert "LoongArch" in isa["remark"]


def test_a_native_construct_is_no_finding_for_that_target(run_cli, tree: Path) -> None:
    code, out, _err = run_cli("scan", str(tree / "db"), "-f", "json", "--target", "dm", "-j", "1")
    assert code == 0
    assert json.loads(out) == []
    code, out, _err = run_cli("scan", str(tree / "db"), "-f", "json", "-t", "tidb", "-j", "1")
    rules = {f["rule"]: f for f in json.loads(out)}
    assert set(rules) == {"DB101", "DB105"}
    assert rules["DB101"]["severity"] == "warning"
    assert code == 0  # warnings only


def test_unknown_target_is_a_usage_error_with_a_suggestion(run_cli, tree: Path) -> None:
    code, _out, err = run_cli("scan", str(tree), "--target", "kingbse")
    assert code == 2
    assert "did you mean 'kingbase'" in err


def test_missing_path_is_a_usage_error(run_cli, tmp_path: Path) -> None:
    code, _out, err = run_cli("scan", str(tmp_path / "nowhere"))
    assert code == 2
    assert "no such file or directory" in err


def test_workspace_needs_a_system(run_cli, tree: Path, tmp_path: Path) -> None:
    code, _out, err = run_cli("scan", str(tree), "-w", str(tmp_path / "ws"))
    assert code == 2
    assert "--system" in err


def test_sarif_with_real_results_validates_against_the_schema(
    run_cli, tree: Path, tmp_path: Path
) -> None:
    output = tmp_path / "scan.sarif"
    roots = [str(tree), str(FIXTURES / "cpu" / "binaries"), str(FIXTURES / "office" / "documents")]
    code, _out, _err = run_cli("scan", *roots, "-f", "sarif", "-o", str(output), "-j", "2")
    assert code == 1
    log = json.loads(output.read_text(encoding="utf-8"))
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")))
    run = log["runs"][0]
    assert len(run["results"]) > 10
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(
        run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"]
    )
    assert {"ISA101", "ISA130", "OFC103"} <= set(ids)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert "web/a%20b.js" in uris
    member = next(r for r in run["results"] if "member" in r["properties"])
    assert "!/" not in member["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]


def test_findings_are_stored_against_the_system_and_replaced_on_rescan(
    run_cli, tree: Path, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    assert run_cli("init", str(workspace))[0] == 0
    code, _out, err = run_cli(
        "scan", str(tree), "-w", str(workspace), "--system", "Core banking", "-f", "json", "-j", "1"
    )
    assert code == 1, err
    db = (
        sqlite3.connect(workspace / "workspace.db")
        if (workspace / "workspace.db").exists()
        else sqlite3.connect(next(workspace.glob("*.db")))
    )
    first = db.execute("SELECT count(*) FROM findings WHERE system = 'Core banking'").fetchone()[0]
    assert first > 0
    (tree / "web" / "a b.js").unlink()
    run_cli("scan", str(tree), "-w", str(workspace), "--system", "Core banking", "-j", "1")
    second = db.execute("SELECT count(*) FROM findings WHERE system = 'Core banking'").fetchone()[0]
    assert second == first - 1
    roots = db.execute("SELECT DISTINCT scan_root FROM findings").fetchall()
    assert roots == [(str(tree.resolve()),)]


def test_rules_list_and_explain(run_cli) -> None:
    code, out, _err = run_cli("rules", "list", "--format", "json", "--family", "database")
    assert code == 0
    rules = json.loads(out)
    assert all(r["family"] == "database" for r in rules)
    assert any(r["code"] == "DB102" for r in rules)
    code, out, _err = run_cli("rules", "explain", "DB102")
    assert code == 0
    assert "CONNECT BY" in out and "tidb" in out and "ora2pg" in out
    code, out, _err = run_cli("--lang", "zh_CN", "rules", "explain", "DB102", "-f", "json")
    assert "层次查询" in json.loads(out)["title"]
    code, _out, err = run_cli("rules", "explain", "DB1O2")
    assert code == 2 and "DB102" in err


def test_table_output_summarises_database_levels(run_cli, tree: Path) -> None:
    code, out, _err = run_cli("scan", str(tree / "db"), "-j", "1")
    assert code == 0
    assert "ora2pg" in out and "tidb" in out and "B-4" in out


def test_verdicts_per_tree_and_target_as_json_and_at_the_top_of_the_table(
    run_cli, tmp_path: Path
) -> None:
    neon = tmp_path / "neon-port"
    neon.mkdir()
    (neon / "k.c").write_text(
        "#if defined(__SSE2__)\n#include <emmintrin.h>\n"
        "void z(int *d) { _mm_storeu_si128((__m128i *)d, _mm_setzero_si128()); }\n"
        "#elif defined(__aarch64__)\n#include <arm_neon.h>\n"
        "void z(int *d) { vst1q_s32(d, vdupq_n_s32(0)); }\n"
        "#else\nvoid z(int *d) { *d = 0; }\n#endif\n"
    )
    code, out, _err = run_cli(
        "scan", str(neon), "-t", "arm64", "-t", "loongarch64", "-f", "verdicts", "-j", "1"
    )
    verdicts = json.loads(out)[str(neon)]
    assert code == 0
    assert verdicts["arm64"]["verdict"] == "ported-or-portable"
    assert verdicts["loongarch64"]["verdict"] == "performance"
    assert "no LSX/LASX path" in verdicts["loongarch64"]["evidence"][0]
    code, out, _err = run_cli("scan", str(neon), "-t", "arm64", "-t", "loongarch64", "-j", "1")
    assert out.index("CPU verdicts") < out.index("Findings")
