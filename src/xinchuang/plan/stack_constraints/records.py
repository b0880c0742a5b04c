"""The stack chooser's input and output records (re-exported by ``xinchuang.plan.stacks``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Disposition = Literal["migrate", "replace", "retire", "keep"]
Readiness = Literal["ready", "ready-with-conditions", "not-ready", "unknown"]
LinkStatus = Literal["certified", "unconfirmed", "in-use"]

DISPOSITIONS: tuple[Disposition, ...] = ("migrate", "replace", "retire", "keep")


@dataclass(frozen=True)
class SystemInput:
    """What the stack chooser knows about one business system.

    ``products`` maps a catalog layer id to the catalog product ids found on the
    system's hosts and software (unidentified assets are left out and counted
    in ``unidentified``). ``findings_minutes_by_target`` maps a scanner target
    (``arm64``, ``dm``, ``kylin``, ``wps`` …) to the minutes of the findings
    that block or warn for that target; ``scanned`` says whether the system's
    code was scanned at all (no scan: every estimate is a guess).
    """

    name: str
    products: Mapping[str, Sequence[str]] = field(default_factory=dict)
    findings_minutes_by_target: Mapping[str, float] = field(default_factory=dict)
    scanned: bool = False
    disposition: Disposition = "migrate"
    unidentified: int = 0
    tier: str = "N"
    must_replace: frozenset[str] = frozenset()
    policy: str = ""
    organization_runs: frozenset[str] = frozenset()
    keep_vendor: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LayerBlock:
    """One place of a system's stack that stays foreign because nothing certified fits it.

    ``missing`` says in one line what is missing; ``pairs`` are the certification
    pairs (candidate, product already chosen next to it) any one of which would
    unblock the place; ``unblock`` says that in words.
    """

    place: str
    role: str
    current: tuple[str, ...]
    code: str
    missing: str
    pairs: tuple[tuple[str, str], ...] = ()
    unblock: str = ""


@dataclass(frozen=True)
class KeptLayer:
    """Products of a system that stay as they are, and the true reason why."""

    products: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class StackLink:
    """One pair of chosen products that must work together, and why they are taken to."""

    role_a: str
    product_a: str
    role_b: str
    product_b: str
    status: LinkStatus
    kinds: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class StackChoice:
    """The target stack chosen for one system, with its cost, readiness and reasons.

    ``stack`` maps a role (``cpu``, ``server``, ``terminal``, ``os``,
    ``virtualization``, ``database``, ``middleware``, ``messaging``,
    ``runtime``, ``office-suite``, ``browser``; and under ``replace`` the
    application roles ``erp-finance``, ``email``, ``industrial-software``) to a
    catalog product id. ``replaces`` maps the same roles to the products the
    choice takes over from. Retired and kept systems have an empty stack.
    """

    system: str
    disposition: Disposition
    stack: dict[str, str]
    replaces: dict[str, tuple[str, ...]]
    effort_days: float
    risk: int
    readiness: Readiness
    confidence: float
    reasons: tuple[str, ...]
    conditions: tuple[str, ...] = ()
    links: tuple[StackLink, ...] = ()
    blocked: tuple[LayerBlock, ...] = ()
    kept: tuple[KeptLayer, ...] = ()
    compliant: bool = False
    penalty_centidays: int = 0  # the objective's charge for the blocked places
    place_days: dict[str, float] = field(default_factory=dict)  # effort per replaced place

    @property
    def key(self) -> tuple[tuple[str, str], ...]:
        """The stack as a sorted tuple of (role, product): equal keys are one stack."""
        return tuple(sorted(self.stack.items()))


@dataclass(frozen=True)
class StackBlocker:
    """A system for which no stack satisfies the certifications, pins and exclusions.

    ``missing`` is the missing link in one line, e.g. "no certified database for
    os kylin-server-v10 on cpu kunpeng-920 among candidates of oracle-database";
    ``code`` is the PLN error code of the kind of gap.
    """

    system: str
    disposition: Disposition
    code: str
    missing: str
    reasons: tuple[str, ...] = ()
    confidence: float = 0.0
    blocked: tuple[LayerBlock, ...] = ()

    @property
    def readiness(self) -> Readiness:
        """A blocked system is not ready."""
        return "not-ready"


@dataclass(frozen=True)
class StackResult:
    """Every system's stack or blocker, and the solve that chose them.

    Every system that is not blocked always has a valid, certified stack.
    ``status`` says how good the whole choice is: OPTIMAL, FEASIBLE, or
    UNKNOWN when CP-SAT found no solution in time for some group of systems,
    which then took their own cheapest stacks. ``objective`` is in hundredths
    of a person-day (docs/stacks.md); ``bound`` is CP-SAT's best bound on it.
    """

    choices: dict[str, StackChoice]
    blockers: dict[str, StackBlocker]
    status: str
    objective: int
    bound: int
    distinct_stacks: int
    catalog_revision: str
    solve_seconds: float = 0.0
    weights: dict[str, int] = field(default_factory=dict)

    def get(self, system: str) -> StackChoice | StackBlocker:
        """The choice or blocker of one system (KeyError when the system was not given)."""
        if system in self.choices:
            return self.choices[system]
        return self.blockers[system]

    @property
    def stacks(self) -> dict[tuple[tuple[str, str], ...], list[str]]:
        """The distinct non-empty stacks in use, each with the systems that use it."""
        used: dict[tuple[tuple[str, str], ...], list[str]] = {}
        for name, choice in sorted(self.choices.items()):
            if choice.stack:
                used.setdefault(choice.key, []).append(name)
        return used
