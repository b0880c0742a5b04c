"""Scan settings: command-line options merged with ``.xinchuang-scan.toml``.

The file sits at the root of a scanned tree (or is named with ``--config``)::

    targets = ["arm64", "dm"]          # what the organization moves to
    exclude = ["vendor/**", "*.min.js"]
    disable = ["GM106"]                # rules not to report
    [limits]
    max_file_mb = 20                   # larger files get a SCN101 note
    max_archive_mb = 512               # uncompressed bytes read from one archive
    max_ratio = 200                    # compression ratio above which a member is a bomb
    max_depth = 3                      # archives inside archives
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from xinchuang.errors import DataError, Issue, UsageError
from xinchuang.i18n import _
from xinchuang.scan.targets import TARGETS

CONFIG_FILE = ".xinchuang-scan.toml"


@dataclass(frozen=True)
class Limits:
    """What the scanner refuses to read whole."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_archive_bytes: int = 512 * 1024 * 1024
    max_ratio: float = 200.0
    max_depth: int = 3
    max_members: int = 50_000


@dataclass(frozen=True)
class ScanConfig:
    """Everything that decides what a scan reports."""

    targets: tuple[str, ...] = tuple(TARGETS)
    exclude: tuple[str, ...] = ()
    disable: frozenset[str] = frozenset()
    limits: Limits = field(default_factory=Limits)
    language: str = "en"


def check_targets(names: list[str]) -> tuple[str, ...]:
    """Validate target names; an unknown one is a usage error with a suggestion."""
    out: list[str] = []
    for name in names:
        key = name.strip().lower()
        if key not in TARGETS:
            from rapidfuzz import process

            guess = process.extractOne(key, list(TARGETS), score_cutoff=50)
            raise UsageError(
                _("unknown target {name!r}").format(name=name)
                + (_("; did you mean {guess!r}?").format(guess=guess[0]) if guess else ""),
                tip=_("targets: {targets}").format(targets=", ".join(TARGETS)),
            )
        if key not in out:
            out.append(key)
    return tuple(out)


def read_config_file(path: Path) -> dict[str, object]:
    """Read and check a ``.xinchuang-scan.toml``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise DataError(str(error), [Issue(str(path), str(error), "XC220")]) from error
    allowed = {"targets", "exclude", "disable", "limits"}
    issues = [
        Issue(str(path), _("unknown setting"), "XC220", field=key)
        for key in data
        if key not in allowed
    ]
    for key in ("targets", "exclude", "disable"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            issues.append(Issue(str(path), _("must be a list of strings"), "XC220", field=key))
    limits = data.get("limits", {})
    if not isinstance(limits, dict):
        issues.append(Issue(str(path), _("must be a table"), "XC220", field="limits"))
    else:
        for key, value in limits.items():
            if key not in {"max_file_mb", "max_archive_mb", "max_ratio", "max_depth"}:
                issues.append(
                    Issue(str(path), _("unknown setting"), "XC220", field=f"limits.{key}")
                )
            elif not isinstance(value, int | float) or value <= 0:
                issues.append(
                    Issue(
                        str(path),
                        _("must be a positive number"),
                        "XC220",
                        field=f"limits.{key}",
                        value=str(value),
                    )
                )
    if issues:
        raise DataError(_("{path}: invalid scan settings").format(path=path), issues)
    return data


def merge(config: ScanConfig, data: dict[str, object], *, targets_given: bool) -> ScanConfig:
    """Apply a settings file to ``config``; targets from the command line win."""
    changes: dict[str, object] = {}
    targets = data.get("targets")
    if isinstance(targets, list) and targets and not targets_given:
        changes["targets"] = check_targets([str(t) for t in targets])
    exclude = data.get("exclude")
    if isinstance(exclude, list):
        changes["exclude"] = (*config.exclude, *(str(e) for e in exclude))
    disable = data.get("disable")
    if isinstance(disable, list):
        changes["disable"] = config.disable | {str(d).upper() for d in disable}
    limits = data.get("limits")
    if isinstance(limits, dict):
        mb = 1024 * 1024
        current = config.limits
        changes["limits"] = Limits(
            max_file_bytes=int(float(limits.get("max_file_mb", current.max_file_bytes / mb)) * mb),
            max_archive_bytes=int(
                float(limits.get("max_archive_mb", current.max_archive_bytes / mb)) * mb
            ),
            max_ratio=float(limits.get("max_ratio", current.max_ratio)),
            max_depth=int(limits.get("max_depth", current.max_depth)),
            max_members=current.max_members,
        )
    return replace(config, **changes)  # type: ignore[arg-type]
