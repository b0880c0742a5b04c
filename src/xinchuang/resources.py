"""The only module that opens files shipped inside the package."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path


def package_root() -> Traversable:
    """The installed ``xinchuang`` package directory."""
    return resources.files("xinchuang")


def data_path(*parts: str) -> Path:
    """A path under ``xinchuang/data`` (the package is always installed unpacked)."""
    root = package_root().joinpath("data", *parts)
    return Path(str(root))


def catalog_dir() -> Path:
    """The shipped catalog's root directory."""
    return data_path("catalog")


def locale_dir() -> Path:
    """The directory holding the gettext message catalogs."""
    return Path(str(package_root().joinpath("locale")))


def migrations_dir() -> Path:
    """The Alembic migrations of the workspace schema."""
    return Path(str(package_root().joinpath("store", "migrations")))


def read_text(*parts: str) -> str:
    """Read a UTF-8 text file under ``xinchuang/data``."""
    return data_path(*parts).read_text(encoding="utf-8")
