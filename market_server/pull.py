"""Pull: pages of row changes per bucket (catalog, inst:<id>, own), ordered by version, authorised per row."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    LargeBinary,
    Select,
    and_,
    bindparam,
    cast,
    func,
    literal,
    not_,
    select,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by

from market_server.accounts import User
from market_server.pull_heads import (
    CATALOG,
    CURSOR,
    CUTOFF,
    INST,
    LIMIT,
    LIMIT_PLUS_ONE,
    OWN,
    Shape,
    bucket_where,
    fresh_institutions,
    heads,
    params,
    remaining,
    withdrawing,
)
from market_server.pull_marks import Marks, current, marks_for
from market_server.row_json import (
    MASKABLE,
    VIEWER,
    cached_change_json,
    maskable_names,
    needs_masking,
    withdrawn,
)
from market_server.scope import UserScope, load_scope
from market_server.tables import ENTITY_TABLES
from sync.entities import DEPENDENCY_ORDER, ENTITIES
from sync.fields import utc_now
from sync.protocol import CATALOG_BUCKET, INSTITUTION_BUCKET_PREFIX, OWN_BUCKET, PullRequest, institution_bucket


@dataclass(frozen=True)
class _Bucket:
    name: str
    masked: bool  # whether confidential fields are left out (catalog copies for other people's rows)

    @property
    def kind(self) -> str:
        return INST if self.name.startswith(INSTITUTION_BUCKET_PREFIX) else OWN if self.name == OWN_BUCKET else CATALOG

    @property
    def scope_id(self) -> str | None:
        return self.name[len(INSTITUTION_BUCKET_PREFIX):] if self.kind == INST else None


def buckets_for(scope: UserScope) -> list[_Bucket]:
    inst = [_Bucket(institution_bucket(i), False) for i in sorted(scope.full_scopes())]
    return [*inst, _Bucket(OWN_BUCKET, False), _Bucket(CATALOG_BUCKET, not scope.is_admin)]


# The public view's reader: a specialist with no institutions whose name is no row's created_by (user names are
# printable, the catalog import's author has no line break), so every row is masked.
PUBLIC_VIEWER = User(0, "\npublic view\n", "specialist", None, False)


def pull_body(engine: Engine, scope_user: Any, request: PullRequest, province: str | None = None,
              known_scope: UserScope | None = None) -> bytes:
    """The next page for this user as PullResponse JSON, joined from the database's text (no per-row Python).

    `view="public"` (the caller checks it is an administrator's): only the catalog bucket, as PUBLIC_VIEWER sees it;
    with `request.province`, as PUBLIC_VIEWER would see it with that home province, taking digests.
    A specialist's pull with nothing new is answered from the high-water marks (pull_marks) without a page
    statement. Otherwise statements come built per bucket shape (pull_heads); inst: buckets with nothing above their
    cursor, found by one probe, cost none.

    `province` (a specialist who takes digests, sync/digests.py): the catalog bucket holds only rows of that home
    province (and ungoverned ones); once it has no more, its cursor moves up to the version counter as the marks
    read it, so changes elsewhere in the nation cost its nothing-new pulls a page statement once, not every time.

    `known_scope`: the user's scope as this request already read it (pull_probe), instead of reading it again.
    """
    with engine.connect() as conn:
        if request.view == "public":
            scope, buckets = UserScope(PUBLIC_VIEWER), [_Bucket(CATALOG_BUCKET, True)]
        else:
            scope = known_scope if known_scope is not None else load_scope(conn, scope_user)
            buckets = buckets_for(scope)
        parts: list[bytes] = []
        cursors = {b.name: max(0, int(request.cursors.get(b.name, 0))) for b in buckets}
        has_more = False
        if request.view == "public":  # a province's public view: a digest snapshot's catalog (administrators)
            province = request.province
        elif scope.is_admin:
            province = None
        # Read before any page statement: every version up to it is visible to them.
        through = current(conn, marks_for(engine)).through if province is not None else -1
        nothing = request.view != "public" and not scope.is_admin and _nothing_new(engine, conn, scope, buckets,
                                                                                   cursors, request.skip)
        total = _total(conn, scope, buckets, cursors, request.skip, province) \
            if request.count_total and not nothing else 0
        if not nothing:
            has_more = _pages(conn, scope, buckets, cursors, request, parts, province)
        if province is not None and CATALOG_BUCKET not in request.skip:
            _catch_up(cursors, through, has_more)
    return _page(parts, cursors, buckets, has_more, total if request.count_total else None)


def nothing_new_page(engine: Engine, scope: UserScope, request: PullRequest, counter: int,
                     province: str | None = None) -> bytes | None:
    """What pull_body answers to a specialist's pull when this instance's marks, current as of the version
    counter's value `counter`, prove that no bucket asked for has a row above its cursor: the empty page (its
    province catalog's cursor caught up to `counter`); None when they cannot (something new, an administrator's or
    the public view, marks not at `counter` or being brought up to date by another thread).

    Never waits and never reads the database: the caller read `scope` and `counter` (pull_probe)."""
    if request.view == "public" or scope.is_admin:
        return None
    buckets = buckets_for(scope)
    cursors = {b.name: max(0, int(request.cursors.get(b.name, 0))) for b in buckets}
    marks = marks_for(engine)
    if not marks.lock.acquire(blocking=False):
        return None
    try:
        if marks.through != counter or not _marks_say_nothing_new(marks, scope, buckets, cursors, request.skip):
            return None
    finally:
        marks.lock.release()
    if province is not None and CATALOG_BUCKET not in request.skip:
        _catch_up(cursors, counter, False)
    return _page([], cursors, buckets, False, 0 if request.count_total else None)


def _page(parts: list[bytes], cursors: dict[str, int], buckets: list[_Bucket], has_more: bool,
          total: int | None) -> bytes:
    rest = orjson.dumps({
        "cursors": cursors, "buckets": [b.name for b in buckets], "has_more": has_more, "server_time": utc_now(),
        **({"total": total} if total is not None else {}),
    })
    pieces = [b'{"changes":[']
    for part in parts:
        pieces += (part, b",")
    if parts:
        pieces.pop()  # the last comma
    return b"".join([*pieces, b"],", rest[1:]])  # one copy of the page's text


def _catch_up(cursors: dict[str, int], through: int, has_more: bool) -> None:
    """A province catalog with nothing more to page takes its cursor up to `through` (every version up to it was
    committed before this pull's statements read: docs/sync-protocol.md, "Versions")."""
    if not has_more and through > cursors.get(CATALOG_BUCKET, 0) and CATALOG_BUCKET in cursors:
        cursors[CATALOG_BUCKET] = through


def _nothing_new(engine: Engine, conn: Connection, scope: UserScope, buckets: list[_Bucket], cursors: dict[str, int],
                 skip: list[str]) -> bool:
    """Whether the high-water marks (pull_marks) prove that no bucket asked for has a row above its cursor: then
    the answer is the empty page without a page statement. Administrators' catalogs (every status) always page."""
    marks = current(conn, marks_for(engine))
    with marks.lock:
        return _marks_say_nothing_new(marks, scope, buckets, cursors, skip)


def _marks_say_nothing_new(marks: Marks, scope: UserScope, buckets: list[_Bucket], cursors: dict[str, int],
                           skip: list[str]) -> bool:
    """The marks' answer for the buckets asked for (the caller holds `marks.lock`)."""
    asked = [b for b in buckets if b.name not in skip]
    inst = {b.name: str(b.scope_id) for b in asked if b.kind == INST}
    own = next((b.name for b in asked if b.kind == OWN), None)
    catalog = next((b.name for b in asked if b.kind == CATALOG), None)
    return marks.nothing_new(scope.username, scope.full_scopes(), cursors, inst, own, catalog)


def _pages(conn: Connection, scope: UserScope, buckets: list[_Bucket], cursors: dict[str, int],
           request: PullRequest, parts: list[bytes], province: str | None = None) -> bool:
    """The page's changes appended to `parts`, `cursors` moved past them; whether more are waiting."""
    count = 0
    fresh = fresh_institutions(conn, {str(b.scope_id): cursors[b.name] for b in buckets if b.kind == INST})
    full = sorted(scope.full_scopes())
    has_more = False
    for bucket in buckets:
        if (bucket.kind == INST and bucket.scope_id not in fresh) or bucket.name in request.skip:
            continue  # nothing above its cursor, or not asked for now: the cursor stays
        remaining = request.limit - count
        if remaining <= 0:
            has_more = True
            break
        shape = _shape(bucket, scope, bool(full), province)
        bound = params(shape, scope.username, full, bucket.scope_id, province)
        page, in_page, cursor, more = _bucket_page(conn, scope, shape, bound, cursors[bucket.name], remaining)
        parts.extend(page)
        count += in_page
        cursors[bucket.name] = cursor
        has_more = has_more or more
    return has_more


def _shape(bucket: _Bucket, scope: UserScope, has_full: bool, province: str | None) -> Shape:
    return Shape(bucket.kind, scope.is_admin, has_full, bucket.masked, bucket.kind == CATALOG and province is not None)


def _total(conn: Connection, scope: UserScope, buckets: list[_Bucket], cursors: dict[str, int],
           skip: list[str], province: str | None = None) -> int:
    """Rows above `cursors` in the buckets asked for (the answer's `total`, when the request counts)."""
    fresh = fresh_institutions(conn, {str(b.scope_id): cursors[b.name] for b in buckets if b.kind == INST})
    full = sorted(scope.full_scopes())
    total = 0
    for bucket in buckets:
        if (bucket.kind == INST and bucket.scope_id not in fresh) or bucket.name in skip:
            continue
        shape = _shape(bucket, scope, bool(full), province)
        statement = remaining(shape)
        if statement is not None:
            values = {**params(shape, scope.username, full, bucket.scope_id, province), CURSOR: cursors[bucket.name]}
            total += int(conn.execute(statement, values).scalar() or 0)
    return total


def _bucket_page(
    conn: Connection, scope: UserScope, shape: Shape, bound: dict[str, Any], cursor: int, limit: int
) -> tuple[list[bytes], int, int, bool]:
    """(each table's changes as one JSON fragment, how many, new cursor, more to come) for one bucket; at most
    about `limit` changes."""
    counting = heads(shape)
    if counting is None:
        return [], 0, cursor, False
    statement, names = counting
    # Pass 1, versions only: where this page ends across all tables, and which tables have rows up to there.
    values = {**bound, CURSOR: cursor, LIMIT: limit, LIMIT_PLUS_ONE: limit + 1}
    counted = conn.execute(statement, values).all()
    found = sum(int(n) for _, n, _ in counted)
    if not found:
        return [], 0, cursor, False
    cutoff = max(int(last) for _, _, last in counted if last is not None)
    in_page = {names[int(t)] for t, _, last in counted if last is not None}
    # Pass 2: the rows up to the cutoff, each table's rows joined into one JSON text by the database.
    values |= {CUTOFF: cutoff, VIEWER: scope.username}
    dialect = conn.dialect.name
    page: list[bytes] = []
    for name in DEPENDENCY_ORDER:
        if name in in_page:
            joined, masked_postgres = _rows_statements(shape, dialect, name)
            texts = [_text(conn.execute(joined, values).scalar())]
            if masked_postgres is not None:
                texts.append(_masked_rows_postgres(conn, masked_postgres, values))
            text = b",".join(t for t in texts if t)
            if text:
                page.append(text)
    return page, min(found, limit), cutoff, found > limit


@functools.cache
def _rows_statements(shape: Shape, dialect: str, entity: str) -> tuple[Select[Any], Select[Any] | None]:
    """Pass 2 for one table: its page rows (above CURSOR, up to CUTOFF) as one comma-separated JSON text in
    version order, and on PostgreSQL for a masked bucket its rows to mask here (see `_masked_rows_postgres`),
    which follow the rest."""
    table, bucket_rows = ENTITY_TABLES[entity], bucket_where(shape, entity)
    assert bucket_rows is not None  # pass 1 only names entities the bucket holds
    where = and_(bucket_rows, table.c.version <= bindparam(CUTOFF))
    withdraw = withdrawing(shape)
    if dialect != "sqlite" and shape.masked and maskable_names(ENTITIES[entity]):
        edit = and_(needs_masking(table), table.c.deleted.is_not(True))
        if withdraw:
            edit = and_(edit, not_(withdrawn(ENTITIES[entity], table)))
        change = cached_change_json(dialect, entity, table).label("change")
        to_mask = select(change).where(and_(where, edit)).order_by(table.c.version)
        return _joined(dialect, entity, False, and_(where, not_(edit)), withdraw), to_mask
    return _joined(dialect, entity, dialect == "sqlite" and shape.masked, where, withdraw), None


def _joined(dialect: str, entity: str, masked: bool, where: ColumnElement[bool], withdraw: bool) -> Select[Any]:
    table = ENTITY_TABLES[entity]
    change = cached_change_json(dialect, entity, table, masked, withdraw).label("change")
    rows = select(change, table.c.version).where(where).order_by(table.c.version).subquery()
    if dialect == "sqlite":  # as a blob: the UTF-8 bytes as stored, no decoding to str and back
        joined: ColumnElement[Any] = cast(func.group_concat(rows.c.change, ","), LargeBinary)
    else:
        joined = func.string_agg(rows.c.change, aggregate_order_by(literal(","), rows.c.version))
    return select(joined)


def _text(value: bytes | str | None) -> bytes:
    return b"" if value is None else value if isinstance(value, bytes) else value.encode()


def _masked_rows_postgres(conn: Connection, statement: Select[Any], values: dict[str, Any]) -> bytes:
    """PostgreSQL rewrites a masked row's fields slowly (json_each + json_object_agg: +0.8 s of database CPU per
    100,000 rows at 20 % confidential, more than decoding and editing them here)."""
    found = conn.execute(statement, values).scalars()
    return b",".join(orjson.dumps(_masked_copy(orjson.loads(text))) for text in found)


def _masked_copy(change: dict[str, Any]) -> dict[str, Any]:
    fields = change["fields"]
    masked = [n for n in fields.get("confidential_fields") or [] if n in fields and n in MASKABLE]
    for name in masked:
        del fields[name]
    change["masked"] = masked
    return change
