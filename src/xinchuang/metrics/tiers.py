"""Which 2+8+N tier a sector belongs to, by the policy profile's sectors and their aliases."""

from __future__ import annotations

from xinchuang.catalog.search import fold
from xinchuang.models.catalog import PolicyProfile


def sector_id(policy: PolicyProfile, sector: str | None) -> str | None:
    """The policy's sector id for a sector as a file spells it ("银行", "Banking", "finance")."""
    if not sector or not sector.strip():
        return None
    needle = fold(sector)
    for entry in policy.sectors:
        names = [entry.id, entry.name.en, entry.name.zh or "", *entry.aliases]
        if any(fold(name) == needle for name in names if name):
            return entry.id
    return None


def tier_of_sector(policy: PolicyProfile, sector: str | None) -> str:
    """The tier ("2", "8" or "N") of a sector; the profile's default tier when unknown."""
    sid = sector_id(policy, sector)
    if sid is not None:
        for tier in policy.tiers:
            if sid in tier.sectors:
                return tier.id
    return policy.default_tier
