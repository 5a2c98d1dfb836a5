"""A first sync's catalog snapshot downloaded on its own thread while the specialist's own institutions are pulled.

The offer is asked for first; the download (with its unpacking, `snapshot.fetch`: it touches no store) starts at
once on a thread, and the install waits for it and the pull: the time to a searchable catalog is the longer of the
two, not their sum. The download's progress is held back until
the own institutions are in (the progress line shows the pull, then the download, not two phases in turn: how far
the download got meanwhile is shown then), and so is the "auto" mode's measuring of the link, which would otherwise
see the link shared with the pull.

On a slow link the two would share what little there is and the own institutions would come later: a download
that gets less, beside the pull, than the snapshot needs to beat paging (`snapshot.pages_sooner`, over its first
`PROBE_S`) pauses, its part kept, and goes on from it once the pull is done, measured again there in "auto" mode
(unless it was begun by an earlier run: as in `snapshot.bootstrap`, that one goes on whatever the link).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from specialist_app.store import catalog_snapshot
from specialist_app.store.db import Store
from specialist_app.sync_engine import snapshot
from specialist_app.sync_engine.transport import Transport

log = logging.getLogger(__name__)

ProgressFn = Callable[[str, int, int | None], None]


class _Stopped(Exception):
    """The pull beside the download failed: the download ends at its next chunk (its part kept for the next run)."""


class _Paused(Exception):
    """Beside the pull the download went too slowly: it goes on once the pull is done (its part kept)."""


class EarlySnapshot:
    """Ask for the snapshot and start downloading it (nothing when none is offered). Then `records_done` once the
    own institutions are pulled, and `finish` to install it; or `stop` when their pull failed."""

    def __init__(self, store: Store, transport: Transport, progress: ProgressFn, cancel: threading.Event, *,
                 mode: str = "snapshot", province: str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._store, self._transport, self._progress, self._cancel = store, transport, progress, cancel
        self._mode, self._clock = mode, clock
        self._shown = progress
        self._measured_from: tuple[float, int] | None = None  # (clock, bytes) of its first chunk beside the pull
        self._measured = False
        self._lock = threading.Lock()
        self._gate = threading.Event()
        self._stop = threading.Event()
        self._latest: dict[str, tuple[int, int | None]] = {}  # held back: each phase's latest, in order
        self._found = snapshot.offer(store, transport, keep_rows=True, province=province)
        self._pool: ThreadPoolExecutor | None = None
        self._future: Future[None] | None = None
        if self._found is None:
            return
        if mode == "auto" and self._found.fresh:  # measured from the first chunk after the own institutions
            self._shown = snapshot.probing(progress, self._found.info.size, clock)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-snapshot")
        self._future = self._pool.submit(snapshot.fetch, transport, self._found, snapshot.plain_file(store),
                                         self._report, cancel)

    @property
    def offered(self) -> bool:
        return self._found is not None

    @property
    def paused(self) -> bool:
        """The download stopped to leave the link to the pull (it goes on in `finish`)."""
        return self._future is not None and self._future.done() and isinstance(self._future.exception(), _Paused)

    def _report(self, phase: str, done: int, total: int | None) -> None:
        if self._stop.is_set():
            raise _Stopped()
        with self._lock:
            held = not self._gate.is_set()
            if held:
                self._latest[phase] = (done, total)
        if not held:
            self._shown(phase, done, total)
        elif phase == "snapshot" and not self._measured:
            self._measure(done)

    def _measure(self, done: int) -> None:
        """Pause the download (`_Paused`) if, over its first seconds beside the pull, it went slower than paging."""
        assert self._found is not None
        now = self._clock()
        if self._measured_from is None:
            self._measured_from = (now, done)
            return
        elapsed = now - self._measured_from[0]
        if elapsed < snapshot.PROBE_S:
            return
        self._measured = True
        speed = (done - self._measured_from[1]) / elapsed
        if snapshot.pages_sooner(self._found.info.size, speed):
            log.info("catalog snapshot: %.0f kB/s beside the pull; the download waits for it", speed / 1e3)
            raise _Paused()

    def records_done(self) -> None:
        """The own institutions are in: the download's progress is shown from now on (first how far it got)."""
        with self._lock:
            self._gate.set()
            latest, self._latest = self._latest, {}
        for phase, (done, total) in latest.items():
            self._progress(phase, done, total)

    def _fetched(self, plain: Path) -> None:
        """Wait for the download; one that paused goes on from its part here, now that the pull is done."""
        assert self._found is not None and self._future is not None and self._pool is not None
        try:
            self._future.result()
            return
        except _Paused:
            pass
        finally:
            self._pool.shutdown(wait=True)
        progress = self._progress
        if self._mode == "auto" and self._found.fresh:  # measured again, alone on the link: pages may be sooner
            progress = snapshot.probing(progress, self._found.info.size, self._clock)
        snapshot.fetch(self._transport, self._found, plain, progress, self._cancel)

    def finish(self) -> int | None:
        """Wait for the download, then install it over the own institutions' rows: the catalog cursor, or None (none
        offered, unusable, or the catalog came with the pull from a server older than `skip`)."""
        if self._found is None:
            return None
        self.records_done()
        if not catalog_snapshot.no_catalog_cursor(self._store):
            self.stop()
            snapshot.drop_parts(self._store)
            return None
        return snapshot.install_offered(self._store, self._found, self._fetched, self._progress, self._cancel,
                                        keep_rows=True)

    def stop(self) -> None:
        """End the download at its next chunk and wait for it (its part stays: the next sync goes on from it);
        whatever it raised is dropped: the failure to report is the pull's."""
        if self._future is None or self._pool is None:
            return
        self._stop.set()
        try:
            self._future.exception()
        finally:
            self._pool.shutdown(wait=True)
            snapshot.plain_file(self._store).unlink(missing_ok=True)
