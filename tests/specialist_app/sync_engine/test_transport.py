"""Transport: retries with backoff, error classes, headers, and a refresh on 401."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from specialist_app.sync_engine.errors import LoginRequired, NetworkUnavailable, ProtocolOutdated, ServerError
from specialist_app.sync_engine.transport import Transport
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION


class Tokens:
    def __init__(self, token: str | None, new: str | None = None) -> None:
        self.token, self.new, self.refreshes = token, new, 0

    def access_token(self) -> str | None:
        return self.token

    def refresh(self, transport: Transport) -> str:
        self.refreshes += 1
        if self.new is None:
            raise LoginRequired("refused")
        self.token = self.new
        return self.new


def _transport(url: str, delays: list[float], **kw: Any) -> Transport:
    return Transport(url, sleep=delays.append, jitter=lambda: 1.0, base_delay_s=0.5, max_delay_s=3.0, **kw)


def test_retries_5xx_with_exponential_backoff_then_succeeds(scripted: Any) -> None:
    scripted.add(503, {"code": "busy", "message": "busy"})
    scripted.add(502)
    scripted.add(500)
    scripted.add(200, {"ok": True})
    delays: list[float] = []
    answer = _transport(scripted.url, delays).post_json("/x", {"a": 1}, auth=False)
    assert answer == {"ok": True}
    assert delays == [0.5, 1.0, 2.0]
    assert len(scripted.seen) == 4
    assert scripted.seen[0].headers[PROTOCOL_HEADER] == str(PROTOCOL_VERSION)
    assert scripted.seen[0].body == {"a": 1}


def test_a_file_body_is_streamed_and_sent_whole_again_on_a_retry(scripted: Any, tmp_path: Path) -> None:
    scripted.add(503, {"code": "busy", "message": "busy"})
    scripted.add(200, {"ok": True})
    upload = tmp_path / "upload.json"
    upload.write_bytes(b'{"snapshot": "' + b"x" * 100_000 + b'"}')
    with upload.open("rb") as body:
        answer = _transport(scripted.url, []).request("PUT", "/x", data=body, auth=False)
    assert answer.json() == {"ok": True}
    assert [len(seen.body["snapshot"]) for seen in scripted.seen] == [100_000, 100_000]
    assert scripted.seen[1].headers["Content-Length"] == str(upload.stat().st_size)


def test_gives_up_after_bounded_attempts_with_server_error(scripted: Any) -> None:
    scripted.add(500, {"code": "internal", "message": "boom"})
    delays: list[float] = []
    with pytest.raises(ServerError) as err:
        _transport(scripted.url, delays, max_attempts=3).post_json("/x", {}, auth=False)
    assert err.value.status == 500
    assert len(scripted.seen) == 3
    assert delays == [0.5, 1.0]


def test_unreachable_server_is_network_unavailable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    delays: list[float] = []
    with pytest.raises(NetworkUnavailable):
        _transport(f"http://127.0.0.1:{port}", delays, max_attempts=3).post_json("/x", {}, auth=False)
    assert len(delays) == 2


def test_full_jitter_stays_under_the_cap() -> None:
    t = Transport("https://example.invalid", jitter=lambda: 0.25, base_delay_s=1.0, max_delay_s=4.0)
    assert [t._delay(n, None) for n in (1, 2, 3, 4, 5)] == [0.25, 0.5, 1.0, 1.0, 1.0]
    assert t._delay(1, "2") == 2.0  # Retry-After is a floor


def test_401_refreshes_once_and_retries_with_the_new_token(scripted: Any) -> None:
    scripted.add(401, {"code": "login_required", "message": "expired"})
    scripted.add(200, {"ok": 1})
    tokens = Tokens("old", "new")
    answer = _transport(scripted.url, [], auth=tokens).post_json("/x", {})
    assert answer == {"ok": 1}
    assert tokens.refreshes == 1
    assert [s.headers["Authorization"] for s in scripted.seen] == ["Bearer old", "Bearer new"]


def test_401_that_refresh_cannot_fix_is_login_required(scripted: Any) -> None:
    scripted.add(401, {"code": "login_required", "message": "expired"})
    with pytest.raises(LoginRequired):
        _transport(scripted.url, [], auth=Tokens("old", None)).post_json("/x", {})
    tokens = Tokens("old", "still-bad")
    with pytest.raises(LoginRequired):
        _transport(scripted.url, [], auth=tokens).post_json("/x", {})
    assert tokens.refreshes == 1


def test_426_is_protocol_outdated_with_the_servers_message(scripted: Any) -> None:
    scripted.add(426, {"code": "protocol_outdated", "message": "请更新", "details": {"min_client_version": "2.0"}})
    with pytest.raises(ProtocolOutdated) as err:
        _transport(scripted.url, []).post_json("/x", {}, auth=False)
    assert err.value.detail == "请更新"
    assert err.value.params["version"] == "2.0"


def test_tls_verification_is_on_and_a_ca_bundle_only_replaces_the_trust_store(tmp_path: Any) -> None:
    assert Transport("https://h").session.verify is True
    bundle = str(tmp_path / "ca.pem")
    assert Transport("https://h", ca_bundle=bundle).session.verify == bundle
