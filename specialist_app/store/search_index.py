"""Catalog search index: an FTS5 table over pre-tokenized text plus one slim row of filter columns per document.

`DOC` maps (entity, row id) to the FTS rowid (`doc_id`) and keeps what filters and sorting need; `TEXT` keeps
the display subtitle and the exact text that was tokenized (a contentless FTS5 table on SQLite 3.40 can only
forget a row when given its old tokens again). Each (re)indexed row gets the next `doc_id`, so descending
doc_id is "most recently changed first" and FTS5 can stream it without sorting. Writes call `reindex_rows` /
`remove_rows` in their own transaction; bulk loads call `index_rows` or `rebuild` (no triggers: tokenizing
happens in Python and rows go in with executemany). A bulk pull may defer long texts: `PARTIAL` lists the
documents whose FTS row holds only the short fields, and `complete_deferred` adds the rest afterwards. Segment
merging (`merge_inline`, `tidy`, `optimize`) is in `search_segments.py`, the tables' names and statements in
`search_schema.py` (both re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import Connection, select

from specialist_app.store import digest_docs, search_text
from specialist_app.store.chunks import chunks, marks
from specialist_app.store.search_docs import FACETS as FACETS  # re-exported: part of this module's API
from specialist_app.store.search_docs import LONG_TEXT_CAP as LONG_TEXT_CAP
from specialist_app.store.search_docs import (
    OWNED,
    Doc,
    KnownTexts,
    Memo,
    Row,
    build_doc,
    fts_values,
    known_tokens,
    listed,
    live_rows,
    owning_institutions,
    read_columns,
    unlisted,
)
from specialist_app.store.search_docs import REGION_LEVELS as REGION_LEVELS
from specialist_app.store.search_schema import ALL_BI_COLUMNS as ALL_BI_COLUMNS
from specialist_app.store.search_schema import ALL_UNI_COLUMNS as ALL_UNI_COLUMNS
from specialist_app.store.search_schema import BI_COLUMNS as BI_COLUMNS
from specialist_app.store.search_schema import BM25_WEIGHTS as BM25_WEIGHTS
from specialist_app.store.search_schema import DOC as DOC
from specialist_app.store.search_schema import FTS as FTS
from specialist_app.store.search_schema import FTS_COLUMNS as FTS_COLUMNS
from specialist_app.store.search_schema import OLD_VERSION, SCHEMA
from specialist_app.store.search_schema import PARTIAL as PARTIAL
from specialist_app.store.search_schema import PINYIN_COLUMNS as PINYIN_COLUMNS
from specialist_app.store.search_schema import SEARCH_ENTITIES as SEARCH_ENTITIES
from specialist_app.store.search_schema import TEXT as TEXT
from specialist_app.store.search_schema import UNI_COLUMNS as UNI_COLUMNS

# The schema lives in search_schema.py; its names are re-exported: part of this module's API.
from specialist_app.store.search_schema import VERSION as VERSION
from specialist_app.store.search_schema import VOCAB as VOCAB
from specialist_app.store.search_segments import AUTOMERGE_BULK as AUTOMERGE_BULK  # re-exported, as the above
from specialist_app.store.search_segments import TIDY_PAGES as TIDY_PAGES
from specialist_app.store.search_segments import fts_exists
from specialist_app.store.search_segments import merge_inline as merge_inline
from specialist_app.store.search_segments import optimize as optimize
from specialist_app.store.search_segments import tidy as tidy
from specialist_app.store.tables import ENTITY_TABLES
from sync.entities import ENTITIES


def ensure_index(conn: Connection) -> bool:
    """Create the index tables (dropping older versions) and fill them if missing; True if it was built."""
    names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if FTS in names and DOC in names:
        return False
    for name in sorted(names):
        if OLD_VERSION.match(name):
            conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
    for statement in SCHEMA:
        conn.exec_driver_sql(statement)
    rebuild(conn)
    return True


def has_index(conn: Connection) -> bool:
    """True when this version's index tables exist (ensure_index would build nothing); reads only."""
    found = conn.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)", (FTS, DOC)).scalar_one()
    return int(found) == 2


_Old = tuple[int, tuple[str, str, str, str, str], int]  # doc_id, the texts it was tokenized from, short_from


def _existing(
    conn: Connection, entity: str, ids: Sequence[str], shown: dict[str, tuple[str, str, str]] | None = None
) -> dict[str, _Old]:
    """row_id -> (doc_id, texts, short_from) of the documents already indexed; `shown` gets their
    (updated_at, title, subtitle). A digest's document has no TEXT row: its texts come from its digest."""
    found: dict[str, _Old] = {}
    for chunk in chunks(ids):
        rows = conn.exec_driver_sql(
            f"SELECT d.row_id, d.doc_id, t.title_text, t.body_text, t.by_text, t.field_text, t.facets, p.short_from,"
            f" d.updated_at, d.title, t.subtitle FROM {DOC} d LEFT JOIN {TEXT} t USING (doc_id)"
            f" LEFT JOIN {PARTIAL} p USING (doc_id) WHERE d.entity = ? AND d.row_id IN ({marks(len(chunk))})",
            (entity, *chunk),
        ).all()
        made = digest_docs.derived(conn, [r[1] for r in rows if r[10] is None])
        for r in map(tuple, rows):
            if (d := made.get(r[1])) is not None:
                r = (r[0], r[1], *d.text, None, r[8], r[9], d.subtitle)
            elif r[10] is None:
                raise LookupError(f"{entity} {r[0]}: indexed without its texts or a digest to rebuild them")
            found[r[0]] = (r[1], (r[2], r[3], r[4], r[5], r[6]), r[7] or 0)
            if shown is not None:
                shown[r[0]] = (r[8], r[9], r[10])
    return found


def _keep_unchanged(conn: Connection, docs: list[Doc], existing: dict[str, _Old],
                    shown: dict[str, tuple[str, str, str]]) -> list[Doc]:
    """The documents that need indexing; one indexed whole from the same texts at the same time (a full copy
    over a masked one at the same version, a bucket pulled again) keeps its FTS row and its place in "newest"."""
    same = [d for d in docs if (old := existing.get(d.row_id)) is not None and not old[2] and old[1] == d.text
            and shown[d.row_id][0] == d.updated_at]
    if not same:
        return docs
    for d in same:
        doc_id = existing.pop(d.row_id)[0]
        if shown[d.row_id][1:] != (d.title, d.subtitle):
            conn.exec_driver_sql(f"UPDATE {DOC} SET title = ? WHERE doc_id = ?", (d.title, doc_id))
            conn.exec_driver_sql(f"UPDATE {TEXT} SET subtitle = ? WHERE doc_id = ?", (d.subtitle, doc_id))
    kept = {d.row_id for d in same}
    return [d for d in docs if d.row_id not in kept]


def _fts_delete(conn: Connection, old: Sequence[_Old], memo: Memo | None = None) -> None:
    """Take documents out of the contentless FTS table, which needs the tokens they were inserted with."""
    conn.exec_driver_sql(
        f"INSERT INTO {FTS} ({FTS}, rowid, {', '.join(FTS_COLUMNS)}) VALUES ({marks(len(FTS_COLUMNS) + 2)})",
        [("delete", doc_id, *fts_values(text, short_from, memo=memo)) for doc_id, text, short_from in old],
    )


def _forget(conn: Connection, old: Iterable[_Old], memo: Memo | None = None) -> None:
    """Remove documents from the FTS table and from DOC/TEXT/PARTIAL."""
    # In doc_id order: FTS5 then writes a few large segments instead of one tiny segment per delete
    # (measured: 580 -> 147 index pages written for a 100-row incremental pull).
    old = sorted(old, key=lambda o: o[0])
    if not old:
        return
    _fts_delete(conn, old, memo)
    for table in (DOC, TEXT, PARTIAL):
        conn.exec_driver_sql(f"DELETE FROM {table} WHERE doc_id = ?", [(o[0],) for o in old])


def index_rows(
    conn: Connection,
    entity: str,
    rows: Iterable[Row],
    *,
    keep_order: bool = False,
    defer_long: bool = False,
    known: Mapping[str, KnownTexts] | None = None,
) -> None:
    """Index (or re-index) these rows of `entity` in bulk; rows flagged `deleted` are dropped instead.

    Each row maps the entity's field names (canonical values) plus `id` and `updated_at`. Owning
    institutions are read from the institution table, so load institutions first. Re-indexed rows move to
    the front of the "newest" order unless `keep_order`. With `defer_long`, long texts (summaries, profiles)
    are left for `complete_deferred`: titles, keywords and the other short fields are searchable at once.
    `known` holds, by row id, a row's own texts and their tokens made by a second process (`KnownTexts`).
    """
    if entity not in SEARCH_ENTITIES:
        return
    if not fts_exists(conn):
        ensure_index(conn)
    rows = list(rows)
    gone = [str(r["id"]) for r in rows if unlisted(r)]
    live = [r for r in rows if not unlisted(r)]
    if gone:
        _drop(conn, entity, gone)
    if not live:
        return
    owners = owning_institutions(conn, (r.get("institution_id") or None for r in live)) if entity in OWNED else {}
    write_docs(conn, entity, [build_doc(entity, r, owners) for r in live], keep_order=keep_order,
               defer_long=defer_long, known=known)


def write_docs(conn: Connection, entity: str, built: Iterable[Doc], *, keep_order: bool = False,
               defer_long: bool = False, known: Mapping[str, KnownTexts] | None = None, digest: bool = False) -> None:
    """Index documents built already (`index_rows` builds them from rows, store/digests.py from digests),
    replacing the ones of the same (entity, row id). A `digest` document keeps no TEXT row (digest_docs.py)."""
    if not fts_exists(conn):
        ensure_index(conn)
    docs = sorted({d.row_id: d for d in built}.values(), key=lambda d: (d.updated_at, d.row_id))
    shown: dict[str, tuple[str, str, str]] = {}
    existing = _existing(conn, entity, [d.row_id for d in docs], shown)
    docs = _keep_unchanged(conn, docs, existing, shown)
    if not docs:
        return
    memo: Memo = {}  # a re-indexed row's unchanged texts are tokenized once, for its delete and its insert
    _forget(conn, existing.values(), memo)
    next_id = int(conn.exec_driver_sql(f"SELECT coalesce(max(doc_id), 0) + 1 FROM {DOC}").scalar_one())
    doc_ids: list[int] = []
    for d in docs:
        if keep_order and d.row_id in existing:
            doc_ids.append(existing[d.row_id][0])
        else:
            doc_ids.append(next_id)
            next_id += 1
    _insert(conn, entity, docs, doc_ids, defer_long=defer_long, known=known, memo=memo if existing else None,
            text=not digest)


def _insert(
    conn: Connection,
    entity: str,
    docs: Sequence[Doc],
    doc_ids: Sequence[int],
    *,
    defer_long: bool = False,
    known: Mapping[str, KnownTexts] | None = None,
    memo: Memo | None = None,
    text: bool = True,
) -> None:
    pairs = list(zip(doc_ids, docs, strict=True))
    partial = [(i, d.short_from) for i, d in pairs if d.short_from] if defer_long else []
    if partial:
        conn.exec_driver_sql(f"INSERT INTO {PARTIAL} (doc_id, short_from) VALUES (?, ?)", partial)
    conn.exec_driver_sql(
        f"INSERT INTO {DOC} (doc_id, entity, row_id, title, updated_at) VALUES (?, ?, ?, ?, ?)",
        [(i, entity, d.row_id, d.title, d.updated_at) for i, d in pairs],
    )
    if text:
        conn.exec_driver_sql(f"INSERT INTO {TEXT} (doc_id, subtitle, title_text, body_text, by_text, field_text,"
                             " facets) VALUES (?, ?, ?, ?, ?, ?, ?)", [(i, d.subtitle, *d.text) for i, d in pairs])
    conn.exec_driver_sql(
        f"INSERT INTO {FTS} (rowid, {', '.join(FTS_COLUMNS)}) VALUES ({marks(len(FTS_COLUMNS) + 1)})",
        [(i, *fts_values(d.text, d.short_from if defer_long else 0, known_tokens(d, known), memo)) for i, d in pairs],
    )


def deferred_count(conn: Connection) -> int:
    """How many documents still wait for their long texts (0 when there is no index yet)."""
    if not fts_exists(conn):
        return 0
    return int(conn.exec_driver_sql(f"SELECT count(*) FROM {PARTIAL}").scalar_one())


def complete_deferred(conn: Connection, limit: int = 2000) -> int:
    """Index the long texts of up to `limit` documents indexed with `defer_long`; returns how many.

    Call it in a loop, committing in between, until it returns 0; what is left survives a restart.
    """
    if not fts_exists(conn):
        return 0
    merge_inline(conn, True)  # part of a big pull: merge as it goes, like the pages did
    old: list[_Old] = [
        (r[0], (r[1], r[2], r[3], r[4], r[5]), r[6])
        for r in conn.exec_driver_sql(
            f"SELECT p.doc_id, t.title_text, t.body_text, t.by_text, t.field_text, t.facets, p.short_from"
            f" FROM {PARTIAL} p"
            f" JOIN {TEXT} t USING (doc_id) ORDER BY p.doc_id LIMIT ?",
            (limit,),
        )
    ]
    if not old:
        return 0
    deletes, inserts = [], []
    for doc_id, (title_text, body_text, by_text, field_text, facets), short_from in old:
        # Title, by and field tokens are the same before and after: tokenize them once.
        title, field = search_text.tokenize([title_text]), search_text.tokenize([field_text])
        by = search_text.tokenize([by_text])
        short, body = search_text.tokenize([body_text[short_from:]]), search_text.tokenize([body_text])
        same = (by.uni, by.bi, field.uni, field.bi, facets)
        deletes.append(("delete", doc_id, title.uni, title.bi, short.uni, short.bi, *same))
        inserts.append((doc_id, title.uni, title.bi, body.uni, body.bi, *same))
    columns, n = ", ".join(FTS_COLUMNS), len(FTS_COLUMNS)
    conn.exec_driver_sql(f"INSERT INTO {FTS} ({FTS}, rowid, {columns}) VALUES ({marks(n + 2)})", deletes)
    conn.exec_driver_sql(f"INSERT INTO {FTS} (rowid, {columns}) VALUES ({marks(n + 1)})", inserts)
    conn.exec_driver_sql(f"DELETE FROM {PARTIAL} WHERE doc_id = ?", [(o[0],) for o in old])
    return len(old)


def _drop(conn: Connection, entity: str, ids: Sequence[str]) -> None:
    _forget(conn, _existing(conn, entity, ids).values())


def _owner_facts(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Indexed (name, facets) of these institutions: what their achievements and demands carry."""
    facts: dict[str, tuple[str, str]] = {}
    for chunk in chunks(ids):
        rows = conn.exec_driver_sql(
            f"SELECT d.row_id, d.title, t.facets FROM {DOC} d JOIN {TEXT} t USING (doc_id)"
            f" WHERE d.entity = 'institution' AND d.row_id IN ({marks(len(chunk))})",
            tuple(chunk),
        )
        facts.update((r[0], (r[1], r[2])) for r in rows)
    return facts


def _reindex_dependents(conn: Connection, institution_ids: Sequence[str]) -> None:
    for entity in OWNED:
        index_rows(conn, entity, live_rows(conn, entity, "institution_id", institution_ids), keep_order=True)


def reindex_rows(conn: Connection, entity: str, ids: Sequence[str]) -> None:
    """Bring the index up to date for these rows of `entity` (called in the same transaction as the write).

    Missing or tombstoned rows leave the index. An institution whose name, type or region changed also
    re-indexes its achievements and demands, which carry those facts.
    """
    if entity not in SEARCH_ENTITIES or not ids:
        return
    if not fts_exists(conn):
        ensure_index(conn)
        return
    ids = list(dict.fromkeys(ids))
    owns = ENTITIES[entity].is_scope_root  # institutions carry facts into their achievements' and demands' docs
    before = _owner_facts(conn, ids) if owns else {}
    rows = live_rows(conn, entity, "id", ids)
    present = {str(r["id"]) for r in rows}
    missing = [i for i in ids if i not in present]
    if missing:
        _drop(conn, entity, missing)
    index_rows(conn, entity, rows)
    if owns:
        after = _owner_facts(conn, ids)
        _reindex_dependents(conn, [i for i in ids if before.get(i) != after.get(i)])


def remove_rows(conn: Connection, entity: str, ids: Sequence[str]) -> None:
    """Drop these rows of `entity` from the index (called in the same transaction as the delete)."""
    if entity not in SEARCH_ENTITIES or not ids:
        return
    if not fts_exists(conn):
        ensure_index(conn)
        return
    ids = list(dict.fromkeys(ids))
    _drop(conn, entity, ids)
    if ENTITIES[entity].is_scope_root:
        _reindex_dependents(conn, ids)


def rebuild(conn: Connection, batch: int = 5000) -> int:
    """Re-create the whole index from the entity tables; returns the number of documents indexed.

    Documents are numbered in order of `updated_at` across entities, so "newest" holds after a rebuild too.
    """
    if not fts_exists(conn):
        for statement in SCHEMA:
            conn.exec_driver_sql(statement)
    merge_inline(conn, True)
    conn.exec_driver_sql(f"INSERT INTO {FTS} ({FTS}) VALUES ('delete-all')")
    conn.exec_driver_sql(f"DELETE FROM {DOC}")
    conn.exec_driver_sql(f"DELETE FROM {TEXT}")
    conn.exec_driver_sql(f"DELETE FROM {PARTIAL}")
    order = sorted(
        (str(r[0] or ""), entity, str(r[1]))
        for entity in SEARCH_ENTITIES
        for r in conn.execute(select(ENTITY_TABLES[entity].c.updated_at, ENTITY_TABLES[entity].c.id)
                              .where(listed(entity)))
    )
    doc_id = {(entity, row_id): n for n, (_, entity, row_id) in enumerate(order, start=1)}
    for entity in ("institution", "achievement", "demand", "expert"):
        table = ENTITY_TABLES[entity]
        last = ""
        while True:
            query = select(*read_columns(entity)).where(listed(entity), table.c.id > last)
            query = query.order_by(table.c.id)
            rows = [r._mapping for r in conn.execute(query.limit(batch))]
            if not rows:
                break
            owners = owning_institutions(conn, (r.get("institution_id") for r in rows)) if entity in OWNED else {}
            docs = [build_doc(entity, r, owners) for r in rows]
            _insert(conn, entity, docs, [doc_id[(entity, d.row_id)] for d in docs])
            last = str(rows[-1]["id"])
    from specialist_app.store import digests  # it writes through this module: imported here, not at the top

    count = len(order) + digests.reindex_all(conn)
    merge_inline(conn, False)
    return count
