"""The localization rate (国产化率) on three bases: count, value and business systems.

No official formula exists (reference §5.1), so the three bases are reported
side by side, each as ``domestic / (domestic + foreign)`` with the unknowns
beside it and the rate as if every unknown were foreign. Nothing unknown is
ever counted as domestic.

What is counted (issue 3, "Measure"):

- A layer with ``count_by: host`` (hardware, operating system) counts once per
  host: when several sources describe a host's CPU, the records are one item,
  and the identified record with the highest confidence decides it. The
  machine itself is one slot whatever its layer (server, PC/terminal, or an
  unidentified "machine").
- Every other layer counts once per installation: once per host and product;
  a row that belongs to no host (a licence line, an SBOM component) counts
  once by itself.
- A record identified below product level (``match_level`` family, vendor or origin: every
  candidate agreed on origin and layer) counts in that layer on that origin.
- A machine is judged with its CPU (:mod:`xinchuang.catalog.platform`): a foreign CPU makes
  it foreign whatever its brand; a foreign brand makes it foreign; a Chinese brand's machine
  follows its host's CPU when that is known, else its line's CPUs when they agree, else it
  stays unknown.
- Layers with ``counted: false`` (libraries, fonts) are left out and reported.
- An unidentified record falls in the layer its kind names (cpu, gpu, os,
  firmware …), a machine in the "machine" bucket, installed software in
  "unknown-layer"; an unidentified SBOM component is not counted (components
  are mostly libraries) and is reported as an unidentified component, and so
  is an unidentified package from a package manager (deb, rpm, pypi, npm …):
  a Linux host lists hundreds of base-system packages (libc, bash) that are
  parts of its operating system, not installations of their own. A program
  named in a register or a Windows uninstall list stays unknown and counted.
- The system basis judges a system's stack, as the reference's "fully
  Xinchuang" definition does: the CPU, OS, database and middleware of its
  hosts and named software (:data:`SYSTEM_STACK_LAYERS`). A system is domestic
  when every such item is, foreign when any is, unknown otherwise.

This module is pure: typed rows in, figures out, no database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from xinchuang.catalog.model import Catalog
from xinchuang.catalog.platform import machine_origin
from xinchuang.catalog.search import fold
from xinchuang.metrics.tiers import tier_of_sector
from xinchuang.models.catalog import Listing, PolicyProfile, Product

MACHINE = "machine"
UNKNOWN_LAYER = "unknown-layer"
COMPONENT = "component"
# The machine is one slot per host, whichever layer identifies it (layer ids are permanent).
MACHINE_LAYERS = frozenset({"server", "pc-terminal"})
# Where an unidentified record falls, by its kind.
UNKNOWN_BUCKET = {
    "machine": MACHINE,
    "cpu": "cpu",
    "gpu": "gpu",
    "os": "os",
    "firmware": "firmware",
    "network": "network",
    "storage": "storage",
    "peripheral": "peripheral",
    "software": UNKNOWN_LAYER,
    "component": COMPONENT,
}
# Package managers whose unidentified packages are components, not installations.
PACKAGE_MANAGER_TYPES = frozenset(
    {"deb", "dpkg", "rpm", "pypi", "npm", "maven", "gem", "cargo", "golang", "nuget", "composer"}
)
# The layers that make a business system's stack (reference §5.1: CPU + OS + DB + middleware).
SYSTEM_STACK_LAYERS = frozenset(
    {
        "cpu",
        "os",
        "database-centralized",
        "database-distributed",
        "middleware-appserver",
        "middleware-messaging",
    }
)
TIER_ORDER = ("2", "8", "N")
RATE_DIGITS = 4

Disposition = Literal["counted", "not-counted", "unidentified-component"]
ListStatus = Literal["current", "expired", "validity-unknown", "no-listing-recorded"]


@dataclass(frozen=True, slots=True)
class HostRow:
    """A machine of the workspace."""

    id: int
    asset_id: str
    unit: str
    hostname: str | None = None


@dataclass(frozen=True, slots=True)
class AssetRow:
    """One imported record, as identification left it (product_id None = unknown)."""

    id: int
    host_id: int | None
    unit: str
    kind: str
    name: str
    version: str | None = None
    value: Decimal | None = None
    currency: str | None = None
    product_id: str | None = None
    confidence: float | None = None
    source: str | None = None
    package_type: str | None = None
    # what identification said below product level (see catalog/identify.py, Match)
    match_level: str | None = None
    match_origin: str | None = None
    match_layer: str | None = None
    match_vendor: str | None = None
    match_by_cpu: bool = False


@dataclass(frozen=True, slots=True)
class SystemRow:
    """A business system: the hosts it runs on (asset ids) and the software it names."""

    name: str
    unit: str
    sector: str | None = None
    tier: str | None = None
    hosts: tuple[str, ...] = ()
    software: tuple[str, ...] = ()
    criticality: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """One counted thing after de-duplication: what it is, and whether it is domestic."""

    layer: str
    disposition: Disposition
    domestic: bool | None
    unit: str
    tier: str
    host_id: int | None
    host: str | None
    name: str
    version: str | None
    product_id: str | None
    confidence: float | None
    value: Decimal | None
    currency: str | None
    source: str | None
    records: tuple[int, ...]
    listed: ListStatus | None = None
    match_level: str = "none"


@dataclass(frozen=True, slots=True)
class SystemStatus:
    """A business system's standing on the system basis, with what decided it."""

    name: str
    unit: str
    tier: str
    sector: str | None
    criticality: str | None
    domestic: bool | None
    hosts: int
    counted: int
    foreign: tuple[str, ...]
    unknown: tuple[str, ...]


@dataclass
class Tally:
    """Domestic, foreign and unknown totals (counts or values)."""

    domestic: Decimal = Decimal(0)
    foreign: Decimal = Decimal(0)
    unknown: Decimal = Decimal(0)

    def add(self, domestic: bool | None, amount: Decimal = Decimal(1)) -> None:
        """Add ``amount`` to the side ``domestic`` names (None: unknown)."""
        if domestic is True:
            self.domestic += amount
        elif domestic is False:
            self.foreign += amount
        else:
            self.unknown += amount

    def view(self, *, money: bool = False) -> dict[str, Any]:
        """The JSON shape shared by every basis and grouping."""
        known = self.domestic + self.foreign
        everything = known + self.unknown

        def amount(value: Decimal) -> int | float:
            return float(round(value, 2)) if money else int(value)

        return {
            "domestic": amount(self.domestic),
            "foreign": amount(self.foreign),
            "unknown": amount(self.unknown),
            "rate": _ratio(self.domestic, known),
            "rate_if_unknown_foreign": _ratio(self.domestic, everything),
        }


def _ratio(part: Decimal, whole: Decimal) -> float | None:
    if whole == 0:
        return None
    return round(float(part / whole), RATE_DIGITS)


@dataclass
class Localization:
    """Everything computed: the status figures, and the items and systems behind them."""

    figures: dict[str, Any]
    items: list[Item]
    systems: list[SystemStatus]
    top_unknowns: list[dict[str, Any]] = field(default_factory=list)


def list_status(product: Product, as_of: dt.date) -> ListStatus:
    """Whether a product is on a current published list on ``as_of``.

    Entries dated after ``as_of`` are ignored (a snapshot back-dated before a
    list came out does not count it); the newest remaining entry decides.
    """
    entries = [e for e in product.listings if e.date is None or e.date <= as_of]
    if not entries:
        return "no-listing-recorded"
    latest = max(entries, key=_listing_order)
    if latest.valid_until is None:
        return "validity-unknown"
    return "current" if latest.valid_until >= as_of else "expired"


def _listing_order(entry: Listing) -> tuple[bool, dt.date]:
    return (entry.date is not None, entry.date or entry.valid_until or dt.date.min)


def unit_tiers(systems: Iterable[SystemRow], policy: PolicyProfile) -> dict[str, str]:
    """Each unit's tier: the most demanding tier among its systems (2 before 8 before N)."""
    tiers: dict[str, str] = {}
    for system in systems:
        tier = system_tier(system, policy)
        known = tiers.get(system.unit)
        if known is None or TIER_ORDER.index(tier) < TIER_ORDER.index(known):
            tiers[system.unit] = tier
    return tiers


def system_tier(system: SystemRow, policy: PolicyProfile) -> str:
    """A system's tier as imported, else from its sector by the profile's aliases."""
    if system.tier in TIER_ORDER:
        return system.tier
    return tier_of_sector(policy, system.sector)


@dataclass(frozen=True, slots=True)
class _Class:
    layer: str
    counted: bool
    count_by: str
    domestic: bool | None
    product: Product | None


_ORIGINS = {"domestic": True, "foreign": False}


def _classify(asset: AssetRow, catalog: Catalog) -> _Class:
    product = catalog.products.get(asset.product_id) if asset.product_id else None
    if product is None and asset.match_origin in _ORIGINS and asset.kind != "machine":
        # Below product level, every candidate agreed on origin and layer: counted there.
        layer_id = asset.match_layer or UNKNOWN_BUCKET.get(asset.kind, UNKNOWN_LAYER)
        known_layer = catalog.layers.get(layer_id)
        if layer_id == UNKNOWN_LAYER and (asset.package_type or "").lower() not in (
            PACKAGE_MANAGER_TYPES
        ):
            # the maker is certain, the layer is not: counted per installation, on its origin
            return _Class(UNKNOWN_LAYER, True, "installation", _ORIGINS[asset.match_origin], None)
        if known_layer is not None:
            return _Class(
                layer_id,
                known_layer.counted,
                known_layer.count_by,
                _ORIGINS[asset.match_origin],
                None,
            )
    if product is not None:
        layer = catalog.layers.get(product.layer)
        return _Class(
            product.layer,
            layer.counted if layer else True,
            layer.count_by if layer else "installation",
            product.domestic,
            product,
        )
    bucket = UNKNOWN_BUCKET.get(asset.kind, UNKNOWN_LAYER)
    if bucket == UNKNOWN_LAYER and (asset.package_type or "").lower() in PACKAGE_MANAGER_TYPES:
        bucket = COMPONENT
    if bucket == COMPONENT:
        return _Class(COMPONENT, False, "installation", None, None)
    if bucket == MACHINE:
        return _Class(MACHINE, True, "host", _ORIGINS.get(asset.match_origin or ""), None)
    known = catalog.layers.get(bucket)
    if known is not None:
        return _Class(bucket, known.counted, known.count_by, None, None)
    return _Class(UNKNOWN_LAYER, True, "installation", None, None)


def _slot(layer: str) -> str:
    return MACHINE if layer in MACHINE_LAYERS or layer == MACHINE else layer


def _preference(pair: tuple[AssetRow, _Class]) -> tuple[int, float, int]:
    asset, kind = pair
    return (0 if kind.product else 1, -(asset.confidence or 0.0), asset.id)


# Real inventories repeat the same few thousand names: fold each once.
_fold = lru_cache(maxsize=1 << 16)(fold)


def _group(assets: Iterable[AssetRow], catalog: Catalog) -> list[list[tuple[AssetRow, _Class]]]:
    """Records grouped into items by the counting rules (see the module docstring)."""
    groups: dict[tuple[Any, ...], list[tuple[AssetRow, _Class]]] = {}
    pending_unknown: list[tuple[AssetRow, _Class, tuple[Any, ...]]] = []
    named: dict[tuple[int, str], tuple[Any, ...]] = {}
    classes: dict[tuple[str | None, str, str | None], _Class] = {}
    for asset in assets:
        class_key = (asset.product_id, asset.kind, asset.package_type)
        kind = classes.get(class_key)
        if kind is None:
            kind = classes[class_key] = _classify(asset, catalog)
        key: tuple[Any, ...]
        if asset.host_id is None:
            key = ("row", asset.id)
        elif kind.count_by == "host":
            key = ("host", asset.host_id, _slot(kind.layer))
        elif kind.product is not None:
            key = ("installation", asset.host_id, kind.product.id)
            named.setdefault((asset.host_id, _fold(asset.name)), key)
        else:
            # decided after every identified record is seen: the same name on the same
            # host, identified in another source, is that installation
            pending_unknown.append(
                (asset, kind, ("unknown", asset.host_id, kind.layer, _fold(asset.name)))
            )
            continue
        groups.setdefault(key, []).append((asset, kind))
    for asset, kind, key in pending_unknown:
        assert asset.host_id is not None
        target = named.get((asset.host_id, _fold(asset.name)), key)
        groups.setdefault(target, []).append((asset, kind))
    return list(groups.values())


def build_items(
    hosts: Iterable[HostRow],
    assets: Iterable[AssetRow],
    catalog: Catalog,
    *,
    tiers: Mapping[str, str],
    default_tier: str,
    as_of: dt.date,
) -> list[Item]:
    """The counted items: records merged by the counting rules, each classified."""
    host_by_id = {host.id: host for host in hosts}
    items: list[Item] = []
    groups = _group(assets, catalog)
    for group in groups:
        group.sort(key=_preference)
    # A machine is judged with its CPU (catalog/platform.py): the host's CPU item first.
    cpu_of_host: dict[int, bool | None] = {}
    for group in groups:
        asset, kind = group[0]
        if asset.host_id is not None and kind.count_by == "host" and _slot(kind.layer) == "cpu":
            cpu_of_host[asset.host_id] = kind.domestic
    for group in groups:
        asset, kind = group[0]
        if asset.host_id is not None and _slot(kind.layer) == MACHINE:
            kind = _machine_class(asset, kind, cpu_of_host.get(asset.host_id), catalog)
        host = host_by_id.get(asset.host_id) if asset.host_id is not None else None
        unit = host.unit if host else asset.unit
        valued = asset if asset.value is not None else None
        if valued is None:
            with_value = [a for a, _kind in group if a.value is not None]
            valued = min(with_value, key=lambda a: a.id) if with_value else None
        if kind.layer == COMPONENT:
            disposition: Disposition = "unidentified-component"
        elif kind.counted:
            disposition = "counted"
        else:
            disposition = "not-counted"
        listed: ListStatus | None = None
        if kind.product is not None and kind.domestic:
            listed = list_status(kind.product, as_of)
        items.append(
            Item(
                layer=kind.layer,
                disposition=disposition,
                domestic=kind.domestic,
                unit=unit,
                tier=tiers.get(unit, default_tier),
                host_id=asset.host_id,
                host=host.asset_id if host else None,
                name=asset.name,
                version=asset.version,
                product_id=kind.product.id if kind.product else None,
                confidence=asset.confidence,
                value=valued.value if valued else None,
                currency=valued.currency if valued else None,
                source=asset.source,
                records=tuple(sorted(a.id for a, _kind in group)),
                listed=listed,
                match_level=asset.match_level or ("product" if asset.product_id else "none"),
            )
        )
    items.sort(key=lambda item: item.records[0])
    return items


def _machine_class(
    asset: AssetRow, kind: _Class, cpu_domestic: bool | None, catalog: Catalog
) -> _Class:
    """The machine slot's standing from its own match and its host's CPU (platform rules)."""
    cpu_origin = None if cpu_domestic is None else ("domestic" if cpu_domestic else "foreign")
    if kind.product is not None:
        own = _product_machine_origin(kind.product, asset, catalog)
    else:
        own = asset.match_origin if asset.match_origin in _ORIGINS else None
    by_cpu = asset.match_by_cpu or (kind.product is not None and kind.product.domestic)
    origin = machine_origin(None, _MachineView(own, by_cpu), cpu_origin)
    return _Class(kind.layer, kind.counted, kind.count_by, _ORIGINS.get(origin or ""), kind.product)


@dataclass(frozen=True, slots=True)
class _MachineView:
    origin: str | None
    cpu_decides: bool


def _product_machine_origin(product: Product, asset: AssetRow, catalog: Catalog) -> str | None:
    if asset.match_origin in _ORIGINS:
        return asset.match_origin
    if not product.domestic:
        return "foreign"
    # A Chinese brand's line: its CPUs decide when they agree, else its host's CPU does.
    origins = {catalog.products[c].domestic for c in product.cpus if c in catalog.products}
    if len(origins) == 1:
        return "domestic" if origins.pop() else "foreign"
    return None


_VERSION_TAIL = re.compile(r"[\s_-]*(?:v(?:ersion)?\s*)?\d[\w.\-]*$", re.IGNORECASE)


def software_index(catalog: Catalog, items: Iterable[Item]) -> dict[str, str]:
    """Folded name → product id, from the catalog's names and aliases and identified items."""
    index: dict[str, str] = {}
    for item in items:
        if item.product_id:
            index.setdefault(_fold(item.name), item.product_id)
    for product in catalog.products.values():
        for name in (product.id, product.name.en, product.name.zh, *product.aliases):
            if name:
                index.setdefault(fold(name), product.id)
    return index


def resolve_software(name: str, index: Mapping[str, str]) -> str | None:
    """The product a system's software name means: exact, then without a version tail."""
    folded = fold(name)
    if folded in index:
        return index[folded]
    bare = _VERSION_TAIL.sub("", folded).strip()
    return index.get(bare) if bare else None


def assess_systems(
    systems: Sequence[SystemRow],
    hosts: Iterable[HostRow],
    items: Sequence[Item],
    catalog: Catalog,
    policy: PolicyProfile,
) -> list[SystemStatus]:
    """Each system is domestic when every stack item of its hosts and software is domestic,
    foreign when any is foreign, unknown otherwise (a host not in the inventory is unknown).

    Stack items are those in :data:`SYSTEM_STACK_LAYERS`; a host's unidentified OS or CPU
    counts as unknown, an unidentified program on it does not decide the stack.
    """
    host_ids = {host.asset_id: host.id for host in hosts}
    by_host: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        if (
            item.host_id is not None
            and item.disposition == "counted"
            and item.layer in SYSTEM_STACK_LAYERS
        ):
            by_host[item.host_id].append(item)
    index = software_index(catalog, items)
    statuses: list[SystemStatus] = []
    for system in systems:
        foreign: list[str] = []
        unknown: list[str] = []
        domestic = 0
        for ref in system.hosts:
            host_id = host_ids.get(ref)
            if host_id is None:
                unknown.append(f"{ref}: not in the inventory")
                continue
            for item in by_host[host_id]:
                label = f"{ref}: {item.layer} {item.product_id or item.name}"
                if item.domestic is True:
                    domestic += 1
                elif item.domestic is False:
                    foreign.append(label)
                else:
                    unknown.append(label)
        for name in system.software:
            product_id = resolve_software(name, index)
            product = catalog.products.get(product_id) if product_id else None
            if product is None:
                unknown.append(f"software: {name}")
                continue
            if product.layer not in SYSTEM_STACK_LAYERS:
                continue
            if product.domestic:
                domestic += 1
            else:
                foreign.append(f"software: {product.layer} {product.id}")
        verdict: bool | None
        if foreign:
            verdict = False
        elif unknown or domestic == 0:
            verdict = None
        else:
            verdict = True
        statuses.append(
            SystemStatus(
                name=system.name,
                unit=system.unit,
                tier=system_tier(system, policy),
                sector=system.sector,
                criticality=system.criticality,
                domestic=verdict,
                hosts=len(system.hosts),
                counted=domestic + len(foreign) + len(unknown),
                foreign=tuple(foreign),
                unknown=tuple(unknown),
            )
        )
    return statuses


def _grouped(
    entries: Iterable[tuple[bool | None, Decimal, Mapping[str, str]]],
    groupings: Sequence[str],
    *,
    money: bool = False,
    order: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    overall = Tally()
    groups: dict[str, dict[str, Tally]] = {g: defaultdict(Tally) for g in groupings}
    for domestic, amount, labels in entries:
        overall.add(domestic, amount)
        for grouping in groupings:
            groups[grouping][labels[grouping]].add(domestic, amount)
    result: dict[str, Any] = {"overall": overall.view(money=money)}
    for grouping in groupings:
        preferred = list((order or {}).get(grouping, ()))
        ordered = sorted(
            groups[grouping],
            key=lambda k: (preferred.index(k) if k in preferred else len(preferred), k),
        )
        result[f"by_{grouping}"] = {k: groups[grouping][k].view(money=money) for k in ordered}
    return result


def _top_unknowns(items: Iterable[Item], limit: int) -> list[dict[str, Any]]:
    counts: Counter[tuple[str, str]] = Counter()
    spelling: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    units: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item in items:
        if item.domestic is None and item.disposition != "not-counted":
            key = (item.layer, _fold(item.name))
            counts[key] += 1
            spelling[key][item.name] += 1
            units[key].add(item.unit)
    # what counts toward the rate first: extending the catalog there moves the figures
    ranked = sorted(counts.items(), key=lambda kv: (kv[0][0] == COMPONENT, -kv[1], kv[0]))[:limit]
    return [
        {
            "layer": layer,
            "name": spelling[(layer, folded)].most_common(1)[0][0],
            "count": count,
            "counted": layer != COMPONENT,
            "units": sorted(units[(layer, folded)]),
        }
        for (layer, folded), count in ranked
    ]


def localization(
    hosts: Sequence[HostRow],
    assets: Iterable[AssetRow],
    systems: Sequence[SystemRow],
    catalog: Catalog,
    *,
    policy: PolicyProfile,
    as_of: dt.date,
    top_unknowns: int = 50,
) -> Localization:
    """The status figures on all three bases, plus the items and systems behind them."""
    tiers = unit_tiers(systems, policy)
    items = build_items(
        hosts, assets, catalog, tiers=tiers, default_tier=policy.default_tier, as_of=as_of
    )
    counted = [item for item in items if item.disposition == "counted"]
    layer_order = {"layer": [*catalog.layers, MACHINE, UNKNOWN_LAYER], "tier": list(TIER_ORDER)}

    def keys(unit: str, tier: str, layer: str | None = None) -> dict[str, str]:
        return {"unit": unit, "tier": tier, "layer": layer or ""}

    by_count = _grouped(
        ((i.domestic, Decimal(1), keys(i.unit, i.tier, i.layer)) for i in counted),
        ("layer", "unit", "tier"),
        order=layer_order,
    )
    valued = [item for item in counted if item.value is not None]
    by_value = _grouped(
        ((i.domestic, i.value or Decimal(0), keys(i.unit, i.tier, i.layer)) for i in valued),
        ("layer", "unit", "tier"),
        money=True,
        order=layer_order,
    )
    by_value["items_with_value"] = len(valued)
    by_value["items_without_value"] = len(counted) - len(valued)
    by_value["currencies"] = sorted({i.currency for i in valued if i.currency})

    statuses = assess_systems(systems, hosts, items, catalog, policy)
    by_system = _grouped(
        ((s.domestic, Decimal(1), keys(s.unit, s.tier)) for s in statuses),
        ("unit", "tier"),
        order=layer_order,
    )
    by_system["systems"] = len(statuses)

    listed: Counter[str] = Counter(item.listed for item in counted if item.listed)
    not_counted_layers: Counter[str] = Counter(
        item.layer for item in items if item.disposition == "not-counted"
    )
    figures: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "catalog_revision": catalog.revision,
        "policy": policy.id,
        "counted_items": len(counted),
        "localization_rate": by_count,
        "localization_rate_by_value": by_value,
        "localization_rate_by_system": by_system,
        "listed": {
            "domestic": sum(1 for item in counted if item.domestic is True),
            "current": listed["current"],
            "expired": listed["expired"],
            "validity_unknown": listed["validity-unknown"],
            "no_listing_recorded": listed["no-listing-recorded"],
        },
        "not_counted": {
            "layers": {
                layer: not_counted_layers[layer]
                for layer in catalog.layers
                if not catalog.layers[layer].counted
            },
            "unidentified_components": sum(
                1 for item in items if item.disposition == "unidentified-component"
            ),
        },
    }
    return Localization(
        figures=figures,
        items=items,
        systems=statuses,
        top_unknowns=_top_unknowns(items, top_unknowns),
    )
