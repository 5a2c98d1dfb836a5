"""#13 item 5: unfinished uploads expire, files no row uses are collected after a grace period, a per-user quota."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from market_server.app import create_app
from market_server.blob_gc import collect
from market_server.blobs import BlobStore
from market_server.cli import main
from market_server.settings import Settings
from market_server.tables import ENTITY_TABLES, blob_holder
from sync.ids import uuid7
from tests.market_server.conftest import Session, add_rows, add_user, institution, login, unique

DAY = 86400


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pdf(tag: str, size: int = 600) -> bytes:
    head = b"%PDF-1.4\n" + tag.encode() + b"\n"
    return head + b"x" * (size - len(head))


def _age(path: Path, days: float) -> None:
    then = time.time() - days * DAY
    os.utime(path, (then, then))


def _store(client: TestClient) -> BlobStore:
    store: BlobStore = client.app.state.blobs  # type: ignore[attr-defined]
    return store


def _partial(client: TestClient, session: Session, data: bytes, upto: int) -> Path:
    headers = {**session.headers, "Upload-Length": str(len(data))}
    answer = client.patch(f"/blobs/{_sha(data)}?offset=0", content=data[:upto], headers=headers)
    assert answer.status_code == 200, answer.text
    (path,) = (_store(client).root / "partial").glob(f"*/{_sha(data)}")
    return path


def _attach(session: Session, inst_id: str, data: bytes) -> str:
    visit, row = uuid7(), uuid7()
    results = session.push(
        {"entity": "visit", "id": visit, "op": "create", "fields": {"institution_id": inst_id, "status": "planned"}},
        {"entity": "attachment", "id": row, "op": "create", "fields": {
            "owner_entity": "visit", "owner_id": visit, "filename": "纪要.pdf", "mime_type": "application/pdf",
            "size": len(data), "sha256": _sha(data)}})
    assert [r["outcome"] for r in results] == ["applied", "applied"], results
    return row


def test_unfinished_uploads_expire(client: TestClient, engine: Engine, settings: Settings) -> None:
    me = login(client, add_user(engine))
    stale, fresh = _pdf(unique("stale"), 5000), _pdf(unique("fresh"), 5000)
    _age(_partial(client, me, stale, 1000), days=8)
    kept = _partial(client, me, fresh, 1000)
    report = collect(engine, _store(client), settings)
    assert report.partial_files >= 1 and report.partial_bytes >= 1000
    assert client.head(f"/blobs/{_sha(stale)}", headers=me.headers).headers["Upload-Offset"] == "0"
    assert kept.exists()


def test_files_no_row_uses_are_collected_after_the_grace_period(client: TestClient, engine: Engine,
                                                                 settings: Settings) -> None:
    inst = institution()
    add_rows(engine, inst)
    me = login(client, add_user(engine, assigned=[inst[1]["id"]]))
    orphan, used, dropped, recent = (_pdf(unique(t)) for t in ("orphan", "used", "dropped", "recent"))
    for data in (orphan, used, dropped, recent):
        assert client.put(f"/blobs/{_sha(data)}", content=data, headers=me.headers).json()["complete"] is True
    _attach(me, inst[1]["id"], used)
    gone = _attach(me, inst[1]["id"], dropped)
    (deleted,) = me.push({"entity": "attachment", "id": gone, "op": "delete", "base": {}})
    assert deleted["outcome"] == "applied", deleted
    table = ENTITY_TABLES["attachment"]
    with engine.begin() as conn:  # deleted a month ago: no longer restorable in time
        conn.execute(update(table).where(table.c.id == gone).values(updated_at="2020-01-01T00:00:00Z"))
    store = _store(client)
    for data in (orphan, used, dropped):
        _age(store.path(_sha(data)), days=30)
    report = collect(engine, store, settings)
    assert (report.files, report.bytes) == (2, len(orphan) + len(dropped))
    assert not store.has(_sha(orphan)) and not store.has(_sha(dropped))
    assert store.has(_sha(used)) and store.has(_sha(recent))
    with engine.connect() as conn:
        holders = set(conn.execute(select(blob_holder.c.sha256)).scalars())
    assert _sha(orphan) not in holders and _sha(used) in holders
    # Collected means forgotten: the next upload of the same bytes starts from nothing and completes again.
    assert client.head(f"/blobs/{_sha(orphan)}", headers=me.headers).headers["X-Blob-Complete"] == "0"


def test_claiming_an_old_file_keeps_it(client: TestClient, engine: Engine, settings: Settings) -> None:
    me = login(client, add_user(engine))
    data = _pdf(unique("claimed"))
    client.put(f"/blobs/{_sha(data)}", content=data, headers=me.headers)
    _age(_store(client).path(_sha(data)), days=30)
    assert client.head(f"/blobs/{_sha(data)}", headers=me.headers).headers["X-Blob-Complete"] == "1"  # re-attached
    collect(engine, _store(client), settings)
    assert _store(client).has(_sha(data))


def test_unfinished_bytes_have_a_quota_per_user(client: TestClient, engine: Engine,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    me, other = login(client, add_user(engine)), login(client, add_user(engine))
    monkeypatch.setattr(_store(client), "user_quota_bytes", 6000)
    _partial(client, me, _pdf(unique("q1"), 5000), 4000)
    second = _pdf(unique("q2"), 5000)
    headers = {**me.headers, "Upload-Length": str(len(second))}
    full = client.patch(f"/blobs/{_sha(second)}?offset=0", content=second[:4000], headers=headers)
    assert full.status_code == 507 and full.json()["code"] == "blob_quota_exceeded"
    assert "MB" in full.json()["message"]
    _partial(client, other, second, 4000)  # another user's quota is their own
    big = _pdf(unique("big"), 7000)
    alone = client.put(f"/blobs/{_sha(big)}", content=big, headers=other.headers)
    assert alone.status_code == 413 and alone.json()["code"] == "blob_quota_exceeded"


def test_gc_command(client: TestClient, engine: Engine, server_env: dict[str, str],
                    capsys: pytest.CaptureFixture[str]) -> None:
    me = login(client, add_user(engine))
    _age(_partial(client, me, _pdf(unique("cli"), 5000), 1000), days=8)
    assert main(["gc"]) == 0
    assert "expired uploads: 1" in capsys.readouterr().out


def test_the_server_collects_periodically(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    every_second = dataclasses.replace(settings, blob_gc_interval_seconds=1, blob_dir=tmp_path / "blobs")
    app = create_app(every_second)
    stale = tmp_path / "blobs" / "partial" / "1" / ("0" * 64)
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"%PDF-" + b"x" * 100)
    _age(stale, days=8)
    with TestClient(app):
        deadline = time.monotonic() + 20
        while stale.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    app.state.engine.dispose()
    assert not stale.exists()


def test_uploads_from_before_per_user_folders_expire_and_a_half_done_collection_is_undone(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    store = _store(client)
    old = store.root / "partial" / ("e" * 64)  # where an unfinished upload lived before this version
    old.write_bytes(b"%PDF-" + b"x" * 10)
    _age(old, days=8)
    me = login(client, add_user(engine))
    data = _pdf(unique("aside"))
    client.put(f"/blobs/{_sha(data)}", content=data, headers=me.headers)
    final = store.path(_sha(data))
    aside = final.with_name(f".collect-{_sha(data)}")
    final.rename(aside)  # the collector stopped between its rename and its delete
    collect(engine, store, settings)
    assert not old.exists()
    assert final.read_bytes() == data and not aside.exists()
