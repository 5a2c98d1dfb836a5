"""Initial schema: entity tables, accounts and sync bookkeeping (revision 0001)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "access_token",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("device_pk", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_access_token")),
    )
    op.create_table(
        "achievement",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("reg_no", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("institution_id", sa.String(length=36), nullable=True),
        sa.Column("completing_units", sa.JSON(), nullable=True),
        sa.Column("inventors", sa.JSON(), nullable=True),
        sa.Column("keywords", sa.JSON(), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("attribute", sa.String(length=32), nullable=True),
        sa.Column("stage", sa.String(length=32), nullable=True),
        sa.Column("trl", sa.BigInteger(), nullable=True),
        sa.Column("domain", sa.Text(), nullable=True),
        sa.Column("industry", sa.Text(), nullable=True),
        sa.Column("strategic_industry", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("indicators", sa.Text(), nullable=True),
        sa.Column("advantages", sa.Text(), nullable=True),
        sa.Column("transfer_modes", sa.JSON(), nullable=True),
        sa.Column("price_mode", sa.String(length=32), nullable=True),
        sa.Column("price", sa.Float(), nullable=True),
        sa.Column("contact_name", sa.Text(), nullable=True),
        sa.Column("contact_phone", sa.Text(), nullable=True),
        sa.Column("contact_email", sa.Text(), nullable=True),
        sa.Column("confidential_fields", sa.JSON(), nullable=True),
        sa.Column("review_status", sa.String(length=32), nullable=True),
        sa.Column("source_visit_id", sa.String(length=36), nullable=True),
        sa.Column("collected_by", sa.Text(), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("scope_id", sa.String(length=36), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_achievement")),
    )
    with op.batch_alter_table("achievement", schema=None) as batch_op:
        batch_op.create_index("ix_achievement_creator_version", ["created_by", "version"], unique=False)
        batch_op.create_index("ix_achievement_scope_version", ["scope_id", "version"], unique=False)
        batch_op.create_index("ix_achievement_version", ["version"], unique=True)

    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "assignment",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("assigned_at", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "institution_id", name=op.f("pk_assignment")),
    )
    op.create_table(
        "attachment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_entity", sa.String(length=32), nullable=True),
        sa.Column("owner_id", sa.String(length=36), nullable=True),
        sa.Column("filename", sa.Text(), nullable=True),
        sa.Column("mime_type", sa.Text(), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.Text(), nullable=True),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("taken_at", sa.String(length=20), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("scope_id", sa.String(length=36), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index("ix_attachment_creator_version", ["created_by", "version"], unique=False)
        batch_op.create_index("ix_attachment_owner_id", ["owner_id"], unique=False)
        batch_op.create_index("ix_attachment_scope_version", ["scope_id", "version"], unique=False)
        batch_op.create_index("ix_attachment_sha256", ["sha256"], unique=False)
        batch_op.create_index("ix_attachment_version", ["version"], unique=True)

    op.create_table(
        "contact",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("institution_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("position", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("scope_id", sa.String(length=36), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index("ix_contact_creator_version", ["created_by", "version"], unique=False)
        batch_op.create_index("ix_contact_institution_id", ["institution_id"], unique=False)
        batch_op.create_index("ix_contact_scope_version", ["scope_id", "version"], unique=False)
        batch_op.create_index("ix_contact_version", ["version"], unique=True)

    op.create_table(
        "demand",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("institution_id", sa.String(length=36), nullable=True),
        sa.Column("demand_type", sa.String(length=32), nullable=True),
        sa.Column("problem", sa.Text(), nullable=True),
        sa.Column("key_tech", sa.Text(), nullable=True),
        sa.Column("indicators", sa.Text(), nullable=True),
        sa.Column("goal", sa.Text(), nullable=True),
        sa.Column("keywords", sa.JSON(), nullable=True),
        sa.Column("industry", sa.Text(), nullable=True),
        sa.Column("budget", sa.Float(), nullable=True),
        sa.Column("coop_modes", sa.JSON(), nullable=True),
        sa.Column("intended_partner", sa.Text(), nullable=True),
        sa.Column("valid_until", sa.String(length=10), nullable=True),
        sa.Column("confidentiality", sa.String(length=32), nullable=True),
        sa.Column("contact_name", sa.Text(), nullable=True),
        sa.Column("contact_phone", sa.Text(), nullable=True),
        sa.Column("contact_email", sa.Text(), nullable=True),
        sa.Column("confidential_fields", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("source_visit_id", sa.String(length=36), nullable=True),
        sa.Column("collected_by", sa.Text(), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("scope_id", sa.String(length=36), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand")),
    )
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.create_index("ix_demand_creator_version", ["created_by", "version"], unique=False)
        batch_op.create_index("ix_demand_scope_version", ["scope_id", "version"], unique=False)
        batch_op.create_index("ix_demand_version", ["version"], unique=True)

    op.create_table(
        "device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("refresh_hash", sa.String(length=64), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("last_seen_at", sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
        sa.UniqueConstraint("refresh_hash", name=op.f("uq_device_refresh_hash")),
        sa.UniqueConstraint("user_id", "device_id", name=op.f("uq_device_user_id_device_id")),
    )
    op.create_table(
        "device_progress",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "device_id", name=op.f("pk_device_progress")),
    )
    op.create_table(
        "expert",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("discipline", sa.Text(), nullable=True),
        sa.Column("specialties", sa.Text(), nullable=True),
        sa.Column("industry", sa.Text(), nullable=True),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("scope_id", sa.String(length=36), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert")),
    )
    with op.batch_alter_table("expert", schema=None) as batch_op:
        batch_op.create_index("ix_expert_creator_version", ["created_by", "version"], unique=False)
        batch_op.create_index("ix_expert_scope_version", ["scope_id", "version"], unique=False)
        batch_op.create_index("ix_expert_version", ["version"], unique=True)

    op.create_table(
        "follow_up",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("visit_id", sa.String(length=36), nullable=True),
        sa.Column("action", sa.Text(), nullable=True),
        sa.Column("owner", sa.Text(), nullable=True),
        sa.Column("due_date", sa.String(length=10), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("scope_id", sa.String(length=36), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index("ix_follow_up_creator_version", ["created_by", "version"], unique=False)
        batch_op.create_index("ix_follow_up_scope_version", ["scope_id", "version"], unique=False)
        batch_op.create_index("ix_follow_up_version", ["version"], unique=True)
        batch_op.create_index("ix_follow_up_visit_id", ["visit_id"], unique=False)

    op.create_table(
        "institution",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("credit_code", sa.Text(), nullable=True),
        sa.Column("org_type", sa.String(length=32), nullable=True),
        sa.Column("region_code", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("website", sa.Text(), nullable=True),
        sa.Column("profile", sa.Text(), nullable=True),
        sa.Column("key_technologies", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("proposed_by", sa.Text(), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("scope_id", sa.String(length=36), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution")),
    )
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.create_index("ix_institution_creator_version", ["created_by", "version"], unique=False)
        batch_op.create_index("ix_institution_scope_version", ["scope_id", "version"], unique=False)
        batch_op.create_index("ix_institution_version", ["version"], unique=True)

    op.create_table(
        "ip_item",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("achievement_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("number", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("filed_on", sa.String(length=10), nullable=True),
        sa.Column("granted_on", sa.String(length=10), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("scope_id", sa.String(length=36), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ip_item")),
    )
    with op.batch_alter_table("ip_item", schema=None) as batch_op:
        batch_op.create_index("ix_ip_item_achievement_id", ["achievement_id"], unique=False)
        batch_op.create_index("ix_ip_item_creator_version", ["created_by", "version"], unique=False)
        batch_op.create_index("ix_ip_item_scope_version", ["scope_id", "version"], unique=False)
        batch_op.create_index("ix_ip_item_version", ["version"], unique=True)

    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("client_ip", sa.String(length=64), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.create_index("ix_login_failure_user_ip_at", ["username", "client_ip", "at"], unique=False)

    op.create_table(
        "mutation_result",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "device_id", "seq", name=op.f("pk_mutation_result")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("base", sa.JSON(), nullable=True),
        sa.Column("theirs", sa.JSON(), nullable=True),
        sa.Column("mine", sa.JSON(), nullable=True),
        sa.Column("theirs_by", sa.String(length=64), nullable=True),
        sa.Column("theirs_at", sa.String(length=20), nullable=True),
        sa.Column("mine_by", sa.String(length=64), nullable=False),
        sa.Column("mine_at", sa.String(length=20), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("resolved_at", sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index("ix_sync_conflict_mine_by", ["mine_by", "resolved"], unique=False)

    op.create_table(
        "version_counter",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_version_counter")),
    )
    op.create_table(
        "visit",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("institution_id", sa.String(length=36), nullable=True),
        sa.Column("specialists", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("planned_at", sa.String(length=20), nullable=True),
        sa.Column("visited_at", sa.String(length=20), nullable=True),
        sa.Column("visit_type", sa.String(length=32), nullable=True),
        sa.Column("people_met", sa.JSON(), nullable=True),
        sa.Column("contacts_met", sa.JSON(), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("next_visit_at", sa.String(length=20), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("scope_id", sa.String(length=36), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.String(length=20), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index("ix_visit_creator_version", ["created_by", "version"], unique=False)
        batch_op.create_index("ix_visit_scope_version", ["scope_id", "version"], unique=False)
        batch_op.create_index("ix_visit_version", ["version"], unique=True)


def downgrade() -> None:

    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_version")
        batch_op.drop_index("ix_visit_scope_version")
        batch_op.drop_index("ix_visit_creator_version")

    op.drop_table("visit")
    op.drop_table("version_counter")
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_conflict_mine_by")

    op.drop_table("sync_conflict")
    op.drop_table("mutation_result")
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failure_user_ip_at")

    op.drop_table("login_failure")
    with op.batch_alter_table("ip_item", schema=None) as batch_op:
        batch_op.drop_index("ix_ip_item_version")
        batch_op.drop_index("ix_ip_item_scope_version")
        batch_op.drop_index("ix_ip_item_creator_version")
        batch_op.drop_index("ix_ip_item_achievement_id")

    op.drop_table("ip_item")
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.drop_index("ix_institution_version")
        batch_op.drop_index("ix_institution_scope_version")
        batch_op.drop_index("ix_institution_creator_version")

    op.drop_table("institution")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_up_visit_id")
        batch_op.drop_index("ix_follow_up_version")
        batch_op.drop_index("ix_follow_up_scope_version")
        batch_op.drop_index("ix_follow_up_creator_version")

    op.drop_table("follow_up")
    with op.batch_alter_table("expert", schema=None) as batch_op:
        batch_op.drop_index("ix_expert_version")
        batch_op.drop_index("ix_expert_scope_version")
        batch_op.drop_index("ix_expert_creator_version")

    op.drop_table("expert")
    op.drop_table("device_progress")
    op.drop_table("device")
    with op.batch_alter_table("demand", schema=None) as batch_op:
        batch_op.drop_index("ix_demand_version")
        batch_op.drop_index("ix_demand_scope_version")
        batch_op.drop_index("ix_demand_creator_version")

    op.drop_table("demand")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_version")
        batch_op.drop_index("ix_contact_scope_version")
        batch_op.drop_index("ix_contact_institution_id")
        batch_op.drop_index("ix_contact_creator_version")

    op.drop_table("contact")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index("ix_attachment_version")
        batch_op.drop_index("ix_attachment_sha256")
        batch_op.drop_index("ix_attachment_scope_version")
        batch_op.drop_index("ix_attachment_owner_id")
        batch_op.drop_index("ix_attachment_creator_version")

    op.drop_table("attachment")
    op.drop_table("assignment")
    op.drop_table("app_user")
    with op.batch_alter_table("achievement", schema=None) as batch_op:
        batch_op.drop_index("ix_achievement_version")
        batch_op.drop_index("ix_achievement_scope_version")
        batch_op.drop_index("ix_achievement_creator_version")

    op.drop_table("achievement")
    op.drop_table("access_token")
