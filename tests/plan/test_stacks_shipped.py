"""The stack chooser on the shipped catalog: a typical foreign system finds a certified stack."""

from __future__ import annotations

import datetime as dt

import pytest

from xinchuang.catalog.loader import load_catalog
from xinchuang.catalog.model import Catalog
from xinchuang.plan.stack_constraints.roles import ISA_TARGETS, PRODUCT_TARGETS, scanner_target
from xinchuang.plan.stacks import StackChoice, SystemInput, choose_stacks, stack_link_problems
from xinchuang.scan.targets import TARGETS


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog()


def test_oracle_weblogic_rhel_intel_finds_a_certified_domestic_stack(shipped: Catalog) -> None:
    system = SystemInput(
        "core-banking",
        {
            "cpu": ["intel-xeon"],
            "os": ["rhel"],
            "database-centralized": ["oracle-database"],
            "middleware-appserver": ["weblogic"],
        },
        {"arm64": 960.0, "dm": 2400.0, "kingbase": 1200.0},
        scanned=True,
    )
    result = choose_stacks(shipped, [system], today=dt.date(2026, 1, 1), time_limit=5.0)
    chosen = result.get("core-banking")
    assert isinstance(chosen, StackChoice), chosen
    assert set(chosen.stack) == {"cpu", "os", "database", "middleware"}
    for product_id in chosen.stack.values():
        assert shipped.products[product_id].domestic
    oracle_candidates = {c.product for c in shipped.substitutions["oracle-database"].candidates}
    assert chosen.stack["database"] in oracle_candidates
    assert stack_link_problems(shipped, chosen.stack) == []
    assert {link.status for link in chosen.links} <= {"certified", "unconfirmed"}
    assert len(chosen.links) == 4  # cpu–os, os–database, os–middleware, database–middleware
    assert chosen.readiness in {"ready", "ready-with-conditions"}
    assert chosen.effort_days > 0
    assert result.status == "OPTIMAL"


@pytest.mark.parametrize(
    ("product", "replaces", "target"),
    [
        ("kunpeng-920", "intel-xeon", "arm64"),
        ("phytium-s2500", "intel-xeon", "arm64"),
        ("loongson-3c6000", "intel-xeon", "loongarch64"),
        ("sunway-1621", "intel-xeon", "sw64"),
        ("hygon-c86", "intel-xeon", None),
        ("zhaoxin-kx", "intel-xeon", None),
        ("dm8", "oracle-database", "dm"),
        ("kingbasees", "oracle-database", "kingbase"),
        ("opengauss", "oracle-database", "opengauss"),
        ("gaussdb", "oracle-database", "gaussdb"),
        ("oceanbase", "oracle-database", "oceanbase-oracle"),
        ("oceanbase", "mysql", "oceanbase-mysql"),
        ("tidb", "mysql", "tidb"),
        ("polardb", "oracle-database", "polardb"),
        ("kylin-server-v10", "rhel", "kylin"),
        ("kylin-desktop-v10", "windows-10", "kylin"),
        ("uos-server-v20", "rhel", "uos"),
        ("uos-desktop-v20", "windows-10", "uos"),
        ("wps-office", "microsoft-office", "wps"),
        ("openeuler", "rhel", None),
    ],
)
def test_products_map_to_scanner_targets(
    shipped: Catalog, product: str, replaces: str, target: str | None
) -> None:
    assert scanner_target(shipped.products[product], replaces) == target


def test_every_mapped_target_is_a_scanner_target() -> None:
    assert set(PRODUCT_TARGETS.values()) | set(ISA_TARGETS.values()) <= set(TARGETS)


def test_upstream_open_source_without_a_certified_replacement_is_kept_not_blocking(
    shipped: Catalog,
) -> None:
    # Python has no domestic replacement (its only candidate is unconfirmed and certified with
    # no OS): the system must still get a stack, with Python kept and said so.
    system = SystemInput(
        "atm-front",
        {
            "cpu": ["intel-xeon"],
            "os": ["rhel"],
            "database-centralized": ["oracle-database"],
            "developer-runtime": ["python"],
        },
        {},
        scanned=False,
    )
    result = choose_stacks(shipped, [system], today=dt.date(2026, 1, 1), time_limit=5.0)
    chosen = result.get("atm-front")
    assert isinstance(chosen, StackChoice), chosen
    assert "runtime" not in chosen.stack
    assert any(
        reason.startswith("python (developer-runtime) is kept: foreign-governed open source")
        for reason in chosen.reasons
    )
    assert shipped.products[chosen.stack["database"]].domestic


MOBILE_BANKING = {
    "cpu": ["intel-xeon"],
    "os": ["centos"],
    "database-centralized": ["mysql"],
    "middleware-appserver": ["nginx", "tomcat"],
    "developer-runtime": ["nodejs", "openjdk"],
}


def test_a_tier_8_system_replaces_every_open_source_layer_the_policy_names(
    shipped: Catalog,
) -> None:
    policy = shipped.policies["default"]
    system = SystemInput(
        "mobile-banking",
        MOBILE_BANKING,
        tier="8",
        must_replace=policy.must_replace("8"),
        policy="default",
    )
    result = choose_stacks(shipped, [system], today=dt.date(2026, 1, 1), time_limit=5.0)
    chosen = result.get("mobile-banking")
    assert isinstance(chosen, StackChoice), chosen
    replaced = {p for products in chosen.replaces.values() for p in products}
    blocked = {p for block in chosen.blocked for p in block.current}
    # CentOS, MySQL, nginx and Tomcat each get a domestic target or a named block
    for product in ("intel-xeon", "centos", "mysql", "nginx", "tomcat"):
        assert product in replaced | blocked, product
    for block in chosen.blocked:
        assert block.pairs or block.code == "PLN210"
    # what tier 8 does not have to replace is kept, with the policy named
    kept = " ".join(chosen.reasons)
    assert "nodejs (developer-runtime) is kept" in kept
    assert "which policy default does not require tier 8 to replace" in kept
    assert all(shipped.products[p].domestic for p in chosen.stack.values())


def test_a_server_os_is_replaced_by_a_server_edition(shipped: Catalog) -> None:
    system = SystemInput(
        "core", {"cpu": ["intel-xeon"], "os": ["windows-server"]}, tier="8", policy="default"
    )
    result = choose_stacks(shipped, [system], today=dt.date(2026, 1, 1), time_limit=5.0)
    chosen = result.get("core")
    assert isinstance(chosen, StackChoice), chosen
    assert "desktop" not in chosen.stack["os"]
    desktop = SystemInput("pc", {"cpu": ["intel-core"], "os": ["windows-10"]}, tier="2")
    pc = choose_stacks(shipped, [desktop], today=dt.date(2026, 1, 1), time_limit=5.0).get("pc")
    assert isinstance(pc, StackChoice), pc
    assert "server" not in pc.stack["os"]


def test_a_domestic_product_whose_vendor_is_removed_is_replaced_by_its_peers(
    shipped: Catalog,
) -> None:
    system = SystemInput(
        "on-hygon",
        {"cpu": ["hygon-c86"], "os": ["kylin-server-v10"], "database-centralized": ["dm8"]},
        {},
        scanned=False,
    )
    result = choose_stacks(
        shipped, [system], forbidden_vendors=["hygon"], today=dt.date(2026, 1, 1), time_limit=5.0
    )
    chosen = result.get("on-hygon")
    assert isinstance(chosen, StackChoice), chosen
    assert chosen.stack["cpu"] != "hygon-c86"
    xeon_candidates = {c.product for c in shipped.substitutions["intel-xeon"].candidates}
    assert chosen.stack["cpu"] in xeon_candidates
    assert any("hygon-c86 must go" in reason for reason in chosen.reasons)


def test_platforms_are_lines_with_their_cpu(shipped: Catalog) -> None:
    today = dt.date(2026, 1, 1)
    # an Inspur x86 (Intel) line is a foreign platform: with keep_vendor it moves to an Inspur
    # line on a domestic CPU, certified as a platform with that CPU
    system = SystemInput(
        "portal",
        {"cpu": ["intel-xeon"], "server": ["inspur-server-x86"], "os": ["centos"]},
        tier="2",
        must_replace=shipped.policies["default"].must_replace("2"),
        keep_vendor=frozenset({"server"}),
    )
    chosen = choose_stacks(shipped, [system], today=today, time_limit=5.0).get("portal")
    assert isinstance(chosen, StackChoice), chosen
    line = shipped.products[chosen.stack["server"]]
    assert line.vendor == "inspur" and line.id != "inspur-server-x86"
    assert chosen.stack["cpu"] in line.cpus
    assert any("platform-line" in reason for reason in chosen.reasons)
    # a domestic Sugon Hygon machine whose CPU vendor is removed moves to another line
    hygon = SystemInput(
        "docs", {"cpu": ["hygon-c86"], "server": ["sugon-server-hygon"], "os": ["kylin-server-v10"]}
    )
    moved = choose_stacks(
        shipped, [hygon], forbidden_vendors=["hygon"], today=today, time_limit=5.0
    ).get("docs")
    assert isinstance(moved, StackChoice), moved
    assert moved.stack["cpu"] in shipped.products[moved.stack["server"]].cpus
