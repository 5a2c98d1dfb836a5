"""A province's digest snapshot on a first sync, against a loopback HTTP server serving a real snapshot file: a
store of that home province installs it (catalog, digests, index, both cursors); any other store never does, even
when the server's answer names the wrong province, and pages instead."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specialist_app.services import pull_apply, search
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import catalog_snapshot, db, digests, meta
from specialist_app.store.db import Store, open_store
from specialist_app.sync_engine import snapshot, snapshot_publish
from specialist_app.sync_engine.transport import Transport
from sync.demo import achievements_only
from tests.specialist_app.sync_engine.snapshot_server import CURSOR, SnapshotServer

DIGEST_CURSOR = 77


def _digest(n: int, record: dict[str, Any]) -> dict[str, Any]:
    return {"entity": "achievement", "id": record["id"], "version": 100 + n, "province": "11",
            "institution_name": "北京催化研究院", "org_type": "institute", "updated_at": "2025-03-01T08:00:00Z",
            "fields": {"title": record["title"], "keywords": record.get("keywords"), "trl": record.get("trl")}}


def _published(tmp: Path, province: str | None) -> tuple[bytes, Path]:
    """A real snapshot file (zstd) of a store that pulled 30 demo achievements in full and 30 as digests (a
    digest snapshot of `province`), or only the 30 in full (province None: the public catalog's); and the plain
    file."""
    source = open_store(tmp / "publisher.sqlite3")
    records = list(itertools.islice(achievements_only(60, seed=5), 60))
    changes = [{"entity": "achievement", "id": r["id"], "version": v, "updated_at": "2025-03-01T08:00:00Z",
                "fields": {k: x for k, x in r.items() if k not in ("id", "updated_at")}, "masked": []}
               for v, r in enumerate(records[:30], start=1)]
    with UnitOfWork(source) as uow:
        pull_apply.apply_page(uow.conn, {"changes": changes, "cursors": {"catalog": CURSOR}, "buckets": ["catalog"]})
        if province is not None:
            digests.apply(uow.conn, [_digest(n, r) for n, r in enumerate(records[30:])], DIGEST_CURSOR)
        uow.commit()
    plain, packed = tmp / "snapshot.sqlite3", tmp / "snapshot.zst"
    catalog_snapshot.export(source, plain, CURSOR, province=province, digest_cursor=DIGEST_CURSOR)
    source.close()
    snapshot_publish._compress(plain, packed)
    return packed.read_bytes(), plain


@pytest.fixture(scope="module")
def jilin_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, Path]:
    return _published(tmp_path_factory.mktemp("jilin"), "22")


@pytest.fixture
def served(jilin_file: tuple[bytes, Path]) -> Iterator[SnapshotServer]:
    server = SnapshotServer(jilin_file[0])
    server.info["province"] = "22"
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def _hits(store: Store, query: str) -> list[tuple[str, str | None]]:
    with UnitOfWork(store) as uow:
        return [(h.id, h.digest_province) for h in search.search(uow, query, limit=100).hits]


def _untouched(store: Store) -> bool:
    with UnitOfWork(store) as uow:
        no_digests = uow.conn.exec_driver_sql("SELECT count(*) FROM catalog_digest").scalar() == 0
        return no_digests and digests.cursor(uow.conn) == 0 and catalog_snapshot.is_empty(store)


def test_a_store_of_the_province_installs_catalog_digests_index_and_both_cursors(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    assert snapshot.bootstrap(store, transport, province="22") == CURSOR
    assert any("province=22" in p for p in served.paths if p.startswith("/catalog-snapshot?"))
    with UnitOfWork(store) as uow:
        assert meta.read_cursors(uow.conn) == {"catalog": CURSOR}
        assert digests.cursor(uow.conn) == DIGEST_CURSOR
        assert uow.conn.exec_driver_sql("SELECT count(*) FROM catalog_digest").scalar() == 30
        assert uow.conn.exec_driver_sql("SELECT count(*) FROM achievement").scalar() == 30
        assert search.search(uow, "").total == 60
    found = _hits(store, "北京催化研究院")  # found by their institution's name: only the digests carry it
    assert len(found) == 30 and {p for _, p in found} == {"11"}


def test_a_store_of_another_province_does_not_download_it(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    assert snapshot.bootstrap(store, transport, province="11") is None
    assert served.downloads() == 0 and _untouched(store)


def test_a_store_without_a_home_province_does_not_take_it(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    assert snapshot.bootstrap(store, transport) is None
    assert served.downloads() == 0 and _untouched(store)


def test_a_file_of_another_province_is_never_installed_whatever_the_answer_says(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    served.info["province"] = "11"  # the answer names the store's province; the file is Jilin's
    assert snapshot.bootstrap(store, transport, province="11") is None
    assert served.downloads() == 1 and _untouched(store)
    assert not list(store.path.parent.glob(f"{store.path.name}.*snapshot*"))


def test_the_public_catalogs_file_is_not_installed_as_a_provinces(
    store: Store, jilin_file: tuple[bytes, Path], tmp_path: Path
) -> None:
    _packed, national = _published(tmp_path, None)
    with pytest.raises(catalog_snapshot.SnapshotUnusable):
        catalog_snapshot.install(store, national, province="22")
    with pytest.raises(catalog_snapshot.SnapshotUnusable):
        catalog_snapshot.install(store, jilin_file[1], province=None)
    assert _untouched(store)
    assert catalog_snapshot.install(store, jilin_file[1], province="22") == CURSOR


def test_neither_the_install_nor_dropping_the_own_digests_copies_the_wal_before_the_checkpoint(
    tmp_path: Path, transport: Transport, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A checkpoint at each commit, unless turned off: the store's own connections, and the install's.
    monkeypatch.setattr(db, "WAL_AUTOCHECKPOINT_PAGES", 1)
    store = open_store(tmp_path / "store.sqlite3")
    connect = catalog_snapshot._connect

    def eager(path: Path) -> sqlite3.Connection:
        conn = connect(path)
        conn.execute("PRAGMA wal_autocheckpoint = 1")
        return conn

    monkeypatch.setattr(catalog_snapshot, "_connect", eager)
    install, checkpoint, sizes = catalog_snapshot.install, catalog_snapshot.checkpoint, []

    def measured_install(target: Store, path: Path, **params: Any) -> int:
        try:
            return install(target, path, **params)
        finally:
            sizes.append(target.path.stat().st_size)

    def measured_checkpoint(target: Store) -> bool:  # after reindex_kept, which wrote (the digest snapshot's key)
        sizes.append(target.path.stat().st_size)
        return checkpoint(target)

    monkeypatch.setattr(catalog_snapshot, "install", measured_install)
    monkeypatch.setattr(catalog_snapshot, "checkpoint", measured_checkpoint)
    try:
        assert snapshot.bootstrap(store, transport, province="22") == CURSOR
        # The install's pages reached the store file only with the checkpoint.
        [after_install, at_checkpoint] = sizes
        assert after_install == at_checkpoint < store.path.stat().st_size
        assert store.path.with_name(f"{store.path.name}-wal").stat().st_size == 0
        with UnitOfWork(store) as uow:
            assert search.search(uow, "").total == 60
    finally:
        store.close()
