"""How big a composed YAML document becomes once its aliases are expanded.

YAML anchors and aliases let an 863-byte file stand for billions of values
("billion laughs": each level refers to the one below ten times). PyYAML
composes such a file into a small graph of shared nodes, but building Python
values from it, or printing them, expands every reference: minutes of CPU and
gigabytes of memory for nothing. Every YAML reader measures the graph first,
without recursion (nesting can be deep too), and refuses a document that
expands past a budget, nests too deeply, or refers to itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from xinchuang.i18n import _

MAX_EXPANDED_VALUES = 1_000_000
"""Values (scalars, lists, mappings) a document may expand to: a systems file of 10,000
systems with 50 fields each, or the largest catalog file, is far below it."""
MAX_DEPTH = 64
"""Levels of nesting: no systems file, plan.yaml or catalog file needs more than a few."""


@dataclass(frozen=True)
class Overgrown:
    """Why a document was refused, and where its offending node starts."""

    problem: str
    line: int
    column: int


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def measure(root: yaml.Node | None) -> Overgrown | None:
    """None when ``root`` expands within the budget; otherwise what is wrong with it."""
    if root is None:
        return None
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            children = _children(node)
            size[key] = 1 + sum(size[id(child)] for child in children)
            depth[key] = 1 + max((depth[id(child)] for child in children), default=0)
            on_path.discard(key)
            problem = None
            if size[key] > MAX_EXPANDED_VALUES:
                problem = _(
                    "expands to more than {limit:,} values through aliases (an alias bomb?)"
                ).format(limit=MAX_EXPANDED_VALUES)
            elif depth[key] > MAX_DEPTH:
                problem = _("nests more than {limit} levels deep").format(limit=MAX_DEPTH)
            if problem:
                mark = node.start_mark
                return Overgrown(problem, mark.line + 1, mark.column + 1)
            continue
        if key in size:
            continue
        if key in on_path:
            mark = node.start_mark
            return Overgrown(_("an alias refers to the value that contains it"), mark.line + 1, 1)
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) not in size:
                if id(child) in on_path:
                    mark = child.start_mark
                    return Overgrown(
                        _("an alias refers to the value that contains it"), mark.line + 1, 1
                    )
                stack.append((child, False))
    return None
