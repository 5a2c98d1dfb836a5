"""Reading one catalog record in full from the server (a digest opened), on a thread of its own, never the UI's."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from specialist_app.credentials import Account, Credentials
from specialist_app.gui.sync_controller import AccountThread, TransportFactory
from specialist_app.sync_engine.errors import SyncError

log = logging.getLogger(__name__)


class _FetchThread(AccountThread):
    """Fetches one record with its own store connection and keeps it with its digest; reports by signal."""

    fetched = Signal(str)  # the record id: the store holds the full record now
    failed = Signal(str, object)  # the record id, the exception (a SyncError when the user can be told why)

    def __init__(self, store_file: Path, account: Account, auth_holder: list[Credentials],
                 make_transport: TransportFactory, entity: str, row_id: str, cancel: threading.Event) -> None:
        super().__init__("record-fetch", store_file, account, auth_holder, make_transport, cancel)
        self.entity, self.row_id = entity, row_id

    def run(self) -> None:
        try:
            from specialist_app.sync_engine.digest_pull import fetch_record  # its HTTP client: not at the app's start

            with self._connected() as (store, transport), transport.cancelled_by(self._cancel):
                fetch_record(store, transport, self.entity, self.row_id)
        except Exception as exc:  # told to the user by the view; a bug is logged as well
            if not isinstance(exc, SyncError):
                log.exception("reading %s %s failed", self.entity, self.row_id)
            self.failed.emit(self.row_id, exc)
        else:
            self.fetched.emit(self.row_id)


class RecordFetches(QObject):
    """Starts reads of full records for the signed-in account (one per record at a time); signals on the UI
    thread, every listener filters by record id."""

    fetched = Signal(str)
    failed = Signal(str, object)

    def __init__(self, store_file: Path, account: Account, auth_holder: list[Credentials],
                 make_transport: TransportFactory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store_file, self._account = store_file, account
        self._auth_holder, self._make_transport = auth_holder, make_transport
        self._cancel = threading.Event()
        self._threads: dict[str, _FetchThread] = {}

    def fetch(self, entity: str, row_id: str) -> bool:
        """Start reading `row_id` unless it is already on its way; returns whether one started."""
        if row_id in self._threads:
            return False
        thread = _FetchThread(self._store_file, self._account, self._auth_holder, self._make_transport, entity,
                              row_id, self._cancel)
        thread.fetched.connect(self._on_fetched)
        thread.failed.connect(self._on_failed)
        self._threads[row_id] = thread
        thread.start()
        return True

    def stop(self) -> None:
        """Cancel every read and wait for the threads (before the window closes)."""
        self._cancel.set()
        for thread in list(self._threads.values()):
            thread.wait()
        self._threads.clear()

    def _on_fetched(self, row_id: str) -> None:
        self._forget(row_id)
        self.fetched.emit(row_id)

    def _on_failed(self, row_id: str, exc: object) -> None:
        self._forget(row_id)
        self.failed.emit(row_id, exc)

    def _forget(self, row_id: str) -> None:
        thread = self._threads.pop(row_id, None)
        if thread is not None:
            thread.wait()
            thread.deleteLater()
