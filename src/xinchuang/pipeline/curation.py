"""The curation loop: record what an unknown is, apply it, and say what changed.

``map`` stores a :class:`~xinchuang.catalog.mapping.Mapping` in the workspace (who, when,
why); ``reidentify`` runs identification again over every stored record — with the
workspace's mappings and the catalog now loaded — without re-importing, updates the rows
in place (asset ids never change) and reports the counts and the rate before and after.
Imports apply the mappings too (:func:`curator`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update

from xinchuang.catalog.identify import Identifier
from xinchuang.catalog.mapping import Curator, Mapping, check_mapping, export_fragment
from xinchuang.catalog.model import Catalog
from xinchuang.errors import UsageError
from xinchuang.i18n import _
from xinchuang.pipeline.ingest import match_columns
from xinchuang.pipeline.mapping_rows import load_mappings
from xinchuang.pipeline.status import compute
from xinchuang.pipeline.workspace import Workspace
from xinchuang.store.tables import assets, mappings

BATCH = 2000
_MATCH_FIELDS = (
    "product_id",
    "confidence",
    "reason",
    "match_level",
    "match_origin",
    "match_layer",
    "match_family",
    "match_vendor",
    "match_by_cpu",
)


def curator(connection: Connection, catalog: Catalog) -> Curator:
    """The kernel over ``catalog`` with the workspace's mappings ahead of it."""
    return Curator(Identifier.from_catalog(catalog), catalog, load_mappings(connection))


def add_mapping(
    workspace: Workspace,
    pattern: str,
    *,
    target_kind: str,
    target: str,
    why: str,
    is_regex: bool = False,
    kind: str | None = None,
    layer: str | None = None,
    by: str | None = None,
) -> Mapping:
    """Record one mapping (replacing an earlier one for the same name or pattern and kind)."""
    mapping = check_mapping(
        workspace.catalog,
        Mapping(
            pattern=pattern.strip(),
            is_regex=is_regex,
            kind=kind,
            target_kind=target_kind,
            target=target.strip(),
            layer=layer,
            created_by=by or workspace.user(),
            created_at=dt.datetime.now(dt.UTC),
            why=why.strip(),
        ),
    )
    values: dict[str, Any] = {
        "pattern": mapping.pattern,
        "is_regex": mapping.is_regex,
        "kind": mapping.kind,
        "target_kind": mapping.target_kind,
        "target": mapping.target,
        "layer": mapping.layer,
        "created_by": mapping.created_by,
        "created_at": mapping.created_at,
        "why": mapping.why,
    }
    with workspace.engine.begin() as connection:
        same = (
            (mappings.c.pattern == mapping.pattern)
            & (mappings.c.is_regex == mapping.is_regex)
            & (mappings.c.kind.is_(None) if kind is None else mappings.c.kind == kind)
        )
        connection.execute(delete(mappings).where(same))
        new_id = connection.execute(mappings.insert().values(**values)).inserted_primary_key
    return dataclasses.replace(mapping, id=int(new_id[0]) if new_id else None)


def list_mappings(workspace: Workspace) -> list[Mapping]:
    """The workspace's mappings."""
    with workspace.engine.connect() as connection:
        return load_mappings(connection)


def remove_mapping(workspace: Workspace, mapping_id: int) -> None:
    """Delete one mapping by id (re-identify to apply)."""
    with workspace.engine.begin() as connection:
        gone = connection.execute(delete(mappings).where(mappings.c.id == mapping_id)).rowcount
    if not gone:
        raise UsageError(
            _("no mapping with id {id}").format(id=mapping_id),
            tip=_("'xinchuang map --list' shows the ids"),
        )


def export_mappings(workspace: Workspace) -> str:
    """The mappings as a catalog fragment (YAML) for the shared catalog."""
    return export_fragment(list_mappings(workspace), workspace=workspace.settings.name or "")


@dataclass
class Reidentified:
    """What re-identification changed: records, levels and the rate, before and after."""

    records: int = 0
    changed: int = 0
    levels_before: Counter[str] = field(default_factory=Counter)
    levels_after: Counter[str] = field(default_factory=Counter)
    unknown_before: int = 0
    unknown_after: int = 0
    counted_before: int = 0
    counted_after: int = 0
    rate_before: float | None = None
    rate_after: float | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)

    def view(self) -> dict[str, Any]:
        """The JSON shape of the report."""
        return {
            "records": self.records,
            "changed": self.changed,
            "levels": {"before": dict(self.levels_before), "after": dict(self.levels_after)},
            "counted_items": {"before": self.counted_before, "after": self.counted_after},
            "unknown_items": {"before": self.unknown_before, "after": self.unknown_after},
            "rate": {"before": self.rate_before, "after": self.rate_after},
            "changes": self.changes,
        }


def _figures(workspace: Workspace) -> tuple[int, int, float | None]:
    figures = compute(workspace).figures
    overall = figures["localization_rate"]["overall"]
    return figures["counted_items"], int(overall["unknown"]), overall["rate"]


def _hints(row: Any) -> dict[str, Any]:
    ids = row.identifiers or {}
    return {
        "kind": row.kind,
        "name": row.name,
        "version": row.version,
        "vendor": row.vendor,
        **{k: ids.get(k) for k in ("purl", "cpe", "package_type", "arch", "cpu_vendor_id")},
        **{k: ids.get(k) for k in ("arm_implementer", "arm_part", "os_id")},
        "dmi_vendor": ids.get("dmi_vendor"),
        "dmi_product": ids.get("dmi_product"),
    }


def reidentify(workspace: Workspace, *, show: int = 20) -> Reidentified:
    """Identify every stored record again, in place; report what changed (ids stay)."""
    report = Reidentified()
    report.counted_before, report.unknown_before, report.rate_before = _figures(workspace)
    catalog = workspace.catalog
    columns = [assets.c.id, assets.c.kind, assets.c.name, assets.c.version, assets.c.vendor]
    columns += [assets.c.identifiers, *(assets.c[name] for name in _MATCH_FIELDS)]
    with workspace.engine.begin() as connection:
        kernel = curator(connection, catalog)
        rows = connection.execute(select(*columns).order_by(assets.c.id)).all()
        pending: list[dict[str, Any]] = []
        for row in rows:
            report.records += 1
            before_level = row.match_level or ("product" if row.product_id else "none")
            report.levels_before[before_level] += 1
            match = kernel.identify(_hints(row))
            values = match_columns(match)
            values["catalog_revision"] = catalog.revision
            report.levels_after[values["match_level"]] += 1
            if any(values[name] != getattr(row, name) for name in _MATCH_FIELDS):
                report.changed += 1
                if len(report.changes) < show:
                    report.changes.append(
                        {
                            "id": row.id,
                            "name": row.name,
                            "before": row.product_id or row.match_origin or before_level,
                            "after": values["product_id"] or values["match_origin"] or "none",
                            "reason": values["reason"],
                        }
                    )
            pending.append({"row_id": row.id, **values})
            if len(pending) >= BATCH:
                _write(connection, pending)
                pending = []
        if pending:
            _write(connection, pending)
    report.counted_after, report.unknown_after, report.rate_after = _figures(workspace)
    return report


def _write(connection: Connection, rows: Sequence[dict[str, Any]]) -> None:
    statement = (
        update(assets)
        .where(assets.c.id == bindparam("row_id"))
        .values({name: bindparam(name) for name in (*_MATCH_FIELDS, "catalog_revision")})
    )
    connection.execute(statement, list(rows))
