"""pool index: features per document, a version token per owner and kind (issue 19)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "pool_features",
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("order", sa.BigInteger(), nullable=False),
        sa.Column("features", JSON_TYPE, nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["owners.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id"),
    )
    with op.batch_alter_table("pool_features", schema=None) as batch_op:
        batch_op.create_index("ix_pool_features_owner_kind", ["owner_id", "kind", "document_id"], unique=False)
    op.create_table(
        "pool_versions",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["owners.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("owner_id", "kind"),
    )


def downgrade() -> None:
    op.drop_table("pool_versions")
    with op.batch_alter_table("pool_features", schema=None) as batch_op:
        batch_op.drop_index("ix_pool_features_owner_kind")
    op.drop_table("pool_features")
