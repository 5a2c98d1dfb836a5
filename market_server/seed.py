"""Bulk loading of canonical records (demo data, imports): many rows per statement (COPY on PostgreSQL),
versions in blocks."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from psycopg import sql
from sqlalchemy import JSON, Connection, Table, insert, select

from market_server import versions
from market_server.tables import ENTITY_TABLES, SECOND_SCOPE
from sync.entities import DEPENDENCY_ORDER, ENTITIES, Entity
from sync.fields import utc_now

BATCH = 2000
# Row ids -> scope kept for children's lookups; past this many the map is emptied after a flush (the rows are in
# the database then, where a child's lookup finds its parent), so a million achievements do not stay in memory.
SCOPE_CACHE = 100_000


class BulkLoader:
    """Inserts records given parents first; resolves each row's governing institution on the way."""

    def __init__(self, conn: Connection, user: str, *, use_copy: bool | None = None) -> None:
        self.conn = conn
        self.user = user
        # COPY on PostgreSQL unless told otherwise (bench/seed_load_bench.py compares); INSERT statements elsewhere.
        self.use_copy = conn.dialect.name == "postgresql" if use_copy is None else use_copy
        self.now = utc_now()
        self.scopes: dict[str, str | None] = {}  # row id -> scope, for rows loaded in this run
        self.pending: dict[str, list[dict[str, Any]]] = {}
        self.count = 0
        self.waiting = 0

    def add(self, entity_name: str, record: dict[str, Any]) -> None:
        entity = ENTITIES[entity_name]
        row_id = str(record["id"])
        values = {f.name: record.get(f.name) for f in entity.fields}
        scope = self._scope(entity, row_id, values, entity.institution_path)
        self.scopes[row_id] = scope
        second = {SECOND_SCOPE: self._scope(entity, row_id, values, entity.second_institution_path)} \
            if entity.second_institution_path else {}
        self.pending.setdefault(entity_name, []).append({
            "id": row_id, **values, "deleted": False, "scope_id": scope, **second,
            "created_by": _author(record) or self.user, "created_at": self.now,
            "updated_by": self.user, "updated_at": self.now,
        })
        self.waiting += 1
        if self.waiting >= BATCH:
            self.finish()

    def _scope(self, entity: Entity, row_id: str, values: dict[str, Any],
               path: tuple[str, ...] | None) -> str | None:
        """The institution `path` (one of the entity's governing paths) reaches from the row."""
        if path is None:
            return None
        if path == ():
            return row_id
        if len(path) == 1:
            ref = values.get(path[0])
            return str(ref) if ref else None
        parent_id = values.get(path[0])
        if parent_id is None:
            return None
        parent = str(entity.field(path[0]).ref or entity.parent_name(values))
        if ENTITIES[parent].is_scope_root:  # an attachment of an institution
            return str(parent_id)
        if parent_id in self.scopes:
            return self.scopes[str(parent_id)]
        table = ENTITY_TABLES[parent]
        found = self.conn.execute(select(table.c.scope_id).where(table.c.id == str(parent_id))).scalar()
        return str(found) if found else None

    def _flush(self, entity_name: str) -> None:
        batch = self.pending.pop(entity_name, [])
        if not batch:
            return
        first = versions.allocate(self.conn, len(batch))
        for offset, row in enumerate(batch):
            row["version"] = first + offset
        table = ENTITY_TABLES[entity_name]
        if self.use_copy:
            _copy(self.conn, table, batch)
        else:
            self.conn.execute(insert(table), batch)
        self.count += len(batch)

    def finish(self) -> int:
        """Write what is waiting, parents' tables first so parents get the lower versions."""
        for name in DEPENDENCY_ORDER:
            self._flush(name)
        self.waiting = 0
        if len(self.scopes) > SCOPE_CACHE:
            self.scopes.clear()
        return self.count


def _copy(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Write rows with PostgreSQL's COPY on the connection's own transaction (a few times faster than INSERT
    statements); JSON values are serialised as the INSERT path's JSON type does (json.dumps; None as JSON null)."""
    columns = [c.name for c in table.columns]
    is_json = [isinstance(c.type, JSON) for c in table.columns]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([
                json.dumps(value) if as_json else value
                for value, as_json in zip((row[c] for c in columns), is_json, strict=True)
            ])


def _author(record: dict[str, Any]) -> str | None:
    """Who wrote a record, when the record says so (collected_by, a visit's first specialist)."""
    specialists = record.get("specialists")
    author = record.get("collected_by") or (specialists[0] if isinstance(specialists, list) and specialists else None)
    return str(author) if author else None


def load_records(
    conn: Connection, records: Iterable[tuple[str, dict[str, Any]]], user: str, *, use_copy: bool | None = None
) -> int:
    """Insert (entity, canonical record) pairs, parents first; returns the number of rows written."""
    loader = BulkLoader(conn, user, use_copy=use_copy)
    for entity_name, record in records:
        loader.add(entity_name, record)
    return loader.finish()
