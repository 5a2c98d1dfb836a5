"""The task runner: jobs run off the UI thread, in order, results and errors come back on the UI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
import shiboken6
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from specialist_app.gui.tasks import TaskRunner


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner[dict[str, object]]]:
    opened: dict[str, object] = {"thread": None}

    def open_store() -> dict[str, object]:
        opened["thread"] = threading.get_ident()
        return opened

    made: TaskRunner[dict[str, object]] = TaskRunner(open_store)
    yield made
    made.shutdown()


def test_jobs_run_in_order_on_one_worker_thread(qtbot: QtBot, runner: TaskRunner[dict[str, object]]) -> None:
    seen: list[tuple[int, int]] = []
    results: list[int] = []

    def job(n: int) -> Callable[[object], int]:
        def run(store: object) -> int:
            seen.append((n, threading.get_ident()))
            return n

        return run

    for n in range(5):
        runner.submit(job(n), results.append)
    qtbot.waitUntil(lambda: len(results) == 5)
    assert results == [0, 1, 2, 3, 4]
    worker_threads = {thread for _, thread in seen}
    assert len(worker_threads) == 1
    assert threading.get_ident() not in worker_threads


def test_errors_reach_the_error_callback(qtbot: QtBot, runner: TaskRunner[dict[str, object]]) -> None:
    errors: list[BaseException] = []

    def boom(store: dict[str, object]) -> None:
        raise ValueError("bad input")

    runner.submit(boom, on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert isinstance(errors[0], ValueError)


def test_a_newer_job_with_the_same_key_supersedes_a_waiting_one(
    qtbot: QtBot, runner: TaskRunner[dict[str, object]]
) -> None:
    gate = threading.Event()
    results: list[str] = []
    runner.submit(lambda store: gate.wait(5))  # keeps the worker busy while the next two queue up
    runner.submit(lambda store: "old", results.append, key="search")
    runner.submit(lambda store: "new", results.append, key="search")
    gate.set()
    qtbot.waitUntil(lambda: runner.pending() == 0)
    assert results == ["new"]


def test_results_for_a_deleted_owner_are_dropped(qtbot: QtBot, runner: TaskRunner[dict[str, object]]) -> None:
    gate = threading.Event()
    results: list[int] = []
    owner = QObject()
    runner.submit(lambda store: gate.wait(5))
    runner.submit(lambda store: 1, results.append, owner=owner)
    runner.submit(lambda store: 2, results.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner))
    gate.set()
    qtbot.waitUntil(lambda: runner.pending() == 0)
    assert results == [2]
