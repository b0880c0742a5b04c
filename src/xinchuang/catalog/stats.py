"""Coverage of the catalog, with sourced and unconfirmed facts counted apart."""

from __future__ import annotations

from collections import Counter
from typing import Any

from xinchuang.catalog.model import Catalog


class _Facts:
    def __init__(self) -> None:
        self.sourced: Counter[str] = Counter()
        self.unconfirmed: Counter[str] = Counter()

    def add(self, kind: str, confirmed: bool) -> None:
        (self.sourced if confirmed else self.unconfirmed)[kind] += 1


def catalog_stats(catalog: Catalog) -> dict[str, Any]:
    """Counts of everything in the catalog, and how much of it is sourced."""
    facts = _Facts()
    for vendor in catalog.vendors.values():
        facts.add("vendor-country", vendor.country_source.confirmed)
        for entry in vendor.export_controls:
            facts.add("export-control", entry.confirmed)
    by_layer: dict[str, Counter[str]] = {layer: Counter() for layer in catalog.layers}
    by_control: Counter[str] = Counter()
    listed = 0
    for product in catalog.products.values():
        side = "domestic" if product.domestic else "foreign"
        by_layer.setdefault(product.layer, Counter())[side] += 1
        by_control[product.control.value] += 1
        kinds = (
            ["control"]
            + (["isa"] if product.isa else [])
            + (["country"] if product.country else [])
        )
        for kind in kinds:
            confirmed = bool(product.sources.get(kind)) and kind not in product.unconfirmed  # type: ignore[call-overload]
            facts.add(f"product-{kind}", confirmed)
        for listing in product.listings:
            facts.add("listing", listing.confirmed)
        listed += bool(product.listings)
    cert_sourced = sum(1 for cert in catalog.certifications if cert.confirmed)
    for cert in catalog.certifications:
        facts.add("certification", cert.confirmed)
    candidates = 0
    for sub in catalog.substitutions.values():
        for cand in sub.candidates:
            candidates += 1
            facts.add("substitution", cand.confirmed)
    for policy in catalog.policies.values():
        for deadline in policy.deadlines:
            facts.add("deadline", deadline.confirmed and not deadline.assumption)
    foreign = [p.id for p in catalog.products.values() if not p.domestic]
    missing = sorted(pid for pid in foreign if pid not in catalog.substitutions)
    domestic_count = sum(1 for p in catalog.products.values() if p.domestic)
    return {
        "catalog_version": catalog.version,
        "revision": catalog.revision,
        "vendors": len(catalog.vendors),
        "vendors_by_country": dict(
            sorted(Counter(v.country for v in catalog.vendors.values()).items())
        ),
        "products": {
            "total": len(catalog.products),
            "domestic": domestic_count,
            "foreign": len(foreign),
            "listed": listed,
            "by_layer": {
                layer: {
                    "total": counts["domestic"] + counts["foreign"],
                    "domestic": counts["domestic"],
                    "foreign": counts["foreign"],
                }
                for layer, counts in by_layer.items()
            },
            "by_control": dict(sorted(by_control.items())),
        },
        "layers": len(catalog.layers),
        "layers_without_products": sorted(
            layer for layer, counts in by_layer.items() if not sum(counts.values())
        ),
        "certifications": {
            "total": len(catalog.certifications),
            "sourced": cert_sourced,
            "unconfirmed": len(catalog.certifications) - cert_sourced,
        },
        "substitutions": {
            "foreign_products": len(foreign),
            "with_substitution": len(foreign) - len(missing),
            "without_substitution": missing,
            "candidates": candidates,
        },
        "facts": {
            "sourced": sum(facts.sourced.values()),
            "unconfirmed": sum(facts.unconfirmed.values()),
            "by_kind": {
                kind: {"sourced": facts.sourced[kind], "unconfirmed": facts.unconfirmed[kind]}
                for kind in sorted(set(facts.sourced) | set(facts.unconfirmed))
            },
        },
        "policies": sorted(catalog.policies),
        "conflicts": [str(conflict) for conflict in catalog.conflicts],
    }
