"""Authorisation matrix: every endpoint x every kind of caller; exactly the allowed cells succeed.

Also: tokens and passwords never appear in the server's logs or in any answer.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from market_server import accounts
from market_server.app import create_app
from market_server.db import make_engine, migrate
from market_server.seed import load_records
from market_server.settings import Settings
from market_server.tables import access_token
from sync.ids import uuid7
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + bytes(range(256)) * 4
JPEG_SHA = hashlib.sha256(JPEG).hexdigest()
SNAPSHOT = b"\x1f\x8b opaque catalog snapshot" * 64
SNAPSHOT_SHA = hashlib.sha256(SNAPSHOT).hexdigest()
SNAPSHOT_QUERY: dict[str, str | int] = {"format": "matrix.v1", "cursor": 0, "sha256": SNAPSHOT_SHA}
ROLES = ("admin", "assigned", "not_assigned", "disabled", "expired", "other_device", "no_token")


@dataclass
class Caller:
    token: str | None
    device_id: str
    secrets: tuple[str, ...]


@dataclass
class Server:
    client: TestClient
    engine: Engine
    inst: str
    contact: str
    callers: dict[str, Caller]


def _login(client: TestClient, user: str, device: str) -> Caller:
    password = f"pw-{user}-authz-1"
    answer = client.post("/auth/login", json={"username": user, "password": password, "device_id": device,
                                              "device_name": "matrix"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return Caller(body["access_token"], device, (body["access_token"], body["refresh_token"], password))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("authz")
    config = Settings(data_dir=root, database_url=f"sqlite:///{root / 'market.sqlite3'}", blob_dir=root / "blobs")
    engine = make_engine(config)
    migrate(engine)
    inst, contact, visit = uuid7(), uuid7(), uuid7()
    with engine.begin() as conn:
        load_records(conn, [
            ("institution", {"id": inst, "name": "授权测试机构", "org_type": "university", "status": "active"}),
            ("contact", {"id": contact, "institution_id": inst, "name": "私密联系人"}),
            ("visit", {"id": visit, "institution_id": inst, "status": "planned"}),
        ], user="seed")
        # Made by the user who uploads the bytes below: a row grants them only if its author held them.
        load_records(conn, [
            ("attachment", {"id": uuid7(), "owner_entity": "visit", "owner_id": visit, "filename": "a.jpg",
                            "mime_type": "image/jpeg", "size": len(JPEG), "sha256": JPEG_SHA}),
        ], user="mine")
        for user, role in (("boss", "admin"), ("mine", "specialist"), ("other", "specialist"),
                           ("gone", "specialist")):
            accounts.add_user(conn, user, role, f"pw-{user}-authz-1")
        accounts.assign(conn, "mine", [inst])
        accounts.assign(conn, "gone", [inst])
    app = create_app(config)
    with TestClient(app) as client:
        callers = {
            "admin": _login(client, "boss", "dev-boss"),
            "assigned": _login(client, "mine", "dev-mine"),
            "not_assigned": _login(client, "other", "dev-other"),
            "disabled": _login(client, "gone", "dev-gone"),
            "expired": _login(client, "mine", "dev-mine-2"),
        }
        laptop = _login(client, "mine", "dev-mine-laptop")
        callers["other_device"] = Caller(laptop.token, "dev-mine", laptop.secrets)  # laptop's token, PC's id
        callers["no_token"] = Caller(None, "dev-none", ())
        assert client.put(f"/blobs/{JPEG_SHA}", content=JPEG, headers=_headers(callers["assigned"])).status_code == 200
        published = client.put("/catalog-snapshot", params=SNAPSHOT_QUERY, content=SNAPSHOT,
                               headers=_headers(callers["admin"]))
        assert published.status_code == 201, published.text
        with engine.begin() as conn:
            accounts.disable_user(conn, "gone")
            conn.execute(update(access_token).where(access_token.c.user_id.in_(
                conn.exec_driver_sql("SELECT id FROM app_user WHERE username = 'mine'").scalars().all()
            ), access_token.c.device_pk.in_(
                conn.exec_driver_sql("SELECT id FROM device WHERE device_id = 'dev-mine-2'").scalars().all()
            )).values(expires_at=int(time.time()) - 1))
        yield Server(client, engine, inst, contact, callers)
    app.state.engine.dispose()
    engine.dispose()


def _headers(caller: Caller) -> dict[str, str]:
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    if caller.token:
        headers["Authorization"] = f"Bearer {caller.token}"
    return headers


def _push(s: Server, c: Caller) -> bool:
    mutation = {"seq": int(time.time() * 1000), "entity": "contact", "id": uuid7(), "op": "create",
                "fields": {"institution_id": s.inst, "name": "新联系人"}}
    answer = s.client.post("/sync/push", json={"device_id": c.device_id, "mutations": [mutation]},
                           headers=_headers(c))
    return answer.status_code == 200 and answer.json()["results"][0]["outcome"] == "applied"


def _pull_private(s: Server, c: Caller) -> bool:
    answer = s.client.post("/sync/pull", json={"device_id": c.device_id, "cursors": {}, "limit": 1000},
                           headers=_headers(c))
    return answer.status_code == 200 and any(ch["id"] == s.contact for ch in answer.json()["changes"])


def _pull_public(s: Server, c: Caller) -> bool:
    answer = s.client.post("/sync/pull", json={"device_id": c.device_id, "cursors": {}, "view": "public"},
                           headers=_headers(c))
    return answer.status_code == 200 and any(ch["id"] == s.inst for ch in answer.json()["changes"])


def _ok(method: str, path: str, **kwargs: Any) -> Callable[[Server, Caller], bool]:
    def call(s: Server, c: Caller) -> bool:
        return s.client.request(method, path, headers=_headers(c), **kwargs).status_code in (200, 201, 204)
    return call


ENDPOINTS: dict[str, Callable[[Server, Caller], bool]] = {
    "GET /auth/me": _ok("GET", "/auth/me"),
    "POST /sync/push (assigned institution)": _push,
    "POST /sync/pull (private rows)": _pull_private,
    "GET /sync/conflicts": _ok("GET", "/sync/conflicts"),
    "HEAD /blobs/{sha}": _ok("HEAD", f"/blobs/{JPEG_SHA}"),
    "GET /blobs/{sha}/status": _ok("GET", f"/blobs/{JPEG_SHA}/status"),
    "PUT /blobs/{sha}": _ok("PUT", f"/blobs/{JPEG_SHA}", content=JPEG),
    "GET /blobs/{sha} (assigned institution's file)": _ok("GET", f"/blobs/{JPEG_SHA}"),
    "POST /sync/pull (public view)": _pull_public,
    "PUT /catalog-snapshot": _ok("PUT", "/catalog-snapshot", params=SNAPSHOT_QUERY, content=SNAPSHOT),
    "GET /catalog-snapshot (offered)": _ok("GET", "/catalog-snapshot", params={"format": "matrix.v1"}),
    "GET /catalog-snapshot/{sha}": _ok("GET", f"/catalog-snapshot/{SNAPSHOT_SHA}"),
}
ADMIN_ONLY = {"POST /sync/pull (public view)", "PUT /catalog-snapshot"}
# Who may do what; every cell not listed must fail.
ALLOWED: dict[str, set[str]] = {
    # Administrators read any institution's records, but pull them only for institutions assigned to them
    # (docs/sync-protocol.md: inst: buckets), so a province's worth of private rows never lands on one laptop.
    # They are not offered a catalog snapshot: they pull the full, unmasked catalog.
    "admin": set(ENDPOINTS) - {"POST /sync/pull (private rows)", "GET /catalog-snapshot (offered)"},
    "assigned": set(ENDPOINTS) - ADMIN_ONLY,
    "not_assigned": {"GET /auth/me", "GET /sync/conflicts", "HEAD /blobs/{sha}", "GET /blobs/{sha}/status",
                     "PUT /blobs/{sha}", "GET /catalog-snapshot (offered)", "GET /catalog-snapshot/{sha}"},
    # A device's token is valid, but it cannot push or pull as another device of the same user.
    "other_device": set(ENDPOINTS) - ADMIN_ONLY - {"POST /sync/push (assigned institution)",
                                                    "POST /sync/pull (private rows)"},
    "disabled": set(),
    "expired": set(),
    "no_token": set(),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize("role", ROLES)
def test_exactly_the_allowed_callers_succeed(server: Server, role: str, endpoint: str,
                                             caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest) -> None:
    caplog.set_level(logging.DEBUG)
    caller = server.callers[role]
    assert ENDPOINTS[endpoint](server, caller) == (endpoint in ALLOWED[role])
    for secret in (c for one in server.callers.values() for c in one.secrets):
        assert secret not in caplog.text


def test_errors_never_echo_tokens_or_passwords(server: Server) -> None:
    secrets = [s for c in server.callers.values() for s in c.secrets]
    answers = [
        server.client.post("/auth/login", json={"username": "mine", "password": secrets[2] + "x",
                                                "device_id": "d", "device_name": "n"}),
        server.client.post("/auth/refresh", json={"refresh_token": secrets[1] + "x", "device_id": "d"}),
        server.client.get("/auth/me", headers={"Authorization": f"Bearer {secrets[0]}x"}),
        server.client.post("/auth/login", json={"username": "mine", "password": secrets[2], "device_id": 5}),
        server.client.post("/auth/refresh", json={"refresh_token": [secrets[1]]}),
    ]
    for answer in answers:
        assert 400 <= answer.status_code < 500
        for secret in secrets:
            assert secret not in answer.text
