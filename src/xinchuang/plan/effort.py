"""The effort model: what moving one business system costs, in person-days, item by item.

A migration PM prices a system as the sum of a few recognisable pieces
(docs/plan.md "Effort model" gives every parameter and its source):

- **hosts**: each host of the system is rebuilt on the new platform (new server
  or PC line, new operating system, deployment, hardening), priced by the host's
  role (database, application, other server, terminal); only when the platform
  (CPU, machine or operating system) changes;
- **layers**: each replaced layer's adaptation, as the stack chooser priced it:
  the substitution's base effort lowered by what carries over, plus the
  scanner's findings for that target (ora2pg-style units for SQL);
- **data migration**: per replaced database, a fixed part plus a part per
  database host (the size proxy when no data volume is known);
- **application**: when the system's code was never scanned, an estimate by
  criticality for adapting and re-testing the application itself; a scanned
  system's findings are already in its layers;
- **testing**: a share of all of the above (functional, performance and
  compatibility testing of the moved system);
- **parallel running** (双轨): months × person-days a month after the cut-over,
  scheduled by the planner as its own load and shown here for the whole picture.

Every parameter can be overridden in plan.yaml (``effort:``), and a system's
total in ``systems.<name>.effort_days``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from xinchuang.catalog.model import Catalog
from xinchuang.i18n import _
from xinchuang.models.catalog import Product

HOST_ROLES: tuple[str, ...] = ("database", "application", "server", "terminal")
PLATFORM_ROLES = frozenset({"cpu", "server", "terminal", "os", "virtualization"})
DESKTOP_OS_WORDS = ("desktop", "windows-7", "windows-10", "windows-11", "macos", "harmonyos-pc")


@dataclass(frozen=True)
class EffortParameters:
    """The model's parameters (defaults: docs/plan.md "Effort model")."""

    host_days: Mapping[str, float] = field(
        default_factory=lambda: {
            "database": 2.0,
            "application": 1.5,
            "server": 1.0,
            "terminal": 0.25,
        }
    )
    database_fixed_days: float = 3.0
    database_days_per_host: float = 1.0
    application_days: Mapping[str, float] = field(
        default_factory=lambda: {"high": 20.0, "medium": 10.0, "low": 5.0}
    )
    testing_share: float = 0.3


@dataclass(frozen=True)
class EffortItem:
    """One line of a system's effort: what, how many person-days, and how it was counted."""

    item: str
    days: float
    basis: str


@dataclass(frozen=True)
class EffortBreakdown:
    """A system's migration effort, item by item; ``total`` is what the schedule uses."""

    items: tuple[EffortItem, ...]
    parallel_days: float = 0.0
    overridden: float | None = None

    @property
    def computed(self) -> float:
        """The sum of the items, in person-days."""
        return round(sum(item.days for item in self.items), 2)

    @property
    def total(self) -> float:
        """The migration effort the schedule uses (the override when one is given)."""
        return self.overridden if self.overridden is not None else self.computed


def host_role(catalog: Catalog, product_ids: list[str | None]) -> str:
    """The role of one host by what it runs: terminal, database, application or server."""
    products: list[Product] = [
        catalog.products[p] for p in product_ids if p is not None and p in catalog.products
    ]
    layers = {p.layer for p in products}
    if "pc-terminal" in layers or any(
        p.layer == "os" and any(word in p.id for word in DESKTOP_OS_WORDS) for p in products
    ):
        return "terminal"
    if layers & {"database-centralized", "database-distributed"}:
        return "database"
    if layers & {"middleware-appserver", "middleware-messaging"}:
        return "application"
    return "server"


def criticality_key(text: str | None) -> str:
    """high / medium / low from a business-systems file's criticality (default medium)."""
    value = (text or "").strip().lower()
    if value in {"high", "h", "高", "critical", "核心", "重要"}:
        return "high"
    if value in {"low", "l", "低"}:
        return "low"
    return "medium"


def estimate(
    *,
    place_days: Mapping[str, float],
    replaced_roles: frozenset[str],
    hosts: Mapping[str, int],
    scanned: bool,
    criticality: str | None,
    parameters: EffortParameters,
    parallel_days: float = 0.0,
    override: float | None = None,
) -> EffortBreakdown:
    """The breakdown of one migrated system's effort.

    ``place_days`` is the stack chooser's effort per replaced place;
    ``replaced_roles`` the roles whose product changes; ``hosts`` the number of
    the system's hosts per role (:func:`host_role`).
    """
    items: list[EffortItem] = []
    platform = bool(replaced_roles & PLATFORM_ROLES)
    if platform:
        for role in HOST_ROLES:
            count = hosts.get(role, 0)
            if count:
                rate = parameters.host_days.get(role, 1.0)
                items.append(
                    EffortItem(
                        _("hosts: {role}").format(role=role),
                        round(count * rate, 2),
                        _("{count} × {rate:g} d (rebuild on the new platform and OS)").format(
                            count=count, rate=rate
                        ),
                    )
                )
    for place, days in place_days.items():
        if days > 0:
            items.append(
                EffortItem(
                    _("layer: {place}").format(place=place),
                    round(days, 2),
                    _("substitution base × carry-over, plus scanner findings for the target"),
                )
            )
    if "database" in replaced_roles:
        # a database named only in the systems file runs on at least one host
        db_hosts = max(1, hosts.get("database", 0))
        days = parameters.database_fixed_days + parameters.database_days_per_host * db_hosts
        items.append(
            EffortItem(
                _("data migration"),
                round(days, 2),
                _("{fixed:g} d + {count} database host(s) × {rate:g} d").format(
                    fixed=parameters.database_fixed_days,
                    count=db_hosts,
                    rate=parameters.database_days_per_host,
                ),
            )
        )
    if replaced_roles and not scanned:
        key = criticality_key(criticality)
        days = parameters.application_days.get(key, 10.0)
        items.append(
            EffortItem(
                _("application adaptation"),
                days,
                _("not scanned: estimate for a {criticality}-criticality system").format(
                    criticality=key
                ),
            )
        )
    subtotal = sum(item.days for item in items)
    if subtotal > 0 and parameters.testing_share > 0:
        items.append(
            EffortItem(
                _("testing"),
                round(subtotal * parameters.testing_share, 2),
                _("{share:.0%} of the above").format(share=parameters.testing_share),
            )
        )
    return EffortBreakdown(tuple(items), parallel_days=parallel_days, overridden=override)


def flat(days: float, item: str, basis: str, override: float | None = None) -> EffortBreakdown:
    """A breakdown of one item (a retirement, an exemption)."""
    items = (EffortItem(item, days, basis),) if days else ()
    return EffortBreakdown(items, overridden=override)
