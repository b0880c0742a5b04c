"""A small hand-made catalog and policy, so every expected number in the tests is exact."""

from __future__ import annotations

from typing import Any

from xinchuang.catalog.model import Catalog
from xinchuang.models.catalog import Layer, PolicyProfile, Product, Vendor

SOURCE = ["https://example.org/fact"]

LAYERS = [
    ("cpu", True, "host"),
    ("server", True, "host"),
    ("pc-terminal", True, "host"),
    ("os", True, "host"),
    ("database-centralized", True, "installation"),
    ("office-suite", True, "installation"),
    ("library", False, "installation"),
    ("font", False, "installation"),
]


def _listing(date: str | None, valid_until: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"list": "cnitsec-anke", "batch": "x", "source": SOURCE}
    if date:
        entry["date"] = date
    if valid_until:
        entry["valid_until"] = valid_until
    return entry


# id, layer, domestic, listings
PRODUCTS: list[tuple[str, str, bool, list[dict[str, Any]]]] = [
    ("dom-cpu", "cpu", True, [_listing("2024-01-01", "2027-01-01")]),
    ("for-cpu", "cpu", False, []),
    ("dom-server", "server", True, []),
    ("for-server", "server", False, []),
    ("dom-os", "os", True, [_listing("2021-06-30", "2024-06-30")]),
    ("for-os", "os", False, []),
    ("dom-db", "database-centralized", True, [_listing("2023-12-26", None)]),
    ("for-db", "database-centralized", False, []),
    ("dom-office", "office-suite", True, [_listing("2026-01-01", "2029-01-01")]),
    ("for-office", "office-suite", False, []),
    ("dom-line", "server", True, []),  # a Chinese brand's line sold with domestic CPUs only
    ("mixed-line", "server", True, []),  # the same brand's line sold with either
    ("lib-foo", "library", False, []),
    ("font-x", "font", False, []),
]

CPUS = {"dom-line": ["dom-cpu"], "mixed-line": ["dom-cpu", "for-cpu"]}

POLICY: dict[str, Any] = {
    "id": "test",
    "name": {"en": "Test profile"},
    "default_tier": "N",
    "tiers": [
        {"id": "2", "name": {"en": "Government"}, "sectors": ["government"]},
        {"id": "8", "name": {"en": "Key industries"}, "sectors": ["finance"]},
        {"id": "N", "name": {"en": "Others"}, "sectors": ["other"]},
    ],
    "sectors": [
        {"id": "government", "name": {"en": "Government", "zh": "政府机关"}, "aliases": ["政府"]},
        {"id": "finance", "name": {"en": "Finance", "zh": "金融"}, "aliases": ["银行", "bank"]},
        {"id": "other", "name": {"en": "Other"}},
    ],
    "deadlines": [],
}


def make_catalog() -> Catalog:
    """The test catalog: one domestic and one foreign product per layer."""
    layers = {
        lid: Layer.model_validate(
            {
                "id": lid,
                "name": {"en": lid.title()},
                "group": "hardware" if by == "host" else "application",
                "counted": counted,
                "count_by": by,
            }
        )
        for lid, counted, by in LAYERS
    }
    vendors = {
        vid: Vendor.model_validate(
            {
                "id": vid,
                "name": {"en": vid},
                "country": country,
                "country_source": {"source": SOURCE},
            }
        )
        for vid, country in (("dom", "CN"), ("for", "US"))
    }
    products = {
        pid: Product.model_validate(
            {
                "id": pid,
                "name": {"en": pid.replace("-", " ").title()},
                "aliases": [f"{pid} suite"],
                "vendor": "dom" if domestic else "for",
                "layer": layer,
                "control": "domestic-commercial" if domestic else "foreign-commercial",
                "sources": {"control": SOURCE},
                "listings": listings,
                "cpus": CPUS.get(pid, []),
            }
        )
        for pid, layer, domestic, listings in PRODUCTS
    }
    policy = PolicyProfile.model_validate(POLICY)
    return Catalog(
        version="test",
        layers=layers,
        vendors=vendors,
        products=products,
        policies={policy.id: policy},
        digest_input=["test"],
    )
