"""Resource limits and headers (#13.3, #13.10, #13.11): body caps while streaming, huge numbers, nosniff, no-store."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server import accounts
from market_server.app import create_app
from market_server.db import make_engine, migrate
from market_server.settings import Settings
from sync.protocol import MAX_AUTH_BODY_BYTES, MAX_PUSH_BODY_BYTES, PROTOCOL_HEADER, PROTOCOL_VERSION

from .conftest import PASSWORD

HUGE = [2**63, 2**64, 10**30]


@pytest.fixture(scope="module")
def token(client: TestClient, engine: Engine) -> str:
    with engine.begin() as conn:
        accounts.add_user(conn, "limits", "admin", PASSWORD)
    answer = client.post("/auth/login", json={"username": "limits", "password": PASSWORD, "device_id": "lim"})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}


@pytest.mark.parametrize("value", HUGE)
def test_huge_numbers_are_refused_with_a_reason_not_a_500(client: TestClient, token: str, value: int) -> None:
    mutation = {"seq": value, "entity": "institution", "id": "x", "op": "create", "fields": {}}
    pushed = client.post("/sync/push", json={"device_id": "lim", "mutations": [mutation]}, headers=_headers(token))
    assert pushed.status_code == 422 and "seq" in pushed.json()["message_en"]
    based = {**mutation, "seq": 1, "op": "update", "base_version": value}
    pushed = client.post("/sync/push", json={"device_id": "lim", "mutations": [based]}, headers=_headers(token))
    assert pushed.status_code == 422 and "base_version" in pushed.json()["message_en"]
    pulled = client.post("/sync/pull", json={"device_id": "lim", "cursors": {"catalog": value}},
                         headers=_headers(token))
    assert pulled.status_code == 422 and "cursors" in pulled.json()["message_en"]
    published = client.put("/catalog-snapshot", params={"format": "x.v1", "cursor": value, "sha256": "0" * 64},
                           content=b"x", headers=_headers(token))
    assert published.status_code == 422 and "cursor" in published.json()["message_en"]
    patched = client.patch("/blobs/" + "0" * 64, params={"offset": value}, content=b"x",
                           headers={**_headers(token), "Upload-Length": "10"})
    assert 400 <= patched.status_code < 500


def test_every_answer_says_nosniff_and_token_answers_are_not_stored(client: TestClient, token: str) -> None:
    assert client.get("/health").headers["x-content-type-options"] == "nosniff"
    login = client.post("/auth/login", json={"username": "limits", "password": PASSWORD, "device_id": "lim"})
    assert login.headers["cache-control"] == "no-store" and login.headers["x-content-type-options"] == "nosniff"
    refreshed = client.post("/auth/refresh", json={"refresh_token": login.json()["refresh_token"]})
    assert refreshed.status_code == 200 and refreshed.headers["cache-control"] == "no-store"
    failed = client.post("/auth/login", json={"username": "limits", "password": "wrong-one", "device_id": "lim"})
    assert failed.headers["cache-control"] == "no-store" and failed.headers["x-content-type-options"] == "nosniff"
    me = client.get("/auth/me", headers=_headers(token))
    assert me.headers["cache-control"] == "no-store"


def test_a_declared_body_over_the_cap_is_refused_before_it_is_read(client: TestClient, token: str) -> None:
    big_login = client.post("/auth/login", content=b"{" + b" " * MAX_AUTH_BODY_BYTES + b"}",
                            headers={"Content-Type": "application/json"})
    assert big_login.status_code == 413 and big_login.json()["code"] == "body_too_large"
    assert big_login.headers["x-content-type-options"] == "nosniff"
    big_push = client.post("/sync/push", content=b" " * (MAX_PUSH_BODY_BYTES + 1),
                           headers={**_headers(token), "Content-Type": "application/json"})
    assert big_push.status_code == 413
    small = client.post("/auth/login", json={"username": "limits", "password": PASSWORD, "device_id": "lim"})
    assert small.status_code == 200


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    root: Path = tmp_path_factory.mktemp("live")
    settings = Settings(data_dir=root, database_url=f"sqlite:///{root / 'market.sqlite3'}", blob_dir=root / "blobs")
    engine = make_engine(settings)
    migrate(engine)
    engine.dispose()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.01)  # waiting for the server to listen; no assertion depends on it
    yield "127.0.0.1", int(sock.getsockname()[1])
    server.should_exit = True
    thread.join(10)
    sock.close()


@pytest.mark.parametrize("path", ["/auth/login", "/auth/refresh", "/sync/push"])
def test_a_chunked_body_without_length_is_cut_off_while_it_streams(live: tuple[str, int], path: str) -> None:
    """The body never ends; the 413 must come while it is still being sent (so the server never buffered it)."""
    method = "PATCH" if path.startswith("/blobs/") else "POST"
    with socket.create_connection(live, timeout=10) as conn:
        conn.sendall(f"{method} {path}?offset=0 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     f"Upload-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
        piece = b" " * 65536
        answer = b""
        conn.settimeout(0.05)
        for _ in range(200):  # up to 12.5 MiB, more than any cap; the terminating chunk is never sent
            try:
                conn.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            except OSError:
                break  # the server closed after answering
            try:
                answer = conn.recv(4096)
            except TimeoutError:
                continue
            if answer:
                break
        conn.settimeout(10)
        try:
            while more := conn.recv(4096):  # the server closes the connection after its 413
                answer += more
        except ConnectionResetError:
            pass  # closed with our unread chunks in its buffer: the answer's head is what counts
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_big_bodies_are_handled_a_few_at_a_time_and_small_ones_never_wait() -> None:
    """The rest wait with their bodies unread, so memory is bounded by the few being handled (#13.3)."""
    import asyncio

    from market_server.body_limits import BodyLimitMiddleware

    running = peak = 0

    async def app(scope: Any, receive: Any, send: Any) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)  # a handler at work; the figure asserted is the overlap, not a time
        running -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    guarded = BodyLimitMiddleware(app, cap=lambda _m, _p: 4 * 1024 * 1024, big_bodies=2)

    async def request(length: int) -> None:
        scope = {"type": "http", "method": "POST", "path": "/sync/push",
                 "headers": [(b"content-length", str(length).encode())]}

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(_message: Any) -> None:
            pass

        await guarded(scope, receive, send)

    async def burst(length: int) -> int:
        nonlocal peak
        peak = 0
        await asyncio.gather(*(request(length) for _ in range(10)))
        return peak

    assert asyncio.run(burst(1024 * 1024)) == 2
    assert asyncio.run(burst(1024)) == 10
