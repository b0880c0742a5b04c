"""Create and open workspaces."""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine, select

from xinchuang import settings as settings_file
from xinchuang.catalog.loader import load_catalog
from xinchuang.catalog.model import Catalog
from xinchuang.errors import UsageError, WorkspaceError
from xinchuang.store import database
from xinchuang.store.tables import workspace_meta

VERSION = "0.1.0"


@dataclass
class Workspace:
    """An open workspace: its directory, settings, database and catalog."""

    directory: Path
    settings: settings_file.WorkspaceSettings
    engine: Engine
    extra_catalogs: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The database URL in use (with any password hidden)."""
        return self.engine.url.render_as_string(hide_password=True)

    @cached_property
    def catalog(self) -> Catalog:
        """The shipped catalog, the workspace's catalogs, then those given on the command line."""
        overlays = [str((self.directory / c).resolve()) for c in self.settings.catalog]
        return load_catalog([*overlays, *self.extra_catalogs])

    def meta(self) -> dict[str, str]:
        """The workspace_meta table as a dict."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(workspace_meta.c.key, workspace_meta.c.value))
            return {row.key: row.value for row in rows}

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def user(self) -> str:
        """Who runs the command (recorded with each import)."""
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "unknown"


def init_workspace(directory: Path, *, db: str | None = None, name: str | None = None) -> Workspace:
    """Create a workspace in ``directory`` (created if missing); refuse to overwrite one."""
    directory = directory.expanduser()
    if (directory / settings_file.SETTINGS_FILE).exists():
        raise UsageError(
            f"{directory}: a workspace already exists here",
            tip="use it with -w, or choose another directory",
        )
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory}: exists and is not a directory")
    created_dir = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    settings = settings_file.WorkspaceSettings(
        name=name or directory.resolve().name,
        db=db or settings_file.DEFAULT_DB,
        created=now,
        xinchuang_version=VERSION,
    )
    url = settings_file.resolve_db_url(directory, settings.db)
    engine: Engine | None = None
    try:
        engine = database.make_engine(url)
        database.upgrade(engine)
        with database.transaction(engine) as connection:
            existing = {row.key for row in connection.execute(select(workspace_meta.c.key))}
            for key, value in (("name", settings.name), ("created", now)):
                if key not in existing:
                    connection.execute(workspace_meta.insert().values(key=key, value=value))
    except Exception:
        if engine is not None:
            engine.dispose()
        if created_dir:
            for child in directory.iterdir():
                child.unlink()
            directory.rmdir()
        raise
    settings_file.write(directory, settings)
    return Workspace(directory=directory, settings=settings, engine=engine)


def open_workspace(directory: Path, *, catalogs: list[str] | None = None) -> Workspace:
    """Open the workspace in ``directory``, upgrading its schema in place if it is older."""
    settings = settings_file.read(directory)
    url = settings_file.resolve_db_url(directory, settings.db)
    sqlite_path = url.removeprefix("sqlite:///")
    if url.startswith("sqlite:///") and not Path(sqlite_path).is_file():
        raise WorkspaceError(
            f"{directory}: the workspace database {sqlite_path} is missing",
            tip="restore it from a backup, or create a new workspace with 'xinchuang init'",
        )
    engine = database.make_engine(url)
    try:
        database.upgrade(engine)
    except WorkspaceError:
        engine.dispose()
        raise
    return Workspace(
        directory=directory, settings=settings, engine=engine, extra_catalogs=list(catalogs or [])
    )
