"""The planner's input warnings, as pure functions (the CLI side is in test_plan_review)."""

from __future__ import annotations

from pathlib import Path

from xinchuang.catalog.loader import load_catalog
from xinchuang.plan.warnings import (
    coverage_warning,
    dangling_warnings,
    pin_warnings,
    sector_warnings,
    team_warnings,
)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plan" / "stacks"


def test_an_unknown_sector_is_named_once_per_unit() -> None:
    found = sector_warnings(
        [
            ("a", "财政局", "财政", None),
            ("b", "财政局", "财政", None),
            ("c", "总行", "金融", "finance"),
        ],
        "default",
        "N",
    )
    assert [(w.code, w.where) for w in found] == [("PLN401", "财政局")]
    assert "fall to tier N" in found[0].message


def test_a_unit_without_a_team_and_the_default_team() -> None:
    found = team_warnings({"总行", "分行"}, {"总行": "hq"}, True, 200.0)
    assert [(w.code, w.where) for w in found] == [("PLN402", "分行")]
    assert "200 person-days" in found[0].message
    assert team_warnings({"总行"}, {}, False, 50.0)[0].message.startswith(
        "plan.yaml names no teams"
    )
    assert team_warnings({"总行"}, {}, True, 50.0, units_with_system_teams={"总行"}) == []


def test_dangling_hosts_and_dependencies() -> None:
    found = dangling_warnings(
        [("oa", "H1"), ("oa", "H9")], {"H1"}, [("oa", "mail"), ("oa", "ghost")], {"oa", "mail"}
    )
    assert [(w.code, w.where) for w in found] == [("PLN403", "oa"), ("PLN404", "oa")]
    assert "H9" in found[0].message and "'ghost'" in found[1].message


def test_a_pin_with_no_confirmed_certification() -> None:
    catalog = load_catalog([FIXTURE], shipped=False)
    uncertified = next(
        p
        for p in sorted(catalog.products)
        if catalog.products[p].domestic
        and not any(r.confirmed and p in (r.a, r.b) for r in catalog.certifications)
    )
    found = pin_warnings(catalog, {"office-suite": uncertified, "os": "kylin-server-v10"})
    assert [(w.code, w.where) for w in found] == [("PLN405", "pinned.office-suite")]


def test_foreign_items_outside_every_system_give_the_ceiling() -> None:
    (found,) = coverage_warning(2373, 763, 0.4715, 0.395)
    assert found.code == "PLN406"
    assert "from 39.5% to at most 47.1%" in found.message
    assert coverage_warning(0, 0, 1.0, 0.5) == []
