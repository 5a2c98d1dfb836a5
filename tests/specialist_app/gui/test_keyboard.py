"""Keyboard use: every main action in a menu with a shortcut, Enter/Escape in dialogs, editor tab order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget
from pytestqt.qtbot import QtBot

from specialist_app.credentials import Account
from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.dialog import EditorDialog
from specialist_app.gui.main_window import SYNC_SHORTCUT, MainWindow, page_specs
from specialist_app.gui.session import Session
from specialist_app.gui.signin import SignInDialog, SignOutDialog
from tests.specialist_app.gui.editor_helpers import close_opened, open_loaded


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


def _menu_actions(window: MainWindow) -> dict[str, QAction]:
    found: dict[str, QAction] = {}
    for top in window.menuBar().actions():
        menu = top.menu()
        assert isinstance(menu, QMenu)
        for action in menu.actions():
            if action.objectName():
                found[action.objectName()] = action
    return found


def test_every_main_action_is_in_a_menu_and_pages_have_shortcuts(qtbot: QtBot, data_dir: Path) -> None:
    session = Session(data_dir, "en", sync_at_start=False)
    try:
        window = session.open(Account("demo-profile", "http://127.0.0.1:9", "demo"))
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        menus = [top.text() for top in window.menuBar().actions()]
        assert menus == ["&File", "&Go", "&Help"]  # alt+F, alt+G, alt+H
        actions = _menu_actions(window)
        for name in ("action_sync", "action_switch_account", "action_sign_out", "action_settings", "action_about",
                     "action_quit", "action_user_guide", *(f"action_page_{spec.key}" for spec in page_specs())):
            assert name in actions, name
            assert actions[name].text() and actions[name].isEnabled()
        assert actions["action_sync"].shortcut().toString() == SYNC_SHORTCUT
        assert not actions["action_quit"].shortcut().isEmpty()
        assert not actions["action_settings"].shortcut().isEmpty()
        keys = [spec.key for spec in page_specs()]
        for number, key in reversed(list(enumerate(keys, start=1))):
            qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0.value + number), Qt.KeyboardModifier.ControlModifier)
            assert window.current_page() is window.pages[key], key
        with qtbot.waitSignal(window.sync_requested):
            qtbot.keyClick(window, Qt.Key.Key_F5)
        # Every button on every page takes keyboard focus (reachable with Tab).
        for page in window.pages.values():
            for widget in page.findChildren(QWidget):
                if widget.metaObject().className() == "QPushButton":
                    assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, widget.objectName()
        qtbot.waitUntil(lambda: session.ctx is not None and session.ctx.runner.pending() == 0)
    finally:
        session.shutdown()


def test_enter_and_escape_in_dialogs(qtbot: QtBot, data_dir: Path) -> None:
    signin = SignInDialog(data_dir, "en")
    qtbot.addWidget(signin)
    signin.show()
    qtbot.keyClick(signin.server_edit, Qt.Key.Key_Escape)
    assert signin.result() == QDialog.DialogCode.Rejected and not signin.isVisible()

    signin = SignInDialog(data_dir, "en")
    qtbot.addWidget(signin)
    signin.show()
    qtbot.keyClick(signin.server_edit, Qt.Key.Key_Return)  # Enter = Sign in: empty fields are pointed out
    assert signin.isVisible() and "Enter the server address" in signin.message_label.text()

    signout = SignOutDialog(Account("p", "https://market.example.cn", "gina"))
    qtbot.addWidget(signout)
    signout.show()
    qtbot.keyClick(signout, Qt.Key.Key_Return)
    assert signout.result() == QDialog.DialogCode.Accepted and not signout.erase

    signout = SignOutDialog(Account("p", "https://market.example.cn", "gina"))
    qtbot.addWidget(signout)
    signout.show()
    qtbot.keyClick(signout, Qt.Key.Key_Escape)
    assert signout.result() == QDialog.DialogCode.Rejected


def _field_of(dialog: EditorDialog, widget: QWidget) -> str | None:
    for name, box in dialog.form.confidential.items():
        if box is widget:
            return f"confidential:{name}"
    for name, field_input in dialog.form.inputs.items():
        if field_input.widget is widget or field_input.widget.isAncestorOf(widget):
            return name
    return None


@pytest.mark.parametrize("entity", ["achievement", "demand", "institution"])
def test_tab_order_of_the_editor_follows_the_field_order(qtbot: QtBot, ctx: AppContext, entity: str) -> None:
    dialog = open_loaded(qtbot, ctx, entity)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.form.first_input())
    visited: list[str] = []
    for _ in range(300):
        focused = QApplication.focusWidget()
        assert focused is not None
        name = _field_of(dialog, focused)
        if name is None:
            break  # left the form (child tables, buttons)
        if not visited or visited[-1] != name:
            visited.append(name)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    fields = [name for name in visited if not name.startswith("confidential:")]
    assert fields == list(dialog.form.inputs)
    for name in dialog.form.confidential:  # each "confidential" box right after its field
        assert visited[visited.index(name) + 1] == f"confidential:{name}"


def test_f5_syncs_from_an_institution_window(qtbot: QtBot, data_dir: Path, keyring_file: Path) -> None:
    """The walk in the real window: an achievement collected in 机构：吉林大学, F5 pressed there, nothing happened
    (the shortcut lived in the main window only); the status bar behind still said 待同步修改：1."""
    from specialist_app.gui.institution_window import open_institution
    from specialist_app.services import editing

    session = Session(data_dir, "zh_CN", sync_at_start=False)
    try:
        window = session.open(Account("demo-profile", "http://127.0.0.1:9", "demo"))
        ctx, controller = session.ctx, session.controller
        assert ctx is not None and controller is not None
        created: list[str] = []
        ctx.runner.submit(lambda store: editing.add_record(store, "institution", {"name": "吉林大学",
                                                                                  "org_type": "university"}),
                          created.append)
        qtbot.waitUntil(lambda: bool(created))
        institution = open_institution(ctx, created[0], window.pages["institutions"])  # deleted on close
        institution.activateWindow()
        qtbot.waitUntil(institution.isActiveWindow)
        with qtbot.waitSignal(window.sync_requested), qtbot.waitSignal(controller.finished, timeout=60_000):
            qtbot.keyClick(institution, Qt.Key.Key_F5)  # (no server there: the run ends offline)
        institution.close()
        qtbot.waitUntil(lambda: ctx.runner.pending() == 0)
    finally:
        session.shutdown()
