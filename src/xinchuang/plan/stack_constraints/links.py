"""Certification links: may two chosen products sit next to each other in a stack?

Two products of linked roles (``roles.LINKS``) may be chosen together when the
catalog certifies the pair. A pair backed only by unconfirmed rows is allowed
but costs risk and becomes a named condition; a pair the system already runs
together counts as proven in production. Any other pair is forbidden.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from xinchuang.catalog.model import Catalog
from xinchuang.i18n import _
from xinchuang.plan.stack_constraints.candidates import RISK_UNCONFIRMED_LINK
from xinchuang.plan.stack_constraints.records import LinkStatus, StackLink
from xinchuang.plan.stack_constraints.roles import LINKS

LINKED_ROLES: frozenset[frozenset[str]] = frozenset(frozenset(pair) for pair in LINKS)


def roles_linked(role_a: str, role_b: str) -> bool:
    """Whether products of these two roles must be certified together."""
    return frozenset((role_a, role_b)) in LINKED_ROLES


@dataclass(frozen=True)
class Link:
    """What the catalog (or the system itself) says about one pair of products."""

    status: LinkStatus
    kinds: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def risk(self) -> int:
        """Risk points of relying on this link."""
        return RISK_UNCONFIRMED_LINK if self.status == "unconfirmed" else 0


IN_USE = Link("in-use", (), ())


def _platform_link(catalog: Catalog, a: str, b: str) -> Link | None:
    """A server or PC line and a CPU it is sold with: certified as a platform."""
    pa, pb = catalog.products.get(a), catalog.products.get(b)
    if pa is None or pb is None:
        return None
    for machine, cpu in ((pa, pb), (pb, pa)):
        if machine.cpus and cpu.layer == "cpu" and cpu.id in machine.cpus:
            sources = machine.sources.get("product") or machine.sources.get("control") or []
            return Link("certified", ("platform-line",), tuple(sources))
    return None


def link(catalog: Catalog, a: str, b: str, running: Collection[str] = ()) -> Link | None:
    """The link between products ``a`` and ``b`` (None: they may not be chosen together)."""
    platform = _platform_link(catalog, a, b)
    if platform is not None:
        return platform
    rows = catalog.certified(a, b)
    confirmed = [row for row in rows if row.confirmed]
    if confirmed:
        return Link(
            "certified",
            tuple(dict.fromkeys(row.kind for row in confirmed)),
            tuple(dict.fromkeys(url for row in confirmed for url in row.source)),
        )
    if a in running and b in running:
        return IN_USE
    if rows:
        return Link(
            "unconfirmed",
            tuple(dict.fromkeys(row.kind for row in rows)),
            tuple(dict.fromkeys(url for row in rows for url in row.source)),
        )
    return None


def describe(stack_link: StackLink) -> str:
    """One line about a link, for a choice's reasons."""
    pair = (
        f"{stack_link.role_a} {stack_link.product_a} – {stack_link.role_b} {stack_link.product_b}"
    )
    if stack_link.status == "in-use":
        return _("{pair}: already run together by this system").format(pair=pair)
    kinds = ", ".join(stack_link.kinds)
    if stack_link.status == "certified":
        return _("{pair}: certified ({kinds}), sourced").format(pair=pair, kinds=kinds)
    return _("{pair}: certification unconfirmed ({kinds}), +{points} risk").format(
        pair=pair, kinds=kinds, points=RISK_UNCONFIRMED_LINK
    )


def stack_link_problems(
    catalog: Catalog, stack: dict[str, str], running: Collection[str] = ()
) -> list[str]:
    """Every pair of linked roles in ``stack`` (key → product) that no certification backs.

    Keys are roles or ``role/…`` places as in :class:`StackChoice`. The
    validator uses this to check a plan's stacks without the solver.
    """
    problems: list[str] = []
    items = sorted(stack.items())
    for i, (key_a, product_a) in enumerate(items):
        for key_b, product_b in items[i + 1 :]:
            role_a, role_b = key_a.split("/")[0], key_b.split("/")[0]
            if not roles_linked(role_a, role_b):
                continue
            if link(catalog, product_a, product_b, running) is None:
                problems.append(
                    _("{role_a} {a} and {role_b} {b} are not certified together").format(
                        role_a=key_a, a=product_a, role_b=key_b, b=product_b
                    )
                )
    return problems
