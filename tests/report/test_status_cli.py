"""``xinchuang status`` and ``snapshot`` on a workspace, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from bank_workspace import IMG_NAME

BASIS_KEYS = {"domestic", "foreign", "unknown", "rate", "rate_if_unknown_foreign"}


def test_status_json_has_the_keys_the_issue_lists(run_cli, bank: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("status", "-w", str(bank), "--format", "json", "--as-of", "2026-01-10")
    assert code == 0, err
    figures = json.loads(out)
    for basis in ("localization_rate", "localization_rate_by_value"):
        for grouping in ("overall",):
            assert set(figures[basis][grouping]) >= BASIS_KEYS
        for grouping in ("by_layer", "by_unit", "by_tier"):
            for view in figures[basis][grouping].values():
                assert set(view) >= BASIS_KEYS
    system = figures["localization_rate_by_system"]
    assert set(system["overall"]) >= BASIS_KEYS
    assert set(system["by_unit"]) == {"总行", IMG_NAME}
    assert {"listed", "not_counted", "as_of", "catalog_revision", "trend"} <= set(figures)
    assert figures["as_of"] == "2026-01-10"


def test_status_counts_the_bank(run_cli, bank: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("status", "-w", str(bank), "-f", "json", "--as-of", "2026-01-10")
    assert code == 0, err
    figures = json.loads(out)
    count = figures["localization_rate"]
    # H1: TaiShan, Kunpeng, Kylin, DM8 domestic + one unknown program
    # H2: PowerEdge, Xeon, CentOS, Oracle, MS Office foreign
    # H3: unknown machine, Hygon domestic, unknown OS, WPS domestic
    assert count["overall"] == {
        "domestic": 6,
        "foreign": 5,
        "unknown": 3,
        "rate": round(6 / 11, 4),
        "rate_if_unknown_foreign": round(6 / 14, 4),
    }
    assert count["by_layer"]["os"] == {
        "domestic": 1,
        "foreign": 1,
        "unknown": 1,
        "rate": 0.5,
        "rate_if_unknown_foreign": round(1 / 3, 4),
    }
    assert count["by_layer"]["machine"]["unknown"] == 1
    assert count["by_layer"]["unknown-layer"]["unknown"] == 1
    # units: the bank's head office has a bank system (tier 8), the branch a government one (2)
    assert count["by_tier"]["8"]["domestic"] == 4
    assert count["by_tier"]["2"]["domestic"] == 2
    value = figures["localization_rate_by_value"]
    assert value["overall"]["domestic"] == 130000.0
    assert value["overall"]["foreign"] == 180000.0
    assert value["overall"]["unknown"] == 5000.0
    assert value["items_without_value"] == 9
    system = figures["localization_rate_by_system"]
    # the core system's stack on H1 (Kunpeng, Kylin, DM8) is domestic; the unknown program on
    # H1 is no part of the stack; the branch system's host has an unknown OS, so it is unknown
    assert system["overall"]["domestic"] == 1
    assert system["overall"]["unknown"] == 1
    assert figures["not_counted"] == {
        "layers": {"desktop-utility": 0, "library": 0, "font": 1},
        "unidentified_components": 2,
    }


def test_snapshot_then_status_shows_the_trend(run_cli, bank: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli(
        "snapshot", "-w", str(bank), "--label", "2025-Q4", "--as-of", "2025-12-31", "-f", "json"
    )
    assert code == 0, err
    saved = json.loads(out)
    assert saved["label"] == "2025-Q4"
    assert saved["as_of"] == "2025-12-31"
    assert saved["localization_rate"]["rate"] == round(6 / 11, 4)
    code, out, err = run_cli("snapshot", "-w", str(bank), "--as-of", "2026-03-31")
    assert code == 0, err
    assert "2026-03-31" in out
    code, out, err = run_cli("status", "-w", str(bank), "-f", "json")
    assert code == 0, err
    trend = json.loads(out)["trend"]
    assert [p["as_of"] for p in trend[:2]] == ["2025-12-31", "2026-03-31"]
    assert trend[0]["label"] == "2025-Q4"
    assert trend[-1]["snapshot"] is None  # the current figures, last
    assert len(trend) == 3
    assert trend[1]["change"] == 0.0
    code, out, err = run_cli("status", "-w", str(bank))
    assert code == 0, err
    assert "Trend" in out
    assert "2025-Q4" in out


def test_status_table_in_chinese(run_cli, bank: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("--lang", "zh_CN", "status", "-w", str(bank))
    assert code == 0, err
    assert "操作系统" in out  # the catalog's Chinese layer name


def test_bad_as_of_is_a_usage_error(run_cli, bank: Path) -> None:  # type: ignore[no-untyped-def]
    code, _out, err = run_cli("status", "-w", str(bank), "--as-of", "31/12/2025")
    assert code == 2
    assert "--as-of 31/12/2025: not a date" in err
    assert "Tip:" in err


def test_status_of_an_empty_workspace_has_null_rates(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("init", str(tmp_path / "w"))[0] == 0
    code, out, err = run_cli("status", "-w", str(tmp_path / "w"), "-f", "json")
    assert code == 0, err
    figures = json.loads(out)
    assert figures["localization_rate"]["overall"]["rate"] is None
    assert figures["localization_rate"]["by_layer"] == {}
