"""The store's integrity check, run on its own thread after the window shows its first data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from specialist_app import paths
from specialist_app.gui.context import AppContext
from specialist_app.store.db import open_store


class _CheckThread(QThread):
    failed = Signal(object)

    def __init__(self, store_file: Path) -> None:
        super().__init__()
        self.store_file = store_file

    def run(self) -> None:
        try:
            open_store(self.store_file).close()  # a second connection: PRAGMA quick_check (WAL: pages keep reading)
        except Exception as exc:  # StoreDamaged and the like: reported like a store that failed to open
            self.failed.emit(exc)


class StoreCheck(QObject):
    """Starts the check when the runner first goes idle; a damaged file is reported through store_failed."""

    finished = Signal()

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._thread: _CheckThread | None = None
        self._stopped = False
        ctx.runner.idle.connect(self.start)
        if ctx.runner.pending() == 0:
            self.start()

    def start(self) -> None:
        if self._thread is not None or self._stopped:
            return
        self.ctx.runner.idle.disconnect(self.start)
        thread = _CheckThread(paths.store_path(self.ctx.data_dir, self.ctx.profile))
        thread.failed.connect(self.ctx.runner.store_failed)
        thread.finished.connect(self.finished)
        self._thread = thread
        thread.start()

    def stop(self) -> None:
        """No check from now on; a running one ends first (before the window closes the store)."""
        self._stopped = True
        if self._thread is not None:
            self._thread.wait()
