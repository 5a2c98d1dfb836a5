"""Pull: pages of row changes per bucket (catalog, inst:<id>, own), ordered by version, authorised per row."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Table, and_, false, not_, or_, select, true

from market_server.scope import UserScope, load_scope
from market_server.tables import ENTITY_TABLES
from sync.entities import ENTITIES, Entity
from sync.fields import utc_now
from sync.protocol import CATALOG_BUCKET, INSTITUTION_BUCKET_PREFIX, OWN_BUCKET, PullRequest, institution_bucket

_BOOKKEEPING = ("id", "version", "deleted", "scope_id", "created_by", "updated_by", "updated_at")


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
    # Pass 2: the rows up to the cutoff, merged in version order.
    streams = []
    for name, where in filters.items():
        table = ENTITY_TABLES[name]
        entity = ENTITIES[name]
        cols = [table.c[c] for c in (*_BOOKKEEPING, *entity.field_names())]
        rows = conn.execute(select(*cols).where(where, table.c.version <= cutoff).order_by(table.c.version)).all()
        if rows:
            streams.append(_encode(scope, bucket, entity, rows))
    page = list(heapq.merge(*streams, key=lambda change: change["version"]))
    return page, cutoff, more


def _encode(scope: UserScope, bucket: _Bucket, entity: Entity, rows: Iterable[Any]) -> list[dict[str, Any]]:
    names = entity.field_names()
    offset = len(_BOOKKEEPING)
    maskable = {f.name for f in entity.fields if f.can_be_confidential}
    out = []
    for row in rows:
        change: dict[str, Any] = {
            "entity": entity.name, "id": row[0], "version": row[1], "deleted": bool(row[2]), "scope": row[3],
            "updated_by": row[5], "updated_at": row[6],
        }
        if row[2]:
            change["fields"], change["masked"] = {}, []
        else:
            fields = dict(zip(names, row[offset:], strict=True))
            masked: list[str] = []
            if bucket.masked and maskable and row[4] != scope.username:
                masked = [n for n in (fields.get("confidential_fields") or []) if n in maskable]
                for name in masked:
                    del fields[name]
            change["fields"], change["masked"] = fields, masked
        out.append(change)
    return out
