"""Garbage collection runs on the GUI thread only: a worker thread allocating past the thresholds collects nothing,
and the cycles it left are collected by the GUI thread's timer."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from specialist_app.gui.gc_guard import MainThreadGarbageCollector


@pytest.fixture
def collections_by_thread() -> Iterator[list[str]]:
    threads: list[str] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            threads.append(threading.current_thread().name)

    gc.callbacks.append(note)
    yield threads
    gc.callbacks.remove(note)


def test_worker_threads_never_collect_and_the_gui_thread_does(qtbot: Any, collections_by_thread: list[str]) -> None:
    was_enabled = gc.isenabled()  # the GUI tests' own guard (conftest.py) has it off already
    guard = MainThreadGarbageCollector(interval_ms=20)
    try:
        assert not gc.isenabled()
        widget = QWidget()
        holder: dict[str, Any] = {"widget": widget}
        holder["self"] = holder  # a cycle: only the collector frees it
        widget_gone = weakref.ref(holder["widget"])  # the Python wrapper of a widget nobody else holds
        del widget, holder

        def allocate() -> None:  # a data job: far past generation 0's threshold, and cycles of its own
            for _ in range(50_000):
                cycle: list[Any] = []
                cycle.append(cycle)

        worker = threading.Thread(target=allocate, name="data-worker")
        worker.start()
        worker.join()
        assert "data-worker" not in collections_by_thread
        qtbot.waitUntil(lambda: widget_gone() is None, timeout=5000)
        assert guard.collections > 0
        assert set(collections_by_thread) <= {threading.main_thread().name}
    finally:
        guard.stop()
    assert gc.isenabled() == was_enabled  # stop gives back what it found


def test_stop_gives_automatic_collection_back() -> None:
    gc.enable()
    guard = MainThreadGarbageCollector(interval_ms=60_000)
    assert not gc.isenabled()
    guard.stop()
    assert gc.isenabled()
    gc.disable()  # as the tests' own guard (conftest.py) left it


def test_without_a_threshold_passed_the_timer_collects_nothing() -> None:
    guard = MainThreadGarbageCollector(interval_ms=60_000)
    try:
        gc.collect()
        guard.check()
        assert guard.collections == 0
    finally:
        guard.stop()
