"""Attachment bytes: who proved they hold each file, and its detected type (revision 0004)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "blob_holder",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("held_at", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "username", name=op.f("pk_blob_holder")),
    )
    # Rows made before this revision are trusted as they were: their authors count as holders of their files.
    op.execute(
        "INSERT INTO blob_holder (sha256, username, mime_type, size, held_at)"
        " SELECT sha256, created_by, '', MIN(size), MIN(created_at) FROM attachment"
        " WHERE sha256 IS NOT NULL AND created_by IS NOT NULL GROUP BY sha256, created_by"
    )


def downgrade() -> None:
    op.drop_table("blob_holder")
