"""The records tables' gateway for sync work: whole rows by id as canonical values, upserts and deletes (raw SQL:
the pull's hot path)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, update

from specialist_app.store.chunks import chunks, marks
from specialist_app.store.tables import ENTITY_TABLES
from sync.entities import ENTITIES, Entity
from sync.fields import Kind, utc_now


@cache
def field_names(entity: str) -> tuple[str, ...]:
    """The entity's fields that the local table has, in table order."""
    table = ENTITY_TABLES[entity]
    return tuple(f.name for f in ENTITIES[entity].fields if f.name in table.c)


@cache
def json_fields(entity: str) -> frozenset[str]:
    """Fields stored as JSON text (lists)."""
    return frozenset(f.name for f in ENTITIES[entity].fields if f.is_list())


@cache
def bool_fields(entity: str) -> frozenset[str]:
    return frozenset(f.name for f in ENTITIES[entity].fields if f.kind is Kind.BOOL)


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # built once: bulk writes encode a lot


def dump_json(value: Any) -> str | None:
    """A value as stored in a JSON text column (compact, Chinese kept as is); None stays NULL."""
    return None if value is None else _JSON.encode(value)


def load_rows(conn: Connection, entity: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Local rows by id, as canonical values (JSON fields decoded), including sync columns."""
    names = field_names(entity)
    as_json = json_fields(entity)
    as_bool = bool_fields(entity)
    cols = ", ".join(["id", *names, "server_version", "base_version", "updated_at", "deleted", "masked"])
    found: dict[str, dict[str, Any]] = {}
    for chunk in chunks(list(ids)):
        result = conn.exec_driver_sql(f"SELECT {cols} FROM {entity} WHERE id IN ({marks(len(chunk))})", tuple(chunk))
        for raw in result:
            row = dict(zip(("id", *names, "server_version", "base_version", "updated_at", "deleted", "masked"), raw,
                           strict=True))
            for name in as_json:
                if isinstance(row.get(name), str):
                    row[name] = json.loads(row[name])
            for name in as_bool:
                if row.get(name) is not None:
                    row[name] = bool(row[name])
            row["deleted"] = bool(row["deleted"])
            if isinstance(row["masked"], str):
                row["masked"] = json.loads(row["masked"])
            found[str(row["id"])] = row
    return found


def upsert_rows(conn: Connection, entity: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert or replace whole rows (canonical values plus server_version, base_version, updated_at, masked)."""
    if not rows:
        return
    names = field_names(entity)
    as_json = json_fields(entity)
    cols = ["id", *names, "server_version", "base_version", "updated_at", "deleted", "masked"]
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols[1:])
    sql = (
        f"INSERT INTO {entity} ({', '.join(cols)}) VALUES ({marks(len(cols))})"
        f" ON CONFLICT(id) DO UPDATE SET {updates}"
    )
    params = []
    for row in rows:
        values: list[Any] = [row["id"]]
        for name in names:
            value = row.get(name)
            values.append(dump_json(value) if name in as_json else value)
        masked = row.get("masked")
        values.extend(
            (row.get("server_version"), row.get("base_version"), row.get("updated_at") or utc_now(),
             1 if row.get("deleted") else 0, dump_json(masked) if masked else None)
        )
        params.append(tuple(values))
    conn.exec_driver_sql(sql, params)


def delete_rows(conn: Connection, entity: str, ids: Sequence[str]) -> None:
    for chunk in chunks(list(ids)):
        conn.exec_driver_sql(f"DELETE FROM {entity} WHERE id IN ({marks(len(chunk))})", tuple(chunk))


def set_base_version(conn: Connection, entity: str, row_id: str, version: int | None) -> None:
    """The server version the row's unsent edits started from (None: nothing unsent)."""
    conn.exec_driver_sql(f"UPDATE {entity} SET base_version = ? WHERE id = ?", (version, row_id))


def raise_server_versions(conn: Connection, entity: str, versions: Sequence[tuple[str, int]]) -> None:
    """(row id, version) the server gave a change: the row's server_version, unless it already holds a newer one."""
    if versions:
        conn.exec_driver_sql(
            f"UPDATE {entity} SET server_version = ? WHERE id = ? AND (server_version IS NULL OR server_version < ?)",
            [(version, row_id, version) for row_id, version in versions],
        )


def clear_base_versions(conn: Connection, entity: str, row_ids: Sequence[str]) -> None:
    """These rows have no unsent edit left, unless the outbox still names them."""
    if row_ids:
        conn.exec_driver_sql(
            f"UPDATE {entity} SET base_version = NULL WHERE id = ?"
            " AND NOT EXISTS (SELECT 1 FROM outbox WHERE entity = ? AND row_id = ?)",
            [(row_id, entity, row_id) for row_id in row_ids],
        )


def insert_created(conn: Connection, ent: Entity, values: Sequence[Mapping[str, Any]], ids: Sequence[str], at: str,
                   masked: Sequence[Sequence[str]] | None = None) -> None:
    """New local rows (not yet on the server): plain DB-API executemany with JSON encoded here, several times
    faster than per-row SQLAlchemy binding (an import of thousands of rows)."""
    names = ent.field_names()
    lists = {f.name for f in ent.fields if f.is_list()}
    columns = ["id", *names, "server_version", "base_version", "updated_at", "deleted", "masked"]
    params = []
    for i, (row, row_id) in enumerate(zip(values, ids, strict=True)):
        cells = [dump_json(row.get(n)) if n in lists else row.get(n) for n in names]
        hidden = sorted(masked[i]) if masked and masked[i] else None
        params.append((row_id, *cells, None, None, at, False, dump_json(hidden) if hidden else None))
    conn.exec_driver_sql(f"INSERT INTO {ent.name} ({', '.join(columns)}) VALUES ({marks(len(columns))})", params)


def update_fields(conn: Connection, entity: str, row_id: str, changed: Mapping[str, Any], at: str) -> None:
    """A local edit of these fields (canonical values)."""
    table = ENTITY_TABLES[entity]
    conn.execute(update(table).where(table.c.id == row_id).values(**changed, updated_at=at))


def tombstone(conn: Connection, entity: str, row_id: str, at: str) -> None:
    """Deleted here, kept as a tombstone until the server has the delete."""
    conn.exec_driver_sql(f"UPDATE {entity} SET deleted = 1, updated_at = ? WHERE id = ?", (at, row_id))
