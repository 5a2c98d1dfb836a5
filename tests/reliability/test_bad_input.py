"""Bad input everywhere: broken server answers, a full disk mid-page, a corrupt store file.

Each gets a clear error, and nothing already stored is lost.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import meta
from specialist_app.store.db import StoreDamaged, open_store
from specialist_app.sync_engine.engine import SyncEngine
from specialist_app.sync_engine.transport import Transport
from sync.ids import uuid7

PAGE = (b'{"changes":[{"entity":"institution","id":"%s","version":5,"fields":{"name":"\xe6\x96\xb0","org_type":'
        b'"university","status":"active"},"deleted":false}],"cursors":{"catalog":5},"has_more":false,'
        b'"buckets":["own","catalog"]}')


class Canned:
    """A loopback server answering every request with the same status and bytes."""

    def __init__(self) -> None:
        self.status, self.body, self.headers = 200, b"{}", {"Content-Type": "application/json"}
        canned = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(canned.status)
                for key, value in canned.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(canned.body)))
                self.end_headers()
                self.wfile.write(canned.body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def canned() -> Iterator[Canned]:
    server = Canned()
    yield server
    server.close()


class NoAuth:
    def access_token(self) -> str | None:
        return "token"

    def refresh(self, transport: Transport) -> str:
        return "token"


def _store_with_an_edit(path: Path) -> tuple[Any, str]:
    store = open_store(path)
    with UnitOfWork(store) as uow:
        inst = records.create(uow, "institution", {"name": "本地机构", "org_type": "university"})
        uow.commit()
    return store, inst


def _run(store: Any, url: str) -> Any:
    transport = Transport(url, auth=NoAuth(), max_attempts=2, sleep=lambda _s: None)
    try:
        return SyncEngine(store, transport).run()
    finally:
        transport.close()


@pytest.mark.parametrize(("status", "body", "code"), [
    (200, b"<html>captive portal</html>", "server_error"),
    (200, b'{"results": [', "server_error"),
    (200, b"[1, 2, 3]", "server_error"),
    (426, b'{"code":"server_outdated","message":"\xe6\x9c\x8d\xe5\x8a\xa1\xe5\x99\xa8\xe7\x89\x88\xe6\x9c\xac\xe8\xbf'
          b'\x87\xe6\x97\xa7","message_en":"The server is older than this app"}', "protocol_outdated"),
    (503, b"busy", "server_error"),
])
def test_broken_answers_end_the_sync_with_a_clear_error_and_keep_every_edit(
    canned: Canned, tmp_path: Path, status: int, body: bytes, code: str
) -> None:
    canned.status, canned.body = status, body
    store, inst = _store_with_an_edit(tmp_path / "s.sqlite3")
    try:
        report = _run(store, canned.url)
        assert report.error_code == code and report.message("en") and report.message("zh_CN")
        with UnitOfWork(store) as uow:
            assert records.get(uow, "institution", inst) is not None
            assert uow.conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar() == 1
            assert uow.conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        store.close()


def test_a_page_of_a_newer_protocol_with_unknown_entities_and_fields_is_applied_as_far_as_known(
    canned: Canned, tmp_path: Path
) -> None:
    known = uuid7()
    canned.body = (b'{"changes":[{"entity":"hologram","id":"%s","version":4,"fields":{"x":1}},'
                   b'{"entity":"institution","id":"%s","version":5,"fields":{"name":"\xe6\x96\xb0","org_type":'
                   b'"university","status":"active","future_field":[1]},"deleted":false,"future":true}],'
                   b'"cursors":{"catalog":5},"has_more":false,"buckets":["own","catalog"],"protocol":99}'
                   % (uuid7().encode(), known.encode()))
    store, inst = _store_with_an_edit(tmp_path / "s.sqlite3")
    try:
        # The push gets the same page as its answer: no "results", so the entry stays queued.
        report = _run(store, canned.url)
        assert report.ok, report
        with UnitOfWork(store) as uow:
            assert records.get(uow, "institution", known) is not None
            assert records.get(uow, "institution", inst) is not None
            assert uow.conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar() == 1
    finally:
        store.close()


def test_a_full_disk_mid_page_is_a_clear_error_and_the_page_is_rolled_back(
    canned: Canned, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    canned.body = PAGE % uuid7().encode()
    store, inst = _store_with_an_edit(tmp_path / "s.sqlite3")
    real = meta.save_cursors

    def full_disk(conn: Any, cursors: Any) -> None:
        real(conn, cursors)  # the rows and cursors are written, then the disk fills up before the commit
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(meta, "save_cursors", full_disk)
    try:
        report = _run(store, canned.url)
        assert not report.ok
        assert report.error_code == "disk_full", report
        assert "disk" in (report.message("en") or "")
        with UnitOfWork(store) as uow:
            assert uow.conn.exec_driver_sql("SELECT count(*) FROM sync_cursor").scalar() == 0  # rolled back
            assert records.get(uow, "institution", inst) is not None
            assert uow.conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar() == 1
    finally:
        store.close()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "zeroed_page"])
def test_a_corrupt_store_file_is_refused_with_a_clear_message(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "s.sqlite3"
    store, _inst = _store_with_an_edit(path)
    store.close()
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"PK\x03\x04 not a database at all" * 100)
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 3])
    else:
        page = 4096
        path.write_bytes(data[: page * 2] + b"\xff" * page + data[page * 3:])
    with pytest.raises(StoreDamaged) as caught:
        open_store(path).close()
    assert str(path) in caught.value.message("en") and caught.value.message("zh_CN")
