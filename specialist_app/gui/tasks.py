"""Runs data work on one background thread (so SQLite writes stay serialised) and returns results by signal."""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal

log = logging.getLogger(__name__)

S = TypeVar("S")  # what jobs receive: the opened store
T = TypeVar("T")

ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


@dataclass
class _Job:
    seq: int
    fn: Callable[[Any], Any]
    key: str | None


class _Worker(QThread, Generic[S]):
    """The one thread that owns the store: opens it, runs queued jobs in order, closes it."""

    def __init__(self, open_store: Callable[[], S], close_store: Callable[[S], None] | None,
                 runner: TaskRunner[S]) -> None:
        super().__init__()
        self.setObjectName("db-worker")
        self._open_store = open_store
        self._close_store = close_store
        self._runner = runner
        self.jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()

    def run(self) -> None:
        try:
            store = self._open_store()
        except BaseException as exc:  # reported to the UI: the app cannot work without its store
            self._runner.store_failed.emit(exc)
            return
        self._runner.store_opened.emit()
        try:
            while (job := self.jobs.get()) is not None:
                if self._runner._superseded(job):
                    self._runner.job_skipped.emit(job.seq)
                    continue
                try:
                    result = job.fn(store)
                except BaseException as exc:
                    self._runner.job_failed.emit(job.seq, exc)
                else:
                    self._runner.job_done.emit(job.seq, result)
        finally:
            if self._close_store is not None:
                self._close_store(store)


class TaskRunner(QObject, Generic[S]):
    """Submit `fn(store)`; `on_result(value)` or `on_error(exc)` is then called on the UI thread.

    A job submitted with a `key` supersedes any job with the same key still waiting (search-as-you-type
    queues only the latest query).
    """

    job_done = Signal(int, object)
    job_failed = Signal(int, object)
    job_skipped = Signal(int)
    store_opened = Signal()
    store_failed = Signal(object)
    idle = Signal()

    def __init__(self, open_store: Callable[[], S], close_store: Callable[[S], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._seq = itertools.count(1)
        self._callbacks: dict[int, tuple[ResultCallback | None, ErrorCallback | None]] = {}
        self._latest_by_key: dict[str, int] = {}
        self._owners: dict[int, QObject] = {}
        self._lock = threading.Lock()
        self.job_done.connect(self._on_done)
        self.job_failed.connect(self._on_failed)
        self.job_skipped.connect(self._on_skipped)
        self._worker: _Worker[S] = _Worker(open_store, close_store, self)
        self._worker.start()

    def submit(self, fn: Callable[[S], T], on_result: Callable[[T], None] | None = None,
               on_error: ErrorCallback | None = None, *, key: str | None = None,
               owner: QObject | None = None) -> int:
        """Queue `fn`; returns the job number.

        The callbacks are dropped if `owner` (by default the object of a bound-method `on_result`) has been
        deleted by the time the result arrives: a closed page never receives late answers.
        """
        seq = next(self._seq)
        if owner is None and isinstance(getattr(on_result, "__self__", None), QObject):
            owner = on_result.__self__  # type: ignore[union-attr]
        self._callbacks[seq] = (on_result, on_error)
        if owner is not None:
            self._owners[seq] = owner
        if key is not None:
            with self._lock:
                self._latest_by_key[key] = seq
        self._worker.jobs.put(_Job(seq, fn, key))
        return seq

    def pending(self) -> int:
        """Jobs submitted whose callback has not run yet."""
        return len(self._callbacks)

    def shutdown(self) -> None:
        """Finish the queued jobs, close the store and stop the thread (callbacks of late jobs are dropped)."""
        if self._worker.isRunning():
            self._worker.jobs.put(None)
            self._worker.wait()
        self._callbacks.clear()
        self._owners.clear()

    def _superseded(self, job: _Job) -> bool:
        if job.key is None:
            return False
        with self._lock:
            return self._latest_by_key.get(job.key, job.seq) > job.seq

    def _finish(self, seq: int) -> tuple[ResultCallback | None, ErrorCallback | None]:
        callbacks = self._callbacks.pop(seq, (None, None))
        owner = self._owners.pop(seq, None)
        if not self._callbacks:
            self.idle.emit()
        if owner is not None and not shiboken6.isValid(owner):
            return None, None
        return callbacks

    def _on_done(self, seq: int, result: object) -> None:
        on_result, _ = self._finish(seq)
        if on_result is not None:
            on_result(result)

    def _on_failed(self, seq: int, exc: BaseException) -> None:
        _, on_error = self._finish(seq)
        if on_error is None:
            log.error("background job failed", exc_info=exc)
            raise exc  # an unhandled failure is a bug: let Qt (and pytest-qt) report it
        on_error(exc)

    def _on_skipped(self, seq: int) -> None:
        self._finish(seq)
