"""On-demand download of attachment bytes pulled from another device, on a thread of its own (never the UI's)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from specialist_app.credentials import Account, Credentials
from specialist_app.gui.sync_controller import AccountThread, TransportFactory
from specialist_app.sync_engine.blobs import fetch_blob
from specialist_app.sync_engine.errors import SyncCancelled, SyncError

log = logging.getLogger(__name__)

UNKNOWN_TOTAL = -1


class _DownloadThread(AccountThread):
    """Fetches one blob with its own store connection; reports progress, the file or the failure by signal."""

    progressed = Signal(str, int, int)  # sha256, bytes done, total (UNKNOWN_TOTAL when the server did not say)
    downloaded = Signal(str, object)  # sha256, the local Path
    failed = Signal(str, object)  # sha256, the exception (a SyncError when the user can be told why)

    def __init__(self, store_file: Path, account: Account, auth_holder: list[Credentials],
                 make_transport: TransportFactory, sha256: str, cancel: threading.Event) -> None:
        super().__init__("blob-download", store_file, account, auth_holder, make_transport, cancel)
        self.sha256 = sha256

    def run(self) -> None:
        try:
            path = self._fetch()
        except Exception as exc:  # told to the user by the panel; a bug is logged as well
            if not isinstance(exc, SyncError):
                log.exception("download of %s failed", self.sha256)
            self.failed.emit(self.sha256, exc)
        else:
            self.downloaded.emit(self.sha256, path)

    def _fetch(self) -> Path:
        with self._connected() as (store, transport), transport.cancelled_by(self._cancel):
            # closing the window ends a stalled read at once
            return fetch_blob(store, transport, self.sha256, progress=self._progress)

    def _progress(self, _phase: str, done: int, total: int | None) -> None:
        if self._cancel.is_set():
            raise SyncCancelled()  # the part downloaded so far is kept: the next open resumes it
        self.progressed.emit(self.sha256, done, UNKNOWN_TOTAL if total is None else total)


class BlobDownloads(QObject):
    """Starts downloads for the signed-in account (one per file at a time) with the sync controller's credentials.

    Its signals are emitted on the UI thread; every listener filters by sha256.
    """

    progressed = Signal(str, int, int)
    downloaded = Signal(str, object)
    failed = Signal(str, object)

    def __init__(self, store_file: Path, account: Account, auth_holder: list[Credentials],
                 make_transport: TransportFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store_file = store_file
        self._account = account
        self._auth_holder = auth_holder  # shared with the sync controller: one access token for both
        self._make_transport = make_transport
        self._cancel = threading.Event()
        self._threads: dict[str, _DownloadThread] = {}

    def fetch(self, sha256: str) -> bool:
        """Start downloading `sha256` unless it is already going; returns whether one started."""
        if sha256 in self._threads:
            return False
        thread = _DownloadThread(self._store_file, self._account, self._auth_holder, self._make_transport,
                                 sha256, self._cancel)
        # Bound methods of this UI-thread object: the thread's signals arrive queued, on the UI thread.
        thread.progressed.connect(self.progressed)
        thread.downloaded.connect(self._on_downloaded)
        thread.failed.connect(self._on_failed)
        self._threads[sha256] = thread
        thread.start()
        return True

    def running(self) -> int:
        return len(self._threads)

    def stop(self) -> None:
        """Cancel every download (at its next chunk) and wait for the threads (before the window closes)."""
        self._cancel.set()
        for thread in list(self._threads.values()):
            thread.wait()
        self._threads.clear()

    def _on_downloaded(self, sha256: str, path: object) -> None:
        self._forget(sha256)
        self.downloaded.emit(sha256, path)

    def _on_failed(self, sha256: str, exc: object) -> None:
        self._forget(sha256)
        self.failed.emit(sha256, exc)

    def _forget(self, sha256: str) -> None:
        thread = self._threads.pop(sha256, None)
        if thread is not None:
            thread.wait()  # its run() has returned: only the thread's exit is left
            thread.deleteLater()
