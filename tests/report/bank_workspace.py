"""A small bank, written straight into the workspace tables (as the import would leave them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from xinchuang.store.database import transaction
from xinchuang.store.tables import assets, hosts, sources, system_assets, systems

SCRIPT_NAME = "<script>alert(1)</script>"
IMG_NAME = '<img src=x onerror="alert(2)">'
FORMULA_NAME = '=HYPERLINK("http://example.com","click")'

# host, kind, name, product, value
ASSETS: list[tuple[str | None, str, str, str | None, str | None]] = [
    ("H1", "machine", "TaiShan 200 2280", "huawei-taishan", "80000"),
    ("H1", "cpu", "Kunpeng 920", "kunpeng-920", None),
    ("H1", "os", "Kylin Linux Advanced Server V10", "kylin-server-v10", None),
    ("H1", "software", "DM8", "dm8", "50000"),
    ("H1", "software", SCRIPT_NAME, None, None),
    ("H2", "machine", "PowerEdge R740", "dell-poweredge", "60000"),
    ("H2", "cpu", "Intel Xeon Gold 6248", "intel-xeon", None),
    ("H2", "os", "CentOS 7", "centos", None),
    ("H2", "software", "Oracle Database 19c", "oracle-database", "120000"),
    ("H2", "software", "Microsoft Office 2016", "microsoft-office", None),
    ("H3", "machine", "ThinkCentre M720", None, "5000"),
    ("H3", "cpu", "Hygon C86 3250", "hygon-c86", None),
    ("H3", "os", "Win10 企业版", None, None),
    ("H3", "software", "WPS Office 2019", "wps-office", None),
    (None, "software", "SimSun", "simsun", None),
    (None, "component", "left-pad", None, None),
    (None, "component", FORMULA_NAME, None, None),
]
HOSTS = {"H1": "总行", "H2": "总行", "H3": IMG_NAME}


def seed(engine: Any) -> None:
    """Write the bank's hosts, assets and systems."""
    now = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    with transaction(engine) as connection:
        source_id = connection.execute(
            insert(sources).returning(sources.c.id),
            [
                {
                    "unit": "总行",
                    "name": "register.xlsx",
                    "path": "/data/register.xlsx",
                    "format": "xlsx-register",
                    "sha256": "0" * 64,
                    "imported_at": now,
                    "imported_by": "test",
                    "errors": [],
                }
            ],
        ).scalar_one()
        host_ids = {}
        for asset_id, unit in HOSTS.items():
            host_ids[asset_id] = connection.execute(
                insert(hosts).values(asset_id=asset_id, unit=unit).returning(hosts.c.id)
            ).scalar_one()
        for host, kind, name, product, value in ASSETS:
            connection.execute(
                insert(assets).values(
                    source_id=source_id,
                    host_id=host_ids[host] if host else None,
                    unit=HOSTS[host] if host else "总行",
                    kind=kind,
                    name=name,
                    identifiers={},
                    raw={},
                    value=Decimal(value) if value else None,
                    currency="CNY" if value else None,
                    product_id=product,
                    confidence=1.0 if product else None,
                    reason="test" if product else None,
                )
            )
        core = connection.execute(
            insert(systems)
            .values(
                source_id=source_id,
                name="核心业务系统",
                unit="总行",
                sector="银行",
                tier=None,
                criticality="high",
                software=["DM8"],
                raw={},
            )
            .returning(systems.c.id)
        ).scalar_one()
        branch = connection.execute(
            insert(systems)
            .values(
                source_id=source_id,
                name=IMG_NAME,
                unit=IMG_NAME,
                sector="政府",
                tier=None,
                criticality="low",
                software=[],
                raw={},
            )
            .returning(systems.c.id)
        ).scalar_one()
        connection.execute(
            insert(system_assets),
            [
                {"system_id": core, "asset_ref": "H1"},
                {"system_id": branch, "asset_ref": "H3"},
            ],
        )
