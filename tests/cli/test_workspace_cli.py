"""``xinchuang init`` and how every command finds its workspace."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from xinchuang.pipeline.workspace import open_workspace
from xinchuang.settings import SETTINGS_FILE, read


def test_init_creates_settings_and_sqlite_database(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "bank"
    code, out, err = run_cli("init", str(target), "--format", "json")
    assert code == 0, err
    result = json.loads(out)
    assert result["name"] == "bank"
    assert (target / SETTINGS_FILE).is_file()
    assert read(target).db == "sqlite:///xinchuang.db"
    tables = {
        row[0]
        for row in sqlite3.connect(target / "xinchuang.db").execute(
            "SELECT name FROM sqlite_master WHERE type='table'"
        )
    }
    assert {"sources", "assets", "hosts", "systems", "findings", "plans", "snapshots"} <= tables


def test_init_with_postgres_keeps_settings_in_dir(run_cli, tmp_path: Path, db_url: str) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "team"
    code, _, err = run_cli("init", str(target), "--db", db_url)
    assert code == 0, err
    assert read(target).db == db_url
    with open_workspace(target) as workspace:
        assert workspace.meta()["name"] == "team"
        assert workspace.engine.dialect.name == db_url.split(":")[0].split("+")[0]


def test_init_refuses_an_existing_workspace(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("init", str(tmp_path / "w"))[0] == 0
    code, _, err = run_cli("init", str(tmp_path / "w"))
    assert code == 2
    assert "a workspace already exists here" in err
    assert len(err.strip().splitlines()) == 2  # the message and its Tip
    assert "Traceback" not in err


def test_init_with_unreachable_database_leaves_nothing_behind(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "fail"
    code, _, err = run_cli("init", str(target), "--db", "postgresql://u:p@127.0.0.1:1/none")
    assert code == 2
    assert "cannot reach the workspace database" in err
    assert not target.exists()


def test_bad_database_url_is_a_usage_error(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_cli("init", str(tmp_path / "w"), "--db", "mongodb://x/y")
    assert code == 2
    assert "unsupported database URL" in err


def test_missing_workspace_is_one_line_with_a_tip(tmp_path: Path) -> None:
    from xinchuang.errors import WorkspaceError

    with pytest.raises(WorkspaceError, match="not a xinchuang workspace") as caught:
        open_workspace(tmp_path)
    assert caught.value.tip
    assert "xinchuang init" in caught.value.tip


def test_deleted_database_is_not_silently_recreated(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from xinchuang.errors import WorkspaceError

    target = tmp_path / "w"
    assert run_cli("init", str(target))[0] == 0
    (target / "xinchuang.db").unlink()
    with pytest.raises(WorkspaceError, match="is missing"):
        open_workspace(target)
    assert not (target / "xinchuang.db").exists()


def test_environment_database_overrides_settings(run_cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "w"
    assert run_cli("init", str(target))[0] == 0
    other = tmp_path / "other.db"
    other.touch()
    monkeypatch.setenv("XINCHUANG_DB", f"sqlite:///{other}")
    with open_workspace(target) as workspace:
        assert workspace.engine.url.database == str(other)
    assert other.stat().st_size > 0  # migrated in place


def test_an_unsupported_database_url_names_itself_and_leaves_nothing(
    run_cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run_cli("init", str(tmp_path / "ws"), "--db", "mysql://u@127.0.0.1/db")
    assert code == 2
    assert "mysql: unsupported database URL" in err and "psycopg" not in err
    assert len(err.strip().splitlines()) <= 2  # the error and its tip
    assert not (tmp_path / "ws").exists()


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all, just text" * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
)
def test_a_damaged_database_is_one_line_with_the_way_to_restore(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, content: bytes
) -> None:
    assert run_cli("init", str(tmp_path / "ws"))[0] == 0
    (tmp_path / "ws" / "xinchuang.db").write_bytes(content)
    for name in ("xinchuang.db-wal", "xinchuang.db-shm"):
        (tmp_path / "ws" / name).unlink(missing_ok=True)
    code, _, err = run_cli("status", "-w", str(tmp_path / "ws"))
    assert code == 2
    assert "damaged or is not a xinchuang database" in err and "xinchuang restore" in err
    assert "internal error" not in err


def test_a_busy_workspace_waits_then_says_busy(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from xinchuang.store import database

    assert run_cli("init", str(tmp_path / "ws"))[0] == 0
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    writer = sqlite3.connect(tmp_path / "ws" / "xinchuang.db", isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # another command in the middle of writing
    try:
        code, _, err = run_cli("snapshot", "-w", str(tmp_path / "ws"), "--label", "Q4")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert code == 2
    assert "busy: another command is writing to this workspace" in err
    assert run_cli("snapshot", "-w", str(tmp_path / "ws"), "--label", "Q4")[0] == 0


def test_backup_then_restore_brings_back_a_damaged_workspace(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = tmp_path / "ws"
    assert run_cli("init", str(ws))[0] == 0
    assert run_cli("snapshot", "-w", str(ws), "--label", "2026-Q3")[0] == 0
    code, out, err = run_cli("backup", str(tmp_path / "ws.bak"), "-w", str(ws))
    assert code == 0, err
    assert out.strip() == str(tmp_path / "ws.bak")
    (ws / "xinchuang.db").write_bytes(b"garbage" * 1000)  # a disk error, a bad copy
    assert run_cli("status", "-w", str(ws))[0] == 2
    code, _, err = run_cli("restore", str(tmp_path / "ws.bak"), "-w", str(ws))
    assert code == 0, err
    code, out, _ = run_cli("status", "-w", str(ws), "--format", "json")
    assert code == 0
    assert "2026-Q3" in out  # the snapshot came back with the backup


@pytest.mark.parametrize(
    ("fault", "content"),
    [("not-sqlite", b"hello" * 100), ("another-sqlite-database", None)],
)
def test_restore_refuses_what_is_not_a_workspace_backup(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, fault: str, content: bytes | None
) -> None:
    import sqlite3

    ws = tmp_path / "ws"
    assert run_cli("init", str(ws))[0] == 0
    before = (ws / "xinchuang.db").read_bytes()
    candidate = tmp_path / f"{fault}.bak"
    if content is None:
        sqlite3.connect(candidate).execute("CREATE TABLE t (x)").connection.close()
    else:
        candidate.write_bytes(content)
    code, _, err = run_cli("restore", str(candidate), "-w", str(ws))
    assert code == 2
    assert str(candidate) in err and ("not a xinchuang workspace" in err or "damaged" in err)
    assert (ws / "xinchuang.db").read_bytes() == before


def test_backup_refuses_to_overwrite_a_file(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("init", str(tmp_path / "ws"))[0] == 0
    (tmp_path / "taken.bak").write_text("mine")
    code, _, err = run_cli("backup", str(tmp_path / "taken.bak"), "-w", str(tmp_path / "ws"))
    assert code == 2 and "exists" in err
    assert (tmp_path / "taken.bak").read_text() == "mine"
