"""FTS5 segment upkeep of the search index: whether a commit merges segments (bulk loads) or leaves it to `tidy`
(small writes, merged a little when a store closes), and `optimize` (one segment, after a large first sync)."""

from __future__ import annotations

from sqlalchemy import Connection

from specialist_app.store.search_schema import FTS

AUTOMERGE_BULK = 4  # FTS5's default
TIDY_PAGES = 500  # FTS5 pages `tidy` may merge per call (~2 MB, tens of milliseconds)


def fts_exists(conn: Connection) -> bool:
    """Whether this version's FTS5 table is there."""
    found = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS,))
    return found.first() is not None


def merge_inline(conn: Connection, bulk: bool) -> None:
    """Let this transaction's commits merge index segments (bulk loads) or leave that to `tidy` (small writes)."""
    wanted = AUTOMERGE_BULK if bulk else 0
    if conn.exec_driver_sql(f"SELECT v FROM {FTS}_config WHERE k = 'automerge'").scalar() != wanted:
        conn.exec_driver_sql(f"INSERT INTO {FTS} ({FTS}, rank) VALUES ('automerge', ?)", (wanted,))


def tidy(conn: Connection, pages: int = TIDY_PAGES) -> None:
    """Merge index segments a little (up to `pages`), as FTS5's automerge would have inside each commit.

    Called when a store closes (after a sync, at exit). Also turns automerge off in indexes made before it was.
    """
    if not fts_exists(conn):
        return
    merge_inline(conn, False)
    conn.exec_driver_sql(f"INSERT INTO {FTS} ({FTS}, rank) VALUES ('merge', ?)", (pages,))


def optimize(conn: Connection) -> None:
    """Merge the whole index into one segment, dropping what deletes left behind (a bulk load's deferred long texts
    replaced their short documents): at 1,000,000 achievements as digests 1,084 -> 945 MB, ~20 s. Its freed pages
    go back to the file's free list (`Store.release_free_pages` hands them to the file system)."""
    if fts_exists(conn):
        conn.exec_driver_sql(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")
