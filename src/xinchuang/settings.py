"""A workspace's settings file, ``xinchuang.toml``, in the workspace directory."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from xinchuang.errors import DataError, Issue, WorkspaceError

SETTINGS_FILE = "xinchuang.toml"
DEFAULT_DB = "sqlite:///xinchuang.db"


class WorkspaceSettings(BaseModel):
    """What ``xinchuang init`` writes and every later command reads."""

    model_config = ConfigDict(extra="forbid")

    name: str
    db: str = Field(default=DEFAULT_DB, description="SQLAlchemy URL; sqlite paths are relative")
    catalog: list[str] = Field(default_factory=list, description="User catalog directories")
    policy: str = "default"
    created: str = ""
    xinchuang_version: str = ""


def _toml_value(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def write(directory: Path, settings: WorkspaceSettings) -> Path:
    """Write the settings file (a small, commented TOML)."""
    lines = [
        "# xinchuang workspace settings. Edit with care; see docs/workspace.md.",
        "[workspace]",
    ]
    for key, value in settings.model_dump().items():
        lines.append(f"{key} = {_toml_value(value)}")
    path = directory / SETTINGS_FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(directory: Path) -> WorkspaceSettings:
    """Read and validate the settings file of the workspace in ``directory``."""
    path = directory / SETTINGS_FILE
    if not path.is_file():
        raise WorkspaceError(
            f"{directory}: not a xinchuang workspace (no {SETTINGS_FILE})",
            tip=f"create one with 'xinchuang init {directory}', or pass -w DIR",
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(str(exc), [Issue(str(path), str(exc), "WS001")]) from exc
    try:
        return WorkspaceSettings.model_validate(data.get("workspace", {}))
    except ValidationError as exc:
        issues = [
            Issue(
                str(path),
                error["msg"],
                "WS002",
                field="workspace." + ".".join(str(p) for p in error["loc"]),
            )
            for error in exc.errors()
        ]
        raise DataError(f"{path}: invalid settings", issues) from exc


def resolve_db_url(directory: Path, url: str) -> str:
    """Make a relative SQLite path absolute against the workspace directory."""
    env = os.environ.get("XINCHUANG_DB")
    if env:
        url = env
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite://":
        return prefix + str((directory / url[len(prefix) :]).resolve())
    return url
