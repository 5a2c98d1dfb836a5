"""Digest snapshots: a catalog snapshot may name the home province it was built for (revision 0013)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("catalog_snapshot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("province", sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("catalog_snapshot", schema=None) as batch_op:
        batch_op.drop_column("province")
