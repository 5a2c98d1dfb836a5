"""The pull as it was before pull_heads (every bucket's statements built per request): the pages it must match.

Changed twice since, on purpose: others' catalog copies leave out rows under pending proposals and send rejected
institutions and their rows as tombstones (`_others_visible`, `withdraw`; #13 item 8), and a row with a second
governing institution (a match record: its achievement's, `second_scope_id`) is in that institution's inst: bucket
too and in no other bucket of its specialists (#15 item 3), exactly as market_server.pull.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    LargeBinary,
    Table,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by

from market_server.pull import PUBLIC_VIEWER, _masked_copy
from market_server.row_json import VIEWER, cached_change_json, maskable_names, needs_masking, withdrawn
from market_server.scope import UserScope, load_scope
from market_server.tables import ENTITY_TABLES
from sync.entities import DEPENDENCY_ORDER, ENTITIES, Entity
from sync.fields import utc_now
from sync.protocol import CATALOG_BUCKET, INSTITUTION_BUCKET_PREFIX, OWN_BUCKET, PullRequest, institution_bucket


@dataclass(frozen=True)
class _Bucket:
    name: str
    masked: bool  # whether confidential fields are left out (catalog copies for other people's rows)

    def filter(self, scope: UserScope, entity: Entity, table: Table) -> ColumnElement[bool] | None:
        """Rows of `entity` in this bucket for this user, or None when the bucket holds none of them."""
        full = sorted(scope.full_scopes())
        scopes = [table.c.scope_id, *([table.c.second_scope_id] if entity.second_institution_path else [])]
        outside_full = and_(*(or_(c.is_(None), not_(c.in_(full))) for c in scopes)) if full else true()
        if self.name.startswith(INSTITUTION_BUCKET_PREFIX):
            return or_(*(c == self.name[len(INSTITUTION_BUCKET_PREFIX):] for c in scopes))
        if self.name == CATALOG_BUCKET:
            if not entity.in_catalog:
                return None
            return and_(true() if scope.is_admin else _others_visible(entity, table), outside_full)
        # own: what the user created that no other bucket gives them in full.
        if entity.in_catalog and entity.name != "institution":
            return None
        not_catalog = true() if entity.name != "institution" else (
            false() if scope.is_admin else or_(table.c.status.is_(None), table.c.status != "active"))
        return and_(table.c.created_by == scope.username, outside_full, not_catalog)


def _others_visible(entity: Entity, table: Table) -> ColumnElement[bool]:
    """#13 item 8: nothing under a pending proposal; institutions active or rejected (the latter as tombstones)."""
    if entity.name == "institution":
        return or_(table.c.status == "active", table.c.status == "rejected")
    if entity.institution_path is None:
        return true()
    governing = ENTITY_TABLES["institution"].alias("governing")
    pending = select(governing.c.id).where(governing.c.id == table.c.scope_id, governing.c.status == "pending")
    return not_(pending.exists())


def buckets_for(scope: UserScope) -> list[_Bucket]:
    inst = [_Bucket(institution_bucket(i), False) for i in sorted(scope.full_scopes())]
    return [*inst, _Bucket(OWN_BUCKET, False), _Bucket(CATALOG_BUCKET, not scope.is_admin)]


def reference_pull_body(engine: Engine, scope_user: Any, request: PullRequest) -> bytes:
    """market_server.pull.pull_body as of commit 173cce9."""
    with engine.connect() as conn:
        if request.view == "public":
            scope, buckets = UserScope(PUBLIC_VIEWER), [_Bucket(CATALOG_BUCKET, True)]
        else:
            scope = load_scope(conn, scope_user)
            buckets = buckets_for(scope)
        parts: list[bytes] = []
        count = 0
        cursors = {b.name: max(0, int(request.cursors.get(b.name, 0))) for b in buckets}
        has_more = False
        for bucket in buckets:
            remaining = request.limit - count
            if remaining <= 0:
                has_more = True
                break
            page, in_page, cursor, more = _bucket_page(conn, scope, bucket, cursors[bucket.name], remaining)
            parts.extend(page)
            count += in_page
            cursors[bucket.name] = cursor
            has_more = has_more or more
    rest = orjson.dumps({
        "cursors": cursors, "buckets": [b.name for b in buckets], "has_more": has_more, "server_time": utc_now(),
    })
    pieces = [b'{"changes":[']
    for part in parts:
        pieces += (part, b",")
    if parts:
        pieces.pop()  # the last comma
    return b"".join([*pieces, b"],", rest[1:]])  # one copy of the page's text


def _bucket_page(
    conn: Connection, scope: UserScope, bucket: _Bucket, cursor: int, limit: int
) -> tuple[list[bytes], int, int, bool]:
    """(each table's changes as one JSON fragment, how many, new cursor, more to come) for one bucket; at most
    about `limit` changes."""
    filters: dict[str, ColumnElement[bool]] = {}
    for name, entity in ENTITIES.items():
        table = ENTITY_TABLES[name]
        where = bucket.filter(scope, entity, table)
        if where is not None:
            filters[name] = and_(where, table.c.version > cursor)
    # Pass 1, versions only (index scans, counted in the database): where this page ends across all tables.
    if not filters:
        return [], 0, cursor, False
    heads = [select(ENTITY_TABLES[name].c.version.label("v")).where(where).order_by(ENTITY_TABLES[name].c.version)
             .limit(limit + 1).subquery() for name, where in filters.items()]
    merged = union_all(*[select(head.c.v) for head in heads]).subquery()
    first = select(merged.c.v, func.row_number().over(order_by=merged.c.v).label("n")).order_by(merged.c.v) \
        .limit(limit + 1).subquery()
    found, last = conn.execute(select(func.count(), func.max(case((first.c.n <= limit, first.c.v))))).one()
    if not found:
        return [], 0, cursor, False
    more = found > limit
    cutoff = int(last)
    # Pass 2: the rows up to the cutoff, each table's rows joined into one JSON text by the database.
    page: list[bytes] = []
    for name in DEPENDENCY_ORDER:
        if name in filters:
            table = ENTITY_TABLES[name]
            text = _table_rows(conn, scope, bucket, name, and_(filters[name], table.c.version <= cutoff))
            if text:
                page.append(text)
    return page, min(found, limit), cutoff, more


def _table_rows(conn: Connection, scope: UserScope, bucket: _Bucket, entity: str, where: ColumnElement[bool]) -> bytes:
    """One table's changes for the page as one comma-separated JSON text (b"" for none), in version order
    (on PostgreSQL, masked copies follow the rest: see `_masked_rows_postgres`)."""
    table = ENTITY_TABLES[entity]
    dialect = conn.dialect.name
    masked_here = dialect == "sqlite" and bucket.masked
    withdraw = bucket.name == CATALOG_BUCKET and not scope.is_admin  # #13 item 8: rejected scopes as tombstones
    if dialect != "sqlite" and bucket.masked and maskable_names(ENTITIES[entity]):
        edit = and_(needs_masking(table), table.c.deleted.is_not(True))
        if withdraw:
            edit = and_(edit, not_(withdrawn(ENTITIES[entity], table)))
        plain = _joined(conn, scope, entity, False, and_(where, not_(edit)), withdraw)
        return b",".join(p for p in (plain, _masked_rows_postgres(conn, scope, entity, and_(where, edit))) if p)
    return _joined(conn, scope, entity, masked_here, where, withdraw)


def _joined(conn: Connection, scope: UserScope, entity: str, masked: bool, where: ColumnElement[bool],
            withdraw: bool) -> bytes:
    table = ENTITY_TABLES[entity]
    change = cached_change_json(conn.dialect.name, entity, table, masked, withdraw).label("change")
    rows = select(change, table.c.version).where(where).order_by(table.c.version).subquery()
    if conn.dialect.name == "sqlite":  # as a blob: the UTF-8 bytes as stored, no decoding to str and back
        joined: ColumnElement[Any] = cast(func.group_concat(rows.c.change, ","), LargeBinary)
    else:
        joined = func.string_agg(rows.c.change, aggregate_order_by(literal(","), rows.c.version))
    text = conn.execute(select(joined), {VIEWER: scope.username}).scalar()
    return b"" if text is None else text if isinstance(text, bytes) else text.encode()


def _masked_rows_postgres(conn: Connection, scope: UserScope, entity: str, where: ColumnElement[bool]) -> bytes:
    """PostgreSQL rewrites a masked row's fields slowly (json_each + json_object_agg: +0.8 s of database CPU per
    100,000 rows at 20 % confidential, more than decoding and editing them here)."""
    table = ENTITY_TABLES[entity]
    change = cached_change_json(conn.dialect.name, entity, table).label("change")
    found = conn.execute(select(change).where(where).order_by(table.c.version), {VIEWER: scope.username}).scalars()
    return b",".join(orjson.dumps(_masked_copy(orjson.loads(text))) for text in found)
