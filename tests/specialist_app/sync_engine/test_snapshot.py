"""Installing a catalog snapshot on a first sync, against a loopback HTTP server that serves a real snapshot file."""

from __future__ import annotations

import errno
import hashlib
import itertools
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import zstandard

from specialist_app.services import pull_apply, search
from specialist_app.services.uow import ReadUnitOfWork, UnitOfWork
from specialist_app.store import catalog_snapshot, meta
from specialist_app.store.db import Store, open_store
from specialist_app.sync_engine import download, snapshot, snapshot_publish, unpack
from specialist_app.sync_engine.errors import DiskFull, ServerError, SyncCancelled
from specialist_app.sync_engine.transport import Transport
from sync.demo import achievements_only

CURSOR = 41


class SnapshotServer:
    """GET /catalog-snapshot answers `info` (or `meta_status`); GET /catalog-snapshot/<sha> serves `data` with Range.

    `cut_at`: the next download's body ends at that byte of the file (the connection closes before its
    Content-Length); `down`: downloads are answered 503; `hold`: downloads wait until it is set (10 s at most).
    `ranges`: each download's Range header."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.info: dict[str, Any] = {"format": catalog_snapshot.FORMAT, "cursor": CURSOR,
                                     "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        self.meta_status = 200
        self.paths: list[str] = []
        self.ranges: list[str | None] = []
        self.cut_at: int | None = None
        self.down = False
        self.hold: threading.Event | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server.paths.append(self.path)
                if self.path.startswith("/catalog-snapshot?"):
                    body = json.dumps(server.info).encode()
                    self._send(server.meta_status, body, "application/json")
                    return
                server.ranges.append(self.headers.get("Range"))
                if server.hold is not None:
                    server.hold.wait(10)
                if server.down:
                    self._send(503, b"{}", "application/json")
                    return
                start, total = int((self.headers.get("Range") or "bytes=0-")[6:].rstrip("-") or 0), len(server.data)
                if start >= total:  # as the market server answers a Range past the end
                    self._send(416, b"", "application/json", {"Content-Range": f"bytes */{total}"})
                    return
                cut, server.cut_at = server.cut_at, None
                self._send(206 if start else 200, server.data[start:], "application/octet-stream",
                           {"Content-Range": f"bytes {start}-{total - 1}/{total}"} if start else {},
                           None if cut is None else cut - start)

            def _send(self, status: int, body: bytes, kind: str, extra: dict[str, str] | None = None,
                      cut: int | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (extra or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body if cut is None else body[:cut])
                if cut is not None:
                    self.wfile.flush()
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def downloads(self) -> int:
        return sum(1 for p in self.paths if p.startswith("/catalog-snapshot/"))


def _published(tmp: Path) -> bytes:
    """A real snapshot file (zstd) of a store that pulled 60 demo achievements."""
    source = open_store(tmp / "publisher.sqlite3")
    changes = [{"entity": "achievement", "id": r["id"], "version": v, "updated_at": "2025-03-01T08:00:00Z",
                "fields": {k: x for k, x in r.items() if k not in ("id", "updated_at")}, "masked": []}
               for v, r in enumerate(itertools.islice(achievements_only(60, seed=3), 60), start=1)]
    with UnitOfWork(source) as uow:
        pull_apply.apply_page(uow.conn, {"changes": changes, "cursors": {"catalog": CURSOR}, "buckets": ["catalog"]})
        uow.commit()
    plain, packed = tmp / "snapshot.sqlite3", tmp / "snapshot.zst"
    catalog_snapshot.export(source, plain, CURSOR)
    source.close()
    snapshot_publish._compress(plain, packed)
    return packed.read_bytes()


@pytest.fixture(scope="module")
def snapshot_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return _published(tmp_path_factory.mktemp("publisher"))


@pytest.fixture
def served(snapshot_bytes: bytes) -> Iterator[SnapshotServer]:
    server = SnapshotServer(snapshot_bytes)
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def transport(served: SnapshotServer) -> Iterator[Transport]:
    t = Transport(served.url, max_attempts=1)
    yield t
    t.close()


def _work_files(store: Store) -> list[str]:
    return sorted(p.name for p in store.path.parent.glob(f"{store.path.name}.*snapshot*"))


def _documents(store: Store) -> int:
    with UnitOfWork(store) as uow:
        return search.search(uow, "").total


def test_a_first_sync_downloads_verifies_and_installs_it(store: Store, transport: Transport) -> None:
    phases: list[str] = []
    assert snapshot.bootstrap(store, transport, lambda phase, done, total: phases.append(phase)) == CURSOR
    assert _documents(store) == 60
    with UnitOfWork(store) as uow:
        assert meta.read_cursors(uow.conn) == {"catalog": CURSOR}
    assert "snapshot" in phases and phases[-1] == "install"
    assert _work_files(store) == []


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
    assert catalog_snapshot.is_empty(store) and _work_files(store) == []


def test_bytes_that_do_not_match_the_sha256_are_dropped_and_not_installed(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    served.data = served.data[:-10] + bytes(10)
    assert snapshot.bootstrap(store, transport) is None
    assert catalog_snapshot.is_empty(store) and _work_files(store) == []


def _part(store: Store, served: SnapshotServer) -> Path:
    return store.path.with_name(f"{store.path.name}.{served.info['sha256'][:16]}.snapshot.part")


def test_a_part_left_by_a_cut_download_is_continued(store: Store, transport: Transport, served: SnapshotServer) -> None:
    part = _part(store, served)
    part.write_bytes(served.data[:5000])
    assert snapshot.bootstrap(store, transport) == CURSOR
    assert served.ranges == ["bytes=5000-"]  # the kept bytes were read back, not downloaded again
    assert _documents(store) == 60 and not part.exists()


def test_a_published_file_cut_short_means_pages_even_with_its_own_hash(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    served.data = served.data[: len(served.data) // 2]
    served.info |= {"sha256": hashlib.sha256(served.data).hexdigest(), "size": len(served.data)}
    assert snapshot.bootstrap(store, transport) is None
    assert catalog_snapshot.is_empty(store) and _work_files(store) == []


def test_a_download_cut_off_goes_on_where_it_was_cut_and_unpacks_the_same(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    cut = 2 * download.CHUNK  # (a chunk the cut leaves incomplete is not written: the body goes on before it)
    assert cut < len(served.data)
    served.cut_at = cut
    assert snapshot.bootstrap(store, transport) == CURSOR
    assert served.ranges == [None, f"bytes={cut}-"]
    assert _documents(store) == 60 and _work_files(store) == []


def test_a_run_that_ended_mid_download_is_continued_by_the_next(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    cut = 3 * download.CHUNK
    served.cut_at = cut

    def then_down(phase: str, done: int, total: int | None) -> None:
        served.down = True  # the next attempt finds the server gone: the run fails, its part kept

    with pytest.raises(ServerError):
        snapshot.bootstrap(store, transport, then_down)
    assert _work_files(store) == [_part(store, served).name] and _part(store, served).stat().st_size == cut
    served.down = False
    assert snapshot.bootstrap(store, transport) == CURSOR
    assert served.ranges == [None, f"bytes={cut}-", f"bytes={cut}-"]
    assert _documents(store) == 60 and _work_files(store) == []


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
    assert _documents(store) == 60 and _work_files(store) == []


def test_a_kept_part_that_is_not_zstd_is_downloaded_again_from_zero(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    _part(store, served).write_bytes(b"SQLite format 3\x00" + bytes(3000))
    assert snapshot.bootstrap(store, transport) == CURSOR
    assert served.ranges == [None]
    assert _documents(store) == 60 and _work_files(store) == []


def test_the_catalog_is_searchable_from_the_commit_and_the_wal_emptied_after(
    store: Store, transport: Transport, monkeypatch: pytest.MonkeyPatch
) -> None:
    wal = store.path.with_name(f"{store.path.name}-wal")
    checkpoint = catalog_snapshot.checkpoint
    seen: list[tuple[int, int, int]] = []

    def searched_first(target: Store) -> bool:  # between the install's commit (and reindex_kept) and the checkpoint
        with ReadUnitOfWork(target) as uow:  # a connection of the read pool, as the GUI's searches
            seen.append((search.search(uow, "").total, wal.stat().st_size, target.path.stat().st_size))
        return checkpoint(target)

    before = store.path.stat().st_size
    monkeypatch.setattr(catalog_snapshot, "checkpoint", searched_first)
    assert snapshot.bootstrap(store, transport) == CURSOR
    [(documents, wal_size, file_size)] = seen
    assert documents == 60
    # The commit left the copied pages in the WAL: the store file had not grown yet; the checkpoint copied them
    # and cut the WAL to nothing.
    assert file_size == before and wal_size > 0
    assert store.path.stat().st_size > before and wal.stat().st_size == 0
    assert _documents(store) == 60


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
    assert [name.endswith(".snapshot.part") for name in _work_files(store)] == [True]  # resumable, nothing else
    monkeypatch.undo()  # room again: the next sync goes on from the part
    assert snapshot.bootstrap(store, transport) == CURSOR
    assert served.ranges[-1] is not None and _documents(store) == 60 and _work_files(store) == []


def test_cancelling_keeps_the_download_for_the_next_sync(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(SyncCancelled):
        snapshot.bootstrap(store, transport, cancel=cancel)
    assert catalog_snapshot.is_empty(store) and len(_work_files(store)) == 1
    served.paths.clear()
    assert snapshot.bootstrap(store, transport) == CURSOR
    assert served.downloads() == 0  # the whole file was already here
    assert _work_files(store) == []


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
    assert _work_files(store) == [] and served.paths == []
