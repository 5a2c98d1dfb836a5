"""Pull: pages of row changes per bucket (catalog, inst:<id>, own), ordered by version, authorised per row."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Connection, Engine, Table, Text, and_, cast, false, not_, null, or_, select, true

from market_server.row_json import change_json
from market_server.scope import UserScope, load_scope
from market_server.tables import ENTITY_TABLES
from sync.entities import ENTITIES, Entity
from sync.fields import utc_now
from sync.protocol import CATALOG_BUCKET, INSTITUTION_BUCKET_PREFIX, OWN_BUCKET, PullRequest, institution_bucket

_MASKABLE = frozenset(f.name for e in ENTITIES.values() for f in e.fields if f.can_be_confidential)


@dataclass(frozen=True)
class _Bucket:
    name: str
    masked: bool  # whether confidential fields are left out (catalog copies for other people's rows)

    def filter(self, scope: UserScope, entity: Entity, table: Table) -> ColumnElement[bool] | None:
        """Rows of `entity` in this bucket for this user, or None when the bucket holds none of them."""
        full = sorted(scope.full_scopes())
        outside_full = or_(table.c.scope_id.is_(None), not_(table.c.scope_id.in_(full))) if full else true()
        if self.name.startswith(INSTITUTION_BUCKET_PREFIX):
            return table.c.scope_id == self.name[len(INSTITUTION_BUCKET_PREFIX):]
        if self.name == CATALOG_BUCKET:
            if not entity.in_catalog:
                return None
            visible = true() if scope.is_admin or entity.name != "institution" else table.c.status == "active"
            return and_(visible, outside_full)
        # own: what the user created that no other bucket gives them in full.
        if entity.in_catalog and entity.name != "institution":
            return None
        not_catalog = true() if entity.name != "institution" else (
            false() if scope.is_admin else or_(table.c.status.is_(None), table.c.status != "active"))
        return and_(table.c.created_by == scope.username, outside_full, not_catalog)


def buckets_for(scope: UserScope) -> list[_Bucket]:
    inst = [_Bucket(institution_bucket(i), False) for i in sorted(scope.full_scopes())]
    return [*inst, _Bucket(OWN_BUCKET, False), _Bucket(CATALOG_BUCKET, not scope.is_admin)]


def pull(engine: Engine, scope_user: Any, request: PullRequest) -> dict[str, Any]:
    """The next page for this user as a JSON-ready dict (a PullResponse), built without per-row models."""
    with engine.connect() as conn:
        scope = load_scope(conn, scope_user)
        buckets = buckets_for(scope)
        changes: list[dict[str, Any]] = []
        cursors = {b.name: max(0, int(request.cursors.get(b.name, 0))) for b in buckets}
        has_more = False
        for bucket in buckets:
            remaining = request.limit - len(changes)
            if remaining <= 0:
                has_more = True
                break
            page, cursor, more = _bucket_page(conn, scope, bucket, cursors[bucket.name], remaining)
            changes.extend(page)
            cursors[bucket.name] = cursor
            has_more = has_more or more
    return {
        "changes": changes, "cursors": cursors, "buckets": [b.name for b in buckets],
        "has_more": has_more, "server_time": utc_now(),
    }


def _bucket_page(
    conn: Connection, scope: UserScope, bucket: _Bucket, cursor: int, limit: int
) -> tuple[list[dict[str, Any]], int, bool]:
    filters: dict[str, ColumnElement[bool]] = {}
    for name, entity in ENTITIES.items():
        table = ENTITY_TABLES[name]
        where = bucket.filter(scope, entity, table)
        if where is not None:
            filters[name] = and_(where, table.c.version > cursor)
    # Pass 1, versions only (index scans): where this page ends across all tables.
    found: list[int] = []
    for name, where in filters.items():
        table = ENTITY_TABLES[name]
        found.extend(conn.execute(select(table.c.version).where(where).order_by(table.c.version).limit(limit + 1))
                     .scalars())
    if not found:
        return [], cursor, False
    found.sort()
    more = len(found) > limit
    cutoff = found[limit - 1] if more else found[-1]
    # Pass 2: the rows up to the cutoff as JSON built by the database, merged in version order.
    dialect = conn.dialect.name
    streams = []
    for name, where in filters.items():
        table = ENTITY_TABLES[name]
        entity = ENTITIES[name]
        maskable = bucket.masked and any(f.can_be_confidential for f in entity.fields)
        confidential = cast(table.c.confidential_fields, Text) if maskable else null()
        stmt = select(table.c.version, table.c.deleted, table.c.created_by, confidential,
                      change_json(dialect, entity, table))
        rows = conn.execute(stmt.where(where, table.c.version <= cutoff).order_by(table.c.version)).all()
        if rows:
            streams.append(_encode(scope, maskable, rows))
    page = [change for _, change in heapq.merge(*streams, key=lambda item: item[0])]
    return page, cutoff, more


def _encode(scope: UserScope, maskable: bool, rows: Iterable[Any]) -> list[tuple[int, Any]]:
    """(version, change) pairs; a change stays the database's JSON text unless it must be edited."""
    out: list[tuple[int, Any]] = []
    for version, deleted, created_by, confidential, text in rows:
        if deleted:
            change = orjson.loads(text)
            change["fields"], change["masked"] = {}, []
            out.append((version, change))
        elif maskable and confidential not in (None, "null", "[]") and created_by != scope.username:
            change = orjson.loads(text)
            fields = change["fields"]
            masked = [n for n in fields.get("confidential_fields") or [] if n in fields and n in _MASKABLE]
            for name in masked:
                del fields[name]
            change["masked"] = masked
            out.append((version, change))
        else:
            out.append((version, orjson.Fragment(text)))
    return out
