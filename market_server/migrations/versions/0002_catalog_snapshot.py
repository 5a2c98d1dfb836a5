"""Catalog snapshots: the table of published snapshot files (revision 0002)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "catalog_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=64), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_snapshot")),
    )
    with op.batch_alter_table("catalog_snapshot", schema=None) as batch_op:
        batch_op.create_index("ix_catalog_snapshot_format_id", ["format", "id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("catalog_snapshot", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_snapshot_format_id")

    op.drop_table("catalog_snapshot")
