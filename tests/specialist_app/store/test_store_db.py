"""Opening, creating, checking and migrating real store files."""

from __future__ import annotations

import itertools
import sqlite3
import time
from pathlib import Path

import pytest

from specialist_app.store import migrations, search_index, tables
from specialist_app.store.db import (
    StoreDamaged,
    StoreTooNew,
    backup_paths,
    open_store,
    schema_version,
)
from sync.demo import achievements_only


def _fill(path: Path, n: int) -> None:
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT INTO expert (id, name, unit, updated_at, deleted) VALUES (?, ?, ?, '2025-01-01T00:00:00Z', 0)",
        [(f"00000000-0000-7000-8000-{i:012d}", f"专家{i}" * 5, "吉林大学" * 10) for i in range(n)],
    )
    conn.commit()
    conn.close()


def test_create_wal_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "p" / "store.sqlite3"
    store = open_store(path)
    assert path.exists() and schema_version(store) == migrations.LATEST_VERSION
    assert store.migrated_from is None and store.backup is None
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
        device = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'device_id'").scalar()
        conn.rollback()
    store.close()
    _fill(path, 3)
    again = open_store(path)
    with again.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM expert").scalar() == 3
        assert conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'device_id'").scalar() == device
        conn.rollback()
    again.close()
    assert backup_paths(path) == []


def test_damaged_pages_are_reported_with_backup(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    open_store(path).close()
    _fill(path, 3000)
    backup = path.with_name(path.name + ".v1-20250101T000000000000Z.bak")
    backup.write_bytes(path.read_bytes())
    page = 4096
    data = bytearray(path.read_bytes())
    assert len(data) > 20 * page
    for n in range(len(data) // page // 2, len(data) // page // 2 + 3):
        data[n * page : n * page + 200] = b"\xa5" * 200
    path.write_bytes(bytes(data))
    with pytest.raises(StoreDamaged) as info:
        open_store(path)
    assert info.value.backup == backup
    zh, en = info.value.message("zh_CN"), info.value.message("en")
    assert str(path) in zh and str(backup) in zh and "损坏" in zh
    assert str(path) in en and str(backup) in en and "damaged" in en


def test_not_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"PK\x03\x04 this is a zip, not a store" * 100)
    with pytest.raises(StoreDamaged) as info:
        open_store(path)
    assert info.value.backup is None
    assert "没有备份" in info.value.message() and "no backup" in info.value.message("en")
    assert path.read_bytes().startswith(b"PK")  # left untouched


def test_foreign_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreDamaged):
        open_store(path)


def test_too_new_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(migrations.LATEST_VERSION + 1),))
    conn.commit()
    conn.close()
    with pytest.raises(StoreTooNew) as info:
        open_store(path)
    assert info.value.found == migrations.LATEST_VERSION + 1
    assert "更新版本" in info.value.message() and "newer version" in info.value.message("en")
    assert backup_paths(path) == []


def _schema(path: Path) -> dict[str, object]:
    conn = sqlite3.connect(path)
    out: dict[str, object] = {}
    for name in sorted(tables.metadata.tables):
        cols = conn.execute(f"PRAGMA table_info({name})").fetchall()
        idx = sorted(
            (r[1], tuple(c[2] for c in conn.execute(f"PRAGMA index_info({r[1]})")))
            for r in conn.execute(f"PRAGMA index_list({name})")
        )
        out[name] = ([(c[1], c[2].upper(), c[3], c[4], c[5]) for c in cols], idx)
    conn.close()
    return out


def _write_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(migrations.schema_v1_sql())
    conn.close()


def test_v1_store_upgrades_with_unsent_edits_intact(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    _write_v1(path)
    inst = "0190a000-0000-7000-8000-000000000001"
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO institution (id, name, org_type, server_version, base_version, updated_at, deleted)"
        " VALUES (?, '吉林大学', 'university', 7, 7, '2025-03-01T00:00:00Z', 0)",
        (inst,),
    )
    conn.execute(
        "INSERT INTO outbox (entity, row_id, op, fields, base, base_version, created_at)"
        " VALUES ('institution', ?, 'update', '{\"name\": \"吉林大学\"}', '{\"name\": \"吉大\"}', 7,"
        " '2025-03-01T00:00:00Z')",
        (inst,),
    )
    conn.commit()
    conn.close()

    store = open_store(path)
    assert store.migrated_from == 1 and schema_version(store) == migrations.LATEST_VERSION
    with store.engine.connect() as c:
        assert c.exec_driver_sql("SELECT name, base_version FROM institution").all() == [("吉林大学", 7)]
        row = c.execute(tables.outbox.select()).mappings().one()
        assert (row["op"], row["fields"], row["base"], row["sent_at"]) == (
            "update", {"name": "吉林大学"}, {"name": "吉大"}, None,
        )
        c.execute(tables.sync_run.insert(), [{"started_at": "2025-03-02T00:00:00Z"}])
        assert c.exec_driver_sql("SELECT pushed FROM sync_run").scalar() == 0
        c.rollback()
    store.close()
    assert store.backup is not None and store.backup in backup_paths(path)
    old = sqlite3.connect(store.backup)
    assert old.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
    assert old.execute("SELECT count(*) FROM outbox").fetchone() == (1,)
    old.close()


def test_migrated_schema_equals_fresh_schema(tmp_path: Path) -> None:
    fresh, old = tmp_path / "fresh.sqlite3", tmp_path / "old.sqlite3"
    open_store(fresh).close()
    _write_v1(old)
    open_store(old).close()
    assert _schema(old) == _schema(fresh)


def test_failed_migration_step_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "store.sqlite3"
    _write_v1(path)
    broken = (migrations.STEPS[2][0], "CREATE INDEX broken ON no_such_table (x)")
    monkeypatch.setitem(migrations.STEPS, 2, broken)
    with pytest.raises(StoreDamaged, match="no_such_table"):
        open_store(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'sync_run'").fetchone() is None
    conn.close()


def test_a_sync_sized_commit_leaves_its_pages_in_the_wal_until_a_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    store = open_store(path)
    keeper = sqlite3.connect(path)  # another connection (the GUI's): closing the store is not the file's last close
    try:
        before = path.stat().st_size
        with store.engine.begin() as conn:  # ~1,500 pages, more than SQLite's default auto-checkpoint of 1,000
            conn.exec_driver_sql(
                "INSERT INTO expert (id, name, specialties, updated_at, deleted) VALUES (?, ?, ?, ?, 0)",
                [(f"e{i}", f"专家{i}", "研究" * 1500, "2026-01-01T00:00:00Z") for i in range(1500)],
            )
        wal = path.with_name(path.name + "-wal")
        assert wal.stat().st_size > 1500 * 4096
        assert path.stat().st_size == before  # the commit did not copy its pages into the file
        store.close()  # checkpoints
        assert path.stat().st_size > before + 1500 * 4096
        assert keeper.execute("SELECT count(*) FROM expert").fetchone()[0] == 1500
    finally:
        keeper.close()


def test_closing_does_not_wait_for_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    store = open_store(path)
    rows = [{**r, "updated_at": "2025-01-01T00:00:00Z"} for r in itertools.islice(achievements_only(240, seed=9), 240)]
    for first in range(0, 240, 30):  # separate commits leave index segments for closing to merge
        with store.engine.begin() as conn:
            search_index.index_rows(conn, "achievement", rows[first : first + 30])
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another connection (a sync) holds the write lock
    try:
        began = time.monotonic()
        store.close()  # the index upkeep is skipped, not waited for (the busy timeout is 10 s)
        assert time.monotonic() - began < 5
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.parametrize("folder", ["我的 数据", "a#1", "x%20y", "q?x=1&y"])
def test_the_store_file_is_where_its_path_says_whatever_the_folder_is_called(tmp_path: Path, folder: str) -> None:
    """The engine gets the path as it is (a URL string would cut it at "?" and decode "%20")."""
    path = tmp_path / folder / "store.sqlite3"
    store = open_store(path)
    try:
        with store.engine.connect() as conn:
            files = [str(r[2]) for r in conn.exec_driver_sql("PRAGMA database_list") if r[1] == "main"]
    finally:
        store.close()
    assert files == [str(path)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]


def test_a_new_store_gives_free_pages_back_after_its_index_is_compacted(tmp_path: Path) -> None:
    """A store this version creates can shrink (auto_vacuum = INCREMENTAL); after a bulk load with deferred long
    texts, merging the index into one segment and releasing the free pages makes the file smaller, the hits the same."""
    from specialist_app.services import search as S
    from specialist_app.services import sync_ops
    from specialist_app.services.uow import ReadUnitOfWork

    path = tmp_path / "store.sqlite3"
    store = open_store(path)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA auto_vacuum").scalar() == 2
        rows = list(itertools.islice(achievements_only(3000, seed=11), 3000))
        for start in range(0, len(rows), 500):  # pages as a first sync applies them, long texts deferred
            sync_ops.apply_pull_page(store, {"changes": [
                {"entity": "achievement", "id": r["id"], "version": start + i + 1, "deleted": False, "scope": None,
                 "updated_by": "admin", "updated_at": "2025-03-01T08:00:00Z", "masked": [],
                 "fields": {k: v for k, v in r.items() if k in ("title", "summary", "keywords", "domain")}}
                for i, r in enumerate(rows[start:start + 500])], "cursors": {"catalog": start + 500},
                "buckets": ["catalog"]})
        while sync_ops.index_deferred(store, 1000):
            pass
        store.checkpoint()

        def hits() -> list[tuple[str, int]]:
            with ReadUnitOfWork(store) as read:
                return [(q, S.search(read, q, entities=["achievement"]).total) for q in ("光", "材料", "复合材料")]

        before, size = hits(), path.stat().st_size
        sync_ops.compact_index(store)
        assert hits() == before and path.stat().st_size < size
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA freelist_count").scalar() == 0
    finally:
        store.close()


def test_a_migration_that_frees_much_of_the_file_is_followed_by_a_vacuum(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    open_store(path).close()
    _fill(path, 3000)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA auto_vacuum = NONE")
    conn.execute("VACUUM")  # as a file made before this version: no auto_vacuum
    conn.execute("DELETE FROM expert")  # most of the file free, as migration 10 left a big store
    for later in ("ix_achievement_collected_by", "ix_demand_collected_by"):
        conn.execute(f"DROP INDEX {later}")
    conn.execute("UPDATE meta SET value = '11' WHERE key = 'schema_version'")
    conn.commit()
    assert conn.execute("PRAGMA auto_vacuum").fetchone() == (0,)
    conn.close()
    size = path.stat().st_size
    store = open_store(path)
    store.close()
    assert store.migrated_from == 11 and path.stat().st_size < size / 2
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA auto_vacuum").fetchone() == (2,)
    assert conn.execute("PRAGMA freelist_count").fetchone() == (0,)
    conn.close()


def test_a_vacuum_that_cannot_run_leaves_the_store_opening(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from specialist_app.store import db

    def busy(_engine: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    path = tmp_path / "store.sqlite3"
    _write_v1(path)
    monkeypatch.setattr(db, "_vacuum_if_mostly_free", busy)
    store = open_store(path)
    assert store.migrated_from == 1 and schema_version(store) == migrations.LATEST_VERSION
    store.close()
