"""choose_stacks on the tiny hand-made catalog in tests/fixtures/plan/stacks.

The catalog: Intel Xeon → Hygon (x86, export-controlled vendor), Kunpeng (arm64,
export-controlled) or Loongson (loongarch64); RHEL → Kylin (on Hygon, Kunpeng)
or UOS (on Kunpeng, Loongson); Oracle → DM8 (on Kylin), KingbaseES (on UOS;
on Kylin only unconfirmed; its list entry expired) or OceanBase (no
certification at all); WebLogic → TongWeb (on both OSes, with DM8 and KES).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from xinchuang.catalog.loader import load_catalog
from xinchuang.catalog.model import Catalog
from xinchuang.errors import DataError
from xinchuang.plan.stacks import (
    StackBlocker,
    StackChoice,
    StackResult,
    SystemInput,
    choose_stacks,
    stack_link_problems,
)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plan" / "stacks"
TODAY = dt.date(2026, 6, 1)
ORACLE_ON_RHEL = {
    "cpu": ["intel-xeon"],
    "os": ["rhel"],
    "database-centralized": ["oracle-database"],
    "middleware-appserver": ["weblogic"],
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([FIXTURE], shipped=False)


def run(catalog: Catalog, *systems: SystemInput, **options: object) -> StackResult:
    options.setdefault("today", TODAY)
    options.setdefault("time_limit", 5.0)
    return choose_stacks(catalog, systems, **options)  # type: ignore[arg-type]


def choice(result: StackResult, name: str) -> StackChoice:
    found = result.get(name)
    assert isinstance(found, StackChoice), found
    return found


def blocker(result: StackResult, name: str) -> StackBlocker:
    found = result.get(name)
    assert isinstance(found, StackBlocker), found
    return found


def test_typical_system_gets_the_cheapest_certified_stack(catalog: Catalog) -> None:
    system = SystemInput("loans", ORACLE_ON_RHEL, scanned=True)
    result = run(catalog, system)
    chosen = choice(result, "loans")
    # Loongson + UOS + KES + TongWeb: no export-controlled vendor, all links certified.
    assert chosen.stack == {
        "cpu": "loongson-3c5000",
        "os": "uos-server-v20",
        "database": "kingbasees",
        "middleware": "tongweb",
    }
    assert chosen.replaces["database"] == ("oracle-database",)
    # 5 (cpu) + 5 (os) + 10 × 0.5 (Oracle-compatible SQL carries over) + 8 × 0.7 (Java EE)
    assert chosen.effort_days == pytest.approx(20.6)
    assert chosen.risk == 8  # KES's only list entry expired in 2020
    assert chosen.readiness == "ready"
    assert chosen.confidence == 1.0
    assert not stack_link_problems(catalog, chosen.stack)
    assert result.status == "OPTIMAL"
    assert result.objective == result.bound == 2060 + 50 * 8 + 2000
    assert result.distinct_stacks == 1


def test_reasons_cite_carry_over_certifications_and_sources(catalog: Catalog) -> None:
    result = run(catalog, SystemInput("loans", ORACLE_ON_RHEL, scanned=True))
    reasons = choice(result, "loans").reasons
    assert reasons[0] == (
        "stack: cpu loongson-3c5000, os uos-server-v20, database kingbasees, middleware tongweb"
    )
    assert "database: kingbasees replaces oracle-database (catalog substitution, sourced)" in (
        reasons
    )
    assert "database: carries over from oracle-database: oracle-compatible-sql" in reasons
    assert "os uos-server-v20 – database kingbasees: certified (mutual-certification), sourced" in (
        reasons
    )
    assert "kingbasees: no current Xinchuang list entry, +8 risk" in reasons


def test_scanner_minutes_for_a_target_move_the_choice(catalog: Catalog) -> None:
    # Two days of LoongArch findings make the x86-compatible Hygon + Kylin + DM8 cheaper.
    system = SystemInput("loans", ORACLE_ON_RHEL, {"loongarch64": 960.0, "dm": 120.0}, scanned=True)
    chosen = choice(run(catalog, system), "loans")
    assert chosen.stack == {
        "cpu": "hygon-c86",
        "os": "kylin-server-v10",
        "database": "dm8",
        "middleware": "tongweb",
    }
    # 5 × 0.2 (x86 binaries carry over) + 5 × 0.9 + 10 × 0.5 + 120/480 + 8 × 0.7
    assert chosen.effort_days == pytest.approx(16.35)
    assert chosen.risk == 20  # Hygon's vendor is on an export-control list
    assert chosen.readiness == "ready-with-conditions"
    assert "fix 120 min of scanner findings for target dm" in chosen.conditions
    assert "cpu: hygon-c86 keeps x86-64: x86 binaries run unchanged" in chosen.reasons


def test_unconfirmed_certification_is_allowed_but_named(catalog: Catalog) -> None:
    # Pinning Kylin and KES leaves only the unconfirmed KES-on-Kylin row.
    system = SystemInput("loans", ORACLE_ON_RHEL, scanned=True)
    chosen = choice(
        run(
            catalog, system, pinned={"os": "kylin-server-v10", "database-centralized": "kingbasees"}
        ),
        "loans",
    )
    assert chosen.stack["database"] == "kingbasees"
    assert chosen.readiness == "ready-with-conditions"
    assert (
        "certification of kylin-server-v10 with kingbasees is unconfirmed: test it first"
        in chosen.conditions
    )
    statuses = {(link.product_a, link.product_b): link.status for link in chosen.links}
    assert statuses[("kylin-server-v10", "kingbasees")] == "unconfirmed"
    assert chosen.confidence == 0.95


def test_missing_link_between_two_places_is_named(catalog: Catalog) -> None:
    system = SystemInput("loans", ORACLE_ON_RHEL, scanned=True)
    result = run(catalog, system, forbidden=["dm8", "kingbasees"])
    gap = blocker(result, "loans")
    assert gap.code == "PLN211"
    assert gap.missing == (
        "no database candidate of oracle-database (oceanbase) is certified with any "
        "os candidate of rhel (kylin-server-v10, uos-server-v20)"
    )
    assert gap.readiness == "not-ready"
    assert result.choices == {}


def test_missing_link_in_a_combination_is_named(catalog: Catalog) -> None:
    # Loongson runs only UOS, DM8 only Kylin: every pair has some partner, no triple works.
    system = SystemInput("loans", ORACLE_ON_RHEL, scanned=True)
    result = run(catalog, system, forbidden=["kingbasees"], forbidden_vendors=["huawei", "hygon"])
    gap = blocker(result, "loans")
    assert gap.code == "PLN211"
    assert gap.missing == (
        "no certified database for os uos-server-v20 on cpu loongson-3c5000 "
        "among candidates of oracle-database"
    )
    assert "dm8: no certification with os uos-server-v20" in gap.reasons
    assert "oceanbase: no certification with os uos-server-v20" in gap.reasons


def test_a_pin_is_honoured_or_named_in_the_blocker(catalog: Catalog) -> None:
    system = SystemInput("loans", ORACLE_ON_RHEL, scanned=True)
    pinned = choice(run(catalog, system, pinned={"database": "dm8"}), "loans")
    assert pinned.stack["database"] == "dm8"
    assert pinned.stack["os"] == "kylin-server-v10"
    assert "database: dm8 is pinned" in pinned.reasons

    gap = blocker(
        run(catalog, system, pinned={"database": "dm8"}, forbidden=["kylin-server-v10"]), "loans"
    )
    assert gap.code == "PLN212"
    assert gap.missing == (
        "no os candidate of rhel (uos-server-v20) is certified with pinned database dm8"
    )

    gap = blocker(
        run(catalog, system, pinned={"database": "dm8", "cpu": "loongson-3c5000"}), "loans"
    )
    assert gap.code == "PLN212"
    assert gap.missing == (
        "pinned database dm8 is not certified with os uos-server-v20 on pinned cpu loongson-3c5000"
    )


def test_two_pins_that_never_meet_are_named(catalog: Catalog) -> None:
    system = SystemInput("loans", ORACLE_ON_RHEL, scanned=True)
    gap = blocker(
        run(catalog, system, pinned={"os": "uos-server-v20", "cpu": "hygon-c86"}), "loans"
    )
    assert gap.code == "PLN212"
    assert gap.missing == "pinned os uos-server-v20 is not certified with pinned cpu hygon-c86"

    gap = blocker(
        run(catalog, system, pinned={"cpu": "hygon-c86"}, forbidden=["kylin-server-v10"]), "loans"
    )
    assert gap.code == "PLN212"
    assert gap.missing == (
        "no os candidate of rhel (uos-server-v20) is certified with pinned cpu hygon-c86"
    )


def test_no_candidate_left_after_removing_a_vendor(catalog: Catalog) -> None:
    system = SystemInput("loans", ORACLE_ON_RHEL, scanned=True)
    gap = blocker(run(catalog, system, forbidden_vendors=["tongtech"]), "loans")
    assert gap.code == "PLN210"
    assert gap.missing == (
        "no domestic candidate for weblogic (middleware) left after exclusions: tongweb"
    )


def test_removing_a_parent_vendor_removes_its_subsidiaries(catalog: Catalog) -> None:
    system = SystemInput(
        "mail", {"os": ["windows-10"], "office-suite": ["microsoft-teams"]}, scanned=True
    )
    gap = blocker(run(catalog, system, forbidden_vendors=["alibaba"]), "mail")
    assert gap.missing == (
        "no domestic candidate for microsoft-teams (office-suite) left after exclusions: dingtalk"
    )


def test_terminal_keeps_office_and_chat_apart(catalog: Catalog) -> None:
    system = SystemInput(
        "desktops",
        {"os": ["windows-10"], "office-suite": ["microsoft-office", "microsoft-teams"]},
        {"wps": 30.0},
        scanned=True,
    )
    chosen = choice(run(catalog, system), "desktops")
    assert chosen.stack == {
        "os": "kylin-desktop-v10",
        "office-suite/microsoft-office": "wps-office",
        "office-suite/microsoft-teams": "dingtalk",
    }
    assert "fix 30 min of scanner findings for target wps" in chosen.conditions


def test_the_penalty_per_distinct_stack_makes_systems_share(catalog: Catalog) -> None:
    platform = {k: v for k, v in ORACLE_ON_RHEL.items() if k != "middleware-appserver"}
    plain = SystemInput("a-plain", platform, scanned=True)
    loong_heavy = SystemInput("b-heavy", platform, {"loongarch64": 960.0}, scanned=True)

    apart = run(catalog, plain, loong_heavy, stack_penalty=0)
    assert choice(apart, "a-plain").stack["cpu"] == "loongson-3c5000"
    assert choice(apart, "b-heavy").stack["cpu"] == "hygon-c86"
    assert apart.distinct_stacks == 2

    shared = run(catalog, plain, loong_heavy)
    assert choice(shared, "a-plain").stack == choice(shared, "b-heavy").stack
    assert choice(shared, "b-heavy").stack["cpu"] == "loongson-3c5000"
    assert shared.distinct_stacks == 1
    assert "the same stack serves 1 other systems" in choice(shared, "b-heavy").reasons
    assert shared.objective == 1900 + 2100 + 2000
    assert list(shared.stacks.values()) == [["a-plain", "b-heavy"]]


def test_no_code_scan_means_unknown_and_low_confidence(catalog: Catalog) -> None:
    chosen = choice(run(catalog, SystemInput("loans", ORACLE_ON_RHEL)), "loans")
    assert chosen.readiness == "unknown"
    assert chosen.confidence <= 0.35
    assert "no code scan: the effort is the catalog's base estimate only" in chosen.reasons


def test_unidentified_assets_lower_confidence(catalog: Catalog) -> None:
    system = SystemInput("loans", ORACLE_ON_RHEL, scanned=True, unidentified=3)
    assert choice(run(catalog, system), "loans").confidence == 0.85


def test_a_domestic_stack_already_in_use_is_kept(catalog: Catalog) -> None:
    system = SystemInput(
        "hr",
        {"cpu": ["hygon-c86"], "os": ["kylin-server-v10"], "database-centralized": ["kingbasees"]},
        scanned=False,
    )
    chosen = choice(run(catalog, system), "hr")
    assert chosen.stack == {"cpu": "hygon-c86", "os": "kylin-server-v10", "database": "kingbasees"}
    assert chosen.effort_days == 0
    assert chosen.readiness == "ready"
    statuses = {link.product_b: link.status for link in chosen.links}
    assert statuses["kingbasees"] == "in-use"  # proven in production beats an unconfirmed row
    assert "database: keeps kingbasees (already runs it)" in chosen.reasons


def test_retired_and_kept_systems_get_no_stack(catalog: Catalog) -> None:
    result = run(
        catalog,
        SystemInput("old", ORACLE_ON_RHEL, disposition="retire"),
        SystemInput("exempt", ORACLE_ON_RHEL, disposition="keep"),
    )
    assert choice(result, "old").stack == {}
    assert choice(result, "old").reasons == ("retired: no target stack",)
    assert choice(result, "exempt").reasons == ("kept under an exemption: no target stack",)
    assert choice(result, "exempt").effort_days == 0


def test_application_layers_join_the_stack_only_when_replaced(catalog: Catalog) -> None:
    products = {**ORACLE_ON_RHEL, "erp-finance": ["oracle-ebs"]}
    migrated = choice(run(catalog, SystemInput("erp", products, scanned=True)), "erp")
    assert "erp-finance" not in migrated.stack
    assert "oracle-ebs (erp-finance) is outside the target stack and stays" in migrated.reasons

    replaced = blocker(
        run(catalog, SystemInput("erp", products, scanned=True, disposition="replace")), "erp"
    )
    assert replaced.missing == "no domestic candidate for oracle-ebs (erp-finance) in the catalog"


def test_a_system_with_no_stack_product_is_unknown(catalog: Catalog) -> None:
    chosen = choice(run(catalog, SystemInput("ghost", {})), "ghost")
    assert chosen.readiness == "unknown"
    assert chosen.stack == {}


def test_results_are_reproducible(catalog: Catalog) -> None:
    systems = [
        SystemInput(f"s{i}", ORACLE_ON_RHEL, {"loongarch64": 300.0 * i}, scanned=True)
        for i in range(6)
    ]
    first = run(catalog, *systems, seed=3)
    second = run(catalog, *systems, seed=3)
    assert first.choices == second.choices
    assert first.objective == second.objective


@pytest.mark.parametrize(
    ("options", "systems", "expected"),
    [
        (
            {},
            [SystemInput("a", {"os": ["no-such-os"]})],
            "systems:a: PLN201 products.os: not a catalog product (got 'no-such-os')",
        ),
        (
            {},
            [SystemInput("a", {}, disposition="move")],  # type: ignore[arg-type]
            "systems:a: PLN202 disposition: disposition must be one of "
            "migrate, replace, retire, keep (got 'move')",
        ),
        (
            {"pinned": {"databse": "dm8"}},
            [],
            "plan.yaml: PLN203 pinned.databse: not a stack role; roles: cpu, server, terminal, "
            "virtualization, os, database, middleware, messaging, runtime, office-suite, browser, "
            "erp-finance, email, industrial-software (got 'databse')",
        ),
        (
            {"pinned": {"database": "tongweb"}},
            [],
            "plan.yaml: PLN203 pinned.database: tongweb is a middleware-appserver product, "
            "not a database (got 'tongweb')",
        ),
        (
            {"pinned": {"database": "oracle-database"}},
            [],
            "plan.yaml: PLN203 pinned.database: only a domestic product can be pinned "
            "(got 'oracle-database')",
        ),
        (
            {"pinned": {"database": "dm8"}, "forbidden_vendors": ["dameng"]},
            [],
            "plan.yaml: PLN204 pinned.database: pinned and forbidden at once (got 'dm8')",
        ),
        (
            {"forbidden_vendors": ["dameng-corp"]},
            [],
            "plan.yaml: PLN205 forbidden_vendors: not a catalog vendor (got 'dameng-corp')",
        ),
        (
            {},
            [SystemInput("a", {}), SystemInput("a", {})],
            "systems: PLN206 name: system named 2 times (got 'a')",
        ),
        (
            {"stack_penalty": -1},
            [],
            "plan.yaml: PLN207 stack_penalty: must be zero or more (got '-1')",
        ),
    ],
)
def test_bad_input_is_one_located_line(
    catalog: Catalog, options: dict[str, object], systems: list[SystemInput], expected: str
) -> None:
    with pytest.raises(DataError) as caught:
        choose_stacks(catalog, systems, origin="plan.yaml", **options)  # type: ignore[arg-type]
    assert caught.value.lines() == [expected]
