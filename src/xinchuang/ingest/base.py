"""The reader contract, and what a reader is given.

A reader declares a stable ``key``, a description, the file patterns it
usually reads and a ``sniff`` that scores a file's first bytes (0 to 1), so
``import`` can detect the format from content. ``read`` yields
:class:`~xinchuang.models.asset.AssetRecord` and
:class:`~xinchuang.models.asset.SystemRecord` objects, each with provenance.

A bad row goes to ``options.reject(issue)``: by default that raises at once
(the import is refused and the workspace is untouched); with
``--skip-bad-rows`` the row is recorded as skipped and reading goes on. A file
that cannot be read at all raises :class:`~xinchuang.errors.DataError`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from xinchuang.errors import DataError, Issue
from xinchuang.models.asset import AssetRecord, SystemRecord
from xinchuang.plugins import Registry

Record = AssetRecord | SystemRecord


@dataclass
class ReadOptions:
    """What the user asked for: column mapping, and what to do with bad rows."""

    column_map: dict[str, str] = field(default_factory=dict)  # source header -> field
    skip_bad_rows: bool = False
    skipped: list[Issue] = field(default_factory=list)
    encoding: str | None = None  # set by the reader: the encoding it decoded with

    def reject(self, issue: Issue) -> None:
        """A bad row: refuse the import, or (with --skip-bad-rows) note it and go on."""
        if not self.skip_bad_rows:
            raise DataError(str(issue), [issue], tip="fix the row, or pass --skip-bad-rows")
        self.skipped.append(issue)


class Reader(ABC):
    """Base of every reader plugin."""

    key: ClassVar[str]
    description: ClassVar[str]
    patterns: ClassVar[tuple[str, ...]] = ()

    @classmethod
    @abstractmethod
    def sniff(cls, path: Path, head: bytes) -> float:
        """How sure (0..1) this reader is that it reads ``path``, from its first 64 KiB."""

    @abstractmethod
    def read(self, path: Path, options: ReadOptions) -> Iterator[Record]:
        """Yield every record in the file."""


readers: Registry[Reader] = Registry(
    "xinchuang.readers",
    Reader,  # type: ignore[type-abstract]
    "format",
)


def detect(path: Path, head: bytes) -> type[Reader] | None:
    """The reader most sure of this file (ties broken by key), or None."""
    best: tuple[float, str, type[Reader]] | None = None
    for plugin in readers.all():
        score = plugin.obj.sniff(path, head)
        if score > 0 and (best is None or (score, plugin.key) > (best[0], best[1])):
            best = (score, plugin.key, plugin.obj)
    return best[2] if best else None
