"""The cancel watch: calls its action on a cancel while the block runs, never after, and does not hold the end up."""

from __future__ import annotations

import threading
import time

import pytest

from specialist_app.sync_engine import abort


def _watchers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "sync-cancel-watch"]


def test_a_cancel_inside_the_block_calls_the_action() -> None:
    cancel, called = threading.Event(), threading.Event()
    with abort.watching(cancel, called.set):
        cancel.set()
        assert called.wait(5)


def test_leaving_the_block_does_not_wait_for_the_watch_and_no_cancel_acts_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(abort, "WATCH_INTERVAL_S", 3.0)  # a watch that looks only every 3 s
    cancel, calls = threading.Event(), []
    before = set(_watchers())
    with abort.watching(cancel, lambda: calls.append("cancelled")):
        pass
    started = time.monotonic()
    with abort.watching(cancel, lambda: calls.append("cancelled")):
        pass
    assert time.monotonic() - started < 1.0  # joining the watch took up to the whole interval
    cancel.set()  # after the blocks: their watches wake up and must not act
    for watcher in set(_watchers()) - before:
        watcher.join(10)
        assert not watcher.is_alive()
    assert calls == []
