"""The stack chooser's parts, each on the tiny catalog: places, links, search, selection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from xinchuang.catalog.loader import load_catalog
from xinchuang.catalog.model import Catalog
from xinchuang.plan.stack_constraints.candidates import build_slots, excluded_vendors
from xinchuang.plan.stack_constraints.links import link, roles_linked, stack_link_problems
from xinchuang.plan.stack_constraints.records import SystemInput
from xinchuang.plan.stack_constraints.search import LinkCache, StackOption, search_stacks
from xinchuang.plan.stack_constraints.selection import independent_groups, merge_classes, select

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plan" / "stacks"
TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([FIXTURE], shipped=False)


def slots_of(catalog: Catalog, system: SystemInput, **options: object):  # type: ignore[no-untyped-def]
    options.setdefault("pins", {})
    options.setdefault("forbidden", frozenset())
    options.setdefault("banned_vendors", frozenset())
    return build_slots(catalog, system, today=TODAY, **options)  # type: ignore[arg-type]


def test_links_follow_the_catalog(catalog: Catalog) -> None:
    certified = link(catalog, "dm8", "kylin-server-v10")
    assert certified is not None
    assert certified.status == "certified"
    assert certified.kinds == ("vendor-platform-list",)
    assert certified.sources == ("https://example.org/cert/dm8",)
    assert certified.risk == 0
    unconfirmed = link(catalog, "kylin-server-v10", "kingbasees")
    assert unconfirmed is not None
    assert unconfirmed.status == "unconfirmed"
    assert unconfirmed.risk == 12
    assert link(catalog, "dm8", "uos-server-v20") is None
    in_use = link(catalog, "dm8", "uos-server-v20", running={"dm8", "uos-server-v20"})
    assert in_use is not None
    assert in_use.status == "in-use"


def test_only_linked_roles_are_checked(catalog: Catalog) -> None:
    assert roles_linked("os", "database")
    assert roles_linked("database", "os")
    assert roles_linked("database", "middleware")
    assert not roles_linked("cpu", "database")
    assert stack_link_problems(catalog, {"cpu": "loongson-3c5000", "database": "dm8"}) == []
    assert stack_link_problems(
        catalog, {"cpu": "loongson-3c5000", "os": "kylin-server-v10", "database": "dm8"}
    ) == ["cpu loongson-3c5000 and os kylin-server-v10 are not certified together"]


def test_a_banned_vendor_takes_its_subsidiaries(catalog: Catalog) -> None:
    assert excluded_vendors(catalog, ["alibaba"]) == {"alibaba", "ant-group"}
    assert excluded_vendors(catalog, ["ant-group"]) == {"ant-group"}


def test_places_group_what_can_replace_one_another(catalog: Catalog) -> None:
    system = SystemInput(
        "mixed",
        {
            "os": ["rhel", "kylin-server-v10"],
            "office-suite": ["microsoft-office", "microsoft-teams", "wps-office"],
            "erp-finance": ["oracle-ebs"],
        },
    )
    slots = slots_of(catalog, system)
    keys = [slot.key for slot in slots.slots]
    assert keys == [
        "os",
        "office-suite/microsoft-office+wps-office",
        "office-suite/microsoft-teams",
        "erp-finance",  # a foreign application product is replaced even when migrating
    ]
    os_slot = slots.slots[0]
    assert os_slot.current == ("kylin-server-v10", "rhel")
    assert os_slot.foreign == ("rhel",)
    assert [c.product for c in os_slot.candidates if not c.hold] == [
        "kylin-server-v10",
        "uos-server-v20",
    ]
    # a place holding a foreign product ends with its block candidate, at a penalty
    assert os_slot.candidates[-1].hold and os_slot.candidates[-1].penalty_centidays > 0
    assert os_slot.candidates[0].kept
    assert slots.notes == []


def test_carry_over_lowers_only_the_base_effort(catalog: Catalog) -> None:
    system = SystemInput(
        "db", {"database-centralized": ["oracle-database"]}, {"dm": 240.0}, scanned=True
    )
    (slot,) = slots_of(catalog, system).slots
    costs = {c.product: (c.effort_centidays, c.risk, c.targets) for c in slot.candidates}
    assert costs["dm8"] == (500 + 50, 0, ("dm",))  # 10 d × 0.5 + 240 min / 480
    assert costs["kingbasees"] == (500, 8, ("kingbase",))  # expired list entry
    # OceanBase: default 20 d × 0.5; unconfirmed substitution 6 + facts 4; no recorded
    # listing is "listing unknown" and costs nothing
    assert costs["oceanbase"] == (1000, 10, ("oceanbase-oracle",))


def test_forbidden_products_and_vendors_leave_the_candidates(catalog: Catalog) -> None:
    system = SystemInput("db", {"database-centralized": ["oracle-database"]})
    (slot,) = slots_of(
        catalog, system, forbidden=frozenset({"dm8"}), banned_vendors=frozenset({"ant-group"})
    ).slots
    assert [c.product for c in slot.candidates if not c.hold] == ["kingbasees"]
    assert set(slot.removed) == {"dm8", "oceanbase"}


def test_search_finds_every_certified_stack(catalog: Catalog) -> None:
    system = SystemInput("p", {"cpu": ["intel-xeon"], "os": ["rhel"]})
    found = search_stacks(LinkCache(catalog), slots_of(catalog, system), limit=100)
    full = [option for option in found.options if all(option.products)]
    partial = [option for option in found.options if not all(option.products)]
    # stacks with a blocked place ("") are options too, dearer by the block penalty
    assert partial and min(o.cost for o in partial) > max(o.cost for o in full)
    assert sorted(option.products for option in full) == [
        ("hygon-c86", "kylin-server-v10"),
        ("kunpeng-920", "kylin-server-v10"),
        ("kunpeng-920", "uos-server-v20"),
        ("loongson-3c5000", "uos-server-v20"),
    ]
    assert not found.truncated


def test_search_stops_at_its_limit(catalog: Catalog) -> None:
    system = SystemInput("p", {"cpu": ["intel-xeon"], "os": ["rhel"]})
    found = search_stacks(LinkCache(catalog), slots_of(catalog, system), limit=2)
    assert len(found.options) == 2
    assert found.truncated


def test_selection_trades_effort_against_distinct_stacks(catalog: Catalog) -> None:
    a = SystemInput("a", {"cpu": ["intel-xeon"], "os": ["rhel"]}, {"arm64": 4800.0})
    b = SystemInput("b", {"cpu": ["intel-xeon"], "os": ["rhel"]}, {"loongarch64": 4800.0})
    options = []
    for system in (a, b):
        slots = slots_of(catalog, system)
        options.append(
            ([s.key for s in slots.slots], search_stacks(LinkCache(catalog), slots, 100).options)
        )
    free = select(options, stack_penalty_centidays=0, time_limit=5.0, seed=0, workers=1)
    assert free.distinct == 2
    costly = select(options, stack_penalty_centidays=100_000, time_limit=5.0, seed=0, workers=1)
    assert costly.distinct == 1
    assert costly.status == "OPTIMAL"
    assert costly.objective == costly.bound
    picked = {options[s][1][k].products for s, k in enumerate(costly.chosen)}
    assert len(picked) == 1


def _option(products: tuple[str, ...], cost: int) -> StackOption:
    return StackOption(picks=(0,) * len(products), products=products, effort_centidays=cost, risk=0)


def test_interchangeable_systems_form_one_class() -> None:
    keys = ["cpu", "os"]
    cheap, dear = _option(("a", "b"), 100), _option(("c", "d"), 150)
    rows, class_of, sizes = merge_classes(
        [(keys, [cheap, dear]), (keys, [cheap, dear]), (keys, [dear])]
    )
    assert class_of == [0, 0, 1]
    assert sizes == [2, 1]
    assert [len(row) for row in rows] == [2, 1]


def test_a_dearer_stack_nobody_else_offers_is_dropped() -> None:
    keys = ["cpu", "os"]
    lonely = _option(("x", "y"), 500)
    rows, _class_of, _sizes = merge_classes(
        [(keys, [_option(("a", "b"), 100), lonely]), (keys, [_option(("c", "d"), 100)])]
    )
    assert [[key for _k, key, _cost in row] for row in rows] == [
        [(("cpu", "a"), ("os", "b"))],
        [(("cpu", "c"), ("os", "d"))],
    ]


def test_groups_that_share_no_stack_are_apart() -> None:
    keys = ["os"]
    rows, _class_of, _sizes = merge_classes(
        [
            (keys, [_option(("a",), 100), _option(("b",), 120)]),
            (keys, [_option(("b",), 100), _option(("a",), 130)]),
            (keys, [_option(("z",), 100)]),
        ]
    )
    assert sorted(sorted(group) for group in independent_groups(rows)) == [[0, 1], [2]]


def test_what_the_organization_runs_is_preferred_and_said(catalog: Catalog) -> None:
    plain = SystemInput("db", {"database-centralized": ["oracle-database"]})
    familiar = SystemInput(
        "db", {"database-centralized": ["oracle-database"]}, organization_runs=frozenset({"dm8"})
    )
    before = {c.product: c for c in slots_of(catalog, plain).slots[0].candidates}
    after = {c.product: c for c in slots_of(catalog, familiar).slots[0].candidates}
    # the organization's own DM8: base effort × 0.8, and the reason says why
    assert after["dm8"].effort_centidays == round(before["dm8"].effort_centidays * 0.8)
    assert after["kingbasees"].effort_centidays == before["kingbasees"].effort_centidays
    assert (
        "database: the organization already runs dm8 in other systems: base effort × 0.8 "
        "(preferred)"
    ) in after["dm8"].reasons
