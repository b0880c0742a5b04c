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
