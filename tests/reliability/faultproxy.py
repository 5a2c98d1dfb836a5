"""A loopback HTTP proxy that injects network faults, chosen per request by a seeded RNG."""

from __future__ import annotations

import http.client
import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.loopback_proxy import LoopbackProxy

# What can happen to one request. "before": the server never sees it; "after": the server did the work.
FAULTS = (
    "pass",
    "delay",  # a short delay, then forwarded
    "reset_before",  # TCP reset before forwarding
    "drop_before",  # connection closed before forwarding
    "drop_after",  # forwarded, the answer lost
    "reset_after",  # forwarded, then a reset instead of the answer
    "cut_body",  # forwarded, the answer cut off halfway through its body
    "status_before",  # 500/502/503 without forwarding
    "status_after",  # forwarded, then 502/503 instead of the real answer
    # Slow links (a hotel hotspot, a rural uplink): everything arrives, late.
    "slow_up",  # the request body taken from the client at SLOW_KBPS (a slow uplink)
    "slow_down",  # the answer sent at SLOW_KBPS
    "stall",  # the answer stops halfway for up to max_stall_s, then goes on
)
SLOW_KBPS = (64, 128, 256, 512)  # 1 kbps = 1000 bit/s
_PACE_CHUNK = 512
_HOP_HEADERS = {"host", "content-length", "connection", "keep-alive", "transfer-encoding"}


class _QuietServer(ThreadingHTTPServer):
    """Aborted connections are the point here: no tracebacks for them; a reset socket is closed without a FIN."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass

    def shutdown_request(self, request: Any) -> None:
        if request.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER) != 0:
            self.close_request(request)  # SO_LINGER 0: close() sends RST
            return
        super().shutdown_request(request)


class FaultProxy(LoopbackProxy):
    """Forwards to `upstream`; `fault_rate` of requests get a fault (uniform over FAULTS minus "pass")."""

    server_class = _QuietServer

    def __init__(self, upstream: str, *, seed: int, fault_rate: float = 0.3,
                 faults: Sequence[str] = FAULTS[1:], max_delay_s: float = 0.05, max_stall_s: float = 0.8) -> None:
        self.seed = seed
        self.fault_rate = fault_rate
        self.faults = tuple(faults)
        self.max_delay_s = max_delay_s
        self.max_stall_s = max_stall_s
        self.enabled = True
        self.script: list[str] = []  # faults for the next requests, in order, before the RNG chooses again
        self.injected: Counter[str] = Counter()
        self.requests = 0
        self._since_seed = 0  # requests since `seed` was last set: the RNG's input, so a replay sees the same faults
        self._lock = threading.Lock()
        super().__init__(upstream)

    def reseed(self, seed: int) -> None:
        """Start the fault sequence of `seed` from its beginning (the same requests get the same faults again)."""
        with self._lock:
            self.seed = seed
            self._since_seed = 0

    @property
    def faults_injected(self) -> int:
        return sum(n for kind, n in self.injected.items() if kind != "pass")

    def _choose(self) -> tuple[str, random.Random]:
        with self._lock:
            self.requests += 1
            self._since_seed += 1
            rng = random.Random(f"{self.seed}:{self._since_seed}")
            if self.script:
                kind = self.script.pop(0)
            else:
                kind = rng.choice(self.faults) if self.enabled and rng.random() < self.fault_rate else "pass"
            self.injected[kind] += 1
        return kind, rng

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        kind, rng = self._choose()
        length = int(handler.headers.get("Content-Length") or 0)
        body = _read_paced(handler, length, rng.choice(SLOW_KBPS) if kind == "slow_up" else None)
        if kind == "delay":
            time.sleep(rng.uniform(0, self.max_delay_s))  # the fault itself is a delay
        if kind in ("reset_before", "drop_before"):
            _abort(handler, reset=kind == "reset_before")
            return
        if kind == "status_before":
            _reply(handler, rng.choice((500, 502, 503)), b'{"code":"internal"}', {})
            return
        status, data, headers = self._forward(handler, body)
        if kind in ("drop_after", "reset_after"):
            _abort(handler, reset=kind == "reset_after")
        elif kind == "status_after":
            _reply(handler, rng.choice((502, 503)), b"<html>Bad Gateway</html>", {"Content-Type": "text/html"})
        elif kind == "cut_body" and len(data) > 1:
            _reply(handler, status, data[: rng.randrange(1, len(data))], headers, declared=len(data))
            _abort(handler, reset=False)
        elif kind == "slow_down":
            _reply(handler, status, data, headers, kbps=rng.choice(SLOW_KBPS))
        elif kind == "stall":
            _reply(handler, status, data, headers, stall=(len(data) // 2, rng.uniform(0.1, self.max_stall_s)))
        else:
            _reply(handler, status, data, headers)

    def _forward(self, handler: BaseHTTPRequestHandler, body: bytes) -> tuple[int, bytes, dict[str, str]]:
        conn = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in _HOP_HEADERS}
            conn.request(handler.command, handler.path, body=body or None, headers=headers)
            answer = conn.getresponse()
            data = answer.read()  # raw bytes: a gzip body stays gzip
            kept = {k: v for k, v in answer.getheaders() if k.lower() not in _HOP_HEADERS}
            return answer.status, data, kept
        finally:
            conn.close()


def _reply(handler: BaseHTTPRequestHandler, status: int, data: bytes, headers: dict[str, str],
           declared: int | None = None, *, kbps: float | None = None, stall: tuple[int, float] | None = None) -> None:
    """Send an answer; `kbps`: paced at that rate; `stall`: (after how many body bytes, seconds) of silence."""
    handler.send_response(status)
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(data) if declared is None else declared))
    handler.end_headers()
    handler.wfile.flush()
    if handler.command == "HEAD":
        return
    if stall is not None:
        at, seconds = stall
        handler.wfile.write(data[:at])
        handler.wfile.flush()
        time.sleep(seconds)  # the fault itself: the link goes quiet mid-answer
        data = data[at:]
    step = _PACE_CHUNK if kbps else max(1, len(data))
    for start in range(0, len(data), step):
        handler.wfile.write(data[start:start + step])
        handler.wfile.flush()
        if kbps:
            time.sleep(step * 8 / (kbps * 1000))  # the fault itself: a slow downlink
    handler.wfile.flush()


def _read_paced(handler: BaseHTTPRequestHandler, length: int, kbps: float | None) -> bytes:
    """The request body, taken from the client no faster than `kbps` (its sends block, as on a slow uplink)."""
    if not kbps:
        return handler.rfile.read(length)
    parts: list[bytes] = []
    left = length
    while left > 0:
        part = handler.rfile.read(min(_PACE_CHUNK, left))
        if not part:
            break
        parts.append(part)
        left -= len(part)
        time.sleep(len(part) * 8 / (kbps * 1000))  # the fault itself: a slow uplink
    return b"".join(parts)


def _abort(handler: BaseHTTPRequestHandler, *, reset: bool) -> None:
    handler.close_connection = True
    if reset:
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
