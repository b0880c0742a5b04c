"""A greedy earliest-deadline-first list scheduler: the benchmark's baseline and CP-SAT's hint.

Systems that must cut over together (a group, or a cycle of dependencies) are
placed as one cluster. Clusters are taken in dependency order; among those
ready, the one with the earliest deadline (pilots before all) goes first, at
the earliest cut-over period where every member fits every constraint. It
respects the same integer capacities as the solver, so a complete greedy
schedule is a valid hint.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from xinchuang.plan.constraints.capacity import scaled_capacity
from xinchuang.plan.constraints.guardrails import RISK_SCALE
from xinchuang.plan.instance import Instance, SystemTask
from xinchuang.plan.solution import Assignment

NO_DEADLINE = 10**9


@dataclass
class Greedy:
    """A greedy schedule: every system, those that found no room placed beyond the horizon."""

    assignments: list[Assignment] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every system placed inside the horizon."""
        return not self.unplaced


def clusters(instance: Instance) -> tuple[list[list[str]], dict[str, int]]:
    """Groups and dependency cycles merged into clusters that cut over together."""
    names = [s.name for s in instance.scheduled]
    parent = {name: name for name in names}

    def find(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for group in instance.groups:
        members = [m for m in group.systems if m in parent]
        for other in members[1:]:
            union(members[0], other)
    edges = [(d.depends_on, d.system) for d in instance.dependencies]
    edges = [(a, b) for a, b in edges if a in parent and b in parent]
    # cycles among the merged groups (a group's members on both sides of a dependency)
    roots = sorted({find(name) for name in names})
    merged = [(find(a), find(b)) for a, b in edges if find(a) != find(b)]
    for component in _cycles(roots, merged):
        for other in component[1:]:
            union(component[0], other)
    index: dict[str, int] = {}
    out: list[list[str]] = []
    for name in names:
        root = find(name)
        if root not in index:
            index[root] = len(out)
            out.append([])
        out[index[root]].append(name)
    return out, {name: index[find(name)] for name in names}


def _cycles(names: list[str], edges: list[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (iterative Tarjan)."""
    graph: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        graph[a].append(b)
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in names:
        if root in order:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                order[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = graph[node]
            if child < len(successors):
                work.append((node, child + 1))
                nxt = successors[child]
                if nxt not in order:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], order[nxt])
                continue
            if low[node] == order[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
            if work:
                parent_node = work[-1][0]
                low[parent_node] = min(low[parent_node], low[node])
    return found


def schedule(
    instance: Instance, *, deadlines_first: bool = True, rank: Mapping[str, float] | None = None
) -> Greedy:
    """Place every system at its earliest feasible period, earliest deadline first.

    Ties (and, with ``deadlines_first=False``, everything) go by value density:
    the localization value a system brings per person-day of work, highest first,
    which is the order that raises the rate fastest under a capacity limit.
    With ``rank`` (system → a number, lowest first; for instance its cut-over in
    the linear relaxation), clusters go by their lowest rank after the deadlines.
    """
    groups, cluster_of = clusters(instance)
    tasks = {s.name: s for s in instance.scheduled}
    successors: dict[int, set[int]] = defaultdict(set)
    indegree = [0] * len(groups)
    for dep in instance.dependencies:
        if dep.system not in tasks or dep.depends_on not in tasks:
            continue
        a, b = cluster_of[dep.depends_on], cluster_of[dep.system]
        if a != b and b not in successors[a]:
            successors[a].add(b)
            indegree[b] += 1
    upstream: dict[int, list[int]] = defaultdict(list)
    for a, after in successors.items():
        for b in after:
            upstream[b].append(a)
    due = latest_cutovers(instance, groups, tasks, successors)

    def priority(cluster: int) -> tuple[int, float, float, int]:
        members = [tasks[name] for name in groups[cluster]]
        work = sum(t.effort_days + t.parallel_days * t.parallel_periods for t in members)
        density = sum(t.value for t in members) / (work + 1.0)
        first: float = due[cluster] if deadlines_first else 0
        if rank is not None:
            first = min(rank[t.name] for t in members)
        return (0 if any(t.pilot for t in members) else 1, first, -density, cluster)

    # with a rank, clusters with a deadline (their own or inherited) and pilots are
    # placed first, near their rank; the others then fill the room left, earliest first
    urgent = set(range(len(groups)))
    if rank is not None:
        urgent = {
            c
            for c in range(len(groups))
            if due[c] < NO_DEADLINE or any(tasks[n].pilot for n in groups[c])
        }
        stack = list(urgent)
        while stack:  # what an urgent cluster depends on is urgent too
            for u in upstream[stack.pop()]:
                if u not in urgent:
                    urgent.add(u)
                    stack.append(u)
    state = _State(instance)
    cutover_of: dict[int, int] = {}
    result = Greedy()
    has_pilots = any(t.pilot for t in tasks.values())
    pilots_left = sum(1 for t in tasks.values() if t.pilot)
    pilots_done = 0
    blocked: set[int] = set()
    horizon = instance.horizon
    later: list[tuple[int, float, float, int]] = []
    ready = [priority(c) for c in range(len(groups)) if indegree[c] == 0 and c in urgent]
    later = [priority(c) for c in range(len(groups)) if indegree[c] == 0 and c not in urgent]
    heapq.heapify(ready)
    for phase in (0, 1):
        if phase == 1:
            ready = later
            heapq.heapify(ready)
        while ready:
            _p, _d, _w, cluster = heapq.heappop(ready)
            members = [tasks[name] for name in groups[cluster]]
            earliest = max((cutover_of[u] for u in upstream[cluster] if u in cutover_of), default=0)
            failed_upstream = any(u in blocked for u in upstream[cluster])
            lowest_start = 0
            if has_pilots and not all(t.pilot for t in members):
                lowest_start = pilots_done if pilots_left == 0 else horizon
            periods: list[int] | range = range(earliest, horizon)
            if rank is not None and phase == 0:
                periods = _near(earliest, _d, due[cluster], horizon)
            placed = None if failed_upstream else state.place(members, periods, lowest_start)
            if placed is None:
                blocked.add(cluster)
                for task in members:
                    result.unplaced.append(task.name)
                    result.assignments.append(
                        Assignment(
                            system=task.name,
                            start=horizon,
                            cutover=horizon,
                            finish=horizon + task.span - 1,
                            beyond=True,
                        )
                    )
            else:
                cutover_of[cluster] = placed
                for task in members:
                    start = placed - task.duration + 1
                    result.assignments.append(
                        Assignment(
                            system=task.name,
                            start=start,
                            cutover=placed,
                            finish=start + task.span - 1,
                        )
                    )
                    if task.pilot:
                        pilots_left -= 1
                        pilots_done = max(pilots_done, placed + 1)
            for nxt in successors[cluster]:
                indegree[nxt] -= 1
                if indegree[nxt] == 0:
                    if nxt in urgent or phase == 1:
                        heapq.heappush(ready, priority(nxt))
                    else:
                        later.append(priority(nxt))
    return result


def _near(earliest: int, rank: float, due: int, horizon: int) -> list[int]:
    """Cut-over periods to try: on time from the rank on, then on time before it, then late."""
    target = max(earliest, min(horizon - 1, round(rank)))
    on_time = range(earliest, min(due, horizon - 1) + 1)
    return [
        *(p for p in on_time if p >= target),
        *(p for p in reversed(on_time) if p < target),
        *range(max(earliest, due + 1), horizon),
    ]


def latest_cutovers(
    instance: Instance,
    groups: list[list[str]],
    tasks: dict[str, SystemTask],
    successors: dict[int, set[int]],
) -> list[int]:
    """Per cluster, the last cut-over period that meets its own deadlines and its dependents'.

    A shared platform without a deadline inherits the deadlines of the systems
    that depend on it: they cannot cut over before it does.
    """
    due = [NO_DEADLINE] * len(groups)
    for cluster, names in enumerate(groups):
        for name in names:
            task = tasks[name]
            period = instance.deadline_period(task)
            if period is not None:
                due[cluster] = min(due[cluster], period - task.parallel_periods)
    # clusters form a DAG (cycles are merged): relax in reverse topological order
    indegree = [0] * len(groups)
    for after in successors.values():
        for b in after:
            indegree[b] += 1
    order = [c for c in range(len(groups)) if indegree[c] == 0]
    for cluster in order:  # grows while iterating: Kahn's algorithm
        for b in successors.get(cluster, ()):
            indegree[b] -= 1
            if indegree[b] == 0:
                order.append(b)
    for cluster in reversed(order):
        for b in successors.get(cluster, ()):
            due[cluster] = min(due[cluster], due[b])
    return due


class _State:
    """Capacity, waves and budget used so far, in the solver's integer units."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.free = {
            team.id: [scaled_capacity(c) for c in team.capacity] for team in instance.teams
        }
        self.wave_count = [0] * instance.horizon
        self.wave_risk = [0] * instance.horizon
        self.spent: dict[int, int] = defaultdict(int)

    def place(
        self, members: list[SystemTask], periods: Iterable[int], lowest_start: int
    ) -> int | None:
        """The first cut-over period of ``periods`` where all members fit; commit it."""
        for cutover in periods:
            if self._fits(members, cutover, lowest_start):
                self._commit(members, cutover)
                return cutover
        return None

    def _fits(self, members: list[SystemTask], cutover: int, lowest_start: int) -> bool:
        instance = self.instance
        need: dict[tuple[str, int], int] = defaultdict(int)
        cost: dict[int, int] = defaultdict(int)
        risk = 0
        for task in members:
            start = cutover - task.duration + 1
            if start < lowest_start or start + task.span > instance.horizon:
                return False
            if instance.frozen(task, cutover):
                return False
            for offset in range(task.span):
                need[(task.team, start + offset)] += task.scaled_load(offset)
            if task.cost > 0:
                cost[instance.periods[start].year] += int(-(-task.cost // 1))
            risk += round(task.risk * RISK_SCALE)
        if any(self.free[team][period] < amount for (team, period), amount in need.items()):
            return False
        rails = instance.guardrails
        if rails.max_systems is not None and self.wave_count[cutover] + len(members) > (
            rails.max_systems
        ):
            return False
        if rails.max_risk is not None and self.wave_risk[cutover] + risk > int(
            rails.max_risk * RISK_SCALE + 1e-9
        ):
            return False
        for year, amount in cost.items():
            limit = instance.budget.get(year)
            if limit is not None and self.spent[year] + amount > int(limit):
                return False
        return True

    def _commit(self, members: list[SystemTask], cutover: int) -> None:
        instance = self.instance
        for task in members:
            start = cutover - task.duration + 1
            for offset in range(task.span):
                self.free[task.team][start + offset] -= task.scaled_load(offset)
            if task.cost > 0:
                self.spent[instance.periods[start].year] += int(-(-task.cost // 1))
            self.wave_count[cutover] += 1
            self.wave_risk[cutover] += round(task.risk * RISK_SCALE)
