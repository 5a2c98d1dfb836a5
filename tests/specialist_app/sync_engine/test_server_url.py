"""Which server addresses the client talks to (#13.6): https anywhere, http only on loopback or a named lab host."""

from __future__ import annotations

import pytest

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
