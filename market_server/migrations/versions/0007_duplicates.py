"""Duplicates at entry: the contract fields duplicate_of/duplicate_state and the flags for administrators (0007)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("institution", "achievement", "demand", "expert")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("duplicate_of", sa.Text(), nullable=True))
            batch_op.add_column(sa.Column("duplicate_state", sa.String(length=32), nullable=True))
    op.create_table(
        "duplicate_flag",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("other_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("flagged_by", sa.String(length=64), nullable=True),
        sa.Column("flagged_at", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_flag")),
        sa.UniqueConstraint("entity", "row_id", "other_id", name=op.f("uq_duplicate_flag_entity_row_id_other_id")),
    )
    op.create_index("ix_duplicate_flag_status", "duplicate_flag", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_duplicate_flag_status", table_name="duplicate_flag")
    op.drop_table("duplicate_flag")
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("duplicate_state")
            batch_op.drop_column("duplicate_of")
