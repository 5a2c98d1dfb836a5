"""Feedback: saving says so in the status bar; quitting with changes not yet synced asks whether to sync first."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from specialist_app.credentials import Account
from specialist_app.gui.context import AppContext
from specialist_app.gui.main_window import MainWindow
from specialist_app.gui.quit_guard import QuitGuard
from specialist_app.gui.session import Session
from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store
from specialist_app.sync_engine.errors import NetworkUnavailable, SyncCancelled
from tests.specialist_app.gui.editor_helpers import close_opened, open_loaded, pick, type_chinese
from tests.transport_fake import FakeTransportBase

ACCOUNT = Account("quit-profile", "http://127.0.0.1:9", "demo")


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


def test_saving_names_the_record_in_the_status_bar(qtbot: QtBot, ctx: AppContext, zh_translator: None) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    editor = open_loaded(qtbot, ctx, "institution", parent=window)
    type_chinese(editor.form.inputs["name"].widget, "吉林大学")
    pick(editor.form.inputs["org_type"], "高等院校")
    with qtbot.waitSignal(editor.saved):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert window.status.currentMessage() == "已保存：机构“吉林大学”"


class _Unreachable(FakeTransportBase):
    def post_json(self, path: str, body: object) -> object:
        raise NetworkUnavailable("connection refused")

    def close(self) -> None:
        pass


class _Stalled(FakeTransportBase):
    """A link that never answers: a request ends only when the run is cancelled."""

    def __init__(self) -> None:
        self.cancel: threading.Event | None = None
        self.waiting = threading.Event()

    @contextlib.contextmanager
    def cancelled_by(self, cancel: threading.Event) -> Iterator[None]:
        self.cancel = cancel
        yield

    def post_json(self, path: str, body: object) -> object:
        assert self.cancel is not None
        self.waiting.set()
        self.cancel.wait(60)
        raise SyncCancelled()

    def close(self) -> None:
        pass


def _add_change(store: Store) -> str:
    with UnitOfWork(store) as uow:
        new_id = records.create(uow, "institution", {"name": "离线机构", "org_type": "enterprise"})
        uow.commit()
    return new_id


@pytest.fixture
def open_session(qtbot: QtBot, data_dir: Path) -> Iterator[Callable[..., tuple[Session, MainWindow, QuitGuard]]]:
    made: list[Session] = []

    def build(transport: Any, *, pending: bool = True) -> tuple[Session, MainWindow, QuitGuard]:
        session = Session(data_dir, "en", make_transport=lambda _account, _auth: transport, sync_at_start=False)
        made.append(session)
        window = session.open(ACCOUNT)
        qtbot.addWidget(window)
        ctx, guard = session.ctx, session.quit_guard
        assert ctx is not None and guard is not None
        if pending:
            done: list[str] = []
            ctx.runner.submit(_add_change, done.append)
            qtbot.waitUntil(lambda: bool(done))
        return session, window, guard

    yield build
    for session in made:
        session.shutdown()


def _asked(qtbot: QtBot, guard: QuitGuard) -> QMessageBox:
    qtbot.waitUntil(lambda: guard.question is not None and guard.question.isVisible())
    assert guard.question is not None
    return guard.question


def test_quitting_offline_proposes_quit_and_says_how_many(qtbot: QtBot, open_session: Callable[..., Any]) -> None:
    session, window, guard = open_session(_Unreachable())
    window.close()
    question = _asked(qtbot, guard)
    assert window.isVisible()  # not closed while asking
    assert question.text().startswith("1 change(s)") and "offline" in question.informativeText()
    assert question.defaultButton() is guard.quit_button
    with qtbot.waitSignal(session.ended):
        question.defaultButton().click()
    assert not window.isVisible()


def test_cancel_keeps_the_app_open(qtbot: QtBot, open_session: Callable[..., Any]) -> None:
    _session, window, guard = open_session(_Unreachable())
    window.close()
    question = _asked(qtbot, guard)
    qtbot.keyClick(question, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: guard.question is None)
    assert window.isVisible()
    window.close()  # asked again
    _asked(qtbot, guard)


def test_nothing_pending_quits_unasked(qtbot: QtBot, open_session: Callable[..., Any]) -> None:
    session, window, guard = open_session(_Unreachable(), pending=False)
    with qtbot.waitSignal(session.ended):
        window.close()
    assert guard.question is None  # never asked


def test_online_the_default_is_sync_and_quit_which_quits_when_the_sync_ends(
        qtbot: QtBot, open_session: Callable[..., Any]) -> None:
    session, window, guard = open_session(_Unreachable())
    assert session.controller is not None
    session.controller.online = True  # the last contact with the server worked
    window.close()
    question = _asked(qtbot, guard)
    assert question.defaultButton() is guard.sync_button
    with qtbot.waitSignal(session.controller.finished) as finished, qtbot.waitSignal(session.ended):
        question.defaultButton().click()
    assert finished.args[0].outcome == "offline"  # the run ended (here: no network) and the app quit after it
    assert not window.isVisible()


def test_sync_and_quit_has_a_way_out_while_the_link_stalls(qtbot: QtBot,
                                                            open_session: Callable[..., Any]) -> None:
    stalled = _Stalled()
    session, window, guard = open_session(stalled)
    controller = session.controller
    assert controller is not None
    controller.online = True
    window.close()
    _asked(qtbot, guard).defaultButton().click()
    qtbot.waitUntil(lambda: guard.waiting is not None and guard.waiting.isVisible())
    assert stalled.waiting.wait(30) and controller.is_running()
    with qtbot.waitSignal(session.ended):
        assert guard.quit_now_button is not None
        guard.quit_now_button.click()  # cancels the stalled run: the cancel ends the request in flight
    assert not controller.is_running() and not window.isVisible()


def test_keep_working_leaves_the_sync_running_and_the_app_open(qtbot: QtBot,
                                                               open_session: Callable[..., Any]) -> None:
    stalled = _Stalled()
    session, window, guard = open_session(stalled)
    controller = session.controller
    assert controller is not None
    controller.online = True
    window.close()
    _asked(qtbot, guard).defaultButton().click()
    qtbot.waitUntil(lambda: guard.waiting is not None and guard.waiting.isVisible())
    waiting = guard.waiting
    assert waiting is not None
    keep = next(b for b in waiting.buttons() if b is not guard.quit_now_button)
    keep.click()
    qtbot.waitUntil(lambda: guard.waiting is None)
    assert window.isVisible() and controller.is_running()
    controller.cancel()
    qtbot.waitUntil(lambda: not controller.is_running())
    assert window.isVisible()  # the sync ended; the app stays, as asked


def test_a_count_that_cannot_be_read_still_asks(qtbot: QtBot, open_session: Callable[..., Any],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from specialist_app.gui import data

    def unreadable(_store: Store) -> data.StatusSummary:
        raise OSError("disk I/O error")

    _session, window, guard = open_session(_Unreachable())
    monkeypatch.setattr(data, "status_summary", unreadable)
    window.close()
    question = _asked(qtbot, guard)
    assert question.text() == "Some changes may not have reached the market yet." and window.isVisible()
