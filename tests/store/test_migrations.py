"""The workspace schema: upgraded in place, never silently recreated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, insert, select, text

from xinchuang.errors import WorkspaceError
from xinchuang.store import database
from xinchuang.store.tables import metadata, sources


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = database.make_engine(db_url)
    yield engine
    engine.dispose()


def test_fresh_database_reaches_head(engine: Engine) -> None:
    before, after = database.upgrade(engine)
    assert before is None
    assert after == database.head_revision()


def test_tables_match_migrations(engine: Engine) -> None:
    database.upgrade(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    # Index/constraint naming may differ by dialect; columns and tables must not.
    structural = [
        d for d in diff if d[0] in {"add_table", "remove_table", "add_column", "remove_column"}
    ]
    assert structural == []


def test_older_workspace_is_upgraded_in_place_keeping_its_data(engine: Engine) -> None:
    database.upgrade_to(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            insert(sources).values(
                unit="总行",
                name="register.xlsx",
                path="/x/register.xlsx",
                format="xlsx-register",
                sha256="0" * 64,
                imported_at=dt.datetime.now(dt.UTC),
                imported_by="t",
                rows_read=1,
                rows_imported=1,
                rows_skipped=0,
                errors=[],
            )
        )
    before, after = database.upgrade(engine)
    assert (before, after) == ("0001", database.head_revision())
    with engine.connect() as connection:
        assert connection.execute(select(sources.c.unit)).scalar_one() == "总行"
        assert connection.execute(text("SELECT count(*) FROM plans")).scalar_one() == 0


def test_newer_workspace_is_refused(engine: Engine) -> None:
    database.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(WorkspaceError, match="newer than this xinchuang"):
        database.upgrade(engine)


def test_foreign_database_is_not_written_into(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE payroll (id INTEGER PRIMARY KEY)"))
    with pytest.raises(WorkspaceError, match="not a xinchuang workspace"):
        database.upgrade(engine)


def test_unreachable_server_is_one_clear_error() -> None:
    engine = database.make_engine("postgresql+psycopg://nobody:x@127.0.0.1:1/none")
    with pytest.raises(WorkspaceError, match="cannot reach the workspace database"):
        database.upgrade(engine)
    engine.dispose()
