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
