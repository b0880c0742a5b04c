"""Connect to a workspace database and keep its schema at the current revision."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.exc import NoSuchModuleError as SANoSuchModuleError

from xinchuang import resources
from xinchuang.errors import MissingOptionalDependency, WorkspaceError


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.migrations_dir()))
    return config


def head_revision() -> str:
    """The newest schema revision this version of xinchuang knows."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every revision this version knows."""
    script = ScriptDirectory.from_config(_alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


BUSY_TIMEOUT_MS = 15_000
"""How long a command waits for another one writing the same SQLite workspace."""
SUPPORTED_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    # Wait for a writer to finish instead of failing at once with "database is locked".
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for a workspace URL (sqlite:///… or postgresql+psycopg://…)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    scheme = url.split(":", 1)[0].lower()
    if scheme not in SUPPORTED_SCHEMES:
        raise WorkspaceError(
            f"{scheme}: unsupported database URL; a workspace is stored in SQLite or PostgreSQL",
            tip="omit --db for SQLite in the workspace folder, or give postgresql://user@host/db",
        )
    try:
        engine = create_engine(url, future=True)
    except SANoSuchModuleError as exc:
        raise WorkspaceError(f"{url.split(':', 1)[0]}: unsupported database URL") from exc
    except ArgumentError as exc:
        raise WorkspaceError(f"invalid database URL: {exc}") from exc
    except ModuleNotFoundError as exc:
        raise MissingOptionalDependency("A PostgreSQL workspace", "postgres", "psycopg") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def current_revision(connection: Connection) -> str | None:
    """The schema revision stored in the database (None for an empty database)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to head in place; return (revision before, revision after).

    A database written by a newer xinchuang (a revision this version does not
    know) is refused rather than touched.
    """
    try:
        with engine.begin() as connection:
            before = current_revision(connection)
            if before is not None and before not in known_revisions():
                raise WorkspaceError(
                    f"the workspace schema is at revision {before}, newer than this xinchuang "
                    f"(head {head_revision()})",
                    tip="upgrade xinchuang: pip install -U xinchuang",
                )
            if before is None and inspect(connection).get_table_names():
                tables = ", ".join(sorted(inspect(connection).get_table_names())[:5])
                raise WorkspaceError(
                    f"the database already holds tables that are not a xinchuang workspace "
                    f"({tables}); refusing to write into it",
                    tip="give an empty database with --db",
                )
            if before != head_revision():
                config = _alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
            return before, head_revision()
    except DBAPIError as exc:
        raise explain(exc) or WorkspaceError(
            f"cannot reach the workspace database: {_reason(exc)}"
        ) from exc


def _reason(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]


_DAMAGED = ("file is not a database", "database disk image is malformed", "not a database")
_BUSY = ("database is locked", "database table is locked")


def explain(exc: BaseException) -> WorkspaceError | None:
    """The one-line error for a database failure a user can act on; None for any other.

    A busy SQLite workspace (another command writing past the busy timeout) and a damaged
    or foreign database file are conditions, not bugs: they get a message and a way out.
    """
    if not isinstance(exc, DBAPIError):
        return None
    reason = _reason(exc)
    if any(marker in reason for marker in _BUSY):
        return WorkspaceError(
            f"busy: another command is writing to this workspace ({reason} after "
            f"{BUSY_TIMEOUT_MS // 1000} s)",
            tip="run the command again when the other one has finished",
        )
    if any(marker in reason for marker in _DAMAGED):
        return WorkspaceError(
            f"the workspace database is damaged or is not a xinchuang database ({reason})",
            tip="restore it with 'xinchuang restore -w WORKSPACE BACKUP' "
            "(see docs/reliability.md), or create a new one with 'xinchuang init'",
        )
    return None


def upgrade_to(engine: Engine, revision: str) -> None:
    """Migrate to a specific revision (tests use it to build an older workspace)."""
    with engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction: it commits whole or rolls back whole."""
    with engine.begin() as connection:
        yield connection
