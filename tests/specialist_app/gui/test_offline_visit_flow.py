"""The issue's named flow: log a visit with a follow-up and a photo while the server is down, see it pending;
start the server, sync, see it synced (rows and attachment bytes on the server)."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from specialist_app.gui.editors.date_inputs import DateInput
from specialist_app.gui.editors.visit_editor import LOG, VisitEditor
from specialist_app.gui.pages.sync_page import SyncPage
from specialist_app.gui.session import Session
from tests.e2e.conftest import BIN, Market
from tests.specialist_app.gui.editor_helpers import close_opened, outbox_rows, type_chinese, wait_loaded
from tests.specialist_app.gui.test_sync_session import SYNC_TIMEOUT_MS, quick_transport, sign_in, wait_report
from tests.specialist_app.gui.test_visit_editor import drop_files, photo

pytestmark = pytest.mark.usefixtures("keyring_file")


@pytest.fixture
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    """A server of this test only: the test stops it and starts it again on the same port."""
    server = Market(tmp_path_factory.mktemp("offline-server"))
    server.add_user("olga")
    yield server
    server.stop()


def _healthy(url: str) -> bool:
    try:
        return requests.get(url + "/health", timeout=1).ok
    except requests.ConnectionError:
        return False


def start_again(qtbot: QtBot, market: Market) -> None:
    """The same server (database, port) started again after `market.stop()`."""
    market.proc = subprocess.Popen(
        [str(BIN / "market-server"), "serve", "--host", "127.0.0.1", "--port", str(market.port)],
        env=market.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    qtbot.waitUntil(lambda: _healthy(market.url), timeout=30_000)


def server_rows(market: Market, sql: str, *params: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(market.root / "market.sqlite3") as db:
        return list(db.execute(sql, params).fetchall())


def test_visit_logged_offline_is_pending_then_synced_once_the_server_is_back(
    qtbot: QtBot, market: Market, data_dir: Path, tmp_path: Path
) -> None:
    sign_in(data_dir, market.url, "olga")  # signing in needs the network: done while the server is up
    market.stop()
    assert not _healthy(market.url)

    session = Session(data_dir, "en", make_transport=quick_transport, sync_at_start=False)
    try:
        assert session.start() is True  # the stored sign-in opens the window offline
        window, controller, ctx = session.window, session.controller, session.ctx
        assert window is not None and controller is not None and ctx is not None
        qtbot.addWidget(window)
        institution: list[str] = []
        ctx.runner.submit(_propose_institution, institution.append)
        qtbot.waitUntil(lambda: bool(institution))

        # Log the visit through the editor's widgets: purpose, a follow-up with owner and due date, a dropped photo.
        editor = VisitEditor(ctx, mode=LOG, institution_id=institution[0])
        wait_loaded(qtbot, ctx, editor)
        type_chinese(editor.form.inputs["purpose"].widget, "离线走访")
        follow_ups = editor.child_tables["follow_up"]
        qtbot.mouseClick(follow_ups.add_button, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(follow_ups.cell(0, "action").widget, "Send the pilot quote")
        qtbot.keyClicks(follow_ups.cell(0, "owner").widget, "Olga")
        due = follow_ups.cell(0, "due_date")
        assert isinstance(due, DateInput)
        due.set_value((date.today() + timedelta(days=7)).isoformat())
        image = photo(tmp_path)
        drop_files(editor, [image])
        panel = editor.attachments
        assert panel is not None
        qtbot.waitUntil(lambda: len(panel.added) == 1)
        with qtbot.waitSignal(editor.saved) as saved:
            qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
        visit_id = str(saved.args[0])
        close_opened()

        # Pending: the status bar counts it, and a sync attempt says there is no network.
        ctx.events.changed.emit("")
        qtbot.waitUntil(lambda: window.status.summary is not None and window.status.summary.pending_changes > 0)
        summary = window.status.summary
        assert summary is not None
        pending = summary.pending_changes
        assert {"institution", "visit", "follow_up", "attachment"} <= {e for e, _i, _o in outbox_rows(data_dir)}
        assert window.status.pending_label.text() == f"Pending changes: {pending}"
        with qtbot.waitSignal(controller.finished, timeout=SYNC_TIMEOUT_MS) as offline:
            window.sync_action.trigger()
        assert offline.args[0].outcome == "offline"
        assert not window.status.online and window.status.online_label.text() == "Offline"
        page = window.show_page("sync")
        assert isinstance(page, SyncPage)
        qtbot.waitUntil(lambda: page.runs_table.rowCount() == 1)
        assert page.runs_table.item(0, 1).text() == "No network"
        assert window.status.last_sync_label.text() == "Never synced"

        # The server is back: F5 syncs everything, the photo's bytes included.
        start_again(qtbot, market)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window, Qt.Key.Key_F5)
        report = wait_report(qtbot, controller)
        assert report.ok, report.errors
        assert report.pushed == pending
        qtbot.waitUntil(lambda: window.status.summary is not None and window.status.summary.pending_changes == 0)
        assert window.status.online and window.status.online_label.text() == "Online"
        assert window.status.last_sync_label.text().startswith("Last sync: ")
        qtbot.waitUntil(lambda: page.runs_table.rowCount() == 2)
        assert page.runs_table.item(0, 1).text() == "Done"
        assert outbox_rows(data_dir) == []
    finally:
        session.shutdown()

    assert server_rows(market, "SELECT purpose FROM visit WHERE id = ?", visit_id) == [("离线走访",)]
    assert server_rows(market, "SELECT action, owner FROM follow_up WHERE visit_id = ?", visit_id) == [
        ("Send the pilot quote", "Olga")]
    sha = hashlib.sha256(image.read_bytes()).hexdigest()
    assert server_rows(market, "SELECT filename FROM attachment WHERE owner_id = ?", visit_id) == [("meeting.png",)]
    assert (market.root / "blobs" / sha[:2] / sha).read_bytes() == image.read_bytes()


def _propose_institution(store: object) -> str:
    """An institution met in the field (a proposal: the specialist may write its visits)."""
    from specialist_app.services import records
    from specialist_app.services.uow import UnitOfWork
    from specialist_app.store.db import Store

    assert isinstance(store, Store)
    with UnitOfWork(store) as uow:
        new_id = records.create(uow, "institution", {"name": "长春新区企业", "org_type": "enterprise"})
        uow.commit()
    return new_id
