"""Workspace metadata, sources, hosts and assets.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workspace_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("format", sa.String(40), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=False),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("rows_imported", sa.Integer, nullable=False),
        sa.Column("rows_skipped", sa.Integer, nullable=False),
        sa.Column("errors", sa.JSON, nullable=False),
        sa.Column("encoding", sa.String(40)),
        sa.UniqueConstraint("unit", "name", name="uq_sources_unit_name"),
    )
    op.create_table(
        "hosts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("asset_id", sa.String(200), nullable=False, unique=True),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("asset_no", sa.String(200)),
        sa.Column("serial", sa.String(200)),
        sa.Column("hostname", sa.String(300)),
        sa.Column("kind", sa.String(40)),
    )
    op.create_index("ix_hosts_serial", "hosts", ["serial"])
    op.create_index("ix_hosts_hostname", "hosts", ["hostname"])
    op.create_table(
        "host_facts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "host_id", sa.Integer, sa.ForeignKey("hosts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("field", sa.String(80), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_index("ix_host_facts_host", "host_facts", ["host_id"])
    op.create_table(
        "assets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("host_id", sa.Integer, sa.ForeignKey("hosts.id", ondelete="SET NULL")),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("version", sa.String(200)),
        sa.Column("vendor", sa.String(300)),
        sa.Column("identifiers", sa.JSON, nullable=False),
        sa.Column("raw", sa.JSON, nullable=False),
        sa.Column("sheet", sa.String(200)),
        sa.Column("row", sa.Integer),
        sa.Column("locator", sa.String(400)),
        sa.Column("value", sa.Numeric(18, 2)),
        sa.Column("currency", sa.String(8)),
        sa.Column("product_id", sa.String(80)),
        sa.Column("confidence", sa.Float),
        sa.Column("reason", sa.String(400)),
        sa.Column("catalog_revision", sa.String(40)),
    )
    op.create_index("ix_assets_source", "assets", ["source_id"])
    op.create_index("ix_assets_host", "assets", ["host_id"])
    op.create_index("ix_assets_product", "assets", ["product_id"])


def downgrade() -> None:
    for table in ("assets", "host_facts", "hosts", "sources", "workspace_meta"):
        op.drop_table(table)
