"""Scan runs per business system, so a clean scan is told apart from no scan.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("system", sa.String(300), nullable=False),
        sa.Column("scan_root", sa.Text, nullable=False),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("files", sa.Integer, nullable=False),
        sa.Column("lines", sa.Integer, nullable=False),
        sa.Column("findings", sa.Integer, nullable=False),
        sa.Column("targets", sa.JSON, nullable=False),
    )
    op.create_index("ix_scans_system", "scans", ["system"])


def downgrade() -> None:
    op.drop_index("ix_scans_system", "scans")
    op.drop_table("scans")
