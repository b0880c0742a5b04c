"""Coverage of the catalog, with sourced and unconfirmed facts counted apart."""

from __future__ import annotations

from collections import Counter
from typing import Any

from xinchuang.catalog.evidence import FACT_KINDS, iter_facts, unusable_sources
from xinchuang.catalog.model import Catalog


def fact_counts(catalog: Catalog) -> dict[str, Any]:
    """Facts per kind: quoted, unquoted (legacy bare URLs), unconfirmed, and unusable sources.

    ``sourced`` is quoted + unquoted. ``unusable_sources`` counts facts with a source that
    cannot show them (a home page, a mirror, a forum; see :mod:`xinchuang.catalog.evidence`).
    Policy deadlines are counted too: one that is an assumption counts as unconfirmed.
    """
    counts: dict[str, Counter[str]] = {kind: Counter() for kind in FACT_KINDS}
    for fact in iter_facts(catalog):
        counts[fact.kind][fact.status] += 1
    unusable = {(fact.key, fact.origin): fact.kind for fact, _, _ in unusable_sources(catalog)}
    for kind in unusable.values():
        counts[kind]["unusable_sources"] += 1
    deadlines: Counter[str] = Counter()
    for policy in catalog.policies.values():
        for deadline in policy.deadlines:
            if not deadline.confirmed or deadline.assumption:
                deadlines["unconfirmed"] += 1
            else:
                deadlines["quoted" if deadline.quoted else "unquoted"] += 1
    counts["deadline"] = deadlines
    by_kind = {
        kind: {
            "quoted": c["quoted"],
            "unquoted": c["unquoted"],
            "unconfirmed": c["unconfirmed"],
            "sourced": c["quoted"] + c["unquoted"],
            "unusable_sources": c["unusable_sources"],
        }
        for kind, c in counts.items()
    }
    total = {
        key: sum(row[key] for row in by_kind.values())
        for key in ("quoted", "unquoted", "unconfirmed", "sourced", "unusable_sources")
    }
    sourced = total["sourced"]
    return {
        **total,
        "quoted_share": round(total["quoted"] / sourced, 4) if sourced else None,
        "by_kind": by_kind,
    }


def catalog_stats(catalog: Catalog) -> dict[str, Any]:
    """Counts of everything in the catalog, and how much of it is sourced."""
    by_layer: dict[str, Counter[str]] = {layer: Counter() for layer in catalog.layers}
    by_control: Counter[str] = Counter()
    by_list_status: Counter[str] = Counter()
    listed = 0
    for product in catalog.products.values():
        side = "domestic" if product.domestic else "foreign"
        by_layer.setdefault(product.layer, Counter())[side] += 1
        by_control[product.control.value] += 1
        by_list_status[product.list_status] += 1
        listed += bool(product.listings)
    cert_sourced = sum(1 for cert in catalog.certifications if cert.confirmed)
    by_cert_kind = Counter(str(cert.kind) for cert in catalog.certifications)
    candidates = sum(len(sub.candidates) for sub in catalog.substitutions.values())
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
            "by_list_status": dict(sorted(by_list_status.items())),
        },
        "layers": len(catalog.layers),
        "layers_without_products": sorted(
            layer for layer, counts in by_layer.items() if not sum(counts.values())
        ),
        "certifications": {
            "total": len(catalog.certifications),
            "sourced": cert_sourced,
            "unconfirmed": len(catalog.certifications) - cert_sourced,
            "by_kind": dict(sorted(by_cert_kind.items())),
        },
        "substitutions": {
            "foreign_products": len(foreign),
            "with_substitution": len(foreign) - len(missing),
            "without_substitution": missing,
            "candidates": candidates,
        },
        "facts": fact_counts(catalog),
        "policies": sorted(catalog.policies),
        "conflicts": [str(conflict) for conflict in catalog.conflicts],
    }
