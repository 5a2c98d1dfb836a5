"""Steps the user-guide screenshots are made of: grabbing widgets, signing in, syncing, saving editors."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import shiboken6
from PySide6.QtCore import QElapsedTimer, QRect, QThread
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from specialist_app import credentials, paths
from specialist_app.credentials import Account, Credentials
from specialist_app.demo import DEMO_USER
from specialist_app.gui.editors.dialog import EditorDialog
from specialist_app.gui.main_window import MainWindow
from specialist_app.gui.session import Session
from specialist_app.gui.signin import SignInDialog
from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import meta
from specialist_app.store.db import open_store
from specialist_app.sync_engine.engine import SyncEngine
from specialist_app.sync_engine.report import SyncReport
from specialist_app.sync_engine.transport import Transport
from sync.demo.users import DEMO_SPECIALIST_PASSWORD

GUIDE_ADMIN = "guide-admin"
GUIDE_ADMIN_PASSWORD = "guide-admin-2026"  # a throwaway account on the throwaway loopback server
TIMEOUT_MS = 120_000


class Shots:
    """Waits on the event loop and saves widget grabs under `out`."""

    def __init__(self, app: QApplication, out: Path) -> None:
        self.app = app
        self.out = out
        self.written: list[Path] = []

    def wait(self, done: Callable[[], bool], what: str, timeout_ms: int = TIMEOUT_MS) -> None:
        clock = QElapsedTimer()
        clock.start()
        while not done():
            if clock.elapsed() > timeout_ms:
                raise RuntimeError(f"timed out waiting for {what}")
            self.app.processEvents()
            QThread.msleep(10)
        self.settle()

    def settle(self, ms: int = 200) -> None:
        clock = QElapsedTimer()
        clock.start()
        while clock.elapsed() < ms:
            self.app.processEvents()
            QThread.msleep(10)

    def grab(self, widget: QWidget, name: str, rect: QRect | None = None) -> Path:
        self.settle()
        target = self.out / f"{name}.png"
        pixmap = widget.grab(rect) if rect is not None else widget.grab()
        image = pixmap.toImage().convertToFormat(QImage.Format.Format_RGB32)
        image.save(str(target), quality=9)  # PNG from the suffix; 9 = smaller files
        self.written.append(target)
        return target


def in_two_weeks() -> str:
    """A follow-up due date after the visit (a due date before the visit is refused at save time)."""
    return (date.today() + timedelta(days=14)).isoformat()


def make_photo(path: Path) -> Path:
    """A small stand-in for a meeting photo (a real PNG the attachment panel accepts)."""
    image = QImage(480, 320, QImage.Format.Format_RGB32)
    image.fill(QColor("#dbe7f3"))
    painter = QPainter(image)
    painter.fillRect(40, 200, 400, 80, QColor("#7a93ac"))
    painter.fillRect(180, 60, 120, 120, QColor("#f2b134"))
    painter.end()
    image.save(str(path))
    return path


def sign_in(shots: Shots, base: Path, url: str, lang: str) -> Account:
    """Type into the real sign-in dialog, grab it, click Sign in, wait for the answer."""
    dialog = SignInDialog(base, lang)
    dialog.show()
    dialog.server_edit.setText(url)
    dialog.user_edit.setText(DEMO_USER)
    dialog.password_edit.setText(DEMO_SPECIALIST_PASSWORD)
    shots.grab(dialog, f"signin_{lang}")
    dialog.ok_button.click()
    shots.wait(lambda: dialog.account is not None or bool(dialog.message_label.text()), "sign-in")
    if dialog.account is None:
        raise RuntimeError(f"sign-in failed: {dialog.message_label.text()}")
    account = dialog.account
    dialog.close()
    return account


def open_window(shots: Shots, base: Path, lang: str, account: Account) -> tuple[Session, MainWindow, list[SyncReport]]:
    """The session opens the main window and syncs at once, as after a real sign-in."""
    session = Session(base, lang)
    reports: list[SyncReport] = []
    session.sync_finished.connect(reports.append)
    window = session.open(account)
    window.resize(1180, 720)
    shots.wait(lambda: bool(reports), "first sync")
    return session, window, reports


def sync_and_wait(shots: Shots, window: MainWindow, reports: list[SyncReport]) -> SyncReport:
    count = len(reports)
    window.sync_action.trigger()
    shots.wait(lambda: len(reports) > count, "sync")
    return reports[-1]


def assigned_institution(shots: Shots, window: MainWindow) -> tuple[str, str]:
    page = window.show_page("institutions")
    model: Any = page.model  # type: ignore[attr-defined]
    shots.wait(lambda: model.rowCount() > 0, "institutions")
    for row in range(model.rowCount()):
        item = model.row(row)
        if item.get("assigned"):
            return str(item["id"]), str(item["name"])
    raise RuntimeError("the demo specialist has no assigned institution")


def loaded(shots: Shots, editor: EditorDialog) -> EditorDialog:
    shots.wait(lambda: editor.state.is_loaded and editor.ctx.runner.pending() == 0, "editor")
    return editor


def save(shots: Shots, editor: EditorDialog) -> None:
    """Click Save and wait for the editor to close; a refused save stops the script with the editor's message."""
    editor.save_button.click()
    def closed() -> bool:  # editors opened by open_editor delete themselves on close
        return not shiboken6.isValid(editor) or not editor.isVisible()

    shots.wait(lambda: closed() or editor.error_label.isVisible(), "save")
    if not closed():
        raise RuntimeError(f"{editor.windowTitle()} not saved: {editor.error_label.text()}")


def scroll_to(editor: EditorDialog, widget: QWidget) -> None:
    area = editor.findChild(QScrollArea)
    if area is not None:
        area.ensureWidgetVisible(widget, 0, 40)


def status_bar(shots: Shots, window: MainWindow, name: str) -> None:
    bar = window.status
    shots.grab(bar, name, QRect(0, 0, bar.width(), bar.height()))


class AdminDesk:
    """A second installation signed in as an administrator, editing in-process (the other side of a conflict)."""

    def __init__(self, base: Path, url: str) -> None:
        self.store_file = paths.store_path(base, paths.profile_key(url, GUIDE_ADMIN))
        store = open_store(self.store_file)
        try:
            with UnitOfWork(store) as uow:
                self.device = meta.device_id(uow.conn)
                uow.commit()
        finally:
            store.close()
        self.account = credentials.login(base, url, GUIDE_ADMIN, GUIDE_ADMIN_PASSWORD, device_id=self.device).account

    def sync(self) -> SyncReport:
        store = open_store(self.store_file)
        transport = Transport(self.account.server_url, auth=Credentials(self.account, self.device), max_attempts=1)
        try:
            return SyncEngine(store, transport).run()
        finally:
            transport.close()
            store.close()

    def update(self, entity: str, row_id: str, changes: dict[str, Any]) -> None:
        store = open_store(self.store_file)
        try:
            with UnitOfWork(store) as uow:
                records.update(uow, entity, row_id, changes)
                uow.commit()
        finally:
            store.close()


def fill_achievement(editor: EditorDialog, title: str, keywords: str) -> None:
    inputs = editor.form.inputs
    inputs["title"].set_value(title)
    inputs["inventors"].set_value(["张三", "李四"])
    inputs["keywords"].set_value(keywords)
    inputs["category"].set_value("applied")
    inputs["stage"].set_value("pilot")
    inputs["trl"].set_value(6)
    inputs["summary"].set_value("以玉米秸秆为原料，经复合菌剂发酵制成反刍动物饲料。")
    inputs["indicators"].set_value("粗蛋白含量提高40%，发酵周期7天。")
    inputs["transfer_modes"].set_value(["license", "service"])
