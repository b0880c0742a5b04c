"""Walk the scanned trees: lazily, without following symlinks, honouring excludes.

A symbolic link is never followed. One that points inside the tree is
skipped (its target is scanned where it lives); one that points outside is
reported as a note, so that a link to ``/`` cannot make the scanner read a
whole machine.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Folders of tools, caches and version control: never an organization's code.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".venv",
        "node_modules",
        ".idea",
        ".gradle",
        ".m2",
    }
)


@dataclass(frozen=True)
class Entry:
    """A file to scan: where it is, its path relative to its root, and its size."""

    path: str
    rel: str
    root: str
    size: int


@dataclass(frozen=True)
class Escape:
    """A symbolic link that leads out of the tree."""

    rel: str
    root: str
    target: str


def _excluded(rel: str, patterns: tuple[str, ...]) -> bool:
    if not patterns:
        return False
    name = rel.rsplit("/", 1)[-1]
    for pattern in patterns:
        if fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(name, pattern):
            return True
        if pattern.endswith("/**") and (rel + "/").startswith(pattern[:-2]):
            return True
    return False


def walk(root: Path, display: str, exclude: tuple[str, ...] = ()) -> Iterator[Entry | Escape]:
    """Every file under ``root`` (or ``root`` itself when it is a file), lazily."""
    if root.is_file():
        yield Entry(str(root), root.name, display, root.stat().st_size)
        return
    real_root = root.resolve()
    stack = [(root, "")]
    while stack:
        directory, prefix = stack.pop()
        try:
            with os.scandir(directory) as iterator:
                entries = sorted(iterator, key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            rel = f"{prefix}{entry.name}"
            if _excluded(rel, exclude):
                continue
            if entry.is_symlink():
                try:
                    target = Path(os.path.realpath(entry.path))
                except OSError:
                    continue
                if not target.is_relative_to(real_root):
                    yield Escape(rel, display, str(target))
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in SKIPPED_DIRS:
                        subdirs.append((Path(entry.path), rel + "/"))
                elif entry.is_file(follow_symlinks=False):
                    yield Entry(entry.path, rel, display, entry.stat(follow_symlinks=False).st_size)
            except OSError:
                continue
        stack.extend(reversed(subdirs))
