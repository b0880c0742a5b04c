"""The loaded catalog: every record, indexed, with where each came from."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from xinchuang.models.catalog import (
    Certification,
    Layer,
    Listing,
    PolicyProfile,
    Product,
    Substitution,
    Vendor,
)


@dataclass(frozen=True)
class Origin:
    """Where a catalog record was read: which catalog root, which file, which line."""

    root: str
    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Conflict:
    """A user catalog record that replaced a shipped one (theirs win)."""

    kind: str
    id: str
    replaced: Origin
    by: Origin

    def __str__(self) -> str:
        return f"{self.by}: {self.kind} {self.id!r} overrides {self.replaced}"


@dataclass
class Catalog:
    """Every catalog record after loading and overlaying, indexed by id."""

    version: str
    layers: dict[str, Layer] = field(default_factory=dict)
    vendors: dict[str, Vendor] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    substitutions: dict[str, Substitution] = field(default_factory=dict)
    certifications: list[Certification] = field(default_factory=list)
    policies: dict[str, PolicyProfile] = field(default_factory=dict)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    certification_origins: list[Origin] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    digest_input: list[str] = field(default_factory=list)
    # ids of records that failed validation: references to them are not reported again
    invalid_ids: set[tuple[str, str]] = field(default_factory=set)

    @cached_property
    def revision(self) -> str:
        """The version plus a short content hash, recorded with every result."""
        digest = hashlib.sha256("\n".join(sorted(self.digest_input)).encode()).hexdigest()[:12]
        return f"{self.version}+{digest}"

    def product(self, product_id: str) -> Product:
        """A product by id (KeyError when unknown)."""
        return self.products[product_id]

    def vendor_of(self, product: Product) -> Vendor:
        """The vendor record of a product."""
        return self.vendors[product.vendor]

    def country_of(self, product: Product) -> str:
        """The product's origin country: its own, else its vendor's."""
        return product.country or self.vendors[product.vendor].country

    @cached_property
    def certified_pairs(self) -> dict[frozenset[str], list[Certification]]:
        """Certification rows keyed by the unordered pair of product ids."""
        pairs: dict[frozenset[str], list[Certification]] = defaultdict(list)
        for cert in self.certifications:
            pairs[frozenset((cert.a, cert.b))].append(cert)
        return dict(pairs)

    def certified(self, a: str, b: str) -> list[Certification]:
        """The rows that certify ``a`` with ``b`` (either order)."""
        return self.certified_pairs.get(frozenset((a, b)), [])


def current_listing(product: Product, today: Any = None) -> Listing | None:
    """The product's most recent list entry (None when no entry is recorded)."""
    if not product.listings:
        return None
    dated = sorted(
        product.listings,
        key=lambda entry: (entry.date is not None, entry.date or entry.valid_until),
    )
    return dated[-1]


def listing_is_current(listing: Listing, today: Any) -> bool | None:
    """Whether a list entry is still valid on ``today`` (None when its validity is unknown)."""
    if listing.valid_until is None:
        return None
    return bool(listing.valid_until >= today)
