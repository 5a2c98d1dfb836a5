"""对接记录: the match_record entity table (issue #15.3) (revision 0008)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "match_record",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("demand_id", sa.String(length=36), nullable=True),
        sa.Column("achievement_id", sa.String(length=36), nullable=True),
        sa.Column("expert_id", sa.String(length=36), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=True),
        sa.Column("event_name", sa.Text(), nullable=True),
        sa.Column("stage", sa.String(length=32), nullable=True),
        sa.Column("terminated_reason", sa.Text(), nullable=True),
        sa.Column("recommended_on", sa.String(length=10), nullable=True),
        sa.Column("negotiated_on", sa.String(length=10), nullable=True),
        sa.Column("signed_on", sa.String(length=10), nullable=True),
        sa.Column("registered_on", sa.String(length=10), nullable=True),
        sa.Column("contract_amount", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("confidential_fields", sa.JSON(), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("scope_id", sa.String(length=36), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_record")),
    )
    with op.batch_alter_table("match_record", schema=None) as batch_op:
        batch_op.create_index("ix_match_record_demand_id", ["demand_id"], unique=False)
        batch_op.create_index("ix_match_record_creator_version", ["created_by", "version"], unique=False)
        batch_op.create_index("ix_match_record_scope_version", ["scope_id", "version"], unique=False)
        batch_op.create_index("ix_match_record_version", ["version"], unique=True)


def downgrade() -> None:
    op.drop_table("match_record")
