"""Shared fixtures: the two storage backends every workspace test runs against."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

ROOT = Path(__file__).resolve().parent.parent

# Time belongs in bench/, not in tests: a property test slowed by a busy machine is not a
# failure. On CI the examples are derandomized so a run can be reproduced exactly.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(autouse=True)
def _english_unless_asked() -> Iterator[None]:
    """Every test starts in English: a CLI test run with --lang zh_CN before it in the same
    worker would otherwise leave the messages of a reader test translated."""
    from xinchuang.i18n import current_language, set_language

    before = current_language()
    set_language("en")
    try:
        yield
    finally:
        set_language(before)


def _postgres_admin_url() -> str:
    """The URL of the test server: from make test, or started here by the project's script."""
    url = os.environ.get("XINCHUANG_TEST_PG_URL")
    if not url:
        result = subprocess.run(
            ["bash", str(ROOT / "scripts" / "postgres.sh")],
            check=True,
            capture_output=True,
            text=True,
        )
        url = result.stdout.strip().splitlines()[-1]
        os.environ["XINCHUANG_TEST_PG_URL"] = url
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    admin = make_url(_postgres_admin_url())
    name = f"xc_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        # FORCE can meet a backend it may not terminate (an autovacuum worker of the server's
        # own role, seen under load): wait a moment and try again rather than fail the test.
        for attempt in range(5):
            try:
                with engine.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                break
            except DBAPIError:
                if attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))
        engine.dispose()


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run ``xinchuang ARGS`` in-process; return (exit code, stdout, stderr)."""
    from xinchuang.cli import main

    monkeypatch.delenv("XINCHUANG_WORKSPACE", raising=False)
    monkeypatch.delenv("XINCHUANG_DB", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        out, err = capsys.readouterr()
        return code, out, err

    return run
