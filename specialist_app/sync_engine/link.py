"""How bodies cross the link: a progress deadline for sending (not a total one), throughput, body encodings."""

from __future__ import annotations

import threading
import time
from typing import Any

import requests
import zstandard
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

SEND_PIECE = 16 * 1024  # each socket send is this small, so its deadline measures progress, not the body's size
SEND_STALL_S = 30.0  # a send fails when the link takes no bytes for this long
ZSTD_LEVEL = 3
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_MIN_SAMPLE = 32 * 1024  # smaller bodies measure latency, not throughput


class _ProgressDeadline:
    """Connection mixin: after connecting (connect timeout), the body goes out in small pieces, each with the
    stall deadline. Python's sendall treats a socket timeout as a total deadline for the whole buffer, and urllib3
    leaves the connect timeout on the socket while it sends, so one big sendall failed on any slow link."""

    send_stall_s = SEND_STALL_S
    sock: Any

    def send(self, data: Any) -> None:
        if self.sock is not None:
            self.sock.settimeout(self.send_stall_s)
        if isinstance(data, bytes | bytearray | memoryview) and len(data) > SEND_PIECE:
            view = memoryview(data)
            for start in range(0, len(view), SEND_PIECE):
                super().send(view[start:start + SEND_PIECE])  # type: ignore[misc]
            return
        super().send(data)  # type: ignore[misc]


class _HTTPConnection(_ProgressDeadline, HTTPConnection):
    pass


class _HTTPSConnection(_ProgressDeadline, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class ProgressDeadlineAdapter(HTTPAdapter):
    """requests adapter whose connections send with a progress deadline (see _ProgressDeadline)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


class Throughput:
    """The link's measured upload speed (bytes/s, moving average over request bodies), and sizes derived from it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._up: float | None = None

    def record_upload(self, n_bytes: int, seconds: float) -> None:
        if n_bytes < _MIN_SAMPLE or seconds <= 0:
            return
        sample = n_bytes / seconds
        with self._lock:
            self._up = sample if self._up is None else 0.5 * self._up + 0.5 * sample

    @property
    def up_bytes_per_s(self) -> float | None:
        return self._up

    def body_bytes(self, *, seconds: float, floor: int, ceiling: int, unknown: int) -> int:
        """How big a body may be to take about `seconds` on this link (`unknown` before anything was measured)."""
        rate = self._up
        if rate is None:
            return unknown
        return int(min(ceiling, max(floor, rate * seconds)))


class Timer:
    """Times one request body for a Throughput (`with Timer(meter, n):`)."""

    def __init__(self, meter: Throughput, n_bytes: int) -> None:
        self.meter = meter
        self.n_bytes = n_bytes
        self.start = 0.0

    def __enter__(self) -> Timer:
        self.start = time.monotonic()
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        if kind is None:
            self.meter.record_upload(self.n_bytes, time.monotonic() - self.start)


def zstd_compress(data: bytes) -> bytes:
    return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(data)


def decoded_content(response: requests.Response) -> bytes:
    """The body, zstd-decoded here when urllib3 cannot (it decodes zstd only with compression.zstd)."""
    data = response.content
    if data.startswith(ZSTD_MAGIC) and "zstd" in response.headers.get("Content-Encoding", "").lower():
        return zstandard.ZstdDecompressor().decompressobj().decompress(data)
    return data


def accepts_zstd(response: requests.Response) -> bool:
    """The server said (RFC 7694: Accept-Encoding in a response) it reads zstd request bodies."""
    return "zstd" in response.headers.get("Accept-Encoding", "").lower()
