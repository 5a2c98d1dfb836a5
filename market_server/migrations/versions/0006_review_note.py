"""The reviewer's note on institutions and achievements (contract field review_note) (revision 0006)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("institution", "achievement"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("review_note", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in ("institution", "achievement"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("review_note")
