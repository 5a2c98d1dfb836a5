"""The shaping proxy plays the link it is told to: rate per direction, delay, stalls, resets, cuts."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from shaping_proxy import Shape, ShapingProxy


class Sink:
    """A TCP server on loopback: `echo` answers each byte; otherwise it reads everything and notes when it ended,
    and a connection that starts with b"send:N\\n" gets N bytes back."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.received = 0
        self.last_byte_at = 0.0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        with conn:
            try:
                while data := conn.recv(65536):
                    if data.startswith(b"send:"):
                        conn.sendall(b"x" * int(data[5:].strip()))
                    elif data.startswith(b"echo"):
                        conn.sendall(data)
                    else:
                        self.received += len(data)
                        self.last_byte_at = time.monotonic()
            except OSError:
                return

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def sink() -> Iterator[Sink]:
    server = Sink()
    yield server
    server.close()


def _connect(proxy: ShapingProxy) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _echo_seconds(sock: socket.socket) -> float:
    start = time.monotonic()
    sock.sendall(b"echo")
    assert sock.recv(16) == b"echo"
    return time.monotonic() - start


def test_upload_and_download_run_at_the_configured_rates(sink: Sink) -> None:
    proxy = ShapingProxy(sink.url, Shape(up_kbps=256, down_kbps=512))
    try:
        payload = 48 * 1024  # 1.5 s up at 256 kbit/s
        with _connect(proxy) as sock:
            start = time.monotonic()
            sock.sendall(b"u" * payload)
            deadline = time.monotonic() + 10
            while sink.received < payload and time.monotonic() < deadline:
                time.sleep(0.01)
            up_kbps = payload * 8 / (sink.last_byte_at - start) / 1000
        wanted = 64 * 1024  # 1 s down at 512 kbit/s
        with _connect(proxy) as sock:
            start = time.monotonic()
            sock.sendall(f"send:{wanted}\n".encode())
            got = 0
            while got < wanted:
                got += len(sock.recv(65536))
            down_kbps = wanted * 8 / (time.monotonic() - start) / 1000
        assert 256 * 0.85 < up_kbps < 256 * 1.1, up_kbps
        assert 512 * 0.85 < down_kbps < 512 * 1.1, down_kbps
        assert proxy.bytes_up >= payload and proxy.bytes_down == wanted
    finally:
        proxy.close()


def test_a_sender_feels_the_slow_link_instead_of_filling_buffers(sink: Sink) -> None:
    """The proxy reads only what the link carries: a 6 MB sendall at 256 kbit/s overflows the sender's kernel
    buffers (at most 4 MB here) and times out, as on a real link."""
    proxy = ShapingProxy(sink.url, Shape(up_kbps=256))
    try:
        with _connect(proxy) as sock:
            sock.settimeout(1.0)
            with pytest.raises(TimeoutError):
                sock.sendall(b"u" * 6 * 1024 * 1024)
    finally:
        proxy.close()


def test_delay_adds_to_each_direction_and_can_change_at_runtime(sink: Sink) -> None:
    proxy = ShapingProxy(sink.url, Shape(delay_ms=100))
    try:
        with _connect(proxy) as sock:
            assert 0.19 < _echo_seconds(sock) < 0.4
            proxy.shape.delay_ms = 0
            assert _echo_seconds(sock) < 0.1
    finally:
        proxy.close()


def test_stalls_hold_every_byte_then_let_them_through(sink: Sink) -> None:
    proxy = ShapingProxy(sink.url)
    try:
        with _connect(proxy) as sock:
            proxy.stall(0.5)
            assert 0.45 < _echo_seconds(sock) < 1.5
            assert _echo_seconds(sock) < 0.1
            proxy.shape.stall_every_s, proxy.shape.stall_for_s = 0.4, 0.3
            slowest = max(_echo_seconds(sock) for _ in range(6))
            assert slowest > 0.1  # some echo met a periodic stall
    finally:
        proxy.close()


def test_cuts_reset_open_connections_and_refuse_new_ones(sink: Sink) -> None:
    proxy = ShapingProxy(sink.url)
    try:
        sock = _connect(proxy)
        assert _echo_seconds(sock) < 0.5
        assert proxy.cut() == 2  # both legs of the one connection
        with pytest.raises(ConnectionError):
            sock.sendall(b"echo")
            if not sock.recv(16):
                raise ConnectionResetError("closed")
        sock.close()
        proxy.shape.down = True
        with pytest.raises(ConnectionError), _connect(proxy) as sock:  # the reset may come before connect returns
            sock.sendall(b"echo")
            if not sock.recv(16):
                raise ConnectionResetError("closed")
        proxy.shape.down = False
        proxy.shape.reset_after_bytes = 10_000
        with _connect(proxy) as sock, pytest.raises(ConnectionError):
            for _ in range(100):
                sock.sendall(b"u" * 1000)
                time.sleep(0.005)
        assert proxy.resets >= 2
    finally:
        proxy.close()
