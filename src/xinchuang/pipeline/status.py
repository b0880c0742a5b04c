"""``status`` and ``snapshot``: compute the localization rate from the inventory, keep snapshots."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from xinchuang.errors import UsageError
from xinchuang.i18n import _
from xinchuang.metrics.localization import (
    AssetRow,
    HostRow,
    Localization,
    SystemRow,
    localization,
)
from xinchuang.metrics.trend import SnapshotRow, trend
from xinchuang.models.catalog import PolicyProfile
from xinchuang.pipeline.workspace import Workspace
from xinchuang.store import database
from xinchuang.store.tables import assets, hosts, snapshots, sources, system_assets, systems

STREAM = 5000


@dataclass
class Status:
    """The current figures, with the items behind them and the trend of past snapshots."""

    result: Localization
    trend: list[dict[str, Any]]

    @property
    def figures(self) -> dict[str, Any]:
        """The status JSON: the figures plus the trend."""
        return {**self.result.figures, "trend": self.trend}


def policy_of(workspace: Workspace) -> PolicyProfile:
    """The policy profile named in the workspace settings."""
    catalog = workspace.catalog
    policy = catalog.policies.get(workspace.settings.policy)
    if policy is None:
        raise UsageError(
            _("the workspace names policy profile {policy!r}, which the catalog lacks").format(
                policy=workspace.settings.policy
            ),
            tip=_("profiles: {known}").format(known=", ".join(sorted(catalog.policies))),
        )
    return policy


def _hosts(connection: Connection) -> list[HostRow]:
    query = select(hosts.c.id, hosts.c.asset_id, hosts.c.unit, hosts.c.hostname).order_by(
        hosts.c.id
    )
    return [HostRow(r.id, r.asset_id, r.unit, r.hostname) for r in connection.execute(query)]


def _assets(connection: Connection) -> Iterator[AssetRow]:
    query = (
        select(
            assets.c.id,
            assets.c.host_id,
            assets.c.unit,
            assets.c.kind,
            assets.c.name,
            assets.c.version,
            assets.c.value,
            assets.c.currency,
            assets.c.product_id,
            assets.c.confidence,
            assets.c.identifiers,
            assets.c.match_level,
            assets.c.match_origin,
            assets.c.match_layer,
            assets.c.match_vendor,
            assets.c.match_by_cpu,
            sources.c.name.label("source"),
        )
        .join(sources, sources.c.id == assets.c.source_id)
        .order_by(assets.c.id)
    )
    for r in connection.execution_options(yield_per=STREAM).execute(query):
        yield AssetRow(
            id=r.id,
            host_id=r.host_id,
            unit=r.unit,
            kind=r.kind,
            name=r.name,
            version=r.version,
            value=r.value,
            currency=r.currency,
            product_id=r.product_id,
            confidence=r.confidence,
            source=r.source,
            package_type=(r.identifiers or {}).get("package_type"),
            match_level=r.match_level,
            match_origin=r.match_origin,
            match_layer=r.match_layer,
            match_vendor=r.match_vendor,
            match_by_cpu=bool(r.match_by_cpu),
        )


def _systems(connection: Connection) -> list[SystemRow]:
    refs: dict[int, list[str]] = defaultdict(list)
    for row in connection.execute(
        select(system_assets.c.system_id, system_assets.c.asset_ref).order_by(
            system_assets.c.system_id, system_assets.c.asset_ref
        )
    ):
        refs[row.system_id].append(row.asset_ref)
    rows = connection.execute(select(systems).order_by(systems.c.unit, systems.c.name))
    return [
        SystemRow(
            name=r.name,
            unit=r.unit,
            sector=r.sector,
            tier=r.tier,
            hosts=tuple(refs[r.id]),
            software=tuple(str(name) for name in r.software or ()),
            criticality=r.criticality,
        )
        for r in rows
    ]


def load_snapshots(workspace: Workspace) -> list[SnapshotRow]:
    """Every stored snapshot, oldest first."""
    with workspace.engine.connect() as connection:
        rows = connection.execute(
            select(snapshots).order_by(snapshots.c.as_of, snapshots.c.taken_at, snapshots.c.id)
        )
        return [
            SnapshotRow(r.id, r.taken_at, r.as_of, r.label, r.catalog_revision, r.figures)
            for r in rows
        ]


def load_inputs(
    connection: Connection,
) -> tuple[list[HostRow], Iterator[AssetRow], list[SystemRow]]:
    """The hosts and systems, and the assets as a stream (consume it inside ``connection``)."""
    return _hosts(connection), _assets(connection), _systems(connection)


def compute(workspace: Workspace, *, as_of: dt.date | None = None) -> Localization:
    """The localization figures of the workspace on ``as_of`` (default: today)."""
    catalog = workspace.catalog
    policy = policy_of(workspace)
    with workspace.engine.connect() as connection:
        host_rows, asset_rows, system_rows = load_inputs(connection)
        return localization(
            host_rows,
            asset_rows,
            system_rows,
            catalog,
            policy=policy,
            as_of=as_of or dt.date.today(),
        )


def status(workspace: Workspace, *, as_of: dt.date | None = None) -> Status:
    """The current figures and the trend through every stored snapshot."""
    result = compute(workspace, as_of=as_of)
    return Status(result=result, trend=trend(load_snapshots(workspace), result.figures))


def take_snapshot(
    workspace: Workspace, *, label: str | None = None, as_of: dt.date | None = None
) -> dict[str, Any]:
    """Freeze the figures of ``as_of`` (default: today) into the snapshots table."""
    result = compute(workspace, as_of=as_of)
    figures = result.figures
    taken_at = dt.datetime.now(dt.UTC)
    with database.transaction(workspace.engine) as connection:
        inserted = connection.execute(
            snapshots.insert()
            .values(
                taken_at=taken_at,
                as_of=dt.date.fromisoformat(figures["as_of"]),
                label=label,
                catalog_revision=figures["catalog_revision"],
                figures=figures,
            )
            .returning(snapshots.c.id)
        ).scalar_one()
    return {
        "snapshot": inserted,
        "as_of": figures["as_of"],
        "label": label,
        "taken_at": taken_at.isoformat(timespec="seconds"),
        "catalog_revision": figures["catalog_revision"],
        "localization_rate": figures["localization_rate"]["overall"],
        "localization_rate_by_value": figures["localization_rate_by_value"]["overall"],
        "localization_rate_by_system": figures["localization_rate_by_system"]["overall"],
    }
