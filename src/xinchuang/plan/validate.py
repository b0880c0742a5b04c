"""Check a schedule against every constraint, without the solver.

The CLI runs :func:`validate` on every plan before it prints or saves it, and
the tests judge the solver's output with it. It is the specification of the
model: each constraint family's ``check`` says in plain Python what its
``add`` says to CP-SAT.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from xinchuang.catalog.model import Catalog
from xinchuang.i18n import _
from xinchuang.plan.constraints import (
    Violation,
    budget,
    capacity,
    dependencies,
    freezes,
    groups,
    guardrails,
    pilots,
)
from xinchuang.plan.instance import Instance
from xinchuang.plan.objectives import levels
from xinchuang.plan.solution import Assignment, Levels, Solution
from xinchuang.plan.stack_constraints.links import link
from xinchuang.plan.stack_constraints.roles import LINKS

Check = Callable[[Instance, Mapping[str, Assignment]], list[Violation]]

FAMILIES: dict[str, Check] = {
    capacity.NAME: capacity.check,
    dependencies.NAME: dependencies.check,
    groups.NAME: groups.check,
    pilots.NAME: pilots.check,
    freezes.NAME: freezes.check,
    budget.NAME: budget.check,
    guardrails.NAME: guardrails.check,
}


@dataclass(frozen=True)
class Report:
    """What the validator found: every violation, and the objective levels it computed."""

    violations: list[Violation]
    levels: Levels

    @property
    def ok(self) -> bool:
        """True when no constraint is violated."""
        return not self.violations


def shape(instance: Instance, assignments: Mapping[str, Assignment]) -> list[Violation]:
    """Each scheduled system placed once, inside the horizon, with consistent periods."""
    out: list[Violation] = []
    scheduled = {s.name: s for s in instance.scheduled}
    for name in scheduled:
        if name not in assignments:
            out.append(Violation("horizon", _("{system} is not scheduled").format(system=name)))
    for name, placed in assignments.items():
        task = scheduled.get(name)
        if task is None:
            out.append(
                Violation(
                    "horizon",
                    _("{system} is scheduled but is exempt or unknown").format(system=name),
                )
            )
            continue
        if placed.beyond:
            expected = (instance.horizon, instance.horizon, instance.horizon + task.span - 1)
        else:
            expected = (
                placed.start,
                placed.start + task.duration - 1,
                placed.start + task.span - 1,
            )
        if (placed.start, placed.cutover, placed.finish) != expected:
            out.append(
                Violation(
                    "horizon",
                    _("{system}: its periods do not match its duration").format(system=name),
                )
            )
        if not placed.beyond and placed.finish >= instance.horizon:
            out.append(
                Violation(
                    "horizon",
                    _("{system} finishes after the last period {period}").format(
                        system=name, period=instance.periods[-1].label
                    ),
                )
            )
    return out


def stacks(instance: Instance, catalog: Catalog | None) -> list[Violation]:
    """Every stack that uses a forbidden product or vendor or an uncertified pair."""
    out: list[Violation] = []
    forbidden = set(instance.forbidden_products)
    vendors = set(instance.forbidden_vendors)
    for task in instance.scheduled:
        products = sorted(set(task.target_stack.values()))
        for product_id in products:
            if product_id in forbidden:
                out.append(
                    Violation(
                        "stacks",
                        _("{system}: forbidden product {product}").format(
                            system=task.name, product=product_id
                        ),
                    )
                )
            if catalog is None:
                continue
            product = catalog.products.get(product_id)
            if product is None:
                out.append(
                    Violation(
                        "stacks",
                        _("{system}: {product} is not in the catalog").format(
                            system=task.name, product=product_id
                        ),
                    )
                )
                continue
            if product.vendor in vendors:
                out.append(
                    Violation(
                        "stacks",
                        _("{system}: {product} is made by the removed vendor {vendor}").format(
                            system=task.name, product=product_id, vendor=product.vendor
                        ),
                    )
                )
        if catalog is not None:
            out.extend(_certifications(task.name, task.target_stack, set(task.in_use), catalog))
    return out


def _certifications(
    system: str, stack: Mapping[str, str], in_use: set[str], catalog: Catalog
) -> list[Violation]:
    """Each pair of roles that must work together is certified, or already runs together."""
    out = []
    for role_a, role_b in LINKS:
        a, b = stack.get(role_a), stack.get(role_b)
        if a is None or b is None or a == b:
            continue
        if link(catalog, a, b, in_use) is not None:
            continue  # certified (a row, or a platform line with its CPU), or run together
        out.append(
            Violation(
                "certifications",
                _("{system}: {role_a} {a} and {role_b} {b} are not certified together").format(
                    system=system, role_a=role_a, a=a, role_b=role_b, b=b
                ),
            )
        )
    return out


def assignments_of(solution: Solution | Sequence[Assignment]) -> dict[str, Assignment]:
    """Assignments keyed by system."""
    items = solution.assignments if isinstance(solution, Solution) else solution
    return {a.system: a for a in items}


def validate(
    instance: Instance,
    solution: Solution | Sequence[Assignment],
    catalog: Catalog | None = None,
) -> Report:
    """Every violation of the schedule, and its objective levels, computed without CP-SAT."""
    placed = assignments_of(solution)
    violations = shape(instance, placed)
    for check in FAMILIES.values():
        violations.extend(check(instance, placed))
    violations.extend(stacks(instance, catalog))
    return Report(violations=violations, levels=levels(instance, placed))
