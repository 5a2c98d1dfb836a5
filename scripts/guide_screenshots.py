"""Render the user guide's screenshots (docs/user-guide/*.png) by driving the real app against a local market-server.

Usage: .venv/bin/python scripts/guide_screenshots.py [--out docs/user-guide]
Starts `market-server` (seeded with the small demo data) on loopback in a temp folder, signs in through the real
sign-in dialog with a file keyring, then plans and logs a visit, collects an achievement and a demand while the
server is stopped, syncs, makes and resolves a real conflict, and grabs each widget (Chinese, some in English).
Needs a CJK font (Debian: apt-get install -y fonts-wqy-microhei).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import shiboken6
from PySide6.QtCore import QElapsedTimer, QRect, QThread
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from specialist_app import credentials, paths
from specialist_app.credentials import Account, Credentials
from specialist_app.demo import DEMO_USER, DemoServer
from specialist_app.demo_keyring import use_file_keyring
from specialist_app.gui import i18n
from specialist_app.gui.editors.dialog import EditorDialog, open_editor
from specialist_app.gui.editors.visit_editor import LOG, PLAN, VisitEditor
from specialist_app.gui.main_window import MainWindow
from specialist_app.gui.session import Session
from specialist_app.gui.signin import SignInDialog
from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import open_store
from specialist_app.sync_engine import local
from specialist_app.sync_engine.engine import SyncEngine, SyncReport
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
    shots.wait(lambda: editor.loaded and editor.ctx.runner.pending() == 0, "editor")
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
                self.device = local.device_id(uow.conn)
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


def specialist_tour(shots: Shots, root: Path, server: DemoServer) -> None:
    """The Chinese walk-through: every step of the specialist's part of the guide."""
    from specialist_app.gui.dialogs.conflicts import ConflictsDialog
    from specialist_app.gui.dialogs.settings_dialog import SettingsDialog
    from specialist_app.gui.pages.institution_page import open_institution
    from specialist_app.gui.pages.sync_page import SyncPage

    lang = "zh_CN"
    base = root / "app-zh"
    account = sign_in(shots, base, server.url, lang)
    session, window, reports = open_window(shots, base, lang, account)
    ctx = window.ctx
    institution_id, _name = assigned_institution(shots, window)
    shots.grab(window, "institutions_zh_CN")
    status_bar(shots, window, "statusbar_synced_zh_CN")

    page = open_institution(ctx, institution_id, window)
    page.resize(1000, 560)
    shots.wait(lambda: page.history is not None, "institution page")
    shots.grab(page, "institution_zh_CN")

    server.stop()  # from here on the laptop is offline, as in a meeting room
    plan = loaded(shots, VisitEditor(ctx, mode=PLAN, institution_id=institution_id, parent=window))
    plan.show()
    plan.form.inputs["purpose"].set_value("了解新近成果，洽谈秸秆利用技术许可")
    plan.form.inputs["visit_type"].set_value("return")
    shots.grab(plan, "visit_plan_zh_CN", QRect(0, 0, plan.width(), 420))
    save(shots, plan)

    visit = VisitEditor(ctx, mode=LOG, institution_id=institution_id, parent=window)
    loaded(shots, visit)
    visit.resize(820, 900)
    visit.show()
    visit.form.inputs["visit_type"].set_value("return")
    visit.form.inputs["people_met"].set_value(["王老师", "赵处长"])
    visit.form.inputs["purpose"].set_value("了解新近成果，洽谈秸秆利用技术许可")
    visit.form.inputs["notes"].set_value("介绍了三项农业成果；企业对秸秆饲料化技术感兴趣，约定4月带企业回访。")
    follow_up = {"action": "寄送技术许可合同草案", "owner": "李明", "due_date": in_two_weeks()}
    visit.child_tables["follow_up"].add_row(follow_up)
    assert visit.attachments is not None
    visit.attachments.add_files([make_photo(root / "会谈照片.png")])
    shots.settle(500)
    scroll_to(visit, visit.child_tables["follow_up"])
    shots.grab(visit, "visit_log_zh_CN")
    save(shots, visit)

    achievement = loaded(shots, open_editor(ctx, "achievement", parent=window,
                                            prefill={"institution_id": institution_id}))
    achievement_id = achievement.record_id
    achievement.resize(860, 900)
    fill_achievement(achievement, "玉米秸秆饲料化利用技术", "秸秆、饲料、生物质")
    shots.grab(achievement, "achievement_top_zh_CN")
    achievement.form.inputs["price_mode"].set_value("fixed")  # without a price: the editor says what is missing
    achievement.save_button.click()
    shots.settle(400)
    scroll_to(achievement, achievement.form.inputs["price"].widget)
    shots.grab(achievement, "achievement_invalid_zh_CN")
    achievement.form.inputs["price"].set_value(120)
    achievement.form.confidential["price"].setChecked(True)
    achievement.form.confidential["indicators"].setChecked(True)
    achievement.child_tables["ip_item"].add_row(
        {"kind": "invention", "number": "ZL202210000001.2", "title": "一种秸秆发酵饲料的制备方法", "status": "granted"})
    shots.settle(300)
    scroll_to(achievement, achievement.child_tables["ip_item"])
    shots.grab(achievement, "achievement_bottom_zh_CN")
    save(shots, achievement)

    demand = loaded(shots, open_editor(ctx, "demand", parent=window, prefill={"institution_id": institution_id}))
    demand.resize(860, 900)
    demand.form.inputs["title"].set_value("秸秆青贮饲料保鲜技术")
    demand.form.inputs["demand_type"].set_value("tackling")
    demand.form.inputs["problem"].set_value("青贮饲料开窖后二次发酵，损耗约15%。")
    demand.form.inputs["goal"].set_value("开窖后30天内损耗低于5%。")
    demand.form.inputs["budget"].set_value(80)
    demand.form.inputs["coop_modes"].set_value(["joint_dev"])
    demand.form.inputs["confidentiality"].set_value("partial")
    demand.form.confidential["budget"].setChecked(True)
    shots.grab(demand, "demand_zh_CN")
    save(shots, demand)

    report = sync_and_wait(shots, window, reports)  # no server: the run is logged as "no network"
    if report.outcome != "offline":
        raise RuntimeError(f"expected an offline sync, got {report.outcome}")
    window.status.refresh()
    status_bar(shots, window, "statusbar_offline_zh_CN")

    server.start()
    report = sync_and_wait(shots, window, reports)
    if not report.ok:
        raise RuntimeError(f"sync failed: {report.message(lang)}")
    window.status.refresh()
    sync_page = window.show_page("sync")
    assert isinstance(sync_page, SyncPage)
    shots.grab(window, "sync_page_zh_CN")

    # A specialist may not edit an institution's profile: the market refuses the change at sync.
    edit = loaded(shots, open_editor(ctx, "institution", institution_id, parent=window))
    edit.form.inputs["address"].set_value("吉林省长春市前进大街2699号 科技园A座")
    save(shots, edit)
    report = sync_and_wait(shots, window, reports)
    if report.rejected < 1:
        raise RuntimeError("expected a refused change")
    sync_page.refresh()
    shots.settle(300)
    sync_page.tabs.setCurrentIndex(2)
    shots.grab(window, "sync_refused_zh_CN")

    # A real conflict: the administrator and the specialist change the same achievement before syncing.
    admin = AdminDesk(root / "admin", server.url)
    admin.sync()
    admin.update("achievement", achievement_id, {"summary": "以玉米秸秆为原料，经复合菌剂厌氧发酵制成肉牛饲料。"})
    admin.sync()
    again = loaded(shots, open_editor(ctx, "achievement", achievement_id, parent=window))
    again.form.inputs["summary"].set_value("以玉米秸秆为原料，经复合菌剂发酵制成反刍动物饲料，已在3家牧场中试。")
    save(shots, again)
    report = sync_and_wait(shots, window, reports)
    if report.conflicts < 1:
        raise RuntimeError(f"expected a conflict: {report.as_dict(lang)}")
    window.status.refresh()
    shots.settle(300)
    status_bar(shots, window, "statusbar_conflict_zh_CN")
    sync_page.refresh()
    shots.settle(300)
    sync_page.tabs.setCurrentIndex(1)
    shots.grab(window, "sync_conflicts_zh_CN")
    dialog = ConflictsDialog(ctx, parent=window)
    dialog.resize(1500, 260)
    dialog.show()
    shots.wait(lambda: dialog.table.rowCount() > 0, "conflicts dialog")
    dialog.set_choice(0, "merged", "以玉米秸秆为原料，经复合菌剂厌氧发酵制成肉牛饲料，已在3家牧场中试。")
    shots.grab(dialog, "conflicts_dialog_zh_CN")
    dialog.apply_button.click()
    shots.wait(lambda: ctx.runner.pending() == 0, "resolve")
    dialog.close()
    report = sync_and_wait(shots, window, reports)
    window.status.refresh()

    settings = SettingsDialog(ctx, account, window)
    settings.show()
    shots.grab(settings, "settings_zh_CN")
    settings.close()
    session.shutdown()


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


def english_tour(shots: Shots, root: Path, server: DemoServer) -> None:
    """Sign-in, the achievement editor and the Sync page in English."""
    lang = "en"
    base = root / "app-en"
    account = sign_in(shots, base, server.url, lang)
    session, window, reports = open_window(shots, base, lang, account)
    institution_id, _name = assigned_institution(shots, window)
    achievement = loaded(shots, open_editor(window.ctx, "achievement", parent=window,
                                            prefill={"institution_id": institution_id}))
    achievement.resize(860, 900)
    fill_achievement(achievement, "Corn straw feed technology", "straw, feed")
    achievement.form.inputs["price_mode"].set_value("negotiable")
    achievement.form.confidential["indicators"].setChecked(True)
    achievement.child_tables["ip_item"].add_row({"kind": "invention", "number": "ZL202210000001.2",
                                                 "status": "granted"})
    shots.grab(achievement, "achievement_top_en")
    shots.settle(300)
    scroll_to(achievement, achievement.child_tables["ip_item"])
    shots.grab(achievement, "achievement_bottom_en")
    save(shots, achievement)
    sync_and_wait(shots, window, reports)
    window.status.refresh()
    window.show_page("sync")
    shots.grab(window, "sync_page_en")
    session.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "user-guide"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    i18n.compile_qm()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setFont(QFont("WenQuanYi Micro Hei", 10))
    app.setQuitOnLastWindowClosed(False)
    shots = Shots(app, out)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        use_file_keyring(root / "keyring.json")
        server = DemoServer(root / "server", "small")
        server.prepare()
        subprocess.run([server.command, "user", "add", GUIDE_ADMIN, "--role", "admin", "--password-stdin"],
                       input=GUIDE_ADMIN_PASSWORD + "\n", text=True, env=server.env, check=True,
                       stdout=subprocess.DEVNULL)
        server.start()
        try:
            for lang, tour in (("zh_CN", specialist_tour), ("en", english_tour)):
                translator = i18n.install_translator(app, lang)
                tour(shots, root, server)
                app.removeTranslator(translator)
        finally:
            server.stop()
    for path in shots.written:
        print(f"{path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
