"""Saved plans and their items; localization snapshots.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("objective", sa.JSON, nullable=False),
        sa.Column("bound", sa.JSON, nullable=False),
        sa.Column("catalog_revision", sa.String(40), nullable=False),
        sa.Column("xinchuang_version", sa.String(40), nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
    )
    op.create_table(
        "plan_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("system", sa.String(300), nullable=False),
        sa.Column("disposition", sa.String(40), nullable=False),
        sa.Column("target_stack", sa.JSON, nullable=False),
        sa.Column("period_start", sa.Date),
        sa.Column("period_end", sa.Date),
        sa.Column("effort_days", sa.Float, nullable=False),
        sa.Column("deadline", sa.Date),
        sa.Column("late", sa.Boolean, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
    )
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("label", sa.String(200)),
        sa.Column("catalog_revision", sa.String(40), nullable=False),
        sa.Column("figures", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for table in ("snapshots", "plan_items", "plans"):
        op.drop_table(table)
