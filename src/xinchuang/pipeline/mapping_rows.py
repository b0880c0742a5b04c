"""The workspace's curation mappings, read from the ``mappings`` table."""

from __future__ import annotations

from sqlalchemy import Connection, select

from xinchuang.catalog.mapping import Mapping
from xinchuang.store.tables import mappings


def load_mappings(connection: Connection) -> list[Mapping]:
    """Every mapping of the workspace, oldest first."""
    rows = connection.execute(select(mappings).order_by(mappings.c.id))
    return [
        Mapping(
            id=row.id,
            pattern=row.pattern,
            is_regex=row.is_regex,
            kind=row.kind,
            target_kind=row.target_kind,
            target=row.target,
            layer=row.layer,
            created_by=row.created_by,
            created_at=row.created_at,
            why=row.why,
        )
        for row in rows
    ]
