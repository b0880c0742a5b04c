"""Warnings about the planner's input: misconfiguration that would otherwise pass silently.

Each warning has a code (docs/reference/errors.md), the place it concerns and
one line saying what is wrong and what the planner did about it. The CLI
prints them on stderr and puts them in the plan JSON; ``--strict`` turns them
into errors.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from xinchuang.catalog.model import Catalog
from xinchuang.i18n import _

UNKNOWN_SECTOR = "PLN401"
UNIT_WITHOUT_TEAM = "PLN402"
DANGLING_HOST = "PLN403"
DANGLING_DEPENDENCY = "PLN404"
PIN_NOT_CERTIFIED = "PLN405"
OUTSIDE_SYSTEMS = "PLN406"


@dataclass(frozen=True)
class PlanWarning:
    """One warning: its code, what it concerns, and the message."""

    code: str
    where: str
    message: str

    def line(self) -> str:
        """The warning as one line for stderr."""
        return f"{self.code} {self.where}: {self.message}"

    def as_json(self) -> dict[str, str]:
        """The warning in the plan JSON."""
        return {"code": self.code, "where": self.where, "message": self.message}


def sector_warnings(
    systems: Iterable[tuple[str, str, str | None, str | None]], policy_id: str, default_tier: str
) -> list[PlanWarning]:
    """Systems whose sector the policy does not know (system, unit, sector, sector id)."""
    out: list[PlanWarning] = []
    seen: set[tuple[str, str]] = set()
    for _system, unit, sector, sector_id in systems:
        if sector and sector_id is None and (unit, sector) not in seen:
            seen.add((unit, sector))
            out.append(
                PlanWarning(
                    UNKNOWN_SECTOR,
                    unit,
                    _(
                        "sector {sector!r} is not a sector of policy {policy}: its systems fall "
                        "to tier {tier}; add it as an alias in the policy profile or fix the "
                        "systems file"
                    ).format(sector=sector, policy=policy_id, tier=default_tier),
                )
            )
    return out


def team_warnings(
    units: Collection[str],
    team_of_unit: Mapping[str, str],
    teams_given: bool,
    default_capacity: float,
    units_with_system_teams: Collection[str] = (),
) -> list[PlanWarning]:
    """Units that no team of plan.yaml serves: they fall to the default team."""
    out: list[PlanWarning] = []
    for unit in sorted(units):
        if unit in team_of_unit or unit in units_with_system_teams:
            continue
        if teams_given:
            message = _(
                "no team in plan.yaml serves this unit: its systems share the default team "
                "({capacity:g} person-days a period); name the unit under a team's units"
            ).format(capacity=default_capacity)
        else:
            message = _(
                "plan.yaml names no teams: this unit's systems share one default team of "
                "{capacity:g} person-days a period (--capacity)"
            ).format(capacity=default_capacity)
        out.append(PlanWarning(UNIT_WITHOUT_TEAM, unit, message))
    return out


def dangling_warnings(
    host_refs: Iterable[tuple[str, str]],
    known_hosts: Collection[str],
    dependencies: Iterable[tuple[str, str]],
    known_systems: Collection[str],
) -> list[PlanWarning]:
    """Systems that name hosts or depend on systems the workspace does not have."""
    out: list[PlanWarning] = []
    missing_hosts: dict[str, list[str]] = {}
    for system, ref in host_refs:
        if ref not in known_hosts:
            missing_hosts.setdefault(system, []).append(ref)
    for system, refs in sorted(missing_hosts.items()):
        shown = ", ".join(sorted(refs)[:5]) + (" …" if len(refs) > 5 else "")
        out.append(
            PlanWarning(
                DANGLING_HOST,
                system,
                _(
                    "{count} host(s) named in the systems file are in no imported register or "
                    "scan: {hosts}; what they run is not counted"
                ).format(count=len(refs), hosts=shown),
            )
        )
    for system, used in sorted(set(dependencies)):
        if used not in known_systems:
            out.append(
                PlanWarning(
                    DANGLING_DEPENDENCY,
                    system,
                    _(
                        "depends on {used!r}, which is not a business system of the workspace: "
                        "the dependency is ignored"
                    ).format(used=used),
                )
            )
    return out


def pin_warnings(catalog: Catalog, pinned: Mapping[str, str]) -> list[PlanWarning]:
    """Pins to a product no confirmed certification backs at all."""
    out: list[PlanWarning] = []
    certified = {row.a for row in catalog.certifications if row.confirmed}
    certified |= {row.b for row in catalog.certifications if row.confirmed}
    for role, product in sorted(pinned.items()):
        if product in catalog.products and product not in certified:
            out.append(
                PlanWarning(
                    PIN_NOT_CERTIFIED,
                    f"pinned.{role}",
                    _(
                        "{product} has no confirmed certification with any product: every "
                        "place next to it will be blocked unless a system already runs the pair"
                    ).format(product=product),
                )
            )
    return out


def coverage_warning(
    outside_items: int, outside_hosts: int, ceiling: float, current: float
) -> list[PlanWarning]:
    """Foreign items on hosts that no business system names: no plan can replace them."""
    if outside_items <= 0:
        return []
    return [
        PlanWarning(
            OUTSIDE_SYSTEMS,
            "systems",
            _(
                "{items} counted foreign items on {hosts} host(s) belong to no business system: "
                "the plan cannot replace them, and the localization rate can rise from "
                "{current:.1%} to at most {ceiling:.1%}; give those hosts to a system (office "
                "terminals, for example) in the systems file"
            ).format(items=outside_items, hosts=outside_hosts, current=current, ceiling=ceiling),
        )
    ]
