"""Installing a catalog snapshot on a first sync, against a loopback HTTP server that serves a real snapshot file."""

from __future__ import annotations

import errno
import hashlib
import os
import threading
from pathlib import Path
from typing import Any

import pytest
import zstandard

from specialist_app.services import search
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store import catalog_snapshot, meta
from specialist_app.store.db import Store
from specialist_app.sync_engine import download, snapshot, unpack
from specialist_app.sync_engine.errors import DiskFull, ServerError, SyncCancelled
from specialist_app.sync_engine.transport import Transport
from tests.specialist_app.sync_engine.snapshot_server import CURSOR, SnapshotServer, documents, work_files


def test_a_first_sync_downloads_verifies_and_installs_it(store: Store, transport: Transport) -> None:
    phases: list[str] = []
    assert snapshot.bootstrap(store, transport, lambda phase, done, total: phases.append(phase)) == CURSOR
    assert documents(store) == 60
    with UnitOfWork(store) as uow:
        assert meta.read_cursors(uow.conn) == {"catalog": CURSOR}
    assert "snapshot" in phases and phases[-3:] == ["install", "checkpoint", "checkpoint"]
    assert work_files(store) == []


def test_a_store_with_a_catalog_asks_for_nothing(store: Store, transport: Transport, served: SnapshotServer) -> None:
    assert snapshot.bootstrap(store, transport) == CURSOR
    served.paths.clear()
    assert snapshot.bootstrap(store, transport) is None
    assert served.paths == []


@pytest.mark.parametrize("case", ["server error", "other format", "not a sha256"])
def test_no_usable_offer_means_no_download_and_an_untouched_store(
    store: Store, transport: Transport, served: SnapshotServer, case: str
) -> None:
    if case == "server error":
        served.meta_status = 500
    elif case == "other format":
        served.info["format"] = "store3-index5"
    else:
        served.info["sha256"] = "../etc/passwd"
    assert snapshot.bootstrap(store, transport) is None
    assert served.downloads() == 0
    assert catalog_snapshot.is_empty(store) and work_files(store) == []


def test_bytes_that_do_not_match_the_sha256_are_dropped_and_not_installed(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    served.data = served.data[:-10] + bytes(10)
    assert snapshot.bootstrap(store, transport) is None
    assert catalog_snapshot.is_empty(store) and work_files(store) == []


def _part(store: Store, served: SnapshotServer) -> Path:
    return store.path.with_name(f"{store.path.name}.{served.info['sha256'][:16]}.snapshot.part")


def test_a_part_left_by_a_cut_download_is_continued(store: Store, transport: Transport, served: SnapshotServer) -> None:
    part = _part(store, served)
    part.write_bytes(served.data[:5000])
    assert snapshot.bootstrap(store, transport) == CURSOR
    assert served.ranges == ["bytes=5000-"]  # the kept bytes were read back, not downloaded again
    assert documents(store) == 60 and not part.exists()


def test_a_published_file_cut_short_means_pages_even_with_its_own_hash(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    served.data = served.data[: len(served.data) // 2]
    served.info |= {"sha256": hashlib.sha256(served.data).hexdigest(), "size": len(served.data)}
    assert snapshot.bootstrap(store, transport) is None
    assert catalog_snapshot.is_empty(store) and work_files(store) == []


def test_a_download_cut_off_goes_on_where_it_was_cut_and_unpacks_the_same(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    cut = 2 * download.CHUNK  # (a chunk the cut leaves incomplete is not written: the body goes on before it)
    assert cut < len(served.data)
    served.cut_at = cut
    assert snapshot.bootstrap(store, transport) == CURSOR
    assert served.ranges == [None, f"bytes={cut}-"]
    assert documents(store) == 60 and work_files(store) == []


def test_a_run_that_ended_mid_download_is_continued_by_the_next(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    cut = 3 * download.CHUNK
    served.cut_at = cut

    def then_down(phase: str, done: int, total: int | None) -> None:
        served.down = True  # the next attempt finds the server gone: the run fails, its part kept

    with pytest.raises(ServerError):
        snapshot.bootstrap(store, transport, then_down)
    assert work_files(store) == [_part(store, served).name] and _part(store, served).stat().st_size == cut
    served.down = False
    assert snapshot.bootstrap(store, transport) == CURSOR
    assert served.ranges == [None, f"bytes={cut}-", f"bytes={cut}-"]
    assert documents(store) == 60 and work_files(store) == []


def test_a_part_the_server_has_no_rest_of_is_downloaded_again_from_zero(store: Store, served: SnapshotServer) -> None:
    # The start of some other zstd file, longer than the snapshot: read back without complaint, answered 416.
    other = zstandard.ZstdCompressor(level=1).compress(os.urandom(len(served.data) * 2))
    _part(store, served).write_bytes(other[: len(served.data) + 100])
    transport = Transport(served.url, max_attempts=2)  # a 416 is one attempt
    try:
        assert snapshot.bootstrap(store, transport) == CURSOR
    finally:
        transport.close()
    assert served.ranges == [f"bytes={len(served.data) + 100}-", None]
    assert documents(store) == 60 and work_files(store) == []


def test_a_kept_part_that_is_not_zstd_is_downloaded_again_from_zero(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    _part(store, served).write_bytes(b"SQLite format 3\x00" + bytes(3000))
    assert snapshot.bootstrap(store, transport) == CURSOR
    assert served.ranges == [None]
    assert documents(store) == 60 and work_files(store) == []


def test_the_catalog_is_searchable_from_the_commit_and_the_wal_emptied_after(
    store: Store, transport: Transport, monkeypatch: pytest.MonkeyPatch
) -> None:
    wal = store.path.with_name(f"{store.path.name}-wal")
    checkpoint = catalog_snapshot.checkpoint
    seen: list[tuple[int, int, int]] = []
    reported: list[tuple[str, int]] = []

    def searched_first(target: Store) -> bool:  # between the install's commit (and reindex_kept) and the checkpoint
        with ReadUnitOfWork(target) as uow:  # a connection of the read pool, as the GUI's searches
            seen.append((search.search(uow, "").total, wal.stat().st_size, target.path.stat().st_size))
        reported.append(("checkpoint started", 0))
        return checkpoint(target)

    before = store.path.stat().st_size
    monkeypatch.setattr(catalog_snapshot, "checkpoint", searched_first)
    assert snapshot.bootstrap(store, transport, lambda phase, done, total: reported.append((phase, done))) == CURSOR
    [(searchable, wal_size, file_size)] = seen
    assert searchable == 60
    # The install is reported done (searchable) when it committed, not after the checkpoint's seconds.
    assert reported[-4:] == [("install", 1), ("checkpoint", 0), ("checkpoint started", 0), ("checkpoint", 1)]
    # The commit left the copied pages in the WAL: the store file had not grown yet; the checkpoint copied them
    # and cut the WAL to nothing.
    assert file_size == before and wal_size > 0
    assert store.path.stat().st_size > before and wal.stat().st_size == 0
    assert documents(store) == 60


def test_a_full_disk_is_a_clear_error_and_keeps_the_download(
    store: Store, transport: Transport, served: SnapshotServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    class FullDisk:  # a decompressor whose output cannot be written
        def __init__(self, **_params: Any) -> None:
            pass

        def stream_writer(self, *_args: Any, **_params: Any) -> FullDisk:
            return self

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self) -> None:
            pass

    monkeypatch.setattr(unpack.zstandard, "ZstdDecompressor", FullDisk)
    with pytest.raises(DiskFull):
        snapshot.bootstrap(store, transport)
    assert catalog_snapshot.is_empty(store)
    assert [name.endswith(".snapshot.part") for name in work_files(store)] == [True]  # resumable, nothing else
    monkeypatch.undo()  # room again: the next sync goes on from the part
    assert snapshot.bootstrap(store, transport) == CURSOR
    assert served.ranges[-1] is not None and documents(store) == 60 and work_files(store) == []


def test_cancelling_keeps_the_download_for_the_next_sync(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(SyncCancelled):
        snapshot.bootstrap(store, transport, cancel=cancel)
    assert catalog_snapshot.is_empty(store) and len(work_files(store)) == 1
    served.paths.clear()
    assert snapshot.bootstrap(store, transport) == CURSOR
    assert served.downloads() == 0  # the whole file was already here
    assert work_files(store) == []


def test_work_files_of_a_killed_run_go_once_the_store_has_its_catalog(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    assert snapshot.bootstrap(store, transport) == CURSOR
    leftovers = [store.path.with_name(f"{store.path.name}.snapshot.sqlite3"),
                 store.path.with_name(f"{store.path.name}.0123456789abcdef.snapshot.part")]
    for path in leftovers:
        path.write_bytes(b"half a file")
    served.paths.clear()
    assert snapshot.bootstrap(store, transport) is None
    assert work_files(store) == [] and served.paths == []
