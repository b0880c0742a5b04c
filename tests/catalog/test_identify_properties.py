"""Properties of the identification kernel that must hold for any input."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinchuang.catalog.identify import HINT_FIELDS, MATCH_LEVELS, SHARED_CPU_VENDORS, Identifier
from xinchuang.catalog.model import Catalog
from xinchuang.models.asset import AssetKind

KINDS = [kind.value for kind in AssetKind]
# Text that looks like what inventories hold, and text that does not.
noise = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(),  # spreadsheets and JSON hand over numbers and lists too
    st.lists(st.text(max_size=5), max_size=2),
    st.sampled_from(
        [
            "MySQL",
            "mysql-server",
            "达梦数据库",
            "Oracle Databse",
            "pkg:maven/com.dameng/x@1",
            "cpe:2.3:a:oracle:mysql",
            "cpe:/",
            "pkg:",
            "0x48",
            "0xd01",
            "kylin",
            "  Shanghai  ",
            "Windows 10 Pro",
            "(((",
            "[",
            "\\",
            "\x00",
            "٣٤",
            "Ⅻ",
            "ﬃ",
            " ",
            "",
        ]
    ),
)
hints = st.fixed_dictionaries(
    {"kind": st.one_of(st.none(), st.sampled_from(KINDS), st.text(max_size=8))},
    optional={field: noise for field in HINT_FIELDS if field != "kind"},
)
relaxed = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@relaxed
@given(hints)
def test_identify_never_raises_and_stays_in_range(
    identifier: Identifier, record: dict[str, Any]
) -> None:
    match = identifier.identify(record)
    assert 0.0 <= match.confidence <= 1.0
    assert (match.level == "none") == (match.confidence == 0.0)
    assert (match.product_id is None) == (match.level != "product")
    assert match.level in MATCH_LEVELS
    assert match.origin in (None, "domestic", "foreign")
    assert isinstance(match.reason, str)
    assert match.reason


@relaxed
@given(hints)
def test_identify_is_deterministic_and_cached_equals_uncached(
    catalog: Catalog, identifier: Identifier, record: dict[str, Any]
) -> None:
    fresh = Identifier.from_catalog(catalog, cache_size=0)
    first = identifier.identify(record)
    assert identifier.identify(record) == first  # now from the cache
    assert fresh.identify(record) == first
    assert identifier.identify_many([record, record]) == [first, first]


def _exact_cases(catalog: Catalog) -> list[tuple[str, dict[str, str]]]:
    """(product, hints) for every exact identifier in the catalog."""
    cases: list[tuple[str, dict[str, str]]] = []
    for product in catalog.products.values():
        kind = {"cpu": "cpu", "os": "os"}.get(product.layer)
        if kind is None:
            kind = "machine" if catalog.layers[product.layer].group == "hardware" else "component"
        ids = product.identifiers
        for purl in ids.purl:
            cases.append((product.id, {"kind": kind, "purl": purl}))
        for cpe in ids.cpe:
            cases.append((product.id, {"kind": kind, "cpe": f"cpe:2.3:a:{cpe}:*:*:*:*:*:*:*:*"}))
            cases.append((product.id, {"kind": kind, "cpe": f"cpe:/a:{cpe}"}))
        if kind == "component":  # package names are software
            for deb in ids.deb:
                cases.append((product.id, {"kind": "software", "name": deb, "package_type": "deb"}))
            for rpm in ids.rpm:
                cases.append((product.id, {"kind": "software", "name": rpm, "package_type": "rpm"}))
        for vendor_id in ids.cpu_vendor:
            # a vendor string more than one maker reports proves nothing alone
            if vendor_id.strip().casefold() not in SHARED_CPU_VENDORS:
                cases.append((product.id, {"kind": "cpu", "cpu_vendor_id": vendor_id}))
        for arm in ids.arm_cpu:
            arm_hints = {"kind": "cpu", "arm_implementer": arm.implementer}
            if arm.part:
                arm_hints["arm_part"] = arm.part
            cases.append((product.id, arm_hints))
        for osr in ids.os_release:
            if osr.name is None and osr.version is None:
                cases.append((product.id, {"kind": "os", "os_id": osr.id}))
    return cases


@relaxed
@given(data=st.data())
def test_a_products_own_exact_identifiers_always_identify_it(
    catalog: Catalog, identifier: Identifier, data: st.DataObject
) -> None:
    cases = _exact_cases(catalog)
    assert len(cases) > 20
    product, exact = data.draw(st.sampled_from(cases))
    # Hints that decide nothing may hold anything.
    record = {
        **exact,
        "version": data.draw(st.one_of(st.none(), st.text(max_size=12))),
        "arch": data.draw(st.one_of(st.none(), st.sampled_from(["x86_64", "arm64", "龙芯"]))),
    }
    match = identifier.identify(record)
    if "cpu_vendor_id" in exact and match.product_id is None:
        # a CPUID vendor string names the maker; with several lines, only the maker is certain
        owner = catalog.products[product]
        assert (match.level, match.vendor) == ("vendor", owner.vendor)
        assert match.origin == ("domestic" if owner.domestic else "foreign")
    else:
        assert match.product_id == product
