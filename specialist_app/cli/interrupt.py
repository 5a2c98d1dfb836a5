"""Ctrl-C during `specialist-app sync` cancels the sync like the app's Cancel button: what was done is kept."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def cancel_on_interrupt(cancel: threading.Event) -> Iterator[threading.Event]:
    """While the block runs, the first Ctrl-C (SIGINT) sets `cancel`; a second one stops at once
    (KeyboardInterrupt), for a user who does not want to wait even the moment a cancel takes."""
    if threading.current_thread() is not threading.main_thread():
        yield cancel  # signal handlers can only be set from the main thread; an embedding caller cancels itself
        return

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield cancel
    finally:
        signal.signal(signal.SIGINT, previous)
