"""Session without a server: sign-out keeps or erases the data, switching account, timed sync and Cancel."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from specialist_app import credentials, paths
from specialist_app.credentials import Account, Credentials
from specialist_app.gui.main_window import MainWindow
from specialist_app.gui.pages.institutions import InstitutionsPage
from specialist_app.gui.pages.sync_page import SyncPage
from specialist_app.gui.session import Session
from specialist_app.gui.signin import SignInDialog, SignOutDialog
from specialist_app.gui.sync_controller import SyncProgress
from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import open_store
from specialist_app.sync_engine.report import SyncReport
from specialist_app.sync_engine.transport import Transport
from tests.e2e.conftest import free_port

TIMEOUT_MS = 20_000


pytestmark = pytest.mark.usefixtures("keyring_file")


def stored_sign_in(base: Path, user: str, institution: str) -> Account:
    """A profile signed in earlier (refresh token in the keyring) whose store holds one institution."""
    url = f"http://127.0.0.1:{free_port()}"  # nobody listens: the app works offline
    account = Account(paths.profile_key(url, user), url, user, credentials.folder_key(base))
    store = open_store(paths.store_path(base, account.profile))
    try:
        with UnitOfWork(store) as uow:
            records.create(uow, "institution", {"name": institution, "org_type": "university"})
            uow.commit()
    finally:
        store.close()
    paths.set_current_profile(base, account.profile, server_url=url, username=user)
    credentials.save_refresh_token(account, f"refresh-{user}")
    return account


def offline_transport(account: Account, auth: Credentials) -> Transport:
    return Transport(account.server_url, auth=auth, max_attempts=1)


@pytest.fixture
def session(qtbot: QtBot, data_dir: Path) -> Iterator[Session]:
    made = Session(data_dir, "en", make_transport=offline_transport, sync_at_start=False)
    yield made
    made.shutdown()


def institutions_in(base: Path, account: Account) -> list[str]:
    store = open_store(paths.store_path(base, account.profile))
    try:
        with UnitOfWork(store) as uow:
            rows = uow.conn.exec_driver_sql("SELECT name FROM institution WHERE deleted = 0").fetchall()
    finally:
        store.close()
    return [str(r[0]) for r in rows]


def answer_sign_out(monkeypatch: pytest.MonkeyPatch, *, erase: bool, confirm_erase: bool) -> list[str]:
    """The sign-out dialog ticked as asked and confirmed with its OK button; the erase warning answered."""
    warnings: list[str] = []

    def warn(_parent: Any, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        warnings.append(text)
        return QMessageBox.StandardButton.Yes if confirm_erase else QMessageBox.StandardButton.No

    def run(dialog: SignOutDialog) -> int:
        dialog.erase_box.setChecked(erase)
        dialog._confirm()
        return int(dialog.result())

    monkeypatch.setattr(QMessageBox, "warning", warn)
    monkeypatch.setattr(SignOutDialog, "exec", run)
    # After signing out the app asks who signs in next: nobody here.
    monkeypatch.setattr(SignInDialog, "exec", lambda _dialog: int(SignInDialog.DialogCode.Rejected))
    return warnings


def test_sign_out_keeps_the_data(qtbot: QtBot, data_dir: Path, session: Session,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    account = stored_sign_in(data_dir, "gina", "吉林大学")
    assert session.start() is True
    answer_sign_out(monkeypatch, erase=False, confirm_erase=False)
    with qtbot.waitSignal(session.ended, timeout=TIMEOUT_MS):
        session.sign_out()
    assert session.window is None
    assert credentials.load_refresh_token(account) is None  # signed out...
    assert institutions_in(data_dir, account) == ["吉林大学"]  # ...and the data is still here


def test_erasing_needs_confirmation_then_removes_the_data(qtbot: QtBot, data_dir: Path, session: Session,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    account = stored_sign_in(data_dir, "gina", "吉林大学")
    assert session.start() is True
    warnings = answer_sign_out(monkeypatch, erase=True, confirm_erase=False)
    session.sign_out()  # the erase warning answered "No": nothing happens
    assert len(warnings) == 1 and "lost" in warnings[0]
    assert session.window is not None and credentials.load_refresh_token(account) == "refresh-gina"

    answer_sign_out(monkeypatch, erase=True, confirm_erase=True)
    with qtbot.waitSignal(session.ended, timeout=TIMEOUT_MS):
        session.sign_out()
    assert not (data_dir / "profiles" / account.profile).exists()  # paths.profile_dir() would create it
    assert paths.current_profile(data_dir) == paths.LOCAL_PROFILE


def test_switching_account_opens_the_other_profile_and_keeps_both(
    qtbot: QtBot, data_dir: Path, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    gina = stored_sign_in(data_dir, "gina", "吉林大学")
    hugo = stored_sign_in(data_dir, "hugo", "东北师范大学")  # the current profile
    assert session.start() is True
    first = session.window
    assert first is not None and "hugo" in first.windowTitle()

    def pick_gina(dialog: SignInDialog) -> int:
        dialog.profile_combo.setCurrentIndex(dialog.profile_combo.findData(gina.profile))
        dialog.ok_button.click()
        return int(dialog.result())

    monkeypatch.setattr(SignInDialog, "exec", pick_gina)
    with qtbot.waitSignal(session.window_opened, timeout=TIMEOUT_MS) as opened:
        session.switch_account()
    window = opened.args[0]
    assert isinstance(window, MainWindow) and window is session.window and "gina" in window.windowTitle()
    assert session.account == gina and paths.current_profile(data_dir) == gina.profile
    page = window.show_page("institutions")
    assert isinstance(page, InstitutionsPage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.index(0, 0).data() == "吉林大学"
    assert institutions_in(data_dir, gina) == ["吉林大学"]
    assert institutions_in(data_dir, hugo) == ["东北师范大学"]
    assert credentials.load_refresh_token(hugo) == "refresh-hugo"  # switching is not signing out


def test_timed_sync_fires_on_its_own(qtbot: QtBot, data_dir: Path, session: Session) -> None:
    stored_sign_in(data_dir, "gina", "吉林大学")
    assert session.start() is True
    controller = session.controller
    assert controller is not None and not controller.is_running()
    assert session.ctx is not None
    assert controller.timer.isActive()
    assert controller.timer.interval() == 60_000 * session.ctx.settings.sync_interval_minutes
    controller.timer.setInterval(30)  # the configured minutes, shortened for the test
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT_MS) as done:
        pass
    report = done.args[0]
    assert isinstance(report, SyncReport) and report.outcome == "offline"


def test_cancel_button_stops_a_running_sync(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stored_sign_in(data_dir, "gina", "吉林大学")
    entered, released = threading.Event(), threading.Event()

    def held_transport(account: Account, auth: Credentials) -> Transport:
        entered.set()  # the run is under way (on its thread) until the test lets it go on
        released.wait(TIMEOUT_MS / 1000)
        return offline_transport(account, auth)

    session = Session(data_dir, "en", make_transport=held_transport, sync_at_start=False)
    try:
        assert session.start() is True
        window, controller = session.window, session.controller
        assert window is not None and controller is not None
        page = window.show_page("sync")
        assert isinstance(page, SyncPage)
        with qtbot.waitSignal(controller.started):
            window.sync_action.trigger()
        qtbot.waitUntil(entered.is_set)
        progress = page.progress
        assert isinstance(progress, SyncProgress)
        assert progress.isVisible() and progress.cancel_button.isEnabled()
        assert not page.sync_button.isEnabled()
        with qtbot.waitSignal(controller.finished, timeout=TIMEOUT_MS) as done:
            progress.cancel_button.click()
            released.set()
        report = done.args[0]
        assert isinstance(report, SyncReport) and report.outcome == "cancelled"
        assert not progress.isVisible() and page.sync_button.isEnabled()
        qtbot.waitUntil(lambda: page.runs_table.rowCount() == 1)
        cell = page.runs_table.item(0, 1)
        assert cell is not None and cell.text() == "Cancelled"
    finally:
        released.set()
        session.shutdown()
