"""Reading and writing entity rows with Core statements (no ORM objects on the sync paths)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from market_server.tables import ENTITY_TABLES
from sync.entities import Entity

_LOAD = {name: select(t).where(t.c.id == bindparam("row_id")) for name, t in ENTITY_TABLES.items()}
_INSERT = {name: insert(t) for name, t in ENTITY_TABLES.items()}


def load(conn: Connection, entity: Entity, row_id: str) -> dict[str, Any] | None:
    """The stored row (fields and bookkeeping columns), tombstones included, or None."""
    row = conn.execute(_LOAD[entity.name], {"row_id": row_id}).first()
    return dict(row._mapping) if row else None


def field_values(entity: Entity, row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: row.get(name) for name in entity.field_names()}


def insert_row(
    conn: Connection, entity: Entity, row_id: str, values: Mapping[str, Any], *,
    version: int, scope_id: str | None, user: str, now: str,
) -> None:
    conn.execute(_INSERT[entity.name], {
        **{f.name: None for f in entity.fields}, **values, "id": row_id, "version": version, "deleted": False,
        "scope_id": scope_id, "created_by": user, "created_at": now, "updated_by": user, "updated_at": now,
    })


def update_row(
    conn: Connection, entity: Entity, row_id: str, values: Mapping[str, Any], *,
    version: int, user: str, now: str, **bookkeeping: Any,
) -> None:
    table = ENTITY_TABLES[entity.name]
    conn.execute(update(table).where(table.c.id == row_id).values(
        **values, **bookkeeping, version=version, updated_by=user, updated_at=now,
    ))
