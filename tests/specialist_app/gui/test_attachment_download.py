"""Opening an attachment pulled from another laptop downloads its bytes from a real market-server, then opens it."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from specialist_app import credentials
from specialist_app.credentials import Account, Credentials
from specialist_app.gui import attachments as attachments_module
from specialist_app.gui.attachments import AttachmentsPanel
from specialist_app.gui.editors.visit_editor import VisitEditor
from specialist_app.gui.session import Session
from specialist_app.services import account
from specialist_app.services.attachments import add_attachment, blob_path
from specialist_app.services.records import create
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import meta
from specialist_app.store.db import Store, open_store
from specialist_app.sync_engine.engine import SyncEngine
from specialist_app.sync_engine.transport import Transport
from tests.e2e.conftest import Market, free_port
from tests.specialist_app.gui.editor_helpers import close_opened, wait_loaded
from tests.specialist_app.gui.test_sync_session import sign_in, wait_report


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    server = Market(tmp_path_factory.mktemp("server"))
    server.add_user("june")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def test_keyring(keyring_file: Path) -> Iterator[None]:
    yield
    close_opened()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    urls: list[QUrl] = []

    def fake_open(url: QUrl) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(attachments_module, "open_url", fake_open)
    return urls


def other_laptop_visit(market: Market, root: Path, photo: bytes) -> tuple[str, str, str]:
    """June's other laptop logs a visit with a photo (sent) and a document whose bytes never left it.

    Returns (visit id, the photo's sha256, the lost document's sha256).
    """
    store = open_store(root / "store.sqlite3")
    try:
        with UnitOfWork(store) as uow:
            device = meta.device_id(uow.conn)
        auth = credentials.login(root, market.url, "june", "pw-june-123456", device_id=device)
        transport = Transport(market.url, auth=auth, max_attempts=1)
        with UnitOfWork(store) as uow:
            inst = create(uow, "institution", {"name": "延边大学", "org_type": "university"})
            visit = create(uow, "visit", {"institution_id": inst, "status": "done",
                                          "visited_at": "2026-02-03 10:00"})
            uow.commit()
        (root / "现场.png").write_bytes(photo)
        _row, sent = add_attachment(store, "visit", visit, root / "现场.png")
        (root / "lost.pdf").write_bytes(b"%PDF-1.4 never uploaded")
        _row, lost = add_attachment(store, "visit", visit, root / "lost.pdf")
        blob_path(store, lost.sha256).unlink()  # the disk died before the upload: only the row reached the server
        try:
            report = SyncEngine(store, transport).run()
            assert report.ok, report.as_dict("en")
        finally:
            transport.close()
    finally:
        store.close()
    return visit, sent.sha256, lost.sha256


def read_role(store: Store) -> str | None:
    with UnitOfWork(store) as uow:
        found = account.recorded(uow)
        return None if found is None else str(found["role"])


def select(panel: AttachmentsPanel, filename: str) -> None:
    row = next(i for i in range(panel.list.count()) if panel.list.item(i).text() == filename)
    panel.list.setCurrentRow(row)


def test_a_file_from_another_laptop_is_downloaded_when_opened(
    qtbot: QtBot, market: Market, data_dir: Path, tmp_path: Path, opened: list[QUrl]
) -> None:
    photo = b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(400_000)
    visit, photo_sha, lost_sha = other_laptop_visit(market, tmp_path / "other-laptop", photo)
    sign_in(data_dir, market.url, "june")
    server = {"url": market.url}

    def switchable(account: Account, auth: Credentials) -> Transport:
        return Transport(server["url"], auth=auth, max_attempts=1)

    session = Session(data_dir, "en", make_transport=switchable)
    try:
        assert session.start() is True
        assert session.controller is not None and session.ctx is not None
        assert wait_report(qtbot, session.controller).ok
        ctx = session.ctx
        roles: list[str | None] = []  # the sync kept the role the server gave (the institution page uses it)
        ctx.runner.submit(lambda store: read_role(store), roles.append)
        qtbot.waitUntil(lambda: roles == ["specialist"])
        downloads = ctx.downloads
        assert downloads is not None
        editor = wait_loaded(qtbot, ctx, VisitEditor(ctx, visit))
        assert isinstance(editor, VisitEditor) and editor.attachments is not None
        panel = editor.attachments
        qtbot.waitUntil(lambda: panel.list.count() == 2)
        assert not (panel.folder / photo_sha).exists()  # pulled rows bring no bytes

        busy_while_progressing: list[bool] = []
        downloads.progressed.connect(
            lambda _sha, _done, _total: busy_while_progressing.append(panel.download_row.isVisible()))

        server["url"] = f"http://127.0.0.1:{free_port()}"  # no network
        select(panel, "现场.png")
        panel.open_button.click()
        qtbot.waitUntil(lambda: panel.error_label.isVisible() and not panel.downloading)
        assert "cannot be reached" in panel.error_label.text() and "现场.png" in panel.error_label.text()
        assert not panel.download_row.isVisible() and opened == []

        server["url"] = market.url  # online again
        panel.open_button.click()
        qtbot.waitUntil(lambda: len(opened) == 1, timeout=30_000)
        shown = Path(opened[0].toLocalFile())
        assert shown.name == "现场.png" and shown.read_bytes() == photo
        assert hashlib.sha256((panel.folder / photo_sha).read_bytes()).hexdigest() == photo_sha
        assert busy_while_progressing and all(busy_while_progressing)  # the progress row showed throughout
        assert not panel.download_row.isVisible() and not panel.error_label.isVisible()

        select(panel, "lost.pdf")  # the server has the row but never got the bytes
        panel.open_selected()
        qtbot.waitUntil(lambda: panel.error_label.isVisible() and not panel.downloading, timeout=30_000)
        assert "does not offer it to you" in panel.error_label.text()
        assert len(opened) == 1 and not (panel.folder / lost_sha).exists()
    finally:
        session.shutdown()


def test_download_failure_is_told_in_chinese() -> None:
    from specialist_app.sync_engine.errors import NetworkUnavailable

    text = attachments_module.download_failure_text("图.png", NetworkUnavailable("refused"), "zh_CN")
    assert "图.png" in text
