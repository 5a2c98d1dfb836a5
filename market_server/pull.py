"""Pull: pages of row changes per bucket (catalog, inst:<id>, own), ordered by version, authorised per row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Table,
    Text,
    and_,
    cast,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by

from market_server.row_json import cached_change_json
from market_server.scope import UserScope, load_scope
from market_server.tables import ENTITY_TABLES
from sync.entities import DEPENDENCY_ORDER, ENTITIES, Entity
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
        changes: list[Any] = []
        count = 0
        cursors = {b.name: max(0, int(request.cursors.get(b.name, 0))) for b in buckets}
        has_more = False
        for bucket in buckets:
            remaining = request.limit - count
            if remaining <= 0:
                has_more = True
                break
            page, in_page, cursor, more = _bucket_page(conn, scope, bucket, cursors[bucket.name], remaining)
            changes.extend(page)
            count += in_page
            cursors[bucket.name] = cursor
            has_more = has_more or more
    return {
        "changes": changes, "cursors": cursors, "buckets": [b.name for b in buckets],
        "has_more": has_more, "server_time": utc_now(),
    }


def _bucket_page(
    conn: Connection, scope: UserScope, bucket: _Bucket, cursor: int, limit: int
) -> tuple[list[Any], int, int, bool]:
    """(changes, how many, new cursor, more to come) for one bucket; at most about `limit` changes."""
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
        return [], 0, cursor, False
    found.sort()
    more = len(found) > limit
    cutoff = found[limit - 1] if more else found[-1]
    # Pass 2: the rows up to the cutoff, each table's rows joined into one JSON text by the database.
    page: list[Any] = []
    for name in DEPENDENCY_ORDER:
        if name in filters:
            table = ENTITY_TABLES[name]
            where = and_(filters[name], table.c.version <= cutoff)
            page.extend(_table_rows(conn, scope, bucket, ENTITIES[name], where))
    return page, min(len(found), limit), cutoff, more


def _table_rows(
    conn: Connection, scope: UserScope, bucket: _Bucket, entity: Entity, where: ColumnElement[bool]
) -> list[Any]:
    """One table's changes for the page: plain rows as a single pre-serialised fragment (no per-row Python),
    tombstones and rows to mask decoded and edited one by one."""
    table = ENTITY_TABLES[entity.name]
    dialect = conn.dialect.name
    edit: ColumnElement[bool] = table.c.deleted.is_(True)
    if bucket.masked and any(f.can_be_confidential for f in entity.fields):
        confidential = cast(table.c.confidential_fields, Text)
        edit = or_(edit, and_(
            confidential.is_not(None), confidential.not_in(["null", "[]"]),
            or_(table.c.created_by.is_(None), table.c.created_by != scope.username),
        ))
    change = cached_change_json(dialect, entity.name, table).label("change")
    plain = select(change, table.c.version).where(where, not_(edit)).order_by(table.c.version).subquery()
    joined = (func.group_concat(plain.c.change, ",") if dialect == "sqlite"
              else func.string_agg(plain.c.change, aggregate_order_by(literal(","), plain.c.version)))
    text = conn.execute(select(joined)).scalar()
    out: list[Any] = [orjson.Fragment(text)] if text else []
    for deleted, row_text in conn.execute(
        select(table.c.deleted, change).where(where, edit).order_by(table.c.version)
    ):
        out.append(_edited(orjson.loads(row_text), bool(deleted)))
    return out


def _edited(change: dict[str, Any], deleted: bool) -> dict[str, Any]:
    if deleted:
        change["fields"], change["masked"] = {}, []
        return change
    fields = change["fields"]
    masked = [n for n in fields.get("confidential_fields") or [] if n in fields and n in _MASKABLE]
    for name in masked:
        del fields[name]
    change["masked"] = masked
    return change
