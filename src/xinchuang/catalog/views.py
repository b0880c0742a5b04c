"""How catalog records look to a user: the summary row and the full record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xinchuang.catalog.model import Catalog, current_listing, listing_is_current
from xinchuang.models.catalog import Listing, Product, json_ready


def listing_view(listing: Listing | None, today: dt.date | None = None) -> dict[str, Any] | None:
    """A list entry as JSON, with whether it is still valid today."""
    if listing is None:
        return None
    view = json_ready(listing)
    view["current"] = listing_is_current(listing, today or dt.date.today())
    return view


def product_summary(catalog: Catalog, product: Product) -> dict[str, Any]:
    """The keys every listing of products carries (search, show, inventory)."""
    vendor = catalog.vendor_of(product)
    return {
        "id": product.id,
        "name": product.name.en,
        "name_zh": product.name.zh,
        "vendor": vendor.id,
        "vendor_name": vendor.name.en,
        "country": catalog.country_of(product),
        "layer": product.layer,
        "domestic": product.domestic,
        "control": product.control.value,
        "isa": [isa.value for isa in product.isa],
        "listed": listing_view(current_listing(product)),
        "list_status": product.list_status,
    }


def product_detail(catalog: Catalog, product: Product) -> dict[str, Any]:
    """Everything the catalog knows about a product, with sources and what is unconfirmed."""
    vendor = catalog.vendor_of(product)
    detail = product_summary(catalog, product)
    record = json_ready(product)
    detail.update(
        {
            "aliases": product.aliases,
            "listings": [listing_view(entry) for entry in product.listings],
            "identifiers": record["identifiers"],
            "sources": record["sources"],
            "quotes": record["quotes"],
            "list_status": product.list_status,
            "unconfirmed": record["unconfirmed"],
            "website": product.website,
            "note": product.note,
            "vendor_record": json_ready(vendor),
            "export_controls": [json_ready(entry) for entry in vendor.export_controls],
            "substitutes": [],
            "substitute_for": [],
            "certifications": [],
            "origin": str(catalog.origins[("product", product.id)]),
        }
    )
    substitution = catalog.substitutions.get(product.id)
    if substitution:
        detail["substitutes"] = [json_ready(c) for c in substitution.candidates]
    for sub in catalog.substitutions.values():
        for cand in sub.candidates:
            if cand.product == product.id:
                detail["substitute_for"].append({"foreign": sub.foreign, **json_ready(cand)})
    for cert in catalog.certifications:
        if product.id in (cert.a, cert.b):
            other = cert.b if cert.a == product.id else cert.a
            detail["certifications"].append({"with": other, **json_ready(cert)})
    return detail
