"""Opening the store file: create or migrate it (after a backup copy), WAL mode, and an integrity check."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, exc
from sqlalchemy.pool import ConnectionPoolEntry

from specialist_app.store import migrations, search_index, tables
from sync.ids import uuid7
from sync.messages import render

BUSY_TIMEOUT_MS = 10_000
# WAL pages a commit may leave before that commit copies them into the store file itself (SQLite's default is
# 1,000). A sync's 100-row pull writes ~1,500 pages; copying them inside its commit cost 100-300 ms here, so
# checkpoints run when a store is closed (`Store.close`) and only a commit past this mark pays for one.
WAL_AUTOCHECKPOINT_PAGES = 4000
_SQLITE_HEADER = b"SQLite format 3\x00"
# Connection execution option naming the statement that opens a transaction ("BEGIN IMMEDIATE" for writers).
BEGIN_OPTION = "sqlite_begin"


class StoreError(Exception):
    """A store file problem the user must act on; `message(lang)` says what to do (zh_CN or en)."""

    code = "store_error"

    def __init__(self, path: Path, **params: Any) -> None:
        self.path = Path(path)
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh_CN") -> str:
        return render(self.code, lang, path=str(self.path), **self.params)


class StoreDamaged(StoreError):
    """The file is not a readable store (integrity check failed, not SQLite, or not ours)."""

    def __init__(self, path: Path, detail: str) -> None:
        self.backup = latest_backup(Path(path))
        self.code = "store_damaged" if self.backup else "store_damaged_no_backup"
        super().__init__(path, detail=detail, backup=str(self.backup or ""))


class StoreTooNew(StoreError):
    """The file was written by a newer app version (its schema version is above LATEST_VERSION)."""

    code = "store_too_new"

    def __init__(self, path: Path, found: int) -> None:
        self.found = found
        super().__init__(path, found=found, supported=migrations.LATEST_VERSION)


class Store:
    """An open store file: a SQLAlchemy engine over it; `migrated_from`/`backup` tell what opening did.

    `read_engine` is a second pool over the same file whose connections are `query_only`: read-only work
    (services.uow.ReadUnitOfWork) uses it, so a read never waits for a writer's lock and can never write.
    """

    def __init__(self, engine: Engine, path: Path, *, migrated_from: int | None, backup: Path | None) -> None:
        self.engine = engine
        self.read_engine = make_engine(path, query_only=True)
        self.path = path
        self.migrated_from = migrated_from
        self.backup = backup

    def checkpoint(self) -> None:
        """Copy committed WAL pages into the store file without waiting for readers or writers (PASSIVE)."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def tidy(self) -> None:
        """Upkeep that writers leave for later: merge search-index segments a little, then checkpoint.

        Fails at once ("database is locked") when another connection is writing: its read transaction cannot
        become a writer, so SQLite does not wait.
        """
        with self.engine.begin() as conn:
            search_index.tidy(conn)
        self.checkpoint()

    def release_free_pages(self) -> None:
        """Give the file's free pages back to the file system (a store made with auto_vacuum = INCREMENTAL: every
        store this version creates; an older one keeps them for its later writes), then checkpoint."""
        raw = self.engine.raw_connection()  # its own statement: SQLite runs it outside a transaction
        try:
            # executescript steps the pragma to its end (execute() frees a single page).
            raw.driver_connection.executescript("PRAGMA incremental_vacuum;")  # type: ignore[union-attr]
        finally:
            raw.close()
        self.checkpoint()

    def close(self) -> None:
        # Closing must not fail (a busy or read-only file only skips the upkeep); SQLite also checkpoints
        # when the file's last connection closes.
        with contextlib.suppress(sqlite3.Error, exc.SQLAlchemyError):
            self.tidy()
        self.read_engine.dispose()
        self.engine.dispose()


def backup_paths(path: Path) -> list[Path]:
    """Backup copies of a store file, newest first."""
    found = [p for p in path.parent.glob(path.name + ".*.bak") if p.is_file()]
    return sorted(found, key=lambda p: p.name, reverse=True)


def latest_backup(path: Path) -> Path | None:
    found = backup_paths(path)
    return found[0] if found else None


def backup_store(path: Path, label: str) -> Path:
    """Copy the store with SQLite's backup API (consistent even with WAL) to <name>.<label>-<UTC time>.bak."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.{label}-{stamp}.bak")
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def make_engine(path: Path, *, query_only: bool = False) -> Engine:
    """An engine whose connections use WAL-friendly pragmas and real (DDL-including) transactions.

    With `query_only` every connection refuses writes (SQLite's `PRAGMA query_only`).
    """
    # A URL object, not "sqlite:///<path>": URL parsing would cut a path at "?" and decode "%20" in folder names.
    engine = create_engine(URL.create("sqlite+pysqlite", database=str(path)))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Driver autocommit: SQLAlchemy's "begin" event below emits BEGIN itself, so DDL is transactional too.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")  # kept in the file; must run outside a transaction
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
        cursor.execute("PRAGMA foreign_keys = OFF")
        if query_only:
            cursor.execute("PRAGMA query_only = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(str(conn.get_execution_options().get(BEGIN_OPTION, "BEGIN")))

    return engine


def open_store(path: Path, *, check: bool = True) -> Store:
    """Open (creating or migrating as needed) the store file at `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _check_header(path)
    if not path.exists() or path.stat().st_size == 0:
        _new_file(path)
    engine = make_engine(path)
    try:
        return _open(engine, path, check)
    except (sqlite3.DatabaseError, exc.DatabaseError) as err:
        engine.dispose()
        raise StoreDamaged(path, _detail(err)) from err
    except BaseException:
        engine.dispose()
        raise


def _open(engine: Engine, path: Path, check: bool) -> Store:
    with engine.connect() as conn:
        if check:
            result = [str(row[0]) for row in conn.exec_driver_sql("PRAGMA quick_check")]
            if result != ["ok"]:
                raise StoreDamaged(path, "; ".join(result[:3]))
        version = _schema_version(conn, path)
        conn.rollback()
    migrated_from: int | None = None
    backup: Path | None = None
    if version is None:
        with engine.begin() as conn:
            tables.metadata.create_all(conn)
            conn.execute(tables.meta.insert(), [{"key": "schema_version", "value": str(migrations.LATEST_VERSION)}])
    elif version > migrations.LATEST_VERSION:
        raise StoreTooNew(path, version)
    elif version < migrations.LATEST_VERSION:
        backup = backup_store(path, f"v{version}")
        for target in range(version + 1, migrations.LATEST_VERSION + 1):
            with engine.begin() as conn:
                for statement in migrations.STEPS[target]:
                    conn.exec_driver_sql(statement)
                conn.execute(
                    tables.meta.update().where(tables.meta.c.key == "schema_version"), {"value": str(target)}
                )
        migrated_from = version
        # Upkeep only: a file another program holds open (busy) stays as big as it is, and opens all the same.
        with contextlib.suppress(sqlite3.Error, exc.SQLAlchemyError):
            _vacuum_if_mostly_free(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', ?)", (uuid7(),))
    return Store(engine, path, migrated_from=migrated_from, backup=backup)


# A migration that leaves more than this share of the file's pages free (v10 rebuilt catalog_digest: 757 MB of a
# 3.3 GB file at 1,000,000 achievements) is followed by a VACUUM (~33 s there, once).
VACUUM_FREE_SHARE = 0.2


def _vacuum_if_mostly_free(engine: Engine) -> None:
    """After a migration: give a large free share back to the file system (the search index merged first), and make
    the file able to do so later (auto_vacuum = INCREMENTAL, which a file made before this version lacks; only a
    VACUUM can change it)."""
    with engine.connect() as conn:
        free, pages = (int(conn.exec_driver_sql(f"PRAGMA {p}").scalar_one()) for p in ("freelist_count", "page_count"))
        conn.rollback()
    if not pages or free / pages <= VACUUM_FREE_SHARE:
        return
    with engine.begin() as conn:  # the index in one segment too, as a first sync leaves it (-140 MB at 1,000,000)
        search_index.optimize(conn)
    raw = engine.raw_connection()
    try:
        raw.driver_connection.executescript("PRAGMA auto_vacuum = INCREMENTAL; VACUUM;")  # type: ignore[union-attr]
    finally:
        raw.close()


def _new_file(path: Path) -> None:
    """An empty store file whose free pages can go back to the file system later (Store.release_free_pages, after
    a first sync's index merge): auto_vacuum is only settable before the file's first page is written, which
    the WAL setting of every connection does."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


def _schema_version(conn: Connection, path: Path) -> int | None:
    names = {str(r[0]) for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not names:
        return None
    if "meta" not in names:
        raise StoreDamaged(path, "not a specialist-app data file")
    row = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'schema_version'").first()
    if row is None:
        raise StoreDamaged(path, "no schema version")
    try:
        return int(row[0])
    except (TypeError, ValueError):
        raise StoreDamaged(path, f"bad schema version {row[0]!r}") from None


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return
    if head and head != _SQLITE_HEADER:
        raise StoreDamaged(path, "not an SQLite database")


def _detail(err: BaseException) -> str:
    orig = getattr(err, "orig", None)
    return str(orig or err).splitlines()[0][:200]


def schema_version(store: Store) -> int:
    """The schema version recorded in the store."""
    with store.engine.connect() as conn:
        value = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'schema_version'").scalar_one()
        conn.rollback()
    return int(value)
