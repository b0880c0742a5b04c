"""The catalog that ships: valid, and at the coverage the foundation issue asks for."""

from __future__ import annotations

from xinchuang.catalog.loader import load_catalog
from xinchuang.catalog.stats import catalog_stats


def test_shipped_catalog_is_valid_and_covers_the_ecosystem() -> None:
    stats = catalog_stats(load_catalog())
    products = stats["products"]
    assert products["total"] >= 330
    assert products["domestic"] >= 100
    assert products["foreign"] >= 100
    assert stats["vendors"] >= 160
    assert stats["certifications"]["total"] >= 200
    assert stats["certifications"]["sourced"] >= 150
    assert stats["substitutions"]["without_substitution"] == []
    # every layer that counts toward the rate has products, firmware aside (no sourced vendor yet)
    # firmware has no sourced vendor yet; library components are identified by purl only
    assert set(stats["layers_without_products"]) <= {"firmware", "library"}


def test_layers_required_by_the_foundation_exist() -> None:
    layers = load_catalog().layers
    required = {
        "cpu",
        "gpu",
        "server",
        "pc-terminal",
        "peripheral",
        "firmware",
        "os",
        "database-centralized",
        "database-distributed",
        "middleware-appserver",
        "middleware-messaging",
        "office-suite",
        "email",
        "browser",
        "virtualization",
        "storage",
        "network",
        "security",
        "cryptography",
        "erp-finance",
        "industrial-software",
        "developer-runtime",
    }
    assert required <= set(layers)
    assert not layers["library"].counted and not layers["font"].counted


def test_foreign_open_source_is_not_domestic() -> None:
    catalog = load_catalog()
    for pid in ("postgresql", "openjdk", "debian"):
        assert not catalog.products[pid].domestic, pid
    for pid in ("openeuler", "opengauss"):
        assert catalog.products[pid].domestic, pid
    assert catalog.products["hygon-c86"].control.value == "licensed"


def test_core_products_without_a_found_entry_are_unknown_not_never_listed() -> None:
    catalog = load_catalog()
    for pid in ("dm8", "kingbasees", "tongweb"):
        assert catalog.products[pid].list_status == "unknown", pid
    # Hygon C86-3G's 2023 entry is contradicted by The Register; its 2024 entry is unread
    hygon = catalog.products["hygon-c86"]
    assert hygon.list_status == "contested"
    assert hygon.listings[0].contested is not None and hygon.listings[0].contested.quoted
    assert catalog.products["kunpeng-920"].list_status == "listed"


def test_export_control_dates_are_recorded_apart() -> None:
    huawei = load_catalog().vendors["huawei"].export_controls[0]
    assert (str(huawei.announced), str(huawei.date), str(huawei.published)) == (
        "2019-05-15",
        "2019-05-16",
        "2019-05-21",
    )
