"""The server's tables: one per contract entity (generated from sync.entities) plus accounts and sync bookkeeping."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.types import TypeEngine

from sync.entities import ENTITIES, Entity
from sync.fields import Field, Kind

metadata = MetaData(naming_convention={"uq": "uq_%(table_name)s_%(column_0_N_name)s", "pk": "pk_%(table_name)s"})


def column_type(f: Field) -> TypeEngine[Any]:
    """The SQL type holding a field's canonical value (dates stay ISO strings, lists JSON)."""
    types: dict[Kind, TypeEngine[Any]] = {
        Kind.TEXT: Text(),
        Kind.LONGTEXT: Text(),
        Kind.INT: BigInteger(),
        Kind.MONEY: Float(),
        Kind.DATE: String(10),
        Kind.DATETIME: String(20),
        Kind.BOOL: Boolean(),
        Kind.CODE: String(32),
        Kind.REF: String(36),
    }
    return types.get(f.kind, JSON())


# Bookkeeping columns on every entity row, beside the contract's fields.
ROW_COLUMNS = ("id", "version", "deleted", "scope_id", "created_by", "created_at", "updated_by", "updated_at")
SECOND_SCOPE = "second_scope_id"  # beside them on entities with a second_institution_path


def scope_columns(table: Table) -> list[Column[Any]]:
    """The columns naming a row's governing institutions: scope_id, and second_scope_id where the entity has one."""
    return [table.c.scope_id, *((table.c[SECOND_SCOPE],) if SECOND_SCOPE in table.c else ())]


def _entity_table(e: Entity) -> Table:
    table = Table(
        e.name,
        metadata,
        Column("id", String(36), primary_key=True),  # client-generated UUIDv7
        *(Column(f.name, column_type(f), nullable=True) for f in e.fields),
        Column("version", BigInteger, nullable=False),  # from the one server-wide counter
        Column("deleted", Boolean, nullable=False, default=False),  # tombstone
        # The governing institution (Entity.institution_path resolved at write time); None: not scoped.
        Column("scope_id", String(36), nullable=True),
        Column("created_by", String(64), nullable=True),
        Column("created_at", String(20), nullable=False),
        Column("updated_by", String(64), nullable=True),
        Column("updated_at", String(20), nullable=False),
        # The second governing institution (Entity.second_institution_path resolved at write time), on entities
        # that have one: its inst:<id> bucket holds the row too.
        *((Column(SECOND_SCOPE, String(36), nullable=True),) if e.second_institution_path else ()),
    )
    Index(f"ix_{e.name}_version", table.c.version, unique=True)
    Index(f"ix_{e.name}_scope_version", table.c.scope_id, table.c.version)
    if e.second_institution_path:
        Index(f"ix_{e.name}_second_scope_version", table.c[SECOND_SCOPE], table.c.version)
    Index(f"ix_{e.name}_creator_version", table.c.created_by, table.c.version)
    if e.parent_field:
        Index(f"ix_{e.name}_{e.parent_field}", table.c[e.parent_field])
    if e.holds_file:
        Index(f"ix_{e.name}_sha256", table.c.sha256)
    return table


ENTITY_TABLES: dict[str, Table] = {name: _entity_table(e) for name, e in ENTITIES.items()}
# A user's proposals, read with their scope on every pull (scope.load_scope, pull_probe): an index scan, not the table.
Index("ix_institution_proposed_by", ENTITY_TABLES["institution"].c.proposed_by)

# One row: the last server version handed out. Updating it inside a writing transaction takes a row lock
# that serialises writers until commit, so versions become visible in the order they were allocated.
version_counter = Table(
    "version_counter",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("value", BigInteger, nullable=False),
)

app_user = Table(
    "app_user",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(100), nullable=True),
    Column("role", String(16), nullable=False),  # specialist | admin
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", String(20), nullable=False),
    # The province this account's catalog holds in full, over the market's MARKET_HOME_PROVINCE (sync/digests.py):
    # a 2-digit prefix, "*" for the whole nation, NULL to follow the market (revision 0010).
    Column("home_province", String(2), nullable=True),
)

# A signed-in device: its refresh token (hashed) lives here until revoked.
device = Table(
    "device",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("device_id", String(64), nullable=False),
    Column("name", String(100), nullable=True),
    Column("refresh_hash", String(64), nullable=False, unique=True),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("created_at", String(20), nullable=False),
    Column("last_seen_at", String(20), nullable=True),
    # Refresh rotation: the token before the current one, when the current one was handed out (Unix seconds),
    # and whether the client has shown it received it (it used an access token issued with it).
    Column("prev_refresh_hash", String(64), nullable=True),
    Column("refreshed_at", BigInteger, nullable=True),
    Column("rotation_confirmed", Boolean, nullable=False, default=True, server_default=true()),
    UniqueConstraint("user_id", "device_id"),
    Index("ix_device_prev_refresh_hash", "prev_refresh_hash"),
)

# Refresh tokens rotated out: presenting one again is reuse (a copy was taken), and signs that device out.
retired_refresh = Table(
    "retired_refresh",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("device_pk", Integer, nullable=False),
    Column("retired_at", BigInteger, nullable=False),
    Index("ix_retired_refresh_retired_at", "retired_at"),
)

access_token = Table(
    "access_token",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("device_pk", Integer, nullable=False),
    Column("expires_at", BigInteger, nullable=False),  # Unix seconds
)

login_failure = Table(
    "login_failure",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False),
    Column("client_ip", String(64), nullable=False),
    Column("at", BigInteger, nullable=False),  # Unix seconds
    Index("ix_login_failure_user_ip_at", "username", "client_ip", "at"),
)

assignment = Table(
    "assignment",
    metadata,
    Column("user_id", Integer, primary_key=True),
    Column("institution_id", String(36), primary_key=True),
    Column("assigned_at", String(20), nullable=False),
)

# Exactly-once push: the last sequence number applied per device, and each mutation's stored answer.
device_progress = Table(
    "device_progress",
    metadata,
    Column("user_id", Integer, primary_key=True),
    Column("device_id", String(64), primary_key=True),
    Column("last_seq", BigInteger, nullable=False),
)

mutation_result = Table(
    "mutation_result",
    metadata,
    Column("user_id", Integer, primary_key=True),
    Column("device_id", String(64), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("result", Text, nullable=False),  # MutationResult as JSON
)

sync_conflict = Table(
    "sync_conflict",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("entity", String(32), nullable=False),
    Column("row_id", String(36), nullable=False),
    Column("field", String(64), nullable=False),
    Column("base", JSON, nullable=True),
    Column("theirs", JSON, nullable=True),
    Column("mine", JSON, nullable=True),
    Column("theirs_by", String(64), nullable=True),
    Column("theirs_at", String(20), nullable=True),
    Column("mine_by", String(64), nullable=False),
    Column("mine_at", String(20), nullable=False),
    Column("resolved", Boolean, nullable=False, default=False),
    Column("resolved_at", String(20), nullable=True),
    Index("ix_sync_conflict_mine_by", "mine_by", "resolved"),
)

# Published catalog snapshots (opaque files at <blob dir>/snapshots/<sha256>.gz); the newest 2 per format are kept.
catalog_snapshot = Table(
    "catalog_snapshot",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("format", String(64), nullable=False),
    Column("cursor", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("created_at", String(20), nullable=False),
    Column("created_by", String(64), nullable=False),
    # A digest snapshot's home province (its catalog in full, the rest as digests); NULL: the whole public catalog.
    Column("province", String(2), nullable=True),
    Index("ix_catalog_snapshot_format_id", "format", "id"),
)

# Who did what and when: every action taken in the web console (market_server/audit.py).
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String(20), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", Text, nullable=True),
    Column("detail", Text, nullable=True),  # JSON
    Column("client_ip", String(64), nullable=True),
    Index("ix_audit_log_at", "at"),
)

# A signed-in web console session (cookie holds the token; only its SHA-256 is stored), with its CSRF token.
console_session = Table(
    "console_session",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),  # Unix seconds
    Column("last_seen", BigInteger, nullable=False),
)

# Who proved they hold an attachment's bytes (uploaded them whole, or could already download them), and the type
# the bytes were found to be. A row grants a download only if its author is listed here (docs/security.md, item 2).
blob_holder = Table(
    "blob_holder",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("username", String(64), primary_key=True),
    Column("mime_type", String(100), nullable=False),  # sync.file_types.detect_file (OLE: the legacy family)
    Column("size", BigInteger, nullable=False),
    Column("held_at", String(20), nullable=False),
)

# A pushed record that looks like one the market already holds (sync/duplicates): listed for administrators,
# never refused. status: open -> kept (both stay) or duplicate (row_id repeats other_id; the catalog hides it).
duplicate_flag = Table(
    "duplicate_flag",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entity", String(32), nullable=False),
    Column("row_id", String(36), nullable=False),  # the record pushed
    Column("other_id", String(36), nullable=False),  # the record it looks like
    Column("reason", String(16), nullable=False),  # name, credit_code, reg_no, patent, phone, email
    Column("score", Float, nullable=False),
    Column("status", String(16), nullable=False),
    Column("flagged_by", String(64), nullable=True),  # who pushed it
    Column("flagged_at", String(20), nullable=False),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", String(20), nullable=True),
    UniqueConstraint("entity", "row_id", "other_id"),
    Index("ix_duplicate_flag_status", "status", "id"),
)
