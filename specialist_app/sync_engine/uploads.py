"""Attachment uploads on their own thread while the records sync: the uplink works while pages come down."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from specialist_app.store.db import Store
from specialist_app.sync_engine import blobs
from specialist_app.sync_engine.transport import Transport

ProgressFn = Callable[[str, int, int | None], None]


class _Stop(threading.Event):
    """Set by itself (the records part failed) or through the run's cancel event."""

    def __init__(self, cancel: threading.Event) -> None:
        super().__init__()
        self._cancel = cancel

    def is_set(self) -> bool:
        return super().is_set() or self._cancel.is_set()


class BackgroundUploads:
    """`blobs.upload_pending` started at once on a thread. Its progress is held back until `records_done` (so the
    progress line shows the pull, not two phases in turn); `stop` ends it early; `result` waits for it and raises
    what it raised (a needed login, a cancel)."""

    def __init__(self, store: Store, transport: Transport, progress: ProgressFn, cancel: threading.Event) -> None:
        self._progress = progress
        self._shown = threading.Event()
        self._latest: list[tuple[str, int, int | None]] = []
        self._lock = threading.Lock()
        self._stop = _Stop(cancel)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-upload")
        self._future: Future[blobs.UploadTally] = self._pool.submit(
            blobs.upload_pending, store, transport, progress=self._report, cancel=self._stop)

    def _report(self, phase: str, done: int, total: int | None) -> None:
        with self._lock:
            if not self._shown.is_set():
                self._latest[:] = [(phase, done, total)]
                return
        self._progress(phase, done, total)

    def records_done(self) -> None:
        with self._lock:
            self._shown.set()
            latest = list(self._latest)
        for phase, done, total in latest:
            self._progress(phase, done, total)

    def stop(self) -> None:
        self._stop.set()

    def result(self) -> blobs.UploadTally:
        try:
            return self._future.result()
        finally:
            self._pool.shutdown(wait=True)
