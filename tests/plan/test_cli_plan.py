"""The plan, forecast, whatif and progress commands on the sample bank."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample-bank"


@pytest.fixture
def bank(run_cli, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    workspace = tmp_path / "bank"
    assert run_cli("-q", "init", str(workspace))[0] == 0
    code, _out, err = run_cli(
        "-q", "import", "-w", str(workspace), str(SAMPLE / "registers"), str(SAMPLE / "scans"),
        str(SAMPLE / "systems.csv"), "--unit", "总行", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    return workspace


def test_plan_json_shape_dates_and_saved_plans(run_cli, bank: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli(
        "-q", "plan", "-w", str(bank), "--start", "2026-02", "--period", "quarter",
        "--horizon", "8", "--capacity", "400", "--time-limit", "5", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    plan = json.loads(out)
    levels = {"deadlines_missed", "weighted_lateness", "localization_delay"}
    assert set(plan["objective"]) == levels == set(plan["bound"])
    assert plan["status"] in {"OPTIMAL", "FEASIBLE"}
    placed = [s for s in plan["systems"] if s["period_start"]]
    assert placed
    for system in placed:
        assert set(system) >= {
            "system", "disposition", "target_stack", "period_start", "period_end",
            "effort_days", "deadline", "late", "reasons",
        }  # fmt: skip
        assert system["period_start"][8:] == "01"
        assert system["period_start"][5:7] in {"01", "04", "07", "10"}
        assert system["period_end"][5:] in {"03-31", "06-30", "09-30", "12-31"}
    code, out, _err = run_cli("plan", "-w", str(bank), "--list", "--format", "json")
    assert code == 0
    assert [p["id"] for p in json.loads(out)] == [plan["plan_id"]]


def test_too_little_capacity_exits_1_and_says_what_would_do(run_cli, bank: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli(
        "plan", "-w", str(bank), "--start", "2027-01", "--horizon", "4", "--capacity", "1",
        "--time-limit", "5", "--format", "json",
    )  # fmt: skip
    assert code == 1
    plan = json.loads(out)
    assert plan["missed"]
    assert plan["advice"]["searched_up_to"] == 8.0
    assert "missed by" in err
    assert "capacity" in err  # the factor that would do, or that none up to × 8 does


def test_forecast_whatif_and_progress(run_cli, bank: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("-q", "plan", "-w", str(bank), "--start", "2026-01", "--time-limit", "5")[0] in (
        0,
        1,
    )
    code, out, err = run_cli("forecast", "-w", str(bank), "--runs", "100", "--format", "json")
    assert code == 0, err
    forecast = json.loads(out)
    for deadline in forecast["deadlines"]:
        assert set(deadline) >= {"deadline", "p50", "p90", "probability_on_time"}
        assert deadline["p90"] >= deadline["p50"] >= deadline["planned"]
    assert all(set(p) >= {"date", "p10", "p50", "p90"} for p in forecast["rate_curve"])

    code, out, err = run_cli(
        "whatif", "-w", str(bank), "--remove-vendor", "hygon", "--capacity-factor", "0.8",
        "--runs", "50", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    result = json.loads(out)
    assert set(result) == {"baseline", "scenario", "delta"}
    from xinchuang.catalog.loader import load_catalog

    catalog = load_catalog([])
    for system in result["scenario"]["plan"]["systems"]:
        for product in system["target_stack"].values():
            assert catalog.products[product].vendor != "hygon"

    code, out, err = run_cli(
        "progress", "-w", str(bank), "--as-of", "2026-12-31", "--format", "json"
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["summary"]["systems"] == len(report["systems"])
    assert report["by_layer"]
