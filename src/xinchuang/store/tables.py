"""The workspace schema (SQLAlchemy Core tables). Alembic migrations create and upgrade it.

Change a table here *and* add a migration under ``migrations/versions``; a test
compares the two so they never drift.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

workspace_meta = Table(
    "workspace_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("unit", String(200), nullable=False),
    Column("name", String(400), nullable=False),
    Column("path", Text, nullable=False),
    Column("format", String(40), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("imported_by", String(200), nullable=False),
    Column("rows_read", Integer, nullable=False, default=0),
    Column("rows_imported", Integer, nullable=False, default=0),
    Column("rows_skipped", Integer, nullable=False, default=0),
    Column("errors", JSON, nullable=False, default=list),
    Column("encoding", String(40)),
    UniqueConstraint("unit", "name", name="uq_sources_unit_name"),
)

hosts = Table(
    "hosts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("asset_id", String(200), nullable=False, unique=True),
    Column("unit", String(200), nullable=False),
    Column("asset_no", String(200)),
    Column("serial", String(200)),
    Column("hostname", String(300)),
    Column("kind", String(40)),
    Index("ix_hosts_serial", "serial"),
    Index("ix_hosts_hostname", "hostname"),
)

host_facts = Table(
    "host_facts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("host_id", Integer, ForeignKey("hosts.id", ondelete="CASCADE"), nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("field", String(80), nullable=False),
    Column("value", Text, nullable=False),
    Index("ix_host_facts_host", "host_id"),
)

assets = Table(
    "assets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("host_id", Integer, ForeignKey("hosts.id", ondelete="SET NULL")),
    Column("unit", String(200), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("name", Text, nullable=False),
    Column("version", String(200)),
    Column("vendor", String(300)),
    Column("identifiers", JSON, nullable=False, default=dict),
    Column("raw", JSON, nullable=False, default=dict),
    Column("sheet", String(200)),
    Column("row", Integer),
    Column("locator", String(400)),
    Column("value", Numeric(18, 2)),
    Column("currency", String(8)),
    Column("product_id", String(80)),
    Column("confidence", Float),
    Column("reason", String(400)),
    Column("catalog_revision", String(40)),
    # what identification said below product level (revision 0005)
    Column("match_level", String(16)),
    Column("match_origin", String(16)),
    Column("match_layer", String(80)),
    Column("match_family", String(80)),
    Column("match_vendor", String(80)),
    Column("match_by_cpu", Boolean),
    Index("ix_assets_source", "source_id"),
    Index("ix_assets_host", "host_id"),
    Index("ix_assets_product", "product_id"),
)

systems = Table(
    "systems",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(300), nullable=False),
    Column("unit", String(200), nullable=False),
    Column("sector", String(80)),
    Column("tier", String(4)),
    Column("criticality", String(16)),
    Column("software", JSON, nullable=False, default=list),
    Column("raw", JSON, nullable=False, default=dict),
    UniqueConstraint("unit", "name", name="uq_systems_unit_name"),
)

system_assets = Table(
    "system_assets",
    metadata,
    Column("system_id", Integer, ForeignKey("systems.id", ondelete="CASCADE"), primary_key=True),
    Column("asset_ref", String(200), primary_key=True),
)

system_dependencies = Table(
    "system_dependencies",
    metadata,
    Column("system_id", Integer, ForeignKey("systems.id", ondelete="CASCADE"), primary_key=True),
    Column("depends_on", String(300), primary_key=True),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("system", String(300)),
    Column("scan_root", Text, nullable=False),
    Column("scanned_at", DateTime(timezone=True), nullable=False),
    Column("rule", String(16), nullable=False),
    Column("family", String(40), nullable=False),
    Column("path", Text, nullable=False),
    Column("line", Integer),
    Column("column", Integer),
    Column("severity", String(16), nullable=False),
    Column("per_target", JSON, nullable=False, default=dict),
    Column("effort_minutes", Float, nullable=False, default=0),
    Column("message", Text, nullable=False),
    Column("snippet", Text),
    Column("detail", JSON, nullable=False, default=dict),
    Index("ix_findings_system", "system"),
)

scans = Table(
    "scans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("system", String(300), nullable=False),
    Column("scan_root", Text, nullable=False),
    Column("scanned_at", DateTime(timezone=True), nullable=False),
    Column("files", Integer, nullable=False, default=0),
    Column("lines", Integer, nullable=False, default=0),
    Column("findings", Integer, nullable=False, default=0),
    Column("targets", JSON, nullable=False, default=list),
    Index("ix_scans_system", "system"),
)

plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(40), nullable=False),
    Column("settings", JSON, nullable=False, default=dict),
    Column("objective", JSON, nullable=False, default=dict),
    Column("bound", JSON, nullable=False, default=dict),
    Column("catalog_revision", String(40), nullable=False),
    Column("xinchuang_version", String(40), nullable=False),
    Column("result", JSON, nullable=False, default=dict),
)

plan_items = Table(
    "plan_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    Column("system", String(300), nullable=False),
    Column("disposition", String(40), nullable=False),
    Column("target_stack", JSON, nullable=False, default=dict),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("effort_days", Float, nullable=False, default=0),
    Column("deadline", Date),
    Column("late", Boolean, nullable=False, default=False),
    Column("reasons", JSON, nullable=False, default=list),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("taken_at", DateTime(timezone=True), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("label", String(200)),
    Column("catalog_revision", String(40), nullable=False),
    Column("figures", JSON, nullable=False),
)

mappings = Table(
    "mappings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("pattern", String(400), nullable=False),
    Column("is_regex", Boolean, nullable=False),
    Column("kind", String(40)),
    Column("target_kind", String(16), nullable=False),  # product | vendor | origin
    Column("target", String(80), nullable=False),
    Column("layer", String(80)),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("why", Text, nullable=False),
    UniqueConstraint("pattern", "is_regex", "kind", name="uq_mappings_pattern"),
)
