"""Read the inventory back: counted items, what is unknown, and why an asset is what it is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select

from xinchuang.catalog.model import Catalog
from xinchuang.catalog.search import fold, search
from xinchuang.catalog.views import product_summary
from xinchuang.errors import UsageError
from xinchuang.i18n import _
from xinchuang.metrics.localization import PACKAGE_MANAGER_TYPES
from xinchuang.pipeline.workspace import Workspace
from xinchuang.store.tables import assets, host_facts, hosts, sources

# Where an unidentified record falls, by its kind, so unknowns can be shown per layer.
KIND_LAYER = {
    "cpu": "cpu",
    "gpu": "gpu",
    "os": "os",
    "firmware": "firmware",
    "network": "network",
    "storage": "storage",
    "peripheral": "peripheral",
}


_ORIGIN_DOMESTIC = {"domestic": True, "foreign": False}


def _enrich(catalog: Catalog, row: Any) -> dict[str, Any]:
    product = catalog.products.get(row.product_id) if row.product_id else None
    summary = product_summary(catalog, product) if product else None
    level = getattr(row, "match_level", None) or ("product" if product else "none")
    origin = getattr(row, "match_origin", None)
    return {
        "id": row.id,
        "host": row.asset_id,
        "unit": row.unit,
        "source": row.source_name,
        "kind": row.kind,
        "name": row.name,
        "version": row.version,
        "vendor": row.vendor,
        "product_id": product.id if product else None,
        "product": product.name.en if product else None,
        "layer": product.layer
        if product
        else (getattr(row, "match_layer", None) or KIND_LAYER.get(row.kind)),
        "match_level": level,
        "family": getattr(row, "match_family", None),
        "vendor_id": summary["vendor"] if summary else getattr(row, "match_vendor", None),
        "country": summary["country"] if summary else None,
        "domestic": summary["domestic"] if summary else _ORIGIN_DOMESTIC.get(origin or ""),
        "control": summary["control"] if summary else None,
        "listed": summary["listed"] if summary else None,
        "export_controls": [
            f"{entry.list_} {entry.date.isoformat()}"
            for entry in catalog.vendor_of(product).export_controls
        ]
        if product
        else [],
        "confidence": row.confidence,
        "reason": row.reason,
    }


def _query(unit: str | None = None, unknown_only: bool = False) -> Any:
    query = (
        select(
            assets.c.id,
            assets.c.kind,
            assets.c.name,
            assets.c.version,
            assets.c.vendor,
            assets.c.unit,
            assets.c.identifiers,
            assets.c.product_id,
            assets.c.confidence,
            assets.c.reason,
            assets.c.host_id,
            assets.c.match_level,
            assets.c.match_origin,
            assets.c.match_layer,
            assets.c.match_family,
            assets.c.match_vendor,
            hosts.c.asset_id,
            sources.c.name.label("source_name"),
        )
        .select_from(
            assets.join(sources, sources.c.id == assets.c.source_id).outerjoin(
                hosts, hosts.c.id == assets.c.host_id
            )
        )
        .order_by(assets.c.id)
    )
    if unit:
        query = query.where(assets.c.unit == unit)
    if unknown_only:
        # unknown: neither a product nor an origin every candidate agreed on
        # (a Chinese brand's machine is judged by its host's CPU: not listed as unknown)
        query = query.where(
            assets.c.product_id.is_(None),
            assets.c.match_origin.is_(None),
            assets.c.match_by_cpu.is_not(True),
        )
    return query


def inventory_rows(
    workspace: Workspace,
    *,
    unit: str | None = None,
    layer: str | None = None,
    domestic: bool | None = None,
    unknown_only: bool = False,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """One row per counted item, enriched from the catalog, streamed from the database."""
    catalog = workspace.catalog
    if layer and layer not in catalog.layers:
        raise UsageError(
            _("unknown layer {layer!r}").format(layer=layer),
            tip=_("layers: {known}").format(known=", ".join(catalog.layers)),
        )
    emitted = 0
    with workspace.engine.connect() as connection:
        result = connection.execution_options(yield_per=2000).execute(_query(unit, unknown_only))
        for row in result:
            item = _enrich(catalog, row)
            if layer and item["layer"] != layer:
                continue
            if domestic is not None and item["domestic"] is not domestic:
                continue
            yield item
            emitted += 1
            if limit is not None and emitted >= limit:
                break


def counts_toward_rate(kind: str, identifiers: dict[str, Any] | None) -> bool:
    """Whether an unidentified record counts (as unknown) toward the rate.

    SBOM components and packages from a package manager do not: they are mostly
    libraries and parts of an operating system (see metrics/localization.py).
    """
    if kind == "component":
        return False
    package_type = str((identifiers or {}).get("package_type") or "").lower()
    return package_type not in PACKAGE_MANAGER_TYPES


def unknown_groups(
    workspace: Workspace, *, unit: str | None = None, top: int = 50
) -> list[dict[str, Any]]:
    """Unidentified records grouped by kind and folded name.

    Those that count toward the rate come first (they are where extending the
    catalog moves the figures), most frequent first within each part.
    """
    counts: Counter[tuple[str, str]] = Counter()
    counted: dict[tuple[str, str], bool] = {}
    spelling: dict[tuple[str, str], Counter[str]] = {}
    vendors: dict[tuple[str, str], Counter[str]] = {}
    units: dict[tuple[str, str], set[str]] = {}
    ids: dict[tuple[str, str], list[int]] = {}
    host_ids: dict[tuple[str, str], set[int]] = {}
    with workspace.engine.connect() as connection:
        result = connection.execution_options(yield_per=5000).execute(_query(unit, True))
        for row in result:
            key = (row.kind, fold(row.name))
            counts[key] += 1
            counted[key] = counted.get(key, False) or counts_toward_rate(row.kind, row.identifiers)
            spelling.setdefault(key, Counter())[row.name] += 1
            if row.vendor:
                vendors.setdefault(key, Counter())[row.vendor] += 1
            units.setdefault(key, set()).add(row.unit)
            some = ids.setdefault(key, [])
            if len(some) < IDS_SHOWN:
                some.append(row.id)
            if row.host_id is not None:
                host_ids.setdefault(key, set()).add(row.host_id)
    groups = []
    ranked = sorted(counts.items(), key=lambda entry: (not counted[entry[0]], -entry[1], entry[0]))
    for (kind, _folded), count in ranked[:top]:
        key = (kind, _folded)
        groups.append(
            {
                "kind": kind,
                "name": spelling[key].most_common(1)[0][0],
                "count": count,
                "counted": counted[key],
                "spellings": len(spelling[key]),
                "vendor": vendors[key].most_common(1)[0][0] if key in vendors else None,
                "units": sorted(units[key]),
                "hosts": len(host_ids.get(key, ())),
                "ids": ids[key],
            }
        )
    return groups


IDS_SHOWN = 5
"""How many asset ids ``unknown`` shows per group (enough to ``explain`` one)."""


def resolve_asset(workspace: Workspace, ref: str) -> int | list[dict[str, Any]]:
    """An asset id, or a host's records when ``ref`` is its asset id, hostname or asset number.

    A number is an asset id; anything else is looked up among the hosts (asset id as the
    workspace keys it, then hostname, then asset number, case-insensitive).
    """
    text = ref.strip()
    if text.isdigit():
        return int(text)
    with workspace.engine.connect() as connection:
        host = None
        for column in (hosts.c.asset_id, hosts.c.hostname, hosts.c.asset_no):
            host = connection.execute(
                select(hosts.c.id).where(func.lower(column) == text.lower()).limit(1)
            ).one_or_none()
            if host is not None:
                break
        if host is None:
            raise UsageError(
                _("no asset or host {ref!r}").format(ref=text),
                tip=_(
                    "give an asset id from 'inventory' or 'unknown', a hostname or an asset number"
                ),
            )
        rows = connection.execute(_query().where(assets.c.host_id == host.id)).all()
    return [_enrich(workspace.catalog, row) for row in rows]


def explain(workspace: Workspace, asset_id: int) -> dict[str, Any]:
    """Everything about one asset: where it came from, its hints, and why it matched."""
    catalog = workspace.catalog
    with workspace.engine.connect() as connection:
        row = connection.execute(
            select(
                assets,
                sources.c.name.label("source_name"),
                sources.c.path.label("source_path"),
                sources.c.format.label("source_format"),
                hosts.c.asset_id,
            )
            .select_from(
                assets.join(sources, sources.c.id == assets.c.source_id).outerjoin(
                    hosts, hosts.c.id == assets.c.host_id
                )
            )
            .where(assets.c.id == asset_id)
        ).one_or_none()
        if row is None:
            raise UsageError(
                _("no asset with id {id}").format(id=asset_id),
                tip=_("ids are in the first column of 'xinchuang inventory'"),
            )
        facts = []
        if row.host_id is not None:
            for fact in connection.execute(
                select(host_facts.c.field, host_facts.c.value, sources.c.name)
                .join(sources, sources.c.id == host_facts.c.source_id)
                .where(host_facts.c.host_id == row.host_id)
                .order_by(host_facts.c.field, sources.c.name)
            ):
                facts.append({"field": fact.field, "value": fact.value, "source": fact.name})
    view = _enrich(catalog, row)
    provenance = row.source_path
    if row.sheet:
        provenance += f" [{row.sheet}]"
    if row.row is not None:
        provenance += f" row {row.row}"
    if row.locator:
        provenance += f" {row.locator}"
    view.update(
        {
            "provenance": provenance,
            "format": row.source_format,
            "identifiers": row.identifiers,
            "raw": row.raw,
            "catalog_revision": row.catalog_revision,
            "host_facts": facts,
            "near_matches": []
            if row.product_id or row.match_origin
            else [
                {"product_id": hit.product_id, "score": round(hit.score, 1), "matched": hit.matched}
                for hit in search(catalog, row.name, limit=3)
            ],
        }
    )
    return view
