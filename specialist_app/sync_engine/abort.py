"""Cancelling requests in flight: the transport's sockets are shut down from the cancelling side at once.

A blocking read on a stalled link (a page the server is still sending at 30 KB/s, a snapshot download) does not
look at any flag; shutting its socket down makes the read return at once, on Linux, Windows and macOS alike
(closing the file descriptor from another thread does not wake a blocked `recv` everywhere).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from requests import PreparedRequest
from requests.adapters import HTTPAdapter

from specialist_app.sync_engine.link import ProgressDeadlineAdapter

WATCH_INTERVAL_S = 0.05  # how often a watch looks at its event: the part of the cancel latency it adds


class SocketTracker:
    """Remembers the connections its adapters open, and shuts all their sockets down on `abort`."""

    def __init__(self) -> None:
        self._connections: weakref.WeakSet[Any] = weakref.WeakSet()
        self._lock = threading.Lock()
        self.aborted = False

    def adapter(self) -> HTTPAdapter:
        return _TrackingAdapter(self)

    def add(self, connection: Any) -> None:
        with self._lock:
            self._connections.add(connection)
            aborted = self.aborted
        if aborted:  # opened while (or just after) the run was cancelled
            _shut(connection)

    def abort(self) -> None:
        """Make every read or write on the tracked sockets return now (they fail; the caller sees why)."""
        with self._lock:
            self.aborted = True
            connections = list(self._connections)
        for connection in connections:
            _shut(connection)

    def reset(self) -> None:
        with self._lock:
            self.aborted = False


def _shut(connection: Any) -> None:
    sock = getattr(connection, "sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            # The plain socket's shutdown, also for a TLS socket: it ends the TCP stream under the TLS layer.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _TrackingAdapter(ProgressDeadlineAdapter):
    """An adapter whose pools make connections that register themselves with the tracker on connect (and send
    with a progress deadline: link.ProgressDeadlineAdapter)."""

    def __init__(self, tracker: SocketTracker) -> None:
        self._tracker = tracker
        self._classes: dict[type[Any], type[Any]] = {}
        super().__init__()

    def get_connection_with_tls_context(self, request: PreparedRequest, verify: bool | str | None,
                                        proxies: Any = None, cert: Any = None) -> Any:
        return self._tracked(super().get_connection_with_tls_context(request, verify, proxies=proxies, cert=cert))

    def _tracked(self, pool: Any) -> Any:
        base = pool.ConnectionCls
        if base not in self._classes.values():
            if base not in self._classes:
                tracker = self._tracker

                def connect(conn: Any) -> None:
                    base.connect(conn)
                    tracker.add(conn)

                self._classes[base] = type(f"Tracked{base.__name__}", (base,), {"connect": connect})
            pool.ConnectionCls = self._classes[base]  # the pool makes its next connections of this class
        return pool


@contextlib.contextmanager
def watching(cancel: threading.Event, on_cancel: Callable[[], None]) -> Iterator[None]:
    """Call `on_cancel` (on a watcher thread) as soon as `cancel` is set, while the block runs.

    Leaving the block does not wait for the watcher, which notices it within WATCH_INTERVAL_S (joining it made
    every sync run end up to 50 ms late, 25 on average); the lock makes sure `on_cancel` is never called once the
    block has been left (one under way finishes first).
    """
    done = threading.Event()
    lock = threading.Lock()

    def watch() -> None:
        while not done.is_set():
            if cancel.wait(WATCH_INTERVAL_S):
                with lock:
                    if not done.is_set():
                        on_cancel()
                return

    watcher = threading.Thread(target=watch, name="sync-cancel-watch", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        with lock:
            done.set()
