"""How commands print: results to stdout (table or JSON), diagnostics to stderr."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text


class Format(StrEnum):
    """Output formats shared by every listing and report command."""

    TABLE = "table"
    JSON = "json"


@dataclass
class State:
    """Options that apply to every command."""

    quiet: bool = False


state = State()


def _width() -> int | None:
    if sys.stdout.isatty():
        return None
    return int(os.environ.get("COLUMNS", "200"))


def stdout() -> Console:
    """A console on stdout; wide and plain when stdout is not a terminal."""
    return Console(file=sys.stdout, width=_width(), soft_wrap=False, highlight=False)


def stderr() -> Console:
    """A console on stderr for progress and diagnostics."""
    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


def info(message: str) -> None:
    """A diagnostic line on stderr (silent with --quiet)."""
    if not state.quiet:
        stderr().print(printable(message), markup=False)


def warn(message: str) -> None:
    """A warning on stderr (shown even with --quiet)."""
    stderr().print(printable(message), markup=False, style="yellow")


def to_json(data: Any) -> str:
    """Stable JSON: UTF-8 characters as they are, two-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str, sort_keys=False)


def emit_json(data: Any, output: Path | None = None) -> None:
    """Print (or write) one JSON document."""
    text = to_json(data) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        info(f"wrote {output}")
    else:
        sys.stdout.write(text)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``), never sent raw.

    A name from a register or an SBOM can carry ANSI escape sequences that would move the
    cursor, recolour or rewrite the terminal; tab and newline stay.
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def cell(value: Any) -> str:
    """A value as a table cell (printable: see :func:`printable`)."""
    return printable(_cell_text(value))


def _cell_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list | tuple):
        return ", ".join(_cell_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_cell_text(v)}" for k, v in value.items())
    return str(value)


def emit_table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    *,
    title: str | None = None,
) -> None:
    """Print rows as a table; ``columns`` are (key, translated header) pairs."""
    table = Table(title=title, show_lines=False, header_style="bold")
    for _, header in columns:
        table.add_column(header, overflow="fold")
    for row in rows:
        # Text(), not str: a value like "[bold red]x[/bold red]" is data, not Rich markup.
        table.add_row(*(Text(cell(row.get(key))) for key, _ in columns))
    stdout().print(table)


@contextmanager
def progress(description: str, total: int | None) -> Iterator[Any]:
    """A progress bar on stderr; silent with --quiet or when stderr is not a terminal."""
    enabled = not state.quiet and sys.stderr.isatty()
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=stderr(),
        disable=not enabled,
        transient=True,
    )
    with bar:
        task = bar.add_task(description, total=total)

        def advance(step: int = 1) -> None:
            bar.advance(task, step)

        yield advance
