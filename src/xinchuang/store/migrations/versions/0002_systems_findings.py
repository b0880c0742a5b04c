"""Business systems, their assets and dependencies; scanner findings.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "systems",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("sector", sa.String(80)),
        sa.Column("tier", sa.String(4)),
        sa.Column("criticality", sa.String(16)),
        sa.Column("software", sa.JSON, nullable=False),
        sa.Column("raw", sa.JSON, nullable=False),
        sa.UniqueConstraint("unit", "name", name="uq_systems_unit_name"),
    )
    op.create_table(
        "system_assets",
        sa.Column(
            "system_id",
            sa.Integer,
            sa.ForeignKey("systems.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("asset_ref", sa.String(200), primary_key=True),
    )
    op.create_table(
        "system_dependencies",
        sa.Column(
            "system_id",
            sa.Integer,
            sa.ForeignKey("systems.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("depends_on", sa.String(300), primary_key=True),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("system", sa.String(300)),
        sa.Column("scan_root", sa.Text, nullable=False),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rule", sa.String(16), nullable=False),
        sa.Column("family", sa.String(40), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("line", sa.Integer),
        sa.Column("column", sa.Integer),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("per_target", sa.JSON, nullable=False),
        sa.Column("effort_minutes", sa.Float, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("snippet", sa.Text),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_index("ix_findings_system", "findings", ["system"])


def downgrade() -> None:
    for table in ("findings", "system_dependencies", "system_assets", "systems"):
        op.drop_table(table)
