"""Compressed bodies: zstd and gzip push bodies are read, limits apply to the decoded size, pages follow the ask."""

from __future__ import annotations

import gzip
import json

import pytest
import zstandard
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server import body_encoding
from sync.ids import uuid7
from tests.market_server.conftest import Session, add_rows, add_user, institution, login


def _me(client: TestClient, engine: Engine) -> tuple[Session, str]:
    inst = institution()
    add_rows(engine, inst)
    return login(client, add_user(engine, assigned=[inst[1]["id"]])), str(inst[1]["id"])


def _body(me: Session, inst_id: str, notes: str) -> bytes:
    mutation = {"entity": "visit", "id": uuid7(), "op": "create",
                "fields": {"institution_id": inst_id, "status": "planned", "notes": notes}}
    return json.dumps(me.push_body(mutation)).encode()


@pytest.mark.parametrize("encoding", ["zstd", "gzip"])
def test_a_compressed_push_body_is_applied(client: TestClient, engine: Engine, encoding: str) -> None:
    me, inst_id = _me(client, engine)
    raw = _body(me, inst_id, "长备注" * 2000)
    data = zstandard.ZstdCompressor(level=3).compress(raw) if encoding == "zstd" else gzip.compress(raw)
    answer = client.post("/sync/push", content=data, headers={
        **me.headers, "Content-Type": "application/json", "Content-Encoding": encoding})
    assert answer.status_code == 200, answer.text
    assert [r["outcome"] for r in answer.json()["results"]] == ["applied"]
    assert "zstd" in answer.headers["accept-encoding"]  # how clients learn they may compress


def test_limits_count_decoded_bytes_and_unknown_or_broken_encodings_are_refused(
    client: TestClient, engine: Engine
) -> None:
    me, _inst_id = _me(client, engine)
    headers = {**me.headers, "Content-Type": "application/json"}
    bomb = zstandard.ZstdCompressor(level=19).compress(b" " * (body_encoding.MAX_DECODED_BYTES + 1))
    assert len(bomb) < 100_000
    answer = client.post("/sync/push", content=bomb, headers={**headers, "Content-Encoding": "zstd"})
    assert (answer.status_code, answer.json()["code"]) == (413, "bad_request")
    answer = client.post("/sync/push", content=b"x", headers={**headers, "Content-Encoding": "br"})
    assert answer.status_code == 415
    answer = client.post("/sync/push", content=b"not zstd at all", headers={**headers, "Content-Encoding": "zstd"})
    assert answer.status_code == 400


@pytest.mark.parametrize(("accept", "expected"), [("zstd, gzip", "zstd"), ("gzip", "gzip"), ("identity", None)])
def test_pages_are_compressed_as_the_client_asks(
    client: TestClient, engine: Engine, accept: str, expected: str | None
) -> None:
    me, inst_id = _me(client, engine)
    me.push(*[{"entity": "visit", "id": uuid7(), "op": "create",
               "fields": {"institution_id": inst_id, "status": "planned", "notes": f"记录 {i} " * 50}}
              for i in range(20)])
    request = json.dumps({"device_id": me.device_id, "cursors": {}, "limit": 1000})
    with client.stream("POST", "/sync/pull", content=request, headers={
            **me.headers, "Content-Type": "application/json", "Accept-Encoding": accept}) as answer:
        raw = b"".join(answer.iter_raw())
        assert answer.headers.get("content-encoding") == expected
    if expected == "zstd":
        raw = zstandard.ZstdDecompressor().decompressobj().decompress(raw)
    elif expected == "gzip":
        raw = gzip.decompress(raw)
    assert len(json.loads(raw)["changes"]) >= 20
