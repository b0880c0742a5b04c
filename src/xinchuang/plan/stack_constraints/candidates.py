"""Candidates per role: which products may fill each place of a system's stack, at what cost.

A system's current products are grouped by role. A role's candidates are the
catalog substitution candidates of every foreign product in it, plus the
domestic products the system already runs in it; a pin narrows them to the
pinned product, and forbidden products and vendors are removed. Each candidate
carries its effort (scanner minutes for its target / 480, plus the
substitution's base effort lowered by what carries over) and its risk points,
each with the reason a person reads.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from xinchuang.catalog.model import Catalog, current_listing, listing_is_current
from xinchuang.i18n import _
from xinchuang.models.catalog import Candidate as SubstitutionCandidate
from xinchuang.models.catalog import Control, Isa, Product
from xinchuang.plan.stack_constraints.records import KeptLayer, SystemInput
from xinchuang.plan.stack_constraints.roles import (
    APPLICATION_LAYERS,
    BLOCK_PENALTY_DAYS,
    BLOCK_WEIGHT,
    CARRY_FACTORS,
    DEFAULT_BASE_DAYS,
    MIN_CARRY_FACTOR,
    ROLE_ORDER,
    os_edition,
    role_of,
    scanner_target,
)

MINUTES_PER_DAY = 480
# Roles where a move changes code that the scanner prices per target.
PRICED_ROLES = frozenset({"cpu", "os", "database", "office-suite", "browser"})

# Risk points (one point weighs half a person-day in the objective; docs/stacks.md).
RISK_EXPORT_CONTROL = 20
RISK_NOT_LISTED = 8  # a listing that lapsed, or one recorded as not current
RISK_UNCONFIRMED_FACTS = 4
RISK_UNCONFIRMED_SUBSTITUTION = 6
RISK_NOT_A_SUBSTITUTE = 10
RISK_UNCONFIRMED_LINK = 12
# One risk point weighs this many hundredths of a person-day in the objective.
RISK_WEIGHT_CENTIDAYS = 50
# What the base effort of a move is multiplied by when the product is already run: by the
# system itself on part of its hosts, or elsewhere in the organization (skills, licences,
# operations carry over; docs/stacks.md "Prefer what the organization runs").
FAMILIAR_SYSTEM_FACTOR = 0.5
FAMILIAR_ORGANIZATION_FACTOR = 0.8


@dataclass(frozen=True)
class RoleCandidate:
    """One product that may fill one role of one system."""

    product: str
    effort_centidays: int
    risk: int
    reasons: tuple[str, ...]
    conditions: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    pinned: bool = False
    kept: bool = False
    unpriced: bool = False  # the move changes code the scanner has no target for
    hold: bool = False  # no product: the place stays foreign (blocked), at a penalty
    penalty_centidays: int = 0


@dataclass(frozen=True)
class Slot:
    """One place in one system's stack: what it runs there now and what may replace it.

    ``key`` is the role, or ``role/product+product`` when a role holds several
    places (Microsoft Office and Teams are two places of ``office-suite``).
    """

    key: str
    role: str
    current: tuple[str, ...]
    foreign: tuple[str, ...]
    candidates: tuple[RoleCandidate, ...]
    removed: tuple[str, ...] = ()
    pin: str | None = None


@dataclass
class SystemSlots:
    """The slots of one system and what was left out of its stack, with why."""

    system: SystemInput
    slots: list[Slot] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    kept: list[KeptLayer] = field(default_factory=list)

    @property
    def current(self) -> frozenset[str]:
        """Every product the system runs in a stack role today."""
        return frozenset(p for slot in self.slots for p in slot.current)


def excluded_vendors(catalog: Catalog, forbidden_vendors: Collection[str]) -> frozenset[str]:
    """The forbidden vendors and every vendor whose parent chain reaches one of them."""
    banned = set(forbidden_vendors)
    out: set[str] = set()
    for vendor_id in catalog.vendors:
        seen: set[str] = set()
        current: str | None = vendor_id
        while current is not None and current not in seen:
            if current in banned:
                out.add(vendor_id)
                break
            seen.add(current)
            parent = catalog.vendors.get(current)
            current = parent.parent if parent is not None else None
    return frozenset(out | banned)


def _export_controlled(catalog: Catalog, product: Product) -> list[str]:
    """Export-control listings of the product's vendor and its parents, as 'list (date)'."""
    found: list[str] = []
    seen: set[str] = set()
    current: str | None = product.vendor
    while current is not None and current not in seen:
        seen.add(current)
        vendor = catalog.vendors.get(current)
        if vendor is None:
            break
        found.extend(f"{ec.list_} {ec.date.isoformat()}" for ec in vendor.export_controls)
        current = vendor.parent
    return found


def product_risk(catalog: Catalog, product: Product, today: dt.date) -> tuple[int, list[str]]:
    """Risk points that belong to the product itself, with a reason for each."""
    risk = 0
    reasons: list[str] = []
    listings = _export_controlled(catalog, product)
    if listings:
        risk += RISK_EXPORT_CONTROL
        reasons.append(
            _("{product}: vendor on export-control lists ({lists}), +{points} risk").format(
                product=product.id, lists=", ".join(listings), points=RISK_EXPORT_CONTROL
            )
        )
    listing = current_listing(product)
    if product.domestic and listing is not None and listing_is_current(listing, today) is False:
        # a recorded listing that is no longer current; no recorded listing at all is
        # "listing unknown" and costs nothing (the catalog records few list entries)
        risk += RISK_NOT_LISTED
        reasons.append(
            _("{product}: its Xinchuang list entry is no longer current, +{points} risk").format(
                product=product.id, points=RISK_NOT_LISTED
            )
        )
    if product.unconfirmed:
        risk += RISK_UNCONFIRMED_FACTS
        reasons.append(
            _("{product}: unconfirmed catalog facts ({facts}), +{points} risk").format(
                product=product.id,
                facts=", ".join(product.unconfirmed),
                points=RISK_UNCONFIRMED_FACTS,
            )
        )
    return risk, reasons


def _substitution_entry(
    catalog: Catalog, foreign: str, product: str
) -> SubstitutionCandidate | None:
    substitution = catalog.substitutions.get(foreign)
    if substitution is None:
        return None
    for candidate in substitution.candidates:
        if candidate.product == product:
            return candidate
    return None


def _candidate(
    catalog: Catalog,
    system: SystemInput,
    role: str,
    product: Product,
    foreign: tuple[str, ...],
    current: tuple[str, ...],
    today: dt.date,
    *,
    pinned: bool,
    risks: dict[str, tuple[int, list[str]]],
) -> RoleCandidate:
    """Cost one product in one role of one system."""
    reasons: list[str] = []
    conditions: list[str] = []
    if product.id not in risks:
        risks[product.id] = product_risk(catalog, product, today)
    risk, risk_reasons = risks[product.id]
    kept = product.id in current
    days = 0.0
    targets: list[str] = []
    for replaced in foreign:
        entry = _substitution_entry(catalog, replaced, product.id)
        base = DEFAULT_BASE_DAYS.get(role, 5.0)
        factor = 1.0
        if entry is not None:
            if entry.base_effort_days is not None:
                base = entry.base_effort_days
            carried = [c.kind for c in entry.carries_over]
            for kind in carried:
                factor *= CARRY_FACTORS.get(kind, 1.0)
            factor = max(factor, MIN_CARRY_FACTOR)
            if entry.confirmed:
                text = _("{role}: {product} replaces {foreign} (catalog substitution, sourced)")
            else:
                text = _("{role}: {product} replaces {foreign} (catalog substitution, unconfirmed)")
            reasons.append(text.format(role=role, product=product.id, foreign=replaced))
            if carried:
                reasons.append(
                    _("{role}: carries over from {foreign}: {kinds}").format(
                        role=role, foreign=replaced, kinds=", ".join(carried)
                    )
                )
            lost = [c.kind for c in entry.does_not_carry_over]
            if lost:
                reasons.append(
                    _("{role}: to redo from {foreign}: {kinds}").format(
                        role=role, foreign=replaced, kinds=", ".join(lost)
                    )
                )
            if not entry.confirmed:
                risk += RISK_UNCONFIRMED_SUBSTITUTION
                conditions.append(
                    _("substitution {foreign} → {product} is unconfirmed in the catalog").format(
                        foreign=replaced, product=product.id
                    )
                )
        else:
            risk += RISK_NOT_A_SUBSTITUTE
            if pinned:
                text = _("{product} is not a catalog substitute for {foreign} (pinned)")
            else:
                text = _("{product} is not a catalog substitute for {foreign} (already runs it)")
            conditions.append(text.format(product=product.id, foreign=replaced))
        base_days = base * factor
        days += base_days
        reasons.append(
            _("{role}: base effort {base:.1f} d × {factor:.2f} = {days:.1f} d").format(
                role=role, base=base, factor=factor, days=base_days
            )
        )
        target = scanner_target(product, replaced)
        if target is not None and target not in targets:
            targets.append(target)
    if not foreign and not kept:
        # a domestic brand's other line: the machine changes with its CPU, the vendor stays
        base = DEFAULT_BASE_DAYS.get(role, 2.0)
        days += base
        reasons.append(
            _(
                "{role}: {product} replaces {current}: a line of the same family for the "
                "new CPU, base effort {base:.1f} d"
            ).format(role=role, product=product.id, current=", ".join(current), base=base)
        )
    elif not foreign:
        reasons.append(
            _("{role}: keeps {product} (already runs it)").format(role=role, product=product.id)
        )
    elif kept:
        days *= FAMILIAR_SYSTEM_FACTOR
        reasons.append(
            _(
                "{role}: the system already runs {product} on part of its hosts: "
                "base effort × {factor:.1f} (preferred)"
            ).format(role=role, product=product.id, factor=FAMILIAR_SYSTEM_FACTOR)
        )
    elif product.id in system.organization_runs:
        days *= FAMILIAR_ORGANIZATION_FACTOR
        reasons.append(
            _(
                "{role}: the organization already runs {product} in other systems: "
                "base effort × {factor:.1f} (preferred)"
            ).format(role=role, product=product.id, factor=FAMILIAR_ORGANIZATION_FACTOR)
        )
    for target in targets:
        minutes = float(system.findings_minutes_by_target.get(target, 0.0))
        scan_days = minutes / MINUTES_PER_DAY
        days += scan_days
        if system.scanned:
            reasons.append(
                _(
                    "{role}: scanner findings for target {target}: {minutes:.0f} min = {days:.1f} d"
                ).format(role=role, target=target, minutes=minutes, days=scan_days)
            )
    unpriced = False
    if foreign and not targets and role in PRICED_ROLES:
        if role == "cpu" and Isa.X86_64 in product.isa:
            reasons.append(
                _("{role}: {product} keeps x86-64: x86 binaries run unchanged").format(
                    role=role, product=product.id
                )
            )
        else:
            unpriced = True
            reasons.append(
                _(
                    "{role}: the scanner has no target for {product}; code changes are not priced"
                ).format(role=role, product=product.id)
            )
    if pinned:
        reasons.append(_("{role}: {product} is pinned").format(role=role, product=product.id))
    reasons.extend(risk_reasons)
    return RoleCandidate(
        product=product.id,
        effort_centidays=math.ceil(round(days * 100, 6)),
        risk=risk,
        reasons=tuple(reasons),
        conditions=tuple(conditions),
        targets=tuple(targets),
        pinned=pinned,
        kept=kept,
        unpriced=unpriced,
    )


MACHINE_LAYERS = frozenset({"server", "pc-terminal"})


def foreign_platform(catalog: Catalog, product: Product) -> bool:
    """A server or PC line sold only with foreign CPUs: a foreign platform, whatever its brand."""
    if product.layer not in MACHINE_LAYERS or not product.cpus:
        return False
    cpus = [catalog.products[c] for c in product.cpus if c in catalog.products]
    return bool(cpus) and not any(c.domestic for c in cpus)


def counts_domestic(catalog: Catalog, product_id: str) -> bool:
    """Domestic for the stack: by control, and for a platform also by its CPUs."""
    product = catalog.products[product_id]
    return product.domestic and not foreign_platform(catalog, product)


def lines_of(catalog: Catalog, family: str) -> list[str]:
    """The server or PC lines of a brand family that are sold with a domestic CPU."""
    return sorted(
        p.id
        for p in catalog.products.values()
        if p.family == family
        and p.id != family
        and p.layer in MACHINE_LAYERS
        and counts_domestic(catalog, p.id)
    )


def _domestic_lines(catalog: Catalog, layer: str) -> list[str]:
    """Every server (or PC) line sold with a domestic CPU."""
    return sorted(
        p.id
        for p in catalog.products.values()
        if p.layer == layer and p.cpus and counts_domestic(catalog, p.id)
    )


def _expand_lines(catalog: Catalog, names: list[str], current: tuple[str, ...]) -> list[str]:
    """Candidates with a brand family replaced by its domestic lines (a platform is a line)."""
    out: list[str] = []
    for name in names:
        lines = lines_of(catalog, name)
        if lines and name not in current:
            out.extend(lines)
        else:
            out.append(name)
    for name in current:
        product = catalog.products.get(name)
        if product is not None and product.family:
            # the organization's own brand: its other lines keep the vendor, change the line
            out.extend(line for line in lines_of(catalog, product.family) if line != name)
    return list(dict.fromkeys(out))


def stands_in_for(catalog: Catalog, product_id: str) -> list[str]:
    """The foreign products whose substitution lists ``product_id`` as a candidate."""
    return sorted(
        foreign
        for foreign, substitution in catalog.substitutions.items()
        if any(c.product == product_id for c in substitution.candidates)
    )


def _groups(
    catalog: Catalog, current: tuple[str, ...], must_go: frozenset[str] = frozenset()
) -> list[tuple[tuple[str, ...], list[str]]]:
    """Split a role's products into places: products that can replace one another share one.

    Two foreign products share a place when they have a substitution candidate in
    common (Oracle and MySQL can both move to OceanBase); a domestic product joins
    the place of a foreign product it is a candidate for. Microsoft Office and
    Teams, both in the office layer, have no candidate in common and stay apart.
    Returns (products of the place, candidate names) per place, in a stable order.
    """
    options: dict[str, list[str]] = {}
    extra: dict[str, list[str]] = {}
    for product_id in current:
        if product_id in must_go:
            # a domestic product that must go (its vendor is removed, or it is forbidden):
            # its peers, the other candidates for what it stands in for, may replace it
            options[product_id] = [
                c.product
                for foreign in stands_in_for(catalog, product_id)
                for c in catalog.substitutions[foreign].candidates
                if c.product != product_id
            ]
        elif counts_domestic(catalog, product_id):
            options[product_id] = [product_id, *lines_of(catalog, product_id)]
            if catalog.products[product_id].layer in MACHINE_LAYERS:
                # a machine changes with its CPU: any domestic line may take its place
                # (added after grouping, so that two machines of a system stay two places)
                extra[product_id] = _domestic_lines(catalog, catalog.products[product_id].layer)
        else:
            substitution = catalog.substitutions.get(product_id)
            options[product_id] = (
                [c.product for c in substitution.candidates] if substitution is not None else []
            )
    parent = {p: p for p in current}

    def find(p: str) -> str:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    owner: dict[str, str] = {}
    for product_id in current:
        for name in options[product_id]:
            if name in owner:
                parent[find(product_id)] = find(owner[name])
            else:
                owner[name] = product_id
    groups: dict[str, list[str]] = {}
    for product_id in current:
        groups.setdefault(find(product_id), []).append(product_id)
    out: list[tuple[tuple[str, ...], list[str]]] = []
    for members in sorted(groups.values()):
        names = [p for p in members if counts_domestic(catalog, p) and p not in must_go]
        for member in members:
            names.extend(options[member])
        for member in members:
            names.extend(extra.get(member, ()))
        out.append((tuple(members), list(dict.fromkeys(names))))
    return out


def must_replace(catalog: Catalog, system: SystemInput, product_id: str) -> bool:
    """Whether the policy requires replacing this foreign product for this system.

    Foreign commercial products always go. Foreign-governed open source goes when the
    policy profile lists its layer or its id for the system's tier (``must_replace``).
    """
    product = catalog.products[product_id]
    if product.domestic:
        return False
    if product.control is not Control.FOREIGN_OPEN_SOURCE:
        return True
    return product.id in system.must_replace or product.layer in system.must_replace


def _kept_reason(catalog: Catalog, system: SystemInput, product_id: str) -> str:
    product = catalog.products[product_id]
    return _(
        "{product} ({layer}) is kept: foreign-governed open source, which policy {policy} "
        "does not require tier {tier} to replace; it keeps running but does not count as "
        "domestic"
    ).format(
        product=product_id,
        layer=product.layer,
        policy=system.policy or "—",
        tier=system.tier,
    )


def _edition_of(catalog: Catalog, current: tuple[str, ...]) -> str | None:
    editions = {os_edition(catalog.products[p]) for p in current} - {None}
    return editions.pop() if len(editions) == 1 else None


def _block(role: str, foreign: tuple[str, ...]) -> RoleCandidate:
    """The place's last resort: its foreign products stay, the place is blocked."""
    weight = BLOCK_WEIGHT.get(role, 2)
    return RoleCandidate(
        product="",
        effort_centidays=0,
        risk=0,
        reasons=(),
        hold=True,
        penalty_centidays=BLOCK_PENALTY_DAYS * 100 * weight,
    )


def build_slots(
    catalog: Catalog,
    system: SystemInput,
    *,
    pins: Mapping[str, str],
    forbidden: frozenset[str],
    banned_vendors: frozenset[str],
    today: dt.date,
    risks: dict[str, tuple[int, list[str]]] | None = None,
) -> SystemSlots:
    """The slots of a migrated or replaced system (products must exist in the catalog).

    Foreign-governed open source that the policy does not require replaced is kept
    (with the reason) and gets no place. Every place that holds a foreign product (or
    a domestic one that must go) ends with a *block* candidate: the place stays foreign,
    at a penalty far above any effort, so that the chooser replaces every place it can
    and blocks only those no certified candidate fits. ``risks`` caches each product's
    own risk across the systems of one run.
    """
    risks = {} if risks is None else risks
    by_role: dict[str, list[str]] = {}
    out = SystemSlots(system)
    for product_ids in system.products.values():
        for product_id in product_ids:
            product = catalog.products[product_id]
            role = role_of(product.layer, system.disposition)
            if role is None and product.layer in APPLICATION_LAYERS and not product.domestic:
                # a foreign application product (Exchange, SAP) is replaced even when the
                # system itself migrates: the policy wants every foreign layer gone
                role = product.layer
            if role is None:
                if product.domestic:
                    text = _("{product} ({layer}) is domestic and stays")
                else:
                    text = _(
                        "{product} ({layer}) stays: the planner chooses no target for this layer"
                    )
                note = text.format(product=product_id, layer=product.layer)
                if note not in out.notes:
                    out.notes.append(note)
                    out.kept.append(KeptLayer((product_id,), note))
                continue
            if (
                not product.domestic
                and product.control is Control.FOREIGN_OPEN_SOURCE
                and not must_replace(catalog, system, product_id)
            ):
                note = _kept_reason(catalog, system, product_id)
                if note not in out.notes:
                    out.notes.append(note)
                    out.kept.append(KeptLayer((product_id,), note))
                continue
            by_role.setdefault(role, [])
            if product_id not in by_role[role]:
                by_role[role].append(product_id)
    for role in ROLE_ORDER:
        if role not in by_role:
            continue
        must_go = frozenset(
            p
            for p in by_role[role]
            if catalog.products[p].domestic
            and (p in forbidden or catalog.products[p].vendor in banned_vendors)
        )
        groups = _groups(catalog, tuple(sorted(by_role[role])), must_go)
        pin = pins.get(role)
        pin_places = [i for i, (_m, names) in enumerate(groups) if pin in names]
        for index, (current, names) in enumerate(groups):
            key = role if len(groups) == 1 else f"{role}/{'+'.join(current)}"
            foreign = tuple(p for p in current if not counts_domestic(catalog, p))
            for gone in (p for p in current if p in must_go):
                # priced as the move from what it stands in for (Hygon → as from Xeon)
                # one proxy of the same ISA where there is one: the move is priced once
                stand = [f for f in stands_in_for(catalog, gone) if f not in foreign]
                isa = set(catalog.products[gone].isa)
                same = [f for f in stand if isa & set(catalog.products[f].isa)]
                proxies = tuple((same or stand)[:1])
                foreign += proxies
                note = _(
                    "{product} must go (forbidden, or its vendor is removed); its replacement "
                    "is priced as the move from {proxies}"
                ).format(product=gone, proxies=", ".join(proxies) or "—")
                if note not in out.notes:
                    out.notes.append(note)
            slot_pin = pin if pin is not None and (not pin_places or index in pin_places) else None
            if slot_pin is not None:
                names = [slot_pin]
            elif role in ("server", "terminal"):
                names = _expand_lines(catalog, names, current)
                if role in system.keep_vendor:
                    vendors = {catalog.products[p].vendor for p in current}
                    same = [
                        n
                        for n in names
                        if n in catalog.products and catalog.products[n].vendor in vendors
                    ]
                    if same and same != names:
                        note = _(
                            "{role}: only lines of {vendors} are considered (plan.yaml keep_vendor)"
                        ).format(role=role, vendors=", ".join(sorted(vendors)))
                        if note not in out.notes:
                            out.notes.append(note)
                        names = same
            edition = _edition_of(catalog, foreign) if role == "os" else None
            removed: list[str] = []
            candidates: list[RoleCandidate] = []
            for name in names:
                option = catalog.products.get(name)
                if option is None:
                    continue  # a substitution naming a missing product is the validator's issue
                if (
                    name in forbidden
                    or option.vendor in banned_vendors
                    or not counts_domestic(catalog, name)
                    or (slot_pin is None and role_of(option.layer, "replace") is None)
                ):
                    removed.append(name)
                    continue
                if (
                    edition is not None
                    and name not in current
                    and os_edition(option) not in (None, edition)
                ):
                    note = _(
                        "{product} is left out for {current}: a {other} edition cannot replace "
                        "a {edition} operating system"
                    ).format(
                        product=name,
                        current=", ".join(foreign),
                        other=os_edition(option),
                        edition=edition,
                    )
                    if note not in out.notes:
                        out.notes.append(note)
                    removed.append(name)
                    continue
                candidates.append(
                    _candidate(
                        catalog,
                        system,
                        role,
                        option,
                        foreign,
                        current,
                        today,
                        pinned=slot_pin is not None,
                        risks=risks,
                    )
                )
            candidates.sort(
                key=lambda c: (c.effort_centidays + RISK_WEIGHT_CENTIDAYS * c.risk, c.product)
            )
            if foreign or any(p in must_go for p in current):
                candidates.append(_block(role, foreign))
            out.slots.append(
                Slot(
                    key=key,
                    role=role,
                    current=current,
                    foreign=foreign,
                    candidates=tuple(candidates),
                    removed=tuple(removed),
                    pin=slot_pin,
                )
            )
    return out
