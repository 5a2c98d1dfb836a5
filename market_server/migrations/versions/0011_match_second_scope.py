"""A match record's second governing institution, its achievement's (issue #15.3) (revision 0011).

Existing matches with an achievement get it, and new versions, so the inst: buckets of the achievement's institution
(whose cursors may be past their old versions) send them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("match_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("second_scope_id", sa.String(length=36), nullable=True))
        batch_op.create_index("ix_match_record_second_scope_version", ["second_scope_id", "version"], unique=False)
    conn = op.get_bind()
    found = conn.execute(sa.text(
        "SELECT m.id, a.scope_id FROM match_record m JOIN achievement a ON a.id = m.achievement_id"
        " WHERE a.scope_id IS NOT NULL ORDER BY m.version")).all()
    if not found:
        return
    last = conn.execute(sa.text("UPDATE version_counter SET value = value + :n WHERE id = 1 RETURNING value"),
                        {"n": len(found)}).scalar_one()
    first = int(last) - len(found) + 1
    for offset, (match_id, scope_id) in enumerate(found):
        conn.execute(sa.text("UPDATE match_record SET second_scope_id = :s, version = :v WHERE id = :id"),
                     {"s": scope_id, "v": first + offset, "id": match_id})


def downgrade() -> None:
    with op.batch_alter_table("match_record", schema=None) as batch_op:
        batch_op.drop_index("ix_match_record_second_scope_version")
        batch_op.drop_column("second_scope_id")
