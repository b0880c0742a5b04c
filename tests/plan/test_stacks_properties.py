"""Properties of choose_stacks on generated small organizations over the tiny catalog.

Checked without trusting the solver: every stack passes the certification
check the validator uses, holds no forbidden product or vendor, honours pins,
and (with no penalty per stack) is each system's cheapest certified stack; with
a penalty, the objective equals a brute-force minimum over every combination.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinchuang.catalog.loader import load_catalog
from xinchuang.catalog.model import Catalog
from xinchuang.plan.stack_constraints.candidates import build_slots, excluded_vendors
from xinchuang.plan.stack_constraints.roles import role_of
from xinchuang.plan.stack_constraints.search import LinkCache, search_stacks
from xinchuang.plan.stacks import (
    StackBlocker,
    StackChoice,
    SystemInput,
    choose_stacks,
    stack_link_problems,
)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plan" / "stacks"
TODAY = dt.date(2026, 6, 1)
CATALOG: Catalog = load_catalog([FIXTURE], shipped=False)
PRODUCTS = sorted(CATALOG.products)
DOMESTIC_VENDORS = sorted(v for v, vendor in CATALOG.vendors.items() if vendor.country == "CN")
PINNABLE = sorted(
    (role, p.id)
    for p in CATALOG.products.values()
    if p.domestic and (role := role_of(p.layer, "replace")) is not None
)
TARGETS = ["arm64", "loongarch64", "dm", "kingbase", "kylin", "uos", "wps", "oceanbase-oracle"]

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def system_inputs(draw: st.DrawFn, name: str) -> SystemInput:
    chosen = draw(st.lists(st.sampled_from(PRODUCTS), min_size=1, max_size=5, unique=True))
    products: dict[str, list[str]] = {}
    for product_id in chosen:
        products.setdefault(CATALOG.products[product_id].layer, []).append(product_id)
    minutes = draw(
        st.dictionaries(st.sampled_from(TARGETS), st.integers(0, 4000).map(float), max_size=4)
    )
    return SystemInput(
        name=name,
        products=products,
        findings_minutes_by_target=minutes,
        scanned=draw(st.booleans()),
        disposition=draw(st.sampled_from(["migrate", "migrate", "replace", "retire", "keep"])),
        unidentified=draw(st.integers(0, 3)),
    )


@st.composite
def organizations(draw: st.DrawFn, most: int = 4) -> list[SystemInput]:
    count = draw(st.integers(1, most))
    return [draw(system_inputs(f"s{i}")) for i in range(count)]


def running(system: SystemInput) -> set[str]:
    return {p for products in system.products.values() for p in products}


@SETTINGS
@given(
    systems=organizations(),
    banned=st.lists(st.sampled_from(DOMESTIC_VENDORS), max_size=3, unique=True),
    pins=st.lists(st.sampled_from(PINNABLE), max_size=2, unique_by=lambda pin: pin[0]),
    penalty=st.integers(0, 40),
)
def test_stacks_are_certified_free_of_removed_vendors_and_pinned(
    systems: list[SystemInput], banned: list[str], pins: list[tuple[str, str]], penalty: int
) -> None:
    removed = excluded_vendors(CATALOG, banned)
    pinned = {
        role: product for role, product in pins if CATALOG.products[product].vendor not in removed
    }
    result = choose_stacks(
        CATALOG,
        systems,
        pinned=pinned,
        forbidden_vendors=banned,
        stack_penalty=penalty,
        today=TODAY,
        time_limit=5.0,
    )
    assert sorted([*result.choices, *result.blockers]) == sorted(s.name for s in systems)
    assert not set(result.choices) & set(result.blockers)
    by_name = {s.name: s for s in systems}
    for name, choice in result.choices.items():
        system = by_name[name]
        assert isinstance(choice, StackChoice)
        assert 0.0 <= choice.confidence <= 1.0
        assert choice.effort_days >= 0
        for product_id in choice.stack.values():
            product = CATALOG.products[product_id]
            assert product.domestic
            assert product.vendor not in removed, (product_id, banned)
        assert stack_link_problems(CATALOG, choice.stack, running(system)) == []
        for role, product_id in pinned.items():
            places = [key for key in choice.stack if key.split("/")[0] == role]
            blocked = [b for b in choice.blocked if b.role == role]
            if places and not blocked:
                assert product_id in [choice.stack[key] for key in places]
        for block in choice.blocked:  # a blocked place names what is missing
            assert block.code in {"PLN210", "PLN211", "PLN212"}
            assert block.missing and block.unblock
        if system.disposition in ("retire", "keep"):
            assert choice.stack == {}
    for blocker in result.blockers.values():
        assert isinstance(blocker, StackBlocker)
        assert blocker.code in {"PLN210", "PLN211", "PLN212"}
        assert blocker.missing


def _options(systems: list[SystemInput]):  # type: ignore[no-untyped-def]
    out = {}
    for system in systems:
        if system.disposition in ("retire", "keep"):
            continue
        slots = build_slots(
            CATALOG,
            system,
            pins={},
            forbidden=frozenset(),
            banned_vendors=frozenset(),
            today=TODAY,
        )
        if not slots.slots:
            continue
        if not any(s.foreign for s in slots.slots) and all(
            not c.hold for s in slots.slots for c in s.candidates
        ):
            continue  # already compliant: kept, outside the selection
        found = search_stacks(LinkCache(CATALOG), slots, 10_000)
        if found.options:
            out[system.name] = ([s.key for s in slots.slots], found.options)
    return out


@SETTINGS
@given(systems=organizations())
def test_without_a_stack_penalty_each_system_gets_its_cheapest_stack(
    systems: list[SystemInput],
) -> None:
    result = choose_stacks(CATALOG, systems, stack_penalty=0, today=TODAY, time_limit=5.0)
    for name, (_keys, options) in _options(systems).items():
        choice = result.get(name)
        if isinstance(choice, StackBlocker):  # every place blocked: its cheapest is all blocks
            assert all(not all(o.products) for o in options)
            continue
        cost = round(choice.effort_days * 100) + 50 * choice.risk + choice.penalty_centidays
        assert cost == min(o.cost for o in options)


@SETTINGS
@given(systems=organizations(most=3), penalty=st.integers(1, 40))
def test_the_objective_is_the_brute_force_minimum(systems: list[SystemInput], penalty: int) -> None:
    options = _options(systems)
    result = choose_stacks(CATALOG, systems, stack_penalty=penalty, today=TODAY, time_limit=5.0)
    rows = list(options.values())
    best = None
    for combo in itertools.product(*(range(len(opts)) for _keys, opts in rows)):
        keys = {
            tuple(sorted(zip(rows[s][0], rows[s][1][k].products, strict=True)))
            for s, k in enumerate(combo)
        }
        total = sum(rows[s][1][k].cost for s, k in enumerate(combo)) + penalty * 100 * len(keys)
        best = total if best is None else min(best, total)
    assert result.status == "OPTIMAL"
    assert result.objective == (best or 0)
