"""Catalog snapshot files on real stores: export, install into an empty store, refusals that change nothing."""

from __future__ import annotations

import itertools
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specialist_app.services import pull_apply, search
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import catalog_snapshot, meta, search_index
from specialist_app.store.db import Store, open_store
from sync.demo import achievements_only
from sync.ids import uuid7

QUERIES = ("电池", "光", "钙钛矿叠层", "材料", "zz-none")


def _page(changes: list[dict[str, Any]], cursor: int) -> dict[str, Any]:
    return {"changes": changes, "cursors": {"catalog": cursor}, "buckets": ["catalog"], "has_more": False,
            "server_time": "2025-03-01T08:00:00Z"}


def _catalog_changes(n: int) -> list[dict[str, Any]]:
    inst = uuid7()
    changes = [{"entity": "institution", "id": inst, "version": 1, "updated_at": "2025-03-01T08:00:00Z",
                "fields": {"name": "吉林大学", "org_type": "university", "status": "active"}, "masked": []}]
    for version, row in enumerate(itertools.islice(achievements_only(n, seed=7), n), start=2):
        fields = {k: v for k, v in row.items() if k not in ("id", "updated_at")}
        fields["institution_id"] = inst
        changes.append({"entity": "achievement", "id": row["id"], "version": version, "fields": fields,
                        "updated_at": "2025-03-01T08:00:00Z", "masked": ["price"] if version % 3 == 0 else []})
    changes.append({"entity": "achievement", "id": uuid7(), "version": n + 2, "updated_at": "2025-03-01T08:00:00Z",
                    "fields": {"title": "钙钛矿叠层电池", "institution_id": inst}, "masked": []})
    return changes


@pytest.fixture
def published(tmp_path: Path) -> Iterator[tuple[Store, Path, int]]:
    """A store that pulled a catalog (as a publisher's does), and its exported snapshot file."""
    source = open_store(tmp_path / "publisher" / "store.sqlite3")
    changes = _catalog_changes(300)
    cursor = int(changes[-1]["version"])
    with UnitOfWork(source) as uow:
        pull_apply.apply_page(uow.conn, _page(changes, cursor))
        uow.commit()
    target = tmp_path / "snapshot.sqlite3"
    catalog_snapshot.export(source, target, cursor)
    yield source, target, cursor
    source.close()


def _hits(store: Store, query: str) -> list[str]:
    with UnitOfWork(store) as uow:
        return [h.id for h in search.search(uow, query, limit=500).hits]


def _rows(store: Store, table: str) -> list[tuple[Any, ...]]:
    with UnitOfWork(store) as uow:
        return [tuple(r) for r in uow.conn.exec_driver_sql(f'SELECT * FROM "{table}" ORDER BY 1')]


def _integrity_check(store: Store) -> None:
    """FTS5's own check of its index structure (raises when the copied pages do not hold together)."""
    fts = search_index.FTS
    with UnitOfWork(store) as uow:
        uow.conn.exec_driver_sql(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 0)")


def _cursors(store: Store) -> dict[str, int]:
    with UnitOfWork(store) as uow:
        return meta.read_cursors(uow.conn)


def test_an_installed_snapshot_has_the_same_rows_and_search_results_as_its_source(
    published: tuple[Store, Path, int], store: Store
) -> None:
    source, snapshot, cursor = published
    assert catalog_snapshot.is_empty(store)
    assert catalog_snapshot.install(store, snapshot) == cursor
    assert _cursors(store) == {"catalog": cursor}
    assert not catalog_snapshot.is_empty(store)
    for table in catalog_snapshot.CATALOG_TABLES:
        assert _rows(store, table) == _rows(source, table)
    for query in QUERIES:
        assert _hits(store, query) == _hits(source, query)
    assert _hits(store, "钙钛矿叠层"), "the test query must find something"
    _integrity_check(store)


def test_the_installed_index_takes_later_pulls_and_edits(published: tuple[Store, Path, int], store: Store) -> None:
    _source, snapshot, cursor = published
    # A pooled connection reads the (empty) index first: FTS5 caches its structure per connection, and must
    # notice that the install's connection replaced it.
    assert _hits(store, "钙钛矿叠层") == []
    catalog_snapshot.install(store, snapshot)
    first = _hits(store, "钙钛矿叠层")[0]
    later = {"entity": "achievement", "id": first, "version": cursor + 1, "updated_at": "2025-03-02T08:00:00Z",
             "fields": {"title": "石墨烯散热膜", "institution_id": None}, "masked": []}
    with UnitOfWork(store) as uow:
        pull_apply.apply_page(uow.conn, _page([later], cursor + 1))
        uow.commit()
    assert first not in _hits(store, "钙钛矿叠层")
    assert _hits(store, "石墨烯散热") == [first]
    _integrity_check(store)


def test_a_store_with_catalog_rows_refuses_and_keeps_what_it_had(
    published: tuple[Store, Path, int], store: Store
) -> None:
    _source, snapshot, _cursor = published
    mine = _catalog_changes(2)
    with UnitOfWork(store) as uow:
        pull_apply.apply_page(uow.conn, _page(mine, 4))
        uow.commit()
    before = (_rows(store, "achievement"), _cursors(store), _hits(store, "钙钛矿"))
    assert not catalog_snapshot.is_empty(store)
    with pytest.raises(catalog_snapshot.SnapshotUnusable, match="already holds"):
        catalog_snapshot.install(store, snapshot)
    assert (_rows(store, "achievement"), _cursors(store), _hits(store, "钙钛矿")) == before


def _tamper(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("sql, reason", [
    ("UPDATE meta SET value = 'store3-index5' WHERE key = 'snapshot_format'", "format"),
    ("DELETE FROM meta WHERE key = 'snapshot_cursor'", "cursor"),
    ("ALTER TABLE achievement ADD COLUMN extra TEXT", "achievement differs"),
    ("CREATE TRIGGER t AFTER INSERT ON meta BEGIN SELECT 1; END", "unknown objects"),
])
def test_a_foreign_or_altered_file_is_refused_and_nothing_changes(
    published: tuple[Store, Path, int], store: Store, sql: str, reason: str
) -> None:
    _source, snapshot, _cursor = published
    _tamper(snapshot, sql)
    with pytest.raises(catalog_snapshot.SnapshotUnusable, match=reason):
        catalog_snapshot.install(store, snapshot)
    assert catalog_snapshot.is_empty(store)
    assert _rows(store, "achievement") == [] and _cursors(store) == {}


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path, store: Store) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(catalog_snapshot.SnapshotUnusable):
        catalog_snapshot.install(store, junk)
    assert catalog_snapshot.is_empty(store)


@pytest.mark.parametrize("change", ["cut", "longer"])
def test_a_file_shorter_or_longer_than_its_header_says_is_refused(
    published: tuple[Store, Path, int], store: Store, change: str
) -> None:
    # A download decompressed from a frame cut short (or holding a second frame) whose hash was the published one.
    _source, snapshot, _cursor = published
    data = snapshot.read_bytes()
    snapshot.write_bytes(data[: len(data) - 4096 * 3] if change == "cut" else data + data[:4096])
    with pytest.raises(catalog_snapshot.SnapshotUnusable, match="pages its header names"):
        catalog_snapshot.install(store, snapshot)
    assert catalog_snapshot.is_empty(store)


def test_the_export_holds_only_catalog_rows_and_needs_no_journal_file(published: tuple[Store, Path, int]) -> None:
    _source, snapshot, cursor = published
    conn = sqlite3.connect(snapshot)
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        assert meta.keys() == {"schema_version", "snapshot_format", "snapshot_cursor"}
        assert meta["snapshot_cursor"] == str(cursor)
        for table in ("outbox", "sync_cursor", "sync_run", "visit", "contact"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        conn.close()


def test_paths_with_spaces_marks_and_chinese_folder_names_work(
    published: tuple[Store, Path, int], tmp_path: Path
) -> None:
    _source, snapshot, cursor = published
    odd = tmp_path / "我的 数据 #1?x%20"
    odd.mkdir()
    moved = odd / "快照 file.sqlite3"
    moved.write_bytes(snapshot.read_bytes())
    store = open_store(odd / "store.sqlite3")
    try:
        assert catalog_snapshot.install(store, moved) == cursor
        assert _hits(store, "钙钛矿叠层")
    finally:
        store.close()
    assert sorted(p.name for p in odd.iterdir() if not p.name.startswith("store.sqlite3")) == ["快照 file.sqlite3"]


def test_the_publishers_own_rows_leave_no_bytes_in_the_file(published: tuple[Store, Path, int], tmp_path: Path) -> None:
    source, _snapshot, cursor = published
    private = "设备私有-" + "7f3a" * 50
    with UnitOfWork(source) as uow:
        uow.conn.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('profile_note', ?)", (private,))
        uow.commit()
    target = tmp_path / "again.sqlite3"
    catalog_snapshot.export(source, target, cursor)
    assert private.encode() not in target.read_bytes()  # not even in the pages the export freed


class _CancelAfter(threading.Event):
    """A cancel event that reads as set from its `calls`-th look on: a cancel arriving in the middle of the copy,
    at a point the test chooses rather than one a timer happens to hit."""

    def __init__(self, calls: int) -> None:
        super().__init__()
        self.looks, self.calls = 0, calls

    def is_set(self) -> bool:
        self.looks += 1
        return self.looks >= self.calls or super().is_set()


def test_a_cancel_in_the_middle_of_the_copy_rolls_it_back_and_a_later_install_works(
    published: tuple[Store, Path, int], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, snapshot, cursor = published
    monkeypatch.setattr(catalog_snapshot, "_CANCEL_CHECK_STEPS", 100)  # this small catalog copies in ~1 ms
    cancel = _CancelAfter(calls=3)
    with pytest.raises(catalog_snapshot.InstallCancelled):
        catalog_snapshot.install(store, snapshot, cancel=cancel)
    assert cancel.looks >= 3, "the copy must have looked at the event while it ran"
    assert catalog_snapshot.is_empty(store) and _cursors(store) == {}
    assert _hits(store, "钙钛矿叠层") == []
    assert catalog_snapshot.install(store, snapshot, cancel=threading.Event()) == cursor
    assert _rows(store, "achievement") == _rows(source, "achievement")
    _integrity_check(store)
