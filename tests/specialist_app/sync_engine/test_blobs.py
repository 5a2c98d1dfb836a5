"""Attachment bytes against the real server app on loopback: resumable upload, dedupe, refusals, verified download."""

from __future__ import annotations

import hashlib
import random
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Engine

import market_server.blob_routes
import market_server.blobs
from market_server.app import create_app
from market_server.db import make_engine, migrate
from market_server.settings import Settings
from specialist_app.services.attachments import add_attachment, blob_path
from specialist_app.services.conflicts import list_rejections
from specialist_app.services.records import create
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import meta
from specialist_app.store.db import Store, open_store
from specialist_app.sync_engine import blobs
from specialist_app.sync_engine.engine import SyncEngine
from specialist_app.sync_engine.errors import NetworkUnavailable
from specialist_app.sync_engine.transport import Transport
from tests.market_server.conftest import PASSWORD, add_rows, add_user, institution
from tests.specialist_app.sync_engine.cutting_proxy import CuttingProxy

MIB = 1 << 20


def png_bytes(size: int, seed: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + random.Random(seed).randbytes(size - 8)


@dataclass
class Market:
    url: str
    engine: Engine
    blob_dir: Path


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    root = tmp_path_factory.mktemp("market")
    settings = Settings(data_dir=root, database_url=f"sqlite:///{root / 'market.sqlite3'}", blob_dir=root / "blobs")
    engine = make_engine(settings)
    migrate(engine)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.01)  # waiting for the server to listen; no assertion depends on it
    yield Market(f"http://127.0.0.1:{sock.getsockname()[1]}", engine, settings.blob_dir)
    server.should_exit = True
    thread.join(10)
    engine.dispose()
    sock.close()


@pytest.fixture
def proxy(market: Market) -> Iterator[CuttingProxy]:
    p = CuttingProxy(market.url)
    yield p
    p.close()


class Token:
    """A signed-in user's access token (tests do not need refreshes)."""

    def __init__(self, url: str, username: str, device_id: str) -> None:
        answer = Transport(url).post_json("/auth/login", {
            "username": username, "password": PASSWORD, "device_id": device_id, "device_name": "test"},
            auth=False)
        self.token = str(answer["access_token"])

    def access_token(self) -> str | None:
        return self.token

    def refresh(self, transport: Transport) -> str:
        return self.token


@dataclass
class Device:
    store: Store
    transport: Transport

    def sync(self) -> Any:
        report = SyncEngine(self.store, self.transport).run()
        assert report.ok, report.as_dict("en")
        return report


@pytest.fixture
def make_device(market: Market, tmp_path: Path) -> Iterator[Any]:
    opened: list[Device] = []

    def make(username: str, url: str | None = None, max_attempts: int = 1) -> Device:
        store = open_store(tmp_path / f"device-{len(opened)}" / "store.sqlite3")
        with UnitOfWork(store) as uow:  # the server binds a token to the device that signed in
            device_id = meta.device_id(uow.conn)
        transport = Transport(url or market.url, auth=Token(market.url, username, device_id),
                              max_attempts=max_attempts,
                              base_delay_s=0.0)
        opened.append(Device(store, transport))
        return opened[-1]

    yield make
    for device in opened:
        device.transport.close()
        device.store.close()


@pytest.fixture
def visit_of(market: Market) -> Any:
    """(specialist name, a fresh institution assigned to them); the visit is created by the device."""

    def make(device_user: str | None = None) -> tuple[str, str]:
        row = institution()
        add_rows(market.engine, row)
        user = device_user or add_user(market.engine, assigned=[row[1]["id"]])
        return user, str(row[1]["id"])

    return make


def _new_visit(device: Device, inst: str) -> str:
    device.sync()
    with UnitOfWork(device.store) as uow:
        visit = create(uow, "visit", {"institution_id": inst, "status": "planned"})
        uow.commit()
    return visit


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_an_interrupted_upload_resumes_at_the_servers_offset_without_resending(
    market: Market, proxy: CuttingProxy, make_device: Any, visit_of: Any, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(blobs, "chunk_size", lambda _transport: MIB)  # (sized by the link's speed otherwise)
    user, inst = visit_of()
    alice = make_device(user, proxy.url)
    visit = _new_visit(alice, inst)
    data = png_bytes(2 * MIB + 12345, seed=1)
    _row_id, info = add_attachment(alice.store, "visit", visit, _write(tmp_path, "photo.png", data))
    proxy.cut_patch_from = MIB  # the first chunk arrives, the second is cut off half-way (every retry too)
    failed = blobs.upload_pending(alice.store, alice.transport)
    assert (failed.failed, failed.errors) == (1, [NetworkUnavailable.code])
    assert blobs.server_offset(alice.transport, info.sha256) == (MIB, False)
    pending = blobs.pending_uploads(alice.store)
    assert [(b.sha256, b.state, b.reason) for b in pending] == [(info.sha256, "failed", NetworkUnavailable.code)]
    summary = blobs.pending_summary(alice.store)
    assert (summary["pending_files"], summary["pending_file_bytes"]) == (1, len(data))

    proxy.seen.clear()
    proxy.cut_patch_from = None
    progress: list[tuple[str, int, int | None]] = []
    tally = blobs.upload_pending(alice.store, alice.transport, progress=lambda *p: progress.append(p))
    assert (tally.uploaded, tally.bytes_sent) == (1, len(data) - MIB)  # only the bytes the server lacked
    assert proxy.patch_offsets() == [MIB, 2 * MIB]
    assert progress[-1] == ("upload", len(data), len(data))
    stored = market.blob_dir / info.sha256[:2] / info.sha256
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == info.sha256
    assert blobs.pending_uploads(alice.store) == []


def test_same_file_twice_is_uploaded_once(
    market: Market, proxy: CuttingProxy, make_device: Any, visit_of: Any, tmp_path: Path
) -> None:
    user, inst = visit_of()
    alice = make_device(user, proxy.url)
    visit = _new_visit(alice, inst)
    photo = _write(tmp_path, "same.png", png_bytes(5000, seed=2))
    add_attachment(alice.store, "visit", visit, photo)
    add_attachment(alice.store, "visit", visit, photo)
    first = alice.sync()
    assert first.blobs_uploaded == 1 and len(proxy.patch_offsets()) == 1
    again = alice.sync()
    assert again.blobs_uploaded == 0 and len(proxy.patch_offsets()) == 1  # known to be there: not even a HEAD

    other = make_device(user, proxy.url)  # the same file added on another laptop
    other_visit = _new_visit(other, inst)
    add_attachment(other.store, "visit", other_visit, photo)
    tally = blobs.upload_pending(other.store, other.transport)
    assert (tally.uploaded, tally.already_there, tally.bytes_sent) == (0, 1, 0)
    assert len(proxy.patch_offsets()) == 1


def test_refused_bytes_are_a_rejection_and_the_rest_still_syncs(
    market: Market, make_device: Any, visit_of: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(market_server.blob_routes, "ATTACHMENT_MAX_BYTES", 20_000)  # the server's limit only
    monkeypatch.setattr(market_server.blobs, "ATTACHMENT_MAX_BYTES", 20_000)
    user, inst = visit_of()
    alice = make_device(user)
    visit = _new_visit(alice, inst)
    big = add_attachment(alice.store, "visit", visit, _write(tmp_path, "big.png", png_bytes(30_000, seed=3)))
    fake = add_attachment(alice.store, "visit", visit, _write(tmp_path, "fake.png", b"MZ\x90\x00" + bytes(500)))
    good = add_attachment(alice.store, "visit", visit, _write(tmp_path, "good.png", png_bytes(4000, seed=4)))
    with UnitOfWork(alice.store) as uow:
        contact = create(uow, "contact", {"institution_id": inst, "name": "附件旁的联系人"})
        uow.commit()

    report = SyncEngine(alice.store, alice.transport).run()
    assert report.ok and report.outcome == "partial" and report.rejected == 2
    assert report.blobs_uploaded == 1 and report.pushed >= 4
    with UnitOfWork(alice.store) as uow:
        rejections = {r["row_id"]: r for r in list_rejections(uow.conn)}
        assert uow.conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar() == 0
        assert uow.conn.exec_driver_sql("SELECT count(*) FROM contact WHERE id = ?", (contact,)).scalar() == 1
    assert set(rejections) == {big[0], fake[0]}
    too_large, bad_type = rejections[big[0]], rejections[fake[0]]
    assert too_large["reason"] == "blob_too_large" and too_large["seq"] < 0 and too_large["op"] == "upload"
    assert too_large["problems"] == [{"field": "size", "code": "blob_too_large", "params": {"max_mb": 25}}]
    assert "big.png" in too_large["message"] and "文件过大" in too_large["message"]
    assert bad_type["reason"] == "blob_type_not_allowed" and "不支持" in bad_type["message"]
    good_file = market.blob_dir / good[1].sha256[:2] / good[1].sha256
    assert good_file.is_file()
    again = SyncEngine(alice.store, alice.transport).run()  # a refusal is remembered, not retried every sync
    assert again.rejected == 0 and again.outcome == "ok"


def test_download_by_an_authorised_user_resumes_a_cut_answer_and_an_outsider_gets_nothing(
    market: Market, proxy: CuttingProxy, make_device: Any, visit_of: Any, tmp_path: Path
) -> None:
    user, inst = visit_of()
    alice = make_device(user)
    visit = _new_visit(alice, inst)
    data = png_bytes(300_000, seed=5)
    _row, info = add_attachment(alice.store, "visit", visit, _write(tmp_path, "scan.png", data))
    alice.sync()

    laptop = make_device(user, proxy.url, max_attempts=3)  # alice's second laptop
    laptop.sync()
    assert not blob_path(laptop.store, info.sha256).exists()  # pulled rows bring no bytes by themselves
    proxy.cut_download_after = 100_000
    got = blobs.fetch_blob(laptop.store, laptop.transport, info.sha256)
    assert got == blob_path(laptop.store, info.sha256) and got.read_bytes() == data
    ranges = [h.get("Range") for m, p, h, _n in proxy.seen if m == "GET" and p.startswith("/blobs/")]
    assert len(ranges) == 2 and ranges[0] is None and str(ranges[1]).startswith("bytes=")
    resumed_at = int(str(ranges[1]).removeprefix("bytes=").rstrip("-"))
    assert 0 < resumed_at <= 100_000  # what arrived before the cut is kept (whole read chunks of it)
    assert not list(got.parent.glob(".download-*"))
    assert blobs.pending_uploads(laptop.store) == []  # downloaded bytes are never offered back

    outsider = make_device(add_user(market.engine))
    with pytest.raises(blobs.BlobUnavailable):
        blobs.fetch_blob(outsider.store, outsider.transport, info.sha256)
    assert not blob_path(outsider.store, info.sha256).exists()


def test_a_stale_partial_download_is_discarded_and_fetched_again(
    market: Market, make_device: Any, visit_of: Any, tmp_path: Path
) -> None:
    user, inst = visit_of()
    alice = make_device(user)
    visit = _new_visit(alice, inst)
    data = png_bytes(50_000, seed=6)
    _row, info = add_attachment(alice.store, "visit", visit, _write(tmp_path, "doc.png", data))
    alice.sync()
    laptop = make_device(user)
    laptop.sync()
    folder = blob_path(laptop.store, info.sha256).parent
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f".download-{info.sha256}.part").write_bytes(b"garbage that is not the file's start")
    got = blobs.fetch_blob(laptop.store, laptop.transport, info.sha256)
    assert got.read_bytes() == data


def test_a_download_whose_bytes_are_not_the_servers_checked_type_is_not_kept(
    market: Market, proxy: CuttingProxy, make_device: Any, visit_of: Any, tmp_path: Path
) -> None:
    user, inst = visit_of()
    alice = make_device(user)
    visit = _new_visit(alice, inst)
    data = png_bytes(20_000, seed=7)
    _row, info = add_attachment(alice.store, "visit", visit, _write(tmp_path, "photo.png", data))
    alice.sync()
    laptop = make_device(user, proxy.url, max_attempts=1)
    laptop.sync()
    proxy.retype_download = "application/pdf; charset=binary"  # what a tampered answer would claim
    try:
        with pytest.raises(blobs.BlobTypeMismatch) as caught:
            blobs.fetch_blob(laptop.store, laptop.transport, info.sha256)
    finally:
        proxy.retype_download = None
    assert "application/pdf" in caught.value.message("en")
    assert not blob_path(laptop.store, info.sha256).exists()
    assert not list(blob_path(laptop.store, info.sha256).parent.glob(".download-*"))
    assert blobs.fetch_blob(laptop.store, laptop.transport, info.sha256).read_bytes() == data  # checked type: image/png
