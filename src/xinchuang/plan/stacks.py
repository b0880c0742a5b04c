"""Target stacks: for each business system, the certified domestic stack to move to.

:func:`choose_stacks` is the public entry. Per system it builds the places of
its stack from what it runs (``stack_constraints.candidates``), finds every
stack whose linked places are certified together (``stack_constraints.search``),
and lets CP-SAT pick one stack per system so that effort, risk and the number
of distinct stacks across the organization are as low as possible
(``stack_constraints.selection``). A system with no certified stack is a
:class:`StackBlocker` that names the missing link. docs/stacks.md explains the
model, its weights and its error codes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from types import MappingProxyType

from xinchuang.catalog.model import Catalog
from xinchuang.errors import DataError, Issue
from xinchuang.i18n import _
from xinchuang.plan.stack_constraints.candidates import (
    RISK_WEIGHT_CENTIDAYS,
    SystemSlots,
    build_slots,
    excluded_vendors,
)
from xinchuang.plan.stack_constraints.links import describe, stack_link_problems
from xinchuang.plan.stack_constraints.records import (
    DISPOSITIONS,
    Disposition,
    KeptLayer,
    LayerBlock,
    Readiness,
    StackBlocker,
    StackChoice,
    StackLink,
    StackResult,
    SystemInput,
)
from xinchuang.plan.stack_constraints.roles import (
    APPLICATION_LAYERS,
    LINKS,
    ROLE_OF_LAYER,
    ROLE_ORDER,
    role_of,
)
from xinchuang.plan.stack_constraints.search import (
    LinkCache,
    Search,
    StackOption,
    blocked_place,
    option_links,
    search_stacks,
)
from xinchuang.plan.stack_constraints.selection import select

__all__ = [
    "LINKS",
    "ROLE_ORDER",
    "STACK_PENALTY_DAYS",
    "Disposition",
    "KeptLayer",
    "LayerBlock",
    "Readiness",
    "StackBlocker",
    "StackChoice",
    "StackLink",
    "StackResult",
    "SystemInput",
    "choose_stacks",
    "stack_link_problems",
]

# Person-days of operations that one more distinct stack is taken to cost (docs/stacks.md).
STACK_PENALTY_DAYS = 20
# Certified stacks kept per system for the model (cheapest candidates first).
MAX_OPTIONS_PER_SYSTEM = 2000

_NO_PINS: Mapping[str, str] = MappingProxyType({})

# Error codes of invalid input (docs/stacks.md).
UNKNOWN_PRODUCT = "PLN201"
BAD_DISPOSITION = "PLN202"
BAD_PIN = "PLN203"
PIN_FORBIDDEN = "PLN204"
UNKNOWN_EXCLUSION = "PLN205"
DUPLICATE_SYSTEM = "PLN206"
BAD_WEIGHT = "PLN207"


def _pin_role(key: str) -> str | None:
    if key in ROLE_ORDER:
        return key
    if key in ROLE_OF_LAYER:
        return ROLE_OF_LAYER[key]
    if key in APPLICATION_LAYERS:
        return key
    return None


def _check_inputs(
    catalog: Catalog,
    systems: Sequence[SystemInput],
    pinned: Mapping[str, str],
    forbidden: Collection[str],
    forbidden_vendors: Collection[str],
    banned: frozenset[str],
    stack_penalty: int,
    time_limit: float,
    origin: str,
) -> dict[str, str]:
    """Raise one DataError for every bad input; return the pins keyed by role."""
    issues: list[Issue] = []
    seen: Counter[str] = Counter(system.name for system in systems)
    for name, count in sorted(seen.items()):
        if count > 1:
            issues.append(
                Issue(
                    "systems",
                    _("system named {count} times").format(count=count),
                    DUPLICATE_SYSTEM,
                    field="name",
                    value=name,
                )
            )
    for system in systems:
        if system.disposition not in DISPOSITIONS:
            issues.append(
                Issue(
                    "systems",
                    _("disposition must be one of {choices}").format(
                        choices=", ".join(DISPOSITIONS)
                    ),
                    BAD_DISPOSITION,
                    field="disposition",
                    value=str(system.disposition),
                    position=system.name,
                )
            )
        for layer, product_ids in system.products.items():
            for product_id in product_ids:
                if product_id not in catalog.products:
                    issues.append(
                        Issue(
                            "systems",
                            _("not a catalog product"),
                            UNKNOWN_PRODUCT,
                            field=f"products.{layer}",
                            value=product_id,
                            position=system.name,
                        )
                    )
    for product_id in sorted(forbidden):
        if product_id not in catalog.products:
            issues.append(
                Issue(
                    origin,
                    _("not a catalog product"),
                    UNKNOWN_EXCLUSION,
                    field="forbidden",
                    value=product_id,
                )
            )
    for vendor_id in sorted(forbidden_vendors):
        if vendor_id not in catalog.vendors:
            issues.append(
                Issue(
                    origin,
                    _("not a catalog vendor"),
                    UNKNOWN_EXCLUSION,
                    field="forbidden_vendors",
                    value=vendor_id,
                )
            )
    pins: dict[str, str] = {}
    for key, product_id in sorted(pinned.items()):
        where = f"pinned.{key}"
        role = _pin_role(key)
        product = catalog.products.get(product_id)
        if role is None:
            issues.append(
                Issue(
                    origin,
                    _("not a stack role; roles: {roles}").format(roles=", ".join(ROLE_ORDER)),
                    BAD_PIN,
                    field=where,
                    value=key,
                )
            )
        elif product is None:
            issues.append(
                Issue(origin, _("not a catalog product"), BAD_PIN, field=where, value=product_id)
            )
        elif role_of(product.layer, "replace") != role:
            issues.append(
                Issue(
                    origin,
                    _("{product} is a {layer} product, not a {role}").format(
                        product=product_id, layer=product.layer, role=role
                    ),
                    BAD_PIN,
                    field=where,
                    value=product_id,
                )
            )
        elif not product.domestic:
            issues.append(
                Issue(
                    origin,
                    _("only a domestic product can be pinned"),
                    BAD_PIN,
                    field=where,
                    value=product_id,
                )
            )
        elif product_id in forbidden or product.vendor in banned:
            issues.append(
                Issue(
                    origin,
                    _("pinned and forbidden at once"),
                    PIN_FORBIDDEN,
                    field=where,
                    value=product_id,
                )
            )
        elif role in pins and pins[role] != product_id:
            issues.append(
                Issue(
                    origin,
                    _("{role} is already pinned to {other}").format(role=role, other=pins[role]),
                    BAD_PIN,
                    field=where,
                    value=product_id,
                )
            )
        else:
            pins[role] = product_id
    if stack_penalty < 0:
        issues.append(
            Issue(
                origin,
                _("must be zero or more"),
                BAD_WEIGHT,
                field="stack_penalty",
                value=str(stack_penalty),
            )
        )
    if time_limit <= 0:
        issues.append(
            Issue(
                origin,
                _("must be more than zero"),
                BAD_WEIGHT,
                field="time_limit",
                value=str(time_limit),
            )
        )
    if issues:
        raise DataError(
            _("{count} problems in the stack planner's input").format(count=len(issues)), issues
        )
    return pins


def choose_stacks(
    catalog: Catalog,
    systems: Sequence[SystemInput],
    *,
    pinned: Mapping[str, str] = _NO_PINS,
    forbidden: Collection[str] = (),
    forbidden_vendors: Collection[str] = (),
    stack_penalty: int = STACK_PENALTY_DAYS,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int = 1,
    today: dt.date | None = None,
    max_options: int = MAX_OPTIONS_PER_SYSTEM,
    origin: str = "plan settings",
) -> StackResult:
    """Choose a certified domestic stack for every system, or say what link is missing.

    ``pinned`` maps a role (``database``) or a catalog layer
    (``database-centralized``) to the product every system with that role must
    use; ``forbidden`` removes products and ``forbidden_vendors`` removes a
    vendor's products (and those of vendors under it) from every stack.
    ``stack_penalty`` is in person-days per distinct stack. ``today`` decides
    which Xinchuang list entries are current (default: the system date).
    ``origin`` names the settings file in error messages. Raises DataError
    (PLN201–PLN207) on invalid input.
    """
    banned = excluded_vendors(catalog, forbidden_vendors) if forbidden_vendors else frozenset()
    pins = _check_inputs(
        catalog,
        systems,
        pinned,
        forbidden,
        forbidden_vendors,
        banned,
        stack_penalty,
        time_limit,
        origin,
    )
    day = today or dt.date.today()
    excluded = frozenset(forbidden)
    choices: dict[str, StackChoice] = {}
    blockers: dict[str, StackBlocker] = {}
    solvable: list[tuple[SystemSlots, Search]] = []
    cache = LinkCache(catalog)
    risks: dict[str, tuple[int, list[str]]] = {}
    for system in systems:
        if system.disposition in ("retire", "keep"):
            choices[system.name] = _no_move(system)
            continue
        slots = build_slots(
            catalog,
            system,
            pins=pins,
            forbidden=excluded,
            banned_vendors=banned,
            today=day,
            risks=risks,
        )
        if not slots.slots and not slots.kept:
            choices[system.name] = _nothing_known(system, slots)
            continue
        if (
            not any(slot.foreign for slot in slots.slots)
            and all(not c.hold for slot in slots.slots for c in slot.candidates)
            and all(slot.pin is None or slot.pin in slot.current for slot in slots.slots)
        ):
            choices[system.name] = _compliant(system, slots)
            continue
        found = search_stacks(cache, slots, max_options, slack=stack_penalty * 100)
        if not found.options:
            blockers[system.name] = StackBlocker(
                system=system.name,
                disposition=system.disposition,
                code=found.code or "PLN211",
                missing=found.missing or "",
                reasons=tuple(found.details + slots.notes),
                confidence=_confidence(system, slots, None, (), found),
            )
            continue
        solvable.append((slots, found))

    selection = select(
        [([slot.key for slot in slots.slots], found.options) for slots, found in solvable],
        stack_penalty_centidays=stack_penalty * 100,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
    )
    chosen_options = [
        found.options[k] for (_s, found), k in zip(solvable, selection.chosen, strict=True)
    ]
    sharing: Counter[tuple[tuple[str, str], ...]] = Counter(
        tuple(sorted(zip([p.key for p in slots.slots], option.products, strict=True)))
        for (slots, _f), option in zip(solvable, chosen_options, strict=True)
    )
    for (slots, found), option in zip(solvable, chosen_options, strict=True):
        key = tuple(sorted(zip([p.key for p in slots.slots], option.products, strict=True)))
        links = option_links(cache, slots, option)
        blocked = tuple(
            blocked_place(cache, slots, option, k)
            for k, product in enumerate(option.products)
            if not product
        )
        changes = [k for k, slot in enumerate(slots.slots) if option.products[k] and slot.foreign]
        system = slots.system
        if blocked and not changes:
            first = blocked[0]
            blockers[system.name] = StackBlocker(
                system=system.name,
                disposition=system.disposition,
                code=first.code,
                missing=first.missing,
                reasons=tuple([_block_line(b) for b in blocked] + slots.notes),
                confidence=_confidence(system, slots, None, (), found),
                blocked=blocked,
            )
            continue
        choices[system.name] = _choice(slots, found, option, links, sharing[key] - 1, blocked)
    ordered = {s.name: choices[s.name] for s in systems if s.name in choices}
    return StackResult(
        choices=ordered,
        blockers={s.name: blockers[s.name] for s in systems if s.name in blockers},
        status=selection.status,
        objective=selection.objective,
        bound=selection.bound,
        distinct_stacks=selection.distinct,
        catalog_revision=catalog.revision,
        solve_seconds=selection.seconds,
        weights={
            "effort_centidays": 1,
            "risk_point_centidays": RISK_WEIGHT_CENTIDAYS,
            "stack_centidays": stack_penalty * 100,
        },
    )


def _block_line(block: LayerBlock) -> str:
    """One line about a blocked place, for reasons and tables."""
    return _("{code} {place} stays {current}: {missing}; {unblock}").format(
        code=block.code,
        place=block.place,
        current=", ".join(block.current),
        missing=block.missing,
        unblock=block.unblock,
    )


def _compliant(system: SystemInput, slots: SystemSlots) -> StackChoice:
    """A system whose every stack place is already domestic: nothing to do."""
    stack = {slot.key: slot.current[0] for slot in slots.slots if len(slot.current) == 1}
    reasons = [
        _("keep (already compliant): every stack layer is already domestic"),
        *slots.notes,
    ]
    if not slots.slots:
        reasons[0] = _(
            "keep (already compliant): nothing it runs must be replaced under the policy"
        )
    return StackChoice(
        system=system.name,
        disposition="keep",
        stack=stack,
        replaces={},
        effort_days=0.0,
        risk=0,
        readiness="ready",
        confidence=1.0,
        reasons=tuple(reasons),
        kept=tuple(slots.kept),
        compliant=True,
    )


def _no_move(system: SystemInput) -> StackChoice:
    if system.disposition == "retire":
        reason = _("retired: no target stack")
    else:
        reason = _("kept under an exemption: no target stack")
    return StackChoice(
        system=system.name,
        disposition=system.disposition,
        stack={},
        replaces={},
        effort_days=0.0,
        risk=0,
        readiness="ready",
        confidence=1.0,
        reasons=(reason,),
    )


def _nothing_known(system: SystemInput, slots: SystemSlots) -> StackChoice:
    return StackChoice(
        system=system.name,
        disposition=system.disposition,
        stack={},
        replaces={},
        effort_days=0.0,
        risk=0,
        readiness="unknown",
        confidence=0.1,
        reasons=(
            _("no product of a stack layer is known for this system: nothing to choose"),
            *slots.notes,
        ),
    )


def _confidence(
    system: SystemInput,
    slots: SystemSlots,
    option: StackOption | None,
    links: tuple[StackLink, ...],
    found: Search,
) -> float:
    """How complete the data behind the choice is, 0..1 (docs/stacks.md)."""
    confidence = 1.0
    changes = any(slot.foreign for slot in slots.slots)
    if changes and not system.scanned:
        confidence = min(confidence, 0.35)
    confidence -= min(0.3, 0.05 * system.unidentified)
    if option is not None:
        unconfirmed = sum(1 for link in links if link.status == "unconfirmed")
        confidence -= 0.05 * unconfirmed
        for slot, pick in zip(slots.slots, option.picks, strict=True):
            if slot.candidates[pick].unpriced:
                confidence -= 0.05
    if found.truncated:
        confidence -= 0.05
    return round(max(0.05, min(1.0, confidence)), 2)


def _choice(
    slots: SystemSlots,
    found: Search,
    option: StackOption,
    links: tuple[StackLink, ...],
    others: int,
    blocked: tuple[LayerBlock, ...] = (),
) -> StackChoice:
    system = slots.system
    stack: dict[str, str] = {}
    replaces: dict[str, tuple[str, ...]] = {}
    place_days: dict[str, float] = {}
    reasons: list[str] = []
    conditions: list[str] = []
    for slot, pick in zip(slots.slots, option.picks, strict=True):
        candidate = slot.candidates[pick]
        if candidate.hold:
            continue
        stack[slot.key] = candidate.product
        if slot.foreign:
            place_days[slot.key] = candidate.effort_centidays / 100
        replaces[slot.key] = slot.foreign
        reasons.extend(candidate.reasons)
        conditions.extend(candidate.conditions)
        for target in candidate.targets:
            minutes = float(system.findings_minutes_by_target.get(target, 0.0))
            if minutes > 0:
                conditions.append(
                    _("fix {minutes:.0f} min of scanner findings for target {target}").format(
                        minutes=minutes, target=target
                    )
                )
    for stack_link in links:
        reasons.append(describe(stack_link))
        if stack_link.status == "unconfirmed":
            conditions.append(
                _("certification of {a} with {b} is unconfirmed: test it first").format(
                    a=stack_link.product_a, b=stack_link.product_b
                )
            )
    for block in blocked:
        reasons.append(_block_line(block))
    reasons.extend(slots.notes)
    if others:
        reasons.append(_("the same stack serves {count} other systems").format(count=others))
    if found.truncated:
        reasons.append(
            _(
                "only the first {count} certified stacks (cheapest candidates first) were compared"
            ).format(count=len(found.options))
        )
    changes = any(slot.foreign for slot in slots.slots)
    readiness: Readiness
    conditions.extend(_block_line(block) for block in blocked)
    if not changes:
        readiness = "ready"
    elif not system.scanned:
        readiness = "unknown"
        reasons.append(_("no code scan: the effort is the catalog's base estimate only"))
    elif conditions:
        readiness = "ready-with-conditions"
    else:
        readiness = "ready"
    summary = ", ".join(f"{key} {product}" for key, product in stack.items())
    reasons.insert(0, _("stack: {summary}").format(summary=summary))
    if blocked:
        reasons.insert(
            1,
            _("partial stack: {count} place(s) blocked, the rest is replaced").format(
                count=len(blocked)
            ),
        )
    return StackChoice(
        system=system.name,
        disposition=system.disposition,
        stack=stack,
        replaces=replaces,
        effort_days=option.effort_centidays / 100,
        risk=option.risk,
        readiness=readiness,
        confidence=_confidence(system, slots, option, links, found),
        reasons=tuple(dict.fromkeys(reasons)),
        conditions=tuple(dict.fromkeys(conditions)),
        links=links,
        blocked=blocked,
        kept=tuple(slots.kept),
        penalty_centidays=option.penalty,
        place_days=place_days,
    )
