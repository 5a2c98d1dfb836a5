"""`specialist-app login` refuses plain http to another computer before asking for the password (#13.6)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from specialist_app.demo_keyring import ENV_KEYRING_FILE
from specialist_app.sync_engine.server_url import ALLOW_HTTP_ENV


class RecordingProxy:
    """A loopback HTTP proxy that records what it receives and answers 401: it stands in for the network."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.received = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                self.received += data
                conn.sendall(b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")

    def close(self) -> None:
        self.sock.close()
        self.thread.join(5)


@pytest.fixture
def proxy() -> Iterator[RecordingProxy]:
    found = RecordingProxy()
    yield found
    found.close()


def login(
    data_dir: Path, server: str, proxy: RecordingProxy, lang: str, **env: str
) -> subprocess.CompletedProcess[str]:
    dropped = ("no_proxy", "http_proxy", ALLOW_HTTP_ENV.lower())
    environ = {k: v for k, v in os.environ.items() if k.lower() not in dropped}
    environ.update({"http_proxy": proxy.url, "HTTP_PROXY": proxy.url,
                    "PYTHON_KEYRING_BACKEND": "specialist_app.demo_keyring.FileKeyring",
                    ENV_KEYRING_FILE: str(data_dir / "k.json"), **env})
    return subprocess.run(
        [sys.executable, "-m", "specialist_app.cli.main", "--data-dir", str(data_dir), "--lang", lang,
         "login", "--server", server, "--user", "gina", "--password-stdin"],
        input="secret-password\n", capture_output=True, text=True, timeout=120, check=False, env=environ,
    )


@pytest.mark.parametrize(("lang", "words"), [("zh_CN", "请改用 https://"), ("en", "Use https://")])
def test_plain_http_to_another_computer_is_refused_before_anything_is_sent(
    tmp_path: Path, proxy: RecordingProxy, lang: str, words: str
) -> None:
    done = login(tmp_path, "http://market.example.cn", proxy, lang)
    assert done.returncode == 1
    assert words in done.stderr and "http://market.example.cn" in done.stderr
    assert proxy.received == b""  # the password never left the process
    assert not (tmp_path / "profiles.json").exists()


def test_a_lab_host_allowed_over_http_is_used_with_a_warning_every_time(
    tmp_path: Path, proxy: RecordingProxy
) -> None:
    for _attempt in range(2):
        done = login(tmp_path, "http://lab-server:8000", proxy, "en", **{ALLOW_HTTP_ENV: "other.lab, LAB-SERVER"})
        assert "Warning: http://lab-server:8000 uses unencrypted http://" in done.stderr
        assert ALLOW_HTTP_ENV in done.stderr
        assert done.returncode == 2  # the (recording) proxy answered 401: it was really sent
    assert proxy.received.count(b"POST http://lab-server:8000/auth/login") == 2


def test_loopback_http_and_https_are_accepted_without_a_warning(tmp_path: Path, proxy: RecordingProxy) -> None:
    done = login(tmp_path, "http://localhost:1", proxy, "en", no_proxy="*")
    assert "Warning" not in done.stderr and "Refused" not in done.stderr
    assert done.returncode == 3  # nothing listens on port 1: offline, not refused
