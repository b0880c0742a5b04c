"""``backup`` and ``restore`` of a SQLite workspace's database.

A backup is a consistent copy made with SQLite's online backup API, so it can
be taken while another command reads the workspace. Restoring checks that the
file really is a xinchuang workspace database of a schema this version knows,
then swaps it in atomically (a temporary copy beside the database, then one
rename), so a failed restore leaves the workspace as it was. Restore works on
a workspace whose database is damaged: it reads only the settings file.

A PostgreSQL workspace is backed up with the server's own tools
(``pg_dump``/``pg_restore``): see docs/reliability.md.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from xinchuang import settings as settings_file
from xinchuang.errors import UsageError, WorkspaceError
from xinchuang.i18n import _
from xinchuang.store.database import known_revisions


def _sqlite_file(directory: Path) -> Path:
    settings = settings_file.read(directory)
    url = settings_file.resolve_db_url(directory, settings.db)
    if not url.startswith("sqlite:///"):
        raise WorkspaceError(
            _("{directory}: the workspace is stored in PostgreSQL").format(directory=directory),
            tip=_("back it up with pg_dump and restore it with pg_restore (docs/reliability.md)"),
        )
    return Path(url.removeprefix("sqlite:///"))


def backup(directory: Path, output: Path) -> Path:
    """Copy the workspace database to ``output`` (a new file); return its path."""
    database = _sqlite_file(directory)
    if output.exists():
        raise UsageError(
            _("{output}: exists; give a new file name").format(output=output),
        )
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(output)
        try:
            source.backup(target)
        finally:
            target.close()
    except sqlite3.DatabaseError as exc:
        output.unlink(missing_ok=True)
        raise WorkspaceError(
            _("cannot back up {database}: {reason}").format(database=database, reason=exc)
        ) from exc
    finally:
        source.close()
    return output


def check_backup(path: Path) -> str:
    """The schema revision of a backup; a one-line error when it is not a workspace's."""
    if not path.is_file():
        raise UsageError(_("{path}: no such file").format(path=path))
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if not {"workspace_meta", "alembic_version", "assets"} <= tables:
                raise WorkspaceError(
                    _("{path}: not a xinchuang workspace database").format(path=path)
                )
            (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(
            _("{path}: damaged or not a SQLite database ({reason})").format(path=path, reason=exc)
        ) from exc
    if revision not in known_revisions():
        raise WorkspaceError(
            _("{path}: schema revision {revision} is newer than this xinchuang").format(
                path=path, revision=revision
            ),
            tip=_("upgrade xinchuang: pip install -U xinchuang"),
        )
    return str(revision)


def restore(directory: Path, backup_file: Path) -> str:
    """Replace the workspace database with ``backup_file``; return the backup's revision."""
    database = _sqlite_file(directory)
    revision = check_backup(backup_file)
    handle, temporary = tempfile.mkstemp(prefix=".restore-", dir=database.parent)
    os.close(handle)
    try:
        source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
        target = sqlite3.connect(temporary)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(temporary, database)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return revision
