"""A pushed row's second governing institution, the rows that follow a record moved to another institution, and an
institution moved to another province."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from market_server import rows, versions
from market_server.push_tx import ChunkTx
from market_server.tables import ENTITY_TABLES, SECOND_SCOPE
from sync.digests import province_of
from sync.entities import ENTITIES, Entity


def second_scope(tx: ChunkTx, entity: Entity, current: dict[str, Any], changed: dict[str, Any]) -> str | None:
    """The row's second governing institution after `changed`: resolved when its path's field is set (it is set
    once), else the stored one (it follows that record to another institution: _rescope_children)."""
    path = entity.second_institution_path
    if not path:
        return None
    if path[0] in changed:
        return tx.second_scope_of(entity, {**rows.field_values(entity, current), **changed})
    stored = current.get(SECOND_SCOPE)
    return str(stored) if stored is not None else None


def second_column(entity: Entity, second: str | None) -> dict[str, str | None]:
    return {SECOND_SCOPE: second} if entity.second_institution_path else {}


def rescope_children(tx: ChunkTx, entity: Entity, row_id: str, new_scope: str | None) -> None:
    """Children follow their parent to another institution, and rows whose second_institution_path passes through
    it their second scope, with new versions so buckets re-send them."""
    conn = tx.conn
    tx.wrote_others()
    for child in ENTITIES.values():
        second = child.second_institution_path
        if second and len(second) > 1 and child.field(second[0]).ref == entity.name:
            _move(conn, ENTITY_TABLES[child.name], second[0], row_id, {SECOND_SCOPE: new_scope})
        if child.parent_field is None or child.institution_path is None or len(child.institution_path) < 2:
            continue
        if child.owner_field is None and child.field(child.parent_field).ref != entity.name:
            continue
        _move(conn, ENTITY_TABLES[child.name], child.parent_field, row_id, {"scope_id": new_scope})


def _move(conn: Connection, table: Any, through: str, row_id: str, scope: dict[str, str | None]) -> None:
    """Rows whose `through` field names `row_id` get `scope` and new versions."""
    ids = list(conn.execute(select(table.c.id).where(table.c[through] == row_id)).scalars())
    if ids:
        first = versions.allocate(conn, len(ids))
        for offset, child_id in enumerate(ids):
            conn.execute(update(table).where(table.c.id == child_id).values(**scope, version=first + offset))


def changes_province(entity: Entity, theirs: dict[str, Any], applied: dict[str, Any]) -> bool:
    """An institution's region moved to another province (or to or from none)."""
    return (entity.is_scope_root and "region_code" in applied
            and province_of(applied["region_code"]) != province_of(theirs.get("region_code")))
