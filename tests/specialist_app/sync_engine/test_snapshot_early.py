"""The first sync's snapshot downloaded on its own thread while the own institutions are pulled (`EarlySnapshot`),
against the loopback snapshot server of test_snapshot.py serving a real snapshot file."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from specialist_app.store import catalog_snapshot
from specialist_app.store.db import Store
from specialist_app.sync_engine import download, snapshot
from specialist_app.sync_engine.errors import ServerError, SyncCancelled
from specialist_app.sync_engine.snapshot_early import EarlySnapshot
from specialist_app.sync_engine.transport import Transport
from tests.specialist_app.sync_engine.snapshot_server import CURSOR, SnapshotServer, documents, work_files

Seen = list[tuple[str, int, int | None]]


def _until(done: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _part(store: Store, served: SnapshotServer) -> Path:
    return store.path.with_name(f"{store.path.name}.{served.info['sha256'][:16]}.snapshot.part")


def test_the_download_goes_on_while_the_pull_shows_its_progress(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    seen: Seen = []
    early = EarlySnapshot(store, transport, lambda *p: seen.append(p), threading.Event(), clock=_clock(0.001))
    assert early.offered
    part = _part(store, served)
    _until(lambda: part.exists() and part.stat().st_size == served.info["size"])  # all of it, before the pull ends
    assert seen == []  # held back: the progress line is the pull's
    early.records_done()
    assert seen[0] == ("snapshot", served.info["size"], served.info["size"])  # how far it got, at once
    assert early.finish() == CURSOR
    assert seen[-3:] == [("install", 1, 1), ("checkpoint", 0, 1), ("checkpoint", 1, 1)]
    assert documents(store) == 60 and work_files(store) == []


def test_a_failed_pull_stops_the_download_and_keeps_its_part_for_the_next_sync(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    assert served.info["size"] > 2 * download.CHUNK
    served.hold = threading.Event()
    early = EarlySnapshot(store, transport, lambda *p: None, threading.Event())
    _until(lambda: served.downloads() == 1)
    threading.Timer(1.0, served.hold.set).start()  # the body comes once the stop is asked for
    early.stop()
    part = _part(store, served)
    kept = part.stat().st_size
    assert kept == download.CHUNK  # ended at its first chunk
    assert catalog_snapshot.is_empty(store) and work_files(store) == [part.name]
    assert snapshot.bootstrap(store, transport, keep_rows=True) == CURSOR
    assert served.ranges[-1] == f"bytes={kept}-"  # the next sync went on from it
    assert documents(store) == 60 and work_files(store) == []


def test_a_failed_download_fails_the_run_once_the_pull_is_done(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    served.down = True
    early = EarlySnapshot(store, transport, lambda *p: None, threading.Event())
    early.records_done()
    with pytest.raises(ServerError):
        early.finish()
    assert catalog_snapshot.is_empty(store) and not snapshot.plain_file(store).exists()


def test_a_cancel_ends_the_download_and_the_part_stays(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    cancel = threading.Event()
    served.hold = threading.Event()
    with transport.cancelled_by(cancel):
        early = EarlySnapshot(store, transport, lambda *p: None, cancel)
        _until(lambda: served.downloads() == 1)
        cancel.set()
        served.hold.set()
        with pytest.raises(SyncCancelled):
            early.finish()
    assert catalog_snapshot.is_empty(store) and not snapshot.plain_file(store).exists()


def test_nothing_offered_means_nothing_downloaded(store: Store, transport: Transport, served: SnapshotServer) -> None:
    served.meta_status = 404
    early = EarlySnapshot(store, transport, lambda *p: None, threading.Event())
    assert not early.offered and early.finish() is None and served.downloads() == 0


def _clock(step: float) -> Callable[[], float]:
    """Each reading `step` s after the last: 1 ms, the download is never judged slow however loaded the machine;
    100 s, any bytes measured look like a link far too slow for the snapshot."""
    now = [0.0]

    def clock() -> float:
        now[0] += step
        return now[0]

    return clock


def test_on_a_slow_link_the_download_waits_for_the_pull_then_goes_on_from_its_part(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    seen: Seen = []
    early = EarlySnapshot(store, transport, lambda *p: seen.append(p), threading.Event(), clock=_clock(100.0))
    part = _part(store, served)
    _until(lambda: early.paused)  # measured on its second chunk
    assert part.stat().st_size == 2 * download.CHUNK
    early.records_done()
    assert seen == [("snapshot", 2 * download.CHUNK, served.info["size"])]
    assert early.finish() == CURSOR
    assert served.ranges == [None, f"bytes={2 * download.CHUNK}-"]  # paused, then on from where it was
    assert documents(store) == 60 and work_files(store) == []


def test_in_auto_mode_a_paused_download_is_measured_again_after_the_pull(
    store: Store, transport: Transport, served: SnapshotServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot, "PROBE_BYTES", download.CHUNK)  # the rest of this small file is enough to judge
    early = EarlySnapshot(store, transport, lambda *p: None, threading.Event(), mode="auto", clock=_clock(100.0))
    _until(lambda: early.paused)
    assert early.finish() is None  # alone on the link it is still slower than pages: given up
    assert len(served.ranges) == 2 and catalog_snapshot.is_empty(store) and work_files(store) == []


def test_auto_mode_gives_a_slow_download_up_once_the_pull_is_done(
    store: Store, transport: Transport, served: SnapshotServer
) -> None:
    served.hold = threading.Event()
    early = EarlySnapshot(store, transport, lambda *p: None, threading.Event(), mode="auto", clock=_clock(100.0))
    _until(lambda: served.downloads() == 1)
    early.records_done()  # the pull was quick: the download is measured from its first chunk
    served.hold.set()
    assert early.finish() is None  # pages are sooner on so slow a link
    assert catalog_snapshot.is_empty(store) and work_files(store) == []
