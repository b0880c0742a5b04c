"""Identification at the level the evidence supports, and the curation mappings.

``assets`` gains what identification said below product level (``match_level``,
``match_origin``, ``match_layer``, ``match_family``, ``match_vendor``, and ``match_by_cpu``
for a Chinese brand's machine, whose origin follows its host's CPU); ``mappings`` holds a
person's decision about an unknown name or pattern, with who, when and why.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assets") as batch:
        batch.add_column(sa.Column("match_level", sa.String(16)))
        batch.add_column(sa.Column("match_origin", sa.String(16)))
        batch.add_column(sa.Column("match_layer", sa.String(80)))
        batch.add_column(sa.Column("match_family", sa.String(80)))
        batch.add_column(sa.Column("match_vendor", sa.String(80)))
        batch.add_column(sa.Column("match_by_cpu", sa.Boolean))
    op.create_table(
        "mappings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("pattern", sa.String(400), nullable=False),
        sa.Column("is_regex", sa.Boolean, nullable=False),
        sa.Column("kind", sa.String(40)),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(80), nullable=False),
        sa.Column("layer", sa.String(80)),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.UniqueConstraint("pattern", "is_regex", "kind", name="uq_mappings_pattern"),
    )


def downgrade() -> None:
    op.drop_table("mappings")
    with op.batch_alter_table("assets") as batch:
        for column in (
            "match_by_cpu",
            "match_vendor",
            "match_family",
            "match_layer",
            "match_origin",
            "match_level",
        ):
            batch.drop_column(column)
