"""YAML that remembers where each value came from, so errors can name the line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from xinchuang.i18n import _
from xinchuang.yaml_budget import measure

Path_ = tuple[str | int, ...]


@dataclass
class LocatedDocument:
    """A parsed YAML document and the line (1-based) of every value in it."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        probe = tuple(path)
        while True:
            if probe in self.lines:
                return self.lines[probe]
            if not probe:
                return None
            probe = probe[:-1]


class YamlSyntaxError(Exception):
    """Raised for a YAML document that does not parse, with its position."""

    def __init__(self, file: str, line: int | None, column: int | None, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.message = message


def _construct(node: yaml.Node, path: Path_, lines: dict[Path_, int], file: str) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(key_node, (*path, "<key>"), {}, file)
            if key in out:
                raise YamlSyntaxError(
                    file,
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    f"duplicate key {key!r}",
                )
            out[key] = _construct(value_node, (*path, str(key)), lines, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(item, (*path, index), lines, file) for index, item in enumerate(node.value)
        ]
    # Scalars: let the safe constructor resolve ints, dates, booleans, nulls.
    return _SCALARS.construct_object(node, deep=True)


# One constructor for every scalar: building a loader per value is the slow part.
_SCALARS = yaml.SafeLoader("")
# The C composer (libyaml) when available: same nodes, same marks, several times faster.
_COMPOSER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(path: Path, display: str | None = None) -> LocatedDocument:
    """Parse one YAML file, recording the line of every value."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(name, None, None, f"not UTF-8 text ({exc.reason})") from exc
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except RecursionError as exc:
        raise YamlSyntaxError(name, None, None, _("nests too deeply")) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise YamlSyntaxError(name, line, column, str(exc.problem or exc)) from exc
    # Without an anchor there is no alias to expand, and the catalog's 500 files load at
    # every start: measure only documents that can refer to themselves.
    overgrown = measure(node) if "&" in text else None
    if overgrown is not None:
        raise YamlSyntaxError(name, overgrown.line, overgrown.column, overgrown.problem)
    lines: dict[Path_, int] = {}
    try:
        data = None if node is None else _construct(node, (), lines, name)
    except RecursionError as exc:
        raise YamlSyntaxError(name, None, None, _("nests too deeply")) from exc
    return LocatedDocument(file=name, data=data, lines=lines)
