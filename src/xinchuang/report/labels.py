"""How figures read to people: layer and tier names in the language in force, rates as percent."""

from __future__ import annotations

from xinchuang.catalog.model import Catalog
from xinchuang.i18n import _, current_language
from xinchuang.metrics.localization import COMPONENT, MACHINE, UNKNOWN_LAYER
from xinchuang.models.catalog import Names, PolicyProfile


def percent(rate: float | None) -> str:
    """A rate as a percentage ("—" when there is nothing to divide)."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def localized(names: Names) -> str:
    """A catalog name in the language in force."""
    if current_language() == "zh_CN" and names.zh:
        return names.zh
    return names.en


def layer_label(catalog: Catalog, layer: str) -> str:
    """A layer's name (the pseudo-layers of unidentified records named too)."""
    if layer == MACHINE:
        return _("Machine (unidentified)")
    if layer == UNKNOWN_LAYER:
        return _("Unknown layer")
    if layer == COMPONENT:
        return _("Unidentified component")
    known = catalog.layers.get(layer)
    return localized(known.name) if known else layer


def tier_label(policy: PolicyProfile, tier: str) -> str:
    """A 2+8+N tier as "8 — Eight key industries"."""
    for entry in policy.tiers:
        if entry.id == tier:
            return f"{tier} — {localized(entry.name)}"
    return tier


def verdict_label(domestic: bool | None) -> str:
    """Domestic, foreign or unknown, in words."""
    if domestic is True:
        return _("domestic")
    if domestic is False:
        return _("foreign")
    return _("unknown")
