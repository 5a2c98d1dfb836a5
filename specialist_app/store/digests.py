"""The catalog_digest table: digests of the catalog outside the home province (sync/digests.py), their search
documents, and the full records fetched when one is opened. The only code that writes the table."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, select

from specialist_app.store import digest_moves, meta, search_index
from specialist_app.store.chunks import chunks
from specialist_app.store.digest_docs import LIST_KINDS
from specialist_app.store.digest_docs import doc as doc  # re-exported: a digest's search document
from specialist_app.store.digest_docs import fields_of as fields_of
from specialist_app.store.tables import DIGEST_FIELD_COLUMNS, ENTITY_TABLES, catalog_digest
from sync.digests import DIGEST_ENTITIES, DIGEST_FIELDS
from sync.entities import ENTITIES
from sync.fields import Kind

CURSOR_KEY = "digest_cursor"
BATCH = 5000  # digests indexed per statement group when the whole index is rebuilt
BULK = 500  # a page of more digests than this is a bulk load (FTS5 automerge on)
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_KINDS = {name: f.kind for name, f in DIGEST_FIELD_COLUMNS}
_COLUMNS = ("id", "entity", "version", "province", "institution_name", "org_type", "title", "updated_at",
            *_KINDS, "extra")
# A newer digest replaces the row; the full record kept for the older version goes with it.
_UPSERT = (f"INSERT INTO catalog_digest ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
           " ON CONFLICT (id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS[1:])
           + ", full_record = NULL, fetched_at = NULL")


@dataclass(frozen=True)
class DigestRow:
    """A digest as the store holds it; `full` is the record read in full (CatalogRecord as a dict), if fetched."""

    id: str
    entity: str
    version: int
    province: str | None
    institution_name: str | None
    org_type: str | None
    title: str
    fields: dict[str, Any]
    updated_at: str | None
    full: dict[str, Any] | None
    fetched_at: str | None


def cursor(conn: Connection) -> int:
    return int(meta.get_meta(conn, CURSOR_KEY) or 0)


def apply(conn: Connection, digests: Sequence[Mapping[str, Any]], new_cursor: int) -> int:
    """A digest page: newer digests replace older ones (a kept full record goes with an older version), deleted
    ones leave the table and the search index, the feed's cursor moves. Returns how many digests changed."""
    known = _versions(conn, [str(d["id"]) for d in digests])
    newer = [d for d in digests if int(d["version"]) > known.get(str(d["id"]), -1)]
    gone = [d for d in newer if d.get("deleted")]
    live = [d for d in newer if not d.get("deleted") and d.get("entity") in DIGEST_ENTITIES]
    # The index first: a digest's old tokens are built from its row as stored (digest_docs.py), so the row is
    # replaced or deleted only after its document was.
    for entity in DIGEST_ENTITIES:
        ids = [str(d["id"]) for d in gone if d.get("entity") == entity]
        if ids:
            full = _in_full(conn, entity, ids)
            search_index.remove_rows(conn, entity, [i for i in ids if i not in full])
            conn.execute(delete(catalog_digest).where(catalog_digest.c.id.in_(ids)))
    if live:
        for entity in DIGEST_ENTITIES:  # a full copy that left the province (an institution moved) goes
            digest_moves.drop_superseded(conn, entity, {str(d["id"]): int(d["version"]) for d in live
                                                        if d.get("entity") == entity})
        search_index.ensure_index(conn)
        search_index.merge_inline(conn, len(live) > BULK)  # a big page merges index segments as it commits
        rows = [_row(d) for d in live]
        for entity in DIGEST_ENTITIES:  # a row held in full keeps the full one's document
            full = _in_full(conn, entity, [r["id"] for r in rows if r["entity"] == entity])
            mine = [r for r in rows if r["entity"] == entity and r["id"] not in full]
            if mine:
                search_index.write_docs(conn, entity, [doc(r) for r in mine], defer_long=False, digest=True)
        conn.exec_driver_sql(_UPSERT, [_params(r) for r in rows])
    meta.set_meta(conn, CURSOR_KEY, str(max(new_cursor, cursor(conn))))
    return len(gone) + len(live)


def _fits(kind: Kind, value: Any) -> bool:
    """Whether a digest field's value has the contract's type (then it goes in its column, else in `extra`)."""
    if kind in LIST_KINDS:
        return isinstance(value, list)
    if kind is Kind.INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is Kind.MONEY:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str)


def _row(d: Mapping[str, Any]) -> dict[str, Any]:
    """A digest as its catalog_digest row will be read back (migrations.py step 10 moves v9 rows by the same rules)."""
    entity = str(d["entity"])
    e = ENTITIES[entity]
    fields = json.loads(_JSON.encode(dict(d.get("fields") or {})))  # as the wire's JSON carries it
    org_type = d.get("org_type")
    values: dict[str, Any] = dict.fromkeys(_KINDS)
    extra: dict[str, Any] = {}
    for name, value in fields.items():
        if value is None or name == e.title_field:
            continue
        if name == "org_type" and e.is_scope_root and isinstance(value, str) and org_type in (None, value):
            org_type = value  # an institution's own type: it governs itself
        elif name in _KINDS and name in DIGEST_FIELDS[entity] and _fits(_KINDS[name], value):
            values[name] = float(value) if _KINDS[name] is Kind.MONEY else value
        else:
            extra[name] = value
    return {"id": str(d["id"]), "entity": entity, "version": int(d["version"]), "province": d.get("province"),
            "institution_name": d.get("institution_name"), "org_type": org_type,
            "title": str(fields.get(e.title_field) or ""), "updated_at": d.get("updated_at"), **values,
            "extra": extra or None}


def _params(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """The upsert's values of a row: lists and `extra` as compact UTF-8 JSON (SQLAlchemy's JSON type would write
    \\uXXXX escapes: twice the bytes for Chinese text)."""
    return tuple(_JSON.encode(row[c]) if isinstance(row[c], list | dict) else row[c] for c in _COLUMNS)


def _versions(conn: Connection, ids: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(ids):
        found.update((str(r.id), int(r.version)) for r in conn.execute(
            select(catalog_digest.c.id, catalog_digest.c.version).where(catalog_digest.c.id.in_(chunk))))
    return found


def _in_full(conn: Connection, entity: str, ids: Sequence[str]) -> set[str]:
    """Those of `ids` the store holds in full (an institution assigned since: their documents are the full ones').
    One statement per chunk: a page of 5,000 digests asked row by row cost ~0.3 s."""
    table = ENTITY_TABLES[entity].name
    found: set[str] = set()
    for chunk in chunks(list(ids)):
        found.update(str(r[0]) for r in conn.exec_driver_sql(
            f'SELECT id FROM "{table}" WHERE id IN ({",".join("?" * len(chunk))})', tuple(chunk)))
    return found


def reindex_all(conn: Connection) -> int:
    """Index every digest (a rebuild of the whole index); a row held in full keeps the full one's document."""
    count, last = 0, ""
    while True:
        rows = [r._mapping for r in conn.execute(select(catalog_digest).where(catalog_digest.c.id > last)
                                                 .order_by(catalog_digest.c.id).limit(BATCH))]
        if not rows:
            return count
        for entity in DIGEST_ENTITIES:
            full = _in_full(conn, entity, [str(r["id"]) for r in rows if r["entity"] == entity])
            mine = [r for r in rows if r["entity"] == entity and str(r["id"]) not in full]
            search_index.write_docs(conn, entity, [doc(r) for r in mine], digest=True)
            count += len(mine)
        last = str(rows[-1]["id"])


def provinces(conn: Connection, ids: Iterable[str]) -> dict[str, str]:
    """Which of `ids` are digests not held in full, with their province ("" when unknown). A row held in full (an
    institution elsewhere assigned to the user since: its rows came in full) is no digest, whatever is kept."""
    found: dict[str, tuple[str, str]] = {}
    for chunk in chunks(sorted(set(ids))):
        found.update((str(r.id), (r.entity, r.province or "")) for r in conn.execute(
            select(catalog_digest.c.id, catalog_digest.c.entity, catalog_digest.c.province)
            .where(catalog_digest.c.id.in_(chunk))))
    full = {i for entity in DIGEST_ENTITIES for i in _in_full(conn, entity, [i for i, (e, _) in found.items()
                                                                            if e == entity])}
    return {i: province for i, (_, province) in found.items() if i not in full}


def held(conn: Connection, entity: str, ids: Iterable[str]) -> set[str]:
    """Those of `ids` the store holds as digests of `entity` (a catalog reference may name one: a match's
    achievement of another province)."""
    found: set[str] = set()
    for chunk in chunks(sorted(set(ids))):
        found.update(str(i) for i in conn.execute(select(catalog_digest.c.id).where(
            catalog_digest.c.entity == entity, catalog_digest.c.id.in_(chunk))).scalars())
    return found


def get(conn: Connection, row_id: str) -> DigestRow | None:
    r = conn.execute(select(catalog_digest).where(catalog_digest.c.id == row_id)).first()
    if r is None:
        return None
    return DigestRow(str(r.id), r.entity, int(r.version), r.province, r.institution_name, r.org_type, r.title,
                     fields_of(r._mapping), r.updated_at, r.full_record, r.fetched_at)


def save_full(conn: Connection, row_id: str, record: Mapping[str, Any], fetched_at: str) -> bool:
    """Keep the record read in full for this digest; False when the digest is gone meanwhile."""
    done = conn.exec_driver_sql("UPDATE catalog_digest SET full_record = ?, fetched_at = ? WHERE id = ?",
                                (_JSON.encode(dict(record)), fetched_at, row_id))
    return bool(done.rowcount)


def drop_own(conn: Connection) -> int:
    """Drop the digests the feed would not have sent this store: of rows it holds in full, or governed by one of
    its own institutions (assigned or proposed; those come in full). Used after a digest snapshot, built for a
    specialist without institutions, was installed. A row held in full is taken out of the index and indexed again
    first (an institution's digest has all its indexed texts, so reindexing alone would keep the digest's document,
    which has no text of its own once the digest is gone); another digest's document is taken out of the index
    before its row goes. How many."""
    own = meta.assigned_institutions(conn)
    dropped = 0
    for entity in DIGEST_ENTITIES:
        in_full = [str(r[0]) for r in conn.exec_driver_sql(
            f'SELECT d.id FROM catalog_digest d JOIN "{entity}" f ON f.id = d.id WHERE d.entity = ?', (entity,))]
        governed: list[str] = []
        if own:  # an institution's digest is its own; another's names its institution (a column since v10)
            by = catalog_digest.c.id if ENTITIES[entity].is_scope_root else catalog_digest.c.institution_id
            for chunk in chunks(sorted(own)):
                governed += [str(i) for i in conn.execute(select(catalog_digest.c.id).where(
                    catalog_digest.c.entity == entity, by.in_(chunk))).scalars()]
        governed = sorted(set(governed) - set(in_full))
        if in_full:  # dropped and indexed anew: a document kept "unchanged" would still be the digest's, textless
            search_index.remove_rows(conn, entity, in_full)
            search_index.reindex_rows(conn, entity, in_full)
        if governed:
            search_index.remove_rows(conn, entity, governed)
        gone = [*in_full, *governed]
        for chunk in chunks(gone):
            conn.execute(delete(catalog_digest).where(catalog_digest.c.id.in_(chunk)))
        dropped += len(gone)
    return dropped
