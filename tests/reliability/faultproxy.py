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
)
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
                 faults: Sequence[str] = FAULTS[1:], max_delay_s: float = 0.05) -> None:
        self.seed = seed
        self.fault_rate = fault_rate
        self.faults = tuple(faults)
        self.max_delay_s = max_delay_s
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
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        kind, rng = self._choose()
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
           declared: int | None = None) -> None:
    handler.send_response(status)
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.send_header("Content-Length", str(len(data) if declared is None else declared))
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(data)
    handler.wfile.flush()


def _abort(handler: BaseHTTPRequestHandler, *, reset: bool) -> None:
    handler.close_connection = True
    if reset:
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
