"""The certified stacks of one system, and the missing link when there is none.

A depth-first search fills the system's places in role order (hardware first),
trying each place's candidates cheapest first and keeping a candidate only
when it is linked (certified, unconfirmed or already in use) to every product
already chosen for a linked role. Every complete stack it finds is an option
for the CP-SAT model; when it finds none, the deepest partial stack it reached
names the place that cannot be filled and what it cannot be filled next to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xinchuang.catalog.model import Catalog
from xinchuang.i18n import _
from xinchuang.plan.stack_constraints.candidates import (
    RISK_WEIGHT_CENTIDAYS,
    RoleCandidate,
    Slot,
    SystemSlots,
)
from xinchuang.plan.stack_constraints.links import IN_USE, Link, link, roles_linked
from xinchuang.plan.stack_constraints.records import LayerBlock, StackLink

# Blocker codes (docs/stacks.md).
NO_CANDIDATE = "PLN210"
NO_CERTIFIED_STACK = "PLN211"
PIN_NOT_CERTIFIED = "PLN212"


@dataclass(frozen=True)
class StackOption:
    """One certified stack for one system: a candidate index per place."""

    picks: tuple[int, ...]
    products: tuple[str, ...]
    effort_centidays: int
    risk: int
    penalty: int = 0  # hundredths of a person-day charged for the places left blocked

    @property
    def cost(self) -> int:
        """Effort plus weighted risk plus the block penalty, in hundredths of a person-day."""
        return self.effort_centidays + RISK_WEIGHT_CENTIDAYS * self.risk + self.penalty


@dataclass
class Search:
    """The options found for one system, or the missing link."""

    options: list[StackOption] = field(default_factory=list)
    truncated: bool = False
    code: str | None = None
    missing: str | None = None
    details: list[str] = field(default_factory=list)


# A blocked place claims no link: its foreign products stay where they are.
HOLD = Link("in-use", (), ())


class LinkCache:
    """What the catalog says about each pair of products, looked up once per planner run.

    Whether a pair is already *in use* depends on the system, so it is decided
    per call, after the catalog's answer.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.pairs: dict[tuple[str, str], Link | None] = {}

    def get(self, a: str, b: str, running: frozenset[str]) -> Link | None:
        """The link between ``a`` and ``b`` for a system running ``running``."""
        key = (a, b) if a <= b else (b, a)
        if key not in self.pairs:
            self.pairs[key] = link(self.catalog, key[0], key[1])
        found = self.pairs[key]
        if (found is None or found.status == "unconfirmed") and a in running and b in running:
            return IN_USE
        return found


class _Links:
    """A LinkCache seen from one system."""

    def __init__(self, cache: LinkCache, running: frozenset[str]) -> None:
        self.cache = cache
        self.running = running

    def get(self, a: str, b: str) -> Link | None:
        return self.cache.get(a, b, self.running)


def _label(slot: Slot, product: str) -> str:
    if slot.pin == product:
        return _("pinned {place} {product}").format(place=slot.key, product=product)
    return f"{slot.key} {product}"


def search_stacks(
    cache: LinkCache,
    slots: SystemSlots,
    limit: int,
    *,
    slack: int | None = None,
    node_budget: int = 200_000,
) -> Search:
    """The certified stacks of the system (at most ``limit``, cheapest candidates first).

    With ``slack`` (hundredths of a person-day), only stacks that cost at most
    ``slack`` more than the system's cheapest are kept, and branches that cannot
    get there are cut. With ``slack`` set to the penalty of one distinct stack
    nothing optimal is lost: a system on a stack dearer than that would do
    better moving to its cheapest stack, even if it must open it.
    ``node_budget`` bounds the partial stacks tried, so that a system with many
    places and few certifications cannot stall the planner; reaching it, or the
    limit, marks the search truncated.
    """
    places = slots.slots
    result = Search()
    for slot in places:
        if not slot.candidates:
            result.code = NO_CANDIDATE
            if slot.removed:
                result.missing = _(
                    "no domestic candidate for {current} ({role}) left after exclusions: {removed}"
                ).format(
                    current=", ".join(slot.foreign or slot.current),
                    role=slot.key,
                    removed=", ".join(slot.removed),
                )
            else:
                result.missing = _(
                    "no domestic candidate for {current} ({role}) in the catalog"
                ).format(current=", ".join(slot.foreign or slot.current), role=slot.key)
            return result
    links = _Links(cache, slots.current)
    neighbours = [
        [j for j in range(i) if roles_linked(places[i].role, places[j].role)]
        for i in range(len(places))
    ]
    # The cheapest each remaining place can add: a lower bound for cutting branches.
    rest = [0] * (len(places) + 1)
    for i in range(len(places) - 1, -1, -1):
        rest[i] = rest[i + 1] + min(_cost(c) for c in places[i].candidates)
    chosen: list[RoleCandidate] = []
    picks: list[int] = []
    link_risk = [0]
    deepest: list[RoleCandidate] = []
    nodes = 0
    best: int | None = None

    def extend(i: int, spent: int) -> bool:
        """Fill place i onward; False once the limit or the budget is reached."""
        nonlocal deepest, nodes, best
        nodes += 1
        if nodes > node_budget:
            return False
        if len(chosen) > len(deepest):
            deepest = list(chosen)
        if slack is not None and best is not None and spent + rest[i] > best + slack:
            return True
        if i == len(places):
            result.options.append(
                StackOption(
                    picks=tuple(picks),
                    products=tuple(c.product for c in chosen),
                    effort_centidays=sum(c.effort_centidays for c in chosen),
                    risk=sum(c.risk for c in chosen) + sum(link_risk),
                    penalty=sum(c.penalty_centidays for c in chosen),
                )
            )
            best = spent if best is None else min(best, spent)
            return len(result.options) < limit
        for index, candidate in enumerate(places[i].candidates):
            found = [
                HOLD
                if chosen[j].hold or candidate.hold
                else links.get(chosen[j].product, candidate.product)
                for j in neighbours[i]
            ]
            if all(found):
                risk = sum(f.risk for f in found if f is not None)
                chosen.append(candidate)
                picks.append(index)
                link_risk.append(risk)
                going = extend(i + 1, spent + _cost(candidate) + RISK_WEIGHT_CENTIDAYS * risk)
                chosen.pop()
                picks.pop()
                link_risk.pop()
                if not going:
                    return False
        return True

    if not extend(0, 0):
        result.truncated = True
    if slack is not None and best is not None:
        ceiling = best + slack
        result.options = [o for o in result.options if o.cost <= ceiling]
    if not result.options and not _pair_gap(result, places, neighbours, links):
        _diagnose(result, places, neighbours, deepest, links)
    return result


def _cost(candidate: RoleCandidate) -> int:
    return (
        candidate.effort_centidays
        + RISK_WEIGHT_CENTIDAYS * candidate.risk
        + candidate.penalty_centidays
    )


def option_links(
    cache: LinkCache, slots: SystemSlots, option: StackOption
) -> tuple[StackLink, ...]:
    """The linked pairs of one stack and what backs each (for the chosen stack only)."""
    places = slots.slots
    links = _Links(cache, slots.current)
    out: list[StackLink] = []
    for k in range(len(places)):
        for j in range(k):
            if not roles_linked(places[j].role, places[k].role):
                continue
            a, b = option.products[j], option.products[k]
            if not a or not b:
                continue  # a blocked place: its foreign products stay, no link is claimed
            found = links.get(a, b)
            assert found is not None
            out.append(
                StackLink(
                    places[j].key, a, places[k].key, b, found.status, found.kinds, found.sources
                )
            )
    return tuple(out)


def _among(slot: Slot) -> str:
    """A place's candidates, for a message: 'os candidate of rhel (kylin-server-v10, …)'."""
    if slot.pin:
        return _("pinned {place} {product}").format(place=slot.key, product=slot.pin)
    return _("{place} candidate of {current} ({names})").format(
        place=slot.key,
        current=", ".join(slot.foreign or slot.current),
        names=", ".join(c.product for c in slot.candidates if not c.hold),
    )


def _pair_gap(
    result: Search, places: list[Slot], neighbours: list[list[int]], links: _Links
) -> bool:
    """Name two linked places none of whose candidates are certified together, if any.

    This is the plainest missing link: it holds whatever the other places take.
    """
    for k, place in enumerate(places):
        for j in neighbours[k]:
            other = places[j]
            if any(
                a.hold or b.hold or links.get(a.product, b.product)
                for a in other.candidates
                for b in place.candidates
            ):
                continue
            if place.pin and not other.pin:
                place, other = other, place
            result.code = PIN_NOT_CERTIFIED if place.pin or other.pin else NO_CERTIFIED_STACK
            if place.pin:  # both pinned
                result.missing = _("{a} is not certified with {b}").format(
                    a=_among(place), b=_among(other)
                )
            elif other.pin:
                result.missing = _("no {a} is certified with {b}").format(
                    a=_among(place), b=_among(other)
                )
            else:
                result.missing = _("no {a} is certified with any {b}").format(
                    a=_among(place), b=_among(other)
                )
            return True
    return False


def _diagnose(
    result: Search,
    places: list[Slot],
    neighbours: list[list[int]],
    deepest: list[RoleCandidate],
    links: _Links,
) -> None:
    """Name the place that could not be filled next to the deepest partial stack.

    Every pair of linked places has some certified pair here (``_pair_gap``
    found none missing), so the gap is in a combination: the message names the
    products chosen so far that leave the place without a candidate.
    """
    k = len(deepest)
    slot = places[k]
    around = [_label(places[j], deepest[j].product) for j in neighbours[k]]
    hardware = [
        _label(places[j], deepest[j].product)
        for j in range(k)
        if j not in neighbours[k] and places[j].role in {"cpu", "server", "terminal"}
    ]
    where = ", ".join(around)
    if hardware:
        where = _("{software} on {hardware}").format(software=where, hardware=", ".join(hardware))
    pins = [places[j] for j in range(k) if places[j].pin] + ([slot] if slot.pin else [])
    if slot.pin:
        result.code = PIN_NOT_CERTIFIED
        result.missing = _("pinned {role} {pin} is not certified with {where}").format(
            role=slot.key, pin=slot.pin, where=where
        )
    else:
        result.code = PIN_NOT_CERTIFIED if pins else NO_CERTIFIED_STACK
        result.missing = _("no certified {role} for {where} among candidates of {current}").format(
            role=slot.key, where=where, current=", ".join(slot.foreign or slot.current)
        )
    for candidate in (c for c in slot.candidates if not c.hold):
        lacking = [
            _label(places[j], deepest[j].product)
            for j in neighbours[k]
            if links.get(deepest[j].product, candidate.product) is None
        ]
        result.details.append(
            _("{product}: no certification with {lacking}").format(
                product=candidate.product, lacking=", ".join(lacking)
            )
        )


def blocked_place(cache: LinkCache, slots: SystemSlots, option: StackOption, k: int) -> LayerBlock:
    """Why place ``k`` of the chosen stack stays foreign, and what would unblock it."""
    places = slots.slots
    slot = places[k]
    links = _Links(cache, slots.current)
    current = ", ".join(slot.foreign or slot.current)
    real = [c for c in slot.candidates if not c.hold]
    if not real:
        if slot.removed:
            missing = _(
                "no domestic candidate for {current} ({role}) left after exclusions: {removed}"
            ).format(current=current, role=slot.key, removed=", ".join(slot.removed))
            unblock = _("allow one of {removed}, or add another substitution for {current}").format(
                removed=", ".join(slot.removed), current=current
            )
        else:
            missing = _("no domestic candidate for {current} ({role}) in the catalog").format(
                current=current, role=slot.key
            )
            unblock = _("a catalog substitution for {current} would unblock it").format(
                current=current
            )
        return LayerBlock(
            slot.key, slot.role, slot.foreign or slot.current, NO_CANDIDATE, missing, (), unblock
        )
    neighbours = [
        j for j in range(len(places)) if j != k and roles_linked(places[j].role, slot.role)
    ]
    chosen = {j: option.products[j] for j in neighbours if option.products[j]}
    pairs: list[tuple[str, str]] = []
    lacking_with: list[str] = []
    for candidate in real:
        for j, product in chosen.items():
            if links.get(product, candidate.product) is None:
                pairs.append((candidate.product, product))
                label = _label(places[j], product)
                if label not in lacking_with:
                    lacking_with.append(label)
    code = (
        PIN_NOT_CERTIFIED if slot.pin or any(places[j].pin for j in chosen) else NO_CERTIFIED_STACK
    )
    if lacking_with:
        missing = _("no {among} is certified with {chosen}").format(
            among=_among(slot), chosen=", ".join(lacking_with)
        )
        shown = pairs[:6]
        unblock = _("a certification of any one pair would unblock it: {pairs}").format(
            pairs="; ".join(f"{a} × {b}" for a, b in shown)
            + (
                _(" (and {n} more)").format(n=len(pairs) - len(shown))
                if len(pairs) > len(shown)
                else ""
            )
        )
    else:
        missing = _(
            "every {among} fits the chosen products alone, but not together with the rest "
            "of the stack"
        ).format(among=_among(slot))
        unblock = _("certify a candidate with the products chosen next to it")
    return LayerBlock(
        slot.key, slot.role, slot.foreign or slot.current, code, missing, tuple(pairs), unblock
    )
