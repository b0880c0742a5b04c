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
    LayerBlock,
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
    # a recorded listing that lapsed costs risk; no recorded listing is "listing unknown"
    assert "kingbasees: its Xinchuang list entry is no longer current, +8 risk" in reasons
    assert not any(reason.startswith("tongweb:") and "list" in reason for reason in reasons)


def test_a_product_with_no_recorded_listing_is_not_charged_as_never_listed(
    catalog: Catalog,
) -> None:
    from xinchuang.plan.stack_constraints.candidates import product_risk

    oceanbase = catalog.products["oceanbase"]
    assert not oceanbase.listings and oceanbase.domestic
    _risk, reasons = product_risk(catalog, oceanbase, TODAY)
    assert not any("list" in reason for reason in reasons)


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


def blocked(result: StackResult, name: str, place: str) -> LayerBlock:
    found = result.get(name)
    for block in found.blocked:
        if block.place == place:
            return block
    raise AssertionError(f"{place} of {name} is not blocked: {found}")


def test_missing_link_between_two_places_blocks_only_that_place(catalog: Catalog) -> None:
    system = SystemInput("loans", ORACLE_ON_RHEL, scanned=True)
    result = run(catalog, system, forbidden=["dm8", "kingbasees"])
    partial = choice(result, "loans")
    # a partial stack: the platform and the middleware move, the database alone is blocked
    assert set(partial.stack) == {"cpu", "os", "middleware"}
    gap = blocked(result, "loans", "database")
    assert gap.code == "PLN211"
    assert gap.current == ("oracle-database",)
    assert gap.missing.startswith(
        "no database candidate of oracle-database (oceanbase) is certified with os "
    )
    assert ("oceanbase", partial.stack["os"]) in gap.pairs
    assert gap.unblock.startswith("a certification of any one pair would unblock it: oceanbase × ")
    lines = partial.reasons
    assert any(line.startswith("PLN211 database stays oracle-database") for line in lines)


def test_missing_link_in_a_combination_is_named(catalog: Catalog) -> None:
    # Loongson runs only UOS, DM8 only Kylin: every pair has some partner, no triple works.
    system = SystemInput("loans", ORACLE_ON_RHEL, scanned=True)
    result = run(catalog, system, forbidden=["kingbasees"], forbidden_vendors=["huawei", "hygon"])
    partial = choice(result, "loans")
    assert partial.stack["cpu"] == "loongson-3c5000"
    assert partial.stack["os"] == "uos-server-v20"
    gap = blocked(result, "loans", "database")
    assert gap.code == "PLN211"
    assert ("dm8", "uos-server-v20") in gap.pairs
    assert ("oceanbase", "uos-server-v20") in gap.pairs


def test_a_pin_is_honoured_or_named_in_the_block(catalog: Catalog) -> None:
    system = SystemInput("loans", ORACLE_ON_RHEL, scanned=True)
    pinned = choice(run(catalog, system, pinned={"database": "dm8"}), "loans")
    assert pinned.stack["database"] == "dm8"
    assert pinned.stack["os"] == "kylin-server-v10"
    assert "database: dm8 is pinned" in pinned.reasons

    result = run(catalog, system, pinned={"database": "dm8"}, forbidden=["kylin-server-v10"])
    gap = blocked(result, "loans", "database")
    assert gap.code == "PLN212"
    assert gap.pairs == (("dm8", "uos-server-v20"),)
    assert choice(result, "loans").stack["os"] == "uos-server-v20"


def test_two_pins_that_never_meet_block_the_lesser_place(catalog: Catalog) -> None:
    system = SystemInput("loans", ORACLE_ON_RHEL, scanned=True)
    result = run(catalog, system, pinned={"os": "uos-server-v20", "cpu": "hygon-c86"})
    gap = blocked(result, "loans", "os")  # the CPU weighs more than the OS on it
    assert gap.code == "PLN212"
    assert ("uos-server-v20", "hygon-c86") in gap.pairs
    assert choice(result, "loans").stack["cpu"] == "hygon-c86"


def test_no_candidate_left_after_removing_a_vendor(catalog: Catalog) -> None:
    system = SystemInput("loans", ORACLE_ON_RHEL, scanned=True)
    result = run(catalog, system, forbidden_vendors=["tongtech"])
    gap = blocked(result, "loans", "middleware")
    assert gap.code == "PLN210"
    assert gap.missing == (
        "no domestic candidate for weblogic (middleware) left after exclusions: tongweb"
    )
    assert gap.unblock == "allow one of tongweb, or add another substitution for weblogic"
    assert "database" in choice(result, "loans").stack


def test_removing_a_parent_vendor_removes_its_subsidiaries(catalog: Catalog) -> None:
    system = SystemInput(
        "mail", {"os": ["windows-10"], "office-suite": ["microsoft-teams"]}, scanned=True
    )
    gap = blocked(run(catalog, system, forbidden_vendors=["alibaba"]), "mail", "office-suite")
    assert gap.missing == (
        "no domestic candidate for microsoft-teams (office-suite) left after exclusions: dingtalk"
    )


def test_every_place_blocked_is_a_system_blocker(catalog: Catalog) -> None:
    system = SystemInput("chat", {"office-suite": ["microsoft-teams"]}, scanned=True)
    gap = blocker(run(catalog, system, forbidden_vendors=["alibaba"]), "chat")
    assert gap.code == "PLN210"
    assert gap.blocked[0].place == "office-suite"
    assert gap.readiness == "not-ready"


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
    # already domestic: nothing to do, no capacity
    assert chosen.compliant
    assert chosen.disposition == "keep"
    assert chosen.stack == {"cpu": "hygon-c86", "os": "kylin-server-v10", "database": "kingbasees"}
    assert chosen.effort_days == 0
    assert chosen.readiness == "ready"
    assert chosen.reasons[0] == "keep (already compliant): every stack layer is already domestic"


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


def test_a_foreign_application_product_is_replaced_or_blocked(catalog: Catalog) -> None:
    products = {**ORACLE_ON_RHEL, "erp-finance": ["oracle-ebs"]}
    # even a migrated system may not keep a foreign application product (Oracle EBS):
    # it gets a domestic target or, as here with no substitution, a named block
    migrated = run(catalog, SystemInput("erp", products, scanned=True))
    assert "erp-finance" not in choice(migrated, "erp").stack
    assert blocked(migrated, "erp", "erp-finance").code == "PLN210"

    result = run(catalog, SystemInput("erp", products, scanned=True, disposition="replace"))
    gap = blocked(result, "erp", "erp-finance")
    assert gap.missing == "no domestic candidate for oracle-ebs (erp-finance) in the catalog"
    assert gap.unblock == "a catalog substitution for oracle-ebs would unblock it"


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
