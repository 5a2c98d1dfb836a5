"""Duplicate checks for editors, on a thread of their own with a read connection of their own.

The first check of a session reads every name and identifier of the store into memory (seconds on 100,000
records): on the data thread it would hold up every page behind it, so the checks run here instead. Only
the latest check of each editor runs; the answer comes back on the UI thread.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal

from specialist_app import paths
from specialist_app.gui.context import AppContext
from specialist_app.services.duplicates import LocalDuplicates
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import Store, open_store
from sync.duplicates import Hit, Probe

log = logging.getLogger(__name__)


class DuplicateChecker(QObject):
    """`check(probe, on_result, owner)`: `on_result(hits)` on the UI thread, unless a newer check of `owner`
    came first or `owner` is gone. `refresh=True` first reads what changed in the store since the last one."""

    _answered = Signal(int, object)

    def __init__(self, store_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store_file = store_file
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="duplicates")
        self._store: Store | None = None
        self._local = LocalDuplicates()
        self._seq = itertools.count(1)
        self._latest: dict[int, int] = {}  # owner's id -> its newest check
        self._waiting: dict[int, tuple[QObject, Callable[[list[Hit]], None]]] = {}
        self._lock = threading.Lock()
        self._users = 0
        self._stopped = False  # after `shutdown` (the app quits): editors destroyed later only let go
        self._answered.connect(self._deliver)

    def retain(self) -> None:
        """An editor uses the checker; `release` when it is gone (the last one out closes the connection)."""
        self._users += 1

    def release(self) -> None:
        self._users -= 1
        if self._users <= 0 and not self._stopped:
            try:
                self._executor.submit(self._close_store)  # after the checks still queued; the index stays in memory
            except RuntimeError:
                # The interpreter is exiting (concurrent.futures' atexit stopped the worker first) and Qt destroys
                # the last editors after it: the process ends, the connection with it.
                self._stopped = True

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def check(self, probe: Probe, on_result: Callable[[list[Hit]], None], owner: QObject, *,
              refresh: bool = False) -> None:
        if self._stopped:
            return
        seq = next(self._seq)
        with self._lock:
            self._latest[id(owner)] = seq
        self._waiting[seq] = (owner, on_result)
        self._executor.submit(self._run, seq, id(owner), probe, refresh)

    def _run(self, seq: int, owner: int, probe: Probe, refresh: bool) -> None:
        with self._lock:
            superseded = self._latest.get(owner, seq) > seq
        hits: list[Hit] | None = None
        try:
            if self._store is None:
                self._store = open_store(self.store_file, check=False)
            with ReadUnitOfWork(self._store) as uow:
                if refresh or not self._local.seen:
                    self._local.refresh(uow)
                if not superseded:
                    hits = self._local.find(uow, probe)
        except Exception:  # a hint is a help, never a failure of the editor
            log.exception("duplicate check failed")
        self._answered.emit(seq, hits)

    def _deliver(self, seq: int, hits: list[Hit] | None) -> None:
        owner, on_result = self._waiting.pop(seq, (None, None))
        if hits is None or owner is None or on_result is None or not shiboken6.isValid(owner):
            return
        with self._lock:
            if self._latest.get(id(owner)) != seq:
                return
        on_result(hits)

    def shutdown(self) -> None:
        self._stopped = True
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._close_store()


_checkers: dict[Path, DuplicateChecker] = {}


def checker_for(ctx: AppContext) -> DuplicateChecker:
    """The checker of the context's store (one per store file), stopped when the application quits."""
    store_file = paths.store_path(ctx.data_dir, ctx.profile)
    checker = _checkers.get(store_file)
    if checker is None:
        checker = _checkers[store_file] = DuplicateChecker(store_file)
        app = QCoreApplication.instance()
        if app is not None and len(_checkers) == 1:
            app.aboutToQuit.connect(shutdown_all)
    return checker


def shutdown_all() -> None:
    while _checkers:
        _checkers.popitem()[1].shutdown()
