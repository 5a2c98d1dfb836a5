"""Catalog snapshot endpoints: publish (administrators), the offer rule, and the resumable download."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Engine, func, select

from market_server import versions
from market_server.settings import Settings
from market_server.tables import ENTITY_TABLES, catalog_snapshot
from sync.ids import uuid7
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.e2e.conftest import Market
from tests.market_server.conftest import Session, achievement, add_rows, add_user, institution, login

MAX_BYTES = 64 * 1024


@pytest.fixture(scope="module")
def settings(settings: Settings) -> Settings:
    """The module's server, with a snapshot limit small enough to exceed in a test."""
    return dataclasses.replace(settings, snapshot_max_bytes=MAX_BYTES)


def _format() -> str:
    return f"test-{uuid.uuid4().hex[:8]}.v1"


def _file(size: int = 5000) -> bytes:
    """Gzip bytes like a real snapshot (incompressible content, so gzip-in-transit would show)."""
    return gzip.compress(os.urandom(size))


def _cursor(engine: Engine) -> int:
    with engine.connect() as conn:
        return versions.current(conn)


def _put(session: Session, data: bytes, fmt: str, cursor: int, sha: str | None = None,
         headers: dict[str, str] | None = None) -> Response:
    params: dict[str, Any] = {"format": fmt, "cursor": cursor, "sha256": sha or hashlib.sha256(data).hexdigest()}
    return session.client.put("/catalog-snapshot", params=params, content=data,
                              headers={**session.headers, **(headers or {})})


def _meta(session: Session, fmt: str) -> Response:
    return session.client.get("/catalog-snapshot", params={"format": fmt}, headers=session.headers)


@pytest.fixture(scope="module")
def admin(client: TestClient, engine: Engine) -> Session:
    return login(client, add_user(engine, role="admin"))


@pytest.fixture
def specialist(client: TestClient, engine: Engine) -> Session:
    return login(client, add_user(engine))


def _files(settings: Settings) -> set[str]:
    return {p.name for p in (settings.blob_dir / "snapshots").iterdir()}


def _rows(engine: Engine, fmt: str) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(catalog_snapshot.c.sha256).where(catalog_snapshot.c.format == fmt)
                                 .order_by(catalog_snapshot.c.id)).scalars())


def test_an_administrator_publishes_and_a_specialist_downloads(
    admin: Session, specialist: Session, engine: Engine, settings: Settings
) -> None:
    data, fmt, cursor = _file(), _format(), _cursor(engine)
    sha = hashlib.sha256(data).hexdigest()
    put = _put(admin, data, fmt, cursor)
    assert put.status_code == 201, put.text
    info = put.json()
    assert {k: info[k] for k in ("format", "cursor", "sha256", "size", "created_by")} == {
        "format": fmt, "cursor": cursor, "sha256": sha, "size": len(data), "created_by": admin.username}
    assert info["created_at"].endswith("Z")
    assert (settings.blob_dir / "snapshots" / f"{sha}.snapshot").read_bytes() == data
    meta = _meta(specialist, fmt)
    assert meta.status_code == 200 and meta.json() == info
    got = specialist.client.get(f"/catalog-snapshot/{sha}", headers={**specialist.headers, "Accept-Encoding": "gzip"})
    assert got.status_code == 200 and got.content == data
    assert "content-encoding" not in got.headers
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["content-length"] == str(len(data)) and got.headers["accept-ranges"] == "bytes"


def test_a_download_resumes_with_a_range(admin: Session, specialist: Session, engine: Engine) -> None:
    data = _file(20_000)
    sha = hashlib.sha256(data).hexdigest()
    assert _put(admin, data, _format(), _cursor(engine)).status_code == 201
    start = len(data) // 3
    tail = specialist.client.get(f"/catalog-snapshot/{sha}",
                                 headers={**specialist.headers, "Range": f"bytes={start}-", "Accept-Encoding": "gzip"})
    assert tail.status_code == 206 and tail.content == data[start:]
    assert tail.headers["content-range"] == f"bytes {start}-{len(data) - 1}/{len(data)}"
    assert "content-encoding" not in tail.headers
    for bad in ("bytes=abc-", "bytes=5-1", "bytes=0-1,4-5", "items=0-"):
        refused = specialist.client.get(f"/catalog-snapshot/{sha}", headers={**specialist.headers, "Range": bad})
        assert refused.status_code == 400 and refused.json()["code"] == "bad_request", bad
    beyond = specialist.client.get(f"/catalog-snapshot/{sha}",
                                   headers={**specialist.headers, "Range": f"bytes={len(data)}-"})
    assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{len(data)}"
    assert beyond.json()["message_en"]


def test_unknown_and_bad_file_names(specialist: Session, settings: Settings) -> None:
    stray = hashlib.sha256(b"no row").hexdigest()
    (settings.blob_dir / "snapshots" / f"{stray}.snapshot").write_bytes(b"no row")  # a file, but no published row
    for sha in (hashlib.sha256(b"never uploaded").hexdigest(), stray):
        missing = specialist.client.get(f"/catalog-snapshot/{sha}", headers=specialist.headers)
        assert missing.status_code == 404 and missing.json()["code"] == "snapshot_unavailable"
    for bad in ("ABC", "0" * 63, "A" * 64, "..%2F..%2Fmarket.sqlite3"):
        refused = specialist.client.get(f"/catalog-snapshot/{bad}", headers=specialist.headers)
        assert refused.status_code in (400, 404) and refused.json()["code"] in ("bad_request", "not_found"), bad
    assert specialist.client.get("/catalog-snapshot/" + "A" * 64, headers=specialist.headers).status_code == 400


def test_publishing_is_for_administrators(
    admin: Session, specialist: Session, client: TestClient, engine: Engine, settings: Settings
) -> None:
    data, fmt = _file(), _format()
    before = _files(settings)
    refused = _put(specialist, data, fmt, 0)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    anonymous = client.put("/catalog-snapshot", params={"format": fmt, "cursor": 0,
                                                        "sha256": hashlib.sha256(data).hexdigest()},
                           content=data, headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)})
    assert anonymous.status_code == 401
    outdated = _put(admin, data, fmt, 0, headers={PROTOCOL_HEADER: "0"})
    assert outdated.status_code == 426
    assert _files(settings) == before and _rows(engine, fmt) == []


def test_refused_uploads_leave_nothing_behind(admin: Session, engine: Engine, settings: Settings) -> None:
    data, fmt, cursor = _file(), _format(), _cursor(engine)
    before = _files(settings)
    wrong = _put(admin, data, fmt, cursor, sha=hashlib.sha256(b"other").hexdigest())
    assert wrong.status_code == 422 and wrong.json()["code"] == "bad_request"
    assert "SHA-256" in wrong.json()["message_en"]
    beyond = _put(admin, data, fmt, cursor + 1000)
    assert beyond.status_code == 422 and "beyond" in beyond.json()["message_en"]
    too_large = _put(admin, os.urandom(MAX_BYTES + 1), fmt, cursor)
    assert too_large.status_code == 413 and too_large.json()["details"] == {"max_bytes": MAX_BYTES}
    chunked = admin.client.put("/catalog-snapshot", params={"format": fmt, "cursor": cursor,
                                                            "sha256": hashlib.sha256(data).hexdigest()},
                               content=iter([data]), headers=admin.headers)
    assert chunked.status_code == 411 and "Content-Length" in chunked.json()["message_en"]
    bad_params: list[dict[str, Any]] = [
        {"format": "Upper", "cursor": cursor}, {"format": "../x", "cursor": cursor},
        {"format": "a" * 65, "cursor": cursor}, {"format": "", "cursor": cursor},
        {"format": fmt, "cursor": -1}, {"format": fmt, "cursor": "many"}]
    for params in bad_params:
        bad = admin.client.put("/catalog-snapshot", params={**params, "sha256": hashlib.sha256(data).hexdigest()},
                               content=data, headers=admin.headers)
        assert bad.status_code == 422 and bad.json()["code"] == "bad_request", params
    for sha in ("A" * 64, "0" * 63, "z" * 64):
        bad = _put(admin, data, fmt, cursor, sha=sha)
        assert bad.status_code == 422 and bad.json()["code"] == "bad_request", sha
    assert _files(settings) == before and _rows(engine, fmt) == []


def test_the_newest_two_per_format_are_kept(admin: Session, engine: Engine, settings: Settings) -> None:
    fmt, other = _format(), _format()
    first, second, third = _file(), _file(), _file()
    shas = [hashlib.sha256(d).hexdigest() for d in (first, second, third)]
    kept_elsewhere = _file()
    assert _put(admin, kept_elsewhere, other, _cursor(engine)).status_code == 201
    for data in (first, second, third):
        assert _put(admin, data, fmt, _cursor(engine)).status_code == 201
    assert _rows(engine, fmt) == shas[1:]
    files = _files(settings)
    assert f"{shas[0]}.snapshot" not in files and {f"{shas[1]}.snapshot", f"{shas[2]}.snapshot"} <= files
    assert _rows(engine, other) == [hashlib.sha256(kept_elsewhere).hexdigest()]
    # A file still referenced by a kept row stays: the same bytes published again under this format.
    assert _put(admin, second, fmt, _cursor(engine)).status_code == 201
    assert _rows(engine, fmt) == [shas[2], shas[1]]
    assert f"{shas[1]}.snapshot" in _files(settings)
    assert not any(name.endswith(".part") for name in _files(settings))


def test_meta_is_the_newest_of_the_format_asked_for(admin: Session, specialist: Session, engine: Engine) -> None:
    fmt, other = _format(), _format()
    missing = _meta(specialist, fmt)
    assert missing.status_code == 404 and missing.json()["code"] == "snapshot_unavailable"
    assert missing.json()["message"] and missing.json()["message_en"]
    assert missing.json()["details"] == {"reason": "none"}
    older, newer, elsewhere = _file(), _file(), _file()
    assert _put(admin, older, fmt, _cursor(engine)).status_code == 201
    add_rows(engine, institution())
    assert _put(admin, newer, fmt, _cursor(engine)).status_code == 201
    assert _put(admin, elsewhere, other, _cursor(engine)).status_code == 201  # newer, but another format
    meta = _meta(specialist, fmt)
    assert meta.status_code == 200 and meta.json()["sha256"] == hashlib.sha256(newer).hexdigest()
    for bad in ("Upper", "", "-x"):
        refused = specialist.client.get("/catalog-snapshot", params={"format": bad}, headers=specialist.headers)
        assert refused.status_code == 422 and refused.json()["code"] == "bad_request"


def test_administrators_are_not_offered_a_snapshot(admin: Session, engine: Engine) -> None:
    fmt = _format()
    assert _put(admin, _file(), fmt, _cursor(engine)).status_code == 201
    refused = _meta(admin, fmt)
    assert refused.status_code == 404 and refused.json()["code"] == "snapshot_unavailable"
    assert "administrator" in refused.json()["message_en"] and refused.json()["details"] == {"reason": "administrator"}


def _version(engine: Engine, entity: str, row_id: str) -> int:
    table = ENTITY_TABLES[entity]
    with engine.connect() as conn:
        return int(conn.execute(select(table.c.version).where(table.c.id == row_id)).scalar_one())


@pytest.mark.parametrize("entity", ["achievement", "demand"])
def test_authors_of_confidential_rows_the_snapshot_masks_are_not_offered_it(
    entity: str, admin: Session, client: TestClient, engine: Engine
) -> None:
    inst = institution()
    add_rows(engine, inst)
    author, later_author, plain_author, deleted_author = (add_user(engine) for _ in range(4))
    secret = (achievement(inst[1]["id"], price=9.0, confidential_fields=["price"]) if entity == "achievement" else
              ("demand", {"id": uuid7(), "title": "需求", "institution_id": inst[1]["id"], "budget": 5.0,
                          "confidential_fields": ["budget"]}))
    add_rows(engine, secret, user=author)
    add_rows(engine, achievement(None, price=1.0, confidential_fields=[]), user=plain_author)
    gone = achievement(None, indicators="删", confidential_fields=["indicators"])
    add_rows(engine, gone, user=deleted_author)
    assert admin.push({"entity": "achievement", "id": gone[1]["id"], "op": "delete", "base": {}})[0]["outcome"] \
        == "applied"
    fmt, cursor = _format(), _version(engine, entity, secret[1]["id"])  # the row sits exactly at the cursor
    add_rows(engine, achievement(None, price=2.0, confidential_fields=["price"]), user=later_author)  # above it
    assert _put(admin, _file(), fmt, cursor).status_code == 201
    refused = _meta(login(client, author), fmt)
    assert refused.status_code == 404 and refused.json()["code"] == "snapshot_unavailable"
    assert refused.json()["details"] == {"reason": "own_confidential_rows"}
    assert "confidential" in refused.json()["message_en"]
    for name in (later_author, plain_author, deleted_author, add_user(engine)):
        assert _meta(login(client, name), fmt).status_code == 200, name
    # Published again above every row: the later author is refused too.
    assert _put(admin, _file(), fmt, _cursor(engine)).status_code == 201
    assert _meta(login(client, later_author), fmt).status_code == 404


def test_confidential_rows_of_the_authors_own_institutions_do_not_stop_the_offer(
    admin: Session, client: TestClient, engine: Engine
) -> None:
    """Those rows reach their author in full through the institution's bucket, which replaces the masked copy."""
    mine, other = institution(), institution()
    add_rows(engine, mine, other)
    author = add_user(engine, assigned=[mine[1]["id"]])
    add_rows(engine, achievement(mine[1]["id"], price=3.0, confidential_fields=["price"]), user=author)
    fmt = _format()
    assert _put(admin, _file(), fmt, _cursor(engine)).status_code == 201
    assert _meta(login(client, author), fmt).status_code == 200
    add_rows(engine, achievement(other[1]["id"], price=4.0, confidential_fields=["price"]), user=author)
    assert _put(admin, _file(), fmt, _cursor(engine)).status_code == 201
    refused = _meta(login(client, author), fmt)
    assert refused.status_code == 404 and refused.json()["details"] == {"reason": "own_confidential_rows"}


def test_every_endpoint_wants_a_signed_in_user(client: TestClient, admin: Session, engine: Engine) -> None:
    data = _file()
    sha = hashlib.sha256(data).hexdigest()
    fmt = _format()
    assert _put(admin, data, fmt, _cursor(engine)).status_code == 201
    bare = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    assert client.get("/catalog-snapshot", params={"format": fmt}, headers=bare).status_code == 401
    assert client.get(f"/catalog-snapshot/{sha}", headers=bare).status_code == 401
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(catalog_snapshot)
                            .where(catalog_snapshot.c.format == fmt)).scalar_one() == 1


def test_a_real_server_streams_a_large_snapshot_in_and_out(tmp_path: Path) -> None:
    """Through uvicorn: a 3 MiB body sent in pieces, MARKET_SNAPSHOT_MAX_BYTES read from the environment, the file
    served as stored even to a client accepting gzip, and resumed with a Range."""
    limit = 4 * 1024 * 1024
    market = Market(tmp_path, env={"MARKET_SNAPSHOT_MAX_BYTES": str(limit)})
    try:
        market.add_user("root", "admin")
        data = os.urandom(3 * 1024 * 1024)
        sha = hashlib.sha256(data).hexdigest()
        with httpx.Client(base_url=market.url, timeout=30) as http:
            token = http.post("/auth/login", json={"username": "root", "password": "pw-root-123456",
                                                   "device_id": "snap"}).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
            pieces = (data[i:i + 100_000] for i in range(0, len(data), 100_000))
            put = http.put("/catalog-snapshot", params={"format": "real.v1", "cursor": 0, "sha256": sha},
                           content=pieces, headers={**headers, "Content-Length": str(len(data))})
            assert put.status_code == 201, put.text
            big = http.put("/catalog-snapshot", params={"format": "real.v1", "cursor": 0, "sha256": sha},
                           content=b"x" * (limit + 1), headers=headers)
            assert big.status_code == 413 and big.json()["code"] == "body_too_large"
            got = http.get(f"/catalog-snapshot/{sha}", headers={**headers, "Accept-Encoding": "gzip"})
            assert got.status_code == 200 and "content-encoding" not in got.headers and got.content == data
            tail = http.get(f"/catalog-snapshot/{sha}", headers={**headers, "Range": "bytes=1000000-"})
            assert tail.status_code == 206 and tail.content == data[1_000_000:]
    finally:
        market.stop()
