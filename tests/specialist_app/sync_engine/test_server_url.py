"""Which server addresses the client talks to (#13.6): https anywhere, http only on loopback or a named lab host."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from specialist_app.sync_engine.server_url import (
    ALLOW_HTTP_ENV,
    BadServerUrl,
    InsecureServer,
    check_server_url,
)
from specialist_app.sync_engine.transport import Transport


@pytest.mark.parametrize("url", [
    "https://market.example.cn", "https://10.0.0.5:8443", "http://127.0.0.1:8000", "http://127.8.9.10",
    "http://localhost:8000", "HTTP://LOCALHOST", "http://[::1]:8000",
])
def test_accepted_without_warning(url: str) -> None:
    assert check_server_url(url) is None


@pytest.mark.parametrize("url", [
    "http://market.example.cn", "http://10.0.0.5:8000", "http://[fe80::1]", "http://localhost.evil.example",
    "http://127.0.0.1.nip.io", "http://128.0.0.1",
])
def test_plain_http_elsewhere_is_refused(url: str) -> None:
    with pytest.raises(InsecureServer) as refused:
        check_server_url(url)
    assert "https://" in refused.value.message("zh_CN") and url in refused.value.message("en")


@pytest.mark.parametrize("url", ["ftp://market.example.cn", "market.example.cn", "https://", "file:///etc/passwd"])
def test_not_a_server_address(url: str) -> None:
    with pytest.raises(BadServerUrl):
        check_server_url(url)


def test_a_named_lab_host_is_allowed_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ALLOW_HTTP_ENV, " 10.0.0.5 ,lab-server")
    assert check_server_url("http://10.0.0.5:8000") == "insecure_server_allowed"
    assert check_server_url("http://lab-server") == "insecure_server_allowed"
    with pytest.raises(InsecureServer):
        check_server_url("http://market.example.cn")


def test_transport_never_sends_to_a_refused_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOW_HTTP_ENV, raising=False)
    transport = Transport("http://market.example.cn", max_attempts=1)

    def no_network(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a request was sent")

    monkeypatch.setattr(transport.session, "request", no_network)
    with pytest.raises(InsecureServer):
        transport.post_json("/auth/login", {"username": "gina", "password": "secret"}, auth=False)


class Redirecting(BaseHTTPRequestHandler):
    """Answers every request with a 307 to `location` (the body of a POST would follow it)."""

    location = "http://market.example.cn/auth/login"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(307)
        self.send_header("Location", self.location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_redirect_to_plain_http_elsewhere_is_never_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOW_HTTP_ENV, raising=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    transport = Transport(f"http://127.0.0.1:{server.server_address[1]}", max_attempts=1)
    sent: list[str] = []
    original = transport.session.send

    def send(request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        sent.append(str(request.url))
        return original(request, **kwargs)

    monkeypatch.setattr(transport.session, "send", send)
    try:
        with pytest.raises(InsecureServer) as refused:
            transport.post_json("/auth/login", {"username": "gina", "password": "secret"}, auth=False)
    finally:
        transport.close()
        server.shutdown()
        server.server_close()
    assert "http://market.example.cn/auth/login" in refused.value.message("en")
    assert len(sent) == 1 and sent[0].startswith("http://127.0.0.1:")  # the password never went to the redirect
