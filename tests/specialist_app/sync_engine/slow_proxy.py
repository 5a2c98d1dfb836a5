"""A loopback proxy for cancel tests: chosen requests crawl at a set rate both ways, or their answer never comes."""

from __future__ import annotations

import http.client
import threading
import time
from http.server import BaseHTTPRequestHandler

from tests.loopback_proxy import LoopbackProxy

PIECE = 1024
_HOP = ("host", "content-length", "connection", "keep-alive", "transfer-encoding")


class SlowProxy(LoopbackProxy):
    """Forwards to the server; requests whose "METHOD /path" starts with one of `slow` move `rate` bytes/s each
    way, those matching `stall` never get an answer (the server never sees them). `seen` is set by the first
    slow or stalled request."""

    def __init__(self, upstream: str, rate: int = 16_384) -> None:
        self.rate = rate
        self.slow: tuple[str, ...] = ()
        self.stall: tuple[str, ...] = ()
        self.seen = threading.Event()
        self.requests: list[str] = []
        self._closing = threading.Event()
        super().__init__(upstream)

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        key = f"{handler.command} {handler.path}"
        self.requests.append(key)
        slow = key.startswith(self.slow) if self.slow else False
        try:
            if self.stall and key.startswith(self.stall):
                self.seen.set()
                self._closing.wait()  # the answer never comes; the client gives up or is cancelled
                handler.close_connection = True
                return
            if slow:
                self.seen.set()
            length = int(handler.headers.get("Content-Length") or 0)
            body = self._read(handler, length, slow)
            status, headers, data = self._forward(handler, body)
            handler.send_response(status)
            for name, value in headers:
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            if handler.command != "HEAD":
                self._write(handler, data, slow)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True  # the client hung up (a cancel): nothing more to send

    def _read(self, handler: BaseHTTPRequestHandler, length: int, slow: bool) -> bytes:
        if not slow:
            return handler.rfile.read(length) if length else b""
        moved = bytearray()
        while len(moved) < length and (piece := handler.rfile.read(min(PIECE, length - len(moved)))):
            moved += piece
            time.sleep(len(piece) / self.rate)  # the link's speed: the point of this proxy
        return bytes(moved)

    def _write(self, handler: BaseHTTPRequestHandler, data: bytes, slow: bool) -> None:
        for start in range(0, len(data), PIECE if slow else max(1, len(data))):
            piece = data[start:start + PIECE] if slow else data
            handler.wfile.write(piece)
            handler.wfile.flush()
            if slow:
                time.sleep(len(piece) / self.rate)

    def _forward(self, handler: BaseHTTPRequestHandler, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            headers = {k: v for k, v in handler.headers.items() if k.lower() not in _HOP}
            conn.request(handler.command, handler.path, body=body or None, headers=headers)
            answer = conn.getresponse()
            data = answer.read()
            return answer.status, [(k, v) for k, v in answer.getheaders() if k.lower() not in _HOP], data
        finally:
            conn.close()

    def close(self) -> None:
        self._closing.set()
        super().close()

