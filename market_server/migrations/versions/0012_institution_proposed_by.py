"""An index of institutions by proposer: a user's scope is read on every pull (revision 0012)."""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_institution_proposed_by", "institution", ["proposed_by"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_institution_proposed_by", table_name="institution")
