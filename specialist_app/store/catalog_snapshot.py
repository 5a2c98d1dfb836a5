"""Catalog snapshot files: the market's public catalog and its search index, copied into an empty store at once.

A snapshot is a SQLite file in this store's own format holding only the catalog entity tables and the search
index tables (see docs/sync-protocol.md, "Catalog snapshot"). `export` writes one from a store that pulled the
public catalog; `install` copies one into a store that holds no catalog yet, in one transaction, and sets the
catalog cursor to the version the snapshot was taken at. FTS5's index pages are copied as they are, so the
client neither tokenizes nor indexes what the snapshot brings.

A digest snapshot (a home province's: docs/sync-protocol.md, "Digest snapshot") also holds the digest tables
(`DIGEST_TABLES`, the rest of the nation as digests) and the digest feed's cursor, and names its province; a store
takes it only for its own home province, and a snapshot naming none only without one. Tables are copied by name
(`INSERT ... SELECT *`) after their declarations were found equal, so a table's columns are the store schema's
business, not this module's.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from specialist_app.store import digests, migrations, search_index
from specialist_app.store.db import BUSY_TIMEOUT_MS, WAL_AUTOCHECKPOINT_PAGES, Store
from sync.entities import DEPENDENCY_ORDER, ENTITIES
from sync.protocol_constants import CATALOG_BUCKET

# What a client can install: its store schema and its index layout (the compression is the transfer's business).
FORMAT = f"store{migrations.LATEST_VERSION}-index{search_index.VERSION}"
REINDEX_KEY = "snapshot_reindex"  # meta: rows an install kept over the snapshot's copies, still to index
CATALOG_TABLES = tuple(name for name in DEPENDENCY_ORDER if ENTITIES[name].in_catalog)
INDEX_TABLES = (
    search_index.DOC,
    search_index.TEXT,
    search_index.PARTIAL,
    *(f"{search_index.FTS}_{part}" for part in ("data", "idx", "docsize", "config")),
)
TABLES = (*CATALOG_TABLES, *INDEX_TABLES)
DIGEST_TABLES = ("catalog_digest",)  # a digest snapshot's besides TABLES (store/digests.py)
DIGESTS_KEY = "snapshot_digests"  # meta: a digest snapshot was installed; digests held in full still to drop
_FORMAT_KEY, _CURSOR_KEY = "snapshot_format", "snapshot_cursor"
_PROVINCE_KEY, _DIGEST_CURSOR_KEY = "snapshot_province", "snapshot_digest_cursor"


@dataclass(frozen=True)
class SnapshotMeta:
    """What a snapshot file says of itself: the catalog cursor; a digest snapshot's province and feed cursor."""

    cursor: int
    province: str | None = None
    digest_cursor: int | None = None

    @property
    def tables(self) -> tuple[str, ...]:
        return (*TABLES, *DIGEST_TABLES) if self.province is not None else TABLES


class SnapshotUnusable(Exception):
    """The file is not a snapshot this store can take (another format, foreign tables) or the store is not empty."""


class InstallCancelled(Exception):
    """The install was cancelled before it committed; the store is as it was."""


# How long emptying the WAL after an install waits for readers still reading it (the GUI's searches take
# milliseconds); past this the WAL is left to a later checkpoint. Writers wait for it meanwhile.
TRUNCATE_WAIT_MS = 2_000

# How many SQLite VM steps pass between two looks at the cancel event: ~1 ms of copying on a laptop, so a cancel
# ends even a province-sized install within a blink, at no measurable cost to the copy.
_CANCEL_CHECK_STEPS = 20_000


def _uri(path: Path, read_only: bool = False) -> str:
    """`path` as an SQLite URI (percent-encoded: spaces, '#', '?', Chinese folder names), so ATTACH takes it too."""
    return Path(path).resolve().as_uri() + ("?mode=ro" if read_only else "")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(_uri(path), isolation_level=None, uri=True)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA trusted_schema = OFF")  # the attached file's schema runs no functions of ours
    return conn


@contextlib.contextmanager
def _closing(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield conn
    finally:
        conn.close()


def export(store: Store, target: Path, cursor: int, *, province: str | None = None,
           digest_cursor: int = 0) -> None:
    """Write `store`'s catalog and search index to a new snapshot file at `target` (taken at `cursor`).

    The store should hold nothing but a public-view pull (its other tables are emptied in the copy). The index
    is merged into one segment first: every client that installs the file searches the faster for it. With
    `province`, a digest snapshot: the store pulled that province's public view and its digest feed (up to
    `digest_cursor`), and keeps its digest tables too.
    """
    kept = SnapshotMeta(cursor, province, digest_cursor if province is not None else None).tables
    with store.engine.begin() as conn:
        search_index.ensure_index(conn)
        conn.exec_driver_sql(f"INSERT INTO {search_index.FTS} ({search_index.FTS}) VALUES ('optimize')")
        search_index.merge_inline(conn, False)
    target.unlink(missing_ok=True)
    with _closing(_connect(store.path)) as conn:
        conn.execute("VACUUM INTO ?", (str(target),))
    with _closing(_connect(target)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        # Zero what is deleted instead of vacuuming the whole copy again: only a few rows of this store's own
        # go (device id, sync log), and their bytes must not travel to every client.
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("BEGIN")
        names = [str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in names:
            if name not in kept and name != "meta" and not name.startswith(("sqlite_", search_index.FTS)):
                conn.execute(f'DELETE FROM "{name}"')
        conn.execute("DELETE FROM meta WHERE key != 'schema_version'")
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                         [(_FORMAT_KEY, FORMAT), (_CURSOR_KEY, str(cursor))]
                         + ([(_PROVINCE_KEY, province), (_DIGEST_CURSOR_KEY, str(digest_cursor))] if province else []))
        conn.execute("COMMIT")


def read_cursor(path: Path) -> int:
    """The catalog version a snapshot file was taken at; SnapshotUnusable when it is not one of this format."""
    return read_meta(path).cursor


def read_meta(path: Path) -> SnapshotMeta:
    """What a snapshot file says of itself; SnapshotUnusable when it is not one of this format."""
    keys = (_FORMAT_KEY, _CURSOR_KEY, _PROVINCE_KEY, _DIGEST_CURSOR_KEY)
    _check_whole(path)
    try:
        with _closing(sqlite3.connect(_uri(path, read_only=True), uri=True)) as conn:
            meta = dict(conn.execute(f"SELECT key, value FROM meta WHERE key IN ({', '.join('?' * len(keys))})", keys))
    except sqlite3.DatabaseError as exc:
        raise SnapshotUnusable(f"not a snapshot file: {exc}") from exc
    if meta.get(_FORMAT_KEY) != FORMAT:
        raise SnapshotUnusable(f"format {meta.get(_FORMAT_KEY)!r}, this app reads {FORMAT!r}")
    try:
        province = meta.get(_PROVINCE_KEY)
        return SnapshotMeta(int(meta[_CURSOR_KEY]), province,
                            int(meta[_DIGEST_CURSOR_KEY]) if province is not None else None)
    except (KeyError, ValueError) as exc:
        raise SnapshotUnusable("no cursor") from exc


def _check_whole(path: Path) -> None:
    """The file must be as long as its SQLite header says (a download decompressed from a frame cut short, or with
    a second frame after it, is not): SQLite would find the missing pages only in the middle of the copy."""
    with path.open("rb") as f:
        head = f.read(100)
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        raise SnapshotUnusable("not a snapshot file: no SQLite header")
    page_size = int.from_bytes(head[16:18], "big")
    pages = int.from_bytes(head[28:32], "big")
    held = path.stat().st_size
    if head[24:28] != head[92:96] or held != (65536 if page_size == 1 else page_size) * pages:
        raise SnapshotUnusable(f"the file holds {held:,} bytes, not the {pages:,} pages its header names")


def is_empty(store: Store) -> bool:
    """Whether the store holds no catalog row, no indexed document and no catalog cursor (a first sync)."""
    pooled = store.engine.raw_connection()  # asked on every sync: no new connection to the file for it
    try:
        driver = pooled.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        return _is_empty(driver, "main")
    finally:
        pooled.close()


def no_catalog_cursor(store: Store) -> bool:
    """Whether the catalog was never pulled into `store` (a first sync, perhaps after its own institutions)."""
    with store.engine.connect() as conn:
        found = conn.exec_driver_sql("SELECT 1 FROM sync_cursor WHERE bucket = ?", (CATALOG_BUCKET,)).first()
    return found is None


def _is_empty(conn: sqlite3.Connection, schema: str) -> bool:
    names = {str(r[0]) for r in conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")}
    for table in (*CATALOG_TABLES, search_index.DOC):
        if table in names and conn.execute(f'SELECT 1 FROM {schema}."{table}" LIMIT 1').fetchone():
            return False
    found = conn.execute(f"SELECT 1 FROM {schema}.sync_cursor WHERE bucket = ?", (CATALOG_BUCKET,))
    return found.fetchone() is None


def install(store: Store, path: Path, *, keep_rows: bool = False, cancel: threading.Event | None = None,
            province: str | None = None) -> int:
    """Copy a snapshot file into `store`, which must hold no catalog yet; returns the catalog cursor it sets.

    `province`: the store's home province. A digest snapshot is taken only for it (and a snapshot naming no
    province only without one); it also brings the digest tables and sets the digest feed's cursor, and digests
    the store holds in full (its own institutions', pulled before) are dropped by `reindex_kept`.

    One transaction: a crash or error leaves the store as it was. Its COMMIT leaves the copied pages in the WAL
    (no autocheckpoint on its connection): the catalog is searchable from there on, and `checkpoint` copies them
    into the store file afterwards, instead of the commit copying a province's gigabytes a second time first. A
    crash before that checkpoint leaves a complete store: SQLite replays the WAL when the file is opened.

    Raises SnapshotUnusable (and changes nothing) when the file is not of this store's format, when its tables are not
    exactly this store's, or when the store already holds catalog rows. With `keep_rows`, rows the store holds in the
    catalog tables (its own institutions', pulled just before, full copies as new as the server's) are kept over the
    snapshot's masked copies, and named under REINDEX_KEY so `reindex_kept` indexes them (the snapshot's index knows
    only its own copies); then only a catalog cursor refuses the install. Setting `cancel` stops the copy where it is
    and rolls it back (InstallCancelled).
    """
    found = read_meta(path)
    if found.province != province:
        raise SnapshotUnusable(f"a snapshot of province {found.province!r}, this store's is {province!r}")
    cursor, tables = found.cursor, found.tables
    with store.engine.begin() as conn:
        search_index.ensure_index(conn)  # the tables the copy fills
    # A connection of its own, closed afterwards: FTS5 caches an index's structure per connection and only
    # notices other connections' commits, so no pooled connection may see the shadow tables change under it.
    with _closing(_connect(store.path)) as conn:
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("ATTACH DATABASE ? AS snap", (_uri(path, read_only=True),))
        _check_tables(conn, tables)
        if cancel is not None:
            conn.set_progress_handler(lambda: 1 if cancel.is_set() else 0, _CANCEL_CHECK_STEPS)
        conn.execute("BEGIN IMMEDIATE")
        try:
            if not (_no_catalog_cursor(conn) if keep_rows else _is_empty(conn, "main")):
                raise SnapshotUnusable("the store already holds catalog rows")
            kept = _set_aside(conn) if keep_rows else {}
            for table in tables:
                conn.execute(f'DELETE FROM main."{table}"')
                conn.execute(f'INSERT INTO main."{table}" SELECT * FROM snap."{table}"')
            _put_back(conn, kept)
            if found.digest_cursor is not None:
                conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)"
                                 " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                 [(digests.CURSOR_KEY, str(found.digest_cursor)), (DIGESTS_KEY, "1")])
            conn.execute(
                "INSERT INTO sync_cursor (bucket, cursor) VALUES (?, ?)"
                " ON CONFLICT(bucket) DO UPDATE SET cursor = excluded.cursor",
                (CATALOG_BUCKET, cursor),
            )
            conn.set_progress_handler(None, 0)  # past this point the install completes
            conn.execute("COMMIT")
        except BaseException as exc:
            conn.set_progress_handler(None, 0)
            if conn.in_transaction:  # a failed COMMIT (a full disk) may have rolled back already
                conn.execute("ROLLBACK")
            if cancel is not None and cancel.is_set() and isinstance(exc, sqlite3.OperationalError):
                raise InstallCancelled() from exc  # "interrupted": the progress handler stopped the copy
            raise
        finally:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("DETACH DATABASE snap")
    return cursor


def checkpoint(store: Store) -> bool:
    """After an install: copy the WAL's pages into the store file, then empty the WAL; whether it was emptied.

    First PASSIVE (waits for no one: readers go on reading, writers go on writing), which copies nearly all;
    then TRUNCATE, which copies what was committed meanwhile, waits up to TRUNCATE_WAIT_MS for readers still in
    the WAL, and cuts the file to 0 bytes (else a province's WAL would keep its gigabytes on the disk while the
    app runs). Readers are never blocked by either; writers wait for TRUNCATE only."""
    with _closing(_connect(store.path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        conn.execute(f"PRAGMA busy_timeout = {TRUNCATE_WAIT_MS}")
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    return not busy


def _no_catalog_cursor(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM main.sync_cursor WHERE bucket = ?", (CATALOG_BUCKET,)).fetchone() is None


def _set_aside(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Copy the catalog tables' rows to temporary tables; their ids by table."""
    kept: dict[str, list[str]] = {}
    for table in CATALOG_TABLES:
        ids = [str(r[0]) for r in conn.execute(f'SELECT id FROM main."{table}"')]
        if ids:
            conn.execute(f'CREATE TEMP TABLE "kept_{table}" AS SELECT * FROM main."{table}"')
            kept[table] = ids
    return kept


# The snapshot's rows governed by the store's own institutions (assigned or proposed: their inst: buckets).
_GOVERNED = {
    "institution": "SELECT id FROM main.institution WHERE id IN {own}",
    "achievement": "SELECT id FROM main.achievement WHERE institution_id IN {own}",
    "demand": "SELECT id FROM main.demand WHERE institution_id IN {own}",
    "ip_item": "SELECT id FROM main.ip_item WHERE achievement_id IN (SELECT id FROM main.achievement"
               " WHERE institution_id IN {own})",
}


def _put_back(conn: sqlite3.Connection, kept: dict[str, list[str]]) -> None:
    """Restore the kept rows; drop the snapshot's rows of the own institutions that the pull did not bring
    (deleted since: their tombstones went by before the snapshot was there); name both for `reindex_kept`."""
    for table in kept:
        conn.execute(f'INSERT OR REPLACE INTO main."{table}" SELECT * FROM temp."kept_{table}"')
        conn.execute(f'DROP TABLE temp."kept_{table}"')
    own = "(SELECT institution_id FROM main.assigned_institution)"
    for table, query in _GOVERNED.items():
        held = set(kept.get(table, ()))
        stale = [str(r[0]) for r in conn.execute(query.format(own=own)) if str(r[0]) not in held]
        if stale:
            conn.executemany(f'DELETE FROM main."{table}" WHERE id = ?', [(i,) for i in stale])
            kept.setdefault(table, []).extend(stale)  # indexing a missing row takes it out of the index
    if kept:
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)"
                     " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (REINDEX_KEY, json.dumps(kept)))


def reindex_kept(store: Store) -> int:
    """Index the rows an install kept (see `install`), in one transaction that also forgets them; how many.

    After a digest snapshot, also drop the digests of rows the store holds in full or its own institutions
    govern (their feed would have left them out): after the kept rows' indexing, which replaces such a digest's
    document by the full row's and reads the digest to do so.

    Its commit leaves the WAL as it is (right after an install, a WAL of gigabytes: `checkpoint` comes next)."""
    with store.engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        driver.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            with conn.begin():
                found = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?", (REINDEX_KEY,)).scalar()
                check = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?", (DIGESTS_KEY,)).scalar()
                if not found and not check:
                    return 0
                kept: dict[str, list[str]] = json.loads(str(found)) if found else {}
                for table, ids in kept.items():
                    search_index.reindex_rows(conn, table, ids)
                if check:
                    digests.drop_own(conn)
                conn.exec_driver_sql("DELETE FROM meta WHERE key IN (?, ?)", (REINDEX_KEY, DIGESTS_KEY))
        finally:
            driver.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
    return sum(len(ids) for ids in kept.values())


def _check_tables(conn: sqlite3.Connection, tables: tuple[str, ...]) -> None:
    """Every copied table must be declared in the snapshot exactly as in the store (same columns, same order)."""
    def declared(schema: str) -> dict[str, str]:
        rows = conn.execute(f"SELECT name, sql FROM {schema}.sqlite_master")
        return {str(name): " ".join(str(sql).split()) for name, sql in rows}

    mine, theirs = declared("main"), declared("snap")
    for table in (*tables, search_index.FTS):
        if table not in mine or mine[table] != theirs.get(table):
            raise SnapshotUnusable(f"table {table} differs from this store's")
    extra = {name for name in theirs if name not in mine}
    if extra:
        raise SnapshotUnusable(f"unknown objects: {', '.join(sorted(extra))}")
