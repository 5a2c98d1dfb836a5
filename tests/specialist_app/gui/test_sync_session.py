"""Signing in against a real market-server, background sync from the window, offline, 401 and an outdated client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from specialist_app import credentials, paths
from specialist_app.credentials import Account, Credentials
from specialist_app.demo_keyring import use_file_keyring
from specialist_app.gui import session as session_module
from specialist_app.gui.pages.sync_page import SyncPage
from specialist_app.gui.session import Session
from specialist_app.gui.signin import SignInDialog
from specialist_app.gui.sync_controller import SyncController
from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import meta
from specialist_app.store.db import open_store
from specialist_app.sync_engine.errors import ProtocolOutdated
from specialist_app.sync_engine.report import SyncReport
from specialist_app.sync_engine.transport import Transport
from tests.e2e.conftest import Market, free_port

SYNC_TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    server = Market(tmp_path_factory.mktemp("server"))
    for name in ("gina", "hugo", "ivan"):
        server.add_user(name)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def test_keyring(tmp_path: Path) -> Iterator[Path]:
    """A file keyring in the test's tmp dir: nothing reaches the real OS keyring."""
    path = tmp_path / "keyring.json"
    previous = use_file_keyring(path)
    yield path
    import keyring

    keyring.set_keyring(previous)


def quick_transport(account: Account, auth: Credentials) -> Transport:
    return Transport(account.server_url, auth=auth, max_attempts=1)


def sign_in(base: Path, url: str, user: str) -> Account:
    store = open_store(paths.store_path(base, paths.profile_key(url, user)))
    try:
        with UnitOfWork(store) as uow:
            device = meta.device_id(uow.conn)
    finally:
        store.close()
    return credentials.login(base, url, user, f"pw-{user}-123456", device_id=device).account


@pytest.fixture
def make_session(qtbot: QtBot, data_dir: Path) -> Iterator[Callable[..., Session]]:
    made: list[Session] = []

    def build(**kwargs: Any) -> Session:
        made_session = Session(data_dir, "en", make_transport=quick_transport, **kwargs)
        made.append(made_session)
        return made_session

    yield build
    for s in made:
        s.shutdown()


def wait_report(qtbot: QtBot, controller: SyncController) -> SyncReport:
    with qtbot.waitSignal(controller.finished, timeout=SYNC_TIMEOUT_MS) as blocker:
        pass
    report = blocker.args[0] if blocker.args else None
    assert isinstance(report, SyncReport)
    return report


def test_sign_in_dialog_signs_in_against_the_server(qtbot: QtBot, market: Market, data_dir: Path,
                                                    test_keyring: Path) -> None:
    dialog = SignInDialog(data_dir, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.server_edit, market.url)
    qtbot.keyClicks(dialog.user_edit, "gina")
    qtbot.keyClicks(dialog.password_edit, "wrong-password")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled() and dialog.message_label.text() != "", timeout=20_000)
    assert "Wrong user name or password" in dialog.message_label.text()
    assert dialog.result() != SignInDialog.DialogCode.Accepted
    assert dialog.password_edit.text() == ""  # the refused password is not kept on screen

    qtbot.keyClicks(dialog.password_edit, "pw-gina-123456")
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.ok_button.click()
    assert dialog.account is not None and dialog.account.username == "gina"
    assert paths.current_profile(data_dir) == dialog.account.profile
    stored = test_keyring.read_text(encoding="utf-8")
    assert "gina" in stored
    assert "pw-gina-123456" not in stored  # only the refresh token is kept, never the password
    assert "pw-gina-123456" not in "".join(p.read_text(errors="ignore") for p in data_dir.rglob("*.json"))


def test_sign_in_to_a_server_that_is_down_says_so(qtbot: QtBot, data_dir: Path) -> None:
    dialog = SignInDialog(data_dir, "en")
    qtbot.addWidget(dialog)
    dialog.server_edit.setText(f"http://127.0.0.1:{free_port()}")
    dialog.user_edit.setText("gina")
    dialog.password_edit.setText("whatever-123")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.message_label.text() != "", timeout=30_000)
    assert "Cannot reach the server" in dialog.message_label.text()


def test_window_syncs_in_the_background_and_the_status_bar_follows(
    qtbot: QtBot, market: Market, data_dir: Path, make_session: Callable[..., Session]
) -> None:
    account = sign_in(data_dir, market.url, "hugo")
    session = make_session()
    assert session.start() is True  # the stored sign-in opens straight into the window
    window, controller = session.window, session.controller
    assert window is not None and controller is not None
    qtbot.addWidget(window)
    assert window.isMaximized()  # designed at 1200x780: on a smaller screen (the offscreen one is 800 wide)
    assert window.status.online_label.text() == "Syncing"  # the first sync runs: not "Offline" (#14.6)
    first = wait_report(qtbot, controller)  # the sync at start
    assert first.ok, first.errors
    assert window.status.online and window.status.online_label.text() == "Online"

    ctx = session.ctx
    assert ctx is not None
    ctx.runner.submit(lambda store: _create_institution(store, "黑龙江大学"), lambda _id: ctx.events.changed.emit(""))
    qtbot.waitUntil(lambda: window.status.summary is not None and window.status.summary.pending_changes == 1)
    before = window.status.last_sync_label.text()

    window.sync_action.trigger()  # F5
    assert controller.is_running()
    report = wait_report(qtbot, controller)
    assert report.ok and report.pushed == 1
    qtbot.waitUntil(lambda: window.status.summary is not None and window.status.summary.pending_changes == 0)
    assert window.status.summary is not None and window.status.summary.last_sync_at is not None
    assert window.status.last_sync_label.text().startswith("Last sync")
    assert before.startswith("Last sync")

    page = window.show_page("sync")
    assert isinstance(page, SyncPage)
    qtbot.waitUntil(lambda: page.runs_table.rowCount() == 2)
    assert page.runs_table.item(0, 1).text() == "Done"
    assert page.runs_table.item(0, 2).text() == "1"
    assert session.account == account


def _create_institution(store: Any, name: str) -> str:
    with UnitOfWork(store) as uow:
        new_id = records.create(uow, "institution", {"name": name, "org_type": "university"})
        uow.commit()
    return new_id


def test_server_down_shows_offline_and_editing_still_works(
    qtbot: QtBot, market: Market, data_dir: Path, make_session: Callable[..., Session]
) -> None:
    account = sign_in(data_dir, market.url, "ivan")
    dead = f"http://127.0.0.1:{free_port()}"
    paths.set_current_profile(data_dir, account.profile, server_url=dead, username="ivan")
    session = make_session()
    assert session.start() is True
    window, controller, ctx = session.window, session.controller, session.ctx
    assert window is not None and controller is not None and ctx is not None
    qtbot.addWidget(window)
    report = wait_report(qtbot, controller)
    assert report.outcome == "offline"
    assert not window.status.online and window.status.online_label.text() == "Offline"
    created: list[str] = []
    ctx.runner.submit(lambda store: _create_institution(store, "离线创建的机构"), created.append)
    qtbot.waitUntil(lambda: bool(created))
    ctx.events.changed.emit("")
    qtbot.waitUntil(lambda: window.status.summary is not None and window.status.summary.pending_changes == 1)
    page = window.show_page("sync")
    assert isinstance(page, SyncPage)
    qtbot.waitUntil(lambda: page.runs_table.rowCount() == 1)
    assert page.runs_table.item(0, 1).text() == "No network"
    assert "Cannot reach the server" in page.runs_table.item(0, 6).text()


def test_a_refused_sign_in_asks_again_and_keeps_the_data(
    qtbot: QtBot, market: Market, data_dir: Path, make_session: Callable[..., Session]
) -> None:
    account = sign_in(data_dir, market.url, "gina")
    session = make_session(sync_at_start=False)
    assert session.start() is True
    window, controller, ctx = session.window, session.controller, session.ctx
    assert window is not None and controller is not None and ctx is not None
    qtbot.addWidget(window)
    created: list[str] = []
    ctx.runner.submit(lambda store: _create_institution(store, "待上传的机构"), created.append)
    qtbot.waitUntil(lambda: bool(created))
    credentials.forget_refresh_token(account)  # as if the server revoked this device
    with qtbot.waitSignal(controller.login_required, timeout=SYNC_TIMEOUT_MS):
        controller.sync_now()
    assert controller.last_report is not None and controller.last_report.error_code == "login_required"
    dialog = session._signin
    assert dialog is not None and dialog.isVisible()
    assert dialog.user_edit.text() == "gina" and dialog.server_edit.text() == market.url
    assert "sign in again" in dialog.message_label.text()
    dialog.password_edit.setText("pw-gina-123456")
    with qtbot.waitSignal(controller.finished, timeout=SYNC_TIMEOUT_MS) as done:
        dialog.ok_button.click()
    report = done.args[0]
    assert isinstance(report, SyncReport) and report.ok and report.pushed == 1


class OutdatedTransport(Transport):
    def post_json(self, path: str, payload: Any, *, auth: bool = True) -> Any:
        raise ProtocolOutdated("protocol outdated", version="9.9.0")


def test_an_outdated_client_is_told_which_version_to_install(
    qtbot: QtBot, market: Market, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(data_dir, market.url, "hugo")
    shown: list[str] = []
    monkeypatch.setattr(session_module.QMessageBox, "warning",
                        lambda _parent, _title, text, *a: shown.append(text) or QMessageBox.StandardButton.Ok)
    session = Session(data_dir, "en", make_transport=lambda acc, auth: OutdatedTransport(acc.server_url, auth=auth))
    try:
        assert session.start() is True
        assert session.controller is not None
        qtbot.waitUntil(lambda: bool(shown), timeout=SYNC_TIMEOUT_MS)
    finally:
        session.shutdown()
    assert shown == ["This app is out of date: install version 9.9.0 or newer, then sync again"]
