"""Digests of the catalog outside a specialist's home province (sync/digests.py): the digest feed's pages, ordered
by version with its own cursor, and one catalog record in full for a reader who opens a digest."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Engine, Select, and_, bindparam, func, not_, or_, select, true

from market_server.pull import PUBLIC_VIEWER
from market_server.pull_heads import catalog_visible_to_others
from market_server.pull_marks import CATALOG_WALK, Marks, current, marks_for
from market_server.row_json import MASKABLE
from market_server.scope import UserScope, load_scope
from market_server.tables import ENTITY_TABLES
from sync.digests import DIGEST_ENTITIES, DIGEST_FIELDS, digest_fields, province_of
from sync.entities import ENTITIES
from sync.fields import utc_now
from sync.protocol import CatalogRecord, Digest, DigestRequest, DigestResponse, RowChange

HOME, CURSOR, LIMIT, FULL = "home", "cursor", "limit_plus_one", "full"


def digest_page(engine: Engine, user: Any, home: str | None, request: DigestRequest,
                public: bool = False) -> DigestResponse:
    """The digests above `request.cursor` (at most `limit`), oldest version first.

    `public` (the caller checks it is an administrator's, for a digest snapshot): the feed as PUBLIC_VIEWER, a
    specialist with no institutions and no rows of their own, would get it with the home province `home`.

    Without a home province there are none. The cursor answered moves past every version the feed has looked at:
    when no more digests wait, up to the version counter as the marks read it before the statements ran (every
    version up to it was committed then: docs/sync-protocol.md, "Versions"), so rows of the home province do not
    make the next nothing-new pull run a statement again.
    """
    cursor = int(request.cursor)
    if home is None:
        return DigestResponse(digests=[], cursor=cursor, has_more=False, home_province=None, server_time=utc_now())
    with engine.connect() as conn:
        scope = UserScope(PUBLIC_VIEWER) if public else load_scope(conn, user)
        full = sorted(scope.full_scopes())
        marks = current(conn, marks_for(engine))
        with marks.lock:
            through, maybe = marks.through, _maybe_new(marks, set(full), cursor)
        found: list[tuple[int, Digest]] = []
        if maybe:
            for entity in DIGEST_ENTITIES:
                values = {HOME: home, CURSOR: cursor, LIMIT: request.limit + 1, **({FULL: full} if full else {})}
                rows = conn.execute(_statement(entity, bool(full)), values).all()
                found.extend((int(r.version), _digest(entity, r._mapping, scope)) for r in rows)
    found.sort(key=lambda pair: pair[0])
    page, has_more = found[:request.limit], len(found) > request.limit
    last = page[-1][0] if page else cursor
    return DigestResponse(digests=[d for _, d in page], cursor=last if has_more else max(last, through, cursor),
                          has_more=has_more, home_province=home, server_time=utc_now())


def nothing_new_digests(engine: Engine, scope: UserScope, request: DigestRequest, counter: int,
                        home: str | None) -> bytes | None:
    """What digest_page answers a specialist when this instance's marks, current as of the version counter's value
    `counter`, prove that no digest waits above the cursor (or there is no home province): the empty page, as JSON;
    None when they cannot (maybe something new, an administrator's or a province's public feed, marks not at
    `counter` or being brought up to date by another thread). Never waits and never reads the database: the caller
    read `scope` and `counter` (pull_probe), as pull.nothing_new_page."""
    if request.province is not None or scope.is_admin:
        return None
    cursor = int(request.cursor)
    if home is not None:
        marks = marks_for(engine)
        if not marks.lock.acquire(blocking=False):
            return None
        try:
            if marks.through != counter or _maybe_new(marks, set(scope.full_scopes()), cursor):
                return None
        finally:
            marks.lock.release()
        cursor = max(cursor, counter)
    return DigestResponse(digests=[], cursor=cursor, has_more=False, home_province=home,
                          server_time=utc_now()).model_dump_json().encode()


def _maybe_new(marks: Marks, full: set[str], cursor: int) -> bool:
    """False when the catalog marks prove no catalog row outside the user's institutions changed above `cursor`
    (rows without a governing institution are never digests; proposals still pending are in no catalog)."""
    for walked, (scope_id, mark) in enumerate(reversed(marks.catalog.items())):
        if mark <= cursor:
            return False
        if walked >= CATALOG_WALK or (scope_id is not None and scope_id not in full and scope_id not in marks.pending):
            return True
    return False


@functools.cache
def _statement(entity: str, has_full: bool) -> Select[Any]:
    """Rows of `entity` above CURSOR governed by a listed institution outside HOME (and not one of the user's),
    with what the digest carries of their institution; the first LIMIT of them by version."""
    table = ENTITY_TABLES[entity]
    inst = ENTITY_TABLES["institution"].alias("governing")
    region = inst.c.region_code
    names = [n for n in DIGEST_FIELDS[entity] if n in table.c]
    extra = [c for c in ("confidential_fields", "duplicate_state") if c in table.c]
    outside_full = not_(table.c.scope_id.in_(bindparam(FULL, expanding=True))) if has_full else true()
    where = and_(
        table.c.version > bindparam(CURSOR), inst.c.status.in_(["active", "rejected"]), region.is_not(None),
        func.length(region) >= 2, func.substr(region, 1, 2) != bindparam(HOME), outside_full,
    )
    columns = [table.c.id, table.c.version, table.c.deleted, table.c.updated_at, table.c.created_by,
               *(table.c[n] for n in names), *(table.c[n] for n in extra),
               inst.c.name.label("gov_name"), inst.c.org_type.label("gov_type"), region.label("gov_region"),
               inst.c.status.label("gov_status")]
    return (select(*columns).select_from(table.join(inst, inst.c.id == table.c.scope_id))
            .where(where).order_by(table.c.version).limit(bindparam(LIMIT)))


def _digest(entity: str, row: Mapping[Any, Any], scope: UserScope) -> Digest:
    gone = bool(row["deleted"]) or row["gov_status"] == "rejected" or row.get("duplicate_state") == "confirmed"
    common = {"entity": entity, "id": str(row["id"]), "version": int(row["version"]),
              "updated_at": row["updated_at"]}
    if gone:
        return Digest(deleted=True, **common)
    fields = digest_fields(entity, row)
    if row.get("created_by") != scope.username:
        for name in row.get("confidential_fields") or []:
            if name in MASKABLE:
                fields.pop(name, None)
    return Digest(fields={k: v for k, v in fields.items() if v is not None},
                  province=province_of(row["gov_region"]), institution_name=row["gov_name"],
                  org_type=row["gov_type"], **common)


class NotInCatalog(LookupError):
    """No such catalog row for this reader (unknown, not a catalog entity, or not listed for them)."""


def catalog_record(engine: Engine, user: Any, entity_name: str, row_id: str) -> CatalogRecord:
    """One catalog row in full as `user` may read it: confidential fields left out of other people's rows (named in
    `masked`), a tombstone when deleted or withdrawn; with an achievement's IP items."""
    entity = ENTITIES.get(entity_name)
    if entity is None or not entity.in_catalog:
        raise NotInCatalog(entity_name)
    with engine.connect() as conn:
        scope = load_scope(conn, user)
        row = _visible_row(conn, scope, entity_name, row_id)
        if row is None:
            raise NotInCatalog(row_id)
        children: list[RowChange] = []
        for child in (c for c in ENTITIES.values() if c.parent_field and c.in_catalog
                      and c.field(c.parent_field).ref == entity_name):
            table = ENTITY_TABLES[child.name]
            found = conn.execute(select(table).where(table.c[child.parent_field or ""] == row_id,
                                                     table.c.deleted.is_(False)).order_by(table.c.version)).all()
            children.extend(_change(child.name, r._mapping, scope) for r in found)
    return CatalogRecord(row=_change(entity_name, row, scope), children=children)


def _visible_row(conn: Connection, scope: UserScope, entity_name: str, row_id: str) -> Mapping[Any, Any] | None:
    table = ENTITY_TABLES[entity_name]
    query = select(table).where(table.c.id == row_id)
    if not scope.is_admin:
        own = or_(table.c.created_by == scope.username, table.c.scope_id.in_(sorted(scope.full_scopes()) or [""]))
        query = query.where(or_(own, catalog_visible_to_others(ENTITIES[entity_name], table)))
    found = conn.execute(query).first()
    return found._mapping if found is not None else None


def _change(entity_name: str, row: Mapping[Any, Any], scope: UserScope) -> RowChange:
    entity = ENTITIES[entity_name]
    common = {"entity": entity_name, "id": str(row["id"]), "version": int(row["version"]),
              "scope": row["scope_id"], "updated_at": row["updated_at"], "updated_by": row["updated_by"]}
    withdrawn = entity.is_scope_root and row.get("status") == "rejected"
    if row["deleted"] or withdrawn:
        return RowChange(deleted=True, **common)
    fields = {f.name: row[f.name] for f in entity.fields}
    masked: list[str] = []
    if not scope.can_read_full(row["scope_id"], row["created_by"]):
        masked = [n for n in fields.get("confidential_fields") or [] if n in fields and n in MASKABLE]
        for name in masked:
            del fields[name]
    return RowChange(fields=fields, masked=masked, **common)
