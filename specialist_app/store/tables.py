"""The local store's tables: one per contract entity (generated from sync.entities) plus sync bookkeeping."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeEngine

from sync.digests import DIGEST_FIELDS
from sync.entities import ENTITIES, Entity
from sync.fields import Field, Kind

metadata = MetaData()


def column_type(f: Field) -> TypeEngine[Any]:
    """The SQL type holding a field's canonical value (dates stay ISO strings, lists JSON)."""
    types: dict[Kind, TypeEngine[Any]] = {
        Kind.TEXT: Text(),
        Kind.LONGTEXT: Text(),
        Kind.INT: Integer(),
        Kind.MONEY: Float(),
        Kind.DATE: String(10),
        Kind.DATETIME: String(20),
        Kind.BOOL: Boolean(),
        Kind.CODE: String(32),
        Kind.REF: String(36),
    }
    return types.get(f.kind, JSON())


# Sync metadata on every syncable row.
SYNC_COLUMNS = ("id", "server_version", "base_version", "updated_at", "deleted", "masked")
# Contract fields added after schema v1 come after the sync columns, where a migration's ADD COLUMN puts them,
# so a fresh store and a migrated one have the same column order (migrations.py, steps 5 and 6).
LATER_FIELDS = ("review_note", "duplicate_of", "duplicate_state")


def _entity_table(e: Entity) -> Table:
    columns: list[Column[Any]] = [
        Column("id", String(36), primary_key=True),  # client-generated UUIDv7
        *(Column(f.name, column_type(f), nullable=True) for f in e.fields if f.name not in LATER_FIELDS),
        Column("server_version", Integer, nullable=True),  # None: never seen by the server
        Column("base_version", Integer, nullable=True),  # server version the unsent local edits started from
        Column("updated_at", String(20), nullable=False),  # UTC, canonical date-time form
        Column("deleted", Boolean, nullable=False, default=False),  # tombstone
        Column("masked", JSON, nullable=True),  # confidential fields this copy lacks (catalog copy)
        *(Column(f.name, column_type(f), nullable=True) for f in e.fields if f.name in LATER_FIELDS),
    ]
    table = Table(e.name, metadata, *columns)
    for f in e.fields:
        if f.kind is Kind.REF:
            Index(f"ix_{e.name}_{f.name}", table.c[f.name])
    return table


ENTITY_TABLES: dict[str, Table] = {name: _entity_table(e) for name, e in ENTITIES.items()}

# Field-level changes not yet acknowledged by the server, written in the same transaction as each edit.
outbox = Table(
    "outbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),  # the device's rising sequence number
    Column("entity", String(32), nullable=False),
    Column("row_id", String(36), nullable=False),
    Column("op", String(8), nullable=False),  # create | update | delete
    Column("fields", JSON, nullable=False),  # new values of changed fields
    Column("base", JSON, nullable=False),  # values the edit started from (delete: the whole row)
    Column("base_version", Integer, nullable=True),
    Column("resolves", String(36), nullable=True),  # conflict id this change resolves
    Column("created_at", String(20), nullable=False),
    Column("sent_at", String(20), nullable=True),  # set once included in a push: then never coalesced
    sqlite_autoincrement=True,
)
Index("ix_outbox_row", outbox.c.entity, outbox.c.row_id)

# Conflicts reported by the server, kept until the user resolves them.
conflict = Table(
    "conflict",
    metadata,
    Column("id", String(36), primary_key=True),  # the server's conflict id
    Column("entity", String(32), nullable=False),
    Column("row_id", String(36), nullable=False),
    Column("field", String(64), nullable=False),
    Column("base", JSON, nullable=True),
    Column("theirs", JSON, nullable=True),
    Column("mine", JSON, nullable=True),
    Column("theirs_by", String(64), nullable=True),
    Column("theirs_at", String(20), nullable=True),
    Column("created_at", String(20), nullable=False),
    Column("resolved_at", String(20), nullable=True),
)

# Changes the server refused (validation, permission), listed for the user to fix and resend.
rejection = Table(
    "rejection",
    metadata,
    Column("seq", Integer, primary_key=True),  # the outbox seq that was refused
    Column("entity", String(32), nullable=False),
    Column("row_id", String(36), nullable=False),
    Column("op", String(8), nullable=False),
    Column("fields", JSON, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("problems", JSON, nullable=True),
    Column("message", Text, nullable=True),
    Column("created_at", String(20), nullable=False),
    Column("dismissed_at", String(20), nullable=True),
)

# Pull cursor per bucket (scope): the last server version applied from it.
sync_cursor = Table(
    "sync_cursor",
    metadata,
    Column("bucket", String(64), primary_key=True),
    Column("cursor", Integer, nullable=False, default=0),
)

# Institutions assigned to this profile's user (from the server's bucket list).
assigned_institution = Table(
    "assigned_institution",
    metadata,
    Column("institution_id", String(36), primary_key=True),
)

# Key-value facts about the store: schema_version, device_id, profile, last_sync_at...
meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=True),
)

# --- Schema v2 (see store/migrations.py): the sync log and indexes for the dashboard queries. ---

# One row per sync attempt, newest last: the sync engine writes it, the GUI's sync log page reads it.
sync_run = Table(
    "sync_run",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", String(20), nullable=False),
    Column("finished_at", String(20), nullable=True),  # None while running (or if the app died mid-sync)
    Column("outcome", String(16), nullable=True),  # ok | partial | failed | offline | auth
    Column("pushed", Integer, nullable=False, server_default="0"),
    Column("pulled", Integer, nullable=False, server_default="0"),
    Column("conflicts", Integer, nullable=False, server_default="0"),
    Column("rejected", Integer, nullable=False, server_default="0"),
    Column("error_code", String(32), nullable=True),  # a sync.messages code
    Column("error_message", Text, nullable=True),  # zh_CN
    Column("error_message_en", Text, nullable=True),
    sqlite_autoincrement=True,
)

_visit = ENTITY_TABLES["visit"]
Index("ix_visit_planned_at", _visit.c.planned_at)
Index("ix_visit_visited_at", _visit.c.visited_at)
Index("ix_follow_up_due_date", ENTITY_TABLES["follow_up"].c.due_date)
Index("ix_outbox_sent_at", outbox.c.sent_at)
# Schema v12: the dashboard's month counts of a user's own achievements and demands (services/queries.py).
for _name in ("achievement", "demand"):
    Index(f"ix_{_name}_collected_by", ENTITY_TABLES[_name].c.collected_by, ENTITY_TABLES[_name].c.id)

# --- Schema v3: attachment bytes known to the server (uploaded, or downloaded from it) or refused by it. ---

# No row: the bytes still have to be offered to the server (HEAD first; the upload resumes at its offset).
blob_upload = Table(
    "blob_upload",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("state", String(12), nullable=False),  # done | refused
    Column("reason", String(32), nullable=True),  # the server's sync.messages code when refused
    Column("updated_at", String(20), nullable=False),
)

# --- Schema v9: digests of the catalog outside the home province (sync/digests.py; store/digests.py). ---
# --- Schema v10: one column per digest field, the table keyed by id (WITHOUT ROWID). ---


def _digest_field_columns() -> tuple[tuple[str, Field], ...]:
    """Each digest field (sync.digests.DIGEST_FIELDS) in a column of its own, named after it and typed as the entity
    tables type it, in the contract's order; except the title field (`title`) and an institution's own org_type
    (`org_type`: a digest's governing institution is itself)."""
    out: dict[str, Field] = {}
    for entity, names in DIGEST_FIELDS.items():
        for name in names:
            f = ENTITIES[entity].field(name)
            if name == ENTITIES[entity].title_field or name == "org_type":
                continue
            assert name not in out or out[name].kind is f.kind, f"digest field {name}: one kind in every entity"
            out.setdefault(name, f)
    return tuple(out.items())


DIGEST_FIELD_COLUMNS: tuple[tuple[str, Field], ...] = _digest_field_columns()

# One row per digest the server sent (its feed's cursor is meta `digest_cursor`); a deleted digest is removed.
# `full_record` keeps the record read in full when it was opened (CatalogRecord JSON), `fetched_at` when.
# The digest's fields are columns (v10; v9 kept a JSON object repeating every field name and the title: ~140 bytes
# an achievement); `extra` keeps, as a JSON object, any field this version has no column for or whose value is not
# of the contract's type (normally NULL). store/digests.py `fields_of` puts a digest's fields together again.
catalog_digest = Table(
    "catalog_digest",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("entity", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("province", String(2), nullable=True),
    Column("institution_name", Text, nullable=True),  # the governing institution's (an institution: its own)
    Column("org_type", String(32), nullable=True),
    Column("title", Text, nullable=False),
    Column("updated_at", String(20), nullable=True),
    Column("full_record", JSON(none_as_null=True), nullable=True),
    Column("fetched_at", String(20), nullable=True),
    *(Column(name, column_type(f), nullable=True) for name, f in DIGEST_FIELD_COLUMNS),
    Column("extra", JSON(none_as_null=True), nullable=True),
    sqlite_with_rowid=False,
)
