"""One push chunk's transaction: versions, one timestamp, rows read up front, scope lookups and inserts batched."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, insert, select

from market_server import rows, versions
from market_server.scope import ScopeError, governing_institution, second_governing_institution
from market_server.tables import ENTITY_TABLES, SECOND_SCOPE
from sync.entities import ENTITIES, Entity
from sync.fields import utc_now
from sync.messages import Problem, render
from sync.protocol import Mutation

_LOAD_MANY = {name: select(t).where(t.c.id.in_(bindparam("ids", expanding=True))) for name, t in ENTITY_TABLES.items()}
_INSERT = {name: insert(t) for name, t in ENTITY_TABLES.items()}


class _Versions(versions.VersionBlock):
    """Versions reserved a chunk's worth at a time (one counter update for most chunks)."""

    def __init__(self, conn: Connection, block: int) -> None:
        self.BLOCK = max(block, 1)
        super().__init__(conn)


class Rejected(Exception):
    """Ends one mutation with outcome rejected; nothing of it is written."""

    def __init__(self, reason: str, problems: list[Problem] | None = None, message: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or []
        self.message = message or (self.problems[0].message("zh_CN") if self.problems else reason)


def looks_like_uuid(value: str) -> bool:
    parts = value.split("-")
    return [len(p) for p in parts] == [8, 4, 4, 4, 12] and all(c in "0123456789abcdef-" for c in value)


def scope_of(conn: Connection, entity: Entity, row_id: str, values: dict[str, Any]) -> str | None:
    try:
        return governing_institution(conn, entity, row_id, values)
    except ScopeError as err:
        raise Rejected("not_found", message=render("not_found") + f" ({err})") from None


class ChunkTx:
    """The transaction of one chunk of mutations, with the reads and writes its mutations share.

    - The chunk's rows are read with one query per entity up front; a prefetched row serves the first mutation
      of that row only (later ones read it again, after their predecessors' writes).
    - Governing institutions are looked up once per parent, until a mutation writes an existing row (which
      may be a parent, or move one).
    - New rows are inserted together (executemany), before any statement that could read them and at the end.
    """

    def __init__(self, conn: Connection, size: int) -> None:
        self.conn = conn
        self.version = _Versions(conn, size)  # first: takes the writers' lock (see versions.allocate)
        self.now = utc_now()
        self._rows: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._scopes: dict[tuple[str, ...], str | None] = {}
        self._inserts: dict[str, list[dict[str, Any]]] = {}

    def prefetch(self, chunk: list[Mutation]) -> None:
        wanted: dict[str, list[str]] = {}
        for mutation in chunk:
            row_id = mutation.id.strip().lower()
            if mutation.entity in ENTITIES and looks_like_uuid(row_id):
                wanted.setdefault(mutation.entity, []).append(row_id)
        for name, ids in wanted.items():
            found = {str(r.id): dict(r._mapping) for r in self.conn.execute(_LOAD_MANY[name], {"ids": ids})}
            self._rows.update(((name, row_id), found.get(row_id)) for row_id in ids)

    def load(self, entity: Entity, row_id: str) -> dict[str, Any] | None:
        """The stored row, tombstones included, or None."""
        key = (entity.name, row_id)
        if key in self._rows:
            return self._rows.pop(key)
        self.flush()
        return rows.load(self.conn, entity, row_id)

    def scope_of(self, entity: Entity, row_id: str, values: dict[str, Any]) -> str | None:
        """The governing institution (Rejected not_found when a parent is missing)."""
        path = entity.institution_path
        if not path:  # nothing to look up: no scope, or the row is an institution
            return scope_of(self.conn, entity, row_id, values)
        # governing_institution reads only the row these fields name (a parent or an institution).
        key = (entity.name, *(str(values.get(n)) for n in (path[0], entity.parent_field, "owner_entity") if n))
        if key not in self._scopes:
            self.flush()
            self._scopes[key] = scope_of(self.conn, entity, row_id, values)
        return self._scopes[key]

    def second_scope_of(self, entity: Entity, values: dict[str, Any]) -> str | None:
        """The second governing institution (Entity.second_institution_path), None when there is none."""
        if not entity.second_institution_path:
            return None
        self.flush()
        return second_governing_institution(self.conn, entity, values)

    def insert(self, entity: Entity, row_id: str, values: dict[str, Any], *, version: int, scope_id: str | None,
               user: str, second_scope_id: str | None = None) -> None:
        """A new row (the same columns as rows.insert_row), written at the next flush."""
        second = {SECOND_SCOPE: second_scope_id} if entity.second_institution_path else {}
        self._inserts.setdefault(entity.name, []).append({
            **{f.name: None for f in entity.fields}, **values, "id": row_id, "version": version, "deleted": False,
            "scope_id": scope_id, **second, "created_by": user, "created_at": self.now, "updated_by": user,
            "updated_at": self.now,
        })

    def flush(self) -> None:
        for name, params in self._inserts.items():
            self.conn.execute(_INSERT[name], params)
        self._inserts.clear()

    def wrote_existing(self) -> None:
        """An existing row was written: a parent looked up before may have changed."""
        self._scopes.clear()

    def wrote_others(self) -> None:
        """Rows other than the mutation's own are about to be written (children moved): forget what was read."""
        self.flush()
        self._rows.clear()
        self._scopes.clear()
