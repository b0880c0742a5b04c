"""A system's deadline: the earliest policy deadline that applies to it.

A deadline applies when its tier is the unit's tier, its sectors (if any)
include the unit's sector, its ownership is "any" or the unit is state-owned,
and its layers (if any) meet the layers the system changes. Procurement
deadlines govern what is bought, not when installed systems are replaced, so
by default only replacement and advisory deadlines count (``deadline_kinds``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from xinchuang.models.catalog import Deadline, PolicyProfile
from xinchuang.plan.instance import month_add


@dataclass(frozen=True)
class Applied:
    """The deadline date of a system and the policy deadlines that set it."""

    date: dt.date | None
    ids: tuple[str, ...]


def applies(
    deadline: Deadline,
    *,
    tier: str,
    sector: str | None,
    state_owned: bool,
    layers: Collection[str],
) -> bool:
    """Whether ``deadline`` applies to a system of this tier, sector, ownership and layers."""
    if deadline.tier != tier:
        return False
    if deadline.sectors and sector not in deadline.sectors:
        return False
    if deadline.ownership == "state-owned" and not state_owned:
        return False
    return not (deadline.layers and not set(deadline.layers) & set(layers))


def shifted(date: dt.date, months: int) -> dt.date:
    """``date`` moved by whole months; the last day of a month stays the last day."""
    if not months:
        return date
    first = month_add(date, months)
    last = month_add(first, 1) - dt.timedelta(days=1)
    if date == month_add(date, 1) - dt.timedelta(days=1):
        return last
    return first.replace(day=min(date.day, last.day))


def system_deadline(
    policy: PolicyProfile,
    *,
    tier: str,
    sector: str | None,
    state_owned: bool,
    layers: Collection[str],
    kinds: Collection[str] = ("replacement", "advisory"),
    shift_months: int = 0,
) -> Applied:
    """The earliest applicable deadline (shifted by ``shift_months``), and which ones set it."""
    found = [
        d
        for d in policy.deadlines
        if d.kind in kinds
        and applies(d, tier=tier, sector=sector, state_owned=state_owned, layers=layers)
    ]
    if not found:
        return Applied(None, ())
    earliest = min(d.date for d in found)
    ids = tuple(sorted(d.id for d in found if d.date == earliest))
    return Applied(shifted(earliest, shift_months), ids)
