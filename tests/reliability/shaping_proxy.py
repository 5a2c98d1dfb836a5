"""A loopback TCP proxy that shapes the link: token-bucket bandwidth per direction, delay, stalls, resets and cuts.

This kernel has no sch_netem, so a slow hotel hotspot is played in userspace. Every setting can be changed while
connections are open (`proxy.shape.up_kbps = 512`); the bucket of each direction is shared by all connections, like
one radio link. Loss is stood in for by what it does to TCP: stalls (no bytes for a while) and resets.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import struct
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

_EOF = b""


@dataclass
class Shape:
    """The link's settings; change any field at runtime. kbps = 1000 bits/s; None = unlimited."""

    up_kbps: float | None = None  # client -> server
    down_kbps: float | None = None  # server -> client
    delay_ms: float = 0.0  # one way, each direction (a request's round trip gains 2x)
    stall_every_s: float | None = None  # periodic stalls: every N s of the proxy's life ...
    stall_for_s: float = 0.0  # ... nothing moves for this long
    reset_after_bytes: int | None = None  # each connection is reset once it has moved this many bytes
    down: bool = False  # the link is cut: open connections are reset, new ones reset at once


class _Bucket:
    """Token bucket on a virtual clock: `take(n)` sleeps until n bytes fit into the configured rate."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next_free = time.monotonic()

    def take(self, n: int, kbps: float | None) -> None:
        if not kbps:
            return
        seconds = n * 8 / (kbps * 1000)
        with self._lock:
            now = time.monotonic()
            start = max(now - 0.02, self._next_free)  # at most 20 ms of unused link carries over (the burst)
            self._next_free = start + seconds
            wait = self._next_free - now
        if wait > 0:
            time.sleep(wait)


class ShapingProxy:
    """Listens on a free loopback port (`url`, `port`) and forwards every connection to `upstream` through `shape`."""

    def __init__(self, upstream: str, shape: Shape | None = None, *, buffer_bytes: int = 32 * 1024) -> None:
        parts = urlsplit(upstream if "//" in upstream else f"http://{upstream}")
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.shape = shape or Shape()
        self.buffer_bytes = buffer_bytes  # small kernel buffers: a sender blocks as it would on the real link
        self.bytes_up = 0  # forwarded client -> server
        self.bytes_down = 0
        self.connections = 0
        self.resets = 0
        self._buckets = {"up": _Bucket(), "down": _Bucket()}
        self._born = time.monotonic()
        self._stall_until = 0.0
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._closed = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, buffer_bytes)  # inherited by accepted
        # Loopback's 64 KB segments would let a sender's kernel buffer grow to megabytes (it scales with the
        # segment size) and swallow a whole body at once; an Ethernet-sized segment keeps the sender honest.
        self._listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 1448)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._accept_loop, name="shaping-accept", daemon=True).start()

    # --- runtime controls ---

    def stall(self, seconds: float) -> None:
        """Nothing moves in either direction for `seconds` from now (connections stay open)."""
        with self._lock:
            self._stall_until = max(self._stall_until, time.monotonic() + seconds)

    def cut(self, *, reset: bool = True) -> int:
        """Ends every open connection now (RST, or FIN with reset=False); returns how many."""
        with self._lock:
            victims = list(self._open)
        for sock in victims:
            _close(sock, reset=reset)
        with self._lock:
            self.resets += len(victims)
        return len(victims)

    @property
    def bytes_total(self) -> int:
        return self.bytes_up + self.bytes_down

    def close(self) -> None:
        self._closed.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        self.cut(reset=False)

    # --- the pumps ---

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.shape.down:
                _close(client, reset=True)
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _close(client, reset=True)
                continue
            server.settimeout(None)
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, self.buffer_bytes)
            with self._lock:
                self.connections += 1
                self._open.update((client, server))
            conn = _Connection(self, client, server)
            conn.start()

    def _wait_stall(self) -> None:
        while not self._closed.is_set():
            now = time.monotonic()
            until = self._stall_until
            shape = self.shape
            if shape.stall_every_s and shape.stall_for_s > 0:
                phase = (now - self._born) % shape.stall_every_s
                if phase < shape.stall_for_s:
                    until = max(until, now + shape.stall_for_s - phase)
            if until <= now:
                return
            time.sleep(min(until - now, 0.05))

    def _forget(self, *socks: socket.socket) -> None:
        with self._lock:
            self._open.difference_update(socks)


class _Connection:
    """One proxied connection: per direction a reader (stall, bucket) and a writer (delay)."""

    def __init__(self, proxy: ShapingProxy, client: socket.socket, server: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.server = server
        self.moved = 0
        self._lock = threading.Lock()
        self._dead = threading.Event()
        self._writers_left = 2

    def start(self) -> None:
        for direction, src, dst in (("up", self.client, self.server), ("down", self.server, self.client)):
            pipe: queue.Queue[tuple[float, bytes]] = queue.Queue()
            threading.Thread(target=self._read, args=(direction, src, pipe), daemon=True).start()
            threading.Thread(target=self._write, args=(dst, pipe), daemon=True).start()

    def _chunk(self, kbps: float | None) -> int:
        if not kbps:
            return 64 * 1024
        return int(min(16 * 1024, max(512, kbps * 1000 / 8 / 50)))  # ~20 ms of link per chunk

    def _read(self, direction: str, src: socket.socket, pipe: queue.Queue[tuple[float, bytes]]) -> None:
        proxy = self.proxy
        bucket = proxy._buckets[direction]
        try:
            while not self._dead.is_set():
                shape = proxy.shape
                kbps = shape.up_kbps if direction == "up" else shape.down_kbps
                data = src.recv(self._chunk(kbps))
                if not data:
                    break
                proxy._wait_stall()
                bucket.take(len(data), kbps)
                if proxy.shape.down or self._dead.is_set():
                    self._kill(reset=True)
                    break
                with proxy._lock:
                    if direction == "up":
                        proxy.bytes_up += len(data)
                    else:
                        proxy.bytes_down += len(data)
                pipe.put((time.monotonic() + proxy.shape.delay_ms / 1000, data))
                with self._lock:
                    self.moved += len(data)
                    limit = proxy.shape.reset_after_bytes
                    over = limit is not None and self.moved >= limit
                if over:
                    with proxy._lock:
                        proxy.resets += 1
                    self._kill(reset=True)
                    break
        except OSError:
            pass
        finally:
            pipe.put((time.monotonic() + proxy.shape.delay_ms / 1000, _EOF))

    def _write(self, dst: socket.socket, pipe: queue.Queue[tuple[float, bytes]]) -> None:
        try:
            while True:
                due, data = pipe.get()
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                if data is _EOF or self._dead.is_set():
                    break
                dst.sendall(data)
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_WR)  # the other side said FIN: pass it on (half close)
        except OSError:
            self._kill(reset=True)
        with self._lock:
            self._writers_left -= 1
            both_done = self._writers_left == 0
        if both_done:
            self._kill(reset=False)

    def _kill(self, *, reset: bool) -> None:
        self._dead.set()
        for sock in (self.client, self.server):
            _close(sock, reset=reset)
        self.proxy._forget(self.client, self.server)


def _close(sock: socket.socket, *, reset: bool) -> None:
    with contextlib.suppress(OSError):
        if reset:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close() sends RST
            sock.shutdown(socket.SHUT_RD)  # wakes a thread blocked in recv; sends nothing
        else:
            sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
