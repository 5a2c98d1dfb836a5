"""Refresh token rotation: the previous token and its time per device, and the retired tokens (revision 0005)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_refresh_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("refreshed_at", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("rotation_confirmed", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.create_index(batch_op.f("ix_device_prev_refresh_hash"), ["prev_refresh_hash"], unique=False)
    op.create_table(
        "retired_refresh",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("device_pk", sa.Integer(), nullable=False),
        sa.Column("retired_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_retired_refresh")),
    )
    with op.batch_alter_table("retired_refresh", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retired_refresh_retired_at"), ["retired_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("retired_refresh", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retired_refresh_retired_at"))
    op.drop_table("retired_refresh")
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_prev_refresh_hash"))
        batch_op.drop_column("rotation_confirmed")
        batch_op.drop_column("refreshed_at")
        batch_op.drop_column("prev_refresh_hash")
