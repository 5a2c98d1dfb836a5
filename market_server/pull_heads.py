"""Pull's bucket statements, built once per bucket shape with the request's values as bind parameters."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Select,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    exists,
    false,
    func,
    literal_column,
    not_,
    or_,
    select,
    true,
    union_all,
)

from market_server.tables import ENTITY_TABLES, scope_columns
from sync.entities import ENTITIES, Entity

# Bind parameters of the cached statements (the pulling user's name for masking is row_json.VIEWER).
CURSOR, CUTOFF, LIMIT, LIMIT_PLUS_ONE = "cursor", "cutoff", "page_limit", "page_limit_plus_one"
SCOPE, CREATOR, FULL, HOME = "bucket_scope", "creator", "full_scopes", "home_province"

INST, OWN, CATALOG = "inst", "own", "catalog"
PROBE_CHUNK = 100  # institutions per probe statement (SQLite allows 500 terms in a compound SELECT)


@dataclass(frozen=True)
class Shape:
    """What a bucket's statements depend on besides the values bound per request."""

    kind: str  # INST, OWN or CATALOG
    is_admin: bool
    has_full: bool  # the user has inst: buckets, whose rows own and catalog leave out
    masked: bool  # confidential fields left out (catalog copies of other people's rows)
    province: bool = False  # a catalog of the user's home province (HOME); the rest comes as digests


def params(shape: Shape, username: str, full: list[str], scope_id: str | None,
           province: str | None = None) -> dict[str, Any]:
    """The bind parameters naming this bucket's rows (the cursor and limits are added per page)."""
    values: dict[str, Any] = {}
    if shape.kind == INST:
        values[SCOPE] = scope_id
    if shape.kind == OWN:
        values[CREATOR] = username
    if shape.has_full and shape.kind != INST:
        values[FULL] = full
    if shape.province:
        values[HOME] = province
    return values


@functools.cache
def bucket_where(shape: Shape, entity_name: str) -> ColumnElement[bool] | None:
    """Rows of the entity in a bucket of this shape above the CURSOR parameter, or None when it holds none.

    Same rules as docs/sync-protocol.md's bucket table: inst: every row the institution governs (first or second:
    Entity.second_institution_path); catalog: catalog entities (institutions only when active, unless an
    administrator) outside the user's inst: buckets; own: rows the user created that no other bucket gives them in
    full (neither governing institution is one of theirs). A change here must keep pull_marks' marks supersets of
    the buckets (docs/sync-protocol.md, "Nothing new"); tests/market_server/test_pull_marks.py checks it."""
    entity, table = ENTITIES[entity_name], ENTITY_TABLES[entity_name]
    scopes = scope_columns(table)  # a row with a second governing institution is in both institutions' buckets
    outside_full = and_(*(or_(c.is_(None), not_(c.in_(bindparam(FULL, expanding=True)))) for c in scopes)) \
        if shape.has_full else true()
    where: ColumnElement[bool]
    if shape.kind == INST:
        if len(scopes) > 1:  # one index range per column (ix_*_scope_version, ix_*_second_scope_version)
            return or_(*(and_(c == bindparam(SCOPE), table.c.version > bindparam(CURSOR)) for c in scopes))
        where = table.c.scope_id == bindparam(SCOPE)
    elif shape.kind == CATALOG:
        if not entity.in_catalog:
            return None
        where = and_(true() if shape.is_admin else catalog_visible_to_others(entity, table), outside_full)
        if shape.province:
            where = and_(where, in_home_province(table))
    else:
        if entity.in_catalog and not entity.is_scope_root:
            return None
        not_catalog = true() if not entity.is_scope_root else (
            false() if shape.is_admin else or_(table.c.status.is_(None), table.c.status != "active"))
        where = and_(table.c.created_by == bindparam(CREATOR), outside_full, not_catalog)
    return and_(where, table.c.version > bindparam(CURSOR))


def catalog_visible_to_others(entity: Entity, table: Table) -> ColumnElement[bool]:
    """Catalog rows a specialist gets of other people's institutions: none governed by a proposal still pending; an
    institution when active, or rejected (sent as a tombstone, row_json.withdrawn, to drop a copy held before)."""
    if entity.is_scope_root:
        return table.c.status.in_(["active", "rejected"])
    if entity.institution_path is None:
        return true()
    inst = ENTITY_TABLES["institution"].alias("governing")
    return not_(exists(select(inst.c.id).where(inst.c.id == table.c.scope_id, inst.c.status == "pending")))


def in_home_province(table: Table) -> ColumnElement[bool]:
    """Rows governed by no institution, or by one whose region is in the HOME province or unknown: the rest are
    digests (sync/digests.py, market_server/digests.py)."""
    inst = ENTITY_TABLES["institution"].alias("home")
    region = inst.c.region_code
    return or_(table.c.scope_id.is_(None), not_(exists(select(inst.c.id).where(
        inst.c.id == table.c.scope_id, region.is_not(None), func.length(region) >= 2,
        func.substr(region, 1, 2) != bindparam(HOME)))))


def withdrawing(shape: Shape) -> bool:
    """Whether the bucket sends rows under rejected institutions as tombstones (others' catalog copies)."""
    return shape.kind == CATALOG and not shape.is_admin


@functools.cache
def heads(shape: Shape) -> tuple[Select[Any], tuple[str, ...]] | None:
    """Pass 1 of a bucket's page (versions only, index scans, counted in the database), and the entities it
    covers; None when the bucket holds no entity.

    One row per entity with rows among the next LIMIT + 1 versions: (its index in the entities, how many of them,
    its highest version among the first LIMIT, NULL when none)."""
    wheres = {n: w for n in ENTITIES if (w := bucket_where(shape, n)) is not None}
    if not wheres:
        return None
    heads = []
    for index, (name, where) in enumerate(wheres.items()):
        table = ENTITY_TABLES[name]
        heads.append(select(table.c.version.label("v"), literal_column(str(index)).label("t"))
                     .where(where).order_by(table.c.version)
                     .limit(bindparam(LIMIT_PLUS_ONE)).subquery())
    merged = union_all(*[select(head.c.v, head.c.t) for head in heads]).subquery()
    first = select(merged.c.v, merged.c.t, func.row_number().over(order_by=merged.c.v).label("n")) \
        .order_by(merged.c.v).limit(bindparam(LIMIT_PLUS_ONE)).subquery()
    counted = select(first.c.t, func.count(), func.max(case((first.c.n <= bindparam(LIMIT), first.c.v)))) \
        .group_by(first.c.t)
    return counted, tuple(wheres)


@functools.cache
def remaining(shape: Shape) -> Select[Any] | None:
    """How many rows of a bucket of this shape lie above CURSOR (a pull's `total`, asked once per sync run):
    one index count per table, summed; None when the bucket holds no entity."""
    counts = [select(func.count().label("n")).select_from(ENTITY_TABLES[n]).where(w)
              for n in ENTITIES if (w := bucket_where(shape, n)) is not None]
    if not counts:
        return None
    merged = union_all(*counts).subquery()
    return select(func.coalesce(func.sum(merged.c.n), 0))


def fresh_institutions(conn: Connection, cursors: Mapping[str, int]) -> set[str]:
    """The institutions (of `cursors`: institution id -> its inst: bucket's cursor) that govern some row above
    their bucket's cursor: one index probe per institution and table, so the others cost no page statement."""
    items = sorted(cursors.items())
    fresh: set[str] = set()
    for start in range(0, len(items), PROBE_CHUNK):
        chunk = items[start:start + PROBE_CHUNK]
        values: dict[str, Any] = {f"s{i}": scope_id for i, (scope_id, _) in enumerate(chunk)}
        values |= {f"c{i}": cursor for i, (_, cursor) in enumerate(chunk)}
        fresh.update(str(s) for s in conn.execute(_fresh_statement(len(chunk)), values).scalars())
    return fresh


@functools.lru_cache(maxsize=256)
def _fresh_statement(count: int) -> Select[Any]:
    rows = [select(cast(bindparam(f"s{i}"), String(36)).label("sid"), cast(bindparam(f"c{i}"), BigInteger)
                   .label("cur")) for i in range(count)]
    pairs = (union_all(*rows) if count > 1 else rows[0]).subquery()
    probes = [exists().where(c == pairs.c.sid, t.c.version > pairs.c.cur)
              for t in ENTITY_TABLES.values() for c in scope_columns(t)]
    return select(pairs.c.sid).where(or_(*probes))
