"""Shared helpers of the editor tests: open an editor and wait for it, read the store, type Chinese, sign in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from specialist_app import paths
from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.dialog import EditorDialog, open_editor
from specialist_app.services import account
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import open_store
from sync.protocol import UserInfo

OPENED: list[QWidget] = []  # editors delete themselves on close: pytest-qt's addWidget would close them twice


_HELD: list[QWidget] = []  # qtbot holds widgets weakly: these keep a test's shown inputs alive until it ends


def held_window(qtbot: QtBot) -> QWidget:
    """A plain window for a test's inputs, kept alive until the test ends (conftest releases it)."""
    holder = QWidget()
    _HELD.append(holder)
    qtbot.addWidget(holder)
    return holder


def release_held() -> None:
    while _HELD:
        _HELD.pop().deleteLater()


def close_opened() -> None:
    for widget in OPENED:
        if shiboken6.isValid(widget):
            widget.close()
    OPENED.clear()


def type_chinese(widget: QWidget, text: str) -> None:
    """Chinese arrives through the input method (QTest keys are ASCII)."""
    widget.setFocus()
    for char in text:
        event = QInputMethodEvent()
        event.setCommitString(char)
        QApplication.sendEvent(widget, event)


def read_store(data_dir: Path, fn: Callable[[UnitOfWork], Any]) -> Any:
    store = open_store(paths.store_path(data_dir, paths.current_profile(data_dir)))
    try:
        with UnitOfWork(store) as uow:
            return fn(uow)
    finally:
        store.close()


def signed_in_offline(data_dir: Path, ctx: AppContext, username: str, institution: str) -> None:
    """The store as a sync leaves it: the rows pulled, the specialist's account and their one institution."""
    def signed_in(uow: UnitOfWork) -> None:
        for name in ("institution", "demand", "achievement"):
            uow.conn.exec_driver_sql(f"UPDATE {name} SET server_version = 1")
        account.record(uow.conn, UserInfo(username=username, role="specialist", institutions=[institution]))
        uow.conn.exec_driver_sql("INSERT INTO assigned_institution (institution_id) VALUES (?)", (institution,))
        uow.commit()

    read_store(data_dir, signed_in)
    ctx.username = username


def outbox_rows(data_dir: Path) -> list[tuple[str, str, str]]:
    rows = read_store(data_dir, lambda uow: uow.conn.exec_driver_sql(
        "SELECT entity, row_id, op FROM outbox ORDER BY seq").fetchall())
    return [(str(a), str(b), str(c)) for a, b, c in rows]


def wait_loaded(qtbot: QtBot, ctx: AppContext, dialog: EditorDialog) -> EditorDialog:
    OPENED.append(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.waitUntil(lambda: dialog.state.is_loaded and ctx.runner.pending() == 0)
    return dialog


def open_loaded(qtbot: QtBot, ctx: AppContext, entity: str, record_id: str | None = None,
                **kwargs: Any) -> EditorDialog:
    return wait_loaded(qtbot, ctx, open_editor(ctx, entity, record_id, **kwargs))


def pick(combo_input: Any, text: str) -> None:
    combo = combo_input.combo
    index = next(i for i in range(combo.count()) if text in combo.itemText(i))
    combo.setCurrentIndex(index)
