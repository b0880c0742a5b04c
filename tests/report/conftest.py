"""The small bank workspace, on each storage backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from bank_workspace import seed

from xinchuang.pipeline.workspace import init_workspace


@pytest.fixture
def bank(tmp_path: Path, db_url: str) -> Path:
    """A workspace directory holding the small bank."""
    directory = tmp_path / "bank"
    with init_workspace(directory, db=db_url, name="bank") as workspace:
        seed(workspace.engine)
    return directory
