"""The identification tests run on their own small catalog, never on the shipped one."""

from __future__ import annotations

from pathlib import Path

import pytest

from xinchuang.catalog.identify import Identifier
from xinchuang.catalog.loader import load_catalog
from xinchuang.catalog.model import Catalog

FIXTURE_CATALOG = Path(__file__).resolve().parents[1] / "fixtures" / "catalog"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """tests/fixtures/catalog: products across layers with every identifier kind."""
    return load_catalog([FIXTURE_CATALOG], shipped=False)


@pytest.fixture(scope="session")
def identifier(catalog: Catalog) -> Identifier:
    """A matcher compiled from the fixture catalog."""
    return Identifier.from_catalog(catalog)
